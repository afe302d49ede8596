/**
 * Option schemas shared by plugins, with messages that say what is expected
 * ("expected a positive integer") rather than what zod saw.
 */
import { z } from "zod";
import { LEVELS, type Level } from "../types.ts";

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/;

/**
 * Parses "250ms", "5s", "1.5m", "2h"; a bare number is seconds. Returns ms, or undefined when malformed.
 *
 * @example
 * parseDuration("1.5m"); // 90000
 * parseDuration(2); // 2000
 */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  const match = DURATION.exec(value.trim());
  if (!match) return /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) * 1000 : undefined;
  return Number(match[1]) * UNITS[match[2]!]!;
}

/**
 * How a duration may be written in a config.
 *
 * @example
 * const every: DurationInput = "250ms";
 */
export type DurationInput = number | `${number}${"ms" | "s" | "m" | "h"}`;

/** The schemas made by `duration()`, so a parsed value (ms) can be shown as a duration again. */
const durations = new WeakSet<object>();

/**
 * A duration option: `"5s"`, `"250ms"`, `"1.5m"`, or a number of seconds. Parsed to milliseconds.
 *
 * @example
 * const schema = z.strictObject({ interval: duration().default("5s") }); // options.interval: number (ms)
 */
export const duration = (opts: { allowZero?: boolean } = {}) => {
  const schema = z
    .union([z.number(), z.string()], { error: 'expected a duration such as "5s", "250ms" or a number of seconds' })
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined || (!opts.allowZero && ms <= 0)) {
        ctx.addIssue({ code: "custom", message: `expected a ${opts.allowZero ? "" : "positive "}duration such as "5s", "250ms" or a number of seconds` });
        return z.NEVER;
      }
      return ms;
    });
  durations.add(schema);
  return schema as unknown as z.ZodType<number, DurationInput>;
};

/** Whether `schema` is a `duration()`, under any `.default`, `.prefault`, `.optional` or `.describe`. */
export function isDuration(schema: z.ZodType): boolean {
  let current: unknown = schema;
  for (let depth = 0; depth < 8 && current; depth++) {
    if (durations.has(current as object)) return true;
    current = (current as { _zod?: { def?: { innerType?: unknown } } })._zod?.def?.innerType;
  }
  return false;
}

const intMessage = (what: string) => ({ error: `expected ${what}` });

/**
 * An integer > 0, with a message that says so.
 *
 * @example
 * const schema = z.strictObject({ batchSize: positiveInt().default(100) });
 */
export const positiveInt = () => z.number(intMessage("a positive integer")).int(intMessage("a positive integer")).positive(intMessage("a positive integer"));

/**
 * An integer >= 0, with a message that says so.
 *
 * @example
 * const schema = z.strictObject({ retries: nonNegativeInt().default(3) });
 */
export const nonNegativeInt = () => z.number(intMessage("an integer >= 0")).int(intMessage("an integer >= 0")).min(0, intMessage("an integer >= 0"));

/**
 * Every level name of syslog (RFC 5424), npm/winston, Python, Java (log4j, logback,
 * java.util.logging), Go (zap, logrus, klog, slog), .NET/Serilog, PostgreSQL and MySQL.
 */
const LEVEL_ALIASES: ReadonlyMap<string, Level> = new Map<string, Level>([
  ...["TRACE", "VERBOSE", "SILLY", "FINE", "FINER", "FINEST", "ALL", "DEBUG1", "DEBUG2", "DEBUG3", "DEBUG4", "DEBUG5", "DBG", "TRC", "VRB"].map((n) => [n, "DEBUG"] as const),
  ...["NOTICE", "INFORMATIONAL", "INFORMATION", "HTTP", "CONFIG", "LOG", "NOTE", "SYSTEM", "INF", "STATEMENT", "DETAIL", "HINT", "CONTEXT"].map((n) => [n, "INFO"] as const),
  ...["WARNING", "WRN"].map((n) => [n, "WARN"] as const),
  ...["ERR", "SEVERE", "EROR", "ERRO", "ERR0R", "EXCEPTION", "FAILURE", "FAIL", "DPANIC"].map((n) => [n, "ERROR"] as const),
  ...["CRITICAL", "CRIT", "ALERT", "EMERG", "EMERGENCY", "PANIC", "FTL", "FATL", "FATAL"].map((n) => [n, "FATAL"] as const),
]);

