/**
 * `collect`'s live progress, on a real terminal: the CLI runs under a pseudo-terminal
 * (util-linux `script`), so stderr.isTTY is true as for a user.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cliCommand, tempDir, waitFor } from "./_helpers.ts";

const hasScript = spawnSync("script", ["--version"]).status === 0;
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Starts the CLI on a pseudo-terminal; `updates` are the progress lines with the time each arrived. */
function startOnTty(args: string[], cwd: string) {
  const { cmd, args: base } = cliCommand();
  const child = spawn("script", ["-qfc", [cmd, ...base, ...args].map(quote).join(" "), "/dev/null"], { cwd, env: { ...process.env, NO_COLOR: "1" }, stdio: ["pipe", "pipe", "pipe"] });
  const state = { output: "", updates: [] as Array<{ at: number; line: string }>, exited: false };
  child.stdout!.on("data", (d: Buffer) => {
    const at = Date.now();
    state.output += d.toString("utf8");
    const lines = state.output.split(/\r\x1b\[2K/).slice(1);
    for (const line of lines.slice(state.updates.length)) if (line.startsWith("collect: ") && !line.startsWith("collect: read ")) state.updates.push({ at, line: line.split("\n")[0]! });
  });
  child.on("close", () => (state.exited = true));
  return { child, state };
}

test("collect --once over a backlog shows bytes done / total and an ETA on a terminal", { skip: !hasScript && "needs util-linux script", timeout: 180_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    // 800,000 lines, ~83 MiB: over two seconds of reading on the fastest runtime (Bun), so the once-a-second progress must show.
    const chunk = (from: number) => Array.from({ length: 10_000 }, (_, i) => `{"time":"2026-11-29T10:00:00.000Z","level":"INFO","message":"request ${from + i} served in 12 ms","user":"u-${i % 977}"}\n`).join("");
    for (let from = 0; from < 800_000; from += 10_000) appendFileSync(join(dir, "big.log"), chunk(from));
    const { state } = startOnTty(["collect", "-i", "big.log", "--once", "-o", "out.jsonl", "--state-dir", "st"], dir);
    await waitFor(() => state.exited, 170_000, "collect --once to finish");
    assert.match(state.output, /collect: read 800,000 lines \(8\d\.\d MiB\) from 1 file; wrote 800,000/, state.output);
    const withBytes = state.updates.filter((u) => /^collect: [\d.]+ (B|KiB|MiB) \/ 8\d\.\d MiB \(\d+%\) · /.test(u.line));
    assert.ok(withBytes.length >= 1, `progress with bytes done / total while reading: ${JSON.stringify(state.updates)}`);
    assert.ok(state.updates.some((u) => /\(\d+%\) · ETA \d+(s|m\d\ds) · [\d,]+ lines · /.test(u.line)), `an ETA: ${JSON.stringify(state.updates)}`);
  } finally {
    cleanup();
  }
});

test("collect shows progress about once a second while a file grows at 300 lines/s, and its first line does not say 0 files", { skip: !hasScript && "needs util-linux script", timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempDir();
  const file = join(dir, "app.log");
  writeFileSync(file, "");
  let n = 0;
  const writer = setInterval(() => {
    let text = "";
    for (let i = 0; i < 3; i++) text += `2026-11-29T10:00:00Z INFO request ${n++} served\n`;
    appendFileSync(file, text);
  }, 10);
  const { child, state } = startOnTty(["collect", "-i", "app.log", "-o", "out.jsonl", "--state-dir", "st"], dir);
  try {
    await waitFor(() => state.updates.length >= 6 || state.exited, 90_000, "six progress updates");
    const [first, ...rest] = state.updates;
    assert.ok(first && rest.length >= 5, state.output);
    assert.doesNotMatch(first.line, /\b0 files\b/);
    // Five more updates within 8 s of the first (one a second; the slack is for a loaded machine).
    const span = rest[4]!.at - first.at;
    assert.ok(span <= 8_000, `5 updates took ${span} ms: ${JSON.stringify(state.updates.map((u) => u.at - first.at))}`);
    assert.match(rest[4]!.line, /^collect: 1 file · [\d,]+ lines · [\d,]+ lines\/s · lag [\d.,]+ (B|KiB) · written [\d,]+ · parse errors 0$/);
  } finally {
    clearInterval(writer);
    child.kill("SIGTERM");
    await waitFor(() => state.exited, 30_000, "script to exit").catch(() => child.kill("SIGKILL"));
    cleanup();
  }
});
