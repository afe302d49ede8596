/**
 * The collect workload (bench/workload/rules.ts) as a logsim config, for bench/peers until the
 * hot-path work's bench/workload/logsim.config.ts lands: tail from the start (`once`, or following
 * with PEERS_FOLLOW=1) -> json, regex -> filter on the raw line -> tags (service equality or
 * message regex) -> JSONL; unparsable lines to the dead-letter file.
 *
 *   PEERS_IN=in.log PEERS_OUT=out.jsonl PEERS_STATE=dir logsim collect --config bench/peers/logsim.config.ts
 */
import { defineConfig } from "logsim";
import { filter, json, jsonl, regex, tag, tail } from "logsim/plugins";
import { FILTER, PLAIN_PATTERN, TAGS } from "../workload/rules.ts";

export default defineConfig(({ env }) => {
  const need = (name: string) => {
    const value = env(name);
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const output = need("PEERS_OUT");
  const follow = env("PEERS_FOLLOW") === "1";
  return {
    pipelines: {
      collect: {
        sources: [tail({ include: [need("PEERS_IN")], fromBeginning: true, once: !follow, stateDir: need("PEERS_STATE") })],
        parsers: [json(), regex({ pattern: PLAIN_PATTERN })],
        transforms: [
          filter({ field: "raw", match: FILTER }),
          tag({ rules: TAGS.flatMap((t) => [{ tag: t.tag, field: "service", equals: t.service }, { tag: t.tag, field: "message", match: t.message }]) }),
        ],
        sinks: [jsonl({ path: output })],
        onParseError: "deadletter",
        deadletter: `${output}.deadletter`,
      },
    },
  };
});
