/**
 * The state file spoiled between two runs: corrupted (binary garbage), emptied, half-written (a
 * torn save) or of the wrong shape. The collector reads `first` lines and saves its positions;
 * the state file is spoiled; `second` more lines are appended; a second run starts. What it does,
 * asserted: it says so in one line ("state file ... starting without saved positions: the files are
 * read from their start"), exits 0, and reads every file from its start again (with or without
 * --from-beginning): verify finds nothing lost and exactly the `first` lines read before written
 * twice (the bound).
 */
import assert from "node:assert/strict";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./_helpers.ts";
import { verifyWriter, WRITER_ID } from "./_collector.ts";
import { describeDelivery } from "./_delivery.ts";
import { collectorRuntime, startCliOn } from "./_scenario-runtime.ts";

export const SPOILERS = {
  corrupted: (text: string) => Buffer.concat([Buffer.from([0x00, 0xff, 0xfe]), Buffer.from(text.slice(7, 40)), Buffer.from([0x80, 0x0a])]),
  emptied: () => Buffer.alloc(0),
  "half-written": (text: string) => Buffer.from(text.slice(0, Math.floor(text.length / 2))),
  "wrong shape": () => Buffer.from(JSON.stringify({ version: 1, files: [{ path: 42, offset: "far" }] })),
} satisfies Record<string, (text: string) => Buffer>;

export type Spoiler = keyof typeof SPOILERS;

const lines = (from: number, to: number) => {
  let text = "";
  for (let n = from; n <= to; n++) text += `${JSON.stringify({ generator: WRITER_ID, seq: n, level: "info", msg: `line ${n}` })}\n`;
  return text;
};

/** `resave`: a third run checks that the positions were saved again, whole (one more collector start: long runs only). */
export async function spoiledStateScenario(spoil: Spoiler, first: number, second: number, resave = true): Promise<{ duplicates: number; warning: string }> {
  const { dir, cleanup } = tempDir("logsim-state-");
  try {
    const input = join(dir, "app.log");
    const out = join(dir, "out.jsonl");
    const stateFile = join(dir, "state", "collect.tail.json");
    const args = ["collect", "--input", input, "--once", "--parser", "json", "--output", out, "--state-dir", join(dir, "state")];
    const run = () => startCliOn(collectorRuntime(), args, { cwd: dir, timeoutMs: 300_000 }).done;
    writeFileSync(input, lines(1, first));
    const one = await run();
    assert.equal(one.code, 0, one.stderr);
    writeFileSync(stateFile, SPOILERS[spoil](readFileSync(stateFile, "utf8")));
    appendFileSync(input, lines(first + 1, first + second));
    const two = await run();
    assert.equal(two.code, 0, two.stderr);
    const warnings = two.stderr.split("\n").filter((l) => /state file/.test(l));
    assert.equal(warnings.length, 1, `one line about the state file:\n${two.stderr}`);
    assert.match(warnings[0]!, new RegExp(`state file ${stateFile.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} (is not valid JSON|is empty|has an unexpected shape); starting without saved positions: the files are read from their start`));
    assert.doesNotMatch(two.stderr, /\n\s+at /, "no stack trace");
    const d = await verifyWriter([out], first + second);
    assert.deepEqual(d.lost, [], describeDelivery(d));
    assert.equal(d.duplicates, first, `read from the start again: the ${first} lines read before are written twice, no more: ${describeDelivery(d)}`);
    assert.equal(d.foreign, 0, describeDelivery(d));
    // The positions are saved again, whole: a third run reads nothing twice.
    if (!resave) {
      assert.ok(Array.isArray((JSON.parse(readFileSync(stateFile, "utf8")) as { files?: unknown }).files), "the state file is whole again");
      return { duplicates: d.duplicates, warning: warnings[0]! };
    }
    const three = await run();
    assert.equal(three.code, 0, three.stderr);
    assert.doesNotMatch(three.stderr, /state file/);
    assert.equal((await verifyWriter([out], first + second)).duplicates, first);
    return { duplicates: d.duplicates, warning: warnings[0]! };
  } finally {
    cleanup();
  }
}
