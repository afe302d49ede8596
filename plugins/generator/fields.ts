/**
 * Custom fields: the kind of each field is inferred from the shape of its value.
 *
 * | value                               | kind                                   |
 * | ----------------------------------- | -------------------------------------- |
 * | `"eu-west-1"`, `42`, `true`         | constant                               |
 * | `"ord-{user_id}-{seq}"`             | template over other fields             |
 * | `{ oneOf: ["a", "b"] }`             | uniform choice                         |
 * | `{ oneOf: { free: 7, pro: 3 } }`    | weighted choice                        |
 * | `{ int: [1, 9] }`                   | integer in [1, 9]                      |
 * | `{ float: [0.5, 99], decimals: 2 }` | float in [0.5, 99), rounded            |
 * | `{ gen: "ipv4" }`                   | a generator: see data.ts GENERATORS    |
 */
import { z } from "zod";
import { GENERATOR_NAMES, GENERATORS } from "./data.ts";
import { Random, Weighted } from "./random.ts";

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const range = z.tuple([z.number(), z.number()]).refine(([a, b]) => a <= b, { message: "expected [min, max] with min <= max" });

export const fieldSpec = z.union(
  [
    scalar,
    z.strictObject({ oneOf: z.union([z.array(scalar).min(1), z.record(z.string(), z.number().nonnegative())]) }),
    z.strictObject({ int: range }),
    z.strictObject({ float: range, decimals: z.number().int().min(0).max(10).optional() }),
    z.strictObject({ template: z.string() }),
    z.strictObject({ gen: z.enum(GENERATOR_NAMES as [string, ...string[]]) }),
  ],
  { error: `expected a constant, a "{field}" template, or { oneOf | int | float | template | gen }; gen is one of ${GENERATOR_NAMES.join(", ")}` },
);

export type FieldSpec = z.input<typeof fieldSpec>;

/** Names every generated event has, which templates may reference. */
export const BUILTIN_FIELDS = ["generator", "seq", "event", "flow", "service", "level", "message", "user_id", "session_token", "request_id", "trace_id"] as const;

const REFERENCE = /\{(\w+)\}/g;

/** Field names a template references. */
export function templateRefs(template: string): string[] {
  return [...template.matchAll(REFERENCE)].map((m) => m[1]!);
}

const templateOf = (spec: FieldSpec): string | undefined =>
  typeof spec === "string" && spec.includes("{") && templateRefs(spec).length > 0 ? spec : typeof spec === "object" && "template" in spec ? spec.template : undefined;

/** Problems with templates: references to unknown fields or to custom fields defined later. */
export function checkFields(fields: Record<string, FieldSpec>): string[] {
  const problems: string[] = [];
  const names = Object.keys(fields);
  names.forEach((name, index) => {
    const template = templateOf(fields[name]!);
    if (template === undefined) return;
    for (const ref of templateRefs(template)) {
      const at = names.indexOf(ref);
      if ((BUILTIN_FIELDS as readonly string[]).includes(ref) || (at >= 0 && at < index)) continue;
      problems.push(at >= index ? `${name}: "{${ref}}" refers to a field defined at or after it; define it first` : `${name}: "{${ref}}" is not a field (known: ${[...BUILTIN_FIELDS, ...names.slice(0, index)].join(", ")})`);
    }
  });
  return problems;
}

/** The record parts that are not fields (service, level, message), which templates may reference too. */
type Extra = Readonly<Record<string, unknown>> | object;
type Compiled = (random: Random, event: Record<string, unknown>, extra?: Extra) => unknown;

function compileTemplate(template: string): Compiled {
  const parts = template.split(REFERENCE); // Odd indexes are field names.
  return (_random, event, extra) => {
    let out = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i]!;
      out += String(event[name] ?? (extra as Record<string, unknown> | undefined)?.[name] ?? "") + parts[i + 1]!;
    }
    return out;
  };
}

function compile(spec: FieldSpec): Compiled {
  const template = templateOf(spec);
  if (template !== undefined) return compileTemplate(template);
  if (typeof spec !== "object") return () => spec;
  if ("oneOf" in spec) {
    const choice = Array.isArray(spec.oneOf) ? new Weighted(spec.oneOf.map((v) => [v, 1] as const)) : new Weighted(Object.entries(spec.oneOf));
    return (random) => choice.pick(random);
  }
  if ("int" in spec) {
    const [min, max] = spec.int;
    return (random) => random.int(Math.ceil(min), Math.floor(max));
  }
  if ("float" in spec) {
    const [min, max] = spec.float;
    const scale = 10 ** (spec.decimals ?? 2);
    return (random) => Math.round(random.float(min, max) * scale) / scale;
  }
  if ("gen" in spec) {
    const gen = GENERATORS[spec.gen as keyof typeof GENERATORS];
    return (random) => gen(random);
  }
  return () => undefined;
}

/** Compiles the custom fields into one function that adds them to an event's fields, in definition order. */
export function compileFields(fields: Record<string, FieldSpec>): ((random: Random, event: Record<string, unknown>, extra?: Extra) => void) | undefined {
  const compiled = Object.entries(fields).map(([name, spec]) => [name, compile(spec)] as const);
  if (compiled.length === 0) return undefined;
  return (random, event, extra) => {
    for (const [name, fn] of compiled) event[name] = fn(random, event, extra);
  };
}
