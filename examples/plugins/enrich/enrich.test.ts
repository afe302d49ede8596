import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LogRecord, Runtime, Transform } from "../../../core/mod.ts";
import { pluginContext } from "../_testing.ts";
import { enrich, enrichSchema, type EnrichOptions } from "./mod.ts";
import { parseCsv } from "./table.ts";

/** The runtime services enrich uses (the working folder and reading a file), on node:fs. */
const runtimeIn = (cwd: string) => ({ cwd: () => cwd, fs: { readText: (p: string) => { try { return readFileSync(p, "utf8"); } catch { return undefined; } } } }) as unknown as Runtime;

function make(options: EnrichOptions, cwd = tmpdir()): Transform {
  return enrich.definition.create(enrichSchema.parse(options), pluginContext({ runtime: runtimeIn(cwd) })) as Transform;
}
const rec = (fields: Record<string, unknown>, extra: Partial<LogRecord> = {}): LogRecord => ({ time: 0, level: "INFO", message: "m", fields, ...extra });

function withFiles<T>(files: Record<string, string>, run: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "logsim-enrich-"));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("inline table: adds the row's fields, keeps the record's own unless overwrite, copies the fields object", () => {
  const t = make({ key: "user_id", table: { "u-1": { plan: "pro", country: "DE" } } });
  const fields = { user_id: "u-1", country: "FR" };
  const out = t.transform(rec(fields))!;
  assert.deepEqual(out.fields, { user_id: "u-1", country: "FR", plan: "pro" });
  assert.deepEqual(fields, { user_id: "u-1", country: "FR" }, "the source's object is not changed");
  const over = make({ key: "user_id", table: { "u-1": { country: "DE" } }, overwrite: true });
  assert.equal(over.transform(rec({ user_id: "u-1", country: "FR" }))!.fields!.country, "DE");
});

test("keys: service and level are the record's own; numbers match their text; ignoreCase; into", () => {
  const byService = make({ key: "service", table: { "payment-service": { team: "payments", oncall: "#pay-oncall" } }, into: "owner" });
  assert.deepEqual(byService.transform(rec({}, { service: "payment-service" }))!.fields, { owner: { team: "payments", oncall: "#pay-oncall" } });
  const byStatus = make({ key: "status", table: { "503": { meaning: "unavailable" } } });
  assert.equal(byStatus.transform(rec({ status: 503 }))!.fields!.meaning, "unavailable");
  const anyCase = make({ key: "country", table: { de: { eu: true } }, ignoreCase: true });
  assert.equal(anyCase.transform(rec({ country: "DE" }))!.fields!.eu, true);
});

test("a key not in the table: kept as it is, tagged, or dropped", () => {
  const table = { "u-1": { plan: "pro" } };
  const kept = make({ key: "user_id", table }).transform(rec({ user_id: "u-9" }))!;
  assert.deepEqual(kept.fields, { user_id: "u-9" });
  assert.deepEqual(make({ key: "user_id", table, missingTag: "unknown_user" }).transform(rec({}, { tags: ["auth"] }))!.tags, ["auth", "unknown_user"]);
  assert.equal(make({ key: "user_id", table, onMissing: "drop" }).transform(rec({ user_id: "u-9" })), undefined);
});

test("a CSV file (header, quotes, a key column) and a JSON file (object or array of rows), read relative to the working folder", () => {
  withFiles(
    {
      "services.csv": 'team,service,channel\r\npayments,payment-service,"#pay, oncall"\nsearch,search-service,"say ""hi"""\n',
      "users.json": JSON.stringify({ "u-1": { plan: "pro" } }),
      "rows.json": JSON.stringify([{ id: "u-2", plan: "free" }]),
    },
    (dir) => {
      const csv = make({ key: "service", file: "services.csv", keyColumn: "service" }, dir);
      assert.deepEqual(csv.transform(rec({}, { service: "payment-service" }))!.fields, { team: "payments", channel: "#pay, oncall" });
      assert.equal(csv.transform(rec({}, { service: "search-service" }))!.fields!.channel, 'say "hi"');
      assert.equal(make({ key: "user_id", file: join(dir, "users.json") }).transform(rec({ user_id: "u-1" }))!.fields!.plan, "pro");
      assert.equal(make({ key: "user_id", file: "rows.json", keyColumn: "id" }, dir).transform(rec({ user_id: "u-2" }))!.fields!.plan, "free");
    },
  );
});

test("a table that cannot be read stops create with a message naming the file and the problem", () => {
  withFiles({ "bad.csv": "a,b\n1\n", "bad.json": "{", "open.csv": 'a,b\n"x,1\n' }, (dir) => {
    assert.throws(() => make({ key: "a", file: "missing.json" }, dir), /missing\.json: no such file/);
    assert.throws(() => make({ key: "a", file: "bad.csv" }, dir), /bad\.csv: line 2 has 1 cells, the header 2/);
    assert.throws(() => make({ key: "a", file: "bad.json" }, dir), /bad\.json: /);
    assert.throws(() => make({ key: "a", file: "open.csv" }, dir), /quoted cell is not closed/);
    assert.throws(() => make({ key: "a", file: "bad.csv", keyColumn: "z" }, dir), /no column "z"/);
  });
});

test("options: exactly one of table and file", () => {
  assert.ok(!enrichSchema.safeParse({ key: "k" }).success);
  assert.ok(!enrichSchema.safeParse({ key: "k", table: {}, file: "x.csv" }).success);
  assert.ok(enrichSchema.safeParse({ key: "k", file: "x.csv" }).success);
});

test("parseCsv: empty lines skipped, last line without a newline kept", () => {
  assert.deepEqual(parseCsv("a,b\n\n1,2"), [["a", "b"], ["1", "2"]]);
  assert.deepEqual(parseCsv('"",x\n'), [["", "x"]]);
});
