/** `logsim collect --redact`: the built-in redact transform on a collect run from flags; without the flag, lines are written as read. */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "./_helpers.ts";

const lines = [
  '{"time":"2026-11-29T10:00:00Z","level":"INFO","message":"User logged in","user":"jane.doe@example.com","session_token":"bb27f0ae4a190c172a3e07ad"}',
  "2026-11-29T10:00:01Z INFO charged card 4111 1111 1111 1111 for order 4111111111111112",
  "2026-11-29T10:00:02Z WARN retrying postgres://shop:S3cr3t@db.internal/orders with password=hunter2",
];

test("collect --redact writes no secret; without it the same lines keep theirs", { timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-redact-");
  try {
    writeFileSync(join(dir, "in.log"), `${lines.join("\n")}\n`);
    const redacted = await runCli(["collect", "--once", "-q", "-i", "in.log", "-o", "red.jsonl", "--state-dir", "s1", "--redact"], { cwd: dir });
    assert.equal(redacted.code, 0, redacted.stderr);
    const out = readFileSync(join(dir, "red.jsonl"), "utf8");
    assert.equal(out.trim().split("\n").length, 3);
    for (const secret of ["jane.doe@example.com", "bb27f0ae4a190c172a3e07ad", "4111 1111 1111 1111", "S3cr3t", "hunter2"]) assert.ok(!out.includes(secret), `${secret} was written`);
    assert.ok(out.includes("4111111111111112"), "an order id that fails the Luhn check is kept");
    assert.ok(out.includes("[REDACTED]"));

    const plain = await runCli(["collect", "--once", "-q", "-i", "in.log", "-o", "plain.jsonl", "--state-dir", "s2"], { cwd: dir });
    assert.equal(plain.code, 0, plain.stderr);
    assert.ok(readFileSync(join(dir, "plain.jsonl"), "utf8").includes("hunter2"), "off unless asked for");
  } finally {
    cleanup();
  }
});

test("collect --redact without --input, on a config whose collect pipeline has no redact, says what to do", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-redact-");
  try {
    writeFileSync(join(dir, "logsim.config.json"), JSON.stringify({ pipelines: { collect: { sources: [{ use: "tail", include: ["x.log"] }], sinks: [{ use: "jsonl", path: "o.jsonl" }] } } }));
    const r = await runCli(["collect", "--redact"], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--redact applies to --input.*add redact\(\) to its transforms/);
  } finally {
    cleanup();
  }
});
