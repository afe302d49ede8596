/**
 * Hides secrets in the config shown by `GET /api/config`, by two tests:
 *
 * - key names: a key made of a secret word (password, passwd, pwd, passphrase,
 *   secret, token, auth, authorization, credentials, dsn, cookie, session, jwt,
 *   bearer...) or pair (api key, access key, private key, secret key, client secret,
 *   session id, connection string...), in any case and spelling (`apiKey`,
 *   `API_KEY`, `x-api-key`). Its value is replaced whole, objects and arrays
 *   included; booleans, null and "" stay (they hold no secret), and numbers
 *   stay except under password-like words (`session: 6` is a weight, `pin: 1234`
 *   is not). A key whose words
 *   say it describes a secret rather than holds it is shown: `token_count`,
 *   `maxTokens`, `password_file`, `auth_type`, `cookieName`, `authUrl`;
 * - value shapes, in every string under any key: the password of a URL
 *   (`postgres://app:[redacted]@db/x`, and a token-like user alone), secret
 *   query parameters, `Password=...` in connection strings, Bearer/Basic
 *   credentials, PEM blocks, JWTs, AWS access key ids and well-known token
 *   prefixes (GitHub, Slack, Stripe, Google). Only the secret part is replaced.
 *
 * It walks objects and arrays to any depth; a cycle, a getter that throws or a
 * Proxy trap gives a placeholder instead of an error.
 */

export const REDACTED = "[redacted]";

const SECRET_WORDS = new Set([
  "password", "passwords", "passwd", "pwd", "pass", "passphrase", "secret", "secrets", "token", "tokens", "auth", "oauth",
  "authorization", "credential", "credentials", "creds", "dsn", "cookie", "cookies", "session", "jwt", "bearer",
  "apikey", "apikeys", "privatekey", "accesskey", "secretkey", "sessionid", "connectionstring", "connstring", "connstr", "otp", "pin",
]);
const SECRET_PAIRS = new Set(["api key", "access key", "private key", "secret key", "signing key", "encryption key", "master key", "account key", "client secret", "session id", "connection string", "conn str", "sas key"]);
/** Words that make a key describe a secret (its size, file, kind, name) rather than hold it. */
const DESCRIPTORS = new Set([
  "count", "counts", "length", "len", "size", "limit", "max", "min", "num", "ttl", "timeout", "interval", "expiry", "expires", "expiration",
  "enabled", "enable", "disabled", "required", "type", "kind", "header", "file", "path", "dir", "name", "url", "uri", "endpoint", "host",
  "method", "mode", "realm", "provider", "scheme", "strategy",
]);

/** `xApiKey`, `X-API-Key`, `x_api_key` -> ["x", "api", "key"]. */
const words = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/** Whether a key names a secret (see the module comment). */
export function isSecretKey(key: string): boolean {
  const w = words(key);
  if (w.some((x) => DESCRIPTORS.has(x))) return false;
  if (w.some((x) => SECRET_WORDS.has(x))) return true;
  return w.some((x, i) => i > 0 && SECRET_PAIRS.has(`${w[i - 1]} ${x}`));
}

const TOKENISH = /^[A-Za-z0-9._~+/=-]{20,}$/;

/** Whether a Basic credential decodes to `user:password`. */
function isBasicCredential(value: string): boolean {
  try {
    return atob(value).includes(":");
  } catch {
    return false;
  }
}

const SHAPES: Array<[RegExp, (match: string, ...groups: string[]) => string]> = [
  // PEM blocks (private keys, and certificates with them).
  [/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?(?:-----END \1-----|$)/g, () => REDACTED],
  // URL user info: scheme://user:password@ keeps the user; a token-like user alone goes.
  [/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:]*):([^\s/?#@]*)@/gi, (_m, scheme, user) => `${scheme}${user}:${REDACTED}@`],
  [/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:]+)@/gi, (m, scheme, user) => (TOKENISH.test(user) ? `${scheme}${REDACTED}@` : m)],
  // Secret query parameters: ?token=...&api_key=...
  [/([?&;])([^=&#;\s]+)=([^&#;\s]*)/g, (m, sep, name) => (isSecretKey(decodeName(name)) ? `${sep}${name}=${REDACTED}` : m)],
  // Connection strings: Password=...; pwd=...; password='...' (ADO.NET, ODBC, libpq keywords).
  [/\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|account[_-]?key|shared[_-]?access[_-]?key)(\s*=\s*)('[^']*'|"[^"]*"|[^;\s&]*)/gi, (_m, name, eq) => `${name}${eq}${REDACTED}`],
  // Authorization values.
  [/\b(Bearer|Token)\s+([A-Za-z0-9._~+/=-]{8,})/g, (m, scheme, token) => (/[\d._~+/=-]/.test(token) || token.length >= 24 ? `${scheme} ${REDACTED}` : m)],
  [/\bBasic\s+([A-Za-z0-9+/]{4,}={0,2})/g, (m, token) => (isBasicCredential(token) ? `Basic ${REDACTED}` : m)],
  // JWTs, AWS access key ids, and token prefixes that say what they are.
  [/\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, () => REDACTED],
  [/\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}\b/g, () => REDACTED],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|[sr]k_(?:live|test)_[A-Za-z0-9]{10,}|AIza[0-9A-Za-z_-]{35})/g, () => REDACTED],
];

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** Replaces the secret parts of one string (see the module comment). */
export function redactString(value: string): string {
  let out = value;
  for (const [pattern, replace] of SHAPES) out = out.replace(pattern, replace as (m: string, ...g: string[]) => string);
  return out;
}

const MAX_DEPTH = 64;

/** Hides secrets by key name and value shape, recursively (see the module comment). Never throws. */
export function redact(value: unknown): unknown {
  return walk(value, new WeakSet(), 0);
}

function walk(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === "string") return redactString(value);
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof Date) return value;
  if (value instanceof RegExp) return redactString(String(value));
  if (seen.has(value)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[too deep]";
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => walk(item, seen, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = isSecretKey(key) && holdsSecret(key, item) ? REDACTED : walk(item, seen, depth + 1);
    return out;
  } catch {
    return "[unreadable]";
  } finally {
    seen.delete(value);
  }
}

/** Words whose numbers are secrets too (a numeric password or PIN); `session: 6` is a weight, not a secret. */
const NUMERIC_SECRETS = new Set(["password", "passwd", "pwd", "pass", "passphrase", "secret", "otp", "pin"]);

/** A value under a secret key is hidden unless it cannot hold one. */
function holdsSecret(key: string, value: unknown): boolean {
  if (typeof value === "number" || typeof value === "bigint") return words(key).some((w) => NUMERIC_SECRETS.has(w));
  return value !== null && value !== undefined && typeof value !== "boolean" && value !== "";
}
