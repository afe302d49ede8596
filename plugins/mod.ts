/** The built-in plugins. Config files import their factories from "logsim/plugins". */
import type { PluginDefinition } from "../core/mod.ts";
import { consoleSink } from "./console/mod.ts";
import { filter } from "./filter/mod.ts";
import { generator } from "./generator/mod.ts";
import { heartbeat } from "./heartbeat/mod.ts";
import { journal } from "./journald/mod.ts";
import { jsonl } from "./jsonl/mod.ts";
import { nats, natsSource } from "./nats/mod.ts";
import { kubernetesLogs, type KubernetesLogsOptions } from "./kubernetes/mod.ts";
import { apache, apacheError, auto, container, cri, csv, docker, java, journald, json, klog, logfmt, mysql, nginx, nginxError, plainText, postgresql, python, redis, regex, ruby, syslog, winstonText } from "./parsers/mod.ts";
import { logcat, windowsCbs, blueGeneRas, thunderbird, lanlHpc, hdfs, healthApp, proxifier, timestamped } from "./parsers/mod.ts";
import { redact } from "./redact/mod.ts";
import { rotatingFile } from "./rotating-file/mod.ts";
import { stdin } from "./stdin/mod.ts";
import { tag } from "./tag/mod.ts";
import { tail } from "./tail/mod.ts";
import { web } from "./web/mod.ts";

/** The payloads of the built-ins' own bus events (they declare the events themselves). */
export type { GeneratorEventName, GeneratorReport } from "./generator/mod.ts";
export type { TailedFile } from "./tail/mod.ts";

export { consoleSink, generator, heartbeat, journal, jsonl, rotatingFile, web };
export { nats, natsSource };
/** Presets: pipeline pieces made of the plugins above. */
export { kubernetesLogs, type KubernetesLogsOptions };
export { stdin, tail, json, plainText, logfmt, csv, regex, apache, apacheError, nginx, nginxError, syslog, journald, python, java, ruby, klog, postgresql, mysql, redis, winstonText, docker, cri, container, auto, filter, tag, redact };
export { logcat, windowsCbs, blueGeneRas, thunderbird, lanlHpc, hdfs, healthApp, proxifier, timestamped };

/** Every built-in plugin, by name: what `{ "use": name }` in a JSON config can refer to. */
export const builtinPlugins: readonly PluginDefinition[] = [heartbeat, generator, consoleSink, rotatingFile, jsonl, web, tail, stdin, journal, json, plainText, logfmt, csv, regex, apache, apacheError, nginx, nginxError, syslog, journald, python, java, ruby, klog, postgresql, mysql, redis, winstonText, docker, cri, container, logcat, windowsCbs, blueGeneRas, thunderbird, lanlHpc, hdfs, healthApp, proxifier, timestamped, auto, filter, tag, redact, nats, natsSource].map((f) => f.definition as PluginDefinition);