/**
 * Maps any common spelling of a level (warning, Err, critical, emerg, silly) to a Level, or undefined.
 *
 * @example
 * normalizeLevel("warning"); // "WARN"
 * normalizeLevel("emerg"); // "FATAL"
 */
export function normalizeLevel(value: string): Level | undefined {
  const upper = value.toUpperCase();
  if ((LEVELS as readonly string[]).includes(upper)) return upper as Level;
  return LEVEL_ALIASES.get(upper);
}

/**
 * How a level may be written in a config: any case, and Python's WARNING/CRITICAL.
 *
 * @example
 * const min: LevelInput = "warning";
 */
export type LevelInput = Level | Lowercase<Level> | "WARNING" | "CRITICAL" | "warning" | "critical";

/**
 * A level option; accepts any case and Python's WARNING/CRITICAL.
 *
 * @example
 * const schema = z.strictObject({ level: level().default("INFO") }); // options.level: Level
 */
export const level = () =>
  z.string({ error: `expected one of ${LEVELS.join(", ")}` }).transform((value, ctx) => {
    const normalized = normalizeLevel(value);
    if (!normalized) {
      ctx.addIssue({ code: "custom", message: `expected one of ${LEVELS.join(", ")}, got "${value}"` });
      return z.NEVER;
    }
    return normalized;
  }) as unknown as z.ZodType<Level, LevelInput>;

/**
 * An optional minimum level: records below it are left out.
 *
 * @example
 * const schema = z.strictObject({ minLevel: minLevel() }); // "warn", "WARNING", "error"...
 * // in create(options): const min = options.minLevel ? LEVEL_RANK[options.minLevel] : 0;
 */
export const minLevel = () => level().optional().describe("Only records at this level or above");

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
const SIZE = /^(\d+(?:\.\d+)?)\s*([a-z]+)?$/i;

/**
 * Parses a size: a number of bytes, or "512KiB", "10MB", "1.5 GiB" (KB, MB, GB are powers of 1000;
 * KiB, MiB, GiB and the short K, M, G powers of 1024). Returns whole bytes, or undefined when malformed.
 *
 * @example
 * parseByteSize("10MiB"); // 10485760
 * parseByteSize("2KB"); // 2000
 */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
  const match = SIZE.exec(value.trim());
  const unit = match ? SIZE_UNITS[(match[2] ?? "b").toLowerCase()] : undefined;
  if (!match || unit === undefined) return undefined;
  const bytes = Math.floor(Number(match[1]) * unit);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/**
 * How a size may be written in a config.
 *
 * @example
 * const max: ByteSizeInput = "10MiB";
 */
export type ByteSizeInput = number | `${number}${"" | " "}${"B" | "KB" | "MB" | "GB" | "KiB" | "MiB" | "GiB" | "K" | "M" | "G"}`;

/**
 * A size option: a number of bytes or `"10MiB"`, `"512KB"`. Parsed to whole bytes.
 *
 * @example
 * const schema = z.strictObject({ maxBytes: byteSize({ allowZero: true }).default("1MiB") });
 */
export const byteSize = (opts: { allowZero?: boolean } = {}) =>
  z
    .union([z.number(), z.string()], { error: 'expected a size such as "10MiB", "512KB" or a number of bytes' })
    .transform((value, ctx) => {
      const bytes = parseByteSize(value);
      if (bytes === undefined || (!opts.allowZero && bytes <= 0)) {
        ctx.addIssue({ code: "custom", message: `expected a ${opts.allowZero ? "" : "positive "}size such as "10MiB", "512KB" or a number of bytes` });
        return z.NEVER;
      }
      return bytes;
    }) as unknown as z.ZodType<number, ByteSizeInput>;

/**
 * A non-empty file path.
 *
 * @example
 * const schema = z.strictObject({ path: filePath().default("logs/app.log") });
 */
export const filePath = () => z.string(intMessage("a file path")).min(1, intMessage("a non-empty file path"));
