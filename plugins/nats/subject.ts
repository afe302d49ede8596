/** The subject of a record from the `subject` template: `logs.{service}`, `logs.{level}.{tag}`... */
import type { LogRecord } from "../../core/mod.ts";

const PLACEHOLDER = /\{(service|level|tag|pipeline)\}/g;
const UNKNOWN = /\{([^}]*)\}/;

/** A subject token from any text: no spaces, dots or wildcards; never empty. */
export const subjectToken = (text: string | undefined): string => {
  if (text === undefined || text === "") return "_";
  return text.replace(/[\s.*>\u0000-\u001f\u007f]/g, "_");
};

export interface SubjectOf {
  (record: LogRecord): string;
  /** The template with every placeholder filled with `probe`: what the stream must cover. */
  probe: string;
}

/** Compiles the template; throws on an unknown placeholder (options are checked at create). */
export function compileSubject(template: string, pipeline: string): SubjectOf {
  const unknown = UNKNOWN.exec(template.replace(PLACEHOLDER, ""));
  if (unknown) throw new Error(`subject "${template}": unknown placeholder {${unknown[1]}}; use {service}, {level}, {tag} or {pipeline}`);
  const fixed = template.replace(/\{pipeline\}/g, subjectToken(pipeline));
  const probe = fixed.replace(PLACEHOLDER, "probe");
  if (!fixed.includes("{")) return Object.assign(() => fixed, { probe });
  // The same few services and levels come again and again: cache by key.
  const cache = new Map<string, string>();
  const fill = (record: LogRecord) => {
    const key = `${record.service ?? ""}\u0000${record.level}\u0000${record.tags?.[0] ?? ""}`;
    let subject = cache.get(key);
    if (subject === undefined) {
      subject = fixed.replace(PLACEHOLDER, (_m, name: string) => subjectToken(name === "service" ? record.service : name === "level" ? record.level : record.tags?.[0]));
      if (cache.size > 10_000) cache.clear();
      cache.set(key, subject);
    }
    return subject;
  };
  return Object.assign(fill, { probe });
}
