/**
 * Compiles redact options into a redactor: one combined regular expression
 * for the built-in kinds (one pass over a text finds them all), the email
 * scan, the user's patterns, and a cached test of field names.
 */
import type { LogRecord } from "../../core/mod.ts";
import { isCardNumber, replaceCards } from "./card.ts";
import { replaceEmails } from "./email.ts";
import { compileFindAll, replaceSpans, type FindAll } from "./extra-patterns.ts";
import { KIND_GROUP, KIND_RULES, REDACT_KINDS, secretKeyTest, type RedactKind, type RegexKind } from "./kinds.ts";
import type { ResolvedRedactOptions } from "./schema.ts";

export interface Redactor {
  /** The text with every secret replaced; the same string when there was none. */
  text(value: string): string;
  /** Redacts a record's message, raw line and fields, in place (a transform owns its record); fields objects are copied on change. */
  record(record: LogRecord): LogRecord;
}

type Groups = Record<string, string | undefined>;

/** Fields nested deeper than this are left as they are (a record is data from a log line, not a deep graph). */
const MAX_DEPTH = 8;
/** Distinct field names remembered by the key test; past it the cache starts over (names are few in practice). */
const MAX_CACHED_KEYS = 10_000;

export function createRedactor(options: ResolvedRedactOptions): Redactor {
  const kinds = new Set(options.kinds.filter((k) => !options.except.includes(k)));
  const secretFor = (name: string, replacement = options.replacement) => replacement.replaceAll("{kind}", name);
  const secrets = Object.fromEntries(REDACT_KINDS.map((k) => [k, secretFor(k)])) as Record<RedactKind, string>;
  // Kinds that need a literal ("://", "eyJ") run as their own pass, only on texts that hold it: a pattern
  // that cannot start from a literal is tried at every position of every message (url-credentials was
  // half the time of all kinds together in one expression). The others share one pass.
  const gated = (kind: RegexKind, literal: string) => (kinds.has(kind) ? [{ literal, pass: pass([kind]) }] : []);
  const jwt = gated("jwt", "eyJ");
  const sharedKinds = REDACT_KINDS.filter((k): k is RegexKind => k !== "email" && k !== "card" && k !== "url-credentials" && k !== "jwt" && kinds.has(k));
  const shared = sharedKinds.length > 0 ? pass(sharedKinds) : undefined;
  // URL passwords last: one that holds another secret ("u:¡4111 1111 1111 1111@") is then replaced
  // whole, so redacting the output again changes nothing.
  const url = gated("url-credentials", "://");
  function pass(passKinds: RegexKind[]): (text: string) => string {
    const re = new RegExp(passKinds.map((k) => KIND_RULES[k].pattern).join("|"), "gi");
    const replacer = (match: string, ...args: unknown[]) => {
      const groups = args[args.length - 1] as Groups;
      const kind = passKinds.length === 1 ? passKinds[0]! : passKinds.find((k) => groups[KIND_GROUP[k]] !== undefined)!;
      return KIND_RULES[kind].replace(match, groups, secrets[kind]);
    };
    return (text) => text.replace(re, replacer);
  }
  const extras = options.patterns.map((p) => {
    const spec = typeof p === "string" ? { name: "custom", match: p, ignoreCase: false, replacement: undefined } : p;
    // The schema checked the pattern already: a failure here is a bug.
    return { find: compileFindAll(spec.match, spec.ignoreCase)._unsafeUnwrap() as FindAll, secret: secretFor(spec.name, spec.replacement) };
  });
  const email = kinds.has("email");
  const card = kinds.has("card");

  function text(value: string): string {
    let out = value;
    for (const g of jwt) if (out.includes(g.literal)) out = g.pass(out);
    if (shared) out = shared(out);
    if (card) out = replaceCards(out, secrets.card);
    for (const g of url) if (out.includes(g.literal)) out = g.pass(out);
    if (email) out = replaceEmails(out, () => secrets.email);
    for (const extra of extras) out = replaceSpans(out, extra.find(out), extra.secret);
    return out;
  }

  const keyKind = keyClassifier(kinds, options.keys);
  const scanned = options.fields === "all" ? undefined : new Set(options.fields);

  /** A field's value, redacted; the same value when nothing changed. */
  function value(key: string, item: unknown, depth: number): unknown {
    const byKey = keyKind(key);
    if (byKey && (typeof item === "string" ? item !== "" : typeof item === "number" || (typeof item === "object" && item !== null))) return secrets[byKey];
    if (scanned && depth === 0 && !scanned.has(key)) return item;
    if (typeof item === "string") return text(item);
    if (typeof item === "number") return kinds.has("card") && item >= 1e12 && Number.isSafeInteger(item) && isCardNumber(String(item)) ? secrets.card : item;
    if (typeof item === "object" && item !== null && depth < MAX_DEPTH) return Array.isArray(item) ? list(item, key, depth + 1) : object(item as Record<string, unknown>, depth + 1);
    return item;
  }
  function object(fields: Record<string, unknown>, depth: number): Record<string, unknown> {
    let copy: Record<string, unknown> | undefined;
    for (const key in fields) {
      const before = fields[key];
      const after = value(key, before, depth);
      if (after !== before) (copy ??= { ...fields })[key] = after;
    }
    return copy ?? fields;
  }
  function list(items: unknown[], key: string, depth: number): unknown[] {
    let copy: unknown[] | undefined;
    items.forEach((before, i) => {
      // An array's items are judged by the array's name (`tokens: [...]`), scanned as its other values are.
      const after = value(key, before, depth);
      if (after !== before) (copy ??= [...items])[i] = after;
    });
    return copy ?? items;
  }

  return {
    text,
    record(record) {
      const raw = record.raw;
      const message = text(record.message);
      if (raw !== undefined) record.raw = raw === record.message ? message : text(raw);
      record.message = message;
      if (record.fields) record.fields = object(record.fields, 0);
      return record;
    },
  };
}

/** The kind of secret a field's name says its value is, if any; cached per name. */
function keyClassifier(kinds: ReadonlySet<RedactKind>, extraKeys: readonly string[]): (key: string) => RedactKind | undefined {
  const isSecret = secretKeyTest(new Set([...kinds].filter((k) => k === "secret-pairs")));
  const isSession = secretKeyTest(new Set([...kinds].filter((k) => k === "session")));
  const extra = new Set(extraKeys.map((k) => k.toLowerCase()));
  const cache = new Map<string, RedactKind | null>();
  return (key) => {
    let kind = cache.get(key);
    if (kind === undefined) {
      kind = isSession(key) ? "session" : isSecret(key) || extra.has(key.toLowerCase()) ? "secret-pairs" : null;
      if (cache.size >= MAX_CACHED_KEYS) cache.clear();
      cache.set(key, kind);
    }
    return kind ?? undefined;
  };
}
