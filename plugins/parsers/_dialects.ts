/**
 * JSON logs whose time, level, service or message are not under the usual names, rewritten so
 * fromObject reads them, or read here: CLEF (Serilog's compact JSON), logstash's v0 event
 * (winston's logstash format) and ECS with nested `log: {level}` / `service: {name}`. The json
 * parser calls these only after a cheap look at a key or two (see json.ts).
 */
import { ok, type RawLine } from "../../core/mod.ts";
import { base, fieldName, levelOf, parseTime, setField, type ParseEnv, type ParseResult } from "./_common.ts";
import { renderTemplate } from "./_message-template.ts";

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Sets `key`, or `_key` (and so on) when it is taken: nothing is overwritten or dropped. */
export function put(target: Record<string, unknown>, key: string, value: unknown): void {
  let name = key;
  while (Object.hasOwn(target, name)) name = `_${name}`;
  setField(target, name, value);
}

/** CLEF's reified properties other than time, level and message, as the field names they become. */
const CLEF_FIELDS: Readonly<Record<string, string>> = { "@mt": "message_template", "@x": "exception", "@i": "event_id", "@r": "renderings", "@tr": "trace_id", "@sp": "span_id" };
/** The properties Serilog apps name their service with (`Enrich.WithProperty("Application", ...)`). */
const CLEF_SERVICE_KEYS = ["Application", "application", "Service", "service", "app"];

/**
 * A CLEF event (https://clef-json.org): `@t` time, `@l` level (absent means Information), `@m`
 * message or else `@mt` rendered with the event's properties; `@x` exception, `@i` event id and
 * the other reified properties become fields named for what they are; `@@name` is the property `@name`.
 */
export function clefRecord(obj: Record<string, unknown>, line: RawLine, parser: string, env: ParseEnv): ParseResult {
  const props: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  for (const key in obj) {
    if (key.charCodeAt(0) !== 64 /* @ */) setField(props, key, obj[key]);
    else if (key.charCodeAt(1) === 64) setField(props, key.slice(1), obj[key]);
    else if (key !== "@t" && key !== "@l" && key !== "@m") extra[CLEF_FIELDS[key] ?? key] = obj[key];
  }
  const time = parseTime(obj["@t"], env.now, env.zone, env.seconds);
  const level = levelOf(obj["@l"] ?? "Information");
  const message = typeof obj["@m"] === "string" ? obj["@m"] : typeof obj["@mt"] === "string" ? renderTemplate(obj["@mt"], props, obj["@r"]) : "";
  const record = base(line, parser, time ?? env.now, level ?? "INFO", message);
  const serviceKey = CLEF_SERVICE_KEYS.find((k) => typeof props[k] === "string" && props[k] !== "");
  if (serviceKey !== undefined) record.service = props[serviceKey] as string;
  const fields: Record<string, unknown> = {};
  for (const key in props) if (key !== serviceKey) setField(fields, fieldName(fields, key), props[key]);
  for (const key in extra) put(fields, key, extra[key]);
  if (time === undefined && obj["@t"] !== undefined) put(fields, "_timestamp", obj["@t"]);
  if (level === undefined) put(fields, "_level", obj["@l"]);
  if (Object.keys(fields).length > 0) record.fields = fields;
  return ok(record);
}

/**
 * logstash's v0 event (`@timestamp`, `@message`, `@fields`, `@source`, `@tags`, `@type`), as
 * winston's logstash format writes it (level and meta in `@fields`): flattened, `@fields` first,
 * the top-level `@` names without their sigil.
 */
export function logstashV0(obj: Record<string, unknown>): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  if (obj["@timestamp"] !== undefined) flat["@timestamp"] = obj["@timestamp"];
  if (obj["@message"] !== undefined) flat.message = obj["@message"];
  const inner = obj["@fields"];
  if (isObject(inner)) for (const key in inner) put(flat, key, inner[key]);
  else if (inner !== undefined) put(flat, "fields", inner);
  for (const key in obj) {
    if (key === "@timestamp" || key === "@message" || key === "@fields") continue;
    put(flat, key === "@tags" ? "tags" : key.charCodeAt(0) === 64 ? key.slice(1) : key, obj[key]);
  }
  return flat;
}

/**
 * ECS (and logstash-logback-encoder) lines: fromObject reads `@timestamp`, `message` and the
 * dotted `log.level` / `service.name`; the nested `log: {level}` and `service: {name}` that
 * ecs-logging libraries also write are lifted to those (the rest of `log` stays nested, the rest
 * of `service` becomes `service.version`... as `service` is a record key). Unchanged otherwise.
 */
export function ecs(obj: Record<string, unknown>): Record<string, unknown> {
  const log = obj.log;
  const service = obj.service;
  const nestedLog = isObject(log) && log.level !== undefined && obj["log.level"] === undefined;
  const nestedService = isObject(service) && service.name !== undefined && obj["service.name"] === undefined;
  if (!nestedLog && !nestedService) return obj;
  const flat: Record<string, unknown> = {};
  for (const key in obj) {
    if (nestedLog && key === "log") {
      const { level, ...rest } = log;
      put(flat, "log.level", level);
      if (Object.keys(rest).length > 0) put(flat, "log", rest);
    } else if (nestedService && key === "service") {
      for (const k in service) put(flat, `service.${k}`, service[k]);
    } else put(flat, key, obj[key]);
  }
  return flat;
}
