/**
 * Renders a message template (https://messagetemplates.org, Serilog's `@mt`) with an event's
 * properties the way Serilog does: `{Name}`, `{@Name}` and `{$Name}` holes, `,alignment` and
 * `:format`, `{{` and `}}` escapes; strings quoted unless formatted `:l`; a hole with no property
 * left as written. Holes with a format take their text from `renderings` (CLEF's `@r`), in order,
 * as .NET formats are not something to reimplement.
 */

const HOLE = /\{\{|\}\}|\{([@$]?)([A-Za-z0-9_]+)(?:,(-?\d+))?(?::([^{}]*))?\}/g;

/** Serilog's rendering of a property value: strings quoted, sequences `[a, b]`, structures `Type { A: 1 }`. */
function renderValue(value: unknown, literal: boolean, depth = 0): string {
  if (typeof value === "string") return literal ? value : JSON.stringify(value);
  if (value === null || value === undefined) return "null";
  if (typeof value !== "object") return String(value);
  if (depth > 8) return "...";
  if (Array.isArray(value)) return `[${value.map((v) => renderValue(v, false, depth + 1)).join(", ")}]`;
  const obj = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key in obj) if (key !== "$type") members.push(`${key}: ${renderValue(obj[key], false, depth + 1)}`);
  const type = typeof obj.$type === "string" ? `${obj.$type} ` : "";
  return members.length === 0 ? `${type}{}`.trim() : `${type}{ ${members.join(", ")} }`;
}

const align = (text: string, width: string | undefined): string => {
  if (width === undefined) return text;
  const n = Number(width);
  return n < 0 ? text.padEnd(-n) : text.padStart(n);
};

/**
 * The message of a template with its properties. `renderings` are the pre-rendered values of the
 * holes that have a format, in the order they appear.
 *
 * @example
 * renderTemplate("Hello, {User}", { User: "nblumhardt" }); // 'Hello, "nblumhardt"'
 */
export function renderTemplate(template: string, properties: Record<string, unknown>, renderings?: unknown): string {
  let formatted = 0;
  return template.replace(HOLE, (hole, _sigil: string, name: string | undefined, width: string | undefined, format: string | undefined) => {
    if (hole === "{{") return "{";
    if (hole === "}}") return "}";
    const rendering = format !== undefined && Array.isArray(renderings) ? renderings[formatted] : undefined;
    if (format !== undefined) formatted++;
    if (!Object.hasOwn(properties, name!)) return hole;
    const text = typeof rendering === "string" ? rendering : renderValue(properties[name!], format === "l");
    return align(text, width);
  });
}
