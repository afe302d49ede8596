import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../tests/_helpers.ts";
import { envAt } from "./_common.ts";
import { resolveZone, UTC } from "./_time.ts";
import { huge, line, run } from "../../tests/_parser-programs.ts";
import { parseRuby } from "./ruby.ts";

const NOW = envAt(Date.parse("2026-03-07T12:00:00Z"), UTC);

// What Ruby's Logger writes (Ruby 3.1, unpacked from Debian's packages into .tools when present), with the time
// of each record as Ruby had it (its formatter truncates to microseconds: the milliseconds are floored).
const RUBY_SCRIPT = `
require "logger"; require "json"
class Seen < Logger
  attr_reader :seen
  def format_message(severity, datetime, progname, msg)
    (@seen ||= []) << { "ms" => (datetime.to_r * 1000).floor, "severity" => severity, "progname" => progname, "msg" => msg }
    super
  end
end
log = Seen.new($stdout, progname: "billing")
log.debug("debug message"); log.info("user alice -- logged in: ok"); log.warn("disk at 91%")
log.error("failed: [db] timeout"); log.fatal("shutting down"); log.unknown("always")
anon = Seen.new($stdout); anon.info("no progname")
$stderr.puts JSON.generate(log.seen + anon.seen)
`;

function ruby(): { cmd: string; env: Record<string, string> } | undefined {
  const usr = join(ROOT, ".tools/deb/ruby3.1/usr");
  if (existsSync(join(usr, "bin/ruby3.1"))) {
    return { cmd: join(usr, "bin/ruby3.1"), env: { LD_LIBRARY_PATH: join(usr, "lib/x86_64-linux-gnu"), RUBYLIB: `${join(usr, "lib/ruby/3.1.0")}:${join(usr, "lib/x86_64-linux-gnu/ruby/3.1.0")}` } };
  }
  return run("ruby", ["-v"]) ? { cmd: "ruby", env: {} } : undefined;
}

const LEVEL: Record<string, string> = { DEBUG: "DEBUG", INFO: "INFO", WARN: "WARN", ERROR: "ERROR", FATAL: "FATAL", ANY: "INFO" };

test("ruby reads what Ruby's Logger writes, in Ruby's local time", (t) => {
  const r = ruby();
  const out = r && run(r.cmd, ["-e", RUBY_SCRIPT], { ...r.env, TZ: "Asia/Kolkata" });
  if (!out) return t.skip("ruby is not installed");
  const lines = out.stdout.trimEnd().split("\n");
  const seen = JSON.parse(out.stderr) as Array<{ ms: number; severity: string; progname: string | null; msg: string }>;
  assert.equal(lines.length, 7);
  const env = envAt(Date.now(), resolveZone("Asia/Kolkata")._unsafeUnwrap());
  lines.forEach((text, i) => {
    const record = parseRuby(line(text), env)._unsafeUnwrap();
    assert.equal(record.time, seen[i]!.ms, text);
    assert.equal(record.level, LEVEL[seen[i]!.severity], text);
    assert.equal(record.service, seen[i]!.progname ?? undefined, text);
    assert.equal(record.message, seen[i]!.msg, text);
    assert.equal(typeof record.fields?.pid, "number");
  });
  assert.equal(parseRuby(line(lines[5]!), env)._unsafeUnwrap().fields?.severity, "ANY");
});

test("the Logger docs' example lines", () => {
  // lib/logger.rb's rdoc, "Log sample" (the label is `%5s`, so INFO has two spaces before it).
  const r = parseRuby(line("I, [1999-03-03T02:34:24.895701 #19074]  INFO -- Main: info."), NOW)._unsafeUnwrap();
  assert.deepEqual([r.time, r.level, r.service, r.message, r.fields], [Date.UTC(1999, 2, 3, 2, 34, 24, 895), "INFO", "Main", "info.", { pid: 19074 }]);
  const e = parseRuby(line("E, [2026-03-07T09:00:01.000001#1234] ERROR -- : boom: x (RuntimeError)"), NOW)._unsafeUnwrap();
  assert.deepEqual([e.level, e.service, e.message], ["ERROR", undefined, "boom: x (RuntimeError)"], "Ruby 2's `%s#%d` and no progname");
});

test("bad input fails cleanly", () => {
  for (const text of ["", "garbage", "I, [2026-03-07T09:00:01.123456 #1234]  WARN -- a: b", "I, [yesterday #1] INFO -- a: b", "\uFFFDI, [2026-03-07T09:00:01.123456 #1234]  INFO -- a: b", huge("I, [2026-03-07T09:00:01.123456 #1234]  INFO -- ")]) {
    assert.ok(parseRuby(line(text), NOW).isErr(), text.slice(0, 50));
  }
  assert.equal(parseRuby(line(huge("I, [2026-03-07T09:00:01.123456 #1234]  INFO -- a: ")), NOW)._unsafeUnwrap().message.length, 10 * 1024 * 1024);
});
