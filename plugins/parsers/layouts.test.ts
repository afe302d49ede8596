import { test } from "node:test";
import assert from "node:assert/strict";
import type { LogRecord, RawLine } from "../../core/types.ts";
import { envAt, parseBlueGeneRas, parseHdfs, parseHealthApp, parseLanlHpc, parseLogcat, parseProxifier, parseThunderbird, parseTimestamped, parseWindowsCbs, type LineParser } from "./mod.ts";
import { LAYOUTS } from "./_layouts.ts";
import { resolveZone, UTC } from "./_time.ts";

const NOW = envAt(Date.parse("2026-11-23T12:00:00.000Z"), UTC);
const line = (text: string): RawLine => ({ kind: "line", text, origin: { file: "/logs/x.log", offset: 0 } });
const read = (parse: LineParser, text: string, env = NOW): LogRecord => {
  const r = parse(line(text), env);
  if (r.isErr()) assert.fail(`${r.error.reason}: ${text}`);
  return r.value;
};
const iso = (r: LogRecord) => new Date(r.time).toISOString();

test("logcat: threadtime, time and brief layouts, year from the reference, levels V/D/I/W/E/F/A", () => {
  const r = read(parseLogcat, "03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogs: a: b");
  assert.equal(iso(r), "2026-03-17T16:13:38.811Z");
  assert.deepEqual([r.level, r.message, r.fields, r.origin?.parser], ["DEBUG", "printFreezingDisplayLogs: a: b", { pid: 1702, tid: 2395, component: "WindowManager" }, "logcat"]);
  assert.equal(read(parseLogcat, "03-17 16:13:38.811  1702  2395 I chatty  : uid=1000 expire 3 lines").fields?.component, "chatty");
  assert.deepEqual(["V", "D", "I", "W", "E", "F", "A"].map((l) => read(parseLogcat, `03-17 16:13:38.811  1 2 ${l} T: m`).level), ["DEBUG", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "FATAL"]);
  // December lines read on New Year's Day are last year's.
  assert.equal(iso(read(parseLogcat, "12-31 23:59:59.999  1  2 I T: m", envAt(Date.parse("2026-01-01T08:00:00Z"), UTC))), "2025-12-31T23:59:59.999Z");
  const timed = read(parseLogcat, "03-17 16:13:38.811 W/ActivityManager( 1702): Slow operation");
  assert.deepEqual([iso(timed), timed.level, timed.message, timed.fields], ["2026-03-17T16:13:38.811Z", "WARN", "Slow operation", { pid: 1702, component: "ActivityManager" }]);
  const brief = read(parseLogcat, "E/AndroidRuntime(  815): FATAL EXCEPTION: main");
  assert.deepEqual([brief.time, brief.level, brief.message], [NOW.now, "ERROR", "FATAL EXCEPTION: main"]);
  assert.equal(iso(read(parseLogcat, "2017-03-17 16:13:38.811123 +0800  1702  2395 I T: m")), "2017-03-17T08:13:38.811Z");
  assert.deepEqual(read(parseLogcat, "03-17 16:13:38.811  1000  1702  2395 I T: m").fields, { pid: 1702, tid: 2395, component: "T", uid: "1000" });
  assert.equal(iso(read(parseLogcat, "03-17 16:13:38.811  1 2 I T: m", envAt(NOW.now, resolveZone("+02:00")._unsafeUnwrap()))), "2026-03-17T14:13:38.811Z");
});

