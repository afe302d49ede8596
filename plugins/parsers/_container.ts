/**
 * What container runtimes write around each line an app prints: Docker's json-file driver
 * (`{"log":"...\n","stream":"stdout","time":"..."}`) and the CRI format of containerd, CRI-O and
 * the kubelet (`2026-03-07T09:00:01.123456789Z stdout F content`); and the Kubernetes metadata
 * in the names of the files they are written to.
 */
import { err, ok, type Envelope, type LogRecord, type ParseIssue, type RawLine, type Result } from "../../core/mod.ts";
import { badUtf8, base, parseTime, secondCache, skip, type ParseEnv, type ParseResult, type SecondCache } from "./_common.ts";
import { kubernetesOf, type Kubernetes } from "./_kubernetes.ts";

/** One line as the runtime wrote it: the app's content, and what the runtime added. */
export interface ContainerLine {
  content: string;
  time: number | undefined;
  stream: string | undefined;
  /** A piece of a longer line (CRI `P`; Docker: no trailing newline), the rest in the next lines. */
  partial: boolean;
  /** Docker's `attrs` (labels and env chosen with --log-opt) and any other key it wrote. */
  extra?: Record<string, unknown>;
}

export type ContainerFormat = "docker" | "cri";
export type DecodeResult = Result<LogRecord | RawLine, ParseIssue>;
const issue = (reason: string): DecodeResult => err({ reason });

/**
 * Runtime times are RFC 3339 with up to 9 digits of fraction: `2026-03-07T09:00:01.123456789Z` is
 * cut to its milliseconds, which parseTime reads from its per-second cache instead of a regex.
 */
function runtimeTime(value: unknown, seconds?: SecondCache): number | undefined {
  if (typeof value !== "string") return undefined;
  if (value.length > 24 && value.charCodeAt(19) === 46 /* . */ && value.charCodeAt(value.length - 1) === 90 /* Z */) {
    const d = value.charCodeAt(22) - 48;
    if (d >= 0 && d <= 9) return parseTime(`${value.slice(0, 23)}Z`, undefined, undefined, seconds);
  }
  return parseTime(value, undefined, undefined, seconds);
}

/** A Docker json-file line, or why it is not one. Keys in any order; `time` may be missing. */
export function readDocker(text: string, seconds?: SecondCache): ContainerLine | string {
  // Only an object can be one: refused before JSON.parse, which takes seconds over a megabyte of brackets on JSC.
  if (text.charCodeAt(0) !== 123 /* { */ && text.trimStart().charCodeAt(0) !== 123) return "JSON is not an object";
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "invalid JSON";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "JSON is not an object";
  return dockerFields(value as Record<string, unknown>, seconds);
}

/** The container line in the object of a Docker json-file line, or why it is not one. */
export function dockerFields(obj: Record<string, unknown>, seconds?: SecondCache): ContainerLine | string {
  const log = obj.log;
  if (typeof log !== "string") return 'not a Docker json-file line: no "log" text';
  const time = runtimeTime(obj.time, seconds);
  if (time === undefined && obj.time !== undefined) return `invalid Docker time "${String(obj.time).slice(0, 40)}"`;
  const partial = !log.endsWith("\n");
  const content = partial ? log : log.endsWith("\r\n") ? log.slice(0, -2) : log.slice(0, -1);
  let extra: Record<string, unknown> | undefined;
  for (const key in obj) if (key !== "log" && key !== "stream" && key !== "time") (extra ??= {})[key] = obj[key];
  return { content, time, stream: typeof obj.stream === "string" ? obj.stream : undefined, partial, ...(extra ? { extra } : {}) };
}

/** The first space in `text` from `from` to `to`, or -1: a bounded look, not a scan of a long line. */
function spaceBetween(text: string, from: number, to: number): number {
  const end = Math.min(to, text.length - 1);
  for (let i = from; i <= end; i++) if (text.charCodeAt(i) === 32) return i;
  return -1;
}

/** A CRI line (`TIME STREAM TAG CONTENT`, TAG `F` or `P`, maybe followed by `:`-separated others), or why it is not one. */
export function readCri(text: string, seconds?: SecondCache): ContainerLine | string {
  const s1 = spaceBetween(text, 0, 40);
  if (s1 < 19) return "not a CRI line: expected an RFC 3339 time, a space, then stdout or stderr";
  const time = runtimeTime(text.slice(0, s1), seconds);
  if (time === undefined) return `invalid CRI time "${text.slice(0, s1)}"`;
  const s2 = s1 + 7;
  const stream = text.slice(s1 + 1, s2);
  if ((stream !== "stdout" && stream !== "stderr") || text.charCodeAt(s2) !== 32) return "not a CRI line: expected stdout or stderr after the time";
  const flag = text.charCodeAt(s2 + 1);
  const after = text.charCodeAt(s2 + 2);
  // The tag ends at a space, at the end of the line, or goes on after ':' (tags are `:`-separated).
  if ((flag !== 70 /* F */ && flag !== 80) /* P */ || !(Number.isNaN(after) || after === 32 || after === 58)) return "not a CRI line: expected the tag F or P after the stream";
  const s3 = text.indexOf(" ", s2 + 2);
  return { content: s3 === -1 ? "" : text.slice(s3 + 1), time, stream, partial: flag === 80 };
}

