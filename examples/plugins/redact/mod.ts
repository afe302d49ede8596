/**
 * The redact transform, as a package of its own would export it. It ships
 * inside logsim as a built-in (`redact()` from "logsim/plugins"), so its
 * source lives in plugins/redact/ (one implementation, packaged with logsim);
 * that folder is written the way an outside author writes a plugin: it
 * imports only from "logsim" (core/mod.ts) and zod. Published on its own,
 * those files would be this folder and this file its entry.
 */
export { createRedactor, redact, redactSchema, REDACT_KINDS, type RedactKind, type RedactOptions, type Redactor } from "../../../plugins/redact/mod.ts";