test("bluegene-ras: the event time with its fraction, its offset read off the epoch; alert, node, type, component", () => {
  const r = read(parseBlueGeneRas, "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected");
  assert.equal(iso(r), "2005-06-03T22:42:50.675Z");
  assert.deepEqual([r.level, r.message, r.fields], ["INFO", "instruction cache parity error corrected", { node: "R02-M1-N0-C:J12-U11", type: "RAS", component: "KERNEL" }]);
  const alert = read(parseBlueGeneRas, "KERNDTLB 1118536327 2005.06.11 R30-M0-N9-C:J16-U01 2005-06-11-17.32.07.581048 R30-M0-N9-C:J16-U01 RAS KERNEL FATAL data TLB error interrupt");
  assert.deepEqual([alert.level, alert.fields?.alert], ["FATAL", "KERNDTLB"]);
  assert.deepEqual(["SEVERE", "FAILURE", "WARNING", "ERROR", "DEBUG"].map((l) => read(parseBlueGeneRas, `- 1117838570 2005.06.03 N 2005-06-03-15.42.50.675872 M NULL DISCOVERY ${l} x`).level), ["ERROR", "FATAL", "WARN", "ERROR", "DEBUG"]);
  assert.equal(read(parseBlueGeneRas, "- 1117838570 2005.06.03 N 2005-06-03-15.42.50.675872 M NULL DISCOVERY INFO x").fields?.reporter, "M");
  // Epoch and wall clock that disagree: the epoch is the time.
  assert.equal(iso(read(parseBlueGeneRas, "- 1117838570 2005.06.03 N 2005-06-03-15.12.10.000000 N RAS KERNEL INFO x")), "2005-06-03T22:42:50.000Z");
  const odd = read(parseBlueGeneRas, "- 1117838570 2005.06.03 N 2005-06-03-15.42.50.675872 N RAS KERNEL CHATTY x");
  assert.deepEqual([odd.level, odd.fields?.severity], ["INFO", "CHATTY"]);
});

test("thunderbird: labelled syslog, the year from the date column and the offset from the epoch", () => {
  const r = read(parseThunderbird, "- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed for user root");
  assert.equal(iso(r), "2005-11-09T20:01:01.000Z");
  assert.deepEqual([r.level, r.message, r.fields], ["INFO", "session closed for user root", { node: "dn228", host: "dn228/dn228", component: "crond(pam_unix)", pid: 2915 }]);
  const audit = read(parseThunderbird, "- 1131567043 2005.11.09 tbird-admin1 Nov 9 12:10:43 local@tbird-admin1 ioctl32(fdisk:515): Unknown cmd fd(5)");
  assert.deepEqual([audit.fields?.component, audit.message], ["ioctl32(fdisk:515)", "Unknown cmd fd(5)"]);
  const alert = read(parseThunderbird, "VAPI 1131566461 2005.11.09 en263 Nov 9 12:01:01 en263/en263 kernel: [KERNEL_IB][ib_mad_dispatch] no handler");
  assert.deepEqual([alert.fields?.alert, alert.fields?.component, alert.message], ["VAPI", "kernel", "[KERNEL_IB][ib_mad_dispatch] no handler"]);
  assert.equal(read(parseThunderbird, "- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 no program here").message, "no program here");
});

