/**
 * How plugin code builds a Result: parsers return one. These are neverthrow's own `ok`, `err`
 * and `Result`, given here so an author needs nothing but "logsim", and so a plugin that already
 * uses neverthrow mixes them freely (one Result type, not a look-alike).
 */
import { err as neverthrowErr, ok as neverthrowOk, type Result as NeverthrowResult } from "neverthrow";

/**
 * A success: for a parser, the record it read (or the decoded RawLine for the parsers after it).
 *
 * @example
 * return ok({ time: ctx.clock.now(), level: "INFO", message: line.text });
 */
export const ok: typeof neverthrowOk = neverthrowOk;

/**
 * A failure: for a parser, why it could not read the line (`{ reason }`), or that the line is
 * not a record at all (`{ reason, skip: true }`).
 *
 * @example
 * if (!line.text.startsWith("{")) return err({ reason: "not a JSON object" });
 */
export const err: typeof neverthrowErr = neverthrowErr;

/**
 * A value or an error, returned instead of thrown (`isOk()`, `isErr()`, `map`, `match`...).
 *
 * @example
 * const parse = (line: RawLine): Result<LogRecord, ParseIssue> => err({ reason: "empty" });
 */
export type Result<T, E> = NeverthrowResult<T, E>;
