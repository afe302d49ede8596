/**
 * The rules that decide which lines make one event (see multiline.ts for how they are driven).
 *
 * A rule sees an event's lines one at a time: `start(line)` makes the state of an event that
 * begins with `line`; `next(state, line)` says whether `line` continues it:
 * - "join": it does;
 * - "maybe": only if a later line joins (a blank line inside a Go goroutine dump or between two
 *   chained Python tracebacks): the line waits, and becomes an event of its own if the next line
 *   does not join;
 * - "no": it begins the next event.
 * `done(state)` says that no line can join any more (a CSV record whose quotes are closed), so
 * the event leaves at once instead of waiting for the next line or the timeout.
 *
 * The built-in patterns are fixed and cannot backtrack badly; they look at most at the first
 * `HEAD` characters of a line, so a 1 MiB line costs no more than a short one. User patterns go
 * through the safe regex helper.
 */
import type { SafeRegex } from "../../core/mod.ts";

export type Verdict = "join" | "maybe" | "no";

export interface Rule<S = unknown> {
  readonly name: string;
  start(line: string): S;
  next(state: S, line: string): Verdict;
  done?(state: S): boolean;
}

const HEAD = 2048;
const head = (line: string) => (line.length > HEAD ? line.slice(0, HEAD) : line);
const blank = (line: string) => line.trim() === "";
/** Starts with a space or tab and has something after it. */
const indented = (line: string) => (line[0] === " " || line[0] === "\t") && !blank(line);

interface Phase<P extends string> {
  phase: P;
}

// Python: `logger.exception` writes its message line, then the traceback; chained exceptions
// repeat the traceback after a blank line, a "During handling..." or "The above exception..."
// line and another blank line. Python 3.11 exception groups are indented under "  + Exception Group".
const PY_TRACEBACK = /^Traceback \(most recent call last\):\s*$/;
const PY_GROUP = /^\s*\+ Exception Group Traceback \(most recent call last\):\s*$/;
const PY_CHAIN = /^(?:During handling of the above exception, another exception occurred:|The above exception was the direct cause of the following exception:)\s*$/;
type PyPhase = "blank" | "msg" | "tb" | "group" | "exc" | "gap" | "chain";

export const python: Rule<Phase<PyPhase>> = {
  name: "python",
  start(line) {
    const l = head(line);
    return { phase: PY_TRACEBACK.test(l) ? "tb" : PY_GROUP.test(l) ? "group" : blank(l) ? "blank" : "msg" };
  },
  next(s, line) {
    const l = head(line);
    const to = (phase: PyPhase, verdict: Verdict = "join"): Verdict => ((s.phase = phase), verdict);
    switch (s.phase) {
      case "msg":
        return PY_TRACEBACK.test(l) ? to("tb") : PY_GROUP.test(l) ? to("group") : "no";
      case "tb": // Frames and source lines are indented; the first line that is not is the exception.
        return indented(l) ? "join" : blank(l) ? "no" : to("exc");
      case "group":
        return indented(l) ? "join" : blank(l) ? to("gap", "maybe") : "no";
      case "exc":
        return blank(l) ? to("gap", "maybe") : "no";
      case "gap":
        return PY_CHAIN.test(l) ? to("chain") : "no";
      case "chain":
        return blank(l) ? "join" : PY_TRACEBACK.test(l) ? to("tb") : PY_GROUP.test(l) ? to("group") : "no";
      default:
        return "no";
    }
  },
};

// JVM: logback and log4j write the message line, then `java.lang.X: msg`, then `\tat` frames,
// `\t... N more`, `Caused by: ...` and `\tSuppressed: ...` blocks.
const JAVA_FRAME = /^\s+(?:at |\.\.\. \d+ (?:more|common frames omitted))|^\s*(?:Caused by|Suppressed|Wrapped by): |^\s*nested exception is:/;
const JAVA_HEADER = /^(?:[A-Za-z_$][\w$]*\.)+[\w$]*(?:Exception|Error|Throwable)(?::|\s*$)/;
const JAVA_THREAD = /^Exception in thread "/;
type JavaPhase = "blank" | "msg" | "head" | "stack";

