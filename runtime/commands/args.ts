/**
 * Command-line arguments to option values, with one clear line per mistake that
 * names the flag as the user typed it. node:util's parseArgs reads the tokens;
 * its strict mode is not used: it refuses `--rate -5` as "ambiguous" and its
 * messages run over several lines with an unbalanced quote.
 */
import { err, ok, type Result } from "neverthrow";
import { parseArgs } from "node:util";
import { editDistance } from "../../core/config/validate.ts";
import type { OptionSpec, ParsedArgs } from "./command.ts";

/** A value that is a negative number (`-5`, `-0.5`, `-1e3`) is a value, not a flag. */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/** The closest known flag to an unknown one (`-V` -> `-v`, `--rat` -> `--rate`), if any is close. */
function nearest(raw: string, known: readonly string[]): string | undefined {
  const exact = known.find((k) => k.toLowerCase() === raw.toLowerCase());
  if (exact) return exact;
  if (!raw.startsWith("--")) return undefined;
  return known.filter((k) => k.startsWith("--")).find((k) => editDistance(k, raw) <= 2);
}

/**
 * Parses `args` against `options`. `extra` are flags valid at this place that
 * are not options (the top-level `-v`), offered as suggestions only.
 */
export function parseCommandArgs(args: readonly string[], options: Record<string, OptionSpec>, extra: readonly string[] = []): Result<ParsedArgs, string> {
  const { values, positionals, tokens } = parseArgs({ args: [...args], options, allowPositionals: true, strict: false, tokens: true });
  const known = [...Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]), ...extra];
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const spec = options[token.name];
    const raw = token.rawName;
    if (!spec) {
      const near = nearest(raw, known);
      return err(`Unknown option ${raw}${near ? ` (did you mean ${near}?)` : ""}`);
    }
    if (spec.type === "boolean" && token.inlineValue) return err(`${raw} takes no value (got "${token.value}")`);
    if (spec.type === "string") {
      const value = token.value;
      if (value === undefined) return err(`${raw} needs a value${spec.value ? ` (${spec.value})` : ""}`);
      if (!token.inlineValue && value.startsWith("-") && value !== "-" && !NEGATIVE_NUMBER.test(value)) {
        return err(`${raw} needs a value${spec.value ? ` (${spec.value})` : ""}, got the flag ${value}; for a value that starts with "-", write ${raw}=${value}`);
      }
    }
  }
  return ok({ values: values as ParsedArgs["values"], positionals });
}
