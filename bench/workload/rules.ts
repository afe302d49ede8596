/**
 * The collect workload of the performance issue (#14), as data every tool in bench/peers is
 * configured from: parsers `json` then `regex` (named groups) for the plain lines, a filter on the
 * raw line, and three tags each from a service equality or a message regex; JSONL out.
 */

/** The plain-text lines: `2026-11-29T10:00:00.123Z WARN [payment] charge retry user=u-1 attempt=2`. */
export const PLAIN_PATTERN = "^(?<timestamp>\\S+) (?<level>[A-Z]+) \\[(?<service>[^\\]]+)\\] (?<message>.*)$";

/** Kept when this matches the raw line (a JSON level, a plain level, or a word). */
export const FILTER = 'level":"(ERROR|WARN)"| (ERROR|WARN) \\[|payment|auth';

/** FILTER without its groups: the same lines match (the alternatives spelled out). */
export const FLAT_FILTER = 'level":"ERROR"|level":"WARN"| ERROR \\[| WARN \\[|payment|auth';

/** A tag is added when the record's service equals `service` or its message matches `message`. */
export interface TagRule {
  tag: string;
  service: string;
  message: string;
}

export const TAGS: readonly TagRule[] = [
  { tag: "auth", service: "auth", message: "login|logout|session" },
  { tag: "payment", service: "payment", message: "charge|refund" },
  { tag: "api", service: "api", message: "GET |POST |/api/" },
];

/** What every tool must report on the same corpus. */
export interface Counts {
  /** Lines in the input. */
  lines: number;
  /** Records written (parsed and kept by the filter). */
  written: number;
  /** Lines no parser understood (dead-lettered). */
  unparsed: number;
  /** Records written with each tag. */
  tags: Record<string, number>;
}
