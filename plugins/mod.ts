/** The built-in plugins. Config files import their factories from "logsim/plugins". */
import type { PluginDefinition } from "../core/plugin.ts";
import { consoleSink } from "./console/mod.ts";
import { heartbeat } from "./heartbeat/mod.ts";
import { jsonl } from "./jsonl/mod.ts";
import { rotatingFile } from "./rotating-file/mod.ts";

export { consoleSink, heartbeat, jsonl, rotatingFile };

/** Every built-in plugin, by name: what `{ "use": name }` in a JSON config can refer to. */
export const builtinPlugins: readonly PluginDefinition[] = [heartbeat, consoleSink, rotatingFile, jsonl].map((f) => f.definition as PluginDefinition);
