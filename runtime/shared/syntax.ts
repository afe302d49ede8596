/**
 * Finds a syntax error in a config module with esbuild (tsx's own transformer, so
 * present wherever logsim runs), for the runtimes whose import errors lack a position.
 */
import type { SyntaxProblem } from "../../core/config/syntax.ts";

interface EsbuildMessage {
  text: string;
  location: { line: number; column: number; lineText: string } | null;
}

/** The first syntax error esbuild finds in `source` (TypeScript for .ts/.mts/.cts, else JavaScript), or undefined. */
export async function findSyntaxError(path: string, source: string): Promise<SyntaxProblem | undefined> {
  let transform: typeof import("esbuild").transform;
  try {
    ({ transform } = await import("esbuild"));
  } catch {
    return undefined; // Without esbuild the engine's own message is all there is.
  }
  try {
    await transform(source, { loader: /\.[mc]?ts$/.test(path) ? "ts" : "js", sourcefile: path, format: "esm", logLevel: "silent" });
    return undefined;
  } catch (error) {
    const first = (error as { errors?: EsbuildMessage[] }).errors?.find((m) => m.location);
    if (!first?.location) return undefined;
    const { line, column, lineText } = first.location;
    // esbuild counts the column in UTF-8 bytes; users count characters.
    const chars = new TextDecoder().decode(new TextEncoder().encode(lineText).subarray(0, column)).length;
    return { line, column: chars + 1, message: first.text, lineText };
  }
}
