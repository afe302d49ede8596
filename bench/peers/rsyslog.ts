/**
 * rsyslog 8 configured for the collect workload (bench/workload/rules.ts), in two styles. Both:
 * imfile reads the file from its start (or follows it), mmjsonparse reads the lines that start
 * with `{`, the tags come from `$!service` or a message regex, and omfile writes one JSON object
 * per record with the fields logsim writes (timestamp, level, service, message, the others, tags,
 * origin). `regex`, the rules as written: `re_extract` reads the plain lines (POSIX ERE: no named
 * groups, no `\S`, so PLAIN_ERE is PLAIN_PATTERN spelled in ERE) and the filter is `re_match` on
 * the raw line. `tuned`, what an rsyslog expert writes for speed: mmnormalize (liblognorm) reads
 * the plain lines, and the filter and tag regexes, being alternations of literals, become
 * `contains` tests that mean the same (glibc's POSIX regex was a third of rsyslog's CPU time).
 * Unparsable lines go whole to the dead-letter file. Every path is private: work directory,
 * pid file, no system socket.
 */
import { FILTER, PLAIN_PATTERN, TAGS } from "../workload/rules.ts";
import { literalAlternatives } from "./literals.ts";

/** PLAIN_PATTERN in POSIX ERE, group for group (timestamp, level, service, message). */
export const PLAIN_ERE = "^([^[:space:]]+) ([A-Z]+) \\[([^]]+)\\] (.*)$";
/**
 * PLAIN_PATTERN as a liblognorm v2 rule: `alpha` stands for `[A-Z]+` (it takes lowercase too;
 * the corpus has no lowercase level, and the counts check would show one).
 */
export const PLAIN_RULEBASE = "version=2\nrule=:%timestamp:word% %level:alpha% [%service:char-to:]%] %message:rest%\n";
if (!PLAIN_PATTERN.startsWith("^(?<timestamp>\\S+) (?<level>[A-Z]+) \\[(?<service>[^\\]]+)\\] (?<message>.*)$")) {
  throw new Error("rules.ts PLAIN_PATTERN changed: update PLAIN_ERE in bench/peers/rsyslog.ts");
}

/** A RainerScript string in an expression: single quotes, where `$` is plain text. */
const str = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
/** An object parameter's value: double quotes only. */
const param = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

export interface RsyslogPaths {
  input: string;
  output: string;
  deadletter: string;
  /** imfile's state files. */
  workDir: string;
  /** rsyslog's own modules (imfile, mmjsonparse). */
  moduleDir: string;
  /** The tuned style's liblognorm rulebase (PLAIN_RULEBASE written there); the regex style without it. */
  rulebase?: string;
}

/** `expr` tested against `regex`: `contains` tests when the regex is an alternation of literals and `tuned`, else re_match. */
function matches(expr: string, regex: string, tuned: boolean): string {
  const literals = tuned ? literalAlternatives(regex) : undefined;
  return literals ? `(${literals.map((l) => `${expr} contains ${str(l)}`).join(" or ")})` : `re_match(${expr}, ${str(regex)})`;
}

export function rsyslogConfig(p: RsyslogPaths): string {
  const tuned = p.rulebase !== undefined;
  const tags = TAGS.map(
    (t) => `  if ($!service == ${str(t.service)} or ${matches("$!message", t.message, tuned)}) then set $.tags = $.tags & ${str(`,"${t.tag}"`)};`,
  ).join("\n");
  const plain = (group: number) => `re_extract($rawmsg, ${str(PLAIN_ERE)}, 0, ${group}, "")`;
  const plainRegex = `if (re_match($rawmsg, ${str(PLAIN_ERE)})) then {
    set $.parser = "regex";
    set $.offset = $!metadata!fileoffset;
    set $.file = $!metadata!filename;
    unset $!;
    set $!timestamp = ${plain(1)};
    set $!level = ${plain(2)};
    set $!service = ${plain(3)};
    set $!message = ${plain(4)};
  }`;
  const plainNormalize = `{
    action(type="mmnormalize" rulebase=${param(p.rulebase ?? "")} useRawMsg="on")
    if ($parsesuccess == "OK") then {
      set $.parser = "regex";
      set $.offset = $!metadata!fileoffset;
      set $.file = $!metadata!filename;
      unset $!metadata;
    }
  }`;
  return `global(workDirectory=${param(p.workDir)} maxMessageSize="64k")
module(load=${param(`${p.moduleDir}/imfile.so`)} mode="inotify")
module(load=${param(`${p.moduleDir}/mmjsonparse.so`)})
${tuned ? `module(load=${param(`${p.moduleDir}/mmnormalize.so`)})\n` : ""}input(type="imfile" file=${param(p.input)} tag="workload" ruleset="workload" addMetadata="on" freshStartTail="off")

template(name="record" type="list") { property(name="$!all-json-plain") constant(value="\\n") }
template(name="rawline" type="list") { property(name="rawmsg") constant(value="\\n") }

ruleset(name="workload") {
  # Parsers: json for lines that start with "{", then the plain layout; neither -> dead letter.
  set $.parser = "";
  if (substring($rawmsg, 0, 1) == "{") then {
    action(type="mmjsonparse" cookie="" useRawMsg="on")
    if ($parsesuccess == "OK") then set $.parser = "json";
  }
  if ($.parser == "json") then {
    set $.offset = $!metadata!fileoffset;
    set $.file = $!metadata!filename;
    unset $!metadata;
    set $!timestamp = $!time; unset $!time;
    set $!message = $!msg; unset $!msg;
  } else ${tuned ? plainNormalize : plainRegex}
  if ($.parser == "") then {
    action(type="omfile" file=${param(p.deadletter)} template="rawline" ioBufferSize="1m" flushOnTXEnd="on")
    stop
  }
  # The filter, on the raw line.
  if not ${matches("$rawmsg", FILTER, tuned)} then stop
  # Tags: every rule that holds, in rules.ts order.
  set $.tags = "";
${tags}
  set $.ok = parse_json("[" & substring($.tags, 1, 1000) & "]", '$!tags');
  set $!origin!file = $.file;
  set $!origin!offset = cnum($.offset);
  set $!origin!parser = $.parser;
  action(type="omfile" file=${param(p.output)} template="record" ioBufferSize="1m" flushOnTXEnd="on")
}
`;
}
