/** Every built-in plugin keeps the contract of its kind, checked with the same kit outside authors use. */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, appendFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tempDir } from "../tests/_helpers.ts";
import { byKind, PARSER_OPTIONS, PARSER_SAMPLES as SAMPLES, spec } from "./_builtin-specs.ts";
import { checkAcksAfterFlush, checkParserContract, checkSinkContract, checkSourceContract, checkTransformContract } from "./mod.ts";

const lineCount = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean).length : 0);

const TRANSFORM_OPTIONS: Record<string, unknown> = {
  filter: { match: "ERROR|payment" },
  tag: { rules: [{ tag: "payment", field: "service", equals: "payment-service" }, { tag: "slow", field: "message", match: "slow|timeout" }] },
};

for (const definition of byKind("parser")) {
  test(`parser ${definition.name} keeps the parser contract (fuzzed, seeded with real lines)`, async () => {
    await checkParserContract(spec(definition, PARSER_OPTIONS[definition.name]), { samples: SAMPLES, runs: 300, seed: 42 });
  });
}

for (const definition of byKind("transform")) {
  test(`transform ${definition.name} keeps the transform contract`, async () => {
    await checkTransformContract(spec(definition, TRANSFORM_OPTIONS[definition.name]), { runs: 300, seed: 42 });
  });
}

const fileSinks: Record<string, (dir: string) => { options: unknown; readBack: () => number }> = {
  jsonl: (dir) => ({ options: { path: join(dir, "out.jsonl") }, readBack: () => lineCount(join(dir, "out.jsonl")) }),
  "rotating-file": (dir) => ({ options: { path: join(dir, "out.log") }, readBack: () => lineCount(join(dir, "out.log")) }),
};

/** Sinks whose contract needs a server: checked beside them, against the real one. */
const CHECKED_ELSEWHERE: Record<string, string> = { nats: "plugins/nats/nats.test.ts, against a real nats-server" };

for (const definition of byKind("sink")) {
  test(`sink ${definition.name} keeps the sink contract`, { skip: CHECKED_ELSEWHERE[definition.name] && `checked in ${CHECKED_ELSEWHERE[definition.name]}` }, async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = fileSinks[definition.name]?.(dir);
      if (definition.name === "console") {
        // Writes to the runtime's stdout, which the test context captures.
        await checkSinkContract(spec(definition, { format: "json" }), { readBack: (t) => t.stdout().split("\n").filter(Boolean).length });
        return;
      }
      assert.ok(file, `no contract setup for the built-in sink ${definition.name}: add one`);
      await checkSinkContract(spec(definition, file.options), { readBack: file.readBack });
      const again = fileSinks[definition.name]!(join(dir, "acks"));
      await checkAcksAfterFlush(spec(definition, again.options), { readBack: again.readBack });
    } finally {
      cleanup();
    }
  });
}

test("source heartbeat keeps the source contract", async () => {
  await checkSourceContract(spec(byKind("source").find((d) => d.name === "heartbeat")!, { interval: "1h" }));
});

test("source generator keeps the source contract", async () => {
  await checkSourceContract(spec(byKind("source").find((d) => d.name === "generator")!, { rate: 1000, seed: 1 }));
});

test("source tail keeps the source contract, checkpoints included (a batch not acknowledged comes again)", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const log = join(dir, "app.log");
    writeFileSync(log, "");
    let n = 0;
    const prepare = () => appendFileSync(log, Array.from({ length: 20 }, () => `line ${++n}\n`).join(""));
    await checkSourceContract(spec(byKind("source").find((d) => d.name === "tail")!, { include: log, fromBeginning: true, stateDir: join(dir, "state") }), { prepare, checkpointed: true });
  } finally {
    cleanup();
  }
});
