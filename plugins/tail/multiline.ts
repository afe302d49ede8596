/**
 * Multiline events for the tail source: the physical lines of one logical event (a Python
 * traceback, a JVM stack trace, a Go panic, a Node.js error, a CSV record with a newline in a
 * quoted value, a container line split into partials) leave the source as ONE RawLine, its
 * lines joined with `\n`, its origin offset the first line's.
 *
 * Per file, a LineJoiner runs two stages, each keyed by stream (stdout and stderr of a
 * container log are joined separately, so interleaving never mixes events):
 * 1. cri / docker: partial lines are rebuilt into whole container lines;
 * 2. the rules (multiline-rules.ts), on each line's decoded content, group lines into events.
 * An event leaves when a line begins the next one, when a rule says it is complete, when no
 * line came for `timeout` (the tailer asks only once its file is read to the end: a line
 * already in the file has arrived), or when its file is closed. An event reaching `maxLines` or
 * `maxBytes` is cut there and flagged `truncated`; the rest goes on as a new event, also flagged.
 *
 * Checkpoints: `held` is the first byte of the first line not yet in a released event. Events
 * are released in file order, and only when no line of an unreleased event lies before their
 * last line, so a saved position never falls inside a released event and never passes a held
 * one: a restart reads every held event again from its first line, and replays only whole events.
 */
import { z } from "zod";
import { compileSafeRegex, duration, positiveInt, regexOption } from "../../core/mod.ts";
import { decodeCri, decodeDocker, encodeContainer, type ContainerHead, type ContainerLine } from "./container-lines.ts";
import { custom, LANGUAGE_RULES, type Rule, type Verdict } from "./multiline-rules.ts";

export const MULTILINE_MODES = ["python", "java", "go", "node", "csv", "cri", "docker"] as const;
export type MultilineMode = (typeof MULTILINE_MODES)[number];

const mode = z.enum(MULTILINE_MODES, { error: `expected a multiline mode: ${MULTILINE_MODES.join(", ")}` });
const modes = z.union([mode, z.array(mode).min(1, "expected at least one mode")], { error: `expected a mode (${MULTILINE_MODES.join(", ")}) or a list of modes` });

const MODES_HELP =
  "python (tracebacks, with the log line before them and chained exceptions), java (stack traces: at, Caused by, ... N more, Suppressed), " +
  "go (panics and goroutine dumps), node (Error stacks, [cause] blocks), csv (a quoted value holding newlines), " +
  "cri and docker (container partial lines rebuilt; always applied first, and the other modes then join the lines' content)";

const multilineObject = z
  .strictObject({
    modes: modes.optional().describe(`Built-in modes, combined: a line joins an event if any mode says so. ${MODES_HELP}`),
    start: regexOption().optional().describe("A line matching this always begins a new event (Vector's halt_before); without `continue`, every other line joins the event in progress"),
    continue: regexOption().optional().describe("A line matching this joins the event in progress (Vector's continue_through); any other line begins a new event"),
    end: regexOption().optional().describe("A line matching this is the last of its event (Vector's halt_with), which leaves at once"),
    timeout: duration().prefault("1s").describe("An event whose next line has not come within this long leaves as it is (counted once its file is read to the end, so a backlog is never cut)"),
    maxLines: positiveInt().default(500).describe("An event is cut after this many lines, flagged truncated; the rest goes on as a new event"),
    maxBytes: positiveInt().default(1_048_576).describe("An event is cut before a line that would take it past this many bytes, flagged truncated"),
  })
  .refine((o) => o.modes !== undefined || o.start !== undefined || o.continue !== undefined, { message: "expected `modes`, `start` or `continue`" });

const DEFAULTS = { timeout: 1000, maxLines: 500, maxBytes: 1_048_576 };

