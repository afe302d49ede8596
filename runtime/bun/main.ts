#!/usr/bin/env bun
import { main } from "../cli.ts";
import { runtime } from "./runtime.ts";

runtime.exit(await main(Bun.argv.slice(2), runtime));
