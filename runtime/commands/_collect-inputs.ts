/**
 * What `collect --input` names: globs for the tail source, and streams (standard input,
 * FIFOs, devices) for the stdin source. The tail source reads regular files by position,
 * so it skips a FIFO or /dev/stdin; these go to the stdin source instead. Globs that
 * match no file now are listed, so the command can say so instead of reading "0 files".
 */
import { isAbsolute, resolve } from "node:path";
import type { FileSystem } from "../../core/runtime.ts";
import { compileGlob } from "../../plugins/tail/glob.ts";

export interface CollectInputs {
  /** Globs of files for the tail source. */
  globs: string[];
  /** "-" for standard input, else the absolute path of a FIFO or device to read to its end. */
  streams: string[];
  /** One line per glob that matches no file now, saying so. */
  unmatched: string[];
}

/** Names of standard input: `-` and the paths that lead to it. */
const STDIN = new Set(["-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"]);
const isMagic = (input: string) => /[*?[{]/.test(input);

export function sortInputs(inputs: readonly string[], exclude: readonly string[], fs: FileSystem, cwd: string): CollectInputs {
  const out: CollectInputs = { globs: [], streams: [], unmatched: [] };
  const excluded = exclude.map((g) => compileGlob(g, cwd));
  for (const input of inputs) {
    if (STDIN.has(input)) {
      if (!out.streams.includes("-")) out.streams.push("-");
      continue;
    }
    const stat = isMagic(input) ? undefined : fs.stat(resolve(cwd, input));
    if (stat && !stat.isFile && !stat.isDirectory) {
      out.streams.push(resolve(cwd, input));
      continue;
    }
    out.globs.push(input);
    const files = compileGlob(input, cwd).expand(fs).filter((p) => fs.stat(p)?.isFile);
    if (files.length > 0 && files.some((p) => !excluded.some((g) => g.matches(p)))) continue;
    const where = isAbsolute(input) ? "" : ` in ${cwd}`;
    const why = stat?.isDirectory ? ` (it is a folder: try '${input.replace(/\/$/, "")}/*.log')` : files.length > 0 ? " that --exclude does not exclude" : "";
    out.unmatched.push(`--input '${input}' matches no file${where}${why}`);
  }
  return out;
}
