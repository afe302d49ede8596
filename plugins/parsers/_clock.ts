/** Times that application logs write without a date or a century: the date is the parse's `now`'s. */
import { wallTime, type ParseEnv } from "./_common.ts";

/** Fractional seconds `123456` as milliseconds, cut (not rounded) to 123. */
export const millis = (digits: string | undefined): number => (digits ? Number(digits.length >= 3 ? digits.slice(0, 3) : digits.padEnd(3, "0")) : 0);

const DAY = 86_400_000;
/** Lines may be written a little after they are read (clocks of two machines): up to this far ahead of now is still today. */
const AHEAD = 5 * 60_000;

/**
 * A time of day written without a date (log4j2's and logback's `%d{HH:mm:ss.SSS}`): on the day of the
 * reference (the file's modification time, else now) in the parser's zone, or the day before when that would
 * put it ahead of the reference (yesterday's lines read after midnight).
 */
export function timeOfDay(env: ParseEnv, h: number, mi: number, s: number, ms: number): number | undefined {
  const reference = env.fileTime ?? env.now;
  let best: number | undefined;
  let earliest: number | undefined;
  // The zone's date is the UTC date of now, the day before or the day after.
  for (let k = -1; k <= 1; k++) {
    const d = new Date(reference + k * DAY);
    const t = wallTime(env.zone, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), h, mi, s, ms);
    if (t === undefined) continue;
    if (t <= reference + AHEAD && (best === undefined || t > best)) best = t;
    if (earliest === undefined || t < earliest) earliest = t;
  }
  return best ?? earliest;
}

/** A two-digit year (`17/06/09`, `081109`) in this century. */
export const fullYear = (yy: string): number => 2000 + Number(yy);
