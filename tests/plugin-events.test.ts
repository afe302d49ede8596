/**
 * Type tests: a plugin declares its own bus events by declaration merging on the author
 * entry's LogsimEvents, from its own module, as an outside author does from "logsim".
 * The `@ts-expect-error` lines fail the type check (tsc -p ., deno test) if they stop being errors.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createBus } from "../core/host.ts";
import type { LogsimEvents } from "logsim";
import type { GeneratorEventName, TailedFile } from "../plugins/mod.ts";

declare module "logsim" {
  interface LogsimEvents {
    /** An outside plugin's event. */
    "redact:matched": { pipeline: string; plugin: string; rule: string };
  }
}

test("an outside module's events are typed on the bus, beside core's and the built-ins'", () => {
  const bus = createBus();
  const rules: string[] = [];
  bus.on("redact:matched", (e) => void rules.push(e.rule));
  bus.emit("redact:matched", { pipeline: "p", plugin: "redact", rule: "email" });
  assert.deepEqual(rules, ["email"]);
  // @ts-expect-error the payload is typed: rule is missing
  bus.emit("redact:matched", { pipeline: "p", plugin: "redact" });
  // @ts-expect-error an event nobody declared
  bus.emit("redact:unheard-of", {});
  const files: TailedFile[] = [];
  bus.on("tail:files", (e) => void files.push(...e.files));
  bus.on("generator:stats", (e) => void (e.rate satisfies number));
  const name: GeneratorEventName = "generator:finished";
  const core: keyof LogsimEvents = "pipeline:started";
  assert.deepEqual([name, core], ["generator:finished", "pipeline:started"]);
});
