/**
 * Reading loghub's 2k samples (../shared/conformance/loghub, see its SOURCE.md) through a parser
 * chain, for tests/loghub.test.ts and bench/loghub-table.ts: per file, the share of lines parsed with
 * their own timestamp, the share whose level agrees with the level token in the raw line (where the
 * format has one), the parsers that read them, and the lines no parser read (counted, never lost).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { normalizeLevel } from "../core/config/fields.ts";
import type { Level, LogRecord, RawLine } from "../core/types.ts";
import { LETTER_LEVEL } from "../plugins/parsers/_columns.ts";
import { parseAuto } from "../plugins/parsers/auto.ts";
import { envAt, type LineParser } from "../plugins/parsers/mod.ts";
import { UTC } from "../plugins/parsers/_time.ts";
import { ROOT } from "./_helpers.ts";

export const LOGHUB = join(ROOT, "..", "shared", "conformance", "loghub");

export interface Sample {
  name: string;
  /** The level token in a raw line (group 1), where the format has a level column. */
  level?: RegExp;
  /** How this format's level words read, where they differ from logsim's usual names. */
  levels?: Readonly<Record<string, Level>>;
}

export const SAMPLES: readonly Sample[] = [
  { name: "Android", level: /^\S+ \S+ +\d+ +\d+ ([VDIWEFA]) /, levels: LETTER_LEVEL },
  { name: "Apache", level: /^\[[^\]]+\] \[(\w+)\]/ },
  { name: "BGL", level: /^(?:\S+ ){8}([A-Z]+)(?: |$)/, levels: { FAILURE: "FATAL", SEVERE: "ERROR" } },
  { name: "HDFS", level: /^\d+ \d+ \d+ ([A-Z]+) / },
  { name: "HPC" },
  { name: "Hadoop", level: /^\S+ \S+ ([A-Z]+) / },
  { name: "HealthApp" },
  { name: "Linux" },
  { name: "Mac" },
  { name: "OpenSSH" },
  { name: "OpenStack", level: /^\S+ \S+ \S+ \d+ ([A-Z]+) / },
  { name: "Proxifier" },
  { name: "Spark", level: /^\S+ \S+ ([A-Z]+) / },
  { name: "Thunderbird" },
  { name: "Windows", level: /^\S+ \S+, (\w+) / },
  { name: "Zookeeper", level: /^\S+ \S+ - ([A-Z]+) / },
];

export const samplePath = (s: Sample) => join(LOGHUB, `${s.name}_2k.log`);
export const haveSamples = () => existsSync(LOGHUB);

/** `auto`, one line at a time (every line starts with no file settled: the hardest case for it). */
export const chain: LineParser = (line, env) => parseAuto(line, env);

export interface FileStats {
  name: string;
  lines: number;
  /** Records whose time is the line's own (not the reference time, and a plausible date). */
  ownTime: number;
  levelChecked: number;
  levelRight: number;
  /** Lines no parser read, by reason. */
  failed: Map<string, number>;
  /** Lines that neither became a record nor a counted failure (a parser threw): must be 0. */
  lost: number;
  byParser: Map<string, number>;
  firstWrongLevel?: string;
}

const utf8 = new TextEncoder();
const pct = (n: number, of: number) => (of === 0 ? 100 : (100 * n) / of);
export const ownTimePct = (s: FileStats) => pct(s.ownTime, s.lines);
export const levelPct = (s: FileStats): number | undefined => (s.levelChecked === 0 ? undefined : pct(s.levelRight, s.levelChecked));

const expectedLevel = (sample: Sample, token: string): Level => sample.levels?.[token] ?? normalizeLevel(token) ?? "INFO";

/**
 * Reads a sample through `parse`. The reference time (`now`: the year of year-less formats) is the
 * file's modification time, as rsyslog and Vector take it; times without a zone are read as UTC.
 */
export function measure(sample: Sample, parse: LineParser = chain): FileStats {
  const path = samplePath(sample);
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const mtime = Math.floor(statSync(path).mtimeMs);
  const env = envAt(mtime, UTC);
  const stats: FileStats = { name: sample.name, lines: lines.length, ownTime: 0, levelChecked: 0, levelRight: 0, failed: new Map(), lost: 0, byParser: new Map() };
  let offset = 0;
  for (const text of lines) {
    const line: RawLine = { kind: "line", text, origin: { file: path, offset } };
    offset += utf8.encode(text).length + 1;
    const token = sample.level?.exec(text)?.[1];
    if (token !== undefined) stats.levelChecked++;
    let record: LogRecord;
    try {
      const result = parse(line, env);
      if (result.isErr()) {
        stats.failed.set(result.error.reason, (stats.failed.get(result.error.reason) ?? 0) + 1);
        continue;
      }
      record = result.value;
    } catch {
      stats.lost++;
      continue;
    }
    const parser = record.origin?.parser ?? "?";
    stats.byParser.set(parser, (stats.byParser.get(parser) ?? 0) + 1);
    if (record.time !== mtime && record.time > Date.UTC(1990, 0, 1) && record.time < mtime + 2 * 86_400_000) stats.ownTime++;
    if (token !== undefined) {
      if (record.level === expectedLevel(sample, token)) stats.levelRight++;
      else stats.firstWrongLevel ??= `${record.level} for ${text.slice(0, 120)}`;
    }
  }
  return stats;
}

/** The README table: file, lines, % parsed with their own time, % level right, parsers that read them. */
export function formatTable(rows: readonly FileStats[]): string {
  const out = ["| sample | lines | own time | level right | read by |", "| --- | ---: | ---: | ---: | --- |"];
  for (const s of rows) {
    const level = levelPct(s);
    const by = [...s.byParser].sort((a, b) => b[1] - a[1]).map(([p, n]) => (n === s.lines ? p : `${p} ${n}`)).join(", ");
    out.push(`| ${s.name} | ${s.lines} | ${ownTimePct(s).toFixed(1)}% | ${level === undefined ? "(no level)" : `${level.toFixed(1)}%`} | ${by || "-"} |`);
  }
  return out.join("\n");
}
