import { test } from "node:test";
import assert from "node:assert/strict";
import { envAt } from "./_common.ts";
import { resolveZone, UTC } from "./_time.ts";
import { coverage, huge, line, loghub } from "../../tests/_parser-programs.ts";
import { parseJava } from "./java.ts";

const NOW = envAt(Date.parse("2026-03-07T12:00:00Z"), UTC);
const parse = (text: string, env = NOW) => {
  const r = parseJava(line(text), env);
  assert.ok(r.isOk(), `${text}: ${r.isErr() && r.error.reason}`);
  return r.value;
};
const essence = (text: string, env = NOW) => {
  const r = parse(text, env);
  return { time: new Date(r.time).toISOString(), level: r.level, service: r.service, message: r.message, fields: r.fields };
};

test("Spring Boot's default layout (docs.spring.io, Spring Boot reference, Logging > Log Format: 3.x and 1.x-2.x)", () => {
  assert.deepEqual(
    essence("2025-05-10T01:34:33.608Z  INFO 88909 --- [myapp] [           main] o.s.b.d.f.logexample.MyApplication       : Starting MyApplication using Java 17.0.15 with PID 88909 (/opt/apps/myapp.jar started by myuser in /opt/apps/)"),
    { time: "2025-05-10T01:34:33.608Z", level: "INFO", service: "o.s.b.d.f.logexample.MyApplication", message: "Starting MyApplication using Java 17.0.15 with PID 88909 (/opt/apps/myapp.jar started by myuser in /opt/apps/)", fields: { pid: 88909, app: "myapp", thread: "main" } },
  );
  assert.deepEqual(
    essence("2014-03-05 10:57:51.253  INFO 45469 --- [ost-startStop-1] o.a.c.c.C.[Tomcat].[localhost].[/]       : Initializing Spring embedded WebApplicationContext"),
    { time: "2014-03-05T10:57:51.253Z", level: "INFO", service: "o.a.c.c.C.[Tomcat].[localhost].[/]", message: "Initializing Spring embedded WebApplicationContext", fields: { pid: 45469, thread: "ost-startStop-1" } },
  );
  const r = essence("2026-03-07T09:00:01.123+01:00 ERROR 1234 --- [app] [nio-8080-exec-1] [4bf92f3577b34da6-00f067aa0ba902b7] c.e.App : boom");
  assert.deepEqual([r.time, r.level, r.service, r.fields], ["2026-03-07T08:00:01.123Z", "ERROR", "c.e.App", { pid: 1234, app: "app", thread: "nio-8080-exec-1", correlation_id: "4bf92f3577b34da6-00f067aa0ba902b7" }]);
});

test("log4j2's and logback's default console layouts: a time of day, dated today in the parser's zone", () => {
  // log4j2 manual, Configuration > Automatic Configuration: `%d{HH:mm:ss.SSS} [%t] %-5level %logger{36} - %msg%n`.
  assert.deepEqual(essence("17:13:01.540 [main] ERROR com.foo.Bar - Did it again!", envAt(Date.parse("2026-03-07T18:00:00Z"), UTC)), {
    time: "2026-03-07T17:13:01.540Z", level: "ERROR", service: "com.foo.Bar", message: "Did it again!", fields: { thread: "main" },
  });
  // Read just after midnight, the line of 23:59 is yesterday's; in New York, today is New York's day.
  assert.equal(essence("23:59:59.999 [main] INFO  a.B - x", envAt(Date.parse("2026-03-08T00:00:30Z"), UTC)).time, "2026-03-07T23:59:59.999Z");
  assert.equal(essence("23:00:00.000 [main] INFO  a.B - x", envAt(Date.parse("2026-03-08T04:30:00Z"), resolveZone("America/New_York")._unsafeUnwrap())).time, "2026-03-08T04:00:00.000Z");
  // logback's TTLLLayout (BasicConfigurator): ` -- ` before the message since 1.3.
  assert.deepEqual(essence("13:49:12.214 [main] INFO chapters.configuration.MyApp1 -- Entering application.", envAt(Date.parse("2026-03-07T14:00:00Z"), UTC)).message, "Entering application.");
});

