/**
 * The counts a tool produced, read from its output (one JSON record per line, with a `tags` array)
 * and its dead-letter file (one entry per line, whatever its shape), so every tool is judged by
 * what it wrote, not by what it says.
 */
import { readFileSync } from "node:fs";
import type { Counts } from "../workload/rules.ts";

/** Lines in a file (0 when it does not exist). */
export function countLines(path: string): number {
  let data: Uint8Array;
  try {
    data = readFileSync(path);
  } catch {
    return 0;
  }
  let n = 0;
  for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) n++;
  return n;
}

/** The counts of a run: `lines` is the input's (tools do not all report it). */
export function countsOf(lines: number, output: string, deadletter: string, tagNames: readonly string[]): Counts {
  const tags: Record<string, number> = Object.fromEntries(tagNames.map((t) => [t, 0]));
  let written = 0;
  let text = "";
  try {
    text = readFileSync(output, "utf8");
  } catch {
    // No output: nothing written.
  }
  for (let start = 0, nl = text.indexOf("\n"); nl !== -1; start = nl + 1, nl = text.indexOf("\n", start)) {
    written++;
    const record = JSON.parse(text.slice(start, nl)) as { tags?: unknown };
    if (Array.isArray(record.tags)) for (const t of record.tags) if (typeof t === "string") tags[t] = (tags[t] ?? 0) + 1;
  }
  return { lines, written, unparsed: countLines(deadletter), tags };
}

/** "" when the counts are the same, else what differs ("written 430760 vs 430761; tag api 1 vs 2"). */
export function diffCounts(got: Counts, want: Counts): string {
  const diffs: string[] = [];
  if (got.written !== want.written) diffs.push(`written ${got.written} (want ${want.written})`);
  if (got.unparsed !== want.unparsed) diffs.push(`unparsed ${got.unparsed} (want ${want.unparsed})`);
  for (const tag of new Set([...Object.keys(want.tags), ...Object.keys(got.tags)])) {
    if ((got.tags[tag] ?? 0) !== (want.tags[tag] ?? 0)) diffs.push(`tag ${tag} ${got.tags[tag] ?? 0} (want ${want.tags[tag] ?? 0})`);
  }
  return diffs.join("; ");
}
