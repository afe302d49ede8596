/**
 * The apache format as real tools read it: every line the generator writes is one HTTP
 * request in Combined Log Format, read by goaccess (when installed: scripts/setup.sh
 * unpacks it into .tools/deb) and by logsim's own apache parser.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import type { LogRecord } from "../types.ts";
import { generateToFile, readLines, tempDir } from "../../plugins/generator/_test-helpers.ts";
import { generatorSchema } from "../../plugins/generator/mod.ts";
import { envAt, parseApache } from "../../plugins/parsers/mod.ts";
import { apacheFormat } from "../line-format.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url).href);
const UNPACKED = join(ROOT, ".tools/deb/goaccess");

/** goaccess from PATH, or the one scripts/setup.sh unpacked; undefined when neither runs. */
function findGoaccess(): { command: string; env: Record<string, string | undefined> } | undefined {
  const candidates = [
    { command: "goaccess", env: process.env },
    { command: join(UNPACKED, "usr/bin/goaccess"), env: { ...process.env, LD_LIBRARY_PATH: join(UNPACKED, "usr/lib/x86_64-linux-gnu") } },
  ];
  return candidates.find((c) => spawnSync(c.command, ["--version"], { env: c.env, encoding: "utf8" }).status === 0);
}

const HOSTILE = ['say "hi" \\ back', "tab\there", "bell\x07 and \x1b[31m escape", "naïve ☃ 日本", "-", ""];
const OPTIONS = {
  count: 3000,
  seed: 5,
  startTime: "2026-11-23T10:00:00Z",
  httpOnly: true,
  fields: { referer: { oneOf: HOSTILE }, note: "not in an access log" },
};

const line = (text: string) => ({ kind: "line" as const, text, origin: { file: "/access.log", offset: 0 } });
const NOW = envAt(Date.parse("2026-11-24T00:00:00Z"));

test("--format apache: one line per HTTP request, each with ip, status and bytes, read back by logsim's apache parser", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const report = await generateToFile(OPTIONS, join(dir, "access.log"), "apache");
    await generateToFile(OPTIONS, join(dir, "events.json"), "json");
    const lines = readLines(join(dir, "access.log"));
    const events = readLines(join(dir, "events.json")).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(report.emitted, 3000);
    assert.equal(lines.length, 3000);
    assert.ok(report.skipped > 0, "jobs, downstream calls and the rest were simulated, not written");
    const flows = new Set(events.map((e) => e.flow));
    assert.deepEqual([...flows].sort(), ["api", "session"]);
    lines.forEach((text, i) => {
      const e = events[i]!;
      const r = parseApache(line(text), NOW);
      assert.ok(r.isOk(), `line ${i + 1}: ${text}`);
      const f = r.value.fields!;
      assert.match(text, /^\S+ - \S+ \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "[A-Z]+ \S+ HTTP\/1\.1" [1-5]\d\d \d+ "/, `line ${i + 1}`);
      assert.deepEqual(
        { ip: f.ip, status: f.status, bytes: f.bytes, method: f.method, path: f.path, referer: f.referer, user_agent: f.user_agent },
        { ip: e.ip, status: e.status, bytes: e.bytes, method: e.method, path: e.path, referer: e.referer === "" || e.referer === "-" ? undefined : e.referer, user_agent: e.user_agent },
        `line ${i + 1}`,
      );
      assert.equal(r.value.time, Math.floor(Date.parse(String(e.timestamp)) / 1000) * 1000);
    });
  } finally {
    cleanup();
  }
});

test("goaccess counts every generated apache line as a valid request", async (t) => {
  const goaccess = findGoaccess();
  if (!goaccess) return t.skip("goaccess is not installed (scripts/setup.sh unpacks it into .tools/deb/goaccess)");
  const { dir, cleanup } = tempDir();
  try {
    const log = join(dir, "access.log");
    await generateToFile({ ...OPTIONS, fields: { ...OPTIONS.fields, user_agent: { oneOf: HOSTILE }, path: { oneOf: ["/a b", '/q?x="1"', "/back\\slash", "/ünï"] } } }, log, "apache");
    const out = join(dir, "report.json");
    const run = spawnSync(goaccess.command, [log, "--log-format=COMBINED", "--no-global-config", "-o", out], { env: goaccess.env, encoding: "utf8", timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    const general = (JSON.parse(readFileSync(out, "utf8")) as { general: Record<string, number> }).general;
    assert.deepEqual({ total: general.total_requests, valid: general.valid_requests, failed: general.failed_requests }, { total: 3000, valid: 3000, failed: 0 });
  } finally {
    cleanup();
  }
});

test("apache: quoted parts escaped as Apache does, whitespace kept out of the bare parts", () => {
  const record: LogRecord = {
    time: Date.parse("2026-11-23T10:00:00.999Z"),
    level: "INFO",
    message: "m",
    fields: { ip: "203.0.113.9", user_id: "u 1", method: "GET", path: "/a b\t", status: 200, bytes: 0, referer: 'x"\\\n', user_agent: "\x00\x7f" },
  };
  const text = apacheFormat().format(record);
  assert.equal(text, '203.0.113.9 - u_1 [23/Nov/2026:10:00:00 +0000] "GET /a%20b%09 HTTP/1.1" 200 0 "x\\"\\\\\\x0a" "\\x00\\x7f"');
  const f = parseApache(line(text), NOW)._unsafeUnwrap().fields!;
  assert.deepEqual([f.referer, f.user_agent, f.user_id], ['x"\\\n', "\x00\x7f", "u_1"]);
  const odd = apacheFormat().format({ ...record, fields: { ip: "198.51.100.1", method: "GET", path: "/", status: "oops", bytes: -3 } });
  assert.match(odd, /"GET \/ HTTP\/1\.1" - - "-" "-"$/, "a status that is not three digits, or bytes that are not a count, are absent");
});

test("httpOnly needs flows that make HTTP requests", () => {
  const jobsOnly = generatorSchema.safeParse({ httpOnly: true, mix: { session: 0, api: 0, job: 1 } });
  assert.ok(!jobsOnly.success);
  assert.match(jobsOnly.error.issues[0]!.message, /only jobs in `mix` make no HTTP requests/);
  assert.ok(generatorSchema.safeParse({ httpOnly: true, mix: { session: 0, api: 1, job: 5 } }).success);
});
