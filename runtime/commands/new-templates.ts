/**
 * What `logsim new plugin` writes: per kind, a plugin (mod.ts, with its zod
 * schema), a test that passes at once against it (node:test, so it runs under
 * bun test, deno test and node --test alike) and a README. The plugin
 * imports "logsim" as any project would.
 */

export type ScaffoldKind = "source" | "parser" | "transform" | "sink" | "service";

export interface Names {
  /** The plugin's name, kebab-case: `my-sink`. */
  name: string;
  /** Its factory: `mySink`. */
  factory: string;
}

/**
 * The test's plugin context, written out so the test needs nothing but logsim's types.
 * (The `logsim/testing` kit, when it lands, gives one with a fake clock and a real bus.)
 */
const CONTEXT = `/** A plugin context for a test: a fixed clock whose sleeps end at once, a bus that keeps what is emitted. */
function testContext(overrides: Partial<PluginContext> = {}): PluginContext & { events: unknown[] } {
  const events: unknown[] = [];
  const clock = { now: () => Date.UTC(2026, 0, 1), monotonic: () => 0, sleep: async (_ms: number, signal?: AbortSignal) => !signal?.aborted };
  const bus = { emit: (name: string, payload: unknown) => void events.push({ name, payload }), on: () => () => {}, has: () => true };
  return {
    id: "pipelines.test.plugin",
    pipeline: "test",
    bus: bus as unknown as PluginContext["bus"],
    runtime: undefined as never, // This plugin uses no runtime service; pass one if yours does.
    clock,
    signal: new AbortController().signal,
    counters: { received: 0, emitted: 0, dropped: 0, errors: 0 },
    log: { info: () => {}, warn: () => {} },
    app: undefined as never,
    events,
    ...overrides,
  };
}`;

const TEST_HEAD = (extra: string) => `import { test } from "node:test";
import assert from "node:assert/strict";
import type { ${extra}PluginContext } from "logsim";
`;

