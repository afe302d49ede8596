/**
 * What a config reload changes. Pipelines are keyed by name and services by their
 * plugin id; a pipeline is restarted when any of its plugins (id, plugin, options as
 * written, order) or its settings changed, a service when its plugin or options did.
 * Everything else keeps running untouched.
 */
import type { ResolvedConfig, ResolvedPipeline, ResolvedPlugin } from "./config/validate.ts";
import { ROLES } from "./config/validate.ts";

export interface ReloadChange {
  /** A pipeline's name, or a service's plugin id. */
  key: string;
  /** What to call it in a message: the pipeline's name, the service's plugin name. */
  label: string;
  /** Why it restarts: "transforms changed", "settings changed (retry)". */
  why: string;
}

export interface ReloadPlan {
  pipelines: { restart: ReloadChange[]; start: string[]; stop: string[]; unchanged: string[] };
  services: { restart: ReloadChange[]; start: ReloadChange[]; stop: ReloadChange[]; unchanged: ReloadChange[] };
}

/** The pipeline settings a reload compares (everything but the plugins). */
const SETTINGS = ["capacity", "overflow", "flushIntervalMs", "onParseError", "deadletter", "retry", "workers"] as const;

export function planReload(from: ResolvedConfig, to: ResolvedConfig): ReloadPlan {
  const plan: ReloadPlan = { pipelines: { restart: [], start: [], stop: [], unchanged: [] }, services: { restart: [], start: [], stop: [], unchanged: [] } };
  const before = new Map(from.pipelines.map((p) => [p.name, p]));
  for (const next of to.pipelines) {
    const old = before.get(next.name);
    if (!old) {
      plan.pipelines.start.push(next.name);
      continue;
    }
    const why = pipelineChanges(old, next);
    if (why) plan.pipelines.restart.push({ key: next.name, label: next.name, why });
    else plan.pipelines.unchanged.push(next.name);
  }
  const names = new Set(to.pipelines.map((p) => p.name));
  plan.pipelines.stop = from.pipelines.filter((p) => !names.has(p.name)).map((p) => p.name);

  const oldServices = new Map(from.services.map((s) => [s.id, s]));
  for (const next of to.services) {
    const change = { key: next.id, label: next.definition.name, why: "" };
    const old = oldServices.get(next.id);
    if (!old) plan.services.start.push({ ...change, why: "new" });
    else if (!samePlugin(old, next)) plan.services.restart.push({ ...change, why: old.definition.name === next.definition.name ? "options changed" : "plugin changed" });
    else plan.services.unchanged.push(change);
  }
  const ids = new Set(to.services.map((s) => s.id));
  plan.services.stop = from.services.filter((s) => !ids.has(s.id)).map((s) => ({ key: s.id, label: s.definition.name, why: "removed" }));
  return plan;
}

/** Why a pipeline must restart ("sources and transforms changed"), or "" when it need not. */
function pipelineChanges(old: ResolvedPipeline, next: ResolvedPipeline): string {
  const changed: string[] = [];
  for (const role of Object.keys(ROLES) as Array<keyof typeof ROLES>) {
    const a = old[role] as ResolvedPlugin[];
    const b = next[role] as ResolvedPlugin[];
    if (a.length !== b.length || a.some((p, i) => !samePlugin(p, b[i]!))) changed.push(role);
  }
  const settings = SETTINGS.filter((key) => !sameValue(old[key], next[key]));
  if (settings.length > 0) changed.push(`settings (${settings.map((s) => (s === "capacity" || s === "overflow" ? "channel" : s.replace(/Ms$/, ""))).filter((s, i, all) => all.indexOf(s) === i).join(", ")})`);
  if (changed.length === 0) return "";
  return `${changed.length > 1 ? `${changed.slice(0, -1).join(", ")} and ${changed.at(-1)}` : changed[0]} changed`;
}

/** Same instance id, same plugin, same options as written. */
function samePlugin(a: ResolvedPlugin, b: ResolvedPlugin): boolean {
  return a.id === b.id && a.definition.name === b.definition.name && a.definition.kind === b.definition.kind && sameValue(a.input, b.input);
}

/**
 * Structural equality of option values as a config writes them: primitives, arrays, plain
 * objects, regular expressions and dates. A function is equal only to itself: a reloaded
 * config makes new ones, and two with the same source text may close over different values,
 * so a plugin given a function restarts at every reload (safe, never stale).
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a instanceof RegExp || b instanceof RegExp) return a instanceof RegExp && b instanceof RegExp && a.source === b.source && a.flags === b.flags;
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const proto = Object.getPrototypeOf(a);
  if (proto !== Object.prototype && proto !== null) return false; // Another class: equal only if the same object.
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return keysA.length === keysB.length && keysA.every((k) => Object.hasOwn(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** One line saying what a reload did: `restarted pipeline collect (transforms changed); web unchanged`. */
export function formatReloadPlan(plan: ReloadPlan): string {
  const parts: string[] = [];
  for (const c of plan.pipelines.restart) parts.push(`restarted pipeline ${c.label} (${c.why})`);
  for (const name of plan.pipelines.start) parts.push(`started pipeline ${name} (new)`);
  for (const name of plan.pipelines.stop) parts.push(`stopped pipeline ${name} (removed)`);
  for (const c of plan.services.restart) parts.push(`restarted ${c.label} (${c.why})`);
  for (const c of plan.services.start) parts.push(`started ${c.label} (new)`);
  for (const c of plan.services.stop) parts.push(`stopped ${c.label} (removed)`);
  const unchanged = [...plan.pipelines.unchanged, ...plan.services.unchanged.map((c) => c.label)];
  if (parts.length === 0) return unchanged.length > 0 ? `nothing changed (${unchanged.join(", ")} kept running)` : "nothing changed";
  if (unchanged.length > 0) parts.push(`${unchanged.join(", ")} unchanged`);
  return parts.join("; ");
}

/** True when the plan stops or starts nothing. */
export const isEmptyPlan = (plan: ReloadPlan): boolean =>
  plan.pipelines.restart.length + plan.pipelines.start.length + plan.pipelines.stop.length + plan.services.restart.length + plan.services.start.length + plan.services.stop.length === 0;