/** The tail source's `multiline` option: a mode, a list of modes, or the object form. */
export const multilineOption = () =>
  z
    .union([modes, multilineObject], { error: `expected a multiline mode (${MULTILINE_MODES.join(", ")}), a list of modes, or { modes, start, continue, timeout, maxLines, maxBytes }` })
    .transform((v): MultilineSettings => {
      if (typeof v === "string" || Array.isArray(v)) return { modes: [v].flat(), ...DEFAULTS };
      const { modes: m, ...rest } = v;
      return { modes: m === undefined ? [] : [m].flat(), ...rest };
    })
    .optional()
    .describe(
      'Join the lines of one event (a stack trace, ...) into one line: "python", ["cri", "python"], or { modes, start, continue, end, timeout: "1s", maxLines: 500, maxBytes: 1048576 }. ' +
        "Lines are joined with \\n; cri/docker lines come out as one container line holding the joined content",
    );

export interface MultilineSettings {
  modes: MultilineMode[];
  start?: string;
  continue?: string;
  end?: string;
  timeout: number;
  maxLines: number;
  maxBytes: number;
}

export interface CompiledMultiline {
  cri: boolean;
  docker: boolean;
  rules: Rule[];
  timeoutMs: number;
  maxLines: number;
  maxBytes: number;
}

/** Settings (already validated by the schema) to the rules the joiner runs. */
export function compileMultiline(s: MultilineSettings): CompiledMultiline {
  const regex = (p: string | undefined) => (p === undefined ? undefined : compileSafeRegex(p)._unsafeUnwrap());
  const rules: Rule[] = [];
  for (const m of new Set(s.modes)) if (m !== "cri" && m !== "docker") rules.push(LANGUAGE_RULES[m] as Rule);
  if (s.start !== undefined || s.continue !== undefined) rules.push(custom({ start: regex(s.start), continue: regex(s.continue), end: regex(s.end) }) as Rule);
  return { cri: s.modes.includes("cri"), docker: s.modes.includes("docker"), rules, timeoutMs: s.timeout, maxLines: s.maxLines, maxBytes: s.maxBytes };
}

/** A physical line from the splitter. */
export interface PhysicalLine {
  text: string;
  offset: number;
  end: number;
  truncated: boolean;
  partial: boolean;
}

/** An event: its lines joined. `offset` is its first line's, `end` just past its last line. */
export interface JoinedLine extends PhysicalLine {
  lines: number;
}

export interface JoinStats {
  /** Events made of more than one physical line. */
  joinedEvents: number;
  /** Physical lines in those events. */
  joinedLines: number;
  /** Events cut at maxLines or maxBytes. */
  cutEvents: number;
}

/** Lines (physical, or rebuilt container lines), then events: an event is a run of pieces. */
interface Piece {
  content: string;
  head?: ContainerHead;
  first: number;
  /** Offset of its last physical line. */
  last: number;
  end: number;
  lines: number;
  bytes: number;
  truncated: boolean;
  partial: boolean;
  /** A container line that saw its end (F, or a log ending in \n). */
  complete: boolean;
}

type Size = Pick<Piece, "lines" | "bytes">;

interface Event extends Piece {
  parts: string[];
  states: Array<{ rule: Rule; s: unknown }>;
}

interface Stream {
  /** Container line being rebuilt from partials. */
  partial?: Piece;
  event?: Event;
  /** Lines a rule said "maybe" to: they join if a later line does. */
  tentative: Piece[];
  touched: number;
}

export class LineJoiner {
  readonly #c: CompiledMultiline;
  readonly #stats: JoinStats;
  readonly #streams = new Map<string, Stream>();
  /** Complete events, in file order, not yet released. */
  readonly #outbox: Event[] = [];
  #outboxBytes = 0;

  constructor(config: CompiledMultiline, stats: JoinStats) {
    this.#c = config;
    this.#stats = stats;
  }

