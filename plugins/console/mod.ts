export { consoleSink, consoleSchema, type ConsoleOptions } from "./console.ts";
