// Reads the output of one runtime's test run and names the tests that failed: scripts/test.sh runs
// their files once more and prints them at the very end of the run (CI shows us only the tail of
// its output). Knows the three reporters:
//   bun:  a "path/x.test.ts:" header per file, then "(fail) name [ms]" after the error;
//   deno: "name => ./path/x.test.ts:1:2" lines in the FAILURES section (ERRORS holds the details),
//         "load path/x.test.ts => ./scripts/tests-in-one.mjs:1:2" for a file that failed to load;
//   node: TAP "not ok N - name" (not "# TODO" or "# SKIP"), its YAML block has location and error.
// Usage: node scripts/test-failures.mjs bun|deno|node LOG files
//          prints the files of the failed tests, one a line, each once;
//        node scripts/test-failures.mjs bun|deno|node LOG report [FILE=VERDICT ...]
//          prints each failed test, its verdict (by file) and the first lines of its error.
import { readFileSync } from "node:fs";
import { relative } from "node:path";

const [runtime, logPath, mode = "files", ...verdicts] = process.argv.slice(2);
// deno colours its output even into a pipe unless NO_COLOR is set; strip it either way.
const lines = readFileSync(logPath, "utf8").replace(/\x1b\[[0-9;]*m/g, "").split("\n");
const DETAIL_LINES = 6;
const failures = { bun: fromBun, deno: fromDeno, node: fromNode }[runtime]?.(lines);
if (!failures) {
  console.error(`test-failures: unknown runtime ${runtime}`);
  process.exit(2);
}
if (mode === "files") {
  for (const file of new Set(failures.map((f) => f.file))) console.log(file);
} else {
  const verdictOf = new Map(verdicts.map((v) => [v.slice(0, v.lastIndexOf("=")), v.slice(v.lastIndexOf("=") + 1)]));
  for (const { file, name, detail } of failures) {
    const verdict = verdictOf.get(file);
    console.log(`  ${verdict ? `${verdict}: ` : ""}${file || "(no file)"} > ${name}`);
    for (const line of detail) console.log(`      ${line.length > 300 ? `${line.slice(0, 300)}...` : line}`);
  }
}

function fromBun(lines) {
  const out = [];
  let file = "";
  let since = 0;
  // Bun recaps the failed tests at the end ("1 tests failed:"), under no file header: not counted again.
  const recap = lines.findIndex((l) => /^\d+ tests? failed:$/.test(l));
  lines = recap < 0 ? lines : lines.slice(0, recap);
  lines.forEach((line, i) => {
    const header = /^(\S+\.test\.ts):$/.exec(line);
    if (header) [file, since] = [header[1].replace(/^\.\//, ""), i + 1];
    if (line.startsWith("# Unhandled error between tests")) out.push({ file, name: "(an unhandled error between tests)", detail: lines.slice(i + 2, i + 2 + DETAIL_LINES) });
    const fail = /^\(fail\) (.*?)(?: \[[\d.]+m?s\])?$/.exec(line);
    if (fail) {
      // The error's own lines (a property test's seed and counterexample too), not the source excerpt Bun prints.
      const detail = lines.slice(since, i).filter((l) => !/^\s*\d+ \|/.test(l) && /error|Error|expected|actual|!==|seed|Counterexample/.test(l));
      out.push({ file, name: fail[1], detail: detail.slice(0, DETAIL_LINES) });
      since = i + 1;
    } else if (/^\((pass|skip|todo)\) /.test(line)) since = i + 1;
  });
  return out;
}

function fromDeno(lines) {
  const out = [];
  const errors = lines.indexOf(" ERRORS ");
  const failures = lines.indexOf(" FAILURES ");
  if (failures < 0) return out;
  for (const line of lines.slice(failures + 1)) {
    const uncaught = /^\.\/(\S+?\.test\.ts) \(uncaught error\)$/.exec(line);
    if (uncaught) out.push({ file: uncaught[1], name: "(an uncaught error)", detail: [] });
    const match = /^(.*) => \.\/(\S+?):\d+:\d+$/.exec(line);
    if (!match) continue;
    // A file that failed to load under scripts/tests-in-one.mjs is a test named after it.
    const file = /^load (\S+\.test\.ts)$/.exec(match[1])?.[1] ?? match[2];
    const at = errors < 0 ? -1 : lines.indexOf(line, errors);
    const end = lines.findIndex((l, j) => j > at && (/ => \.\/\S+:\d+:\d+$/.test(l) || l === " FAILURES "));
    const detail = at < 0 ? [] : lines.slice(at + 1, Math.min(at + 1 + DETAIL_LINES, end < 0 ? Infinity : end)).filter((l) => l.trim());
    out.push({ file, name: match[1], detail });
  }
  return out;
}

function fromNode(lines) {
  const out = [];
  lines.forEach((line, i) => {
    const match = /^\s*not ok \d+ - (.*)$/.exec(line);
    if (!match || /# (TODO|SKIP)\b/i.test(match[1])) return;
    const block = [];
    for (let j = i + 1; j < lines.length && !/^\s*\.\.\.$/.test(lines[j]) && j < i + 200; j++) block.push(lines[j]);
    const location = block.map((l) => /location: '(.+?):\d+:\d+'/.exec(l)).find(Boolean);
    const load = /^load (\S+\.test\.ts)$/.exec(match[1]);
    const file = load ? load[1] : location ? relative(process.cwd(), location[1]) : "";
    const errorAt = block.findIndex((l) => /^\s*error:/.test(l));
    const detail = errorAt < 0 ? [] : block.slice(errorAt, errorAt + DETAIL_LINES).map((l) => l.trim()).filter(Boolean);
    // A failing subtest fails its parent too: report the innermost only.
    if (out.length && out.at(-1).file === file && out.at(-1).child) return;
    out.push({ file, name: match[1], detail, child: /^\s+not ok/.test(line) });
  });
  return out.map(({ child, ...failure }) => failure);
}
