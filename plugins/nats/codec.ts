/**
 * What a message's payload becomes in a worker: a record when it is a logsim record's JSON
 * (what the nats sink publishes), otherwise a raw line for the pipeline's parsers (anything
 * else publishing on the stream: a logger, `nats pub`).
 */
import { LEVELS, type Entry, type Level } from "../../core/mod.ts";

const decoder = new TextDecoder();

export function decodeEntry(data: Uint8Array, subject: string, source: string): Entry {
  const text = decoder.decode(data);
  if (text.charCodeAt(0) === 123 /* { */) {
    try {
      const value = JSON.parse(text) as Record<string, unknown>;
      if (typeof value.time === "number" && typeof value.message === "string" && LEVELS.includes(value.level as Level)) {
        return value as unknown as Entry;
      }
    } catch {
      // Not JSON after all: a raw line, below.
    }
  }
  return { kind: "line", text, origin: { source, file: subject } };
}
