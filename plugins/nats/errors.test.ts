/** Each misconfiguration a user can make gets one line that names the plugin and what to fix. */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { formatError, type PluginSpec } from "../../core/mod.ts";
import { createApp, plainConfig, validateConfig } from "../../core/host.ts";
import { detectRuntime } from "../../runtime/detect.ts";
import { heartbeat } from "../heartbeat/mod.ts";
import { jsonl } from "../jsonl/mod.ts";
import { nats, natsSource } from "./mod.ts";
import { withClient } from "./_test-kit.ts";
import { freePort, natsServerMissing, startNatsServer, startSilentNatsServer, type NatsServer } from "./_test-servers.ts";

/** Starts a pipeline and returns the lines its start failed with. */
async function startFailure(source: PluginSpec<"source">, sink: PluginSpec<"sink">): Promise<string[]> {
  const config = validateConfig({ pipelines: { p: { sources: [source], sinks: [sink] } } }, { registry: new Map() });
  if (config.isErr()) return formatError(config.error);
  const app = createApp(config.value, { runtime: await detectRuntime() });
  const started = await app.start();
  await app.stop();
  return started.isErr() ? formatError(started.error) : [];
}

describe("nats plugins: one-line errors", { skip: natsServerMissing() }, () => {
  let dir: string;
  let server: NatsServer;
  let secured: NatsServer;
  let plain: NatsServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "logsim-nats-errors-"));
    [server, secured, plain] = await Promise.all([startNatsServer(dir), startNatsServer(dir, { args: ["--auth", "s3cret-token"] }), startNatsServer(dir, { jetstream: false })]);
    await withClient(server.url, async (nc) => void (await (await jetstreamManager(nc)).streams.add({ name: "LOGS", subjects: ["logs.>"] })));
  });
  after(async () => {
    await Promise.all([server, secured, plain].map((s) => s?.stop()));
    rmSync(dir, { recursive: true, force: true });
  });
  const out = () => jsonl({ path: join(dir, "out.jsonl") });
  const sink = (options: Record<string, unknown>) => nats({ deadletter: join(dir, "dead.jsonl"), ...options } as Parameters<typeof nats>[0]);
  const assertOneLine = (lines: string[], pattern: RegExp) => {
    assert.equal(lines.length, 1, lines.join("\n"));
    // The instance is named by its stable id, `<pipeline>.<plugin-name>`.
    assert.match(lines[0]!, /^Plugin "(nats(-source)?)" \(p\.\1\) failed in create: /);
    assert.match(lines[0]!, pattern);
  };

  test("an unreachable URL", async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    assertOneLine(await startFailure(heartbeat(), sink({ url, connectTimeout: "2s" })), /cannot reach a NATS server at nats:\/\/127\.0\.0\.1:\d+ .*check url and that nats-server is running$/);
    assertOneLine(await startFailure(natsSource({ url, connectTimeout: "2s" }), out()), /cannot reach a NATS server/);
  });

  test("a server that connects but does not answer the setup requests: the start fails after connectTimeout (not the client's 5 s), saying so", async () => {
    const silent = await startSilentNatsServer();
    try {
      // Both plugins wait connectTimeout for each setup request: a busy 3-node cluster took over 5 s to create
      // the workers' R3 consumer (the cluster test, under Deno with two test suites on 2 cores).
      // 2 s, not 1: the connection itself must be made within it, and under a loaded CI run the handshake
      // with this in-process server once took over 1 s (the plugins then said, rightly, that they could not reach it).
      const started = performance.now();
      const [sinkLines, sourceLines] = await Promise.all([startFailure(heartbeat(), sink({ url: silent.url, connectTimeout: "2s" })), startFailure(natsSource({ url: silent.url, connectTimeout: "2s" }), out())]);
      const ms = performance.now() - started;
      const answer = /the NATS server at nats:\/\/127\.0\.0\.1:\d+ did not answer a JetStream request within 2000 ms: a busy cluster may need longer \(raise connectTimeout\)$/;
      assertOneLine(sinkLines, answer);
      assertOneLine(sourceLines, answer);
      assert.ok(ms >= 2000 && ms < 4_900, `both failed after ${ms.toFixed(0)} ms: the 2 s connectTimeout, not the client's 5 s`);
    } finally {
      await silent.stop();
    }
  });

  test("a wrong stream name", async () => {
    assertOneLine(await startFailure(natsSource({ url: server.url, stream: "LGOS" }), out()), /stream LGOS does not exist at .*: check the stream name \(streams here: LOGS\)$/);
    assertOneLine(await startFailure(heartbeat(), sink({ url: server.url, stream: { name: "LGOS", create: false } })), /stream LGOS does not exist .*stream\.create/);
  });

  test("a subject no stream covers", async () => {
    assertOneLine(await startFailure(heartbeat(), sink({ url: server.url, stream: { name: "LOGS" }, subject: "app.{service}" })), /no stream covers subject app\.probe: add it to the stream's subjects or change the subject option$/);
  });

  test("a subject template with an unknown placeholder", async () => {
    assertOneLine(await startFailure(heartbeat(), sink({ url: server.url, subject: "logs.{host}" })), /unknown placeholder \{host\}/);
  });

  test("credentials the server rejects, and none at all", async () => {
    assertOneLine(await startFailure(heartbeat(), sink({ url: secured.url, token: "wrong" })), /rejected the credentials: check token, user\/password or credsFile$/);
    assertOneLine(await startFailure(natsSource({ url: secured.url }), out()), /rejected the credentials/);
    assertOneLine(await startFailure(heartbeat(), sink({ url: server.url, credsFile: join(dir, "missing.creds") })), /cannot read the creds file .*missing\.creds: check credsFile$/);
  });

  test("a server without JetStream", async () => {
    assertOneLine(await startFailure(heartbeat(), sink({ url: plain.url })), /JetStream is not enabled .*start nats-server with -js/);
  });

  test("credentials are redacted in the config the web interface shows", () => {
    const config = validateConfig({ pipelines: { p: { sources: [heartbeat()], sinks: [sink({ url: "nats://app:pa55@127.0.0.1:4222", token: "s3cret-token", user: "app", password: "pa55" })] } } }, { registry: new Map() });
    assert.ok(config.isOk());
    const shown = JSON.stringify(plainConfig(config.value));
    assert.doesNotMatch(shown, /s3cret-token|pa55/);
    assert.match(shown, /"user":"app"/);
  });
});
