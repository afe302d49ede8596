/**
 * The `redact` transform: replaces secrets and personal data in a record's
 * message, raw line and fields before any sink sees them. It finds session
 * tokens, emails, card numbers (Luhn-checked with a real issuer prefix, so an
 * order id stays), the password of `scheme://user:pass@host`, bearer and basic
 * credentials, `password=`/`api_key:`/`"token": "..."` pairs, JWTs and
 * well-known API token formats; fields named like secrets (`password`,
 * `session_token`, `authorization`) lose their whole value.
 *
 * @example
 * // logsim.config.ts
 * transforms: [redact()]
 * transforms: [redact({ except: ["email"], replacement: "[REDACTED:{kind}]", patterns: ["ssn=(?<secret>\\d{3}-\\d{2}-\\d{4})"] })]
 */
import { definePlugin } from "../../core/mod.ts";
import { createRedactor } from "./redactor.ts";
import { redactSchema } from "./schema.ts";

export { createRedactor, type Redactor } from "./redactor.ts";
export { REDACT_KINDS, type RedactKind } from "./kinds.ts";
export { redactSchema, type RedactOptions } from "./schema.ts";

export const redact = definePlugin({
  kind: "transform",
  name: "redact",
  parallel: true,
  description: "Replaces secrets and personal data (session tokens, emails, card numbers, URL passwords, bearer tokens, password=/api_key= pairs, JWTs) in messages, raw lines and fields",
  schema: redactSchema,
  create(options) {
    const redactor = createRedactor(options);
    return { transform: (record) => redactor.record(record) };
  },
});
