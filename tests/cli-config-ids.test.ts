/** Plugin ids and the schema-derived reference through the CLI, as a child process under the runtime running the tests. */
import assert from "node:assert/strict";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "./_helpers.ts";

test("run: a JSON config's `id` names the tail's state file; validate refuses an id given twice in one line", async () => {
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, "app.log"), "one\ntwo\n");
    const pipeline = (id: string) => ({ sources: [{ use: "tail", id, include: "*.log", once: true, stateDir: "state" }], sinks: [{ use: "jsonl", path: `out-${id}.jsonl` }] });
    writeFileSync(join(dir, "logsim.config.json"), JSON.stringify({ pipelines: { c: pipeline("app") } }));
    const run = await runCli(["run"], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(readdirSync(join(dir, "state")), ["app.json"]);
    assert.ok(existsSync(join(dir, "out-app.jsonl")));
    writeFileSync(join(dir, "logsim.config.json"), JSON.stringify({ pipelines: { a: pipeline("app"), b: { ...pipeline("app"), sinks: [{ use: "jsonl", path: "other.jsonl" }] } } }));
    const validate = await runCli(["validate"], { cwd: dir });
    assert.equal(validate.code, 1);
    assert.equal(validate.stderr.trim(), 'pipelines.b.sources[0] tail: id "app" is already the id of pipelines.a.sources[0]; give each plugin its own id');
  } finally {
    cleanup();
  }
});

test("plugins: `settings` lists the pipeline and top-level settings from the schema; every plugin lists the id option first", async () => {
  const settings = await runCli(["plugins", "settings"]);
  assert.equal(settings.code, 0, settings.stderr);
  for (const line of ['  flushInterval: number | string = "100ms"', '  channel.overflow: "block" | "drop-newest" = "block"', "  sources: source-plugin[]", '  hookTimeout: number | string = "10s"']) {
    assert.ok(settings.stdout.split("\n").includes(line), `${line} in:\n${settings.stdout}`);
  }
  const tail = await runCli(["plugins", "tail"]);
  assert.equal(tail.stdout.split("\n")[1], "  id: string");
});

test("generate: an --id that cannot be a plugin id names the flag, exit 2", async () => {
  const r = await runCli(["generate", "--id", "a b", "--count", "1"]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim(), '--id: expected an id of letters, digits, ".", "_" and "-" that starts with a letter or a digit (at most 100), such as "app-logs"');
});
