/**
 * `auto`: recognises each file's format among the built-in ones. It tries the
 * format that last read a line of the same file first, so a file settles on its
 * format after one line and keeps it while it matches; a line it does not match
 * is tried against the others in order (the file can switch, as when a
 * container's output turns from JSON to text). Per file, not per process: two
 * files of different formats never disturb each other.
 */
import type { RawLine } from "../../core/mod.ts";
import { badUtf8, fail, type ParseEnv, type ParseResult } from "./_common.ts";
import { statefulLineParserPlugin, type LineParser } from "./_plugin.ts";
import { parseApache } from "./apache.ts";
import { parseApacheError } from "./apache-error.ts";
import { parseNginx } from "./nginx.ts";
import { parseNginxError } from "./nginx-error.ts";
import { parseJava } from "./java.ts";
import { parseJournald } from "./journald.ts";
import { parseJson } from "./json.ts";
import { parseKlog } from "./klog.ts";
import { parseMysql } from "./mysql.ts";
import { parsePostgresql } from "./postgresql.ts";
import { parsePython } from "./python.ts";
import { parseRedis } from "./redis.ts";
import { parseRuby } from "./ruby.ts";
import { parseWinstonText } from "./winston-text.ts";
import { ContainerDecoder, decodeContainer } from "./_container.ts";
import { LAYOUTS } from "./_layouts.ts";
import { parseLogfmt } from "./logfmt.ts";
import { parsePlainText } from "./plain-text.ts";
import { parseSyslog } from "./syslog.ts";

export interface AutoCandidate {
  readonly name: string;
  readonly parse: LineParser;
  /** A cheap check on the text: false means this format cannot match, so it is not tried. */
  readonly accepts?: (text: string) => boolean;
  /**
   * Whether a file may settle on this format from a line that needs more evidence (logfmt from
   * one `key=value`): checked only when the format is not already the file's.
   */
  readonly firstLine?: (text: string) => boolean;
}

const digit = (c: number) => c >= 48 && c <= 57;
const upper = (c: number) => c >= 65 && c <= 90;
const lower = (c: number) => c >= 97 && c <= 122;

/** Two `=` at least: a plain message with one `key=value` in it is not taken for logfmt. */
const twoPairs = (text: string): boolean => {
  const first = text.indexOf("=");
  return first > 0 && text.indexOf("=", first + 1) > 0;
};

/** The formats `auto` knows, in the order it tries them on a file with no format yet. CSV is left out: it needs its header. */
export const AUTO_CANDIDATES: readonly AutoCandidate[] = [
  // Before json, which would read journalctl's JSON with an empty message.
  { name: "journald", parse: parseJournald, accepts: (t) => t.charCodeAt(0) === 123 && (t.includes('"__REALTIME_TIMESTAMP":"') || t.includes('"__CURSOR":"')) },
  { name: "json", parse: parseJson, accepts: (t) => t.charCodeAt(0) === 123 /* { */ },
  { name: "syslog", parse: parseSyslog },
  { name: "apache", parse: parseApache },
  { name: "nginx", parse: parseNginx, accepts: (t) => t.charCodeAt(t.length - 1) === 34 /* " */ },
  { name: "apache-error", parse: parseApacheError, accepts: (t) => t.charCodeAt(0) === 91 /* [ */ && t.lastIndexOf("] [", 45) > 0 },
  { name: "nginx-error", parse: parseNginxError, accepts: (t) => t.charCodeAt(4) === 47 /* / */ && t.charCodeAt(19) === 32 && t.charCodeAt(20) === 91 && t.charCodeAt(0) <= 57 },
  // Before plain-text, which would take log4j's `[main]` thread for the service and leave the logger in the message.
  { name: "java", parse: parseJava, accepts: (t) => digit(t.charCodeAt(0)) },
  { name: "plain-text", parse: parsePlainText },
  { name: "python", parse: parsePython, accepts: (t) => { const c = t.charCodeAt(0); return c === 91 || digit(c) || upper(c) || lower(c); } },
  { name: "klog", parse: parseKlog, accepts: (t) => /^[IWEF]\d/.test(t) },
  { name: "ruby", parse: parseRuby, accepts: (t) => t.charCodeAt(1) === 44 && t.charCodeAt(3) === 91 },
  { name: "postgresql", parse: parsePostgresql, accepts: (t) => digit(t.charCodeAt(0)) && t.charCodeAt(4) === 45 },
  { name: "mysql", parse: parseMysql, accepts: (t) => digit(t.charCodeAt(0)) },
  { name: "redis", parse: parseRedis, accepts: (t) => digit(t.charCodeAt(0)) || t.charCodeAt(0) === 91 },
  { name: "winston-text", parse: parseWinstonText, accepts: (t) => lower(t.charCodeAt(0)) || t.charCodeAt(0) === 27 },
  // The column layouts of real systems (logcat, Windows CBS, supercomputer RAS logs...), then
  // `timestamped`, which takes any line led by a timestamp: last but for logfmt.
  ...LAYOUTS.map((l): AutoCandidate => ({ name: l.name, parse: l.parse, accepts: l.maybe })),
  { name: "logfmt", parse: parseLogfmt, accepts: (t) => t.includes("="), firstLine: twoPairs },
];

