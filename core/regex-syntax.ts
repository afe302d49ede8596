/**
 * A small reader of JavaScript regex syntax (no `u` flag), for the engine choice in
 * regex-engine.ts: the tree keeps what decides backtracking cost (alternatives, repetition,
 * which characters an atom can match) and drops the rest (group names, capture). It runs after
 * `new RegExp` accepted the pattern, so it only has to be right on valid syntax; anything it
 * cannot read makes it give up (`undefined`), and the pattern is then left to the ReDoS analysis.
 */

/** The characters an atom can match: a 128-bit mask for ASCII, and whether any non-ASCII one. */
export interface CharSet {
  ascii: bigint;
  other: boolean;
}

export type RegexNode =
  | { type: "char"; set: CharSet }
  | { type: "seq"; items: RegexNode[] }
  | { type: "alt"; alternatives: RegexNode[] }
  | { type: "repeat"; body: RegexNode; min: number; max: number }
  | { type: "assert"; kind: "start" | "end" | "boundary" }
  | { type: "look"; body: RegexNode }
  | { type: "backref" };

const ALL_ASCII = (1n << 128n) - 1n;
const bit = (code: number) => 1n << BigInt(code);
const range = (from: number, to: number) => ((1n << BigInt(to + 1)) - 1n) ^ ((1n << BigInt(from)) - 1n);
const DIGIT = range(48, 57);
const WORD = DIGIT | range(65, 90) | range(97, 122) | bit(95);
const SPACE = range(9, 13) | bit(32);
const NEWLINES = bit(10) | bit(13);

export const EMPTY_SET: CharSet = { ascii: 0n, other: false };
export const union = (a: CharSet, b: CharSet): CharSet => ({ ascii: a.ascii | b.ascii, other: a.other || b.other });
export const overlaps = (a: CharSet, b: CharSet) => (a.ascii & b.ascii) !== 0n || (a.other && b.other);

function negate(set: CharSet): CharSet {
  return { ascii: ALL_ASCII & ~set.ascii, other: true };
}

/** Under the `i` flag, an ASCII letter matches both cases (without `u`, no non-ASCII letter folds to ASCII). */
function foldCase(set: CharSet): CharSet {
  const upper = set.ascii & range(65, 90);
  const lower = set.ascii & range(97, 122);
  return { ascii: set.ascii | (upper << 32n) | (lower >> 32n), other: set.other };
}

function single(code: number): CharSet {
  return code < 128 ? { ascii: bit(code), other: false } : { ascii: 0n, other: true };
}

const ESCAPED_CLASSES: Record<string, CharSet> = {
  d: { ascii: DIGIT, other: false },
  D: negate({ ascii: DIGIT, other: false }),
  w: { ascii: WORD, other: false },
  W: negate({ ascii: WORD, other: false }),
  s: { ascii: SPACE, other: true },
  S: { ascii: ALL_ASCII & ~SPACE, other: true },
};
const CONTROL: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, "0": 0 };

/** Thrown inside the reader for anything it does not follow; `parseRegex` turns it into `undefined`. */
class Unreadable extends Error {}

/** Deeper nesting is left to the analysis (and RE2): the proof's walks recurse once per level. */
const MAX_DEPTH = 64;

class Reader {
  i = 0;
  depth = 0;
  constructor(
    readonly text: string,
    readonly ignoreCase: boolean,
  ) {}

  peek(offset = 0): string {
    return this.text[this.i + offset] ?? "";
  }

  alternation(): RegexNode {
    const alternatives = [this.sequence()];
    while (this.peek() === "|") {
      this.i++;
      alternatives.push(this.sequence());
    }
    return alternatives.length === 1 ? alternatives[0]! : { type: "alt", alternatives };
  }

  sequence(): RegexNode {
    const items: RegexNode[] = [];
    while (this.i < this.text.length && this.peek() !== "|" && this.peek() !== ")") items.push(this.quantified(this.atom()));
    return items.length === 1 ? items[0]! : { type: "seq", items };
  }

  quantified(atom: RegexNode): RegexNode {
    const bounds = this.bounds();
    if (!bounds) return atom;
    if (this.peek() === "?") this.i++; // Lazy: the same paths, tried in another order.
    if (atom.type === "assert" || atom.type === "look") throw new Unreadable("quantified assertion");
    return { type: "repeat", body: atom, min: bounds[0], max: bounds[1] };
  }

