/**
 * Reads lines written with a Python logging `%(name)s` template (core/template.ts writes the same
 * language): the template is compiled once into an anchored regular expression (two when directives
 * follow the message: one from the start, one at the end) and a list of what each group becomes, so
 * whatever logsim's rotating file or Python's logging wrote reads back. Every group is bounded or
 * specific, so no line makes the matcher backtrack without end.
 */
import { compileTemplate, err, ok, type Level, type LogRecord, type Result } from "../../core/mod.ts";
import { base, fail, fieldName, kvTokens, levelOf, parseTime, setField, typed, withUtf8Check } from "./_common.ts";
import type { LineParser } from "./_plugin.ts";
import { compileDatefmt, type Datefmt } from "./_strftime.ts";

type Kind = "asctime" | "isotime" | "created" | "msecs" | "levelname" | "levelno" | "service" | "message" | "fields" | "tags" | "field";

interface Slot {
  kind: Kind;
  /** The field's name in the record (Python's attribute names in logsim's snake_case). */
  field: string;
  /** Typed (numbers become numbers) or kept as text. */
  numeric: boolean;
  /** Padding spaces the width spec may have added at the end of a `%(x)-8s`. */
  padded: boolean;
  /** Its capture group, in the head's match or (when `tail`) the tail's. */
  group: number;
  tail: boolean;
}

/** Python's LogRecord attributes as logsim fields (threadName is what Java and the others call a thread). */
const FIELD_NAMES: Record<string, string> = {
  process: "pid", processName: "process_name", thread: "thread_id", threadName: "thread", module: "module", funcName: "func",
  lineno: "line", pathname: "path", filename: "file", relativeCreated: "relative_created", taskName: "task",
};
const NUMERIC = new Set(["process", "thread", "lineno", "relativeCreated"]);

const DIGITS = "(\\d+(?:\\.\\d+)?)";
/** Python's `%(asctime)s` (`2026-11-25 10:00:00,123`), also with `.`/`T`, more digits or an offset (a `datefmt` with `%z`). */
const ASCTIME = "(\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d{1,9})?(?: ?(?:Z|[+-]\\d{2}:?\\d{2}))?)";
const ISOTIME = "(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:Z|[+-]\\d{2}:?\\d{2}))";
/** logsim's `%(fields)s`, key=value pairs (values quoted when they hold spaces), so a message before them ends where they begin. */
const FIELDS = '((?:[^\\s="]+=(?:"(?:[^"\\\\]|\\\\.)*"|[^\\s"]*)(?: (?=[^\\s="]+=))?){0,256})';
/** Word-like values (logger, module and function names): no spaces. */
const WORD = "(\\S{1,256}?)";
/** Any other value (a thread name, a path): bounded, so a line that does not match fails in bounded time. */
const ANY = ".{0,256}?";
/** Free-text values before the message that may backtrack; later ones take the shortest text before what follows them. */
const BACKTRACKING = 2;
/** How far from the line's end what follows a message may begin. */
export const TAIL_WINDOW = 4096;

type Item = string | { name: string; left: boolean; width: boolean };

function kindOf(name: string): Kind {
  if (name === "name" || name === "service") return "service";
  return (["asctime", "isotime", "created", "msecs", "levelname", "levelno", "message", "fields", "tags"] as const).find((k) => k === name) ?? "field";
}

/** The group of a directive; `next` is the literal after it, `greedy` when only literal text follows it in the line. */
function group(name: string, greedy: boolean, free: { count: number }, next: string, groups: { count: number }): string {
  switch (name) {
    case "asctime": return ASCTIME;
    case "isotime": return ISOTIME;
    case "created": case "msecs": return DIGITS;
    case "levelname": return "([A-Za-z]+(?: \\d+)?)"; // `Level 5` for levels without a name
    case "levelno": return "(\\d+)";
    case "message": return greedy ? "(.*)" : "(.*?)";
    case "fields": return greedy ? "(.*)" : FIELDS;
    case "tags": return "([^\\s]*?)";
  }
  if (NUMERIC.has(name)) return "(-?\\d+(?:\\.\\d+)?)";
  if (greedy) return "(.*)";
  if (name === "name" || name === "service" || name === "module" || name === "funcName" || name === "filename") return WORD;
  // Atomic (the shortest text before the next literal, never revisited): many free-text values cannot multiply the backtracking.
  if (++free.count > BACKTRACKING && next) return `(?=(${ANY})${escape(next)})\\${groups.count + 1}`;
  return `(${ANY})`;
}

