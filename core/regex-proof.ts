/**
 * A direct proof that a backtracking engine (V8, JavaScriptCore) runs a pattern in linear time,
 * for the shapes users write most: `(ERROR|WARN)`, `user=(\w+)`, `^(?<ts>\S+) (?<level>\w+) (?<msg>.*)$`.
 * It needs no library and takes microseconds, so the usual config never loads the ReDoS analysis.
 *
 * The argument, for a pattern whose repetitions are all of single characters (`\S+`, `[^\]]*`, `\d{3}`):
 * - within one attempt, a loop whose class is disjoint from what can follow it is left at the end
 *   of its run, and giving a character back fails at once: one attempt costs its length times the
 *   number of ways through the finite part (`paths`: alternatives, counted repetitions);
 * - across attempts (a search tries every start), an attempt that starts inside another's loop run
 *   reads only characters of that loop's class; when every way into the pattern meets a character
 *   outside the class before any loop (`GET (\S+)`: the space after GET), it gives up or leaves the
 *   run within `width` characters, so each character is read by a bounded number of attempts
 *   (a pattern anchored with `^` has one attempt);
 * - a loop that can be followed by the end of the pattern (no assertion left) never fails: it ends the search.
 * Anything else (a repeated group, lookaround, a loop that overlaps its follower) is not proved
 * here; regex-engine.ts then asks the ReDoS analysis.
 */
import { EMPTY_SET, overlaps, union, type CharSet, type RegexNode } from "./regex-syntax.ts";

/** What can come next at a point of the pattern. */
interface Follow {
  set: CharSet;
  /** A `$` can come next. */
  end: boolean;
  /** The pattern can end here with no assertion left: the attempt succeeds. */
  accept: boolean;
}

const ACCEPT: Follow = { set: EMPTY_SET, end: false, accept: true };
const ANYTHING: Follow = { set: { ascii: (1n << 128n) - 1n, other: true }, end: true, accept: false };
const merge = (a: Follow, b: Follow): Follow => ({ set: union(a.set, b.set), end: a.end || b.end, accept: a.accept || b.accept });

/** What can come first in `node` followed by `next`. */
function first(node: RegexNode, next: Follow): Follow {
  switch (node.type) {
    case "char":
      return { set: node.set, end: false, accept: false };
    case "assert":
      return node.kind === "end" ? { set: EMPTY_SET, end: true, accept: false } : { ...next, accept: false };
    case "seq":
      return node.items.reduceRight((follow, item) => first(item, follow), next);
    case "alt":
      return node.alternatives.map((a) => first(a, next)).reduce(merge);
    case "repeat": {
      // A repetition's body may follow itself: take any character as able to (one walk of the body,
      // not two per level, which nested repetitions would make exponential).
      const body = first(node.body, node.max > 1 ? merge(next, ANYTHING) : next);
      return node.min === 0 ? merge(body, next) : body;
    }
    case "look":
    case "backref":
      throw new Error(`no follow set for ${node.type}`);
  }
}

/** The counts that bound the work, capped so a hostile pattern cannot overflow them. */
export interface Cost {
  /** Ways through the finite part of the pattern (a backtracking engine may try each). */
  paths: number;
  /** The longest stretch matched by the finite part. */
  width: number;
}

const CAP = 1e9;
const capped = (n: number) => Math.min(n, CAP);

/** Paths and width, a loop counting as one pass through its body. */
export function costOf(node: RegexNode): Cost {
  switch (node.type) {
    case "char":
      return { paths: 1, width: 1 };
    case "assert":
    case "backref":
      return { paths: 1, width: 0 };
    case "look":
      return costOf(node.body);
    case "seq":
      return node.items.map(costOf).reduce((a, b) => ({ paths: capped(a.paths * b.paths), width: capped(a.width + b.width) }), { paths: 1, width: 0 });
    case "alt":
      return node.alternatives.map(costOf).reduce((a, b) => ({ paths: capped(a.paths + b.paths), width: Math.max(a.width, b.width) }));
    case "repeat": {
      const body = costOf(node.body);
      if (node.max === Infinity) return { paths: capped(body.paths + 1), width: body.width };
      let paths = 0;
      for (let k = node.min; k <= node.max && paths < CAP; k++) paths = capped(paths + body.paths ** k);
      return { paths, width: capped(body.width * node.max) };
    }
  }
}

