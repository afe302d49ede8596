export { tail, tailSchema, type TailOptions } from "./tail.ts";
export { Tailer, type TailStats, type TailerOptions } from "./tailer.ts";
export type { TailedFile } from "./events.ts";
