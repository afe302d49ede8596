import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { compileGlob, segmentRegExp } from "./glob.ts";

test("segment patterns", () => {
  assert.ok(segmentRegExp("*.log").test("app.log"));
  assert.ok(!segmentRegExp("*.log").test("app.log.1"));
  assert.ok(segmentRegExp("app.log.[0-9]").test("app.log.3"));
  assert.ok(segmentRegExp("{app,web}.log").test("web.log"));
  assert.ok(segmentRegExp("a?c").test("abc"));
  assert.ok(!segmentRegExp("a.c").test("abc"));
});

test("expands and matches against the real file system", () => {
  const dir = mkdtempSync(join(tmpdir(), "logsim-glob-"));
  try {
    mkdirSync(join(dir, "logs/sub/deep"), { recursive: true });
    for (const f of ["logs/app.log", "logs/app.log.1", "logs/sub/b.log", "logs/sub/deep/c.log", "logs/x.txt"]) writeFileSync(join(dir, f), "");
    const flat = compileGlob("logs/*.log", dir);
    assert.equal(flat.base, join(dir, "logs"));
    assert.deepEqual(flat.expand(nodeFileSystem), [join(dir, "logs/app.log")]);
    assert.ok(flat.matches(join(dir, "logs/app.log")));
    assert.ok(!flat.matches(join(dir, "logs/sub/b.log")));
    const deep = compileGlob("logs/**/*.log", dir);
    assert.deepEqual(deep.expand(nodeFileSystem), ["logs/app.log", "logs/sub/b.log", "logs/sub/deep/c.log"].map((f) => join(dir, f)));
    assert.ok(deep.matches(join(dir, "logs/sub/deep/c.log")));
    assert.ok(deep.matches(join(dir, "logs/app.log")));
    const plain = compileGlob(join(dir, "logs/app.log"), "/");
    assert.deepEqual(plain.expand(nodeFileSystem), [join(dir, "logs/app.log")]);
    assert.ok(plain.matches(join(dir, "logs/app.log")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
