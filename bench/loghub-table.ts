/**
 * Prints the README's loghub table: each of loghub's 2k samples read through `auto` and the column
 * layouts (see tests/_loghub.ts), with the share of lines read with their own time and the share of
 * levels right.
 *
 *   bun bench/loghub-table.ts    (also: node --import tsx bench/loghub-table.ts, deno run -A bench/loghub-table.ts)
 */
import { formatTable, haveSamples, LOGHUB, measure, SAMPLES } from "../tests/_loghub.ts";

if (!haveSamples()) {
  console.error(`No loghub samples at ${LOGHUB}`);
} else {
  const rows = SAMPLES.map((s) => measure(s));
  console.log(formatTable(rows));
  for (const r of rows) {
    for (const [reason, n] of r.failed) console.log(`${r.name}: ${n} unparsed (${reason})`);
    if (r.firstWrongLevel) console.log(`${r.name}: first wrong level: ${r.firstWrongLevel}`);
  }
}
