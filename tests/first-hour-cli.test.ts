/** The CLI's first-hour papercuts (issue "The first hour"), end to end under the runtime running the tests. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT, runCli, tempDir } from "./_helpers.ts";

const inRepoTemp = () => tempDir(".test-tmp-", ROOT);

test("a syntax error in a .ts, .mjs or .json config: file:line:column: message, the line and a caret, exit 1", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = inRepoTemp();
  try {
    const cases: Array<[string, string, string[]]> = [
      ["logsim.config.ts", 'import { defineConfig } from "logsim";\nexport default defineConfig({\n  pipelines: {\n    a: { sources: [ }\n  },\n});\n', ["4:21: Unexpected \"}\"", '    a: { sources: [ }', "                    ^"]],
      ["logsim.config.mjs", "export default {\n\tpipelines: { a: { sources: [], sinks: [] } }\n\tservices: [],\n};\n", ['3:2: Expected "}" but found "services"', "\tservices: [],", "\t^"]],
      ["logsim.config.json", '{\n  "pipelines": {\n    "a": { "sources": [], },\n  }\n}\n', ['3:25: Trailing comma before "}"', '    "a": { "sources": [], },', "                        ^"]],
    ];
    // The CLI runs at once, not one after another: each is a process start (seconds under Node and tsx).
    await Promise.all(
      cases.map(async ([name, body, [first, line, caret]]) => {
        const path = join(dir, name);
        writeFileSync(path, body);
        const r = await runCli(["validate", "--config", path]);
        assert.equal(r.code, 1, r.stderr);
        assert.equal(r.stderr, `${path}:${first}\n  ${line}\n  ${caret}\n`, name);
      }),
    );
  } finally {
    cleanup();
  }
});

/** Runs the CLI and checks it printed exactly one line on stderr, which it returns. */
async function oneLine(args: string[], code: number, opts?: Parameters<typeof runCli>[1]): Promise<string> {
  const r = await runCli(args, opts);
  assert.equal(r.code, code, `${args.join(" ")}: ${r.stderr}`);
  const lines = r.stderr.split("\n").filter(Boolean);
  assert.equal(lines.length, 1, `${args.join(" ")}: one line, got ${JSON.stringify(r.stderr)}`);
  return lines[0]!;
}

test("flag mistakes are one line that names the flag as typed, exit 2", { timeout: 60_000 }, async () => {
  const expect = (args: string[], line: string | RegExp) => async () => {
    const got = await oneLine(args, 2);
    if (typeof line === "string") assert.equal(got, line);
    else assert.match(got, line);
  };
  // The CLI runs at once, not one after another: each is a process start (seconds under Node and tsx).
  await Promise.all([
    // A negative number is a value, checked like any other (parseArgs called it "ambiguous").
    expect(["generate", "--rate", "-5"], "--rate: expected a rate > 0"),
    expect(["generate", "-n", "-3"], "--count: expected a positive integer"),
    // parseArgs' own message ran on with an unbalanced quote.
    expect(["-V"], "Unknown option -V (did you mean -v?); logsim --help lists the options"),
    expect(["generate", "--rat", "5"], "Unknown option --rat (did you mean --rate?); logsim generate --help lists the options"),
    expect(["generate", "--rate"], "--rate needs a value (N); logsim generate --help lists the options"),
    expect(["generate", "--output", "--quiet"], /^--output needs a value \(FILE\), got the flag --quiet; for a value that starts with "-", write --output=--quiet/),
    expect(["collect", "--once=yes"], /^--once takes no value \(got "yes"\)/),
    // The filter named an internal config path and exited 1.
    expect(["collect", "--input", "nothing/*.log", "--once", "--filter", "(a"], /^--filter "\(a": invalid regular expression: /),
    expect(["collect", "--input", "nothing/*.log", "--once", "--tag", "x=(b"], /^--tag "x=\(b": invalid regular expression: /),
  ].map((check) => check()));
});

