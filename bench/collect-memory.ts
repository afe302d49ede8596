/**
 * Collect's peak memory against backlog size, on Bun and Node: a 1,000,000-line
 * and a 3,000,000-line JSON backlog (about 450 MiB and 1.35 GiB, in os.tmpdir(),
 * deleted afterwards) read with `collect --once --from-beginning --parser json`
 * and the three tag rules of the README example, every line written. Prints
 * each run's peak RSS ("Maximum resident set size" from GNU time) and the growth
 * from 1M to 3M lines. Memory bounded by design means the same peak for both.
 *
 * Bun runs the sources, as `logsim` does on Bun; Node runs an esbuild bundle of
 * runtime/node/main.ts made here, as the installed `logsim` runs dist/ on Node
 * (tsx would add its own loader's memory to the figure).
 *
 *   bun bench/collect-memory.ts [small large]   (Linux, /usr/bin/time; needs ~2 GB free in the temp folder)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statfsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = (globalThis as { process?: { argv: string[] } }).process?.argv.slice(2) ?? [];
const SIZES = [Number(args[0] ?? 1_000_000), Number(args[1] ?? 3_000_000)];
const TAGS = ["auth=login|logout|session", "payment=payment|charge|refund", "api=GET |POST |/api/"];
const BIN = join(ROOT, "node_modules/.bin");

const dir = mkdtempSync(join(tmpdir(), "logsim-bench-mem-"));
const free = statfsSync(dir);
const needed = (SIZES.reduce((a, b) => a + b, 0) * 475 + Math.max(...SIZES) * 560) * 1.1;
if (free.bavail * free.bsize < needed) {
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`${tmpdir()} has ${(free.bavail * free.bsize / 2 ** 30).toFixed(1)} GiB free; this needs ${(needed / 2 ** 30).toFixed(1)} GiB`);
}

/** Runs a command under GNU time; returns seconds and peak RSS in MiB. */
function measure(cmd: string, cmdArgs: string[]): { seconds: number; peakMiB: number } {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", cmd, ...cmdArgs], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(" ")} failed (${r.status}):\n${r.stderr}`);
  const [seconds, kb] = r.stderr.trim().split("\n").pop()!.split(" ").map(Number);
  return { seconds: seconds!, peakMiB: kb! / 1024 };
}

try {
  const bundle = join(ROOT, `.test-tmp-bench-mem-${Date.now()}`, "logsim-node.mjs");
  execFileSync(join(BIN, "esbuild"), [join(ROOT, "runtime/node/main.ts"), "--bundle", "--format=esm", "--platform=node", "--target=node20", "--packages=external", `--outfile=${bundle}`, "--log-level=warning"], { cwd: ROOT });
  const runtimes: Array<[string, string, string[]]> = [
    ["bun", join(BIN, "bun"), [join(ROOT, "runtime/bun/main.ts")]],
    ["node", "node", [bundle]],
  ];
  const backlogs = SIZES.map((n) => {
    const file = join(dir, `backlog-${n}.log`);
    execFileSync(join(BIN, "bun"), [join(ROOT, "runtime/bun/main.ts"), "generate", "--format", "json", "--count", String(n), "--seed", "1", "--start-time", "2026-01-01T00:00:00Z", "--max-bytes", "0", "--output", file, "-q"]);
    return { n, file, bytes: statSync(file).size };
  });
  const rows: string[] = [];
  try {
    for (const [name, cmd, pre] of runtimes) {
      const peaks: number[] = [];
      for (const { n, file, bytes } of backlogs) {
        const out = join(dir, "out.jsonl");
        const r = measure(cmd, [...pre, "collect", "-i", file, "-o", out, "--once", "--from-beginning", "--parser", "json", ...TAGS.flatMap((t) => ["--tag", t]), "--state-dir", join(dir, "state"), "--deadletter", join(dir, "dead.jsonl"), "-q"]);
        rmSync(out, { force: true });
        rmSync(join(dir, "state"), { recursive: true, force: true });
        peaks.push(r.peakMiB);
        rows.push(`| ${name.padEnd(4)} | ${n.toLocaleString("en-US").padStart(9)} | ${(bytes / 2 ** 20).toFixed(0).padStart(5)} | ${r.seconds.toFixed(1).padStart(5)} | ${r.peakMiB.toFixed(0).padStart(8)} | ${peaks.length > 1 ? `${(((r.peakMiB - peaks[0]!) / peaks[0]!) * 100).toFixed(1)}%`.padStart(6) : "".padStart(6)} |`);
      }
    }
  } finally {
    rmSync(dirname(bundle), { recursive: true, force: true });
  }
  const versions = `bun ${execFileSync(join(BIN, "bun"), ["--version"], { encoding: "utf8" }).trim()}, node ${execFileSync("node", ["--version"], { encoding: "utf8" }).trim()}`;
  console.log(`collect --once --parser json, 3 tag rules, every line written (${versions})`);
  console.log("| rt   |     lines |   MiB |     s | peak MiB | growth |");
  console.log("| ---- | --------: | ----: | ----: | -------: | -----: |");
  for (const row of rows) console.log(row);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
