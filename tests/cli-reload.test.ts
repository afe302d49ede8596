/**
 * `logsim run --watch` and SIGHUP, end to end under the runtime running the test: a TS config
 * (imported afresh at each reload) is changed, broken and fixed while a writer appends to the
 * file a tail source follows; every line reaches the output exactly once.
 */
import assert from "node:assert/strict";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { signal, startCli, tempDir, waitFor } from "./_helpers.ts";

/** A config in TypeScript with plain `{ use }` plugins, so it imports nothing. */
function writeConfig(dir: string, rules: Array<{ tag: string; match: string }>): void {
  const config = {
    pipelines: {
      collect: {
        sources: [{ use: "tail", include: "app.log", fromBeginning: true, stateDir: "state", pollInterval: "200ms" }],
        transforms: [{ use: "tag", rules }],
        sinks: [{ use: "jsonl", path: "out.jsonl" }],
      },
      beat: { sources: [{ use: "heartbeat", interval: "100ms" }], sinks: [{ use: "jsonl", path: "beat.jsonl" }] },
    },
  };
  writeFileSync(join(dir, "logsim.config.ts"), `const config: Record<string, unknown> = ${JSON.stringify(config, null, 2)};\nexport default config;\n`);
}

const outLines = (dir: string): Array<{ message: string; tags: string[] }> => {
  try {
    return readFileSync(join(dir, "out.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
};

function writer(dir: string): { stop: () => Promise<number> } {
  let written = 0;
  let stopped = false;
  const done = (async () => {
    // A live writer paced at ~200 lines/s (the pause is its rate, not a wait for a condition). Its folder
    // gone (a failed test cleaned up) ends it rather than throwing into the next test.
    while (!stopped && written < 100_000 && existsSync(dir)) {
      appendFileSync(join(dir, "app.log"), `seq ${written++}\nseq ${written++}\n`);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return { stop: async () => ((stopped = true), await done, written) };
}

function assertEverySeqOnce(dir: string, total: number): void {
  const counts = new Map<number, number>();
  for (const r of outLines(dir)) counts.set(Number(/^seq (\d+)$/.exec(r.message)![1]), (counts.get(Number(/^seq (\d+)$/.exec(r.message)![1])) ?? 0) + 1);
  const missing = Array.from({ length: total }, (_, i) => i).filter((i) => !counts.has(i));
  const twice = [...counts].filter(([, n]) => n > 1).map(([seq]) => seq);
  assert.deepEqual({ missing: missing.slice(0, 20), twice: twice.slice(0, 20) }, { missing: [], twice: [] }, "every seq exactly once");
}

test("run --watch reloads a changed config, reports a broken one and keeps running, and loses or repeats no line", { timeout: 120_000 }, async (t) => {
  const { dir, cleanup } = tempDir("logsim-watch-");
  writeConfig(dir, [{ tag: "v1", match: "seq" }]);
  writeFileSync(join(dir, "app.log"), "");
  const { child, done } = startCli(["run", "--watch"], { cwd: dir, timeoutMs: 110_000 });
  t.after(() => (child.exitCode === null && child.kill("SIGKILL"), cleanup()));
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  await waitFor(() => stderr.includes("watching it for changes"), 60_000, "the app to start");
  const lines = writer(dir);
  await waitFor(() => outLines(dir).length > 0, 30_000, "the first lines");

  writeConfig(dir, [{ tag: "v2", match: "seq" }]);
  await waitFor(() => stderr.includes("reloaded logsim.config.ts:"), 30_000, "the reload line");
  assert.match(stderr, /reloaded logsim\.config\.ts: restarted pipeline collect \(transforms changed\); beat unchanged\n/);
  await waitFor(() => outLines(dir).at(-1)?.tags.includes("v2") === true, 30_000, "lines tagged by the new config");

  writeConfig(dir, []); // Invalid: tag needs rules.
  // The header and each problem are separate writes: wait for the whole report.
  const report = /not reloaded: logsim\.config\.ts has problems; still running the previous config:\n {2}pipelines\.collect\.transforms\[0\] tag: give rules, or builtin: true\n/;
  await waitFor(() => report.test(stderr), 30_000, "the invalid config to be reported with its problem");
  const count = outLines(dir).length;
  await waitFor(() => outLines(dir).length > count, 30_000, "lines still flowing with the previous config");

  writeConfig(dir, [{ tag: "v3", match: "seq" }]);
  await waitFor(() => outLines(dir).at(-1)?.tags.includes("v3") === true, 30_000, "the fixed config to be applied");
  const total = await lines.stop();
  await waitFor(() => outLines(dir).length >= total, 30_000, `all ${total} lines written`);
  signal(child, "SIGTERM");
  const r = await done;
  assert.equal(r.code, 0, stderr);
  assertEverySeqOnce(dir, total);
  assert.equal(stderr.match(/reloaded logsim\.config\.ts: restarted pipeline collect/g)?.length, 2, stderr);
});

test("SIGHUP reloads the config (no --watch); an unchanged config restarts nothing", { timeout: 120_000, skip: process.platform === "win32" }, async (t) => {
  const { dir, cleanup } = tempDir("logsim-hup-");
  writeConfig(dir, [{ tag: "v1", match: "seq" }]);
  writeFileSync(join(dir, "app.log"), "");
  const { child, done } = startCli(["run"], { cwd: dir, timeoutMs: 110_000 });
  t.after(() => (child.exitCode === null && child.kill("SIGKILL"), cleanup()));
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  await waitFor(() => stderr.includes("Ctrl-C to stop"), 60_000, "the app to start");
  const lines = writer(dir);
  await waitFor(() => outLines(dir).length > 0, 30_000, "the first lines");
  signal(child, "SIGHUP");
  await waitFor(() => stderr.includes("reloaded logsim.config.ts: nothing changed"), 30_000, "the no-op reload");
  writeConfig(dir, [{ tag: "v2", match: "seq" }]);
  signal(child, "SIGHUP");
  await waitFor(() => stderr.includes("restarted pipeline collect"), 30_000, "the reload");
  await waitFor(() => outLines(dir).at(-1)?.tags.includes("v2") === true, 30_000, "lines tagged by the new config");
  const total = await lines.stop();
  await waitFor(() => outLines(dir).length >= total, 30_000, `all ${total} lines written`);
  signal(child, "SIGTERM");
  const r = await done;
  assert.equal(r.code, 0, stderr);
  assertEverySeqOnce(dir, total);
});
