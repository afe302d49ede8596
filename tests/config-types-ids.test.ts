/**
 * Type tests for ids and roles: each `@ts-expect-error` line fails the type
 * check (tsc -p . in CI, and deno test, which type-checks) if it ever stops
 * being an error. What types cannot see (an id computed at run time) is
 * checked at validation, asserted below.
 *
 * "An unknown id" here is an id that cannot be one: ids are chosen freely
 * (nothing in a config refers to another plugin's id), so what can be wrong
 * is their charset, which names files. A literal id is checked by the
 * factory's type; a computed one by validation.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { defineConfig } from "../core/mod.ts";
import { validateConfig } from "../core/config/validate.ts";
import { formatError } from "../core/errors.ts";
import { consoleSink, generator, heartbeat, jsonl, tail, web } from "../plugins/mod.ts";

test("ids, roles, required options and pipeline settings are checked by the types", () => {
  const config = defineConfig({
    pipelines: {
      ok: {
        sources: [tail({ id: "app-logs", include: "logs/*.log" }), generator({ id: "shop.v2", count: 1 }), heartbeat({ id: "Beat_1" })],
        sinks: [jsonl({ id: "archive" }), consoleSink()],
        channel: { capacity: 8, overflow: "drop-newest" },
        flushInterval: "250ms",
        onParseError: "drop",
      },
      unknownIds: {
        sources: [
          // @ts-expect-error an id with a space cannot name a file
          tail({ id: "app logs", include: "x" }),
          // @ts-expect-error an id that climbs out of the state folder
          tail({ id: "../etc", include: "x" }),
          // @ts-expect-error an id must start with a letter or a digit
          heartbeat({ id: ".hidden" }),
          // @ts-expect-error an id is a string
          heartbeat({ id: 7 }),
        ],
        sinks: [consoleSink()],
      },
      wrongTypes: {
        // @ts-expect-error include is a glob or globs, not a number
        sources: [tail({ include: 5 })],
        sinks: [consoleSink()],
        // @ts-expect-error overflow is "block" or "drop-newest"
        channel: { overflow: "drop-oldest" },
        // @ts-expect-error "fast" is not a duration
        flushInterval: "fast",
        // @ts-expect-error onParseError is "deadletter", "drop" or "pass"
        onParseError: "ignore",
      },
      wrongRoles: {
        sources: [heartbeat()],
        // @ts-expect-error a source is not a sink
        sinks: [tail({ include: "x" })],
        // @ts-expect-error a sink is not a parser
        parsers: [jsonl()],
      },
      missing: {
        sources: [
          // @ts-expect-error tail needs include
          tail(),
          // @ts-expect-error an id alone does not make up for it
          tail({ id: "app" }),
        ],
        sinks: [consoleSink()],
      },
      // @ts-expect-error a pipeline needs sinks
      noSinks: { sources: [heartbeat()] },
      unknownSetting: {
        sources: [heartbeat()],
        sinks: [consoleSink()],
        // @ts-expect-error flushIntervall is not a setting
        flushIntervall: "1s",
      },
    },
    // @ts-expect-error a source is not a service
    services: [heartbeat(), web()],
  });
  assert.equal(typeof config, "object");
});

test("an id computed at run time is typed as a string and checked when the config is validated", () => {
  const fromEnv: string = ["app", "logs"].join(" ");
  const config = defineConfig({ pipelines: { p: { sources: [tail({ id: fromEnv, include: "*.log" })], sinks: [consoleSink()] } } });
  const result = validateConfig(config, { registry: new Map() });
  assert.ok(result.isErr());
  assert.deepEqual(formatError(result.error), [
    'pipelines.p.sources[0] tail > id: expected an id of letters, digits, ".", "_" and "-" that starts with a letter or a digit (at most 100), such as "app-logs"',
  ]);
});