/** The regex source of `items`, its slots numbered from group 1. */
function build(items: Item[], tail: boolean, greedyLast: boolean, date?: Datefmt): { source: string; slots: Slot[] } {
  let source = "";
  const slots: Slot[] = [];
  const free = { count: 0 };
  const groups = { count: 0 };
  const lastDirective = items.findLastIndex((i) => typeof i !== "string");
  items.forEach((item, i) => {
    if (typeof item === "string") return void (source += escape(item));
    const next = typeof items[i + 1] === "string" ? (items[i + 1] as string) : "";
    const greedy = greedyLast && i === lastDirective;
    // `%(x)8s` pads on the left and `%(x)-8s` on the right: the spaces are not part of the value.
    if (item.width && !item.left) source += " *";
    source += item.name === "asctime" && date ? `(${date.source})` : group(item.name, greedy, free, next, groups);
    groups.count++; // Every directive's pattern has exactly one capturing group.
    const padded = item.width && item.left;
    if (padded && !greedy) source += " *";
    slots.push({ kind: kindOf(item.name), field: FIELD_NAMES[item.name] ?? item.name, numeric: NUMERIC.has(item.name), padded, group: groups.count, tail });
  });
  return { source, slots };
}

const TOKEN = /%%|%\((\w+)\)(-?)(\d*)(?:\.\d+)?([sdfr])/g;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

export interface CompiledTemplate {
  /** From the line's start: the whole line, or, when directives follow the message, the line up to the message. */
  head: RegExp;
  /** What follows the message when directives do, matched (sticky) where it ends the line. */
  tail?: RegExp;
  /** The tail's first character when it starts with text: only there can it begin. */
  tailFirst?: string;
  /** The tail starts with `%(fields)s`: the message ends where the key=value pairs begin, not at the last pair. */
  tailFields: boolean;
  slots: Slot[];
  /** The `datefmt` asctime is written with, when not Python's default. */
  date?: Datefmt;
}

function items(template: string): Item[] {
  const out: Item[] = [];
  let at = 0;
  const literal = (text: string) => {
    if (!text) return;
    if (typeof out[out.length - 1] === "string") out[out.length - 1] += text;
    else out.push(text);
  };
  for (const t of template.matchAll(TOKEN)) {
    literal(template.slice(at, t.index));
    at = t.index + t[0].length;
    if (t[0] === "%%") literal("%");
    else out.push({ name: t[1]!, left: t[2] === "-", width: t[3] !== "" });
  }
  literal(template.slice(at));
  return out;
}

/** Compiles a template into its matcher; the error names the malformed directive (core/template.ts's own check). */
export function compileTemplateReader(template: string, datefmt?: string): Result<CompiledTemplate, string> {
  let date: Datefmt | undefined;
  if (datefmt !== undefined) {
    const compiled = compileDatefmt(datefmt);
    if (compiled.isErr()) return err(compiled.error);
    date = compiled.value;
  }
  try {
    compileTemplate(template);
  } catch (e) {
    return err(`invalid template: ${(e as Error).message}`);
  }
  const all = items(template);
  const directives = all.filter((i) => typeof i !== "string");
  if (directives.length === 0) return err("invalid template: it has no %(name)s directive");
  const message = all.findIndex((i) => typeof i !== "string" && i.name === "message");
  const split = message >= 0 && all.slice(message + 1).some((i) => typeof i !== "string");
  if (!split) {
    const { source, slots } = build(all, false, true, date);
    return ok({ head: new RegExp(`^${source}$`, "s"), tailFields: false, slots, date });
  }
  // The message, then more directives: the head is matched from the start and the tail where it ends the line,
  // so the message between them costs no backtracking however long it is.
  const head = build(all.slice(0, message), false, false, date);
  const tailItems = all.slice(message + 1);
  const tail = build(tailItems, true, false, date);
  const first = tailItems[0]!;
  const slots = [...head.slots, { kind: "message" as const, field: "message", numeric: false, padded: false, group: -1, tail: false }, ...tail.slots];
  return ok({
    head: new RegExp(`^${head.source}`, "s"),
    tail: new RegExp(`${tail.source}$`, "ys"),
    tailFirst: typeof first === "string" ? first[0] : undefined,
    date,
    tailFields: (typeof first === "string" ? tailItems[1] : first) !== undefined && ((typeof first === "string" ? tailItems[1] : first) as { name: string }).name === "fields",
    slots,
  });
}

/** Python's numeric levels (10 DEBUG ... 50 CRITICAL), which logsim writes as `levelno` too. */
const pythonLevel = (n: number): Level => (n < 20 ? "DEBUG" : n < 30 ? "INFO" : n < 40 ? "WARN" : n < 50 ? "ERROR" : "FATAL");
const UPPER = /^[A-Z]+$/;
const CUSTOM_LEVEL = /^(?:[A-Z][A-Z0-9_]*|Level \d+)$/;
const RANK: Record<Level, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, FATAL: 50 };

/** `1795428000.123456` seconds as exact milliseconds (no float rounding): 1795428000123. */
function epochMs(text: string): number {
  const dot = text.indexOf(".");
  if (dot < 0) return Number(text) * 1000;
  return Number(text.slice(0, dot)) * 1000 + Number(text.slice(dot + 1, dot + 4).padEnd(3, "0"));
}

/** What a match holds, before it becomes a record. */
interface Parts {
  time?: number;
  asctime?: string;
  msecs?: number;
  levelname?: string;
  levelno?: number;
  service?: string;
  message: string;
  fields?: Record<string, unknown>;
  tags?: string[];
}

