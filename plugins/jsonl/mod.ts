export { jsonl, jsonlSchema, type JsonlOptions } from "./jsonl.ts";
