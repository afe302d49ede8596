export { generator, createGenerator, NOMINAL_RATE, type GeneratorReport } from "./generator.ts";
export type { GeneratorEventName } from "./events.ts";
export { generatorSchema, burstSchema, faultsSchema, type GeneratorOptions, type GeneratorInput } from "./schema.ts";
export { Random } from "./random.ts";
export { BurstPlan, type BurstWindow } from "./burst.ts";
export { Schedule } from "./schedule.ts";
