/**
 * The journal source, with the real journalctl reading journal files that the real
 * systemd-journal-remote wrote: entries reach the sinks once, the cursor is saved after they
 * did, and a missing journalctl or journal fails with one line.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createApp } from "../../core/app.ts";
import { validateConfig } from "../../core/config/validate.ts";
import { formatError } from "../../core/errors.ts";
import type { Runtime } from "../../core/runtime.ts";
import { detectRuntime } from "../../runtime/detect.ts";
import { tempDir, waitFor } from "../../tests/_helpers.ts";
import { journalExport, journalRemote, run, which, type JournalField, type Program } from "../../tests/_programs.ts";
import { jsonl } from "../jsonl/mod.ts";
import { journald } from "../parsers/mod.ts";
import { journal, type JournalOptions } from "./mod.ts";

const base = await detectRuntime();
const STATE = "state/j.journal.json";

/** Entries `from`..`to` of one boot, a second apart: MESSAGE "entry N", service "app". */
const entries = (from: number, to: number): JournalField[][] =>
  Array.from({ length: to - from + 1 }, (_, k) => {
    const n = from + k;
    return [["__REALTIME_TIMESTAMP", String(1772874000000000 + n * 1_000_000)], ["__MONOTONIC_TIMESTAMP", String(1_000_000 + n * 1_000_000)], ["_BOOT_ID", "0123456789abcdef0123456789abcdef"],
      ["_HOSTNAME", "web01"], ["PRIORITY", n % 2 ? "4" : "6"], ["SYSLOG_IDENTIFIER", "app"], ["MESSAGE", `entry ${n}`]];
  });