  bounds(): [number, number] | undefined {
    const c = this.peek();
    if (c === "*" || c === "+" || c === "?") {
      this.i++;
      return c === "*" ? [0, Infinity] : c === "+" ? [1, Infinity] : [0, 1];
    }
    if (c !== "{") return undefined;
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.text.slice(this.i));
    if (!m) return undefined; // Without `u`, a `{` that is not a quantifier is a literal.
    this.i += m[0].length;
    const min = Number(m[1]);
    return [min, m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3])];
  }

  atom(): RegexNode {
    const c = this.peek();
    this.i++;
    switch (c) {
      case "^":
        return { type: "assert", kind: "start" };
      case "$":
        return { type: "assert", kind: "end" };
      case ".":
        return this.char({ ascii: ALL_ASCII & ~NEWLINES, other: true });
      case "[":
        return { type: "char", set: this.charClass() }; // Folded before any negation.
      case "(":
        return this.group();
      case "\\":
        return this.escape();
      default:
        return this.char(single(c.charCodeAt(0)));
    }
  }

  char(set: CharSet): RegexNode {
    return { type: "char", set: this.ignoreCase ? foldCase(set) : set };
  }

  group(): RegexNode {
    if (++this.depth > MAX_DEPTH) throw new Unreadable("nested too deep");
    let look = false;
    if (this.peek() === "?") {
      const kind = this.text.slice(this.i + 1, this.i + 3);
      if (kind[0] === ":") this.i += 2;
      else if (kind[0] === "=" || kind[0] === "!") (this.i += 2), (look = true);
      else if (kind === "<=" || kind === "<!") (this.i += 3), (look = true);
      else if (kind[0] === "<") this.i = this.text.indexOf(">", this.i) + 1;
      else throw new Unreadable("group");
    }
    const body = this.alternation();
    if (this.peek() !== ")") throw new Unreadable("unclosed group");
    this.i++;
    this.depth--;
    return look ? { type: "look", body } : body;
  }

  escape(): RegexNode {
    const c = this.peek();
    this.i++;
    if (c === "b" || c === "B") return { type: "assert", kind: "boundary" };
    if (/[1-9]/.test(c)) return { type: "backref" };
    if (c === "k" && this.peek() === "<") {
      this.i = this.text.indexOf(">", this.i) + 1;
      return { type: "backref" };
    }
    return this.char(ESCAPED_CLASSES[c] ?? single(this.escapedCode(c)));
  }

  /** The code of an escaped character (`\n`, `\x41`, `\u0041`, `\cJ`, `\.`), the escape's letter already read. */
  escapedCode(c: string): number {
    if (c in CONTROL) return CONTROL[c]!;
    const hex = c === "x" ? 2 : c === "u" ? 4 : 0;
    const digits = this.text.slice(this.i, this.i + hex);
    if (hex && new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits)) {
      this.i += hex;
      return parseInt(digits, 16);
    }
    if (c === "c" && /[a-zA-Z]/.test(this.peek())) return this.text.charCodeAt(this.i++) % 32;
    if (c === "") throw new Unreadable("trailing backslash");
    return c.charCodeAt(0);
  }

  charClass(): CharSet {
    const negated = this.peek() === "^";
    if (negated) this.i++;
    let set = EMPTY_SET;
    for (let first = true; first || this.peek() !== "]"; first = false) {
      if (this.i >= this.text.length) throw new Unreadable("unclosed class");
      const from = this.classAtom();
      if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== "" && typeof from === "number") {
        this.i++;
        const to = this.classAtom();
        if (typeof to !== "number") throw new Unreadable("class range");
        set = union(set, to < 128 ? { ascii: range(from, to), other: false } : { ascii: from < 128 ? range(from, 127) : 0n, other: true });
      } else set = union(set, typeof from === "number" ? single(from) : from);
    }
    this.i++;
    // Under `i`, [^a-z] leaves out A-Z too: fold the members, then negate.
    const folded = this.ignoreCase ? foldCase(set) : set;
    return negated ? negate(folded) : folded;
  }

  /** One member of a class: a character's code, or a set for `\d`, `\w`, `\s` and their negations. */
  classAtom(): number | CharSet {
    const c = this.peek();
    this.i++;
    if (c !== "\\") return c.charCodeAt(0);
    const e = this.peek();
    this.i++;
    if (e in ESCAPED_CLASSES) return ESCAPED_CLASSES[e]!;
    if (e === "b") return 8; // Backspace inside a class.
    const octal = /^[0-7]{1,3}/.exec(this.text.slice(this.i - 1));
    if (octal && e !== "0") {
      // Without `u`, `[\1]` is the character of octal code 1 (Annex B), not a backreference.
      const digits = parseInt(octal[0], 8) > 255 ? octal[0].slice(0, 2) : octal[0];
      this.i += digits.length - 1;
      return parseInt(digits, 8);
    }
    return this.escapedCode(e);
  }
}

/**
 * Reads a pattern that `new RegExp(pattern, flags)` accepts (flags without `u`), or gives up.
 *
 * @example
 * parseRegex("(ERROR|WARN) \\d+", false); // { type: "seq", items: [{ type: "alt", ... }, ...] }
 */
export function parseRegex(pattern: string, ignoreCase: boolean): RegexNode | undefined {
  const reader = new Reader(pattern, ignoreCase);
  try {
    const tree = reader.alternation();
    return reader.i === pattern.length ? tree : undefined;
  } catch (error) {
    if (error instanceof Unreadable) return undefined;
    throw error;
  }
}
