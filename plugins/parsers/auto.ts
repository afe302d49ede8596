/** `auto`: recognises the format of each line among the built-in ones. */
import { badUtf8, fail } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";
import { parseApache } from "./apache.ts";
import { parseJson } from "./json.ts";
import { parseLogfmt } from "./logfmt.ts";
import { parsePlainText } from "./plain-text.ts";
import { parseSyslog } from "./syslog.ts";

/** `auto`: tries the formats in this order, per line. CSV is left out: it needs its header. */
export const AUTO_ORDER: ReadonlyArray<[string, LineParser]> = [
  ["json", parseJson],
  ["syslog", parseSyslog],
  ["apache", parseApache],
  ["plain-text", parsePlainText],
  ["logfmt", parseLogfmt],
];

export const parseAuto: LineParser = (line, env) => {
  if (badUtf8(line)) return fail("invalid UTF-8");
  const c = line.text[0];
  for (const [name, parse] of AUTO_ORDER) {
    // Cheap first-character checks skip formats that cannot match.
    if (name === "json" && c !== "{") continue;
    const result = parse(line, env);
    if (result.isOk()) return result;
  }
  return fail("unrecognized format");
};

export const auto = lineParserPlugin("auto", "Detects the format per line: json, syslog, apache, plain-text, logfmt", parseAuto);
