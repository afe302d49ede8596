/**
 * `collect --workers 2` on real programs' logs (loghub's samples, ../shared/conformance): the
 * lines go to the threads as bytes and come back as records; the output must be what one thread
 * writes, byte for byte, dead letters included. Three samples, each with the parser made for it
 * (`auto` keeps per-file state, so it stays on one thread): a syslog (Linux), Hadoop's HDFS, and
 * Android's logcat. Skipped where the shared data is absent.
 */
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "./_helpers.ts";
import { haveSamples, LOGHUB } from "./_loghub.ts";

const CASES = [
  { sample: "Linux", parser: "syslog" },
  { sample: "HDFS", parser: "hdfs" },
  { sample: "Android", parser: "logcat" },
];

async function collect(dir: string, name: string, input: string, parser: string, workers: number): Promise<{ out: string; dead: string; stderr: string }> {
  const out = join(dir, name, "out.jsonl");
  mkdirSync(join(dir, name), { recursive: true });
  const dead = join(dir, name, "dead.jsonl");
  const result = await runCli(
    ["collect", "-i", input, "-o", out, "--once", "--parser", parser, "--deadletter", dead, "--state-dir", join(dir, name, "state"), ...(workers > 0 ? ["--workers", String(workers)] : [])],
    { cwd: dir, timeoutMs: 120_000 },
  );
  assert.equal(result.code, 0, result.stderr);
  // A dead letter's own timestamp is the time it was written: compared without it.
  const deadText = existsSync(dead) ? readFileSync(dead, "utf8").replace(/"timestamp":"[^"]*",/g, "") : "";
  return { out: readFileSync(out, "utf8"), dead: deadText, stderr: result.stderr };
}

test("collect --workers 2 writes what one thread writes on real logs (loghub: syslog, HDFS, logcat)", { timeout: 300_000, skip: !haveSamples() && "../shared/conformance/loghub is absent" }, async () => {
  const { dir, cleanup } = tempDir("logsim-workers-loghub-");
  try {
    for (const { sample, parser } of CASES) {
      const input = join(dir, `${sample}.log`);
      copyFileSync(join(LOGHUB, `${sample}_2k.log`), input);
      const one = await collect(dir, `${sample}-one`, input, parser, 0);
      const two = await collect(dir, `${sample}-two`, input, parser, 2);
      assert.doesNotMatch(two.stderr, /not used/, `${sample}: the ${parser} parser runs in the threads`);
      assert.ok(one.out.split("\n").length > 1500, `${sample}: most of the 2,000 lines are read by ${parser}`);
      assert.equal(two.out, one.out, `${sample}: the records`);
      assert.equal(two.dead, one.dead, `${sample}: the dead letters`);
    }
  } finally {
    cleanup();
  }
});
