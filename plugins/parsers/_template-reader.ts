/**
 * Reads lines written with a Python logging `%(name)s` template (core/template.ts writes the same
 * language): the template is compiled once into one anchored regular expression and a list of
 * what each group becomes, so whatever logsim's rotating file or Python's logging wrote reads back.
 */
import { err, ok, type Result } from "neverthrow";
import { compileTemplate } from "../../core/template.ts";
import type { Level, LogRecord } from "../../core/types.ts";
import { base, fail, fieldName, kvTokens, levelOf, parseTime, setField, typed, withUtf8Check } from "./_common.ts";
import type { LineParser } from "./_plugin.ts";

type Kind = "asctime" | "isotime" | "created" | "msecs" | "levelname" | "levelno" | "service" | "message" | "fields" | "tags" | "field";

interface Slot {
  kind: Kind;
  /** The field's name in the record (Python's attribute names in logsim's snake_case). */
  field: string;
  /** Typed (numbers become numbers) or kept as text. */
  numeric: boolean;
  /** Padding spaces the width spec may have added at the end of a `%(x)-8s`. */
  padded: boolean;
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
const WORD = "(\\S{1,512}?)";
/** Any other value before more of the template: bounded, so a line that does not match fails in linear time. */
const ANY = "(.{0,4096}?)";

function pattern(name: string, last: boolean, messageLast: boolean): [string, Kind] {
  switch (name) {
    case "asctime": return [ASCTIME, "asctime"];
    case "isotime": return [ISOTIME, "isotime"];
    case "created": return [DIGITS, "created"];
    case "msecs": return [DIGITS, "msecs"];
    case "levelname": return ["([A-Za-z]+(?: \\d+)?)", "levelname"]; // `Level 5` for levels without a name
    case "levelno": return ["(\\d+)", "levelno"];
    case "name": case "service": return [last ? "(.*)" : WORD, "service"];
    // Greedy when last, so it keeps everything; else the shortest that lets the rest match.
    case "message": return [last || messageLast ? "(.*)" : "(.*?)", "message"];
    case "fields": return [last ? "(.*)" : FIELDS, "fields"];
    case "tags": return ["([^\\s]*?)", "tags"];
    default:
      if (NUMERIC.has(name)) return ["(-?\\d+(?:\\.\\d+)?)", "field"];
      if (name === "module" || name === "funcName" || name === "filename") return [WORD, "field"];
      return [last ? "(.*)" : ANY, "field"];
  }
}

const TOKEN = /%%|%\((\w+)\)(-?)(\d*)(?:\.\d+)?([sdfr])/g;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

export interface CompiledTemplate {
  regex: RegExp;
  slots: Slot[];
}

/** Compiles a template into its matcher; the error names the malformed directive (core/template.ts's own check). */
export function compileTemplateReader(template: string): Result<CompiledTemplate, string> {
  try {
    compileTemplate(template);
  } catch (e) {
    return err(`invalid template: ${(e as Error).message}`);
  }
  const tokens = [...template.matchAll(TOKEN)];
  const directives = tokens.filter((t) => t[0] !== "%%");
  if (directives.length === 0) return err("invalid template: it has no %(name)s directive");
  const lastDirective = directives[directives.length - 1]!;
  const lastIsTail = template.slice(lastDirective.index + lastDirective[0].length).replace(/%%/g, "%").trim() === "";
  const messageLast = lastDirective[1] === "message";
  let source = "^";
  let at = 0;
  const slots: Slot[] = [];
  for (const t of tokens) {
    source += escape(template.slice(at, t.index));
    at = t.index + t[0].length;
    if (t[0] === "%%") {
      source += "%";
      continue;
    }
    const [, name, left, width] = t;
    const last = t === lastDirective && lastIsTail;
    const [group, kind] = pattern(name!, last, messageLast);
    // `%(x)8s` pads on the left and `%(x)-8s` on the right: the spaces are not part of the value.
    if (width && !left) source += " *";
    source += group;
    const padded = Boolean(width && left);
    if (padded && !last) source += " *";
    slots.push({ kind, field: FIELD_NAMES[name!] ?? name!, numeric: NUMERIC.has(name!), padded });
  }
  source += `${escape(template.slice(at))}$`;
  return ok({ regex: new RegExp(source, "s"), slots });
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

function collect(m: RegExpExecArray, slots: Slot[]): Parts | string {
  const parts: Parts = { message: "" };
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!;
    let value = m[i + 1]!;
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
  const { regex, slots } = compiled;
  return withUtf8Check((line, env) => {
    const m = regex.exec(line.text);
    if (!m) return fail("does not match the template");
    const parts = collect(m, slots);
    if (typeof parts === "string") return fail(parts);
    let time = parts.time;
    if (time === undefined && parts.asctime !== undefined) {
      time = parseTime(parts.asctime, env.now, env.zone);
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
