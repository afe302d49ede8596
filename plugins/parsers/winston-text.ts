/**
 * `winston-text`: winston's text formats, `level: message {"meta":...}`: `simple()` (the meta as
 * JSON after the message, the time in it when `timestamp()` ran), `cli()` (levels padded), either
 * with `colorize()`, and printf formats that start `level: `. printf formats that start with the
 * time (`${timestamp} ${level}: ${message}`) are plain-text's. `prettyPrint()` spans lines and
 * is left out (its lines are JavaScript object literals, not JSON).
 */
import { fail, fromObject, withUtf8Check } from "./_common.ts";
import { put } from "./_dialects.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";

/** winston's npm, syslog and cli level sets: the words this parser takes as a level before `:`. */
export const WINSTON_LEVELS: ReadonlySet<string> = new Set([
  "error", "warn", "info", "http", "verbose", "debug", "silly",
  "emerg", "alert", "crit", "warning", "notice",
  "help", "data", "prompt", "input",
]);

// eslint-disable-next-line no-control-regex -- colorize() wraps the level in ANSI color codes
const HEAD = /^(?:\x1b\[[0-9;]*m)?([a-z]+)(?:\x1b\[[0-9;]*m)?: */;
/** The most ` {` a message may hold before the meta's: bounds the JSON.parse attempts per line. */
const MAX_TRIES = 16;

/** The meta JSON at the end of a simple() line: where it starts, or -1. The left-most ` {` whose rest is one object. */
function metaStart(rest: string): { at: number; meta: Record<string, unknown> } | undefined {
  if (rest.charCodeAt(rest.length - 1) !== 125 /* } */) return undefined;
  let at = rest.charCodeAt(0) === 123 ? 0 : rest.indexOf(" {");
  for (let tries = 0; at !== -1 && tries < MAX_TRIES; tries++) {
    const from = rest.charCodeAt(at) === 123 ? at : at + 1;
    try {
      const value: unknown = JSON.parse(rest.slice(from));
      if (typeof value === "object" && value !== null && !Array.isArray(value)) return { at, meta: value as Record<string, unknown> };
    } catch {
      // Not the meta yet: a brace in the message.
    }
    at = rest.indexOf(" {", at + 1);
  }
  return undefined;
}

export const parseWinstonText: LineParser = withUtf8Check((line, env) => {
  const head = HEAD.exec(line.text);
  if (!head || !WINSTON_LEVELS.has(head[1]!)) return fail("not winston's level: message");
  const rest = line.text.slice(head[0].length);
  const found = metaStart(rest);
  const obj: Record<string, unknown> = { level: head[1], message: found ? rest.slice(0, found.at) : rest };
  if (found) for (const key in found.meta) put(obj, key, found.meta[key]);
  return fromObject(obj, line, "winston-text", env);
});

export const winstonText = lineParserPlugin("winston-text", "Parses winston's simple() and cli() text lines: level: message {meta}", parseWinstonText);
