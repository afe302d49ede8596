/**
 * The journald parser on lines the real `journalctl -o json` writes, from a journal file that the
 * real systemd-journal-remote made of export-format input; and on bad input.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { tempDir } from "../../tests/_helpers.ts";
import type { LogRecord, RawLine } from "../../core/types.ts";
import { envAt, parseJournald } from "./mod.ts";
import { UTC } from "./_time.ts";
import { journalExport, journalRemote, run, which, type JournalField as Field } from "../../tests/_programs.ts";

const NOW = envAt(Date.parse("2026-11-23T12:00:00.000Z"), UTC);
const line = (text: string): RawLine => ({ kind: "line", text });
const parse = (text: string): LogRecord => {
  const r = parseJournald(line(text), NOW);
  assert.ok(r.isOk(), `${text.slice(0, 200)}: ${r.isErr() ? r.error.reason : ""}`);
  return r.value;
};
const view = (r: LogRecord) => ({ time: new Date(r.time).toISOString(), level: r.level, service: r.service, message: r.message, fields: r.fields });

const BOOT: Field[] = [["_BOOT_ID", "0123456789abcdef0123456789abcdef"]];
const at = (us: string): Field[] => [["__REALTIME_TIMESTAMP", us], ["__MONOTONIC_TIMESTAMP", us.slice(-8)], ...BOOT];
const ENTRIES: Field[][] = [
  [...at("1772874001123456"), ["_HOSTNAME", "web01"], ["_PID", "812"], ["_UID", "0"], ["_COMM", "sshd"], ["_TRANSPORT", "syslog"], ["PRIORITY", "6"], ["SYSLOG_FACILITY", "4"],
    ["SYSLOG_IDENTIFIER", "sshd"], ["SYSLOG_PID", "812"], ["_SYSTEMD_UNIT", "ssh.service"], ["MESSAGE", "Accepted publickey for eng from 10.1.1.1 port 8888 ssh2"]],
  [...at("1772874002000000"), ["_HOSTNAME", "web01"], ["_PID", "90"], ["PRIORITY", "3"], ["SYSLOG_IDENTIFIER", "app"], ["_SYSTEMD_UNIT", "app.service"], ["MESSAGE", "panic: boom\n\u001b[31mgoroutine 1\u001b[0m"]],
  [...at("1772874003000000"), ["_HOSTNAME", "web01"], ["_TRANSPORT", "kernel"], ["PRIORITY", "2"], ["SYSLOG_FACILITY", "0"], ["SYSLOG_IDENTIFIER", "kernel"], ["MESSAGE", "Out of memory: Killed process 4242"]],
  [...at("1772874004000000"), ["_HOSTNAME", "web01"], ["_PID", "77"], ["PRIORITY", "4"], ["_SYSTEMD_UNIT", "nginx.service"], ["HOST", "upstream-3"], ["LEVEL", "warn"], ["TAG", "a"], ["TAG", "b"],
    ["MESSAGE", new Uint8Array([0x62, 0x61, 0x64, 0x20, 0xff, 0xfe, 0x21])]],
  [...at("1772874005000000"), ["PRIORITY", "7"], ["_COMM", "cron"], ["MESSAGE", "héllo ☃ k=v"], ["CODE_LINE", "42"], ["CODE_FUNC", "main"]],
];

test("journalctl -o json lines of a real journal file: time, level, service, message and every field", (t) => {
  const remote = journalRemote();
  if (!remote) return t.skip("systemd-journal-remote is not installed (scripts/setup.sh unpacks it into .tools/deb)");
  if (!which("journalctl")) return t.skip("journalctl is not installed");
  const { dir, cleanup } = tempDir("logsim-journal-");
  t.after(cleanup);
  const journal = join(dir, "x.journal");
  run(remote.bin, ["-o", journal, "-"], { env: remote.env, input: journalExport(ENTRIES) });
  const lines = run("journalctl", ["--file", journal, "-o", "json"]).split("\n").filter(Boolean);
  t.diagnostic(`${lines.length} entries from ${run("journalctl", ["--version"]).split("\n")[0]}`);
  assert.equal(lines.length, ENTRIES.length);
  const [sshd, app, kernel, nginx, cron] = lines.map(parse).map((r) => {
    assert.match(String(r.fields?.__cursor), /^s=[0-9a-f]+;i=\d+;/);
    assert.equal(r.fields?._boot_id, "0123456789abcdef0123456789abcdef");
    assert.equal(typeof r.fields?.__monotonic_timestamp, "number");
    const { __cursor: _c, _boot_id: _b, __monotonic_timestamp: _m, ...rest } = r.fields ?? {};
    return view({ ...r, fields: rest });
  });
  assert.deepEqual(sshd, {
    time: "2026-03-07T09:00:01.123Z", level: "INFO", service: "sshd", message: "Accepted publickey for eng from 10.1.1.1 port 8888 ssh2",
    fields: { host: "web01", pid: 812, severity: "info", facility: "auth", _uid: 0, _comm: "sshd", _transport: "syslog", syslog_pid: 812, _systemd_unit: "ssh.service" },
  });
  assert.deepEqual(app, {
    time: "2026-03-07T09:00:02.000Z", level: "ERROR", service: "app", message: "panic: boom\n\u001b[31mgoroutine 1\u001b[0m",
    fields: { host: "web01", pid: 90, severity: "err", _systemd_unit: "app.service" },
  }, "journalctl writes a message with control characters as bytes: decoded");
  assert.deepEqual(kernel, {
    time: "2026-03-07T09:00:03.000Z", level: "FATAL", service: "kernel", message: "Out of memory: Killed process 4242",
    fields: { host: "web01", severity: "crit", facility: "kern", _transport: "kernel" },
  });
  assert.deepEqual(nginx, {
    time: "2026-03-07T09:00:04.000Z", level: "WARN", service: "nginx.service", message: "bad \uFFFD\uFFFD!",
    fields: { host: "web01", pid: 77, severity: "warning", message_bytes: [0x62, 0x61, 0x64, 0x20, 0xff, 0xfe, 0x21], _host: "upstream-3", _level: "warn", tag: ["a", "b"] },
  }, "bytes that are not UTF-8 are kept; a field written twice is an array; fields named like host or level renamed");
  assert.deepEqual(cron, {
    time: "2026-03-07T09:00:05.000Z", level: "DEBUG", service: "cron", message: "héllo ☃ k=v",
    fields: { severity: "debug", code_line: 42, code_func: "main" },
  });
});

test("journald lines without the usual fields, and bad input: a reason, never a throw", () => {
  const minimal = parse('{"MESSAGE":"m"}');
  assert.deepEqual(view(minimal), { time: "2026-11-23T12:00:00.000Z", level: "INFO", service: undefined, message: "m", fields: {} });
  const odd = parse('{"__REALTIME_TIMESTAMP":"soon","_SOURCE_REALTIME_TIMESTAMP":"1772874001000000","PRIORITY":"loud","SYSLOG_FACILITY":"99","MESSAGE":null,"_HOSTNAME":[104,0]}');
  assert.deepEqual(view(odd), {
    time: "2026-03-07T09:00:01.000Z", level: "INFO", service: undefined, message: "",
    fields: { host: "h\u0000", priority: "loud", syslog_facility: 99, _message: null, __realtime_timestamp: "soon", _source_realtime_timestamp: "1772874001000000" },
  }, "nothing a line carries is dropped when it cannot be read as what it usually is");
  const reason = (text: string) => {
    const r = parseJournald(line(text), NOW);
    return r.isErr() ? r.error.reason : "ok";
  };
  assert.equal(reason("\u0000\u0001garbage"), "not a journal entry: not a JSON object");
  assert.equal(reason('{"MESSAGE":"cut'), "invalid JSON");
  assert.equal(reason('{"level":"info","msg":"m"}'), "not a journal entry: no __CURSOR, __REALTIME_TIMESTAMP or MESSAGE");
  assert.equal(reason('{"MESSAGE":"bad \uFFFD byte"}'), "invalid UTF-8");
  assert.equal(reason("[1,2]"), "not a journal entry: not a JSON object");
  const big = "x".repeat(10 * 1024 * 1024);
  assert.equal(reason(big), "not a journal entry: not a JSON object");
  assert.equal(reason(`{"MESSAGE":"${big}`), "invalid JSON");
  assert.equal(parse(`{"MESSAGE":"${big}"}`).message.length, big.length);
  const proto = parse('{"MESSAGE":"m","__PROTO__":"x"}');
  assert.equal(Object.getOwnPropertyDescriptor(proto.fields, "__proto__")?.value, "x");
  assert.equal(Object.getPrototypeOf(proto.fields), Object.prototype);
});
