/**
 * Did a collector deliver every line chaos wrote? A small local seq check for the chaos tests,
 * kept behind this one function so it can be replaced by `logsim verify` once that lands.
 */
import { existsSync, readFileSync } from "node:fs";

export interface Delivery {
  /** Seqs of 1..count in no output and not excused, as `from-to` ranges. */
  lost: string[];
  lostCount: number;
  /** Missing seqs that the driver put at risk (its report's atRisk): lost legitimately. */
  excused: number;
  /** Extra copies of delivered seqs. */
  duplicates: number;
  /** Output lines that are not a record of generator `id` with a seq in 1..count. */
  foreign: number;
}

/** Tallies generator `id`'s seqs 1..count over JSONL outputs (records with `generator` and `seq` fields). */
export function checkDelivery(outputs: readonly string[], id: string, count: number, atRisk: ReadonlyArray<{ from: number; to: number }> = []): Delivery {
  const seen = new Uint8Array(count + 1);
  let duplicates = 0;
  let foreign = 0;
  for (const file of outputs) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (line === "") continue;
      let record: { generator?: unknown; seq?: unknown };
      try {
        record = JSON.parse(line) as typeof record;
      } catch {
        foreign++;
        continue;
      }
      const seq = record.seq;
      if (record.generator !== id || typeof seq !== "number" || !Number.isInteger(seq) || seq < 1 || seq > count) foreign++;
      else if (seen[seq]) duplicates++;
      else seen[seq] = 1;
    }
  }
  const excusedSet = new Uint8Array(count + 1);
  for (const r of atRisk) excusedSet.fill(1, Math.max(1, r.from), Math.min(count, r.to) + 1);
  const lost: string[] = [];
  let lostCount = 0;
  let excused = 0;
  for (let s = 1; s <= count; s++) {
    if (seen[s]) continue;
    if (excusedSet[s]) {
      excused++;
      continue;
    }
    lostCount++;
    let e = s;
    while (e + 1 <= count && !seen[e + 1] && !excusedSet[e + 1]) e++;
    lost.push(s === e ? `${s}` : `${s}-${e}`);
    lostCount += e - s;
    s = e;
  }
  return { lost, lostCount, excused, duplicates, foreign };
}
