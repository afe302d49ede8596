/**
 * Bad input under the glob, each kind in its own file between good lines: invalid UTF-8, a NUL
 * byte, CRLF line ends, one huge line (50 MB long, a few MB in CI), binary garbage, deeply nested
 * JSON, and a gzip-compressed file the glob matches. `collect --once --parser json --deadletter`
 * must exit 0 with every problem counted in its summary and kept with its reason in the dead-letter
 * file; verify (with --deadletter) must find every seq delivered or dead-lettered, but the seqs of
 * the compressed file, which are read as the bytes they are (excused: "compressed").
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { tempDir } from "./_helpers.ts";
import { WRITER_ID } from "./_collector.ts";
import { describeDelivery, verifyDelivery, type Delivery } from "./_delivery.ts";
import { collectorRuntime, startCliOn } from "./_scenario-runtime.ts";

export type BadKind = "invalid-utf8" | "nul" | "crlf" | "huge-line" | "garbage" | "deep-json" | "gzip";

const GOOD_AROUND = 50;

/** Writes one file of `kind` with good lines around the bad ones; returns the next seq and the seqs excused. */
function writeKind(dir: string, kind: BadKind, first: number, hugeBytes: number): { next: number; excused: Array<{ from: number; to: number; reason: string }> } {
  let seq = first;
  const good = (n: number) => Buffer.from(`{"generator":"${WRITER_ID}","seq":${n},"msg":"line ${n}"}\n`);
  const head = (n: number) => Buffer.from(`{"generator":"${WRITER_ID}","seq":${n},"msg":"`);
  const parts: Buffer[] = [];
  for (let i = 0; i < GOOD_AROUND; i++) parts.push(good(seq++));
  const bad = (): Buffer[] => {
    const n = seq++;
    switch (kind) {
      case "invalid-utf8":
        return [head(n), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(` ${n}"}\n`)];
      case "nul":
        return [head(n), Buffer.from([0x00]), Buffer.from(` ${n}"}\n`)];
      case "crlf":
        return [Buffer.from(`{"generator":"${WRITER_ID}","seq":${n},"msg":"line ${n}"}\r\n`)];
      case "huge-line":
        return [head(n), Buffer.alloc(hugeBytes, 0x78), Buffer.from(`"}\n`)];
      case "garbage": {
        seq--; // Garbage holds no seq: nothing is expected of it but to be counted.
        const bytes = Buffer.alloc(4096);
        for (let i = 0, x = 7; i < bytes.length; i++) bytes[i] = ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff || 1;
        return [Buffer.from(bytes.map((b) => (b === 0x0a ? 0x20 : b))), Buffer.from("\n")];
      }
      case "deep-json":
        return [Buffer.from(`{"generator":"${WRITER_ID}","seq":${n},"deep":${"[".repeat(100_000)}${"]".repeat(100_000)}}\n`)];
      case "gzip":
        seq--;
        return [];
    }
  };
  parts.push(...bad());
  for (let i = 0; i < GOOD_AROUND; i++) parts.push(good(seq++));
  if (kind === "gzip") {
    writeFileSync(join(dir, `${kind}.log.gz`), gzipSync(Buffer.concat(parts)));
    return { next: seq, excused: [{ from: first, to: seq - 1, reason: "compressed" }] };
  }
  // A kind given twice gets a second file, not the first one overwritten.
  const name = existsSync(join(dir, `${kind}.log`)) ? `${kind}-${first}.log` : `${kind}.log`;
  writeFileSync(join(dir, name), Buffer.concat(parts));
  return { next: seq, excused: [] };
}

export interface BadInputRun {
  delivery: Delivery;
  code: number | null;
  stderr: string;
  count: number;
}

/** Collects files of `kinds` in one run; returns what verify found and the collector's summary. */
export async function badInputScenario(kinds: readonly BadKind[], hugeBytes: number): Promise<BadInputRun> {
  const { dir, cleanup } = tempDir("logsim-bad-input-");
  try {
    mkdirSync(join(dir, "logs"));
    let seq = 1;
    const excused: Array<{ from: number; to: number; reason: string }> = [];
    for (const kind of kinds) {
      const w = writeKind(join(dir, "logs"), kind, seq, hugeBytes);
      seq = w.next;
      excused.push(...w.excused);
    }
    const out = join(dir, "out.jsonl");
    const dead = join(dir, "dead.jsonl");
    const r = await startCliOn(collectorRuntime(), ["collect", "--input", join(dir, "logs/*.log*"), "--once", "--parser", "json", "--output", out, "--deadletter", dead, "--state-dir", join(dir, "state")], { cwd: dir, timeoutMs: 600_000 }).done;
    const delivery = await verifyDelivery([out], { id: WRITER_ID, count: seq - 1, atRisk: excused, deadletter: [dead] });
    return { delivery, code: r.code, stderr: r.stderr, count: seq - 1 };
  } finally {
    cleanup();
  }
}

/** Exit 0, no stack, nothing lost (dead-lettered and excused seqs accounted for), nothing twice. */
export function assertBadInput(run: BadInputRun): void {
  assert.equal(run.code, 0, run.stderr.slice(-3000));
  assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
  assert.deepEqual(run.delivery.lost, [], `${describeDelivery(run.delivery)}\n${run.stderr.slice(-3000)}`);
  assert.equal(run.delivery.duplicates, 0, describeDelivery(run.delivery));
}