  /** Offset of the first line held back (in no released event), or undefined when none is. */
  get held(): number | undefined {
    const first = Math.min(this.#openFrom(), this.#outbox[0]?.first ?? Infinity);
    return first === Infinity ? undefined : first;
  }

  /** Takes the next physical line of the file; appends the events it completes to `out`. */
  push(line: PhysicalLine, now: number, out: JoinedLine[]): void {
    const decoded = this.#decode(line.text);
    const key = decoded ? `${decoded.head.kind}:${decoded.head.stream}` : "";
    let st = this.#streams.get(key);
    if (!st) this.#streams.set(key, (st = { tentative: [], touched: now }));
    st.touched = now;
    // A cut line holds only what the splitter kept of it.
    const bytes = line.truncated ? line.text.length + 1 : line.end - line.offset;
    const piece: Piece = { content: decoded?.content ?? line.text, head: decoded?.head, first: line.offset, last: line.offset, end: line.end, lines: 1, bytes, truncated: line.truncated, partial: line.partial, complete: !decoded?.partial };
    if (decoded) this.#rebuild(st, piece);
    else this.#piece(st, piece);
    this.#release(out);
  }

  /** Lets events whose stream has had no line for `timeout` leave. */
  expire(now: number, out: JoinedLine[]): void {
    for (const st of this.#streams.values()) if (now - st.touched >= this.#c.timeoutMs) this.#end(st);
    this.#release(out);
  }

  /** The file is closed (or batch mode reached its end): everything held leaves. */
  flush(out: JoinedLine[]): void {
    for (const st of this.#streams.values()) this.#end(st);
    this.#release(out);
  }

  #decode(text: string): ContainerLine | undefined {
    if (this.#c.docker && text[0] === "{") {
      const line = decodeDocker(text);
      if (line) return line;
    }
    return this.#c.cri ? decodeCri(text) : undefined;
  }

  /** Container partials of one stream are concatenated up to the line that completes them. */
  #rebuild(st: Stream, piece: Piece): void {
    const p = st.partial;
    if (p && this.#over(p, piece)) {
      p.truncated = true;
      this.#stats.cutEvents++;
      st.partial = undefined;
      this.#piece(st, p);
      piece.truncated = true;
    } else if (p) {
      p.content += piece.content;
      Object.assign(p, { last: piece.last, end: piece.end, lines: p.lines + 1, bytes: p.bytes + piece.bytes, truncated: p.truncated || piece.truncated, partial: piece.partial, complete: piece.complete });
      piece = p;
    }
    st.partial = piece.complete ? undefined : piece;
    if (piece.complete) this.#piece(st, piece);
  }

  #over = (e: Size, p: Size): boolean => e.lines + p.lines > this.#c.maxLines || e.bytes + p.bytes > this.#c.maxBytes;

  /** A whole line for the rules: joins the event in progress, waits, or begins the next event. */
  #piece(st: Stream, piece: Piece): void {
    const ev = st.event;
    if (this.#c.rules.length === 0) return this.#complete(this.#event(piece, []));
    if (!ev) return this.#begin(st, piece);
    const verdict = this.#judge(ev, piece.content);
    if (verdict === "maybe" && !this.#over(ev, st.tentative.reduce<Size>((sum, t) => ({ lines: sum.lines + t.lines, bytes: sum.bytes + t.bytes }), piece))) {
      st.tentative.push(piece);
      return;
    }
    if (verdict === "join") {
      for (const t of st.tentative.splice(0)) this.#append(st, t);
      this.#append(st, piece);
      if (this.#done(st.event!)) this.#end(st);
      return;
    }
    this.#end(st);
    this.#begin(st, piece);
  }

  #judge(ev: Event, line: string): Verdict {
    const alive: Event["states"] = [];
    let verdict: Verdict = "no";
    for (const state of ev.states) {
      const v = state.rule.next(state.s, line);
      if (v === "no") continue;
      alive.push(state);
      if (v === "join" || verdict === "no") verdict = v;
    }
    if (verdict !== "no") ev.states = alive;
    return verdict;
  }

  #done = (ev: Event): boolean => ev.states.every((x) => x.rule.done?.(x.s) ?? false);

  // Spelled out, not spread: V8 clones a spread object ~20x slower than it builds a literal of fixed shape.
  #event = (p: Piece, states: Event["states"]): Event => ({
    content: p.content, head: p.head, first: p.first, last: p.last, end: p.end, lines: p.lines, bytes: p.bytes,
    truncated: p.truncated, partial: p.partial, complete: p.complete, parts: [p.content], states,
  });

  #begin(st: Stream, piece: Piece): void {
    st.event = this.#event(piece, this.#c.rules.map((rule) => ({ rule, s: rule.start(piece.content) })));
    if (this.#done(st.event)) this.#end(st);
  }

  /** Adds a piece to the stream's event; at a limit, the event is cut and the piece goes on as its continuation. */
  #append(st: Stream, piece: Piece): void {
    const ev = st.event!;
    if (this.#over(ev, piece)) {
      ev.truncated = true;
      this.#stats.cutEvents++;
      this.#complete(ev);
      st.event = this.#event(piece, ev.states);
      st.event.truncated = true;
      return;
    }
    ev.parts.push(piece.content);
    Object.assign(ev, { last: piece.last, end: piece.end, lines: ev.lines + piece.lines, bytes: ev.bytes + piece.bytes, truncated: ev.truncated || piece.truncated, partial: piece.partial, complete: piece.complete });
  }

  /** Ends what the stream holds: a rebuilt container line as it is, the event, and each waiting line on its own. */
  #end(st: Stream): void {
    if (st.partial) {
      const p = st.partial;
      st.partial = undefined;
      this.#piece(st, p);
    }
    if (st.event) this.#complete(st.event);
    st.event = undefined;
    for (const t of st.tentative.splice(0)) this.#complete(this.#event(t, []));
  }

  #complete(ev: Event): void {
    let i = this.#outbox.length;
    while (i > 0 && this.#outbox[i - 1]!.first > ev.first) i--;
    this.#outbox.splice(i, 0, ev);
    this.#outboxBytes += ev.bytes;
  }

  /** First offset of a line in an event still open. */
  #openFrom(): number {
    let from = Infinity;
    for (const st of this.#streams.values()) from = Math.min(from, st.partial?.first ?? Infinity, st.event?.first ?? Infinity, st.tentative[0]?.first ?? Infinity);
    return from;
  }

  /**
   * Releases, in file order, the complete events no open or unreleased event interleaves with.
   * Complete events waiting behind another stream's open event are bounded like one event: past
   * maxLines events or maxBytes, the open event that holds them back leaves as it is (a stream
   * that stopped mid-line while the other floods the file, so the file never reaches its end).
   */
  #release(out: JoinedLine[]): void {
    this.#releaseInOrder(out);
    for (let guard = this.#streams.size; guard > 0 && (this.#outbox.length > this.#c.maxLines || this.#outboxBytes > this.#c.maxBytes); guard--) {
      const open = this.#openFrom();
      for (const st of this.#streams.values()) if (Math.min(st.partial?.first ?? Infinity, st.event?.first ?? Infinity, st.tentative[0]?.first ?? Infinity) === open) this.#end(st);
      this.#releaseInOrder(out);
    }
  }

  #releaseInOrder(out: JoinedLine[]): void {
    if (this.#outbox.length === 0) return;
    const open = this.#openFrom();
    let last = -1;
    let n = 0;
    for (let i = 0; i < this.#outbox.length; i++) {
      const ev = this.#outbox[i]!;
      if (ev.first >= open) break;
      last = Math.max(last, ev.last);
      if (last < Math.min(this.#outbox[i + 1]?.first ?? Infinity, open)) n = i + 1;
    }
    for (const ev of this.#outbox.splice(0, n)) {
      this.#outboxBytes -= ev.bytes;
      out.push(this.#joined(ev));
    }
  }

  #joined(ev: Event): JoinedLine {
    const body = ev.parts.join("\n");
    if (ev.lines > 1) {
      this.#stats.joinedEvents++;
      this.#stats.joinedLines += ev.lines;
    }
    return { text: ev.head ? encodeContainer(ev.head, body, ev.complete) : body, offset: ev.first, end: ev.end, lines: ev.lines, truncated: ev.truncated, partial: ev.partial };
  }
}
