/**
 * `lanl-hpc`: the Los Alamos HPC cluster event logs (LANL's public failure data, loghub HPC):
 *
 *   134681 node-246 unix.hw state_change.unavailable 1077804742 1 Component State Change: ...
 *
 * Columns: log id, node, component, state, epoch seconds, flag, message. No level: the format
 * has none. Fields: log_id, node, component, state, flag.
 */
import { ok } from "../../core/mod.ts";
import { base, fail, withUtf8Check } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";

const HPC = /^(\d+) (\S+) (\S+) (\S+) (\d{9,11}) (-?\d+)(?: |$)/;

export const parseLanlHpc: LineParser = withUtf8Check((line) => {
  const m = HPC.exec(line.text);
  if (!m) return fail("not a LANL HPC line (id node component state epoch flag message)");
  const record = base(line, "lanl-hpc", Number(m[5]) * 1000, "INFO", line.text.slice(m[0].length));
  record.fields = { log_id: Number(m[1]), node: m[2], component: m[3], state: m[4], flag: Number(m[6]) };
  return ok(record);
});

export const lanlHpc = lineParserPlugin("lanl-hpc", "Parses Los Alamos HPC cluster event lines (loghub HPC)", parseLanlHpc);
