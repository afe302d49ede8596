export { jsonl, jsonlSchema, STDOUT_PATH, type JsonlOptions } from "./jsonl.ts";