interface Match {
  head: RegExpExecArray;
  tail?: RegExpExecArray;
  /** The text between head and tail, when the template splits at the message. */
  message?: string;
}

/** The head from the line's start; then, when the template splits, the tail ending the line: the shortest, or with `tailFields` the longest. */
function match(c: CompiledTemplate, text: string): Match | undefined {
  const head = c.head.exec(text);
  if (!head || !c.tail) return head ? { head } : undefined;
  const start = head[0].length;
  let tail: RegExpExecArray | undefined;
  let at = -1;
  for (let pos = text.length; pos >= start && pos >= text.length - TAIL_WINDOW; pos--) {
    if (c.tailFirst !== undefined && text[pos] !== c.tailFirst) continue;
    c.tail.lastIndex = pos;
    const t = c.tail.exec(text);
    if (t) {
      tail = t;
      at = pos;
      if (!c.tailFields) break;
    }
    // With fields first, the leftmost start wins: a quoted value's space is no start, so the whole window is tried.
  }
  return tail ? { head, tail, message: text.slice(start, at) } : undefined;
}

function collect(m: Match, slots: Slot[]): Parts | string {
  const parts: Parts = { message: "" };
  for (const slot of slots) {
    let value = slot.group < 0 ? m.message! : (slot.tail ? m.tail! : m.head)[slot.group]!;
    if (slot.padded) value = value.trimEnd();
    switch (slot.kind) {
      case "created": parts.time = epochMs(value); break;
      case "asctime": parts.asctime = value; break;
      case "isotime": parts.time ??= parseTime(value); break;
      case "msecs": parts.msecs = Math.floor(Number(value)); break;
      case "levelname": parts.levelname = value; break;
      case "levelno": parts.levelno = Number(value); break;
      case "service": parts.service = value; break;
      case "message": parts.message = value; break;
      case "tags": parts.tags = value.split(",").filter(Boolean); break;
      case "fields": {
        const tokens = kvTokens(value);
        if (!tokens) return "unterminated quoted value in the fields";
        parts.fields ??= {};
        for (const t of tokens) setField(parts.fields, fieldName(parts.fields, t.key ?? "text"), typed(t.value));
        break;
      }
      default:
        parts.fields ??= {};
        setField(parts.fields, fieldName(parts.fields, slot.field), slot.numeric ? typed(value) : value);
    }
  }
  return parts;
}

export interface ReadOptions {
  /** Refuse lines whose level name logsim does not know (the default formats, so they do not take other formats' lines). */
  strictLevel?: boolean;
}

/** A line parser for a compiled template, naming its records' parser `parser`. */
export function templateReader(compiled: CompiledTemplate, parser: string, options: ReadOptions = {}): LineParser {
  return withUtf8Check((line, env) => {
    const m = match(compiled, line.text);
    if (!m) return fail("does not match the template");
    const parts = collect(m, compiled.slots);
    if (typeof parts === "string") return fail(parts);
    let time = parts.time;
    if (time === undefined && parts.asctime !== undefined) {
      time = compiled.date ? compiled.date.read(parts.asctime, env) : parseTime(parts.asctime, env.now, env.zone, env.seconds);
      if (time === undefined) return fail("invalid asctime");
      // A `datefmt` without milliseconds, followed by `.%(msecs)03d` (OpenStack's and many others' format).
      if (parts.msecs !== undefined && !/[.,]\d/.test(parts.asctime)) time += parts.msecs;
    }
    // The default formats take only level names as Python and logsim write them (upper-case), not `Note:` or `error:`.
    let level = parts.levelname === undefined || (options.strictLevel && !UPPER.test(parts.levelname)) ? undefined : levelOf(parts.levelname);
    // A custom level (`logging.addLevelName(25, "SUCCESS")`, or `Level 25` unnamed) is written upper-case: other words are not levels.
    if (level === undefined && parts.levelname !== undefined && (options.strictLevel || !CUSTOM_LEVEL.test(parts.levelname))) return fail(`unknown level "${parts.levelname.slice(0, 20)}"`);
    if (level === undefined && parts.levelno !== undefined) level = pythonLevel(parts.levelno);
    const record: LogRecord = base(line, parser, time ?? env.now, level ?? "INFO", parts.message);
    if (parts.service !== undefined) record.service = parts.service;
    let fields = parts.fields;
    // Kept where the level does not say it all: a custom level's name or number.
    if (parts.levelname !== undefined && !levelOf(parts.levelname)) setField((fields ??= {}), fieldName(fields, "levelname"), parts.levelname);
    if (parts.levelno !== undefined && parts.levelno !== RANK[record.level]) setField((fields ??= {}), fieldName(fields, "levelno"), parts.levelno);
    if (fields) record.fields = fields;
    if (parts.tags && parts.tags.length > 0) record.tags = [...parts.tags, ...(record.tags ?? [])];
    return ok(record);
  });
}
