/**
 * Container runtimes' lines (Docker json-file, CRI), Kubernetes metadata from file names, the
 * decoders chained with json/auto through the real pipeline, the kubernetesLogs() preset on real
 * files, and bad input.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { createApp } from "../../core/app.ts";
import { validateConfig } from "../../core/config/validate.ts";
import { definePlugin, type PluginSpec } from "../../core/plugin.ts";
import type { LogRecord, RawLine } from "../../core/types.ts";
import { detectRuntime } from "../../runtime/detect.ts";
import { kubernetesLogs } from "../kubernetes/mod.ts";
import { ContainerDecoder, auto, container, containerFormatOf, cri, decodeContainer, docker, envAt, json, kubernetesOf, parseJson, parsePlainText } from "./mod.ts";
import { UTC } from "./_time.ts";

const runtime = await detectRuntime();
const NOW_MS = Date.parse("2026-11-23T12:00:00.000Z");
const NOW = envAt(NOW_MS, UTC);
const ID = "3f4a9c2e8b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f";
const K8S_FILE = `/var/log/containers/checkout-7d4b9c-x2x8v_shop_api-${ID}.log`;
const K8S = { namespace: "shop", pod: "checkout-7d4b9c-x2x8v", container: "api", container_id: ID };
const line = (text: string, file = K8S_FILE): RawLine => ({ kind: "line", text, origin: { file, offset: 0 } });
const T = "2026-03-07T09:00:01.123456789Z";
const T_MS = Date.parse("2026-03-07T09:00:01.123Z");

test("Kubernetes metadata from /var/log/containers and /var/log/pods names; none from other paths", () => {
  assert.deepEqual(kubernetesOf(K8S_FILE), K8S);
  assert.deepEqual(kubernetesOf(`/host/var/log/containers/coredns-5d78c9869d-abcde_kube-system_coredns-${ID}.log`), { namespace: "kube-system", pod: "coredns-5d78c9869d-abcde", container: "coredns", container_id: ID });
  assert.deepEqual(kubernetesOf(`/var/log/containers/web.v2_default_side-car-${ID}.log`), { namespace: "default", pod: "web.v2", container: "side-car", container_id: ID });
  const uid = "6f1e7f39-3c52-4a86-9f5b-1c2d3e4f5a6b";
  assert.deepEqual(kubernetesOf(`/var/log/pods/shop_checkout-7d4b9c-x2x8v_${uid}/api/2.log`), { namespace: "shop", pod: "checkout-7d4b9c-x2x8v", container: "api", pod_uid: uid, restart_count: 2 });
  assert.deepEqual(kubernetesOf(`/var/log/pods/shop_checkout-7d4b9c-x2x8v_${uid}/api/0.log.20260307-090001`)?.restart_count, 0);
  for (const path of ["/var/log/app.log", `/var/log/containers/no-id_shop_api-${ID.slice(1)}.log`, `/var/log/containers/UPPER_shop_api-${ID}.log`, "/var/log/pods/x/api/0.log"]) {
    assert.equal(kubernetesOf(path), undefined, path);
  }
});

test("CRI lines: time to the millisecond, stream, F content, P alone kept tagged _partial, other tags after ':'", () => {
  const d = new ContainerDecoder("cri");
  // The kubelet CRI logging proposal's examples (kubernetes/design-proposals-archive node/kubelet-cri-logging.md).
  const full = d.decode(line("2016-10-06T00:17:09.669794202Z stdout F The content of the log entry 1"), NOW_MS, "cri")._unsafeUnwrap() as RawLine;
  assert.deepEqual([full.kind, full.text, full.envelope], ["line", "The content of the log entry 1", { time: Date.parse("2016-10-06T00:17:09.669Z"), fields: { stream: "stdout", kubernetes: K8S } }]);
  const part = d.decode(line("2016-10-06T00:17:09.669794203Z stderr P First line of log entry 2"), NOW_MS, "cri")._unsafeUnwrap() as LogRecord;
  assert.deepEqual([part.message, part.time, part.tags, part.fields, part.origin?.parser], ["First line of log entry 2", Date.parse("2016-10-06T00:17:09.669Z"), ["_partial"], { stream: "stderr", kubernetes: K8S }, "cri"]);
  const offset = d.decode(line("2026-03-07T10:00:01.5+01:00 stdout F:x spaced  content "), NOW_MS, "cri")._unsafeUnwrap() as RawLine;
  assert.deepEqual([offset.text, offset.envelope?.time], ["spaced  content ", Date.parse("2026-03-07T09:00:01.500Z")]);
  const blank = d.decode(line(`${T} stdout F `), NOW_MS, "cri");
  assert.ok(blank.isErr() && blank.error.skip, "an empty line is skipped, as blank lines are");
  assert.equal((d.decode(line(`${T} stdout F x`, "/srv/app.log"), NOW_MS, "cri")._unsafeUnwrap() as RawLine).envelope?.fields?.kubernetes, undefined);
});

test("Docker json-file lines: content without its newline, time, stream, attrs; no newline is a partial line", () => {
  const d = new ContainerDecoder("docker");
  // Docker's json-file driver documentation: the line and the attrs that --log-opt labels/env add.
  const documented = d.decode(line('{"log":"Log line is here\\n","stream":"stdout","time":"2019-01-01T11:11:11.111111111Z"}'), NOW_MS, "docker")._unsafeUnwrap() as RawLine;
  assert.deepEqual([documented.text, documented.envelope], ["Log line is here", { time: Date.parse("2019-01-01T11:11:11.111Z"), fields: { stream: "stdout", kubernetes: K8S } }]);
  const attrs = d.decode(line('{"log":"hi\\r\\n","stream":"stderr","attrs":{"production_status":"testing","os":"ubuntu"},"time":"2019-01-01T11:11:11.111111111Z"}'), NOW_MS, "docker")._unsafeUnwrap() as RawLine;
  assert.deepEqual([attrs.text, attrs.envelope?.fields], ["hi", { stream: "stderr", kubernetes: K8S, attrs: { production_status: "testing", os: "ubuntu" } }]);
  const split = d.decode(line(`{"log":"${"x".repeat(100)}","stream":"stdout","time":"${T}"}`), NOW_MS, "docker")._unsafeUnwrap() as LogRecord;
  assert.deepEqual([split.message.length, split.tags, split.time], [100, ["_partial"], T_MS]);
});

test("json alone reads Docker lines: the content is the message, or its JSON the record", () => {
  const plain = parseJson(line(`{"log":"GET /health 200\\n","stream":"stdout","time":"${T}"}`), NOW)._unsafeUnwrap();
  assert.deepEqual([plain.message, plain.time, plain.fields], ["GET /health 200", T_MS, { stream: "stdout", kubernetes: K8S }]);
  const inner = parseJson(line(`{"log":"{\\"level\\":50,\\"time\\":1795428000123,\\"msg\\":\\"boom\\",\\"stream\\":\\"mine\\"}\\n","stream":"stderr","time":"${T}"}`), NOW)._unsafeUnwrap();
  assert.deepEqual([inner.level, inner.time, inner.message, inner.fields], ["ERROR", 1795428000123, "boom", { stream: "mine", kubernetes: K8S }], "the content's own fields win");
});

test("auto's hook: decodeContainer recognises Docker and CRI lines cheaply and parses their content; others are left alone", () => {
  assert.equal(containerFormatOf(`{"log":"x\\n","stream":"stdout","time":"${T}"}`), "docker");
  assert.equal(containerFormatOf(`${T} stderr F x`), "cri");
  for (const text of ['{"level":"info","msg":"x"}', "2026-03-07T09:00:01Z INFO [api] started", "2026-03-07T09:00:01.123Z stdoutF x", "<34>Oct 11 22:14:15 host su: x", ""]) {
    assert.equal(containerFormatOf(text), undefined, text);
  }
  const d = new ContainerDecoder("auto");
  const r = decodeContainer(line(`${T} stdout F 2026-03-07T09:00:00.500Z WARN [api] slow request latency_ms=900`), NOW, parsePlainText, d)!._unsafeUnwrap();
  assert.deepEqual([r.time, r.level, r.service, r.message, r.fields], [Date.parse("2026-03-07T09:00:00.500Z"), "WARN", undefined, "[api] slow request latency_ms=900", { latency_ms: 900, stream: "stdout", kubernetes: K8S }]);
  const unread = decodeContainer(line(`${T} stdout F just words`), NOW, parsePlainText, d)!._unsafeUnwrap();
  assert.deepEqual([unread.time, unread.level, unread.message, unread.fields, unread.origin?.parser], [T_MS, "INFO", "just words", { stream: "stdout", kubernetes: K8S }, "cri"]);
  assert.equal(decodeContainer(line("plain"), NOW, parsePlainText, d), undefined);
});

const lines = definePlugin({
  kind: "source", name: "lines", description: "test source",
  schema: z.object({ texts: z.array(z.string()), file: z.string() }),
  create: (o) => ({
    async *batches() {
      yield { entries: o.texts.map((text, i): RawLine => ({ kind: "line", text, origin: { file: o.file, offset: i * 100 } })) };
    },
  }),
});

const memory = definePlugin({
  kind: "sink", name: "memory", description: "test sink",
  schema: z.object({ got: z.custom<LogRecord[]>() }),
  create: (o) => ({ write: (r) => void o.got.push(...r), flush: () => {}, close: () => {} }),
});

async function collect(pipeline: { sources: PluginSpec<"source">[]; parsers: PluginSpec<"parser">[] }): Promise<{ got: LogRecord[]; failed: string[] }> {
  const got: LogRecord[] = [];
  const failed: string[] = [];
  const config = validateConfig({ pipelines: { p: { ...pipeline, sinks: [memory({ got })], onParseError: "drop" } } }, { registry: new Map() });
  assert.ok(config.isOk(), JSON.stringify(config.isErr() && config.error));
  const app = createApp(config.value, { runtime });
  app.bus.on("record:parse-failed", (e) => failed.push(`${e.line}: ${e.reason}`));
  (await app.start())._unsafeUnwrap();
  await app.finished;
  await app.stop();
  return { got, failed };
}

test("through the pipeline: [cri, json] and [docker, json] make JSON content fields; [container, json, auto] reads every kind of content", async () => {
  const pino = '{"level":40,"time":1795428000123,"pid":1,"hostname":"h","name":"checkout","msg":"slow","order":{"id":7}}';
  const criLines = [`${T} stdout F ${pino}`, `${T} stderr F plain words`, `${T} stdout P {"level":30,"msg":"cut`];
  const viaCri = await collect({ sources: [lines({ texts: criLines, file: K8S_FILE })], parsers: [cri(), json()] });
  assert.deepEqual(viaCri.failed, []);
  assert.deepEqual(viaCri.got.map((r) => [r.time, r.level, r.service, r.message, r.fields, r.tags]), [
    [1795428000123, "WARN", "checkout", "slow", { pid: 1, hostname: "h", order: { id: 7 }, stream: "stdout", kubernetes: K8S }, undefined],
    [T_MS, "INFO", undefined, "plain words", { stream: "stderr", kubernetes: K8S }, undefined],
    [T_MS, "INFO", undefined, '{"level":30,"msg":"cut', { stream: "stdout", kubernetes: K8S }, ["_partial"]],
  ]);
  const dockerLine = JSON.stringify({ log: `${pino}\n`, stream: "stdout", time: T });
  const viaDocker = await collect({ sources: [lines({ texts: [dockerLine], file: K8S_FILE })], parsers: [docker(), json()] });
  assert.deepEqual(viaDocker.got.map((r) => [r.level, r.service, r.message, r.fields]), [["WARN", "checkout", "slow", { pid: 1, hostname: "h", order: { id: 7 }, stream: "stdout", kubernetes: K8S }]]);
  const mixed = [dockerLine, `${T} stdout F 2026-03-07T09:00:00.500Z ERROR [db] connection reset`, `${T} stdout F level=warn msg="disk at 91%"`];
  const viaAuto = await collect({ sources: [lines({ texts: mixed, file: K8S_FILE })], parsers: [container(), json(), auto()] });
  assert.deepEqual(viaAuto.got.map((r) => [r.level, r.service, r.message, r.origin?.parser]), [["WARN", "checkout", "slow", "json"], ["ERROR", undefined, "[db] connection reset", "plain-text"], ["WARN", undefined, "disk at 91%", "logfmt"]]);
  assert.ok(viaAuto.got.every((r) => (r.fields?.kubernetes as { pod: string }).pod === "checkout-7d4b9c-x2x8v"));
});

test("kubernetesLogs(): a tail on the node's container logs and [container, json, auto], run on real files", async (t) => {
  const preset = kubernetesLogs();
  assert.deepEqual([preset.sources[0]!.use, (preset.sources[0]!.options as { include: string }).include, preset.parsers.map((p) => p.use)], ["tail", "/var/log/containers/*.log", ["container", "json", "auto"]]);
  const dir = mkdtempSync(join(tmpdir(), "logsim-k8s-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const logs = join(dir, "var", "log", "containers");
  mkdirSync(logs, { recursive: true });
  writeFileSync(join(logs, `web-0_shop_nginx-${ID}.log`), `${T} stdout F {"level":"info","msg":"ready","port":8080}\n${T} stderr F 10.0.0.1 - - [07/Mar/2026:09:00:01 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8"\n`);
  writeFileSync(join(logs, `job-1_batch_worker-${ID.replace(/3/g, "4")}.log`), `${JSON.stringify({ log: "done\n", stream: "stdout", time: T })}\n`);
  const { got, failed } = await collect(kubernetesLogs({ include: join(logs, "*.log"), tail: { once: true, fromBeginning: true, stateDir: join(dir, "state") } }));
  assert.deepEqual(failed, []);
  const seen = got.map((r) => [(r.fields?.kubernetes as { namespace: string }).namespace, r.message, r.fields?.stream]).sort((a, b) => String(a[1]).localeCompare(String(b[1])));
  assert.deepEqual(seen, [["batch", "done", "stdout"], ["shop", "GET / HTTP/1.1", "stderr"], ["shop", "ready", "stdout"]]);
});

test("bad input fails cleanly with a specific reason, never a throw: garbage, invalid UTF-8, truncated JSON, a 10 MB line", () => {
  const d = new ContainerDecoder("container");
  const reason = (text: string, format?: "docker" | "cri") => {
    const r = d.decode(line(text), NOW_MS, format);
    return r.isErr() ? r.error.reason : "ok";
  };
  const jsonReason = (text: string) => {
    const r = parseJson(line(text), NOW);
    return r.isErr() ? r.error.reason : "ok";
  };
  assert.equal(reason("garbage", "cri"), "not a CRI line: expected an RFC 3339 time, a space, then stdout or stderr");
  assert.equal(reason("garbage"), "not a Docker json-file or CRI line (not a CRI line: expected an RFC 3339 time, a space, then stdout or stderr)");
  assert.equal(reason(`2026-13-07T09:00:01.123Z stdout F x`, "cri"), 'invalid CRI time "2026-13-07T09:00:01.123Z"');
  assert.equal(reason(`${T} stdin F x`, "cri"), "not a CRI line: expected stdout or stderr after the time");
  assert.equal(reason(`${T} stdout X x`, "cri"), "not a CRI line: expected the tag F or P after the stream");
  assert.equal(reason('{"log":"cut', "docker"), "invalid JSON");
  assert.equal(reason('["log"]', "docker"), "JSON is not an object");
  assert.equal(reason('{"msg":"x"}', "docker"), 'not a Docker json-file line: no "log" text');
  assert.equal(reason('{"log":"x\\n","time":"yesterday"}', "docker"), 'invalid Docker time "yesterday"');
  assert.equal(reason(`${T} stdout F bad \uFFFD byte`), "invalid UTF-8");
  assert.equal(jsonReason('{"log":"bad \uFFFD byte\\n","stream":"stdout"}'), "invalid UTF-8");
  assert.equal(jsonReason('{"@t":"2026-03-07T09:00:01Z","@mt":"cut'), "invalid JSON");
  const big = "x".repeat(10 * 1024 * 1024);
  assert.equal(reason(big), "not a Docker json-file or CRI line (not a CRI line: expected an RFC 3339 time, a space, then stdout or stderr)");
  assert.equal(reason(`{"log":"${big}`), "not a Docker json-file or CRI line (invalid JSON)");
  assert.equal(jsonReason(`{"msg":"${big}`), "invalid JSON");
  const whole = d.decode(line(`${T} stdout F ${big}`), NOW_MS)._unsafeUnwrap() as RawLine;
  assert.equal(whole.text.length, big.length, "a long line that is whole decodes");
});
