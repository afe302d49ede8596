/** The tailer and files it cannot open (permissions): said once, shown in files(), read once they can be. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FileSystem } from "../../core/runtime.ts";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { compileGlob } from "./glob.ts";
import { Tailer } from "./tailer.ts";

test("a file that cannot be opened is warned about once, listed as unreadable, and read once it can be", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "logsim-unreadable-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Tests run as root, where chmod 000 does not stop a read: the file system refuses the open instead, as it would a non-root collector.
  const denied = new Set<string>([join(dir, "secret.log")]);
  const fs: FileSystem = {
    ...nodeFileSystem,
    openRead(path) {
      if (denied.has(path)) throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: "EACCES" });
      return nodeFileSystem.openRead(path);
    },
  };
  writeFileSync(join(dir, "open.log"), "a\n");
  writeFileSync(join(dir, "secret.log"), "s1\n");
  const tl = new Tailer({ fs, include: [compileGlob("*.log", dir)], maxLineBytes: 1024, fromBeginning: true });
  for (let i = 0; i < 3; i++) tl.scan();
  assert.deepEqual(tl.read(10, 1 << 20).lines.map((l) => l.text), ["a"]);
  assert.equal(tl.problems.length, 1, "warned once, not at every scan");
  assert.match(tl.problems[0]!, /cannot read .*secret\.log \(EACCES\)/);
  assert.equal(tl.stats.unreadableFiles, 1);
  const listed = tl.files().find((f) => f.path.endsWith("secret.log"));
  assert.deepEqual(listed && { state: listed.state, error: listed.error, size: listed.size }, { state: "unreadable", error: "EACCES", size: 3 });
  denied.clear();
  appendFileSync(join(dir, "secret.log"), "s2\n");
  tl.scan();
  assert.deepEqual(tl.read(10, 1 << 20).lines.map((l) => l.text), ["s1", "s2"], "from its start: it was never read");
  assert.equal(tl.stats.unreadableFiles, 0);
  assert.ok(tl.files().every((f) => f.state !== "unreadable"));
  tl.close();
});