test("log4j 1/2 `%d %-5p [%t] %c - %m` and `%c{1}:%L`", () => {
  assert.deepEqual(essence("2026-03-07 09:00:01,123 INFO  [main] com.example.App - message"), {
    time: "2026-03-07T09:00:01.123Z", level: "INFO", service: "com.example.App", message: "message", fields: { thread: "main" },
  });
  assert.deepEqual(essence("2026-03-07 09:00:01,123 WARN  [pool-1 thread-2] App:42 - low: 3%").fields, { thread: "pool-1 thread-2", line: 42 });
  assert.equal(essence("2026-03-07T09:00:01,123 FATAL [main] org.x.Y: ").message, "");
});

test("Hadoop, Spark, Zookeeper and HDFS lines (loghub)", () => {
  assert.deepEqual(essence("2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster for application appattempt_1445144423722_0020_000001"), {
    time: "2015-10-18T18:01:47.978Z", level: "INFO", service: "org.apache.hadoop.mapreduce.v2.app.MRAppMaster", message: "Created MRAppMaster for application appattempt_1445144423722_0020_000001", fields: { thread: "main" },
  });
  assert.deepEqual(essence("17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered signal handlers for [TERM, HUP, INT]"), {
    time: "2017-06-09T20:10:40.000Z", level: "INFO", service: "executor.CoarseGrainedExecutorBackend", message: "Registered signal handlers for [TERM, HUP, INT]", fields: undefined,
  });
  assert.deepEqual(essence("2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200"), {
    time: "2015-07-29T17:41:44.747Z", level: "INFO", service: "FastLeaderElection", message: "Notification time out: 3200", fields: { thread: "QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181", line: 774 },
  });
  assert.deepEqual(essence("081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating"), {
    time: "2008-11-09T20:36:15.000Z", level: "INFO", service: "dfs.DataNode$PacketResponder", message: "PacketResponder 1 for block blk_38865049064139660 terminating", fields: { pid: 148 },
  });
});

test("loghub Hadoop_2k, Spark_2k, Zookeeper_2k, HDFS_2k: every line with its own time and level", (t) => {
  for (const name of ["Hadoop", "Spark", "Zookeeper", "HDFS"]) {
    const lines = loghub(name);
    if (!lines) return t.skip("no loghub samples in ../shared/conformance");
    const c = coverage(lines, parseJava, NOW);
    t.diagnostic(`${name}_2k: ${c.parsed}/${c.total} parsed`);
    assert.deepEqual(c.failed, [], name);
    for (const text of lines.slice(0, 50)) assert.notEqual(parse(text).time, NOW.now, `${name}: its own time`);
  }
});

test("a stack trace's continuation lines are not records (the tail's multiline mode joins them to theirs)", () => {
  for (const text of ["java.lang.IllegalStateException: boom", "\tat com.example.App.main(App.java:42)", "Caused by: java.io.IOException: x", "\t... 12 more"]) {
    assert.equal(parseJava(line(text), NOW)._unsafeUnwrapErr().reason, "no log4j/logback date at the start", text);
  }
});

test("not Java: logsim's text lines (a Z time), Python's, garbage, invalid UTF-8, a 10 MB line fail cleanly", () => {
  for (const text of [
    "2026-11-23T10:00:00.123Z INFO [payment-service] order.paid: ok",
    "2026-11-23 10:00:00,123 - app - INFO - message",
    "2026-11-23 10:00:00,123 NOTALEVEL [main] a.B - x",
    "2026-13-23 10:00:00,123 INFO [main] a.B - x",
    "garbage",
    "",
    "\uFFFD2026-03-07 09:00:01,123 INFO  [main] com.example.App - message",
    huge("2026-03-07 09:00:01,123 INFO  [main] "),
    huge("2015-07-29 17:41:44,747 - INFO  [a:"),
    huge("17/06/09 20:10:40 INFO a"),
  ]) assert.ok(parseJava(line(text), NOW).isErr(), text.slice(0, 60));
  assert.equal(parse(huge("2026-03-07 09:00:01,123 INFO  [main] a.B - ")).message.length, 10 * 1024 * 1024);
});
