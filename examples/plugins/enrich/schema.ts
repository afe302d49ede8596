/** The enrich transform's options: one zod schema for the config types, validation and `logsim plugins` text. */
import { z } from "zod";

const row = z.record(z.string(), z.unknown());

export const enrichSchema = z
  .strictObject({
    key: z.string().min(1).describe("The record field whose value is looked up: a field name, or service / level"),
    table: z.record(z.string(), row).optional().describe("The lookup table inline: { [key value]: { field: value, ... } }"),
    file: z.string().min(1).optional().describe("Or a .json or .csv file holding it, read once when the pipeline starts (relative to the working folder)"),
    keyColumn: z.string().min(1).optional().describe("In a CSV file or a JSON array of rows: the column holding the key (default: the first column, or `key`)"),
    into: z.string().min(1).optional().describe("Put the looked-up fields under this field instead of beside the others"),
    overwrite: z.boolean().default(false).describe("Replace fields the record already has (default: keep them)"),
    ignoreCase: z.boolean().default(false).describe("Match keys in any case"),
    onMissing: z.enum(["keep", "drop"]).default("keep").describe("A record whose key is not in the table: keep it as it is, or drop it"),
    missingTag: z.string().min(1).optional().describe("Tag added to a kept record whose key is not in the table"),
  })
  .refine((o) => (o.table === undefined) !== (o.file === undefined), { message: "give either table or file" });

export type EnrichOptions = z.input<typeof enrichSchema>;
export type ResolvedEnrichOptions = z.output<typeof enrichSchema>;
