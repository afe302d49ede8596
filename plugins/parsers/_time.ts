/**
 * Time zones for timestamps written without one (Python's asctime, RFC 3164,
 * nginx's error log, most app logs). A zone is the machine's (`local`, the
 * default, as the program that wrote the file most likely ran there), `UTC`,
 * a fixed offset (`+05:30`) or an IANA name (`Europe/Paris`).
 */
import { err, ok, type Result } from "../../core/mod.ts";

export interface Zone {
  readonly name: string;
  /** Milliseconds since the epoch of a wall-clock time in this zone (month 1-12). */
  wallTime(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number;
}

/** The machine's zone, read through Date's local-time methods (the TZ environment variable on every runtime). */
export const LOCAL: Zone = {
  name: "local",
  wallTime: (y, mo, d, h, mi, s, ms) => {
    const date = new Date(2000, 0, 1, h, mi, s, ms);
    date.setFullYear(y, mo - 1, d); // setFullYear, not the constructor: years 0-99 stay themselves
    date.setHours(h, mi, s, ms);
    return date.getTime();
  },
};

const utcWall = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number => {
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  return y >= 0 && y < 100 ? new Date(t).setUTCFullYear(y) : t;
};

export const UTC: Zone = { name: "UTC", wallTime: utcWall };

/** A zone `offsetMinutes` east of UTC. */
export function fixedZone(offsetMinutes: number, name = formatOffset(offsetMinutes)): Zone {
  const offsetMs = offsetMinutes * 60_000;
  return { name, wallTime: (y, mo, d, h, mi, s, ms) => utcWall(y, mo, d, h, mi, s, ms) - offsetMs };
}

const formatOffset = (minutes: number) => {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? "-" : "+"}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
};

/** An IANA zone; its offset is asked of Intl once per hour of log time and cached. */
function ianaZone(name: string): Zone {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: name, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
  });
  const cache = new Map<number, number>();
  const offsetAt = (utcMs: number): number => {
    const hour = Math.floor(utcMs / 3_600_000);
    let offset = cache.get(hour);
    if (offset === undefined) {
      const p: Record<string, number> = {};
      for (const part of format.formatToParts(new Date(hour * 3_600_000))) if (part.type !== "literal") p[part.type] = Number(part.value);
      offset = utcWall(p.year!, p.month!, p.day!, p.hour!, p.minute!, p.second!, 0) - hour * 3_600_000;
      if (cache.size > 4096) cache.clear();
      cache.set(hour, offset);
    }
    return offset;
  };
  return {
    name,
    wallTime: (y, mo, d, h, mi, s, ms) => {
      const wall = utcWall(y, mo, d, h, mi, s, ms);
      // The offset at the guess, then at the result: right on both sides of a DST change.
      const first = wall - offsetAt(wall);
      const second = wall - offsetAt(first);
      return second;
    },
  };
}

const OFFSET = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/** A zone from an option: `local`, `UTC`/`Z`, `+05:30`/`-0800`, or an IANA name; the error says what is expected. */
export function resolveZone(spec: string | undefined): Result<Zone, string> {
  if (spec === undefined || spec === "" || spec === "local") return ok(LOCAL);
  if (/^(?:utc|gmt|z|etc\/utc)$/i.test(spec)) return ok(UTC);
  const m = OFFSET.exec(spec);
  if (m) {
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
    if (Number(m[2]) > 18 || Number(m[3] ?? 0) > 59) return err(`expected an offset between -18:00 and +18:00, got "${spec}"`);
    return ok(fixedZone(m[1] === "-" ? -minutes : minutes));
  }
  try {
    return ok(ianaZone(spec));
  } catch {
    return err(`expected "local", "UTC", an offset such as "+05:30" or an IANA zone such as "Europe/Paris", got "${spec}"`);
  }
}

/** The offset suffix `+hh:mm`/`-hhmm`/`Z` in minutes east of UTC, or undefined when it is none of those. */
export function offsetMinutes(suffix: string): number | undefined {
  if (suffix === "Z" || suffix === "z") return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(suffix);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === "-" ? -minutes : minutes;
}

/**
 * The year of a time written without one (`Oct 11 22:14:15`): the reference's year, or the one
 * before when that would put it more than a day after the reference (December lines read in January).
 */
export function inferYear(month: number, day: number, reference: number): number {
  const ref = new Date(reference);
  const year = ref.getUTCFullYear();
  const guess = Date.UTC(year, month - 1, day);
  return guess > reference + 86_400_000 ? year - 1 : year;
}
