/**
 * The Host header against the real server of each runtime, over raw sockets (fetch
 * always sends a well-formed Host): a malformed one is a 400, a missing one is
 * treated like a foreign name, and none of them is ever a 500.
 */
import assert from "node:assert/strict";
import { connect } from "node:net";
import { test } from "node:test";
import { z } from "zod";
import { createApp, type App } from "../../core/app.ts";
import { validateConfig } from "../../core/config/validate.ts";
import { definePlugin } from "../../core/plugin.ts";
import { detectRuntime } from "../../runtime/detect.ts";
import { web } from "./web.ts";

const runtime = await detectRuntime();
const TOKEN = "tok-0123456789abcdef";

const idle = definePlugin({
  kind: "source",
  name: "idle",
  description: "test source: nothing until stopped",
  schema: z.object({}),
  create: (_o, ctx) => ({
    async *batches() {
      await ctx.clock.sleep(Number.POSITIVE_INFINITY, ctx.signal);
    },
  }),
});
const nowhere = definePlugin({ kind: "sink", name: "nowhere", description: "test sink", schema: z.object({}), create: () => ({ write() {}, flush() {}, close() {} }) });

async function serve(token?: string): Promise<{ app: App; port: number }> {
  const config = validateConfig({ pipelines: { main: { sources: [idle()], sinks: [nowhere()] } }, services: [web({ port: 0, token })] }, { registry: new Map() })._unsafeUnwrap();
  const lines: string[] = [];
  const stderr = { isTTY: false, write: (chunk: string | Uint8Array) => (lines.push(String(chunk)), Promise.resolve()), flush: () => Promise.resolve() };
  const app = createApp(config, { runtime: { ...runtime, stderr } });
  assert.ok((await app.start()).isOk());
  const port = Number(/web interface at http:\/\/127\.0\.0\.1:(\d+)\//.exec(lines.join(""))?.[1]);
  assert.ok(port > 0, lines.join(""));
  return { app, port };
}

/** Sends `head` as is and returns the status code of the answer (0 when the server closed without one). */
function rawStatus(port: number, head: string, timeoutMs = 10_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    let data = "";
    const timer = setTimeout(() => (socket.destroy(), reject(new Error(`no answer to ${JSON.stringify(head)} within ${timeoutMs} ms`))), timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0));
    };
    socket.on("data", (chunk) => {
      data += chunk.toString("latin1");
      if (data.includes("\r\n\r\n")) finish();
    });
    socket.on("end", finish);
    socket.on("error", (error) => (data ? finish() : (clearTimeout(timer), reject(error))));
    socket.write(head);
  });
}

const get = (hostLine: string | undefined, version = "1.1", auth = false) =>
  `GET /api/config HTTP/${version}\r\n${hostLine === undefined ? "" : `Host: ${hostLine}\r\n`}${auth ? `Authorization: Bearer ${TOKEN}\r\n` : ""}Connection: close\r\n\r\n`;

const MALFORMED = ["attacker.com#@127.0.0.1", "a b", "127.0.0.1@evil.example", "127.0.0.1/x", "[::1", "localhost:99999", "localhost:port", "exa mple:80", "%00", "a\\b"];

test(`${runtime.name}: without a token, a malformed Host is 400, a missing or foreign one 403, loopback names 200; never 500`, { timeout: 60_000 }, async () => {
  const { app, port } = await serve();
  try {
    for (const host of ["127.0.0.1", `127.0.0.1:${port}`, "localhost", `LOCALHOST:${port}`, `[::1]:${port}`]) assert.equal(await rawStatus(port, get(host)), 200, host);
    for (const host of ["attacker.example", "evil.localhost.example:80"]) assert.equal(await rawStatus(port, get(host)), 403, host);
    for (const host of MALFORMED) assert.equal(await rawStatus(port, get(host)), 400, host);
    assert.equal(await rawStatus(port, get(undefined, "1.0")), 403, "HTTP/1.0 without Host");
    const noHost = await rawStatus(port, get(undefined, "1.1"));
    assert.ok(noHost === 400 || noHost === 403, `HTTP/1.1 without Host: ${noHost}`);
    assert.equal(await rawStatus(port, get("")), 403, "an empty Host");
  } finally {
    await app.stop();
  }
});

test(`${runtime.name}: with a token, any well-formed name may authenticate, a malformed Host is still 400; never 500`, { timeout: 60_000 }, async () => {
  const { app, port } = await serve(TOKEN);
  try {
    assert.equal(await rawStatus(port, get("logs.internal.example", "1.1", true)), 200);
    assert.equal(await rawStatus(port, get(undefined, "1.0", true)), 200, "HTTP/1.0 without Host, with the token");
    for (const host of MALFORMED) assert.equal(await rawStatus(port, get(host, "1.1", true)), 400, host);
    assert.equal(await rawStatus(port, get("attacker.com#@127.0.0.1")), 400, "malformed before unauthorized");
  } finally {
    await app.stop();
  }
});

test("hostName: the name of a well-formed Host, lowercased without its port; '' when missing; undefined when malformed", async () => {
  const { hostName } = await import("./app.ts");
  const cases: Array<[string | undefined, string | undefined]> = [
    [undefined, ""], ["", ""], ["LocalHost:8080", "localhost"], ["127.0.0.1", "127.0.0.1"], ["[::1]:80", "[::1]"], ["my_app.internal:65535", "my_app.internal"],
    ["a b", undefined], ["attacker.com#@127.0.0.1", undefined], ["x:65536", undefined], ["x:", undefined], [":80", undefined], ["[::1", undefined], ["ex\u00e4mple.com", undefined],
  ];
  for (const [header, name] of cases) assert.equal(hostName(header), name, String(header));
});
