/**
 * The column-layout parsers in the order `auto` should try them, each behind a cheap check of a
 * few characters that every line of its format passes, so a line of another format costs a
 * comparison or two per layout, not a regex. `timestamped` comes last: it takes any line led by a
 * timestamp, so the layouts that read more of a line (pid, tag, node...) go first.
 */
import type { LineParser } from "./_plugin.ts";
import { parseBlueGeneRas } from "./bluegene-ras.ts";
import { parseHdfs } from "./hdfs.ts";
import { parseHealthApp } from "./healthapp.ts";
import { parseLanlHpc } from "./lanl-hpc.ts";
import { parseLogcat } from "./logcat.ts";
import { parseProxifier } from "./proxifier.ts";
import { parseThunderbird } from "./thunderbird.ts";
import { parseTimestamped } from "./timestamped.ts";
import { parseWindowsCbs } from "./windows-cbs.ts";

export interface Layout {
  name: string;
  parse: LineParser;
  /** False when the line cannot be of this format (true does not mean it is). */
  maybe(text: string): boolean;
}

const digit = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
};
/** `LABEL EPOCH yyyy.MM.dd `: the CFDR supercomputer logs (BG/L, Thunderbird). */
const CFDR = /^\S{1,32} \d{9,11} \d{4}\.\d\d\.\d\d /;

export const LAYOUTS: readonly Layout[] = [
  { name: "logcat", parse: parseLogcat, maybe: (t) => (digit(t, 0) && (t[2] === "-" || t[4] === "-")) || t[1] === "/" },
  { name: "windows-cbs", parse: parseWindowsCbs, maybe: (t) => t[4] === "-" && t[19] === "," },
  { name: "bluegene-ras", parse: parseBlueGeneRas, maybe: (t) => CFDR.test(t) },
  { name: "thunderbird", parse: parseThunderbird, maybe: (t) => CFDR.test(t) },
  { name: "hdfs", parse: parseHdfs, maybe: (t) => t[6] === " " && t[13] === " " && digit(t, 0) },
  { name: "healthapp", parse: parseHealthApp, maybe: (t) => t[8] === "-" && digit(t, 0) },
  { name: "lanl-hpc", parse: parseLanlHpc, maybe: (t) => digit(t, 0) },
  { name: "proxifier", parse: parseProxifier, maybe: (t) => t[0] === "[" && t[3] === "." && t[15] === "]" },
  { name: "timestamped", parse: parseTimestamped, maybe: (t) => digit(t, 0) || t[0] === "[" || (t.charCodeAt(0) >= 65 && t.charCodeAt(0) <= 90) },
];
