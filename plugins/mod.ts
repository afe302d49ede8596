/** The built-in plugins. Config files import their factories from "logsim/plugins". */
import type { PluginDefinition } from "../core/plugin.ts";
import "./formats/mod.ts"; // Registers the csv, text, logfmt, apache and syslog line formats.
import { consoleSink } from "./console/mod.ts";
import { filter } from "./filter/mod.ts";
import { generator } from "./generator/mod.ts";
import { heartbeat } from "./heartbeat/mod.ts";
import { jsonl } from "./jsonl/mod.ts";
import { apache, auto, csv, json, logfmt, nginx, plainText, regex, syslog } from "./parsers/mod.ts";
import { logcat, windowsCbs, blueGeneRas, thunderbird, lanlHpc, hdfs, healthApp, proxifier, timestamped } from "./parsers/mod.ts";
import { rotatingFile } from "./rotating-file/mod.ts";
import { tag } from "./tag/mod.ts";
import { tail } from "./tail/mod.ts";
import { web } from "./web/mod.ts";

export { consoleSink, generator, heartbeat, jsonl, rotatingFile, web };
export { tail, json, plainText, logfmt, csv, regex, apache, nginx, syslog, auto, filter, tag };
export { logcat, windowsCbs, blueGeneRas, thunderbird, lanlHpc, hdfs, healthApp, proxifier, timestamped };

/** Every built-in plugin, by name: what `{ "use": name }` in a JSON config can refer to. */
export const builtinPlugins: readonly PluginDefinition[] = [heartbeat, generator, consoleSink, rotatingFile, jsonl, web, tail, json, plainText, logfmt, csv, regex, apache, nginx, syslog, logcat, windowsCbs, blueGeneRas, thunderbird, lanlHpc, hdfs, healthApp, proxifier, timestamped, auto, filter, tag].map((f) => f.definition as PluginDefinition);
