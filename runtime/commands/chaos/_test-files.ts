/** Test helper: which seqs the files in a folder hold, read back from what chaos wrote (gzip files decompressed). */
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

/** The text of every regular file under `dir` (links skipped: their data is counted where it lives), by relative path. */
export function readFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isDirectory()) for (const [sub, text] of readFiles(path)) out.set(`${name}/${sub}`, text);
    else if (stat.isFile()) out.set(name, new TextDecoder().decode(name.endsWith(".gz") ? gunzipSync(readFileSync(path)) : readFileSync(path)));
  }
  return out;
}

/** The seqs of `seq=N` lines in a text, in order (a line without its newline counts). */
export const seqsIn = (text: string): number[] => [...text.matchAll(/seq=(\d+)/g)].map((m) => Number(m[1]));
