/**
 * The literal strings a regex is an alternation of (`a|b(c|d)e` -> a, bce, bde), or undefined when
 * it is anything more (anchors, classes, repeats...). An unanchored search for such a regex is the
 * same as "contains one of the strings", which rsyslog's `contains` does without a regex engine:
 * the tuned rsyslog config uses it where this says it means the same.
 */
export function literalAlternatives(regex: string): string[] | undefined {
  let i = 0;
  /** alternatives := sequence ('|' sequence)* ; sequence := (literal | '(' alternatives ')')* */
  const alternatives = (): string[] | undefined => {
    const out: string[] = [];
    for (;;) {
      const seq = sequence();
      if (!seq) return undefined;
      out.push(...seq);
      if (regex[i] !== "|") return out;
      i++;
    }
  };
  const sequence = (): string[] | undefined => {
    let prefixes = [""];
    while (i < regex.length && regex[i] !== "|" && regex[i] !== ")") {
      let parts: string[] | undefined;
      const c = regex[i]!;
      if (c === "(") {
        i++;
        if (regex[i] === "?") return undefined; // Named or lookaround groups: not a plain alternation.
        parts = alternatives();
        if (!parts || regex[i] !== ")") return undefined;
        i++;
      } else if (c === "\\") {
        const next = regex[i + 1];
        if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined; // \d, \S, \b, backreferences...
        parts = [next];
        i += 2;
      } else if ("^$.[]{}*+?".includes(c)) {
        return undefined;
      } else {
        parts = [c];
        i++;
      }
      if (regex[i] !== undefined && "*+?{".includes(regex[i]!)) return undefined; // A repeated piece.
      prefixes = prefixes.flatMap((p) => parts!.map((s) => p + s));
    }
    return prefixes;
  };
  const result = alternatives();
  return result && i === regex.length && result.every((s) => s.length > 0) ? result : undefined;
}
