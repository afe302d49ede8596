/**
 * syslog-ng 3.38 configured for the collect workload (bench/workload/rules.ts): a file source
 * read whole as the message (`no-parse`), a junction whose first channel reads lines that start
 * with `{` with json-parser and whose second reads the plain layout with regexp-parser (PCRE,
 * PLAIN_PATTERN as it is); neither marks the line a dead letter. Then the filter on the raw line,
 * tags by rewrite (service equality or message regex), and a file destination that writes
 * format-json with the fields logsim writes (timestamp, level, service, message, the others, tags,
 * origin). Private persist, pid and control files; no system source.
 */
import { FILTER, PLAIN_PATTERN, TAGS } from "../workload/rules.ts";

/** A syslog-ng string: double quotes, backslash and quote escaped. */
const str = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

export interface SyslogNgPaths {
  input: string;
  output: string;
  deadletter: string;
  /** Seconds between checks of the file for new lines (syslog-ng polls regular files; its default is 1). */
  followFreq?: number;
}

export function syslogNgConfig(p: SyslogNgPaths): string {
  const tags = TAGS.map(
    (t) => `    rewrite { set("$(list-append \${tags} ${t.tag})" value("tags") condition("\${service}" eq ${str(t.service)} or match(${str(t.message)} value("message")))); };`,
  ).join("\n");
  // The JSON's own fields, renamed as logsim writes them; the plain groups are already named so.
  const fields = "--key timestamp --key level --key service --key message --key .j.* --rekey .j.* --shift 3";
  return `@version: 3.38
options { threaded(yes); stats-freq(0); create-dirs(no); keep-hostname(yes); chain-hostnames(no); use-dns(no); dns-cache(no); log-msg-size(65536); };

source s_in { file(${str(p.input)} flags(no-parse) follow-freq(${p.followFreq ?? 1}) log-fetch-limit(1000) log-iw-size(10000)); };
destination d_out { file(${str(p.output)} template("$(format-json ${fields} tags=list(\${tags}) origin.file=\${FILE_NAME} origin.parser=\${parser} --exclude .j.time --exclude .j.msg --exclude .j.level --exclude .j.service)\\n") flush-lines(1000)); };
destination d_dead { file(${str(p.deadletter)} template("\${MESSAGE}\\n") flush-lines(1000)); };

log {
  source(s_in);
  junction {
    channel {
      filter { message("^\\\\{"); };
      parser { json-parser(prefix(".j.")); };
      rewrite { set("\${.j.time}" value("timestamp")); set("\${.j.level}" value("level")); set("\${.j.service}" value("service")); set("\${.j.msg}" value("message")); set("json" value("parser")); };
      flags(final);
    };
    channel {
      parser { regexp-parser(patterns(${str(PLAIN_PATTERN)}) prefix("")); };
      rewrite { set("regex" value("parser")); };
      flags(final);
    };
    channel { rewrite { set("dead" value("parser")); }; flags(final); };
  };
  log { filter { "\${parser}" eq "dead" }; destination(d_dead); flags(final); };
  log {
    filter { message(${str(FILTER)}); };
${tags}
    destination(d_out);
    flags(final);
  };
  # Lines the filter drops end here: a junction channel counts as taken only when the message
  # leaves the whole path, so without this a filtered-out JSON line would fall through to the
  # regex channel and then the dead-letter one.
  log { flags(final); };
};
`;
}
