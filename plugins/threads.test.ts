import { test } from "node:test";
import assert from "node:assert/strict";
import { builtinPlugins } from "./mod.ts";
import { threadPluginCandidates } from "./threads.ts";

/** A plugin factory carries its definition (`json.definition`); the whole list holds definitions. */
const definitionsIn = (candidates: readonly unknown[]) => candidates.map((c) => (c as { definition?: unknown } | null)?.definition ?? c);

test("every built-in a thread can run is found in its own folder, without importing the others (the dashboard, sources)", async () => {
  const threadable = builtinPlugins.filter((d) => d.parallel || d.encoder);
  assert.ok(threadable.length > 20, `found the plugins that run in threads (${threadable.length})`);
  const web = builtinPlugins.find((d) => d.name === "web")!;
  for (const definition of threadable) {
    const found = definitionsIn(await threadPluginCandidates(definition.kind, definition.name));
    assert.ok(found.includes(definition), `${definition.kind} ${definition.name} is among its candidates`);
    assert.ok(!found.includes(web), `${definition.kind} ${definition.name}: looked up in its folder, not in every built-in`);
  }
});

test("a name outside those folders is looked up among every built-in", async () => {
  assert.equal(await threadPluginCandidates("sink", "rotating-file"), builtinPlugins);
});
