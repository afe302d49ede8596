import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { builtinPlugins } from "../../plugins/mod.ts";
import { detectRuntime } from "../../runtime/detect.ts";
import { tempDir } from "../../tests/_helpers.ts";
import { systemClock, type Clock } from "../clock.ts";
import { formatError } from "../errors.ts";
import { CONFIG_TIMEOUT_MS, loadConfig } from "./load.ts";

const runtime = await detectRuntime();
const registry = new Map(builtinPlugins.map((p) => [p.name, p]));
const GOOD = `{ pipelines: { p: { sources: [{ use: "heartbeat", count: 1 }], sinks: [{ use: "console" }] } } }`;

/** Loads a config module written to a temp folder; returns the error's lines (or "ok"). */
async function load(body: string, options?: Parameters<typeof loadConfig>[3]): Promise<{ path: string; lines: string[] }> {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "logsim.config.mjs");
    writeFileSync(path, body);
    const result = await loadConfig(runtime, registry, path, options);
    return { path, lines: result.isOk() ? ["ok"] : formatError(result.error) };
  } finally {
    cleanup();
  }
}

/** A clock whose `n`-th sleep (1: the import's limit, 2: the config function's) has elapsed at once; the others never do. */
function elapsingClock(n: number): Clock & { signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  return {
    ...systemClock,
    signals,
    sleep: (_ms, signal) => (signals.push(signal!), signals.length === n ? Promise.resolve(true) : new Promise((r) => signal?.addEventListener("abort", () => r(false)))),
  };
}

test("a config function that never resolves fails after the limit with one line naming the file", async () => {
  const { path, lines } = await load("export default () => new Promise(() => {});\n", { clock: elapsingClock(2) });
  assert.deepEqual(lines, [`Cannot load config ${path}: the config function did not return a config within ${CONFIG_TIMEOUT_MS / 1000} s`]);
  assert.equal(CONFIG_TIMEOUT_MS, 10_000);
});

test("LOGSIM_CONFIG_TIMEOUT sets the limit; a value that is no duration is one line naming it", async () => {
  const withEnv = (value: string): typeof runtime => ({ ...runtime, env: (name) => (name === "LOGSIM_CONFIG_TIMEOUT" ? value : runtime.env(name)) });
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "logsim.config.mjs");
    writeFileSync(path, "export default () => new Promise(() => {});\n");
    const started = performance.now();
    const slow = await loadConfig(withEnv("300ms"), registry, path);
    assert.deepEqual(formatError(slow._unsafeUnwrapErr()), [`Cannot load config ${path}: the config function did not return a config within 0.3 s`]);
    assert.ok(performance.now() - started >= 250);
    const bad = await loadConfig(withEnv("soon"), registry, path);
    assert.deepEqual(formatError(bad._unsafeUnwrapErr()), [`Cannot load config ${path}: LOGSIM_CONFIG_TIMEOUT=soon is not a duration such as 30s`]);
  } finally {
    cleanup();
  }
});

test("a config function that resolves in time loads, and the time limits are cancelled", async () => {
  const slow = `export default () => new Promise((r) => setTimeout(() => r(${GOOD}), 30));\n`;
  const clock = elapsingClock(0);
  assert.deepEqual((await load(slow, { clock })).lines, ["ok"]);
  assert.equal(clock.signals.length, 2, "one limit for the import, one for the function");
  assert.ok(clock.signals.every((s) => s.aborted), "both timers were cancelled");
  assert.deepEqual((await load(`export default ${GOOD};\n`, { clock: elapsingClock(2) })).lines, ["ok"], "a plain object is not timed");
});

test("a config that throws while being read (getter, Proxy trap, in any object) is a one-line config error, not a crash", async () => {
  const cases: Array<[string, string]> = [
    ["export default { get pipelines() { throw new Error('no pipelines today') } };", "reading the config threw: no pipelines today"],
    ["export default new Proxy({}, { ownKeys() { throw new Error('keys are secret') } });", "reading the config threw: keys are secret"],
    [
      `export default { pipelines: { p: { sources: [{ use: "heartbeat", get interval() { throw new TypeError("interval getter") } }], sinks: [{ use: "console" }] } } };`,
      "reading the config threw: interval getter",
    ],
    [`export default { pipelines: { p: new Proxy({}, { get() { throw new Error("trap") } }) } };`, "reading the config threw: trap"],
    [`export default () => ({ pipelines: new Proxy({}, { ownKeys() { throw 42 } }) });`, "reading the config threw: 42"],
    [`export default new Proxy({}, { ownKeys() { throw new Proxy({}, { getPrototypeOf() { throw 1 } }) } });`, "reading the config threw: (a thrown value that cannot be shown)"],
    [`export default () => { throw new Error("two\\nlines") };`, "the config function threw: two"],
  ];
  for (const [body, message] of cases) {
    const { path, lines } = await load(body);
    assert.deepEqual(lines, [`Cannot load config ${path}: ${message}`], body);
  }
});
