/**
 * collect's inputs and outputs as a user first meets them: a glob that matches nothing,
 * the dead-letter file beside -o, -o - (JSONL on stdout, nothing else), -i - (stdin),
 * /dev/stdin and FIFOs given to -i.
 */
import assert from "node:assert/strict";
import { execFile, execFileSync, spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cliCommand, runCli, signal, startCli, tempDir, waitFor, type CliResult } from "./_helpers.ts";

const jsonLines = (text: string) => text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as { message: string; tags: string[]; origin: { file: string; offset: number } });
const line = (i: number) => `2026-11-23T10:00:${String(i % 60).padStart(2, "0")}Z INFO event ${i}`;

/** Runs the CLI with `input` on its standard input (written, then closed). */
function runWithStdin(args: string[], input: string, cwd: string, timeoutMs = 60_000): Promise<CliResult> {
  const { cmd, args: base } = cliCommand();
  const child = spawn(cmd, [...base, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" }, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  child.stdin!.on("error", () => {}); // A child that exits early must not fail the test with EPIPE.
  child.stdin!.end(input);
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve) => child.on("close", (code, sig) => (clearTimeout(timer), resolve({ code, signal: sig, stdout, stderr }))));
}

test("collect --once with a glob that matches nothing exits 1 with one line naming the glob", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const r = await runCli(["collect", "--once", "-i", "nope/*.log", "-o", "out.jsonl"], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr.trim(), `--input 'nope/*.log' matches no file in ${dir}`);
    assert.equal(r.stdout, "");
  } finally {
    cleanup();
  }
});

test("a folder given to --input says so; a glob that matches nothing beside one that matches is a warning", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    mkdirSync(join(dir, "logs"));
    writeFileSync(join(dir, "logs/a.log"), `${line(1)}\n`);
    const folder = await runCli(["collect", "--once", "-i", "logs", "-o", "out.jsonl"], { cwd: dir });
    assert.equal(folder.code, 1);
    assert.equal(folder.stderr.trim(), `--input 'logs' matches no file in ${dir} (it is a folder: try 'logs/*.log')`);
    const some = await runCli(["collect", "--once", "-i", "logs/*.log", "-i", "typo/*.log", "-o", "out.jsonl", "-q"], { cwd: dir });
    assert.equal(some.code, 0, some.stderr);
    assert.equal(some.stderr.trim(), `warning: --input 'typo/*.log' matches no file in ${dir}`);
    assert.equal(jsonLines(readFileSync(join(dir, "out.jsonl"), "utf8")).length, 1);
  } finally {
    cleanup();
  }
});

test("following a glob that matches nothing warns on stderr, then reads the files that appear", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    // --from-beginning: the file may appear before the first scan, which would otherwise start at its end.
    const c = startCli(["collect", "-i", "later/*.log", "-o", "out.jsonl", "-q", "--from-beginning"], { cwd: dir });
    let stderr = "";
    c.child.stderr!.on("data", (d) => (stderr += d));
    await waitFor(() => stderr.includes("matches no file"), 30_000, "the warning");
    assert.equal(stderr.trim(), `warning: --input 'later/*.log' matches no file in ${dir} (yet: following it for files that appear)`);
    mkdirSync(join(dir, "later"));
    appendFileSync(join(dir, "later/x.log"), `${line(1)}\n`);
    const out = join(dir, "out.jsonl");
    await waitFor(() => existsSync(out) && readFileSync(out, "utf8").includes("event 1"), 30_000, "the line of the file that appeared");
    signal(c.child, "SIGTERM");
    assert.equal((await c.done).code, 0);
  } finally {
    cleanup();
  }
});