/**
 * How the pattern begins, seen from inside a run of `inside` characters: every way meets a character
 * outside it first (`barrier`), some way can reach a loop over such characters (`loop`), or neither (`open`).
 */
function entry(node: RegexNode, inside: CharSet): "barrier" | "loop" | "open" {
  switch (node.type) {
    case "char":
      return overlaps(node.set, inside) ? "open" : "barrier";
    case "assert":
    case "backref":
    case "look":
      return "open";
    case "seq":
      for (const item of node.items) {
        const kind = entry(item, inside);
        if (kind !== "open") return kind;
      }
      return "open";
    case "alt": {
      const kinds = node.alternatives.map((a) => entry(a, inside));
      return kinds.includes("loop") ? "loop" : kinds.every((k) => k === "barrier") ? "barrier" : "open";
    }
    case "repeat": {
      const body = entry(node.body, inside);
      if (body === "loop" || (node.max === Infinity && body === "open")) return "loop";
      return node.min > 0 ? body : "open";
    }
  }
}

/** Why the direct proof does not apply, or that it holds. */
export type Proof = { proved: true; cost: Cost } | { proved: false; why: string };

/** Does the pattern hold a loop (an unbounded repetition) anywhere? */
const hasLoop = (node: RegexNode): boolean =>
  node.type === "repeat" ? node.max === Infinity || hasLoop(node.body) : node.type === "seq" ? node.items.some(hasLoop) : node.type === "alt" ? node.alternatives.some(hasLoop) : node.type === "look" ? hasLoop(node.body) : false;

const contains = (node: RegexNode, type: RegexNode["type"]): boolean =>
  node.type === type ||
  (node.type === "repeat" || node.type === "look" ? contains(node.body, type) : node.type === "seq" ? node.items.some((n) => contains(n, type)) : node.type === "alt" ? node.alternatives.some((n) => contains(n, type)) : false);

const anchored = (node: RegexNode): boolean =>
  node.type === "assert" ? node.kind === "start" : node.type === "seq" ? node.items.length > 0 && anchored(node.items[0]!) : node.type === "alt" ? node.alternatives.every(anchored) : false;

/**
 * Tries the direct proof on a parsed pattern.
 *
 * @example
 * proveLinear(parseRegex("user=(\\w+)", false)!); // { proved: true, cost: { paths: 2, width: 6 } }
 * proveLinear(parseRegex("a+b", false)!).proved; // false: a search restarts inside the run of a's
 */
export function proveLinear(tree: RegexNode): Proof {
  if (contains(tree, "backref")) return { proved: false, why: "backreference" };
  if (contains(tree, "look")) return { proved: false, why: "lookaround" };
  const unanchored = !anchored(tree);
  const why = check(tree, ACCEPT, (loopClass) => unanchored && entry(tree, loopClass) === "loop");
  return why === undefined ? { proved: true, cost: costOf(tree) } : { proved: false, why };
}

/** The first reason the argument fails inside `node` (followed by `next`), or undefined. */
function check(node: RegexNode, next: Follow, restartsInRun: (loopClass: CharSet) => boolean): string | undefined {
  switch (node.type) {
    case "char":
    case "assert":
      return undefined;
    case "look":
      return "lookaround";
    case "backref":
      return "backreference";
    case "alt":
      for (const a of node.alternatives) {
        const why = check(a, next, restartsInRun);
        if (why) return why;
      }
      return undefined;
    case "seq": {
      let follow = next;
      for (let i = node.items.length - 1; i >= 0; i--) {
        const why = check(node.items[i]!, follow, restartsInRun);
        if (why) return why;
        follow = first(node.items[i]!, follow);
      }
      return undefined;
    }
    case "repeat":
      if (node.body.type !== "char") return hasLoop(node) ? "a repeated group" : check(node.body, next, restartsInRun);
      if (node.max !== Infinity || next.accept) return undefined;
      if (overlaps(node.body.set, next.set)) return "a repetition overlaps what follows it";
      if (restartsInRun(node.body.set)) return "a search restarting inside a repetition's run can re-read it";
      return undefined;
  }
}