test("lanl-hpc, hdfs, healthapp, proxifier, windows-cbs", () => {
  const hpc = read(parseLanlHpc, "134681 node-246 unix.hw state_change.unavailable 1077804742 1 Component State Change: Component \\042alt0\\042 is unavailable");
  assert.deepEqual([iso(hpc), hpc.message, hpc.fields], ["2004-02-26T14:12:22.000Z", "Component State Change: Component \\042alt0\\042 is unavailable", { log_id: 134681, node: "node-246", component: "unix.hw", state: "state_change.unavailable", flag: 1 }]);
  assert.equal(read(parseLanlHpc, "2286759 full partition status 1061219795 -1 running").fields?.flag, -1);
  const hdfs = read(parseHdfs, "081109 203615 148 WARN dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating");
  assert.deepEqual([iso(hdfs), hdfs.level, hdfs.message, hdfs.fields], ["2008-11-09T20:36:15.000Z", "WARN", "PacketResponder 1 for block blk_38865049064139660 terminating", { pid: 148, component: "dfs.DataNode$PacketResponder" }]);
  const health = read(parseHealthApp, "20171223-22:15:35:11|Step_LSC|30002312|a|b=c");
  assert.deepEqual([iso(health), health.message, health.fields], ["2017-12-23T22:15:35.011Z", "a|b=c", { component: "Step_LSC", pid: 30002312 }]);
  assert.equal(iso(read(parseHealthApp, "20171224-0:5:3:9|C|1|m")), "2017-12-24T00:05:03.009Z");
  const px = read(parseProxifier, "[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS");
  assert.deepEqual([iso(px), px.level, px.fields], ["2026-10-30T16:49:06.000Z", "INFO", { program: "chrome.exe" }]);
  const pxErr = read(parseProxifier, "[10.30 21:08:03] spoolsv.exe *64 - 127.0.0.1:135 error : Could not connect through proxy proxy.cse.cuhk.edu.hk:5070 - Proxy server cannot establish a connection");
  assert.deepEqual([pxErr.level, pxErr.fields, pxErr.message.slice(0, 21)], ["ERROR", { program: "spoolsv.exe", program_bits: 64 }, "127.0.0.1:135 error :"]);
  const cbs = read(parseWindowsCbs, "2016-09-28 04:30:31, Info                  CSI    00000001@2016/9/27:20:30:31.455 WcpInitialize");
  assert.deepEqual([iso(cbs), cbs.level, cbs.message, cbs.fields], ["2016-09-28T04:30:31.000Z", "INFO", "00000001@2016/9/27:20:30:31.455 WcpInitialize", { component: "CSI" }]);
  assert.equal(read(parseWindowsCbs, "2016-09-28 04:30:31, Error                 CBS    Failed to load").level, "ERROR");
  assert.deepEqual(read(parseWindowsCbs, "2016-09-28 04:30:31, Perf                  CBS    x").fields, { component: "CBS", severity: "Perf" });
});

