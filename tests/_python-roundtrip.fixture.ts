/**
 * Run by python.test.ts in a child process with TZ set: formats records with core/template.ts (asctime is
 * local time, so the zone is the process's) and reads them back with the `python` parser in the local zone.
 * Prints one JSON line: how many lines were checked and the ones that did not come back the same.
 */
import process from "node:process";
import { compileTemplate, DEFAULT_TEMPLATE } from "../core/template.ts";
import type { LogRecord } from "../core/types.ts";
import { envAt } from "../plugins/parsers/_common.ts";
import { parsePython, templateParser } from "../plugins/parsers/python.ts";

const TEMPLATES = [
  DEFAULT_TEMPLATE,
  "%(asctime)s - %(name)s - %(levelname)s - %(message)s",
  "%(levelname)s:%(name)s:%(message)s %(isotime)s",
  "%(asctime)s %(levelname)-8s [%(name)s] %(message)s | %(fields)s",
  "%(created)f %(levelno)d %(name)s: %(message)s",
  "%(isotime)s %(levelname)5s %(service)s %(user_id)s %(message)s",
  "%(asctime)s %(msecs)d %(tags)s %(levelname)s %(message)s %%",
];
// A year of times at odd hours (and the hours next to both DST changes, which are not ambiguous).
const times: number[] = [];
for (let t = Date.UTC(2026, 0, 1, 0, 0, 0, 7); t < Date.UTC(2027, 0, 1); t += 7 * 3_600_000 + 37 * 60_000 + 13_001) times.push(t);
times.push(Date.UTC(2026, 2, 8, 6, 59, 59, 999), Date.UTC(2026, 2, 8, 7, 0, 0, 0), Date.UTC(2026, 10, 1, 4, 59, 59, 999), Date.UTC(2026, 10, 1, 7, 0, 0, 1));
const levels = ["DEBUG", "INFO", "WARN", "ERROR", "FATAL"] as const;
const now = Date.UTC(2027, 0, 1);
const mismatches: unknown[] = [];
let checked = 0;
for (const template of TEMPLATES) {
  const format = compileTemplate(template);
  const parse = templateParser(template)._unsafeUnwrap();
  times.forEach((time, i) => {
    const record: LogRecord = {
      time, level: levels[i % 5]!, service: `svc-${i % 3}`, message: `order ${i} - paid: "ok" [x] a=b`,
      fields: { user_id: `u${i}`, seq: i, note: "two words" }, tags: i % 2 ? ["a", "b"] : undefined,
    };
    const text = format(record);
    for (const [how, parsed] of [["format", parse({ kind: "line", text }, envAt(now))], ["default", parsePython({ kind: "line", text }, envAt(now))]] as const) {
      if (how === "default" && !TEMPLATES.slice(0, 2).includes(template)) continue;
      checked++;
      const back = parsed.isOk() ? parsed.value : undefined;
      const same = back && back.time === time && back.level === record.level && back.message === record.message &&
        (!/%\((name|service)\)/.test(template) || back.service === record.service);
      if (!same) mismatches.push({ template, how, text, time, got: back ? { time: back.time, level: back.level, message: back.message, service: back.service } : parsed._unsafeUnwrapErr() });
    }
  });
}
console.log(JSON.stringify({ tz: process.env.TZ, checked, mismatches: mismatches.slice(0, 5), failures: mismatches.length }));