const plugins: Record<ScaffoldKind, (n: Names) => { plugin: string; test: string; about: string; usage: string }> = {
  source: ({ name, factory }) => ({
    about: "A source: yields batches of records until it is done or `ctx.signal` aborts. Pulled, so a full pipeline pauses it.",
    usage: `sources: [${factory}({ message: "hello", count: 10, interval: "1s" })]`,
    plugin: `import { z } from "zod";
import { definePlugin, duration, type LogRecord } from "logsim";

export const ${factory}Schema = z.strictObject({
  message: z.string().default("hello").describe("The message of each record"),
  count: z.number().int().positive().optional().describe("How many records, then stop (default: until stopped)"),
  interval: duration().default(1_000).describe("Time between records"),
});

export type ${cap(factory)}Options = z.input<typeof ${factory}Schema>;

/** Emits \`message\` every \`interval\`, \`count\` times or until stopped. */
export const ${factory} = definePlugin({
  kind: "source",
  name: "${name}",
  description: "Emits a message at an interval",
  schema: ${factory}Schema,
  create: (options, ctx) => ({
    async *batches() {
      for (let seq = 1; options.count === undefined || seq <= options.count; seq++) {
        const record: LogRecord = { time: ctx.clock.now(), level: "INFO", message: options.message, service: "${name}", fields: { seq } };
        yield { entries: [record] };
        // The clock's sleep ends early (false) when the pipeline stops: no timer left behind.
        if (!(await ctx.clock.sleep(options.interval, ctx.signal))) return;
      }
    },
  }),
});
`,
    test: `${TEST_HEAD("Batch, Entry, LogRecord, ")}import { ${factory}, ${factory}Schema, type ${cap(factory)}Options } from "./mod.ts";

${CONTEXT}

async function collect(options: ${cap(factory)}Options, ctx = testContext()): Promise<LogRecord[]> {
  const source = await ${factory}.definition.create(${factory}Schema.parse(options), ctx);
  const out: LogRecord[] = [];
  for await (const batch of source.batches()) out.push(...((Array.isArray(batch) ? batch : (batch as Batch).entries) as Entry[] as LogRecord[]));
  return out;
}

test("emits count records, numbered, then ends", async () => {
  const records = await collect({ message: "tick", count: 3, interval: "1s" });
  assert.deepEqual(records.map((r) => [r.message, r.fields?.seq]), [["tick", 1], ["tick", 2], ["tick", 3]]);
});

test("stops when the signal aborts", async () => {
  const stop = new AbortController();
  stop.abort();
  assert.equal((await collect({ interval: "1s" }, testContext({ signal: stop.signal }))).length, 1);
});

test("options are checked", () => {
  assert.ok(!${factory}Schema.safeParse({ count: 0 }).success);
  assert.ok(!${factory}Schema.safeParse({ interval: "soon" }).success);
});
`,
  }),
  parser: ({ name, factory }) => ({
    about: "A parser: turns a line into a record, or says why it cannot (never throws): the first parser that succeeds wins.",
    usage: `parsers: [${factory}()]`,
    plugin: `import { z } from "zod";
import { definePlugin, err, ok, type Level, type LogRecord } from "logsim";

export const ${factory}Schema = z.strictObject({
  service: z.string().optional().describe("Service of every record"),
});

const LINE = /^(DEBUG|INFO|WARN|ERROR|FATAL) (.*)$/;

/** Reads lines such as \`ERROR disk full\`: a level, a space, the message. */
export const ${factory} = definePlugin({
  kind: "parser",
  name: "${name}",
  description: "Reads LEVEL message lines",
  schema: ${factory}Schema,
  create: (options, ctx) => ({
    parse(line) {
      const match = LINE.exec(line.text);
      if (!match) return err({ reason: "expected LEVEL message" });
      const record: LogRecord = { time: ctx.clock.now(), level: match[1] as Level, message: match[2]!, raw: line.text };
      if (line.origin) record.origin = line.origin;
      if (options.service) record.service = options.service;
      return ok(record);
    },
  }),
});
`,
    test: `${TEST_HEAD("LogRecord, ")}import { ${factory}, ${factory}Schema } from "./mod.ts";

${CONTEXT}

const parser = await ${factory}.definition.create(${factory}Schema.parse({ service: "shop" }), testContext());
const parse = (text: string) => parser.parse({ kind: "line", text });

test("reads a level and a message", () => {
  const record = parse("ERROR disk full")._unsafeUnwrap() as LogRecord; // A parser may also return a line (decoders): not this one.
  assert.deepEqual([record.level, record.message, record.service], ["ERROR", "disk full", "shop"]);
});

test("refuses other lines with a reason, and never throws", () => {
  assert.equal(parse("disk full").isErr(), true);
  for (const text of ["", " ", "ERROR", "\\u0000", "x".repeat(100_000), "INFO \\n"]) assert.doesNotThrow(() => parse(text), text);
});
`,
  }),
  transform: ({ name, factory }) => ({
    about: "A transform: gets each record in turn, may change it in place (it owns it) and returns it, or undefined to drop it.",
    usage: `transforms: [${factory}({ field: "env", value: "prod" })]`,
    plugin: `import { z } from "zod";
import { definePlugin } from "logsim";

export const ${factory}Schema = z.strictObject({
  field: z.string().min(1).describe("Field to set"),
  value: z.string().describe("Its value"),
  dropDebug: z.boolean().default(false).describe("Drop DEBUG records"),
});

/** Sets a field on every record; drops DEBUG records when asked. */
export const ${factory} = definePlugin({
  kind: "transform",
  name: "${name}",
  description: "Sets a field on every record",
  schema: ${factory}Schema,
  create: (options) => ({
    transform(record) {
      if (options.dropDebug && record.level === "DEBUG") return undefined;
      // The fields object may be shared with other records (a source's constant): set it on a copy.
      record.fields = { ...record.fields, [options.field]: options.value };
      return record;
    },
  }),
});
`,
    test: `${TEST_HEAD("LogRecord, Transform, ")}import { ${factory}, ${factory}Schema } from "./mod.ts";

${CONTEXT}

// create may return a promise; this one does not.
const make = (options: unknown) => ${factory}.definition.create(${factory}Schema.parse(options), testContext()) as Transform;
const record = (level: LogRecord["level"], fields?: Record<string, unknown>): LogRecord => ({ time: 0, level, message: "m", ...(fields ? { fields } : {}) });

test("sets the field, keeping the others, without changing a shared fields object", () => {
  const shared = { user: "u-1" };
  const out = make({ field: "env", value: "prod" }).transform(record("INFO", shared));
  assert.deepEqual(out?.fields, { user: "u-1", env: "prod" });
  assert.deepEqual(shared, { user: "u-1" });
});

test("drops DEBUG records when asked", () => {
  assert.equal(make({ field: "env", value: "prod", dropDebug: true }).transform(record("DEBUG")), undefined);
});

test("field is required", () => {
  assert.ok(!${factory}Schema.safeParse({ value: "x" }).success);
});
`,
  }),
  sink: ({ name, factory }) => ({
    about: "A sink: takes batches (`write`), makes them durable (`flush`: the sources' positions advance only after it) and releases (`close`, idempotent).",
    usage: `sinks: [${factory}({ path: "out/records.jsonl" })]`,
    plugin: `import { z } from "zod";
import { definePlugin, type AppendFile, type LogRecord } from "logsim";

export const ${factory}Schema = z.strictObject({
  path: z.string().min(1).describe("File the records are appended to, one JSON object a line"),
});

const encoder = new TextEncoder();

/** Appends records as JSON lines: buffered by write, written and synced by flush. */
export const ${factory} = definePlugin({
  kind: "sink",
  name: "${name}",
  description: "Appends records to a file as JSON lines",
  schema: ${factory}Schema,
  writes: (options) => [options.path],
  // flush fsyncs, so the lines survive a power loss: sources then fsync the positions they save too.
  durable: () => true,
  create(options, ctx) {
    let file: AppendFile | undefined;
    let buffered: string[] = [];
    let closed = false;
    const flush = () => {
      if (buffered.length === 0) return;
      file ??= ctx.runtime.fs.openAppend(options.path);
      file.write(encoder.encode(buffered.join("")));
      file.sync(); // Durable before flush returns: the pipeline acknowledges after it.
      buffered = [];
    };
    return {
      write(records: readonly LogRecord[]) {
        if (closed) throw new Error("write after close");
        // Serialised now: the records are the pipeline's, not the sink's, once write returns.
        for (const r of records) buffered.push(\`\${JSON.stringify(r)}\\n\`);
      },
      flush,
      close() {
        if (closed) return;
        flush();
        closed = true;
        file?.close();
      },
    };
  },
});
`,
    test: `${TEST_HEAD("LogRecord, Runtime, ")}import { ${factory}, ${factory}Schema } from "./mod.ts";

${CONTEXT}

/** A runtime whose files live in memory: path -> text written, and how many syncs. */
function memoryRuntime() {
  const files = new Map<string, string>();
  let syncs = 0;
  const runtime = {
    fs: {
      openAppend: (path: string) => ({
        write: (data: Uint8Array) => void files.set(path, (files.get(path) ?? "") + new TextDecoder().decode(data)),
        sync: () => void syncs++,
        truncate: () => {},
        close: () => {},
      }),
    },
  } as unknown as Runtime;
  return { runtime, files, syncs: () => syncs };
}

const record = (message: string): LogRecord => ({ time: 0, level: "INFO", message });

test("writes nothing until flush, then every record as a JSON line, synced", async () => {
  const memory = memoryRuntime();
  const sink = await ${factory}.definition.create(${factory}Schema.parse({ path: "out.jsonl" }), testContext({ runtime: memory.runtime }));
  await sink.write([record("a"), record("b")]);
  assert.equal(memory.files.get("out.jsonl"), undefined);
  await sink.flush();
  assert.deepEqual(memory.files.get("out.jsonl")!.trim().split("\\n").map((l) => JSON.parse(l).message), ["a", "b"]);
  assert.equal(memory.syncs(), 1);
});

test("close flushes, is idempotent, and refuses writes after it", async () => {
  const memory = memoryRuntime();
  const sink = await ${factory}.definition.create(${factory}Schema.parse({ path: "out.jsonl" }), testContext({ runtime: memory.runtime }));
  await sink.write([record("a")]);
  await sink.close();
  await sink.close();
  assert.equal(memory.files.get("out.jsonl"), \`\${JSON.stringify(record("a"))}\\n\`);
  await assert.rejects(async () => sink.write([record("b")]), /after close/);
});
`,
  }),
  service: ({ name, factory }) => ({
    about: "A service: runs beside the pipelines (`start` after them, `stop` before): a server, a reporter, a watchdog.",
    usage: `services: [${factory}({ interval: "10s" })]`,
    plugin: `import { z } from "zod";
import { definePlugin, duration } from "logsim";

export const ${factory}Schema = z.strictObject({
  interval: duration().default(10_000).describe("Time between reports"),
});

/** Logs how many records every pipeline has written, every \`interval\`. */
export const ${factory} = definePlugin({
  kind: "service",
  name: "${name}",
  description: "Reports the records written so far at an interval",
  schema: ${factory}Schema,
  create(options, ctx) {
    const stop = new AbortController();
    let loop: Promise<void> | undefined;
    const report = () => {
      for (const p of ctx.app.pipelines()) {
        const written = p.plugins.filter((x) => x.kind === "sink").reduce((n, x) => n + x.counters.emitted, 0);
        ctx.log.info(\`\${p.name}: \${written} records written\`);
      }
    };
    return {
      start() {
        loop = (async () => {
          while (await ctx.clock.sleep(options.interval, stop.signal)) report();
        })();
      },
      async stop() {
        stop.abort();
        await loop;
      },
    };
  },
});
`,
    test: `${TEST_HEAD("")}import { ${factory}, ${factory}Schema } from "./mod.ts";

${CONTEXT}

test("reports every interval until stopped, and stop ends the wait at once", async () => {
  const lines: string[] = [];
  let sleeps = 0;
  const ctx = testContext({
    log: { info: (m) => lines.push(m), warn: () => {} },
    app: { pipelines: () => [{ name: "main", state: "running", plugins: [{ id: "s", name: "x", kind: "sink", counters: { received: 5, emitted: 5, dropped: 0, errors: 0 } }] }], config: () => ({}), outputs: () => [] },
    // Three intervals pass, then time stands still until stop aborts the wait.
    clock: { now: () => 0, monotonic: () => 0, sleep: (_ms, signal) => (++sleeps <= 3 ? Promise.resolve(true) : new Promise((resolve) => signal?.addEventListener("abort", () => resolve(false)))) },
  });
  const service = await ${factory}.definition.create(${factory}Schema.parse({ interval: "1s" }), ctx);
  await service.start();
  while (sleeps < 4) await new Promise((resolve) => setTimeout(resolve, 1));
  await service.stop();
  assert.deepEqual(lines, ["main: 5 records written", "main: 5 records written", "main: 5 records written"]);
});
`,
  }),
};

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** The files of a new plugin, by name. */
export function scaffoldFiles(kind: ScaffoldKind, names: Names): Record<string, string> {
  const t = plugins[kind](names);
  const readme = `# ${names.name}

${t.about}

\`\`\`ts
// logsim.config.ts
import { defineConfig } from "logsim";
import { ${names.factory} } from "./${names.name}/mod.ts";

export default defineConfig({
  pipelines: { main: { /* ... */ ${t.usage} } },
});
\`\`\`

Test it (node:test; the same file runs on all three):

\`\`\`sh
bun test ${names.name}/
deno test -A ${names.name}/
node --import tsx --test ${names.name}/${names.name}.test.ts
\`\`\`

The contract of a ${kind} (hook order, backpressure, acknowledgements, errors) is in logsim's docs/plugins.md.
To publish it, export the factory from a package that has \`logsim\` and \`zod\` as peer dependencies.
`;
  return { "mod.ts": t.plugin, [`${names.name}.test.ts`]: t.test, "README.md": readme };
}
