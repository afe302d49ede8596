/**
 * Glob patterns for the files to follow: `*`, `?`, `[abc]`, `{a,b}` within a
 * path segment and `**` for any depth. Patterns are resolved against a folder.
 */
import { isAbsolute, join, resolve } from "node:path";
import type { FileSystem } from "../../core/mod.ts";

const MAX_DEPTH = 16;

const isMagic = (segment: string) => /[*?[{]/.test(segment);

/** A regular expression for one path segment (no `/`). */
export function segmentRegExp(segment: string): RegExp {
  let out = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const close = segment.indexOf("]", i + 2);
      if (close === -1) out += "\\[";
      else {
        const body = segment.slice(i + 1, close).replace(/^!/, "^").replace(/\\/g, "\\\\");
        out += `[${body}]`;
        i = close;
      }
    } else if (c === "{") {
      const close = segment.indexOf("}", i);
      if (close === -1) out += "\\{";
      else {
        out += `(?:${segment.slice(i + 1, close).split(",").map(escape).join("|")})`;
        i = close;
      }
    } else out += escape(c);
  }
  return new RegExp(`^${out}$`);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

export interface Glob {
  /** The folder the pattern starts in (its leading segments without wildcards). */
  base: string;
  /** Absolute paths of the files that match now. */
  expand(fs: FileSystem): string[];
  /** Whether an absolute path matches. */
  matches(path: string): boolean;
}

export function compileGlob(pattern: string, cwd: string): Glob {
  const absolute = isAbsolute(pattern) ? pattern : join(cwd, pattern);
  const segments = absolute.split("/").filter((s, i) => s !== "" || i === 0);
  let fixed = 0;
  while (fixed < segments.length - 1 && !isMagic(segments[fixed]!)) fixed++;
  const base = resolve(segments.slice(0, fixed).join("/") || "/");
  const rest = segments.slice(fixed).map((s) => (s === "**" ? "**" : segmentRegExp(s)));
  const whole = new RegExp(
    `^${escape(base === "/" ? "" : base)}/${rest.map((s) => (s === "**" ? "(?:[^/]+/)*" : `${s.source.slice(1, -1)}/`)).join("").replace(/\/$/, "")}$`.replace("(?:[^/]+/)*/", "(?:[^/]+/)*"),
  );

  function walk(fs: FileSystem, dir: string, index: number, depth: number, out: string[]): void {
    if (depth > MAX_DEPTH) return;
    const part = rest[index];
    if (part === undefined) return;
    if (part === "**") {
      walk(fs, dir, index + 1, depth, out);
      for (const name of fs.readDir(dir)) {
        const path = join(dir, name);
        const stat = fs.stat(path);
        if (stat && !stat.isFile) walk(fs, path, index, depth + 1, out);
      }
      return;
    }
    const last = index === rest.length - 1;
    for (const name of fs.readDir(dir)) {
      if (!part.test(name)) continue;
      const path = join(dir, name);
      if (last) out.push(path);
      else {
        const stat = fs.stat(path);
        if (stat && !stat.isFile) walk(fs, path, index + 1, depth + 1, out);
      }
    }
  }

  return {
    base,
    expand(fs) {
      const out: string[] = [];
      if (rest.length === 1 && !isMagic(segments[fixed]!)) out.push(join(base, segments[fixed]!));
      else walk(fs, base, 0, 0, out);
      return [...new Set(out)].sort();
    },
    matches: (path) => whole.test(path),
  };
}