test("collect -o FILE puts the dead-letter file beside FILE, not in collected_logs/ of the working folder", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, "in.log"), `{"level":"info","msg":"ok"}\n{"level":"info","msg":"cut\n`);
    const r = await runCli(["collect", "--once", "-i", "in.log", "-p", "json", "-o", "out/sub/res.jsonl"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const dead = join(dir, "out/sub/res.deadletter.jsonl");
    assert.deepEqual(jsonLines(readFileSync(dead, "utf8")).map((d) => (d as unknown as { line: string }).line), ['{"level":"info","msg":"cut']);
    assert.ok(!existsSync(join(dir, "collected_logs")), "nothing in collected_logs/");
    assert.match(r.stderr, /lines that did not parse are in .*out\/sub\/res\.deadletter\.jsonl/);
    // --deadletter still says where.
    const r2 = await runCli(["collect", "--once", "-i", "in.log", "-p", "json", "-o", "res2.jsonl", "--deadletter", "dl/here.jsonl", "--state-dir", "s2"], { cwd: dir });
    assert.equal(r2.code, 0, r2.stderr);
    assert.ok(existsSync(join(dir, "dl/here.jsonl")));
    assert.ok(!existsSync(join(dir, "res2.deadletter.jsonl")));
  } finally {
    cleanup();
  }
});

test("-o - writes the JSONL to stdout, every line of it before exit, and nothing else to stdout", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const n = 20_000; // Several 256 KiB writes.
    writeFileSync(join(dir, "in.log"), Array.from({ length: n }, (_, i) => `${line(i)}\n`).join(""));
    const r = await runCli(["collect", "--once", "-i", "in.log", "-o", "-"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const got = jsonLines(r.stdout);
    assert.equal(got.length, n);
    assert.deepEqual([got[0]!.message, got[n - 1]!.message], ["event 0", `event ${n - 1}`]);
    assert.match(r.stderr, /collect: read 20,000 lines/, "the summary is on stderr");
    assert.ok(!existsSync(join(dir, "-")), "no file named -");
    assert.ok(!existsSync(join(dir, "collected_logs")));
  } finally {
    cleanup();
  }
});

test("-i - reads stdin to its end, then the pipeline stops by itself (kubectl logs ... | logsim collect -i - -o -)", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const input = `${Array.from({ length: 3000 }, (_, i) => line(i)).join("\n")}\nnot a record`;
    const r = await runWithStdin(["collect", "-i", "-", "-o", "-", "-p", "plain-text", "--on-parse-error", "pass"], input, dir);
    assert.equal(r.code, 0, r.stderr);
    const got = jsonLines(r.stdout);
    assert.equal(got.length, 3001);
    assert.deepEqual(got[1]!.origin, { file: "<stdin>", offset: Buffer.byteLength(`${line(0)}\n`), parser: "plain-text" });
    assert.deepEqual([got[3000]!.message, got[3000]!.tags], ["not a record", ["_parse_error"]]);
  } finally {
    cleanup();
  }
});

test("-i /dev/stdin is read, not skipped as a file that is not regular", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const r = await runWithStdin(["collect", "--once", "-i", "/dev/stdin", "-o", "out.jsonl", "-p", "plain-text"], `${line(1)}\n${line(2)}\n`, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(jsonLines(readFileSync(join(dir, "out.jsonl"), "utf8")).map((e) => e.message), ["event 1", "event 2"]);
  } finally {
    cleanup();
  }
});

test("a FIFO given to -i is read to its end", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const c = startCli(["collect", "-i", "pipe", "-o", "out.jsonl", "-p", "plain-text", "-q"], { cwd: dir });
    // The writer's open waits for the reader; a shell does it so this process never blocks.
    const writer = new Promise<void>((resolve, reject) => execFile("sh", ["-c", `printf '%s\\n%s\\n' '${line(1)}' '${line(2)}' > pipe`], { cwd: dir, timeout: 30_000 }, (e) => (e ? reject(e) : resolve())));
    await writer;
    const r = await c.done;
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(jsonLines(readFileSync(join(dir, "out.jsonl"), "utf8")).map((e) => [e.message, e.origin.file]), [["event 1", fifo], ["event 2", fifo]]);
  } finally {
    cleanup();
  }
});
