/**
 * Fuzzing of what reaches logsim from outside, shared by tests/fuzz.test.ts (a few hundred cases in
 * CI) and tests/fuzz.long.test.ts (100,000 each): the web API's query parameters and headers, and
 * the JSON config (hostile keys included). Every input must be answered or reported: no crash, no
 * 500, no stack trace, no hang, no prototype pollution. Problems are collected and the first few
 * reported with fast-check's seed, so a failure can be replayed.
 */
import fc from "fast-check";
import { formatError } from "../core/errors.ts";
import { validateConfig } from "../core/config/validate.ts";
import type { Runtime } from "../core/runtime.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { harness, rec } from "../plugins/web/_testing.ts";

export interface FuzzReport {
  cases: number;
  problems: string[];
  /** How many inputs were answered each way (status code, or ok/invalid for configs). */
  outcomes: Record<string, number>;
}

const show = (value: unknown) => JSON.stringify(value)?.slice(0, 200);
const count = (report: FuzzReport, key: string) => void (report.outcomes[key] = (report.outcomes[key] ?? 0) + 1);

/** Keys and values that break naive code: prototype names, numbers, encodings, regex syntax. */
const HOSTILE_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "then", "", " ", "level", "tag", "service", "pipeline", "q", "re", "limit", "from"];
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("(a+)+$", "(a|a)*b", "\\", "[", "(?<x>", "(?=x)", "\\1", "a{99999}", ".*".repeat(50), "%00", "%E0%A4%A", "NaN", "-1", "1e999", "9".repeat(40), "0x10", "ERROR", "warn", "__proto__", "<script>alert(1)</script>", "\u0000", "\uD800", "x".repeat(5000)),
  fc.constantFrom(...HOSTILE_KEYS),
);

const PATHS = ["/api/logs", "/api/services", "/api/stream", "/api/metrics", "/api/config", "/healthz", "/metrics", "/", "/api/logs/", "/api/%2e%2e/config", "/assets/../package.json", "/api/nope"];

/** Percent-encodes what a URL can carry; a lone surrogate (which no URL can) becomes U+FFFD first. */
const wellFormed = (text: string) => text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
const encode = (text: string) => encodeURIComponent(wellFormed(text));

/** A query string of random parameters, raw (not always valid percent-encoding). */
const queryString = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 10 })), hostileString, fc.boolean()), { maxLength: 8 }).map((pairs) =>
  pairs.map(([k, v, raw]) => `${encode(k)}=${raw ? wellFormed(v).replace(/[#\s&]/g, "") : encode(v)}`).join("&"),
);

/**
 * The web API: random paths, query parameters and Last-Event-ID headers against the real Hono app
 * (in process, with records in its ring). Every answer is a known status, /api answers are JSON
 * with an `error` and a `message` when refused, every answer carries the CSP, and none takes long.
 */
export async function fuzzWebApi(runtime: Runtime, runs: number, seed?: number): Promise<FuzzReport> {
  const h = harness(runtime, { maxStreams: 1000 });
  h.push(Array.from({ length: 200 }, (_, i) => rec(`payment ${i} ERROR user=u-${i}`, { level: i % 3 ? "INFO" : "ERROR", service: `svc-${i % 7}`, tags: i % 2 ? ["api"] : undefined })));
  const report: FuzzReport = { cases: 0, problems: [], outcomes: {} };
  const known = new Set([200, 204, 400, 403, 404, 503]);
  try {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), queryString, fc.option(hostileString), async (path, query, lastEventId) => {
        report.cases++;
        const url = `${path}?${query}`;
        const abort = new AbortController();
        const started = performance.now();
        let res: Response;
        try {
          const headers: Record<string, string> = {};
          if (lastEventId !== null) headers["last-event-id"] = lastEventId.replace(/[^\x20-\x7e]/g, "");
          res = await h.request(url, { headers, signal: abort.signal });
        } catch (error) {
          report.problems.push(`${url}: the request threw ${String(error).slice(0, 200)}`);
          return;
        }
        count(report, String(res.status));
        const ms = performance.now() - started;
        if (!known.has(res.status)) report.problems.push(`${url}: status ${res.status}`);
        if (!res.headers.get("content-security-policy")?.includes("default-src 'none'")) report.problems.push(`${url}: no CSP`);
        if (res.headers.get("content-type")?.startsWith("text/event-stream")) {
          abort.abort();
          await res.body?.cancel().catch(() => undefined);
        } else {
          const text = await res.text();
          if (/\n\s+at /.test(text)) report.problems.push(`${url}: a stack trace in the answer: ${show(text)}`);
          if (path.startsWith("/api/") && res.headers.get("content-type")?.includes("json")) {
            let body: { error?: unknown; message?: unknown };
            try {
              body = JSON.parse(text);
            } catch {
              report.problems.push(`${url}: JSON content type, body not JSON: ${show(text)}`);
              return;
            }
            if (res.status >= 400 && (typeof body.error !== "string" || typeof body.message !== "string")) report.problems.push(`${url}: refused without error and message: ${show(text)}`);
          }
        }
        // Generous: a hostile regex is refused or linear; a loaded 2-core machine can pause for a GC.
        if (ms > 2000) report.problems.push(`${url}: took ${Math.round(ms)} ms`);
      }),
      { numRuns: runs, seed },
    );
  } finally {
    h.close();
  }
  return report;
}

