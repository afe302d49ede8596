/**
 * `kubernetesLogs()`: the sources and parsers of a pipeline that collects a Kubernetes node's
 * container logs, for a DaemonSet with the node's /var/log mounted. A preset, not a plugin: it
 * returns ordinary plugin specs that a config spreads into a pipeline and can change.
 *
 * @example
 * // logsim.config.ts
 * import { defineConfig } from "logsim";
 * import { jsonl, kubernetesLogs, tag } from "logsim/plugins";
 * export default defineConfig({
 *   pipelines: {
 *     k8s: {
 *       ...kubernetesLogs({ exclude: ["/var/log/containers/*_kube-system_*.log"] }),
 *       transforms: [tag({ builtin: true })],
 *       sinks: [jsonl({ path: "/data/k8s.jsonl" })],
 *     },
 *   },
 * });
 */
import type { z } from "zod";
import type { PluginSpec } from "../../core/mod.ts";
import { auto, container, json, tail } from "../mod.ts";

export interface KubernetesLogsOptions {
  /** The files to follow (default `/var/log/containers/*.log`, the kubelet's symlinks, whose names carry pod, namespace and container). */
  include?: string | string[];
  /** Files never to read, e.g. a namespace: `/var/log/containers/*_kube-system_*.log`. */
  exclude?: string[];
  /** The runtime that writes the files, for joining its split lines: `cri` (containerd, CRI-O; default) or `docker`. The parser tells them apart per line either way. */
  runtime?: "cri" | "docker";
  /** Read files already there from their start (default false: from their end). */
  fromBeginning?: boolean;
  /** Folder of the saved positions (default `.logsim/state`); keep it on a hostPath so a restarted pod resumes. */
  stateDir?: string;
  /** The parsers of the content, after the container decoder (default `[json(), auto()]`). */
  content?: PluginSpec<"parser">[];
  /** Any other option of the tail source (`maxLineBytes`, `once`, ...); these win over the ones above. */
  tail?: Partial<z.input<typeof tail.definition.schema>>;
}

export const KUBERNETES_LOGS = "/var/log/containers/*.log";

/**
 * The tail's option that joins a runtime's split lines (CRI `P` pieces, Docker's 16 KiB chunks),
 * when the tail source has it: until then the pieces arrive alone and are kept, tagged `_partial`.
 */
const joinSplitLines = (runtime: "cri" | "docker"): Record<string, unknown> => ({ multiline: runtime });

/**
 * A tail source on the node's container logs and the parsers [container, json, auto]: each line's
 * Docker or CRI envelope is decoded (time, stream, and `kubernetes` {namespace, pod, container,
 * container_id} from the file name), then its content read as JSON, or else as whatever `auto` finds.
 */
export function kubernetesLogs(options: KubernetesLogsOptions = {}): { sources: PluginSpec<"source">[]; parsers: PluginSpec<"parser">[] } {
  const tailOptions: Record<string, unknown> = {
    include: options.include ?? KUBERNETES_LOGS,
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.fromBeginning !== undefined ? { fromBeginning: options.fromBeginning } : {}),
    ...(options.stateDir ? { stateDir: options.stateDir } : {}),
    ...joinSplitLines(options.runtime ?? "cri"),
    ...options.tail,
  };
  return {
    sources: [tail(tailOptions as Parameters<typeof tail>[0])],
    parsers: [container(), ...(options.content ?? [json(), auto()])],
  };
}
