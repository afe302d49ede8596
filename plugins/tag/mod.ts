/**
 * The `tag` transform: adds the tag of EVERY rule that matches (not the first
 * only), and a default tag when none did. `builtin: true` adds the rules for
 * the generator's auth, payment and api events.
 *
 * @example
 * tag({ builtin: true, rules: [{ tag: "slow", field: "latency_ms", match: "^\\d{4,}$" }], default: "other" })
 */
import { z } from "zod";
import { checkCondition, compileCondition, conditionShape, definePlugin, type ConditionOptions } from "../../core/mod.ts";

const rule = z
  .strictObject({ tag: z.string().min(1, { error: "expected a tag name" }).describe("Tag added when the rule matches"), ...conditionShape })
  .superRefine(checkCondition);

export type TagRule = z.input<typeof rule>;

/** Matches the generator's events: session login/logout/expiry, payments and refunds, HTTP requests. */
export const BUILTIN_TAG_RULES: readonly TagRule[] = [
  { tag: "auth", match: "login|logout|logged in|logged out|credentials|session expired|auth-service", ignoreCase: true },
  { tag: "payment", match: "payment|charge|refund", ignoreCase: true },
  { tag: "api", match: "GET |POST |PUT |DELETE |PATCH |/api/|api\\." },
];

export const tagSchema = z
  .strictObject({
    rules: z.array(rule).default([]).describe("Rules; every one that matches adds its tag"),
    builtin: z.boolean().default(false).describe("Also use the built-in auth, payment and api rules"),
    default: z.string().min(1).optional().describe("Tag added when no rule matched"),
  })
  .refine((o) => o.rules.length > 0 || o.builtin, { message: "give rules, or builtin: true" });

export const tag = definePlugin({
  kind: "transform",
  name: "tag",
  parallel: true,
  description: "Adds the tag of every matching rule (regex on the line or a field, field value, level), and a default tag",
  schema: tagSchema,
  create: (options) => {
    const builtin = options.builtin ? BUILTIN_TAG_RULES.map((r) => rule.parse(r)) : [];
    const rules = [...builtin, ...options.rules].map((r) => ({ tag: r.tag, test: compileCondition(r as ConditionOptions) }));
    const fallback = options.default;
    return {
      transform(record) {
        let added: string[] | undefined;
        for (const r of rules) if (r.test(record) && !added?.includes(r.tag)) (added ??= []).push(r.tag);
        if (!added && fallback) added = [fallback];
        if (!added) return record;
        // The record is the transform's to change (see Transform): no copy per line.
        // A tags array a source set may be shared (a constant), so it is copied, not pushed to.
        record.tags = record.tags ? [...record.tags, ...added.filter((t) => !record.tags!.includes(t))] : added;
        return record;
      },
    };
  },
});
