/**
 * The dashboard's static files (plugins/web/static), read once at startup:
 * no build step, no CDN. Served from a fixed table, so no request names a file.
 */
import { fileURLToPath } from "node:url";
import { err, ok, type FileSystem, type Result } from "../../core/mod.ts";

export interface Asset {
  body: string;
  type: string;
}

const FILES: Record<string, string> = {
  "index.html": "text/html; charset=utf-8",
  "app.js": "text/javascript; charset=utf-8",
  "charts.js": "text/javascript; charset=utf-8",
  "view.js": "text/javascript; charset=utf-8",
  "filters.js": "text/javascript; charset=utf-8",
  "style.css": "text/css; charset=utf-8",
};

export type Assets = ReadonlyMap<string, Asset>;

export function loadAssets(fs: FileSystem): Result<Assets, string> {
  const assets = new Map<string, Asset>();
  for (const [name, type] of Object.entries(FILES)) {
    const path = fileURLToPath(new URL(`./static/${name}`, import.meta.url).href);
    const body = fs.readText(path);
    if (body === undefined) return err(`cannot read the dashboard file ${path}`);
    assets.set(name, { body, type });
  }
  return ok(assets);
}

/** Escapes text for an HTML text node or a quoted attribute. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
