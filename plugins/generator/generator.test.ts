import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { generateToFile, readLines, tempDir } from "./_test-helpers.ts";
import { generatorSchema } from "./schema.ts";

const START = "2026-11-23T10:00:00Z";

test("writes exactly `count` events, seq 1..N in order, each with the generator id", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "gen.log");
    const report = await generateToFile({ id: "g1", count: 12_345, seed: 1, batchSize: 700 }, path);
    assert.equal(report.emitted, 12_345);
    const lines = readLines(path);
    assert.equal(lines.length, 12_345);
    lines.forEach((line, i) => {
      const event = JSON.parse(line);
      assert.equal(event.seq, i + 1);
      assert.equal(event.generator, "g1");
    });
  } finally {
    cleanup();
  }
});

test("a seeded run with a start time is identical byte for byte; another seed differs", async () => {
  const { dir, cleanup } = tempDir();
  try {
    for (const format of ["json", "csv", "text", "logfmt", "apache", "syslog"]) {
      const options = { count: 3000, seed: 7, startTime: START, rate: undefined, fields: { region: { oneOf: { "eu-west-1": 3, "us-east-1": 1 } }, order: "ord-{user_id}-{seq}" } };
      await generateToFile(options, join(dir, `a.${format}`), format);
      await generateToFile(options, join(dir, `b.${format}`), format);
      await generateToFile({ ...options, seed: 8 }, join(dir, `c.${format}`), format);
      const a = readFileSync(join(dir, `a.${format}`));
      assert.ok(a.length > 100_000, `${format}: wrote ${a.length} bytes`);
      assert.ok(a.equals(readFileSync(join(dir, `b.${format}`))), `${format}: same seed, same bytes`);
      assert.ok(!a.equals(readFileSync(join(dir, `c.${format}`))), `${format}: other seed, other bytes`);
    }
    // Timestamps come from the simulated clock: 1 ms per event when unpaced, starting at startTime.
    const first = JSON.parse(readLines(join(dir, "a.json"))[0]!);
    assert.equal(first.timestamp, "2026-11-23T10:00:00.000Z");
    assert.equal(JSON.parse(readLines(join(dir, "a.json"))[2999]!).timestamp, "2026-11-23T10:00:02.999Z");
  } finally {
    cleanup();
  }
});

test("a paced seeded run has the planned timestamps: startTime + k / rate", async () => {
  const { dir, cleanup } = tempDir();
  try {
    await generateToFile({ count: 400, rate: 4000, seed: 3, startTime: START }, join(dir, "p.log"));
    const times = readLines(join(dir, "p.log")).map((l) => Date.parse(JSON.parse(l).timestamp));
    times.forEach((t, k) => assert.equal(t - Date.parse(START), Math.floor(k / 4)));
  } finally {
    cleanup();
  }
});

test("custom fields: constants, weighted choices, ranges, templates and generators", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const fields = {
      region: "eu-west-1",
      replicas: 3,
      tier: { oneOf: { free: 8, pro: 2, none: 0 } },
      color: { oneOf: ["red", "green"] },
      cart: { int: [1, 9] as [number, number] },
      price: { float: [0.5, 2.5] as [number, number], decimals: 1 },
      client_ip: { gen: "ipv4" },
      contact: { gen: "email" },
      agent: { gen: "user_agent" },
      id: { gen: "uuid" },
      ref: "{region}/{tier}/{seq}/{service}",
    };
    await generateToFile({ count: 4000, seed: 5, fields }, join(dir, "f.log"));
    const events = readLines(join(dir, "f.log")).map((l) => JSON.parse(l));
    const tiers = { free: 0, pro: 0 } as Record<string, number>;
    for (const e of events) {
      assert.equal(e.region, "eu-west-1");
      assert.equal(e.replicas, 3);
      assert.ok(e.tier === "free" || e.tier === "pro", e.tier);
      tiers[e.tier]!++;
      assert.ok(e.color === "red" || e.color === "green");
      assert.ok(Number.isInteger(e.cart) && e.cart >= 1 && e.cart <= 9);
      assert.ok(e.price >= 0.5 && e.price <= 2.5 && Math.round(e.price * 10) === e.price * 10);
      assert.match(e.client_ip, /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/);
      assert.match(e.contact, /^[a-z-]+\.[a-z-]+\d+@[a-z.]+$/);
      assert.equal(typeof e.agent, "string");
      assert.match(e.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(e.ref, `eu-west-1/${e.tier}/${e.seq}/${e.service}`);
    }
    // 8:2 weights over 4000 draws: 80% +- 3%.
    assert.ok(Math.abs(tiers.free! / 4000 - 0.8) < 0.03, JSON.stringify(tiers));
  } finally {
    cleanup();
  }
});

test("custom field problems are reported at config time", () => {
  const messages = (input: unknown) => {
    const parsed = generatorSchema.safeParse(input);
    assert.equal(parsed.success, false);
    return parsed.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n");
  };
  const shapes = messages({ fields: { d: { int: [5, 1] }, e: { gen: "bogus" } } });
  assert.match(shapes, /fields\.d\.int: expected \[min, max\] with min <= max/);
  assert.match(shapes, /fields\.e: .*gen is one of uuid/);
  const refs = messages({ fields: { a: "{nope}", b: "{c}", c: 1 } });
  assert.match(refs, /a: "\{nope\}" is not a field/);
  assert.match(refs, /b: "\{c\}" refers to a field defined at or after it/);
  assert.equal(generatorSchema.safeParse({ burst: { multiplier: 2, duration: 1, every: 5 } }).success, false, "a burst needs a rate");
});