/** Cheap looks, for `auto`: could this be a Docker json-file line, or a CRI line? */
export function containerFormatOf(text: string): ContainerFormat | undefined {
  const c = text.charCodeAt(0);
  if (c === 123 /* { */) return text.startsWith('{"log":') ? "docker" : undefined;
  if (c < 48 || c > 57 || text.charCodeAt(4) !== 45 /* - */) return undefined;
  const s1 = spaceBetween(text, 19, 40);
  return s1 !== -1 && (text.startsWith(" stdout ", s1) || text.startsWith(" stderr ", s1)) ? "cri" : undefined;
}

/** The fields a decoded line carries: stream, Kubernetes metadata (a copy each), Docker's attrs and other keys. */
function envelopeFields(c: ContainerLine, kubernetes: Kubernetes | undefined): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (c.stream !== undefined) fields.stream = c.stream;
  if (kubernetes) fields.kubernetes = { ...kubernetes };
  if (c.extra) for (const key in c.extra) if (!Object.hasOwn(fields, key)) fields[key] = c.extra[key];
  return fields;
}

/**
 * Decodes container lines: the content as a RawLine with an envelope (time, fields stream,
 * kubernetes, attrs) for the parsers after it; a partial line (CRI `P`, Docker without a newline)
 * that reached it alone (the tail's multiline mode joins them) as a record tagged `_partial`.
 * Holds the Kubernetes metadata of the last file it saw, so a file's name is read once per run of lines.
 */
export class ContainerDecoder {
  #file: string | undefined;
  #kubernetes: Kubernetes | undefined;
  /** This decoder's cache of runtime times (see parseTime). */
  readonly seconds = secondCache();

  constructor(readonly name: string) {}

  kubernetes(file: string | undefined): Kubernetes | undefined {
    if (file !== this.#file) {
      this.#file = file;
      this.#kubernetes = file === undefined ? undefined : kubernetesOf(file);
    }
    return this.#kubernetes;
  }

  /** Decodes a line of the given format, or of the one it looks like when none is given; `now` is the time of a partial line without one. */
  decode(line: RawLine, now: number, format?: ContainerFormat): DecodeResult {
    if (badUtf8(line)) return issue("invalid UTF-8");
    const text = line.text;
    const as = format ?? (text.charCodeAt(0) === 123 ? "docker" : "cri");
    const read = as === "docker" ? readDocker(text, this.seconds) : readCri(text, this.seconds);
    if (typeof read === "string") return issue(format ? read : `not a Docker json-file or CRI line (${read})`);
    return this.decoded(line, read, now);
  }

  /** The decoded line (or partial record) of a container line already read. */
  decoded(line: RawLine, c: ContainerLine, now: number): DecodeResult {
    const fields = envelopeFields(c, this.kubernetes(line.origin?.file));
    if (c.partial) {
      const record = base({ ...line, partial: true }, this.name, c.time ?? now, "INFO", c.content);
      record.fields = fields;
      return ok(record);
    }
    if (c.content.trim().length === 0) return err({ reason: "blank line", skip: true });
    const envelope: Envelope = { fields };
    if (c.time !== undefined) envelope.time = c.time;
    const decoded: RawLine = { kind: "line", text: c.content, envelope };
    if (line.origin) decoded.origin = line.origin;
    if (line.truncated) decoded.truncated = true;
    if (line.fileTime !== undefined) decoded.fileTime = line.fileTime;
    return ok(decoded);
  }
}

/**
 * A decoded line parsed with `parse` (as the pipeline does with the parsers after a decoding one):
 * the content's record with the envelope's fields where it has none of that name, its time the
 * runtime's when the content has none; or, when `parse` cannot read the content, the envelope with
 * the content as message. For parsers that unwrap container lines themselves (json, auto).
 */
export function parseDecoded(decoded: LogRecord | RawLine, env: ParseEnv, parse: (line: RawLine, env: ParseEnv) => ParseResult, name: string): ParseResult {
  if (decoded.kind !== "line") return ok(decoded);
  const e = decoded.envelope ?? {};
  const time = e.time ?? env.now;
  const inner: ParseEnv = { now: time, zone: env.zone };
  if (env.seconds) inner.seconds = env.seconds;
  if (env.fileTime !== undefined) inner.fileTime = env.fileTime;
  const parsed = parse(decoded, inner);
  if (parsed.isErr() && parsed.error.skip) return parsed;
  const record = parsed.isOk() ? parsed.value : base(decoded, name, time, "INFO", decoded.text);
  if (e.fields) {
    const fields = (record.fields ??= {});
    for (const key in e.fields) if (!Object.hasOwn(fields, key)) fields[key] = e.fields[key];
  }
  return ok(record);
}

/**
 * For `auto`: when `line` looks like a Docker or CRI line, its content parsed with `parse`
 * (see parseDecoded); undefined when it does not look like one (a look at two characters, or at
 * 40 for a line that starts like a date), so `auto` goes on as before. Pass one decoder per parser
 * instance: it reads the Kubernetes metadata of a file's name once, not per line.
 *
 * @example
 * const decoder = new ContainerDecoder("auto");
 * const result = decodeContainer(line, env, parseAutoWithoutContainers, decoder);
 * if (result) return result;
 */
export function decodeContainer(line: RawLine, env: ParseEnv, parse: (line: RawLine, env: ParseEnv) => ParseResult, decoder = new ContainerDecoder("auto")): ParseResult | undefined {
  const format = containerFormatOf(line.text);
  if (!format) return undefined;
  const decoded = decoder.decode(line, env.now, format);
  if (decoded.isErr()) return decoded.error.skip ? skip(decoded.error.reason) : undefined;
  return parseDecoded(decoded.value, env, parse, format);
}
