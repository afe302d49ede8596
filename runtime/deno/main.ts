#!/usr/bin/env -S deno run --allow-read --allow-write --allow-env --allow-net --allow-run --v8-flags=--max-semi-space-size=8
import { main } from "../cli.ts";
import { runtime } from "./runtime.ts";

declare const Deno: { args: string[] };
runtime.exit(await main(Deno.args, runtime));