test("timestamped: a leading timestamp in many shapes, then an optional level word; the rest is the message", () => {
  const cases: Array<[string, string, string, string]> = [
    ["2026-11-29T10:00:00.123Z INFO started", "2026-11-29T10:00:00.123Z", "INFO", "started"],
    ["2026-11-29 10:00:00,123 +0100 [WARN] low disk", "2026-11-29T09:00:00.123Z", "WARN", "low disk"],
    ["2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0.0.0.0:2181:FastLeaderElection@774] - Notification", "2015-07-29T17:41:44.747Z", "INFO", "[QuorumPeer[myid=1]/0.0.0.0:2181:FastLeaderElection@774] - Notification"],
    ["2026/11/29 10:00:00 [error] 12#0: *1 open() failed", "2026-11-29T10:00:00.000Z", "ERROR", "12#0: *1 open() failed"],
    ["2005-06-03-15.42.50.675872 R02 RAS", "2005-06-03T15:42:50.675Z", "INFO", "R02 RAS"],
    ["20261129T100000 debug: x", "2026-11-29T10:00:00.000Z", "DEBUG", "x"],
    ["20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579", "2017-12-23T22:15:29.606Z", "INFO", "Step_LSC|30002312|onStandStepChanged 3579"],
    ["17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered", "2017-06-09T20:10:40.000Z", "INFO", "executor.CoarseGrainedExecutorBackend: Registered"],
    ["081109 203615 148 INFO dfs.DataNode: x", "2008-11-09T20:36:15.000Z", "INFO", "dfs.DataNode: x"],
    ["[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok", "2005-12-04T04:47:44.000Z", "INFO", "workerEnv.init() ok"],
    ["Sun Dec 04 04:47:44 2005 fatal: boom", "2005-12-04T04:47:44.000Z", "FATAL", "boom"],
    ["Dec  4 04:47:44 host x", "2025-12-04T04:47:44.000Z", "INFO", "host x"],
    ["29-Nov-2026 10:00:00.123 SEVERE [main] org.Foo x", "2026-11-29T10:00:00.123Z", "ERROR", "[main] org.Foo x"],
    ["[29/Nov/2026:10:00:00 -0500] GET /", "2026-11-29T15:00:00.000Z", "INFO", "GET /"],
    ["11-20 10:00:00.123  1702  2395 D Tag: m", "2026-11-20T10:00:00.123Z", "INFO", "1702  2395 D Tag: m"],
    ["[10.30 16:49:06] chrome.exe - open", "2026-10-30T16:49:06.000Z", "INFO", "chrome.exe - open"],
    ["1117838570 node-1 up", "2005-06-03T22:42:50.000Z", "INFO", "node-1 up"],
    ["1117838570.25 warning disk", "2005-06-03T22:42:50.250Z", "WARN", "disk"],
    ["1117838570123 x", "2005-06-03T22:42:50.123Z", "INFO", "x"],
    ["2026-11-29 10:00:00 12345 ERROR x.y: z", "2026-11-29T10:00:00.000Z", "ERROR", "x.y: z"],
    ["2026-11-29 10:00:00.123 [main] Warn Foo - bar", "2026-11-29T10:00:00.123Z", "WARN", "Foo - bar"],
    ["2026-11-29 10:00:00 Logged in as admin", "2026-11-29T10:00:00.000Z", "INFO", "Logged in as admin"],
    ["2026-11-29 10:00:00", "2026-11-29T10:00:00.000Z", "INFO", ""],
  ];
  for (const [text, time, level, message] of cases) {
    const r = read(parseTimestamped, text);
    assert.deepEqual([iso(r), r.level, r.message], [time, level, message], text);
  }
  assert.deepEqual(read(parseTimestamped, "2026-11-29 10:00:00 12345 67 ERROR x").fields, { pid: 12345, tid: 67 });
  assert.deepEqual(read(parseTimestamped, "2026-11-29 10:00:00 [pool-1 thread-2] ERROR x").fields, { thread: "pool-1 thread-2" });
  for (const text of ["hello 2026-11-29 10:00:00", "2026-13-29 10:00:00 x", "2026-02-30 10:00:00 x", "[2026-11-29 10:00:00 x", "12345 abc", "Foo 12 10:00:00 x", "[] x", "99/99/99 10:00:00 x"]) {
    assert.ok(parseTimestamped(line(text), NOW).isErr(), text);
  }
});

test("bad input: binary garbage, invalid UTF-8 and 10 MB lines fail cleanly with a reason, never throw", () => {
  const big = (c: string) => c.repeat(10 * 1024 * 1024);
  const garbage = [
    "\u0000\u0001\u0002\u00ff\u007f\u001b[31m\u0000",
    "03-17 16:13:38.811  1702  2395 D Tag: caf\uFFFD",
    "",
    big("a"), big("1"), big(" "), `[${big("1")}`, `- ${big("1")}`, `${big("9")} x`, `[10.30 16:49:06] ${big("x")}`,
    `03-17 16:13:38.811  1702  2395 D ${big("x")}`, `- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 ${big("x")}`,
  ];
  for (const { name, parse } of LAYOUTS) {
    for (const text of garbage) {
      const r = parse(line(text), NOW);
      if (r.isErr()) assert.ok(r.error.reason.length > 0, name);
      // Lines that start like the format and go on for 10 MB may be read: the message is then all of it.
      else assert.ok(r.value.message.length > 1_000_000 || text.length > 1_000_000, `${name} read ${JSON.stringify(text.slice(0, 40))}`);
    }
    assert.equal(parse(line(garbage[0]!), NOW).isErr(), true, name);
    assert.equal(parse(line(garbage[1]!), NOW).isErr() && parse(line(garbage[1]!), NOW)._unsafeUnwrapErr().reason, "invalid UTF-8", name);
    assert.equal(parse(line(big("a")), NOW).isErr(), true, name);
  }
});
