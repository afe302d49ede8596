/**
 * Type tests: a wrong option in logsim.config.ts is a compile error. The
 * `@ts-expect-error` lines fail the type check (tsc in `npm test`, and
 * `deno test`, which type-checks) if they ever stop being errors.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { defineConfig } from "../core/mod.ts";
import { consoleSink, heartbeat, jsonl, rotatingFile } from "../plugins/mod.ts";

test("options are typed from each plugin's schema", () => {
  const config = defineConfig({
    pipelines: {
      ok: {
        sources: [heartbeat({ interval: "250ms", level: "warning" }), heartbeat({ interval: 2 })],
        sinks: [consoleSink({ stream: "stderr" }), rotatingFile({ maxBytes: 1024, backups: 2 }), jsonl()],
      },
      wrong: {
        // @ts-expect-error maxBytes is a number
        sinks: [rotatingFile({ maxBytes: "1MB" })],
        // @ts-expect-error "sometimes" is not a duration
        sources: [heartbeat({ interval: "sometimes" })],
      },
      roles: {
        // @ts-expect-error a sink is not a source
        sources: [consoleSink()],
        // @ts-expect-error unknown option
        sinks: [jsonl({ pth: "x" })],
      },
    },
    // @ts-expect-error hookTimeout is a duration
    hookTimeout: true,
  });
  assert.equal(typeof config, "object");
  // @ts-expect-error a level must be one of the known names
  heartbeat({ level: "LOUD" });
  const fromEnv = defineConfig(({ env }) => ({ pipelines: { p: { sources: [heartbeat({ interval: Number(env("X") ?? 1) })], sinks: [consoleSink()] } } }));
  assert.equal(typeof fromEnv, "function");
});
