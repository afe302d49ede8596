/** The redact transform's options: the single source of its types, validation and `logsim plugins` text. */
import { z } from "zod";
import { regexOption } from "../../core/mod.ts";
import { REDACT_KINDS } from "./kinds.ts";

const safePattern = regexOption({ nonEmpty: true });

const extraPattern = z.union([
  safePattern,
  z.strictObject({
    name: z.string().min(1).default("custom").describe("Shown as {kind} in the replacement"),
    match: safePattern.describe("A regex (linear-time: no backreferences or lookaround); a group named `secret` narrows what is replaced"),
    ignoreCase: z.boolean().default(false),
    replacement: z.string().optional().describe("Replacement for this pattern (default: the transform's)"),
  }),
]);

export const redactSchema = z.strictObject({
  kinds: z
    .array(z.enum(REDACT_KINDS))
    .default([...REDACT_KINDS])
    .describe(`What to find: ${REDACT_KINDS.join(", ")} (default all)`),
  except: z.array(z.enum(REDACT_KINDS)).default([]).describe("Kinds to leave out of `kinds`, e.g. [\"email\"]"),
  replacement: z.string().default("[REDACTED]").describe("What a secret is replaced with; {kind} is the kind's name (\"[REDACTED:{kind}]\")"),
  patterns: z.array(extraPattern).default([]).describe("Extra patterns to redact, run after the built-in kinds"),
  fields: z
    .union([z.literal("all"), z.array(z.string().min(1))])
    .default("all")
    .describe("Which record fields to scan besides message and raw: \"all\" string fields (nested too), or their names"),
  keys: z.array(z.string().min(1)).default([]).describe("More field names whose whole value is a secret (password, *_token, session_id... are already)"),
});

export type RedactOptions = z.input<typeof redactSchema>;
export type ResolvedRedactOptions = z.output<typeof redactSchema>;
