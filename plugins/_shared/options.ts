/** Option schemas shared by several sinks. */
import { z } from "zod";
import { checkLineFormat } from "../../core/line-format.ts";
import { level } from "../../core/config/fields.ts";
import { DEFAULT_TEMPLATE } from "../../core/template.ts";

/** A format name (json, csv, ...) or a `%(name)s` template. Checked at load time. */
export const lineFormat = (fallback = DEFAULT_TEMPLATE) =>
  z
    .string({ error: "expected a format name or a template" })
    .default(fallback)
    .superRefine((value, ctx) => {
      const problem = checkLineFormat(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .describe(`A format name (json, ...) or a template of %(name)s fields; default ${JSON.stringify(fallback)}`);

export const minLevel = () => level().optional().describe("Only records at this level or above");
