/**
 * The subjects of the collect comparison, each a whole process given the corpus and a private
 * folder: the hand-written JS ceiling and logsim on Bun, Node and Deno (logsim also with
 * `--workers 2` when the CLI has the flag), rsyslog and syslog-ng. Each writes `out.jsonl` and a
 * dead-letter file there; bench/peers/counts.ts reads both.
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Counts } from "../workload/rules.ts";
import { deadletterOf, logsimRun } from "./logsim.ts";
import type { Subject } from "./measure.ts";
import { PLAIN_RULEBASE, rsyslogConfig } from "./rsyslog.ts";
import { syslogNgConfig } from "./syslog-ng.ts";
import { RSYSLOG, runtimeCommand, SYSLOG_NG, unprivileged, type JsRuntime } from "./tools.ts";

export interface RunDir {
  dir: string;
  input: string;
  output: string;
  deadletter: string;
}

export interface CollectSubject {
  name: string;
  /** The runtime whose ceiling it is compared with too; undefined for the native peers. */
  runtime?: JsRuntime;
  /** "ceiling" marks the subjects the ratios are taken against. */
  role: "ceiling" | "logsim" | "peer";
  /** Where the subject writes its dead letters (beside `out.jsonl`). */
  deadletterName: string;
  make(run: RunDir, expected: Counts): Subject;
}

export function ceilingSubject(runtime: JsRuntime, nodeBundle: string, ceilingMain: string): CollectSubject {
  return {
    name: `JS ceiling (${runtime})`,
    runtime,
    role: "ceiling",
    deadletterName: "out.jsonl.deadletter",
    make: (run) => ({ argv: [...runtimeCommand(runtime, runtime === "node" ? nodeBundle : ceilingMain), run.input, run.output] }),
  };
}

export function logsimSubject(runtime: JsRuntime, workers?: number): CollectSubject {
  return {
    name: `logsim (${runtime}${workers ? `, --workers ${workers}` : ""})`,
    runtime,
    role: "logsim",
    deadletterName: deadletterOf("out.jsonl"),
    make: (run) => {
      const r = logsimRun(runtime, { input: run.input, output: run.output, stateDir: join(run.dir, "state") }, { workers });
      return { argv: r.argv, env: r.env, cwd: run.dir };
    },
  };
}

/** A folder the unprivileged peer may write in. */
function privateDir(path: string): string {
  mkdirSync(path, { recursive: true });
  chmodSync(path, 0o777);
  return path;
}

/** rsyslog in the `regex` style (the rules as written) or the `tuned` one (mmnormalize, `contains`): see rsyslog.ts. */
export function rsyslogSubject(style: "regex" | "tuned"): CollectSubject {
  return {
    name: style === "tuned" ? "rsyslog 8.2302 (tuned)" : "rsyslog 8.2302 (regex)",
    role: "peer",
    deadletterName: "dead.log",
    make: (run, expected) => {
      const conf = join(run.dir, "rsyslog.conf");
      const pidFile = join(run.dir, "rsyslogd.pid");
      writeFileSync(conf, rsyslogConfig({ ...rsyslogFiles(run.dir, style), input: run.input, output: run.output, deadletter: run.deadletter }));
      return {
        argv: unprivileged([RSYSLOG.binary, "-n", "-f", conf, "-M", RSYSLOG.moduleDir, "-i", pidFile]),
        env: RSYSLOG.env,
        cwd: run.dir,
        daemon: { pidFile, files: [{ path: run.output, lines: expected.written }, { path: run.deadletter, lines: expected.unparsed }] },
      };
    },
  };
}

/** rsyslog's work directory (imfile state) and, tuned, its rulebase, in `dir`. */
export function rsyslogFiles(dir: string, style: "regex" | "tuned"): { workDir: string; moduleDir: string; rulebase?: string } {
  const files = { workDir: privateDir(join(dir, "work")), moduleDir: RSYSLOG.moduleDir };
  if (style === "regex") return files;
  const rulebase = join(dir, "plain.rulebase");
  writeFileSync(rulebase, PLAIN_RULEBASE);
  return { ...files, rulebase };
}

export const syslogNgSubject: CollectSubject = {
  name: "syslog-ng 3.38",
  role: "peer",
  deadletterName: "dead.log",
  make: (run, expected) => {
    const conf = join(run.dir, "syslog-ng.conf");
    const pidFile = join(run.dir, "syslog-ng.pid");
    writeFileSync(conf, syslogNgConfig({ input: run.input, output: run.output, deadletter: run.deadletter }));
    return {
      argv: unprivileged([
        SYSLOG_NG.binary, "-F", "-f", conf, `--module-path=${SYSLOG_NG.moduleDir}`, `--persist-file=${join(run.dir, "syslog-ng.persist")}`,
        `--pidfile=${pidFile}`, `--control=${join(run.dir, "syslog-ng.ctl")}`, "--no-caps",
      ]),
      env: SYSLOG_NG.env,
      cwd: run.dir,
      daemon: { pidFile, files: [{ path: run.output, lines: expected.written }, { path: run.deadletter, lines: expected.unparsed }] },
    };
  },
};
