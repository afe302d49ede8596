/** `logsim run` end to end: rotation under a 1 ms heartbeat, and the default config in its JSON form. */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { loadConfig } from "../core/config/load.ts";
import { plainConfig } from "../core/config/plain.ts";
import type { Runtime } from "../core/runtime.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { detectRuntime } from "../runtime/detect.ts";
import { ROOT, runCli, signal, startCli, tempDir, waitFor } from "./_helpers.ts";

/** The seq of a rotated file's first line; 0 while it is missing or empty (it is replaced by a rename, never written in place). */
function firstSeq(path: string): number {
  try {
    return Number(/ seq=(\d+) /.exec(readFileSync(path, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

test("a heartbeat every 1 ms into rotating-file (2000 bytes x 3) leaves four whole, consecutive files", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const config = join(dir, "logsim.config.json");
    writeFileSync(
      config,
      JSON.stringify({
        pipelines: {
          beat: {
            sources: [{ use: "heartbeat", interval: "1ms" }],
            sinks: [{ use: "rotating-file", path: "logs/app.log", maxBytes: 2000, backups: 3, format: "%(isotime)s %(levelname)s seq=%(seq)s %(message)s" }],
          },
        },
      }),
    );
    const { child, done } = startCli(["run", "--config", config], { cwd: dir });
    const logs = join(dir, "logs");
    await waitFor(() => existsSync(logs), 30_000, "the log folder");
    // Run until the third backup exists, then on until the oldest backup starts past heartbeat 1,000:
    // some 30 rotations in all (about 33 lines a file), every backup replaced several times over.
    await waitFor(() => readdirSync(logs).length === 4, 30_000, "three backups");
    await waitFor(() => firstSeq(join(logs, "app.log.3")) > 1000, { timeoutMs: 30_000, what: "the oldest backup to start past heartbeat 1,000" });
    signal(child, "SIGTERM");
    const r = await done;
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(logs).sort(), ["app.log", "app.log.1", "app.log.2", "app.log.3"]);
    const seqs: number[] = [];
    for (const name of ["app.log.3", "app.log.2", "app.log.1", "app.log"]) {
      const path = join(logs, name);
      assert.ok(statSync(path).size <= 2000, `${name} is ${statSync(path).size} bytes`);
      const text = readFileSync(path, "utf8");
      assert.ok(text.endsWith("\n"), `${name} ends with a whole line`);
      for (const line of text.slice(0, -1).split("\n")) {
        const m = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO seq=(\d+) Service heartbeat$/.exec(line);
        assert.ok(m, `whole line: ${JSON.stringify(line)}`);
        seqs.push(Number(m[1]));
      }
    }
    assert.ok(seqs.length > 100, `${seqs.length} lines kept`);
    seqs.forEach((seq, i) => i > 0 && assert.equal(seq, seqs[i - 1]! + 1, `consecutive across files at line ${i}`));
    const summary = /beat \(stopped\): ([\d,]+) read; written: rotating-file ([\d,]+); filtered out 0; errors 0/.exec(r.stderr);
    assert.ok(summary, r.stderr);
    assert.equal(summary[1], summary[2], "every heartbeat read was written");
    assert.equal(seqs.at(-1), Number(summary[1]!.replaceAll(",", "")), "the newest file ends with the last heartbeat");
  } finally {
    cleanup();
  }
});

test("the default config in its JSON form validates against `logsim schema` and runs", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const base = await detectRuntime();
    const env: Record<string, string> = { WEB_PORT: "0", LOG_FREQUENCY: "0.05" };
    const runtime: Runtime = { ...base, env: (name) => env[name] ?? base.env(name) };
    const registry = new Map(builtinPlugins.map((p) => [p.name, p]));
    const loaded = await loadConfig(runtime, registry, join(ROOT, "logsim.config.ts"));
    assert.ok(loaded.isOk(), JSON.stringify(loaded.isErr() && loaded.error));
    const json = { $schema: "./logsim.schema.json", ...(plainConfig(loaded.value.config) as object) };
    const path = join(dir, "logsim.config.json");
    writeFileSync(path, JSON.stringify(json, null, 2));

    const schema = await runCli(["schema"]);
    assert.equal(schema.code, 0);
    const check = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(schema.stdout));
    assert.equal(check(json), true, JSON.stringify(check.errors));

    const validate = await runCli(["validate", "--config", path], { cwd: dir });
    assert.equal(validate.code, 0, validate.stderr);
    const { child, done } = startCli(["run", "--config", path], { cwd: dir });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    await waitFor(() => (out.match(/Service heartbeat/g) ?? []).length >= 3, 20_000, "heartbeats from the JSON config");
    signal(child, "SIGTERM");
    const r = await done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(join(dir, "logs/app.log"), "utf8"), /Service heartbeat/);
  } finally {
    cleanup();
  }
});
