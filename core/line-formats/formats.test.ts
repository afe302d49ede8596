/**
 * Every format parsed back by a small reference parser written from its
 * documentation, and compared with the same events written as JSON.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { generateToFile, readLines, tempDir } from "../../plugins/generator/_test-helpers.ts";
import { CSV_COLUMNS, SYSLOG_SEVERITY, TEXT_SHORT_NAMES } from "../line-format.ts";

type Parsed = { timestamp?: string; level?: string; service?: string; message?: string; fields: Record<string, string> };

/** RFC 4180: the whole text into rows (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\n") row.push(cell), rows.push(row), (row = []), (cell = "");
    else cell += c;
  }
  return rows;
}

/** key=value pairs; values bare or JSON string literals. */
function parseKv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const pair = /(\S+?)=("(?:[^"\\]|\\.)*"|\S*)/g;
  for (const m of text.matchAll(pair)) out[m[1]!] = m[2]!.startsWith('"') ? JSON.parse(m[2]!) : m[2]!;
  return out;
}

function parseText(line: string): Parsed {
  const m = /^(\S+) (\w+) \[([^\]]*)\] (.*)$/.exec(line)!;
  const kv = parseKv(m[4]!);
  const fields: Record<string, string> = {};
  const long = Object.fromEntries(Object.entries(TEXT_SHORT_NAMES).map(([k, v]) => [v, k]));
  for (const [k, v] of Object.entries(kv)) if (k !== "msg") fields[long[k] ?? k] = v;
  return { timestamp: m[1], level: m[2], service: m[3], message: kv.msg, fields };
}

function parseLogfmt(line: string): Parsed {
  const { time, level, service, msg, ...fields } = parseKv(line);
  return { timestamp: time, level: level!.toUpperCase(), service, message: msg, fields };
}

function parseSyslog(line: string): Parsed {
  const m = /^<(\d+)>1 (\S+) (\S+) (\S+) (\S+) (\S+) /.exec(line)!;
  let rest = line.slice(m[0].length);
  const fields: Record<string, string> = {};
  if (rest.startsWith("[")) {
    let i = rest.indexOf(" ") + 1;
    while (rest[i] !== "]") {
      const eq = rest.indexOf("=", i);
      const name = rest.slice(i, eq);
      let value = "";
      let j = eq + 2;
      for (; rest[j] !== '"'; j++) {
        if (rest[j] === "\\") {
          const next = rest[++j]!;
          value += next === "n" ? "\n" : next === "r" ? "\r" : next;
        } else value += rest[j];
      }
      fields[name] = value;
      i = j + 1;
      if (rest[i] === " ") i++;
    }
    rest = rest.slice(i + 2);
  } else rest = rest.slice(2);
  const severity = Number(m[1]) % 8;
  const level = Object.entries(SYSLOG_SEVERITY).find(([, s]) => s === severity)![0];
  assert.equal(Math.floor(Number(m[1]) / 8), 16, "facility local0");
  assert.equal(m[6], fields.event ?? "-", "MSGID is the event");
  return { timestamp: m[2], level, service: m[4], message: rest, fields };
}

function parseApache(line: string): Parsed {
  const q = '"((?:[^"\\\\]|\\\\.)*)"';
  const m = new RegExp(`^(\\S+) - (\\S+) \\[([^\\]]+)\\] ${q} (\\S+) (\\S+) ${q} ${q}$`).exec(line);
  assert.ok(m, `combined log format: ${line}`);
  const unescape = (s: string) => s.replace(/\\x([0-9a-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))).replace(/\\(.)/g, "$1");
  const [method, path] = m[4] === "-" ? [] : unescape(m[4]!).split(" ");
  const fields: Record<string, string> = {};
  const put = (k: string, v: string | undefined) => v !== undefined && v !== "-" && (fields[k] = v);
  put("ip", m[1]);
  put("user_id", m[2]);
  put("method", method);
  put("path", path);
  put("status", m[5]);
  put("bytes", m[6]);
  put("user_agent", m[8] === "-" ? undefined : unescape(m[8]!));
  return { timestamp: m[3], fields };
}

const str = (v: unknown) => (typeof v === "object" ? JSON.stringify(v) : String(v));
const OPTIONS = {
  count: 3000,
  seed: 21,
  startTime: "2026-11-23T10:00:00.5Z",
  fields: { note: { oneOf: ['say "hi", ok', "a=b c]d\\e", "naïve ☃ 日本", "line\nbreak\r", "", "plain"] } },
};

test("every format parses back into the fields it carries", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const out: Record<string, string> = {};
    for (const format of ["json", "csv", "text", "logfmt", "apache", "syslog"]) {
      out[format] = join(dir, `events.${format}`);
      await generateToFile(OPTIONS, out[format], format);
    }
    const events = readLines(out.json!).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(events.length, 3000);
    const split = ({ timestamp, level, service, message, ...fields }: Record<string, unknown>) => ({ timestamp, level, service, message, fields });

    const rows = parseCsv(readFileSync(out.csv!, "utf8"));
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    assert.equal(rows.length, 3001);
    const byFormat: Record<string, Parsed[]> = {
      csv: rows.slice(1).map((row) => {
        const cells = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, row[i]!]));
        const { timestamp, level, service, message, extra, ...columns } = cells;
        const fields: Record<string, string> = {};
        for (const [k, v] of Object.entries(columns)) if (v !== "") fields[k] = v;
        for (const [k, v] of Object.entries(extra ? JSON.parse(extra) : {})) fields[k] = str(v);
        return { timestamp, level, service, message, fields };
      }),
      text: readLines(out.text!).map(parseText),
      logfmt: readLines(out.logfmt!).map(parseLogfmt),
      syslog: readLines(out.syslog!).map(parseSyslog),
    };
    for (const [format, parsed] of Object.entries(byFormat)) {
      assert.equal(parsed.length, events.length, format);
      parsed.forEach((p, i) => {
        const e = split(events[i]!);
        const expected = Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, str(v)]));
        // A CSV column cannot tell an empty string from an absent value (the extra column can).
        if (format === "csv") for (const k of Object.keys(expected)) if (expected[k] === "" && (CSV_COLUMNS as readonly string[]).includes(k)) delete expected[k];
        assert.deepEqual({ ...p, fields: p.fields }, { timestamp: e.timestamp, level: e.level, service: e.service, message: e.message, fields: expected }, `${format} line ${i + 1}`);
      });
    }

    const apache = readLines(out.apache!).map(parseApache);
    assert.equal(apache.length, events.length);
    apache.forEach((p, i) => {
      const e = events[i]!;
      const clf = new Date(Date.parse(String(e.timestamp))).toUTCString(); // "Mon, 23 Nov 2026 10:00:00 GMT"
      const [, day, mon, year, time] = clf.split(" ");
      assert.equal(p.timestamp, `${day}/${mon}/${year}:${time} +0000`);
      for (const k of ["ip", "user_id", "method", "path", "status", "bytes", "user_agent"]) assert.equal(p.fields[k], e[k] === undefined ? undefined : str(e[k]), `apache line ${i + 1} ${k}`);
    });
  } finally {
    cleanup();
  }
});
