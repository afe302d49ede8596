/**
 * `logsim/testing`: run any plugin in isolation with a fake clock, feed it lines or
 * records, collect its output, read its counters and events; and check the contracts
 * every plugin of its kind must keep. Works under bun test, deno test and node:test
 * (it throws plain errors; no test framework of its own).
 *
 * @example
 * import { test } from "node:test";
 * import assert from "node:assert/strict";
 * import { runTransform, checkTransformContract } from "logsim/testing";
 * import { upper } from "./upper.ts";
 *
 * test("upper", async () => {
 *   const { records } = await runTransform(upper(), [{ time: 0, level: "INFO", message: "hi" }]);
 *   assert.equal(records[0]!.message, "HI");
 *   await checkTransformContract(upper());
 * });
 * @module
 */
export { createFakeClock, FakeClock, turn } from "./fake-clock.ts";
export { createTestContext, makeTestContext, type RecordedEvent, type TestContext, type TestContextOptions } from "./context.ts";
export { instantiate, PluginOptionsError } from "./instantiate.ts";
export { rawLines, runParser, runSink, runSource, runTransform, type ParserRun, type SinkRun, type SourceRun, type SourceRunOptions, type TransformRun } from "./run.ts";
export {
  checkParserContract,
  checkSinkContract,
  checkSourceContract,
  checkTransformContract,
  ContractViolation,
  recordProblem,
  type ParserContractOptions,
  type SinkContractOptions,
  type SourceContractOptions,
  type TransformContractOptions,
} from "./contracts.ts";
export { checkAcksAfterFlush, type AckContractOptions } from "./acks.ts";