/** `[name, parse]` pairs in `auto`'s order (the explain command and tests list them). */
export const AUTO_ORDER: ReadonlyArray<[string, LineParser]> = AUTO_CANDIDATES.map((c) => [c.name, c.parse]);

const MAX_FILES = 10_000;
/** The reason of a line no format reads: `--explain` shows each format's own. */
export const UNRECOGNIZED = "unrecognized format (none of auto's formats reads it; logsim collect --explain FILE shows why)";

/** A stateful `auto` parser: one per plugin instance, remembering each file's format. */
export function createAutoParser(candidates: readonly AutoCandidate[] = AUTO_CANDIDATES): LineParser {
  const settled = new Map<string, number>();
  const decoder = new ContainerDecoder("auto");
  const formats = formatsParser(candidates, settled);
  // A Docker or CRI line is unwrapped and its content read like any other line (a look at a few characters decides).
  return (line, env) => decodeContainer(line, env, formats, decoder) ?? formats(line, env);
}

function formatsParser(candidates: readonly AutoCandidate[], settled: Map<string, number>): LineParser {
  return (line: RawLine, env: ParseEnv): ParseResult => {
    if (badUtf8(line)) return fail("invalid UTF-8");
    const text = line.text;
    const file = line.origin?.file ?? "";
    const known = settled.get(file);
    let reason: string | undefined;
    let jsonReason: string | undefined;
    if (known !== undefined) {
      const c = candidates[known]!;
      if (!c.accepts || c.accepts(text)) {
        const result = c.parse(line, env);
        if (result.isOk()) return result;
        reason = `${c.name}: ${result.error.reason}`; // The file's own format says best what is wrong.
      }
    }
    for (let i = 0; i < candidates.length; i++) {
      if (i === known) continue;
      const c = candidates[i]!;
      if ((c.accepts && !c.accepts(text)) || (c.firstLine && !c.firstLine(text))) continue;
      const result = c.parse(line, env);
      if (result.isOk()) {
        if (settled.size >= MAX_FILES && !settled.has(file)) settled.clear();
        settled.set(file, i);
        return result;
      }
      // A line that starts like JSON and is not: the JSON parser's reason says most, whatever the file's format.
      if (c.name === "json") jsonReason = `json: ${result.error.reason}`;
    }
    return fail(jsonReason ?? reason ?? UNRECOGNIZED);
  };
}

/** A stateless `auto` for one-off calls: every call starts with no file settled. */
export const parseAuto: LineParser = (line, env) => createAutoParser()(line, env);

export const auto = statefulLineParserPlugin("auto", "Detects each file's format from its lines (json, syslog, web-server access and error logs, plain-text, logfmt...), per file", () => createAutoParser());
