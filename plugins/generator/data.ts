/** Generators for common data: ids, IPs, user agents, URLs, emails. Each is a pure function of the Random. */
import type { Random } from "./random.ts";

export const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  "curl/8.11.0",
  "okhttp/4.12.0",
] as const;

const FIRST = ["ada", "alan", "grace", "linus", "margaret", "ken", "barbara", "dennis", "frances", "edsger", "radia", "tim"];
const LAST = ["lovelace", "turing", "hopper", "torvalds", "hamilton", "thompson", "liskov", "ritchie", "allen", "dijkstra", "perlman", "berners-lee"];
const DOMAINS = ["example.com", "example.org", "mail.example.net", "corp.example"];
const HOSTS = ["shop.example.com", "api.example.com", "static.example.com"];
const PATHS = ["/", "/products", "/products/{id}", "/search", "/cart", "/checkout", "/account", "/help"];

export const GENERATORS = {
  uuid: (r: Random) => `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-${"89ab"[r.int(0, 3)]}${r.hex(3)}-${r.hex(12)}`,
  hex: (r: Random) => r.hex(16),
  id: (r: Random) => `id-${r.hex(10)}`,
  ipv4: (r: Random) => `${r.int(1, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`,
  ipv6: (r: Random) => `2001:db8:${r.hex(4)}:${r.hex(4)}::${r.hex(4)}`,
  user_agent: (r: Random) => r.pick(USER_AGENTS),
  url: (r: Random) => `https://${r.pick(HOSTS)}${r.pick(PATHS).replace("{id}", String(r.int(1000, 9999)))}`,
  email: (r: Random) => `${r.pick(FIRST)}.${r.pick(LAST)}${r.int(1, 99)}@${r.pick(DOMAINS)}`,
  name: (r: Random) => `${r.pick(FIRST)} ${r.pick(LAST)}`,
} as const;

export type GeneratorName = keyof typeof GENERATORS;
export const GENERATOR_NAMES = Object.keys(GENERATORS) as GeneratorName[];
