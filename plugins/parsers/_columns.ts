/** Helpers of the column-layout parsers (logcat, bluegene-ras, thunderbird, lanl-hpc, hdfs, healthapp, proxifier, windows-cbs, timestamped). */
import { normalizeLevel, type Level } from "../../core/mod.ts";
import { wallTime, type ParseEnv } from "./_common.ts";
import { inferYear, UTC } from "./_time.ts";

/** Android's one-letter priorities: Verbose, Debug, Info, Warn, Error, Fatal, Assert (and Silent, never written). */
export const LETTER_LEVEL: Readonly<Record<string, Level>> = { V: "DEBUG", D: "DEBUG", I: "INFO", W: "WARN", E: "ERROR", F: "FATAL", A: "FATAL", S: "FATAL" };

/** `.1`, `.12`, `.123456`: fraction digits as milliseconds (cut, not rounded). */
export const fractionMs = (digits: string | undefined): number => (digits ? Number(digits.slice(0, 3).padEnd(3, "0")) : 0);

/** A two-digit year as a full one: 00-68 are 2000-2068, 69-99 are 1969-1999 (POSIX strptime's pivot). */
export const fullYear = (yy: number): number => (yy < 69 ? 2000 + yy : 1900 + yy);

/** A time written without a year: the year is the reference's (`env.now`: the file's modification time, or now), or the one before. */
export function yearlessTime(env: ParseEnv, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | undefined {
  if (mo < 1 || mo > 12) return undefined;
  return wallTime(env.zone, inferYear(mo, d, env.fileTime ?? env.now), mo, d, h, mi, s, ms);
}

const QUARTER_HOUR = 900_000;
const MAX_OFFSET = 14 * 3_600_000;

/**
 * The instant of a line that carries both an epoch-seconds column and a wall-clock time without a
 * zone (BG/L, Thunderbird): the wall clock's offset from UTC is read off the epoch when the two agree
 * to within two seconds of a whole quarter hour, so the time keeps the wall clock's fraction and needs
 * no timezone option. Otherwise the epoch alone is the time.
 */
export function epochAnchored(epochSeconds: number, y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  const epochMs = epochSeconds * 1000;
  const wallUtc = wallTime(UTC, y, mo, d, h, mi, s, ms);
  if (wallUtc === undefined) return epochMs;
  const diff = wallUtc - ms - epochMs;
  const offset = Math.round(diff / QUARTER_HOUR) * QUARTER_HOUR;
  return Math.abs(offset) <= MAX_OFFSET && Math.abs(diff - offset) <= 2000 ? wallUtc - offset : epochMs;
}

/** Level words a free-text line may have after its timestamp; stricter than `normalizeLevel`'s aliases (no LOG, NOTE, HTTP...). */
const LEVEL_WORDS = new Set([
  "TRACE", "DEBUG", "VERBOSE", "FINE", "FINER", "FINEST", "INFO", "INFORMATION", "NOTICE", "WARN", "WARNING",
  "ERROR", "ERR", "SEVERE", "FAILURE", "CRIT", "CRITICAL", "ALERT", "EMERG", "FATAL", "PANIC", "DBG", "INF", "WRN", "EROR", "FTL",
]);

/** A level from a word written UPPER, lower or Capitalised, among the usual level names; undefined otherwise. */
export function levelWord(word: string): Level | undefined {
  if (word.length < 3 || word.length > 11) return undefined;
  const upper = word.toUpperCase();
  if (!LEVEL_WORDS.has(upper)) return undefined;
  if (word !== upper && word !== word.toLowerCase() && word !== upper[0] + upper.slice(1).toLowerCase()) return undefined;
  return normalizeLevel(upper);
}