export const java: Rule<Phase<JavaPhase>> = {
  name: "java",
  start(line) {
    const l = head(line);
    return { phase: blank(l) ? "blank" : JAVA_THREAD.test(l) || JAVA_HEADER.test(l) ? "head" : "msg" };
  },
  next(s, line) {
    const l = head(line);
    if (s.phase === "blank") return "no";
    if (JAVA_FRAME.test(l)) return (s.phase = "stack"), "join";
    // The exception's first line right after its log message: only a single message line takes it.
    if (s.phase === "msg" && JAVA_HEADER.test(l)) return (s.phase = "head"), "join";
    return "no";
  },
};

// Go: `panic: msg` (or `fatal error: msg`), maybe `[signal ...]`, a blank line, then goroutine
// blocks of `function(args)` and `\tfile:line +0x..` lines separated by blank lines.
const GO_PANIC = /^(?:panic: |fatal error: )/;
const GO_GOROUTINE = /^goroutine \d+ \[[^\]]*\]:\s*$/;
const GO_LINE = /^(?:\[signal |runtime stack:|created by |\.\.\.additional frames elided\.\.\.|exit status \d+$)|^[^\s(]+\(.*\)\s*$/;
type GoPhase = "blank" | "msg" | "panic" | "dump";

export const go: Rule<Phase<GoPhase>> = {
  name: "go",
  start(line) {
    const l = head(line);
    return { phase: GO_PANIC.test(l) ? "panic" : GO_GOROUTINE.test(l) ? "dump" : blank(l) ? "blank" : "msg" };
  },
  next(s, line) {
    if (s.phase === "blank" || s.phase === "msg") return "no";
    const l = head(line);
    if (blank(l)) return "maybe";
    if (GO_GOROUTINE.test(l)) return (s.phase = "dump"), "join";
    if (indented(l) || GO_LINE.test(l)) return "join";
    return "no";
  },
};

// Node.js: `Error: msg` (or any first line) then `    at ...` frames; util.inspect adds
// `    ... N lines matching cause stack trace ...`, indented `[cause]: ...` blocks and a closing `}`.
const NODE_FRAME = /^\s+(?:at |\.\.\. \d+ lines? matching cause stack trace \.\.\.)/;
const NODE_CLOSE = /^[}\]],?\s*$/;
type NodePhase = "blank" | "msg" | "stack" | "closed";

export const node: Rule<Phase<NodePhase>> = {
  name: "node",
  start: (line) => ({ phase: blank(line) ? "blank" : "msg" }),
  next(s, line) {
    const l = head(line);
    if (s.phase === "blank" || s.phase === "closed") return "no";
    if (NODE_FRAME.test(l)) return (s.phase = "stack"), "join";
    if (s.phase !== "stack") return "no";
    if (indented(l)) return "join";
    if (NODE_CLOSE.test(l)) return (s.phase = "closed"), "join";
    return "no";
  },
};

/** Whether a line leaves a CSV quoted value open: an odd number of `"` (an escaped `""` counts twice). */
function oddQuotes(line: string): boolean {
  let odd = false;
  for (let i = line.indexOf('"'); i !== -1; i = line.indexOf('"', i + 1)) odd = !odd;
  return odd;
}

export const csv: Rule<{ open: boolean }> = {
  name: "csv",
  start: (line) => ({ open: oddQuotes(line) }),
  next(s, line) {
    if (!s.open) return "no";
    if (oddQuotes(line)) s.open = false;
    return "join";
  },
  done: (s) => !s.open,
};

export interface CustomPatterns {
  start?: SafeRegex;
  continue?: SafeRegex;
  end?: SafeRegex;
}

/**
 * `start`: a matching line always begins an event. `continue`: a matching line joins the event
 * in progress, any other line begins one. With `start` alone, every line that does not match it
 * joins. `end`: a matching line is its event's last.
 */
export function custom(p: CustomPatterns): Rule<{ ended: boolean }> {
  const ended = (line: string) => p.end?.test(line) ?? false;
  return {
    name: "custom",
    start: (line) => ({ ended: ended(line) }),
    next(s, line) {
      if (s.ended || p.start?.test(line)) return "no";
      if (p.continue && !p.continue.test(line)) return "no";
      s.ended = ended(line);
      return "join";
    },
    done: (s) => s.ended,
  };
}

export const LANGUAGE_RULES = { python, java, go, node, csv } as const;
