/**
 * A file replaced by a new one that starts with the same bytes: `app.log` (a 1,500-byte banner,
 * identical in every file, longer than the 1,024 bytes of the fingerprint, then seqs) is read,
 * deleted and created again with the same banner and the next seqs, more of them than the old file
 * held, so that the new file is longer than the saved position. The file system may give the new
 * file the old one's inode (ext4 and tmpfs often do); either way device, inode and fingerprint can
 * all match the saved ones, and only what the collector does with a file it cannot tell apart decides
 * whether the new file's first lines are read. Verify: nothing lost, nothing twice (the banner lines
 * carry no seq and are counted apart). `live`: the replacement happens under a running collector;
 * otherwise while it is stopped.
 */
import assert from "node:assert/strict";
import { renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { signal, tempDir, waitFor } from "./_helpers.ts";
import { verifyWriter, WRITER_ID } from "./_collector.ts";
import { describeDelivery, type Delivery } from "./_delivery.ts";
import { collectorRuntime, startCliOn } from "./_scenario-runtime.ts";

const BANNER = `# ${"service banner ".repeat(93)}\n`; // 1,491 bytes: the same in every generation.

function writeGeneration(path: string, from: number, to: number): void {
  let text = BANNER;
  for (let n = from; n <= to; n++) text += `${JSON.stringify({ generator: WRITER_ID, seq: n, level: "info", msg: `line ${n}` })}\n`;
  // Written beside and renamed into place: the new file appears whole, as a log shipper's would.
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

export interface InodeReuseResult {
  delivery: Delivery;
  sameInode: number;
  stderr: string;
}

export async function inodeReuseScenario(o: { generations: number; linesPerGeneration: number; live: boolean }): Promise<InodeReuseResult> {
  const { dir, cleanup } = tempDir("logsim-inode-");
  let collector: ReturnType<typeof startCliOn> | undefined;
  const stderr: string[] = [];
  try {
    const log = join(dir, "app.log");
    const out = join(dir, "out.jsonl");
    const args = ["collect", "--input", log, "--from-beginning", "--parser", "json", "--output", out, "--state-dir", join(dir, "state"), "--deadletter", join(dir, "dead.jsonl")];
    const start = () => startCliOn(collectorRuntime(), args, { cwd: dir, timeoutMs: 300_000 });
    let sameInode = 0;
    let seq = 0;
    let previousInode: number | undefined;
    for (let g = 0; g < o.generations; g++) {
      // Each generation is longer than the one before: the new file is past the saved position.
      const count = o.linesPerGeneration * (g + 1);
      if (previousInode !== undefined) rmSync(log);
      writeGeneration(log, seq + 1, seq + count);
      const inode = statSync(log).ino;
      if (inode === previousInode) sameInode++;
      previousInode = inode;
      seq += count;
      if (o.live) {
        collector ??= start();
        const expected = seq;
        await waitFor(async () => (await verifyWriter([out], expected)).delivered >= expected, { timeoutMs: 20_000, intervalMs: 200, what: `generation ${g + 1} to be read` }).catch(() => {});
      } else {
        const once = await startCliOn(collectorRuntime(), [...args, "--once"], { cwd: dir, timeoutMs: 120_000 }).done;
        assert.equal(once.code, 0, once.stderr);
        stderr.push(once.stderr);
      }
    }
    if (collector) {
      signal(collector.child, "SIGTERM");
      stderr.push((await collector.done).stderr);
      collector = undefined;
    }
    const delivery = await verifyWriter([out], seq);
    return { delivery, sameInode, stderr: stderr.join("\n") };
  } finally {
    if (collector && collector.child.exitCode === null && collector.child.signalCode === null) {
      signal(collector.child, "SIGKILL");
      await collector.done;
    }
    cleanup();
  }
}

/** The scenario's assertions: nothing lost, nothing twice, only the banners without a seq. */
export function assertInodeReuse(r: InodeReuseResult, generations: number): void {
  const d = r.delivery;
  assert.deepEqual(d.lost, [], `${describeDelivery(d)}; inode reused ${r.sameInode} times; collector:\n${r.stderr.slice(-3000)}`);
  assert.equal(d.duplicates, 0, describeDelivery(d));
  assert.ok(d.foreign <= generations, `only the banners lack a seq: ${describeDelivery(d)}`);
}
