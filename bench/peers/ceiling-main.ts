/**
 * The hand-written JS ceiling (bench/workload/ceiling.ts) as a whole process, the same entry on
 * every runtime (Node runs an esbuild bundle of it): reads IN, writes OUT and OUT.deadletter.
 *
 *   bun bench/peers/ceiling-main.ts IN OUT
 */
import { ceiling } from "../workload/ceiling.ts";

const g = globalThis as { Deno?: { args: string[] }; process?: { argv: string[] } };
const [input, output] = g.Deno?.args ?? g.process?.argv.slice(2) ?? [];
if (!input || !output) throw new Error("usage: ceiling-main.ts IN OUT");
ceiling(input, output);
