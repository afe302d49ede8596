/**
 * Syslog lines written by the real programs: util-linux `logger` in every form it sends (caught on
 * a unix datagram socket), and rsyslogd writing its default file formats. Skipped, with the
 * reason, where a program is missing (scripts/setup.sh unpacks rsyslog into .tools/deb).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { tempDir, waitFor } from "../../tests/_helpers.ts";
import type { LogRecord } from "../../core/types.ts";
import { envAt, parseSyslog } from "./mod.ts";
import { LOCAL } from "./_time.ts";
import { datagramSocket, rsyslogd, rsyslogModules, run, which } from "../../tests/_programs.ts";

const parse = (text: string, now = Date.now()): LogRecord => {
  const r = parseSyslog({ kind: "line", text }, envAt(now, LOCAL));
  assert.ok(r.isOk(), `${text}: ${r.isErr() ? r.error.reason : ""}`);
  return r.value;
};
/** What a line says, with a pid (a process id we cannot know) as its type. */
const said = (r: LogRecord) => {
  const fields: Record<string, unknown> = { ...r.fields };
  if (typeof fields.pid === "number" && fields.pid !== 4242 && fields.pid !== 43) fields.pid = "a pid";
  if (fields.timeQuality) fields.timeQuality = Object.keys(fields.timeQuality as object);
  return { level: r.level, service: r.service, message: r.message, fields };
};
const SHORT_HOST = hostname().split(".")[0];
const USER = run("id", ["-un"]).trim(); // Not os.userInfo(): Bun answers "unknown" in some containers.

interface Form {
  args: string[];
  input?: string;
  expect: Array<ReturnType<typeof said>>;
  /** Second-precision local time (RFC 3164), a millisecond time (RFC 5424), or none (now). */
  time: "seconds" | "ms" | "none";
}

const FORMS = (file: string): Form[] => [
  { args: ["-t", "app", "-i", "-p", "user.info", "local default"], time: "seconds",
    expect: [{ level: "INFO", service: "app", message: "local default", fields: { pid: "a pid", facility: "user", severity: "info" } }] },
  { args: ["--rfc3164", "-t", "sshd", "-p", "auth.warning", "hello 3164"], time: "seconds",
    expect: [{ level: "WARN", service: "sshd", message: "hello 3164", fields: { host: SHORT_HOST, facility: "auth", severity: "warning" } }] },
  { args: ["--rfc3164", "-p", "mail.notice", "no tag given"], time: "seconds",
    expect: [{ level: "INFO", service: USER, message: "no tag given", fields: { host: SHORT_HOST, facility: "mail", severity: "notice" } }] },
  { args: ["--rfc5424", "-t", "myapp", "-i", "-p", "local3.err", "--msgid", "ID47", "--sd-id", "zoo@123", "--sd-param", 'tiger="hungry"', "--sd-param", 'tiger="fed"', "--sd-id", "x@1", "--sd-param", 'n="42"', "hello 5424"], time: "ms",
    expect: [{ level: "ERROR", service: "myapp", message: "hello 5424",
      fields: { host: hostname(), pid: "a pid", event: "ID47", facility: "local3", severity: "err", timeQuality: ["tzKnown", "isSynced"], "zoo@123": { tiger: ["hungry", "fed"] }, "x@1": { n: 42 } } }] },
  { args: ["--rfc5424=notq,notime,nohost", "--id=4242", "-t", "bare", "-p", "daemon.debug", "bare"], time: "none",
    expect: [{ level: "DEBUG", service: "bare", message: "bare", fields: { pid: 4242, facility: "daemon", severity: "debug" } }] },
  { args: ["--octet-count", "--rfc3164", "-t", "counted", "-p", "user.crit", "octets"], time: "seconds",
    expect: [{ level: "FATAL", service: "counted", message: "octets", fields: { host: SHORT_HOST, facility: "user", severity: "crit" } }] },
  { args: ["--prio-prefix", "-t", "stdin"], input: "<11>from stdin\n", time: "seconds",
    expect: [{ level: "ERROR", service: "stdin", message: "from stdin", fields: { facility: "user", severity: "err" } }] },
  { args: ["--rfc3164", "-t", "com.apple.CDScheduler", "--id=43", "-p", "user.alert", "dotted tag"], time: "seconds",
    expect: [{ level: "FATAL", service: "com.apple.CDScheduler", message: "dotted tag", fields: { host: SHORT_HOST, pid: 43, facility: "user", severity: "alert" } }] },
  { args: ["-t", "utf8", "héllo ☃ ünïcode"], time: "seconds",
    expect: [{ level: "INFO", service: "utf8", message: "héllo ☃ ünïcode", fields: { facility: "user", severity: "notice" } }] },
  { args: ["--rfc5424", "-t", "multi", "-f", file], time: "ms",
    expect: ["first line", "second: line"].map((message) => ({ level: "INFO", service: "multi", message, fields: { host: hostname(), facility: "user", severity: "notice", timeQuality: ["tzKnown", "isSynced"] } })) },
];

