/**
 * Malformed-line faults, for testing collectors. A source (the generator)
 * marks a record with a fault; a file sink formats the record as usual and
 * then spoils the line as marked. Byte-level faults come back as bytes,
 * since a JS string cannot hold invalid UTF-8 or leave out the newline the
 * writer adds.
 */
import type { LogRecord } from "./types.ts";

/**
 * How a line is spoiled: cut short, holding invalid UTF-8, or missing its newline.
 *
 * @example
 * markFault(record, { kind: "bad-utf8" satisfies LineFault, at: 0.5 });
 */
export type LineFault = "truncated" | "bad-utf8" | "no-newline";

/** Where a record carries its fault: a symbol, so it never shows up in JSON or fields. */
export const LINE_FAULT: unique symbol = Symbol.for("logsim.lineFault") as never;

/**
 * The fault a record carries, and where in its line.
 *
 * @example
 * const mark: FaultMark = { kind: "truncated", at: 0.25 };
 */
export interface FaultMark {
  kind: LineFault;
  /** Where in the line to cut or spoil, as a fraction of its length in [0, 1). */
  at: number;
}

type Marked = LogRecord & { [LINE_FAULT]?: FaultMark };

/**
 * Marks a record (in a source) so that file sinks that honour faults write its line spoiled.
 *
 * @example
 * if (random() < 0.01) markFault(record, { kind: "truncated", at: random() });
 */
export function markFault(record: LogRecord, mark: FaultMark): void {
  (record as Marked)[LINE_FAULT] = mark;
}

/** The fault a record was marked with, if any. */
export function faultOf(record: LogRecord): FaultMark | undefined {
  return (record as Marked)[LINE_FAULT];
}

const encoder = new TextEncoder();
const NEWLINE = 0x0a;
/** 0xC3 starts a two-byte sequence; 0x28 "(" is not a continuation byte, so the pair is invalid UTF-8. */
const INVALID = [0xc3, 0x28, 0xff];

/**
 * A line as a string (the writer adds the newline) or as exact bytes (newline included when wanted):
 * what FileWriter.append takes.
 *
 * @example
 * const lines: FormattedLine[] = records.map(withFaults(format.format));
 */
export type FormattedLine = string | Uint8Array;

/** The line spoiled as marked. */
export function spoilLine(line: string, mark: FaultMark): FormattedLine {
  switch (mark.kind) {
    case "truncated":
      // Cut at least one character before the end, so the line is always incomplete.
      return line.length < 2 ? "" : line.slice(0, 1 + Math.floor(mark.at * (line.length - 2)));
    case "bad-utf8": {
      const bytes = encoder.encode(line);
      const at = Math.floor(mark.at * bytes.length);
      const out = new Uint8Array(bytes.length + INVALID.length + 1);
      out.set(bytes.subarray(0, at));
      out.set(INVALID, at);
      out.set(bytes.subarray(at), at + INVALID.length);
      out[out.length - 1] = NEWLINE;
      return out;
    }
    case "no-newline":
      return encoder.encode(line);
  }
}

/**
 * Wraps a record formatter so that marked records come out spoiled: how a file sink honours the generator's faults.
 *
 * @example
 * const line = withFaults(createLineFormat(options.format).format);
 * writer.append(records.map(line));
 */
export function withFaults(format: (record: LogRecord) => string): (record: LogRecord) => FormattedLine {
  return (record) => {
    const mark = (record as Marked)[LINE_FAULT];
    return mark === undefined ? format(record) : spoilLine(format(record), mark);
  };
}
