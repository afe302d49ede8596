/**
 * What the redact transform finds, by kind. Most kinds are a fragment of a
 * combined regular expression (one pass over the text finds them all), with
 * a function that says what of the match to replace; emails and cards are
 * found by a scan of their own. The fragments are
 * written so no input can make them backtrack far: every repetition is
 * bounded or cannot overlap what follows it.
 */
/** The kinds of secrets and personal data the transform knows. */
export const REDACT_KINDS = ["url-credentials", "jwt", "api-tokens", "bearer", "secret-pairs", "session", "email", "card"] as const;
export type RedactKind = (typeof REDACT_KINDS)[number];

/** The kinds found by a regular expression; emails and cards are found by a scan (see email.ts, card.ts). */
export type RegexKind = Exclude<RedactKind, "email" | "card">;

/** Replaces a match: returns the text to put in its place (the match itself to keep it). */
export type Replace = (match: string, groups: Record<string, string | undefined>, secret: string) => string;

interface KindRule {
  /** A fragment of the combined pattern; its named groups are unique across kinds. */
  pattern: string;
  replace: Replace;
}

/** Keys whose values are secrets, as `key=value`, `key: value` or `"key": "value"`. No left boundary: `db_password` counts. */
export const SECRET_KEYWORDS = ["password", "passwd", "pwd", "passphrase", "secret", "token", "credentials?", "(?:api|access|secret|private|signing|encryption|master)[_-]?key", "apikey"];
/** Keys that hold session identifiers (cookies, query parameters, JSON fields). */
export const SESSION_KEYWORDS = ["session(?:[_-]?(?:id|token|key))?", "sessid", "jsessionid", "phpsessid", "connect\\.sid", "(?<![a-z])sid", "(?:csrf|xsrf)[_-]?token"];

/** A pair's value: quoted (kept quoted), bracketed (`[REDACTED]` again: redacting twice changes nothing) or up to the next delimiter. */
const PAIR_VALUE = `\\[[^\\]\\s]{1,64}\\]|"[^"\\n]{0,512}"|'[^'\\n]{0,512}'|[^\\s"'&,;)}\\]]{1,512}`;
const pair = (name: string, keywords: readonly string[]) => `(?<${name}k>(?:${keywords.join("|")})["']?\\s{0,3}[=:]\\s{0,3})(?<${name}v>${PAIR_VALUE})`;

/** Keeps the quotes of a quoted value. */
const quoted = (value: string, secret: string) => {
  const q = value[0];
  return (q === '"' || q === "'") && value.length >= 2 ? `${q}${secret}${q}` : secret;
};

/** A word after "Bearer"/"Token" is a credential when it does not read as prose: a digit or symbol in it, or 20+ characters. */
const credentialLike = (token: string) => token.length >= 20 || /[\d._~+/=-]/.test(token);

export const KIND_RULES: Readonly<Record<RegexKind, KindRule>> = {
  // scheme://user:password@host keeps the user and the host.
  "url-credentials": {
    pattern: `(?<urlh>\\b[a-z][a-z0-9+.-]{0,30}://[^\\s/?#@:"'<>]{0,256}:)(?<urlp>[^\\s/?#@"'<>]{1,256})@`,
    replace: (_m, g, secret) => `${g.urlh}${secret}@`,
  },
  jwt: { pattern: `(?<jwt>\\beyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*)`, replace: (_m, _g, secret) => secret },
  // AWS access key ids and tokens whose prefix says what they are (GitHub, Slack, Stripe, Google).
  "api-tokens": {
    pattern: `(?<tok>\\b(?:(?:AKIA|ASIA)[A-Z0-9]{16}\\b|gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}|xox[abposr]-[A-Za-z0-9-]{10,255}|[sr]k_(?:live|test)_[A-Za-z0-9]{10,255}|AIza[0-9A-Za-z_-]{35}))`,
    replace: (_m, _g, secret) => secret,
  },
  bearer: {
    pattern: `(?<bh>\\b(?:bearer|basic|token|digest)[ \\t]{1,3})(?<bt>[A-Za-z0-9._~+/=-]{8,4096})`,
    replace: (m, g, secret) => (credentialLike(g.bt!) ? `${g.bh}${secret}` : m),
  },
  "secret-pairs": { pattern: pair("sp", SECRET_KEYWORDS), replace: (_m, g, secret) => `${g.spk}${quoted(g.spv!, secret)}` },
  session: { pattern: pair("ss", SESSION_KEYWORDS), replace: (_m, g, secret) => `${g.ssk}${quoted(g.ssv!, secret)}` },
};

/** The group that tells which kind matched. */
export const KIND_GROUP: Readonly<Record<RegexKind, string>> = {
  "url-credentials": "urlp", jwt: "jwt", "api-tokens": "tok", bearer: "bt", "secret-pairs": "spv", session: "ssv",
};

/** Whether a field's name says its value is a secret (`password`, `db_password`, `sessionToken`, `api-key`, `authorization`). */
export function secretKeyTest(kinds: ReadonlySet<RedactKind>): (key: string) => boolean {
  const words = [...(kinds.has("secret-pairs") ? [...SECRET_KEYWORDS, "authorization", "cookie", "set-cookie"] : []), ...(kinds.has("session") ? SESSION_KEYWORDS.map((k) => k.replace("(?<![a-z])", "")) : [])];
  if (words.length === 0) return () => false;
  const re = new RegExp(`^(?:[a-z0-9]*[_.-]?)(?:${words.join("|")})$`, "i");
  return (key) => re.test(key);
}
