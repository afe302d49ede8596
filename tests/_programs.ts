/**
 * For tests: the real programs that write syslog and journal lines (util-linux `logger`, rsyslogd,
 * systemd-journal-remote, journalctl), found on the PATH or where scripts/setup.sh unpacks their
 * Debian packages (.tools/deb/<package>), and a unix datagram socket to catch what `logger` sends.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT, waitFor } from "./_helpers.ts";

const DEB = join(ROOT, ".tools", "deb");
const LIB = "usr/lib/x86_64-linux-gnu";

/** A program to run: its path and the environment its unpacked libraries need. */
export interface Program {
  bin: string;
  env: Record<string, string>;
}

/** The absolute path of a command on the PATH, or undefined. */
export function which(command: string): string | undefined {
  const r = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" });
  const path = r.status === 0 ? r.stdout.trim() : "";
  return path.startsWith("/") ? path : undefined;
}

/** A program from the PATH or from .tools/deb/<pkg>/<path>, with that package's libraries. */
function program(command: string, pkg: string, path: string): Program | undefined {
  const onPath = which(command);
  if (onPath) return { bin: onPath, env: {} };
  const bin = join(DEB, pkg, path);
  if (!existsSync(bin)) return undefined;
  const libs = [join(DEB, pkg, LIB), process.env.LD_LIBRARY_PATH].filter(Boolean).join(":");
  return { bin, env: { LD_LIBRARY_PATH: libs } };
}

export const rsyslogd = () => program("rsyslogd", "rsyslog", "usr/sbin/rsyslogd");
/** rsyslog's module folder (from the Debian package, or the system's). */
export const rsyslogModules = (p: Program) => (p.bin.startsWith(DEB) ? join(DEB, "rsyslog", LIB, "rsyslog") : `/${LIB}/rsyslog`);
export const journalRemote = () => program("systemd-journal-remote", "systemd-journal-remote", "lib/systemd/systemd-journal-remote") ?? (existsSync("/lib/systemd/systemd-journal-remote") ? { bin: "/lib/systemd/systemd-journal-remote", env: {} } : undefined);

/** Runs a program to its end; throws with its stderr when it fails. */
export function run(bin: string, args: string[], opts: { env?: Record<string, string>; input?: string | Uint8Array } = {}): string {
  const r = spawnSync(bin, args, { env: { ...process.env, ...opts.env }, input: opts.input, encoding: "utf8", timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(" ")} exited ${r.status}: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

const RECEIVER = `
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("ready", flush=True)
s.settimeout(120)
while True:
    print(json.dumps(s.recv(1 << 20).decode("utf-8", "surrogateescape")), flush=True)
`;

/** A unix datagram socket at `path` (python3 binds it); `datagrams` fills as they arrive. */
export async function datagramSocket(path: string): Promise<{ datagrams: string[]; wait(n: number): Promise<void>; close(): void }> {
  const child: ChildProcess = spawn("python3", ["-c", RECEIVER, path], { stdio: ["ignore", "pipe", "inherit"] });
  const datagrams: string[] = [];
  let ready = false;
  let rest = "";
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop()!;
    for (const l of lines) {
      if (l === "ready") ready = true;
      else datagrams.push(JSON.parse(l) as string);
    }
  });
  const close = () => void child.kill("SIGKILL");
  try {
    await waitFor(() => ready, 30_000, "python3 to bind the socket");
  } catch (error) {
    close();
    throw error;
  }
  return { datagrams, wait: (n) => waitFor(() => datagrams.length >= n, 30_000, `${n} datagrams`), close };
}

/** A journal field: its name and value (text or bytes). */
export type JournalField = [name: string, value: string | Uint8Array];

/** Journal entries in the export format (systemd's JOURNAL_EXPORT_FORMATS): binary fields with a length. */
export function journalExport(entries: JournalField[][]): Uint8Array {
  const parts: Uint8Array[] = [];
  const text = new TextEncoder();
  for (const entry of entries) {
    for (const [name, value] of entry) {
      if (typeof value === "string" && !value.includes("\n")) parts.push(text.encode(`${name}=${value}\n`));
      else {
        const bytes = typeof value === "string" ? text.encode(value) : value;
        const size = new Uint8Array(8);
        new DataView(size.buffer).setBigUint64(0, BigInt(bytes.length), true);
        parts.push(text.encode(`${name}\n`), size, bytes, text.encode("\n"));
      }
    }
    parts.push(text.encode("\n"));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
}
