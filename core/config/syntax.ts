/**
 * Where a syntax error in a config file is: `file:line:column: message` and the
 * line with a caret. Runtimes report such errors in their own words, often with
 * no position (Bun: "Unexpected }", Node: "Transform failed with 1 error:"), so
 * the location is found here (JSON) or by the runtime's `findSyntaxError` (modules).
 */

/** A syntax error at a place in a file. Line and column are 1-based; the column counts characters. */
export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
  /** The text of that line, without its newline. */
  lineText: string;
}

/** Line, column (1-based, in UTF-16 units) and line text of `offset` in `text`. */
export function locate(text: string, offset: number, message: string): SyntaxProblem {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const end = text.indexOf("\n", offset);
  const line = text.slice(0, start).split("\n").length;
  return { line, column: offset - start + 1, message, lineText: text.slice(start, end < 0 ? text.length : end).replace(/\r$/, "") };
}

/** The problem as the lines users see: `path:line:column: message`, the line, a caret under the column. */
export function formatSyntaxProblem(path: string, p: SyntaxProblem): string[] {
  // Keep the line's tabs in the padding so the caret lines up in any terminal.
  const pad = p.lineText.slice(0, p.column - 1).replace(/[^\t]/g, " ");
  return [`${path}:${p.line}:${p.column}: ${p.message}`, `  ${p.lineText}`, `  ${pad}^`];
}

const describe = (c: string | undefined) => (c === undefined ? "end of file" : JSON.stringify(c));

/**
 * The first syntax error in a JSON text, or undefined when it parses. A small
 * scanner of its own: engines' JSON.parse messages differ and not all give a position.
 */
export function findJsonSyntaxError(text: string): SyntaxProblem | undefined {
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw locate(text, at, message);
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const literal = (word: string) => (text.startsWith(word, i) ? void (i += word.length) : fail(`Unexpected ${describe(text[i])}, expected a value`));
  const string = () => {
    const open = i++;
    for (;;) {
      const c = text[i];
      if (c === undefined || c === "\n") fail("Unterminated string", open);
      if (c === '"') return void i++;
      if (c! < " ") fail("Control character in a string: escape it");
      if (c === "\\") {
        const e = text[i + 1];
        if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail("Invalid escape in a string");
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail(`Invalid number`);
    i += m![0].length;
  };
  const items = (close: string, item: () => void, what: string) => {
    i++;
    space();
    if (text[i] === close) return void i++;
    for (;;) {
      item();
      space();
      if (text[i] === close) return void i++;
      if (text[i] !== ",") fail(`Unexpected ${describe(text[i])}, expected "," or "${close}" after ${what}`);
      const comma = i++;
      space();
      if (text[i] === close) fail(`Trailing comma before "${close}"`, comma);
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === "{")
      return items("}", () => {
        space();
        if (text[i] !== '"') fail(`Unexpected ${describe(text[i])}, expected a property name in double quotes`);
        string();
        space();
        if (text[i] !== ":") fail(`Unexpected ${describe(text[i])}, expected ":" after the property name`);
        i++;
        value();
      }, "a property");
    if (c === "[") return items("]", value, "an array item");
    if (c === '"') return string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    fail(`Unexpected ${describe(c)}, expected a value`);
  };
  try {
    value();
    space();
    if (i < text.length) fail(`Unexpected ${describe(text[i])} after the end of the JSON value`);
    return undefined;
  } catch (problem) {
    return problem as SyntaxProblem;
  }
}
