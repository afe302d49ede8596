import assert from "node:assert/strict";
import { test } from "node:test";
import { compileTemplate, DEFAULT_TEMPLATE, isoTimeFormatter } from "./template.ts";
import type { LogRecord } from "./types.ts";

const at = new Date(2026, 10, 23, 10, 0, 5, 7).getTime(); // local time, as Python's asctime
const record: LogRecord = { time: at, level: "WARN", message: "disk low", service: "db", fields: { user: "u-1", note: "two words" } };

test("Python logging's default format gives Python's asctime with a comma before milliseconds", () => {
  assert.equal(compileTemplate(DEFAULT_TEMPLATE)(record), "[2026-11-23 10:00:05,007] WARN: disk low");
});

test("widths, name, levelno, %% and field lookups work", () => {
  const format = compileTemplate("%(levelname)-6s|%(levelno)d|%(name)s|%(user)s|%%|%(fields)s|%(missing)s.");
  assert.equal(format(record), 'WARN  |30|db|u-1|%|user=u-1 note="two words"|.');
  assert.equal(compileTemplate("%(levelname)6s")(record), "  WARN");
});

test("malformed directives are refused when compiling, not when formatting", () => {
  assert.throws(() => compileTemplate("%(asctime"), RangeError);
  assert.throws(() => compileTemplate("%(message)q"), RangeError);
});

test("iso time is UTC with milliseconds and stays right across second boundaries", () => {
  const iso = isoTimeFormatter();
  for (const ms of [0, 999, 1000, 1_700_000_000_123, 1_700_000_000_123, 1_700_000_000_999, 1_700_000_001_000, -1, 1_700_000_000_500.7]) {
    assert.equal(iso(ms), new Date(ms).toISOString(), String(ms));
  }
});
