export { stdin, stdinSchema, STDIN_NAME, type StdinOptions } from "./stdin.ts";
