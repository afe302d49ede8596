/**
 * Where a runtime's worker entry (`runtime/<name>/worker.ts`) is. From the sources it is beside the
 * adapter; in the built package (dist/) the adapter may be bundled into `dist/runtime/<name>/main.js`
 * (beside the built worker) or into a shared chunk at the root of dist/: the first file that exists wins.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function workerEntry(adapterUrl: string, runtime: "bun" | "deno" | "node"): URL {
  const candidates = adapterUrl.endsWith(".ts") ? ["./worker.ts"] : ["./worker.js", `./runtime/${runtime}/worker.js`, `../runtime/${runtime}/worker.js`];
  const urls = candidates.map((c) => new URL(c, adapterUrl));
  return urls.find((url) => url.protocol !== "file:" || existsSync(fileURLToPath(url.href))) ?? urls[0]!;
}
