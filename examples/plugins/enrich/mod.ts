/**
 * An `enrich` transform, written as a plugin outside logsim would be (it
 * imports only from "logsim"): adds fields to each record from a lookup
 * table keyed by one of its fields, such as a user's plan and country by
 * `user_id`, or a service's team and on-call channel by `service`.
 *
 * @example
 * transforms: [enrich({ key: "service", file: "ops/services.csv", into: "owner" })]
 * transforms: [enrich({ key: "user_id", table: { "u-1034": { plan: "pro", country: "DE" } }, missingTag: "unknown_user" })]
 */
import { isAbsolute, join } from "node:path";
import { definePlugin, type LogRecord } from "../../../core/mod.ts";
import { enrichSchema } from "./schema.ts";
import { fromObject, loadTable, type Row } from "./table.ts";

export { enrichSchema, type EnrichOptions } from "./schema.ts";

/** The value a record has for `key`: service and level are the record's own, the rest are fields. */
function keyOf(record: LogRecord, key: string): string | undefined {
  const value = key === "service" ? record.service : key === "level" ? record.level : record.fields?.[key];
  return value === undefined || value === null ? undefined : String(value);
}

export const enrich = definePlugin({
  kind: "transform",
  name: "enrich",
  description: "Adds fields from a lookup table (inline, or a JSON or CSV file) keyed by a record field",
  schema: enrichSchema,
  create(options, ctx) {
    let table = options.table ? fromObject(options.table) : undefined;
    if (options.file) {
      const path = isAbsolute(options.file) ? options.file : join(ctx.runtime.cwd(), options.file);
      const text = ctx.runtime.fs.readText(path);
      if (text === undefined) throw new Error(`Cannot read the lookup table ${path}: no such file`);
      table = loadTable(path, text, options.keyColumn);
    }
    if (options.ignoreCase) table = new Map([...table!].map(([k, row]) => [k.toLowerCase(), row]));
    const rows = table!;
    const lookup = (key: string): Row | undefined => rows.get(options.ignoreCase ? key.toLowerCase() : key);
    return {
      transform(record) {
        const key = keyOf(record, options.key);
        const row = key === undefined ? undefined : lookup(key);
        if (!row) {
          if (options.onMissing === "drop") return undefined;
          if (options.missingTag) record.tags = [...(record.tags ?? []), options.missingTag];
          return record;
        }
        // The fields object may be shared with the source's other records: changed on a copy.
        const fields = { ...record.fields };
        if (options.into) {
          if (options.overwrite || fields[options.into] === undefined) fields[options.into] = { ...row };
        } else {
          for (const name in row) if (options.overwrite || fields[name] === undefined) fields[name] = row[name];
        }
        record.fields = fields;
        return record;
      },
    };
  },
});
