import { test } from "node:test";
import assert from "node:assert/strict";
import { envAt } from "./_common.ts";
import { UTC } from "./_time.ts";
import { huge, line } from "../../tests/_parser-programs.ts";
import { parseKlog } from "./klog.ts";

const NOW = envAt(Date.parse("2026-03-07T12:00:00Z"), UTC);
const parse = (text: string, env = NOW) => parseKlog(line(text), env)._unsafeUnwrap();

test("klog's native format and its structured form (kubernetes.io, Concepts > Cluster Administration > System Logs)", () => {
  let r = parse("I1025 00:15:15.525108       1 httplog.go:79] GET /api/v1/namespaces/kube-system/pods/metrics-server-v0.3.1-57c75779f-9p8wg: (1.512ms) 200 [pod_nanny/v0.0.0 (linux/amd64) kubernetes/$Format 10.56.1.19:51756]");
  assert.equal(r.time, Date.UTC(2025, 9, 25, 0, 15, 15, 525), "October is in the past on 7 March 2026: last year's");
  assert.equal(r.level, "INFO");
  assert.equal(r.message, "GET /api/v1/namespaces/kube-system/pods/metrics-server-v0.3.1-57c75779f-9p8wg: (1.512ms) 200 [pod_nanny/v0.0.0 (linux/amd64) kubernetes/$Format 10.56.1.19:51756]");
  assert.deepEqual(r.fields, { thread_id: 1, file: "httplog.go", line: 79 });
  r = parse('I1025 00:15:15.525108       1 controller_utils.go:116] "Pod status updated" pod="kube-system/kubedns" status="ready"');
  assert.equal(r.message, "Pod status updated");
  assert.deepEqual(r.fields, { thread_id: 1, file: "controller_utils.go", line: 116, pod: "kube-system/kubedns", status: "ready" });
});

test("levels, glog's year, this year's dates, and structured tails that are not", () => {
  assert.deepEqual([parse("W0307 09:00:01.123456    1234 file.go:42] low").level, parse("E0307 09:00:01.123456 1 a.go:1] x").level, parse("F0307 09:00:01.123456 1 a.go:1] x").level], ["WARN", "ERROR", "FATAL"]);
  assert.equal(parse("I0307 09:00:01.123456    1234 file.go:42] message").time, Date.UTC(2026, 2, 7, 9, 0, 1, 123));
  assert.equal(parse("I20230307 09:00:01.123456 1234 logging.cc:42] glog with a year").time, Date.UTC(2023, 2, 7, 9, 0, 1, 123));
  const r = parse('E0307 09:00:01.000000 7 x.go:3] "Failed" err="dial tcp: timeout" attempt=3 line=9');
  assert.deepEqual(r.fields, { thread_id: 7, file: "x.go", line: 3, err: "dial tcp: timeout", attempt: 3, _line: 9 });
  assert.equal(parse('I0307 09:00:01.000000 7 x.go:3] "quoted" then words').message, '"quoted" then words');
  assert.equal(parse("I0307 09:00:01.000000 7 x.go:3] ").message, "");
});

test("bad input fails cleanly", () => {
  for (const text of ["", "garbage", "X0307 09:00:01.123456 1 a.go:1] x", "I1307 09:00:01.123456 1 a.go:1] x", "I0230 09:00:01.123456 1 a.go:1] x", "\uFFFDI0307 09:00:01.123456 1 a.go:1] x", huge("I0307 09:00:01.123456 1 ")]) {
    assert.ok(parseKlog(line(text), NOW).isErr(), text.slice(0, 40));
  }
  assert.equal(parse(huge('I0307 09:00:01.123456 1 a.go:1] "')).message.length, 10 * 1024 * 1024 + 1, "an unterminated quote: the whole tail");
});
