/** Value quoting shared by the key=value formats (text, logfmt). */

const NEEDS_QUOTES = /[\s"=\\\x00-\x1f\x7f]/;

/** A value as logfmt writes it: bare when it can be, otherwise a JSON string literal. */
export function kvValue(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null || value === undefined) return '""';
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text === "" || NEEDS_QUOTES.test(text) ? JSON.stringify(text) : text;
}

/** A field value as text, for formats without types (CSV cells, syslog parameters). */
export function plainValue(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
