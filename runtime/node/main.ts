#!/usr/bin/env node
import { main } from "../cli.ts";
import { runtime } from "./runtime.ts";

runtime.exit(await main(process.argv.slice(2), runtime));