/** A config-shaped JSON value: mostly near-valid (real plugin names, wrong and hostile options), some anything. */
function configArbitrary() {
  const names = builtinPlugins.map((p) => p.name);
  const anyJson = fc.jsonValue({ maxDepth: 3 });
  const hostileObject = fc.dictionary(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 12 })), anyJson, { maxKeys: 5 });
  const plugin = fc.oneof(
    fc.record({ use: fc.constantFrom(...names) }),
    fc.tuple(fc.constantFrom(...names), hostileObject).map(([use, rest]) => ({ ...rest, use })),
    hostileObject,
    anyJson,
  );
  const pipeline = fc.record(
    { sources: fc.array(plugin, { maxLength: 3 }), parsers: fc.array(plugin, { maxLength: 2 }), transforms: fc.array(plugin, { maxLength: 2 }), sinks: fc.array(plugin, { maxLength: 3 }), capacity: anyJson, overflow: anyJson, onParseError: anyJson },
    { requiredKeys: [] },
  );
  return fc.oneof(
    fc.record({ pipelines: fc.dictionary(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 12 })), pipeline, { maxKeys: 3 }) }, { requiredKeys: [] }),
    fc.tuple(hostileObject, fc.dictionary(fc.string({ maxLength: 8 }), pipeline, { maxKeys: 2 })).map(([rest, pipelines]) => ({ ...rest, pipelines })),
    anyJson,
  );
}

/**
 * The JSON config: the text is parsed as the loader parses a `logsim.config.json` (so `__proto__`
 * is an own key), then validated. Each input is valid or refused with lines that name where, with
 * no stack trace; nothing throws; Object.prototype is untouched.
 */
export function fuzzConfig(runs: number, seed?: number): FuzzReport {
  const registry = new Map(builtinPlugins.map((p) => [p.name, p]));
  const report: FuzzReport = { cases: 0, problems: [], outcomes: {} };
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort().join();
  fc.assert(
    fc.property(configArbitrary(), fc.boolean(), (value, protoKeys) => {
      report.cases++;
      // Raw JSON with a real "__proto__" key, as a hand-written file would have it.
      let text = JSON.stringify(value) ?? "null";
      if (protoKeys) text = text.replaceAll('"constructor":', '"__proto__":');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return;
      }
      const started = performance.now();
      let lines: string[];
      try {
        const result = validateConfig(parsed, { registry, normalizePath: (p) => `/cfg/${p}` });
        count(report, result.isOk() ? "ok" : "invalid");
        lines = result.isOk() ? [] : formatError({ ...result.error, path: "/cfg/logsim.config.json" });
      } catch (error) {
        report.problems.push(`validateConfig threw ${String(error).slice(0, 200)} on ${show(text)}`);
        return;
      }
      const ms = performance.now() - started;
      if (ms > 2000) report.problems.push(`validation took ${Math.round(ms)} ms on ${show(text)}`);
      for (const line of lines) {
        if (/\n\s+at |^\s+at /.test(line)) report.problems.push(`a stack trace in ${show(line)}`);
        if (line.trim() === "") report.problems.push(`an empty error line for ${show(text)}`);
      }
      const polluted = Object.getOwnPropertyNames(Object.prototype).sort().join();
      if (polluted !== prototypeKeys || ({} as Record<string, unknown>).use !== undefined) report.problems.push(`Object.prototype changed after ${show(text)}`);
    }),
    { numRuns: runs, seed },
  );
  return report;
}

/** One line per problem (the first ten), for an assertion message. */
export const describeProblems = (name: string, report: FuzzReport) =>
  `${name}: ${report.problems.length} problems in ${report.cases} cases (outcomes ${JSON.stringify(report.outcomes)}):\n${report.problems.slice(0, 10).join("\n")}`;
