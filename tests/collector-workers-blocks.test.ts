/**
 * `collect --workers 2` hands the tail's lines to the workers as bytes (line blocks): whole process,
 * its output must be what one thread writes, byte for byte, on the workload config (json
 * then regex, a filter, tags, JSONL, dead letters) over a mixed corpus with CRLF and non-ASCII
 * lines, lines longer than the 1 MiB limit (cut, across many reads) and an unterminated last line,
 * which neither run emits (`--once` leaves it for the next run) and the next run emits once.
 */
import assert from "node:assert/strict";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "./_helpers.ts";

const CONFIG = "bench/workload/logsim.config.ts";

function corpus(): string {
  const lines: string[] = [];
  for (let i = 0; i < 6000; i++) {
    const level = ["INFO", "WARN", "ERROR", "DEBUG"][i % 4]!;
    const service = ["api", "auth", "payment", "search"][(i >> 2) % 4]!;
    if (i % 997 === 0) lines.push(`2026-11-29T10:00:00.000Z ERROR [payment] ${"ü".repeat(i % 2 === 0 ? 700_000 : 100_000)}`); // 1.4 MiB: cut to 1 MiB; 200 KiB: whole, across reads
    else if (i % 53 === 0) lines.push(`{"level":"${level}","msg":"malformed ${i}`);
    else if (i % 5 === 0) lines.push(`2026-11-29T10:00:00.${String(i % 1000).padStart(3, "0")}Z ${level} [${service}] charge ${i} für ünïcödé €${i % 7 === 0 ? "\r" : ""}`);
    else lines.push(JSON.stringify({ time: `2026-11-29T10:00:00.${String(i % 1000).padStart(3, "0")}Z`, level, service, msg: `${service} login ${i} ✓`, seq: i }));
  }
  return `${lines.join("\n")}\n{"time":"2026-11-29T10:00:01Z","level":"ERROR","service":"auth","msg":"unterminated"}`;
}

async function collect(dir: string, name: string, input: string, workers: number): Promise<{ out: string; dead: string }> {
  const output = join(dir, name, "out.jsonl");
  mkdirSync(join(dir, name, "state"), { recursive: true });
  const env = { WORKLOAD_INPUT: input, WORKLOAD_OUTPUT: output, WORKLOAD_STATE: join(dir, name, "state") };
  const result = await runCli(["collect", "--config", CONFIG, "--quiet", ...(workers > 0 ? ["--workers", String(workers)] : [])], { env, timeoutMs: 200_000 });
  assert.equal(result.code, 0, result.stderr);
  const dead = output.replace(/\.jsonl$/, ".deadletter.jsonl");
  // The dead letters' own timestamps are the time of writing: compared without them.
  const deadLines = existsSync(dead) ? readFileSync(dead, "utf8").replace(/"timestamp":"[^"]*",/g, "") : "";
  return { out: readFileSync(output, "utf8"), dead: deadLines };
}

test("collect --workers 2 writes what one thread writes, byte for byte: long lines cut, CRLF, UTF-8, an unterminated last line left for the next run", { timeout: 400_000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-workers-blocks-");
  try {
    const input = join(dir, "app.log");
    writeFileSync(input, corpus());
    const one = await collect(dir, "one", input, 0);
    const two = await collect(dir, "two", input, 2);
    assert.ok(one.out.split("\n").length > 1000 && one.dead.split("\n").length > 50, "the corpus exercises writes and dead letters");
    assert.ok(one.out.includes('"_truncated"'), "a cut line is written, flagged");
    assert.ok(!one.out.includes("unterminated"), "the unterminated last line waits for its newline");
    assert.equal(two.out, one.out);
    assert.equal(two.dead, one.dead);
    // Its newline comes: each run resumes at its saved position and writes that line, once.
    appendFileSync(input, "\n");
    const oneAgain = await collect(dir, "one", input, 0);
    const twoAgain = await collect(dir, "two", input, 2);
    assert.equal((oneAgain.out.match(/unterminated/g) ?? []).length, 1);
    assert.equal(twoAgain.out, oneAgain.out);
  } finally {
    cleanup();
  }
});
