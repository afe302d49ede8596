/** The built-ins as the contract checks take them, shared by the CI checks and the long fuzzing (tests/fuzz.long.test.ts). */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { PluginDefinition, PluginKind, PluginSpec } from "../core/mod.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { ROOT } from "../tests/_helpers.ts";

export const spec = <K extends PluginKind>(definition: PluginDefinition, options: unknown = {}): PluginSpec<K> => ({ use: definition.name, options, definition: definition as PluginDefinition<K> });
export const byKind = (kind: PluginKind) => builtinPlugins.filter((d) => d.kind === kind);

/** Real lines from the shared conformance corpus (16 systems), when present: seeds the parsers' fuzzing. */
function conformanceSamples(): string[] {
  const dir = join(ROOT, "../shared/conformance/loghub");
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(".log"))
      .flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n").slice(0, 5));
  } catch {
    return [];
  }
}

/** Real and typical lines the parsers' fuzzing starts from and mutates. */
export const PARSER_SAMPLES = [
  ...conformanceSamples(),
  '{"timestamp":"2026-01-01T00:00:00.000Z","level":"INFO","service":"api","message":"hello","user_id":7}',
  '{"log":"{\\"level\\":\\"warn\\",\\"msg\\":\\"x\\"}\\n","stream":"stdout","time":"2026-01-01T00:00:00.000000001Z"}',
  "2026-01-01T00:00:00.000000001Z stdout F plain content",
  '127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "curl/8"',
  "<34>1 2026-01-01T00:00:00Z host app 1 ID47 - message",
  "Jan  1 00:00:00 host sshd[1]: Accepted publickey",
  "2026-01-01 00:00:00,123 - app - WARNING - disk low",
  "level=info msg=hello user=7",
];

/** Options for built-ins that need some: the rest run with their defaults. */
export const PARSER_OPTIONS: Record<string, unknown> = { regex: { pattern: "^(?<level>\\w+) (?<message>.*)$" } };
