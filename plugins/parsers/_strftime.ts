/**
 * Python's `datefmt` (strftime directives), for `%(asctime)s` written with one: compiled into a regex with
 * a reader of its parts. %Y %y %m %d %H %I %M %S %f %p %b %B %a %A %z %Z %j %%; other directives are refused.
 */
import { err, ok, type Result } from "../../core/mod.ts";
import { wallTime, type ParseEnv } from "./_common.ts";
import { inferYear, offsetMinutes } from "./_time.ts";
import { timeOfDay } from "./_clock.ts";

const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DIRECTIVES: Record<string, string> = {
  Y: "(\\d{4})", y: "(\\d{2})", m: "(\\d{1,2})", d: "(\\d{1,2})", H: "(\\d{1,2})", I: "(\\d{1,2})", M: "(\\d{2})", S: "(\\d{2})",
  f: "(\\d{1,6})", p: "(AM|PM|am|pm)", b: "([A-Za-z]{3})", B: "([A-Za-z]{3,9})", a: "(?:[A-Za-z]{3})", A: "(?:[A-Za-z]{6,9})",
  z: "([+-]\\d{4}|Z)?", Z: "([A-Za-z]{1,5})?", j: "(\\d{3})",
};

export interface Datefmt {
  /** The regex source of a time in this format, without capturing groups, to embed in a template's. */
  source: string;
  read(text: string, env: ParseEnv): number | undefined;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** Compiles a `datefmt`; the error names the first directive it cannot read. */
export function compileDatefmt(format: string): Result<Datefmt, string> {
  let source = "";
  const order: string[] = [];
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== "%") {
      source += escape(format[i]!);
      continue;
    }
    const d = format[++i];
    if (d === "%") source += "%";
    else if (d !== undefined && DIRECTIVES[d]) {
      source += DIRECTIVES[d];
      if (DIRECTIVES[d]!.startsWith("(") && !DIRECTIVES[d]!.startsWith("(?:")) order.push(d);
    } else return err(`datefmt: %${d ?? ""} is not a directive logsim can read (it reads %Y %y %m %d %H %I %M %S %f %p %b %B %a %A %z %Z %j)`);
  }
  if (!order.includes("H") && !order.includes("I")) return err("datefmt: it has no hour (%H or %I)");
  const regex = new RegExp(`^${source}$`);
  return ok({
    source: source.replace(/\((?!\?)/g, "(?:"),
    read(text, env) {
      const m = regex.exec(text);
      if (!m) return undefined;
      const p: Record<string, string | undefined> = {};
      order.forEach((d, i) => (p[d] = m[i + 1]));
      let hour = Number(p.H ?? p.I);
      if (p.I) hour = (hour % 12) + (p.p?.toUpperCase() === "PM" ? 12 : 0);
      const ms = p.f ? Number(p.f.padEnd(6, "0").slice(0, 3)) : 0;
      // A time of day alone is today's (or yesterday's); a date without a year is of the year that puts it last.
      if (!p.m && !p.b && !p.B && !p.d && !p.j) return timeOfDay(env, hour, Number(p.M ?? 0), Number(p.S ?? 0), ms);
      const name = (p.b ?? p.B)?.slice(0, 3).toLowerCase();
      let month = p.m ? Number(p.m) : name ? MONTH_NAMES.indexOf(name) + 1 : 1;
      let day = p.d ? Number(p.d) : 1;
      const year = p.Y ? Number(p.Y) : p.y ? 2000 + Number(p.y) : inferYear(month, day, env.fileTime ?? env.now);
      if (p.j) {
        const date = new Date(Date.UTC(year, 0, Number(p.j)));
        month = date.getUTCMonth() + 1;
        day = date.getUTCDate();
      }
      const offset = p.z ? offsetMinutes(p.z) : undefined;
      return wallTime(env.zone, year, month, day, hour, Number(p.M ?? 0), Number(p.S ?? 0), ms, offset);
    },
  });
}
