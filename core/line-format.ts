/**
 * How sinks turn records into lines. A format has an optional header, written
 * at the top of every file (CSV), and a `format` that returns one line
 * without its newline. Formats are registered by name; any other string
 * is taken as a `%(name)s` template.
 */
import { jsonLineFormatter } from "./record-json.ts";
import { compileTemplate } from "./template.ts";
import type { LogRecord } from "./types.ts";

export interface LineFormat {
  readonly header?: string;
  format(record: LogRecord): string;
}

/** Creates a fresh format instance (formats may cache per instance). */
export type LineFormatFactory = () => LineFormat;

const formats = new Map<string, LineFormatFactory>([["json", () => ({ format: jsonLineFormatter() })]]);

/** Registers a named format (plugins add csv, logfmt, ...). */
export function registerLineFormat(name: string, factory: LineFormatFactory): void {
  formats.set(name, factory);
}

export function lineFormatNames(): string[] {
  return [...formats.keys()];
}

/** A named format, or a compiled template. Throws RangeError for a malformed template. */
export function createLineFormat(spec: string): LineFormat {
  const named = formats.get(spec);
  if (named) return named();
  return { format: compileTemplate(spec) };
}

/** Zod refinement helper: the problem with a format spec, or undefined when it is fine. */
export function checkLineFormat(spec: string): string | undefined {
  if (formats.has(spec)) return undefined;
  if (!spec.includes("%(")) return `expected a format name (${lineFormatNames().join(", ")}) or a template with %(name)s fields`;
  try {
    compileTemplate(spec);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