function setup(t: { after(fn: () => void): void }) {
  const { dir, cleanup } = tempDir("logsim-journal-source-");
  t.after(cleanup);
  const warnings: string[] = [];
  const runtime: Runtime = { ...base, cwd: () => dir, stderr: { isTTY: false, write: async (s) => void warnings.push(String(s)), flush: async () => {} } };
  mkdirSync(join(dir, "journal"));
  const out = join(dir, "out.jsonl");
  const start = async (options: Partial<JournalOptions>, before?: (app: ReturnType<typeof createApp>) => void) => {
    const config = validateConfig({ pipelines: { j: { sources: [journal({ stateDir: "state", ...options })], parsers: [journald()], sinks: [jsonl({ path: out })] } } }, { registry: new Map() })._unsafeUnwrap();
    const app = createApp(config, { runtime });
    before?.(app);
    (await app.start())._unsafeUnwrap();
    return app;
  };
  const records = () => (existsSync(out) ? readFileSync(out, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : []);
  const saved = () => (existsSync(join(dir, STATE)) ? (JSON.parse(readFileSync(join(dir, STATE), "utf8")) as { cursor: string }).cursor : undefined);
  return { dir, warnings, start, records, saved };
}

const tools = (): { remote: Program } | string => {
  const remote = journalRemote();
  if (!remote) return "systemd-journal-remote is not installed (scripts/setup.sh unpacks it into .tools/deb)";
  if (!which("journalctl")) return "journalctl is not installed";
  return { remote };
};

/** The cursor journalctl gives the last entry of the journal in `dir`. */
const lastCursor = (dir: string) => (JSON.parse(run("journalctl", ["--directory", dir, "-o", "json", "-n", "1"]).trim()) as { __CURSOR: string }).__CURSOR;

test("once: every entry reaches the sink as a journald record, and a restart goes on after the saved cursor", async (t) => {
  const found = tools();
  if (typeof found === "string") return t.skip(found);
  const { dir, start, records, saved } = setup(t);
  const journalDir = join(dir, "journal");
  run(found.remote.bin, ["-o", join(journalDir, "a.journal"), "-"], { env: found.remote.env, input: journalExport(entries(1, 3)) });
  assert.deepEqual(await (await start({ directory: "journal", once: true })).finished, []);
  assert.deepEqual(records().map((r) => [r.timestamp, r.level, r.service, r.message, r.host]), [
    ["2026-03-07T09:00:01.000Z", "WARN", "app", "entry 1", "web01"],
    ["2026-03-07T09:00:02.000Z", "INFO", "app", "entry 2", "web01"],
    ["2026-03-07T09:00:03.000Z", "WARN", "app", "entry 3", "web01"],
  ]);
  assert.equal(saved(), lastCursor(journalDir), "the cursor of the last entry written");
  assert.deepEqual(await (await start({ directory: "journal", once: true })).finished, []);
  assert.equal(records().length, 3, "nothing read twice");
  run(found.remote.bin, ["-o", join(journalDir, "b.journal"), "-"], { env: found.remote.env, input: journalExport(entries(4, 5)) });
  assert.deepEqual(await (await start({ directory: "journal", once: true })).finished, []);
  assert.deepEqual(records().map((r) => r.message), ["entry 1", "entry 2", "entry 3", "entry 4", "entry 5"]);
  assert.equal(saved(), lastCursor(journalDir));
});

test("small batches: journalctl is paused while entries wait and resumed as they are taken; none is lost", async (t) => {
  const found = tools();
  if (typeof found === "string") return t.skip(found);
  const { dir, start, records, saved } = setup(t);
  const journalDir = join(dir, "journal");
  run(found.remote.bin, ["-o", join(journalDir, "a.journal"), "-"], { env: found.remote.env, input: journalExport(entries(1, 40)) });
  assert.deepEqual(await (await start({ directory: "journal", once: true, batchLines: 1 })).finished, []);
  assert.deepEqual(records().map((r) => r.message), Array.from({ length: 40 }, (_, k) => `entry ${k + 1}`));
  assert.equal(saved(), lastCursor(journalDir));
});

test("follow: entries written later arrive, the cursor follows the sink, and stop ends journalctl", async (t) => {
  const found = tools();
  if (typeof found === "string") return t.skip(found);
  const { dir, start, records, saved } = setup(t);
  const journalDir = join(dir, "journal");
  run(found.remote.bin, ["-o", join(journalDir, "a.journal"), "-"], { env: found.remote.env, input: journalExport(entries(1, 2)) });
  const app = await start({ directory: "journal", fromBeginning: true });
  await waitFor(() => records().length >= 2, 30_000, "the first entries");
  run(found.remote.bin, ["-o", join(journalDir, "b.journal"), "-"], { env: found.remote.env, input: journalExport(entries(3, 3)) });
  await waitFor(() => records().length >= 3, 30_000, "the entry written later");
  await waitFor(() => saved() === lastCursor(journalDir), 30_000, "the cursor to be saved");
  (await app.stop())._unsafeUnwrap();
  assert.deepEqual(await app.finished, []);
  assert.deepEqual(records().map((r) => r.message), ["entry 1", "entry 2", "entry 3"]);
});

test("a missing journalctl, a folder without journal files or a bad cursor: one line saying so", async (t) => {
  if (!which("journalctl")) return t.skip("journalctl is not installed");
  const { dir, start, warnings } = setup(t);
  // A source that fails is reported (plugin:error, which the CLI prints) and its pipeline ends failed
  // with that error (so the command exits non-zero).
  const problems = async (options: Partial<JournalOptions>) => {
    const errors: string[] = [];
    const app = await start(options, (a) => a.bus.on("plugin:error", (e) => errors.push(...formatError(e.error))));
    const failures = (await app.finished).flatMap((f) => formatError(f));
    assert.deepEqual(failures, errors.slice(0, 1), "the pipeline ended failed with the source's error");
    return errors;
  };
  const missing = await problems({ journalctl: join(dir, "no-such-journalctl"), once: true });
  assert.equal(missing.length, 1);
  assert.match(missing[0]!, /^Plugin "journal" \(j\.journal\) failed in batches: cannot run ".*no-such-journalctl": not found/);
  const empty = await problems({ directory: "journal", once: true });
  assert.deepEqual(empty, [`Plugin "journal" (j.journal) failed in batches: no journal files were found in ${join(dir, "journal")}`]);
  const found = tools();
  if (typeof found === "string") return;
  run(found.remote.bin, ["-o", join(dir, "journal", "a.journal"), "-"], { env: found.remote.env, input: journalExport(entries(1, 1)) });
  mkdirSync(join(dir, "state"), { recursive: true });
  base.fs.writeAtomic(join(dir, STATE), JSON.stringify({ version: 1, cursor: "bogus" }));
  const bad = await problems({ directory: "journal" });
  assert.deepEqual(bad, [`Plugin "journal" (j.journal) failed in batches: the journal cursor saved in ${join(dir, STATE)} is not in this journal; delete that file to start over`]);
  assert.deepEqual(warnings, []);
});
