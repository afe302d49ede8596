/**
 * A realistic mix of log messages for the redact test and benchmark: most
 * carry no secret (as in production), some carry one of each kind, some carry
 * look-alikes that must stay (order ids, timestamps, trace ids, prose).
 * Deterministic: the same seed gives the same messages.
 */

/** A small seeded PRNG (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Mixed {
  messages: string[];
  /** Per message, the secrets planted in it: none may survive redaction. */
  secrets: string[][];
  /** Per message, the look-alikes planted in it: all must survive. */
  keep: string[][];
}

/** The check digit that makes `body` pass the Luhn test. */
function luhnDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

const CARDS = ["4111111111111111", "5555 5555 5555 4444", "3782-822463-10005", "6011111111111117"];

export function mixedMessages(n: number, seed = 1): Mixed {
  const r = random(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const hex = (len: number) => Array.from({ length: len }, () => "0123456789abcdef"[int(0, 15)]).join("");
  let secrets: string[] = [];
  let keep: string[] = [];
  const secret = (s: string) => (secrets.push(s), s);
  const kept = (s: string) => (keep.push(s), s);
  /** A 16-digit order id with a Visa prefix whose check digit is wrong: a card pattern matches it, Luhn refuses it. */
  const orderId = () => {
    const body = String(4_000_000_000_000_00 + int(0, 99_999_999));
    return body + ((luhnDigit(body) + int(1, 9)) % 10);
  };
  const templates: Array<() => string> = [
    // No secret: most traffic.
    () => `GET /api/v1/products/sku-${int(10000, 99999)} 200 ${int(2, 300)}ms trace_id=${kept(hex(32))}`,
    () => `Downstream call completed downstream=catalog-service latency_ms=${int(1, 90)} status=200`,
    () => `Job finished job=reindex_search job_id=j-${hex(10)} duration_ms=${int(100, 9000)}`,
    () => `order ${kept(orderId())} shipped at ts=${kept(String(1_764_400_000_000 + int(0, 9_999_999)))}`,
    () => `Token refreshed for user u-${int(1000, 1999)}; max_tokens=${int(1, 500)}`,
    () => `User logged in user_id=u-${int(1000, 1999)} ip=${int(11, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`,
    () => `cache miss key=product:${int(1, 99999)} region=eu-west-1`,
    () => `Payment authorized amount=${int(1, 999)}.${int(10, 99)} currency=EUR order=o-${hex(10)}`,
    // One secret each.
    () => `User logged in session_token=${secret(hex(24))} user_id=u-${int(1000, 1999)}`,
    () => `password reset sent to ${secret(`user${int(1, 9999)}@example${int(1, 9)}.com`)}`,
    () => `charge ok card=${secret(CARDS[int(0, CARDS.length - 1)]!)} amount=${int(1, 999)}`,
    () => `db pool connected postgres://shop:${secret(`pw${hex(8)}`)}@db.internal:5432/orders`,
    () => `upstream call Authorization: Bearer ${secret(`${hex(16)}.${hex(16)}`)}`,
    () => `login failed user=u-${int(1000, 1999)} password=${secret(`Hunter${int(10, 99)}!`)} attempt=${int(1, 5)}`,
    () => `GET /callback?code=x&api_key=${secret(hex(20))}&page=${int(1, 9)} 302`,
    () => `id_token=${secret(`eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTEwMzQiLCJpYXQiOj${hex(8)}.${hex(43)}`)}`,
  ];
  const planted: Mixed = { messages: [], secrets: [], keep: [] };
  for (let i = 0; i < n; i++) {
    secrets = [];
    keep = [];
    // 3 in 4 messages without a secret.
    planted.messages.push(templates[r() < 0.75 ? int(0, 7) : int(8, templates.length - 1)]!());
    planted.secrets.push(secrets);
    planted.keep.push(keep);
  }
  return planted;
}
