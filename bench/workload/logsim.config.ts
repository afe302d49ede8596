/**
 * logsim configured for the collect workload of issue #14 (see rules.ts): a tail of the corpus from
 * its beginning to its end (`once`), parsers `json` then `regex` (PLAIN_PATTERN; unparsable lines
 * dead-lettered), a filter on the raw line, a tag per rule from the service's equality OR a message
 * regex (two conditions with the same tag: tag adds a tag once), JSONL out. bench:peers uses it too.
 *
 *   WORKLOAD_INPUT=/tmp/w.log WORKLOAD_OUTPUT=/tmp/out.jsonl WORKLOAD_STATE=/tmp/state \
 *     bun runtime/bun/main.ts collect --config bench/workload/logsim.config.ts --quiet
 *
 * The dead letters go to OUTPUT.deadletter.jsonl. WORKLOAD_STATE must be a fresh folder per run
 * (saved positions would make a second run resume at the end). WORKLOAD_FLAT=1 uses FLAT_FILTER;
 * WORKLOAD_FOLLOW=1 keeps following the file after its end (bench/peers' follow latency).
 */
import { defineConfig, type ConfigContext } from "logsim";
import { filter, json, jsonl, regex, tag, tail } from "logsim/plugins";
import { FILTER, FLAT_FILTER, PLAIN_PATTERN, TAGS } from "./rules.ts";

/** Where the workload reads and writes. */
export interface WorkloadPaths {
  input: string;
  output: string;
  stateDir: string;
}

/** The `collect` pipeline of the workload, as a config. */
export function workloadConfig(paths: WorkloadPaths, options: { flat?: boolean; follow?: boolean } = {}) {
  return {
    pipelines: {
      collect: {
        sources: [tail({ include: [paths.input], fromBeginning: true, once: !options.follow, stateDir: paths.stateDir })],
        parsers: [json(), regex({ pattern: PLAIN_PATTERN })],
        transforms: [
          filter({ match: options.flat ? FLAT_FILTER : FILTER }),
          tag({ rules: TAGS.flatMap((t) => [{ tag: t.tag, field: "service", equals: t.service }, { tag: t.tag, field: "message", match: t.message }]) }),
        ],
        sinks: [jsonl({ path: paths.output })],
        onParseError: "deadletter" as const,
        deadletter: paths.output.replace(/\.jsonl$/, "") + ".deadletter.jsonl",
        // As `logsim collect --input` sets it: the file is the buffer, read-ahead only holds memory.
        channel: { capacity: 2 },
      },
    },
  };
}

const required = (env: ConfigContext["env"], name: string): string => {
  const value = env(name);
  if (!value) throw new Error(`${name} is not set: the workload config needs WORKLOAD_INPUT, WORKLOAD_OUTPUT and WORKLOAD_STATE`);
  return value;
};

export default defineConfig(({ env }) => workloadConfig({ input: required(env, "WORKLOAD_INPUT"), output: required(env, "WORKLOAD_OUTPUT"), stateDir: required(env, "WORKLOAD_STATE") }, {
  flat: env("WORKLOAD_FLAT") === "1",
  follow: env("WORKLOAD_FOLLOW") === "1",
}));