test("util-linux logger: every form it sends parses to its time, level, service, message and fields", async (t) => {
  if (!which("logger")) return t.skip("logger (util-linux) is not installed");
  if (!which("python3")) return t.skip("python3 is not installed (it binds the unix datagram socket logger writes to)");
  const { dir, cleanup } = tempDir("logsim-logger-");
  t.after(cleanup);
  const file = join(dir, "lines.txt");
  writeFileSync(file, "first line\nsecond: line\n");
  const socket = await datagramSocket(join(dir, "log.sock"));
  t.after(socket.close);
  let expected = 0;
  const sent: Array<{ form: Form; at: number }> = [];
  for (const form of FORMS(file)) {
    const at = Date.now();
    run("logger", ["-u", join(dir, "log.sock"), ...form.args], { input: form.input });
    for (let i = 0; i < form.expect.length; i++) sent.push({ form, at });
    expected += form.expect.length;
  }
  await socket.wait(expected);
  t.diagnostic(`${socket.datagrams.length} datagrams from logger ${run("logger", ["--version"]).trim()}`);
  const counts = new Map<Form, number>();
  socket.datagrams.forEach((datagram, i) => {
    const { form, at } = sent[i]!;
    const k = counts.get(form) ?? 0;
    counts.set(form, k + 1);
    const now = Date.now();
    const r = parse(datagram, now);
    assert.deepEqual(said(r), form.expect[k], datagram);
    if (form.time === "none") assert.equal(r.time, now, datagram);
    else {
      assert.ok(r.time >= Math.floor(at / 1000) * 1000 - 1000 && r.time <= now + 1000, `${datagram}: ${new Date(r.time).toISOString()} sent at ${new Date(at).toISOString()}`);
      if (form.time === "seconds") assert.equal(r.time % 1000, 0, datagram);
    }
  });
});

const RSYSLOG_FORMATS = ["RSYSLOG_FileFormat", "RSYSLOG_TraditionalFileFormat", "RSYSLOG_SyslogProtocol23Format"] as const;

