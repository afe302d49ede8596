import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { validateConfig } from "../config/validate.ts";
import { definePlugin } from "../plugin.ts";
import { describeWorkers, planWorkers } from "./plan.ts";

const source = definePlugin({ kind: "source", name: "s", description: "", schema: z.object({}), create: () => ({ async *batches() {} }) });
const sink = definePlugin({ kind: "sink", name: "k", description: "", schema: z.object({}), create: () => ({ write() {}, flush() {}, close() {} }) });
const pure = definePlugin({ kind: "parser", name: "pure", description: "", parallel: true, schema: z.object({ x: z.unknown().optional() }), create: () => ({ parse: () => ({}) as never }) });
const stateful = definePlugin({ kind: "transform", name: "remembers", description: "", schema: z.object({}), create: () => ({ transform: (r) => r }) });

const plan = (pipeline: Record<string, unknown>) => planWorkers(validateConfig({ pipelines: { main: { sources: [source()], sinks: [sink()], workers: 2, ...pipeline } } }, { registry: new Map() })._unsafeUnwrap().pipelines[0]!);

test("a chain of parallel plugins with plain options goes to the workers, with each sink's encoder or none", () => {
  const setup = plan({ parsers: [pure({ x: [1, { y: "z" }] })] })._unsafeUnwrap();
  assert.deepEqual(setup.parsers, [{ kind: "parser", name: "pure", id: "main.pure", location: "pipelines.main.parsers[0]", input: { x: [1, { y: "z" }] } }]);
  assert.deepEqual(setup.encoders, [null]);
});

test("a plugin without `parallel`, or with options a thread cannot be sent, keeps the pipeline on one thread, and says which", () => {
  assert.equal(plan({ parsers: [pure()], transforms: [stateful()] })._unsafeUnwrapErr(), "pipelines.main.transforms[0] (remembers) keeps state from line to line (its definition does not declare `parallel`)");
  assert.match(plan({ parsers: [pure({ x: () => 1 })] })._unsafeUnwrapErr(), /parsers\[0\] \(pure\) has options a worker thread cannot be sent/);
});

test("describeWorkers says in one line what `workers` does for a pipeline (validate and start print it)", () => {
  const pipeline = (extra: Record<string, unknown>) => validateConfig({ pipelines: { main: { sources: [source()], sinks: [sink()], parsers: [pure()], ...extra } } }, { registry: new Map() })._unsafeUnwrap().pipelines[0]!;
  assert.equal(describeWorkers(pipeline({})), undefined);
  assert.equal(describeWorkers(pipeline({ workers: 2 })), 'pipeline "main": parsing and transforms in 2 worker threads');
  assert.match(describeWorkers(pipeline({ workers: 1, transforms: [stateful()] }))!, /^pipeline "main": workers: 1 not used, parsing runs on one thread: pipelines\.main\.transforms\[0\] \(remembers\)/);
});
