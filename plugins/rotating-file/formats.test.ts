/**
 * Line formats are resolved statically, not through a registry filled by importing
 * "logsim/plugins": this file imports the rotating-file plugin's module alone (and no
 * other plugin), as an outside config that imports only what it uses would.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { createBus } from "../../core/host.ts";
import { CSV_COLUMNS, type LineFormat, type LogRecord, type PluginContext } from "../../core/mod.ts";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { tempDir } from "../../tests/_helpers.ts";
import { rotatingFile } from "./mod.ts";

const record: LogRecord = { time: Date.UTC(2026, 0, 2, 3, 4, 5, 6), level: "WARN", message: "disk, almost full", service: "db" };

/** Just what the sink uses of a context: the file system and the bus. */
const context = () => ({ id: "archive", pipeline: "p", runtime: { fs: nodeFileSystem }, bus: createBus() }) as unknown as PluginContext;

async function writeWith(format: unknown): Promise<string> {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "out.log");
    const options = rotatingFile.definition.schema.parse({ path, format });
    const sink = await rotatingFile.definition.create(options, context());
    await sink.write([record]);
    await sink.close();
    return readFileSync(path, "utf8");
  } finally {
    cleanup();
  }
}

test('format "csv" works with only the rotating-file module imported', async () => {
  const parsed = rotatingFile.definition.schema.safeParse({ format: "csv" });
  assert.ok(parsed.success, parsed.success ? "" : parsed.error.message);
  const [header, line] = (await writeWith("csv")).trimEnd().split("\n");
  assert.equal(header, CSV_COLUMNS.join(","));
  assert.equal(line, '2026-01-02T03:04:05.006Z,WARN,db,"disk, almost full",,,,,,,,,,,,');
});

test("every built-in format name is accepted, and an unknown name is refused with the list", () => {
  for (const name of ["json", "csv", "text", "logfmt", "apache", "syslog"]) assert.ok(rotatingFile.definition.schema.safeParse({ format: name }).success, name);
  const refused = rotatingFile.definition.schema.safeParse({ format: "yaml" });
  assert.ok(!refused.success);
  assert.match(refused.error.issues[0]!.message, /json, csv, text, logfmt, apache, syslog/);
});

test("an author's LineFormat object is used as it is, header included", async () => {
  const shout: LineFormat = { header: "# shouting", format: (r) => `${r.level}! ${r.message.toUpperCase()}` };
  assert.equal(await writeWith(shout), "# shouting\nWARN! DISK, ALMOST FULL\n");
  assert.ok(!rotatingFile.definition.schema.safeParse({ format: { header: "x" } }).success, "an object without format() is refused");
});