test("WEB_PORT and LOG_FREQUENCY that are not numbers are reported by name, exit 1", { timeout: 60_000 }, async () => {
  const [port, frequency] = await Promise.all([oneLine(["validate"], 1, { env: { WEB_PORT: "abc" } }), oneLine(["validate"], 1, { env: { LOG_FREQUENCY: "often" } })]);
  assert.match(port, /WEB_PORT="abc": expected a port number from 0 to 65535/);
  assert.doesNotMatch(port, /services\[0\]/);
  assert.match(frequency, /LOG_FREQUENCY="often": expected seconds between heartbeats/);
});

test("an --output that cannot be written is reported once, naming the flag", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, "afile"), "");
    writeFileSync(join(dir, "in.log"), "hello\n");
    const runs = [["generate", "--count", "3", "--output", "afile/x.log"], ["collect", "--input", "in.log", "--once", "--output", "afile/x.jsonl"]];
    for (const line of await Promise.all(runs.map((args) => oneLine(args, 1, { cwd: dir })))) assert.match(line, /^Cannot write --output "afile\/x\.(log|jsonl)": \S/);
  } finally {
    cleanup();
  }
});

test("one meaning per letter, help that matches the loader, nested plugin options", { timeout: 60_000 }, async () => {
  // -f is --filter in collect; generate's --format is -F.
  const [formatted, unknownF, help, validateHelp, plugins] = await Promise.all([
    runCli(["generate", "-F", "logfmt", "-n", "2", "--seed", "1", "-q"]),
    oneLine(["generate", "-f", "json"], 2),
    runCli(["--help"]),
    runCli(["validate", "--help"]),
    runCli(["plugins", "generator"]),
  ]);
  assert.equal(formatted.code, 0, formatted.stderr);
  assert.match(formatted.stdout.split("\n")[0]!, /^time=\S+ level=\w+ /);
  assert.equal(unknownF, "Unknown option -f (did you mean -F?); logsim generate --help lists the options");
  assert.match(help.stdout, /LOG_FILE, WEB_PORT/);
  assert.match(validateHelp.stdout, /logsim\.config\.ts, \.mts, \.js, \.mjs or \.json/);
  for (const line of ["  mix.session: number = 6", "  burst.multiplier: number", "  burst.at: (number | string)[]", "  faults.truncated: number = 0", "  incidents.errorRate: number = 0.6"]) {
    assert.ok(plugins.stdout.split("\n").includes(line), `${line} in:\n${plugins.stdout}`);
  }
});

test("summaries say filtered out for what a filter removed, and format counts and sizes as generate does", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const config = join(dir, "logsim.config.json");
    const out = join(dir, "out.jsonl");
    writeFileSync(config, JSON.stringify({ pipelines: { p: { sources: [{ use: "heartbeat", count: 3, interval: 0.01 }], transforms: [{ use: "filter", match: "no such text" }], sinks: [{ use: "jsonl", path: out }] } } }));
    writeFileSync(join(dir, "app.log"), Array.from({ length: 1500 }, (_, i) => `2026-11-29T10:00:00Z INFO line ${i}\n`).join(""));
    const [run, collect] = await Promise.all([runCli(["run", "-c", config], { cwd: dir }), runCli(["collect", "-i", "app.log", "--once", "-o", "c.jsonl", "--state-dir", "st", "-f", "line 1"], { cwd: dir })]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^ {2}p \(stopped\): 3 read; written: jsonl 0; filtered out 3; errors 0$/m);
    assert.equal(collect.code, 0, collect.stderr);
    assert.match(collect.stderr, /^collect: read 1,500 lines \(51\.7 KiB\) from 1 file; wrote 611; filtered out 889; parse errors 0$/m);
    assert.equal(readFileSync(join(dir, "c.jsonl"), "utf8").trim().split("\n").length, 611);
  } finally {
    cleanup();
  }
});

test("npm install runs clean: every dependency's install script is allowed or denied in package.json", { timeout: 60_000 }, (t) => {
  const ls = spawnSync("npm", ["install-scripts", "ls", "--json"], { cwd: ROOT, encoding: "utf8", timeout: 50_000 });
  if (ls.status !== 0 || !ls.stdout.trim().startsWith("{")) return t.skip(`npm without install-scripts (npm 11.16+): ${ls.stderr.split("\n")[0]}`);
  assert.deepEqual(JSON.parse(ls.stdout).allowScripts, [], "npm install would warn about these");
});