test("rsyslogd: its default file format, the traditional one and RFC 5424 files parse back to what logger sent", async (t) => {
  const rsyslog = rsyslogd();
  if (!rsyslog) return t.skip("rsyslogd is not installed (scripts/setup.sh unpacks it into .tools/deb/rsyslog)");
  if (!which("logger")) return t.skip("logger (util-linux) is not installed");
  const { dir, cleanup } = tempDir("logsim-rsyslog-");
  t.after(cleanup);
  const sock = join(dir, "log.sock");
  const conf = [
    `global(workDirectory="${dir}")`,
    'module(load="imuxsock" SysSock.Use="off")',
    `input(type="imuxsock" Socket="${sock}" UseSpecialParser="off" ParseHostname="on")`,
    ...RSYSLOG_FORMATS.map((f) => `*.* action(type="omfile" file="${join(dir, `${f}.log`)}" template="${f}")`),
  ].join("\n");
  writeFileSync(join(dir, "rsyslog.conf"), conf);
  const child = spawn(rsyslog.bin, ["-n", "-f", join(dir, "rsyslog.conf"), "-i", join(dir, "rsyslogd.pid"), "-M", rsyslogModules(rsyslog)], {
    env: { ...process.env, ...rsyslog.env }, stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on("close", resolve));
  t.after(async () => {
    child.kill("SIGTERM");
    await exited;
  });
  await waitFor(() => existsSync(sock) || child.exitCode !== null, 30_000, "rsyslogd's socket");
  assert.ok(existsSync(sock), `rsyslogd did not start: ${stderr}`);
  const messages: Array<{ args: string[]; service: string; message: string; host: boolean; pid: boolean; level: string; sd?: Record<string, unknown> }> = [
    { args: ["-t", "app", "-i", "-p", "user.info"], service: "app", message: "local default", host: true, pid: true, level: "INFO" },
    { args: ["--rfc3164", "-t", "sshd", "-p", "auth.warning"], service: "sshd", message: "Accepted publickey for eng from 10.1.1.1 port 8888 ssh2", host: true, pid: false, level: "WARN" },
    { args: ["--rfc5424", "-t", "myapp", "-i", "-p", "local3.err", "--msgid", "ID47", "--sd-id", "zoo@123", "--sd-param", 'tiger="hungry"', "--sd-param", 'tiger="fed"'], service: "myapp", message: "hello 5424", host: true, pid: true, level: "ERROR", sd: { "zoo@123": { tiger: ["hungry", "fed"] } } },
    { args: ["--rfc5424=notq,notime,nohost", "--id=4242", "-t", "bare", "-p", "daemon.debug"], service: "bare", message: "no host", host: false, pid: true, level: "DEBUG" },
    { args: ["-t", "utf8", "-p", "user.crit"], service: "utf8", message: "héllo ☃", host: true, pid: false, level: "FATAL" },
  ];
  for (const m of messages) run("logger", ["-u", sock, ...m.args, m.message]);
  const read = (f: string) => (existsSync(join(dir, `${f}.log`)) ? readFileSync(join(dir, `${f}.log`), "utf8").split("\n").filter(Boolean) : []);
  await waitFor(() => RSYSLOG_FORMATS.every((f) => read(f).length >= messages.length), 30_000, "rsyslogd to write its files");
  t.diagnostic(`${messages.length} messages x ${RSYSLOG_FORMATS.length} files from ${rsyslog.bin}`);
  const byFormat = Object.fromEntries(RSYSLOG_FORMATS.map((f) => [f, read(f).map((l) => parse(l))]));
  messages.forEach((m, i) => {
    for (const f of RSYSLOG_FORMATS) {
      const r = byFormat[f]![i]!;
      const what = `${f}: ${r.raw}`;
      assert.equal(r.service, m.service, what);
      assert.equal(r.message, m.message, what);
      assert.equal(r.fields?.host, m.host ? hostname() : undefined, what);
      assert.equal(typeof r.fields?.pid, m.pid ? "number" : "undefined", what);
      // The file formats drop the PRI: only the RFC 5424 file keeps the level and facility.
      assert.equal(r.level, f === "RSYSLOG_SyslogProtocol23Format" ? m.level : "INFO", what);
      if (f === "RSYSLOG_SyslogProtocol23Format" && m.sd) for (const [id, params] of Object.entries(m.sd)) assert.deepEqual(r.fields?.[id], params, what);
    }
    // One message, one time: to the microsecond's millisecond in two files, to the second in the traditional one.
    const exact = byFormat.RSYSLOG_FileFormat![i]!.time;
    assert.ok(Math.abs(exact - Date.now()) < 5 * 60_000, `${new Date(exact).toISOString()} is now`);
    assert.equal(byFormat.RSYSLOG_SyslogProtocol23Format![i]!.time, exact);
    assert.equal(byFormat.RSYSLOG_TraditionalFileFormat![i]!.time, Math.floor(exact / 1000) * 1000);
  });
});
