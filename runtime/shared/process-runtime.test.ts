import assert from "node:assert/strict";
import { test } from "node:test";
import { detectRuntime } from "../detect.ts";
import { extendRuntime } from "./process-runtime.ts";

test("extendRuntime keeps the base's getters lazy and lets the extra properties win", () => {
  let made = 0;
  const base = {
    name: "base",
    get stdout() {
      made++;
      return { written: [] as string[] };
    },
    importModule: () => "base",
  };
  const runtime = extendRuntime(base, { importModule: () => "extended", startWorker: () => "worker" });
  assert.equal(made, 0, "extending does not read the getter (a spread would, making stdout at start)");
  assert.equal(runtime.name, "base");
  assert.equal(runtime.importModule(), "extended");
  assert.equal(runtime.startWorker(), "worker");
  runtime.stdout;
  assert.equal(made, 1, "the getter runs when the property is read");
});

const runtime = await detectRuntime();

test("Bun's and Node's runtimes keep stdout and stderr as getters, made when first written", { skip: runtime.name === "deno" && "Deno's runtime has its own writers over Deno.stdout, cheap to make" }, () => {
  for (const name of ["stdout", "stderr"]) {
    // A spread of the shared runtime (as Bun's and Node's once were) turns them into values, made at start.
    assert.equal(typeof Object.getOwnPropertyDescriptor(runtime, name)?.get, "function", `${runtime.name}: ${name} is a getter`);
  }
});
