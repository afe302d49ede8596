/** The CLI end to end, as a child process under the runtime running the tests. */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT, runCli, signal, startCli, tempDir, waitFor } from "./_helpers.ts";

const VERSION = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;

/** Writes a config into a temp folder inside the repo (so `import "logsim"` resolves there) and returns its path. */
function configFile(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

const inRepoTemp = () => tempDir(".test-tmp-", ROOT);

test("--version and --help", async () => {
  // Independent runs start together: each is a process start (seconds under Node and tsx).
  const [version, help, sub] = await Promise.all([runCli(["--version"]), runCli(["--help"]), runCli(["validate", "--help"])]);
  assert.equal(version.code, 0);
  assert.equal(version.stdout.trim(), VERSION);
  assert.equal(help.code, 0);
  for (const word of ["run", "validate", "plugins", "schema", "LOG_LEVEL"]) assert.ok(help.stdout.includes(word), `help mentions ${word}`);
  assert.match(sub.stdout, /--config FILE/);
});

test("validate prints every problem on its own line with path and plugin, exits 1, no stack trace", async () => {
  const { dir, cleanup } = inRepoTemp();
  try {
    const path = configFile(
      dir,
      "bad.config.ts",
      `import { defineConfig } from "logsim";
import { heartbeat, consoleSink, rotatingFile } from "logsim/plugins";
export default defineConfig({
  pipelines: { heartbeat: { sources: [heartbeat({ interval: "often" as never })], sinks: [consoleSink(), rotatingFile({ maxBytes: -5 as never })] } },
});\n`,
    );
    const r = await runCli(["validate", "--config", path]);
    assert.equal(r.code, 1);
    assert.deepEqual(r.stderr.trim().split("\n").sort(), [
      "pipelines.heartbeat.sinks[1] rotating-file > maxBytes: expected an integer >= 0",
      'pipelines.heartbeat.sources[0] heartbeat > interval: expected a positive duration such as "5s", "250ms" or a number of seconds',
    ]);
    assert.doesNotMatch(r.stderr, /\bat .*:\d+:\d+/, "no stack trace");
  } finally {
    cleanup();
  }
});

test("a missing config, a syntax error and an unknown plugin are each reported clearly, exit 1", async () => {
  const { dir, cleanup } = inRepoTemp();
  try {
    const broken = configFile(dir, "broken.config.ts", "export default defineConfig({ pipelines: { \n");
    const json = configFile(dir, "unknown.json", JSON.stringify({ pipelines: { p: { sources: [{ use: "heartbaet" }], sinks: [{ use: "console" }] } } }));
    const badJson = configFile(dir, "bad.json", '{ "pipelines": { "p": [ }');
    // Independent runs start together: each is a process start (seconds under Node and tsx).
    const [missing, syntax, unknown, parse] = await Promise.all([
      runCli(["validate", "--config", join(dir, "nope.ts")]),
      runCli(["validate", "--config", broken]),
      runCli(["validate", "-c", json]),
      runCli(["validate", "-c", badJson]),
    ]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim(), `Config file not found: ${join(dir, "nope.ts")}`);

    assert.equal(syntax.code, 1);
    assert.match(syntax.stderr, /^\S*broken\.config\.ts:2:1: /, "file:line:column: message, then the line and a caret");

    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr.trim(), 'pipelines.p.sources[0]: unknown plugin "heartbaet"; did you mean "heartbeat"?');

    assert.equal(parse.code, 1);
    assert.equal(parse.stderr, `${badJson}:1:25: Unexpected "}", expected a value\n  { "pipelines": { "p": [ }\n                          ^\n`);
  } finally {
    cleanup();
  }
});

test("unknown commands and options are usage errors (exit 2)", async () => {
  const [cmd, opt] = await Promise.all([runCli(["frobnicate"]), runCli(["validate", "--bogus"])]);
  assert.equal(cmd.code, 2);
  assert.match(cmd.stderr, /Unknown command "frobnicate"/);
  assert.equal(opt.code, 2);
  assert.match(opt.stderr, /bogus/);
});

test("schema prints a JSON Schema a JSON config can be checked against; plugins lists options with defaults", async () => {
  const [schema, plugins] = await Promise.all([runCli(["schema"]), runCli(["plugins"])]);
  assert.equal(schema.code, 0);
  const parsed = JSON.parse(schema.stdout);
  assert.equal(parsed.$schema, "https://json-schema.org/draft/2020-12/schema");
  const sink = JSON.stringify(parsed.properties.pipelines);
  for (const name of ["rotating-file", "console", "jsonl", "heartbeat", "maxBytes"]) assert.ok(sink.includes(name), `schema mentions ${name}`);
  assert.equal(plugins.code, 0);
  assert.match(plugins.stdout, /rotating-file \(sink\)/);
  assert.match(plugins.stdout, /maxBytes: integer = 1048576/);
  assert.match(plugins.stdout, /interval: number \| string = "5s"/);
});

test("run: a JSON config in the plain-data form runs like a TypeScript one and exits 0 when its sources end", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const out = join(dir, "out.jsonl");
    const path = configFile(dir, "logsim.config.json", JSON.stringify({ pipelines: { p: { sources: [{ use: "heartbeat", interval: "10ms", count: 25 }], sinks: [{ use: "jsonl", path: out }] } } }));
    const r = await runCli(["run", "--config", path], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.seq), Array.from({ length: 25 }, (_, i) => i + 1));
    assert.equal(lines[0].message, "Service heartbeat");
    assert.match(r.stderr, /^ {2}p \(stopped\): 25 read; written: jsonl 25; filtered out 0; errors 0$/m, "a summary per pipeline on exit");
  } finally {
    cleanup();
  }
});

test("run: the default config honours LOG_* variables, and SIGTERM flushes and exits 0", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const logFile = join(dir, "app.log");
    // In a temp folder, so the default config's relative paths (logs/, collected_logs/) land there.
    const { child, done } = startCli(["run", "--config", join(ROOT, "logsim.config.ts")], {
      cwd: dir,
      env: { LOG_FREQUENCY: "0.05", LOG_LEVEL: "warning", LOG_FORMAT: "%(levelname)s|%(message)s", LOG_FILE: logFile, WEB_PORT: "0" },
    });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    await waitFor(() => (out.match(/WARN\|Service heartbeat\n/g) ?? []).length >= 3, 20_000, "three heartbeats on stdout");
    signal(child, "SIGTERM");
    const r = await done;
    assert.equal(r.code, 0, r.stderr);
    const fileLines = readFileSync(logFile, "utf8").trim().split("\n");
    assert.ok(fileLines.filter((l) => l === "WARN|Service heartbeat").length >= 3, "heartbeats at LOG_LEVEL in LOG_FORMAT");
    for (const line of fileLines) assert.match(line, /^(DEBUG|INFO|WARN|ERROR|FATAL)\|\S/, "every line in LOG_FORMAT");
    assert.deepEqual(fileLines, r.stdout.trim().split("\n"), "the file got every line the console got, in order");
  } finally {
    cleanup();
  }
});
