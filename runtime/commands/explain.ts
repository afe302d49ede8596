/**
 * `logsim collect --explain FILE`: for the first lines of a file, which format
 * `auto` picks, what it extracted, and why every other format refused the line.
 * The tool to reach for when a line lands in the dead-letter file.
 */
import type { FileSystem } from "../../core/runtime.ts";
import type { LogRecord, RawLine } from "../../core/types.ts";
import { AUTO_CANDIDATES, createAutoParser, envAt, resolveZone, type AutoCandidate } from "../../plugins/parsers/mod.ts";

/** Up to `maxLines` lines from the start of `path` (at most 4 MiB read), with their byte offsets. */
export function firstLines(fs: FileSystem, path: string, maxLines: number): RawLine[] | string {
  let file;
  try {
    file = fs.openRead(path);
  } catch (error) {
    return `cannot read ${path}: ${(error as Error).message}`;
  }
  try {
    const buffer = new Uint8Array(4 * 1024 * 1024);
    const n = file.read(buffer, 0);
    const decoder = new TextDecoder();
    const out: RawLine[] = [];
    let start = 0;
    while (start < n && out.length < maxLines) {
      let end = buffer.subarray(start, n).indexOf(10);
      end = end < 0 ? n : start + end;
      const text = decoder.decode(buffer.subarray(start, end)).replace(/\r$/, "");
      out.push({ kind: "line", text, origin: { file: path, offset: start } });
      start = end + 1;
    }
    return out;
  } finally {
    file.close();
  }
}

const clip = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

function describe(record: LogRecord): string[] {
  const head = [`time ${new Date(record.time).toISOString()}`, `level ${record.level}`];
  if (record.service !== undefined) head.push(`service ${JSON.stringify(record.service)}`);
  const lines = [`    ${head.join("  ")}`, `    message ${clip(JSON.stringify(record.message))}`];
  if (record.fields && Object.keys(record.fields).length > 0) lines.push(`    fields ${clip(JSON.stringify(record.fields), 400)}`);
  if (record.tags && record.tags.length > 0) lines.push(`    tags ${record.tags.join(", ")}`);
  return lines;
}

/** The explanation of each line, as text lines. `timezone` is the parsers' option. */
export function explainLines(lines: RawLine[], options: { now: number; timezone?: string; candidates?: readonly AutoCandidate[] }): string[] {
  const candidates = options.candidates ?? AUTO_CANDIDATES;
  const env = envAt(options.now, resolveZone(options.timezone)._unsafeUnwrap());
  const auto = createAutoParser(candidates);
  const zone = env.zone.name === "local" ? `local (${Intl.DateTimeFormat().resolvedOptions().timeZone} here)` : env.zone.name;
  const out: string[] = [`Times written without a zone are read in ${zone}; times below are UTC.`];
  for (const [i, line] of lines.entries()) {
    out.push(`line ${i + 1} (byte ${line.origin?.offset ?? 0}): ${clip(line.text)}`);
    if (line.text.trim() === "") {
      out.push("  blank: skipped and counted, not a record");
      continue;
    }
    const picked = auto({ ...line, origin: { ...line.origin } }, env);
    if (picked.isOk()) out.push(`  auto: ${picked.value.origin?.parser}`, ...describe(picked.value));
    else out.push(`  auto: no format matched; with the default --on-parse-error the line goes to the dead-letter file as "${picked.error.reason}"`);
    const skipped: string[] = [];
    for (const c of candidates) {
      if (picked.isOk() && c.name === picked.value.origin?.parser) continue;
      if (c.accepts && !c.accepts(line.text)) {
        skipped.push(c.name);
        continue;
      }
      const result = c.parse({ ...line, origin: { ...line.origin } }, env);
      if (result.isErr()) out.push(`  ${c.name}: ${result.error.reason}`);
      else if (c.firstLine && !c.firstLine(line.text) && !picked.isOk()) out.push(`  ${c.name}: reads it, but auto does not take a file for ${c.name} from this line alone (in a file that is ${c.name}, it would be read)`);
      else out.push(`  ${c.name}: would also read it`);
    }
    if (skipped.length > 0) out.push(`  not tried, the line cannot start them: ${skipped.join(", ")}`);
  }
  return out;
}

/** Checks a --timezone value; the problem, or undefined. */
export const timezoneProblem = (zone: string | undefined): string | undefined => {
  const r = resolveZone(zone);
  return r.isErr() ? `--timezone: ${r.error}` : undefined;
};
