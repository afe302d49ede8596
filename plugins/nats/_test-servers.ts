/**
 * Real nats-server processes for tests and benchmarks: a single JetStream node, or a cluster
 * of n nodes on loopback. Every wait is for a condition (the /healthz endpoint, a process exit)
 * with a deadline; `stop` kills every process it started.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { join } from "node:path";

/** Why nats-server cannot run here, or undefined when it can. */
export function natsServerMissing(): string | undefined {
  const run = spawnSync("nats-server", ["--version"], { encoding: "utf8" });
  if (run.error || run.status !== 0) return "nats-server is not installed: run `bash scripts/setup.sh` (or apt-get install nats-server)";
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `every` ms until true; throws after `ms`. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, ms = 20_000, every = 25): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await pause(every);
  }
}

/**
 * A NATS server that connects clients (INFO, PONG to every PING) and never answers a request: a
 * JetStream request to it waits out its timeout, as one does on a cluster too busy to answer in time.
 */
export async function startSilentNatsServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    const info = { server_id: "silent", server_name: "silent", version: "2.10.0", proto: 1, headers: true, max_payload: 1_048_576, jetstream: true };
    socket.write(`INFO ${JSON.stringify(info)}\r\n`);
    let pending = "";
    socket.on("data", (data) => {
      pending += data.toString("latin1");
      const lines = pending.split("\r\n");
      pending = lines.pop()!;
      for (const line of lines) if (line === "PING") socket.write("PONG\r\n");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `nats://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface NatsServer {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly monitorPort: number;
  readonly running: boolean;
  /** Starts the process (again, with the same config and store) and waits until it is healthy. */
  start(): Promise<void>;
  /** SIGKILL, and waits for the exit. */
  kill(): Promise<void>;
  /** SIGTERM, SIGKILL after 5 s; waits for the exit. */
  stop(): Promise<void>;
  log(): string;
}

interface ServerSetup {
  name: string;
  port: number;
  monitorPort: number;
  args: string[];
  /** Health to wait for: "js" waits for JetStream (a clustered node also for its peers, up to the deadline). */
  health: "server" | "js";
}

/** How long a server may take to be healthy after a start or restart. */
const START_MS = 60_000;

function natsServer(setup: ServerSetup): NatsServer {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = "";
  const healthy = async () => {
    try {
      const path = setup.health === "js" ? "/healthz?js-enabled-only=true" : "/healthz";
      const response = await fetch(`http://127.0.0.1:${setup.monitorPort}${path}`);
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  };
  const server: NatsServer = {
    name: setup.name,
    url: `nats://127.0.0.1:${setup.port}`,
    port: setup.port,
    monitorPort: setup.monitorPort,
    get running() {
      return child !== undefined;
    },
    async start() {
      if (child) return;
      const proc = spawn("nats-server", setup.args, { stdio: ["ignore", "pipe", "pipe"] });
      child = proc;
      const keep = (d: Buffer) => void (output = (output + d.toString()).slice(-20_000));
      proc.stdout!.on("data", keep);
      proc.stderr!.on("data", keep);
      exited = new Promise((resolve) => proc.once("exit", () => resolve()));
      void exited.then(() => {
        if (child === proc) child = undefined;
      });
      await waitUntil(`nats-server ${setup.name} on port ${setup.port} to be healthy (log: ${output.slice(-500)})`, async () => {
        if (!child) throw new Error(`nats-server ${setup.name} exited: ${output.slice(-1000)}`);
        return healthy();
        // A JetStream node restarted under load recovers its streams before it is healthy: with two test
        // suites on the 2 cores, a killed stream leader took over 20 s to come back (once).
      }, START_MS);
    },
    async kill() {
      const proc = child;
      if (!proc) return;
      proc.kill("SIGKILL");
      await exited;
    },
    async stop() {
      const proc = child;
      if (!proc) return;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
    log: () => output,
  };
  return server;
}

/**
 * A port is only free when asked: another process (a second test run) may bind it before nats-server does.
 * Such a start is tried again on other ports, up to 3 times.
 */
async function onFreshPorts<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= 3 || !/address already in use/.test((error as Error).message)) throw error;
    }
  }
}

/** One JetStream node on free loopback ports, started. Extra nats-server args (`--auth TOKEN`) may be given. */
export function startNatsServer(dir: string, options: { jetstream?: boolean; args?: string[] } = {}): Promise<NatsServer> {
  return onFreshPorts(() => startNatsServerOnce(dir, options));
}

async function startNatsServerOnce(dir: string, options: { jetstream?: boolean; args?: string[] }): Promise<NatsServer> {
  const [port, monitorPort] = [await freePort(), await freePort()];
  const js = options.jetstream ?? true;
  const args = ["-a", "127.0.0.1", "-p", String(port), "-m", String(monitorPort), ...(js ? ["-js", "-sd", join(dir, `store-${port}`)] : []), ...(options.args ?? [])];
  const server = natsServer({ name: `single-${port}`, port, monitorPort, args, health: js ? "js" : "server" });
  await server.start();
  return server;
}

export interface NatsCluster {
  readonly servers: NatsServer[];
  /** Every node's URL, comma-separated: what clients are given. */
  readonly url: string;
  byName(name: string): NatsServer;
  stop(): Promise<void>;
}

/** The config file of one cluster node (also what examples/nats/cluster/ holds, with fixed ports). */
export function clusterNodeConfig(node: { name: string; port: number; monitorPort: number; clusterPort: number; storeDir: string }, routes: number[], clusterName = "logsim"): string {
  return [
    `server_name: ${node.name}`,
    `listen: 127.0.0.1:${node.port}`,
    `http: 127.0.0.1:${node.monitorPort}`,
    `jetstream { store_dir: "${node.storeDir}" }`,
    `cluster {`,
    `  name: ${clusterName}`,
    `  listen: 127.0.0.1:${node.clusterPort}`,
    `  routes: [${routes.map((p) => `nats-route://127.0.0.1:${p}`).join(", ")}]`,
    `}`,
    "",
  ].join("\n");
}

/** n nodes with JetStream, routed to each other, started and healthy. */
export function startNatsCluster(dir: string, n = 3): Promise<NatsCluster> {
  return onFreshPorts(() => startNatsClusterOnce(dir, n));
}

async function startNatsClusterOnce(dir: string, n: number): Promise<NatsCluster> {
  const nodes: Array<{ name: string; port: number; monitorPort: number; clusterPort: number; storeDir: string }> = [];
  for (let i = 1; i <= n; i++) nodes.push({ name: `n${i}`, port: await freePort(), monitorPort: await freePort(), clusterPort: await freePort(), storeDir: join(dir, `n${i}`) });
  const servers = nodes.map((node) => {
    mkdirSync(node.storeDir, { recursive: true });
    const file = join(dir, `${node.name}.conf`);
    writeFileSync(file, clusterNodeConfig(node, nodes.filter((o) => o !== node).map((o) => o.clusterPort)));
    return natsServer({ name: node.name, port: node.port, monitorPort: node.monitorPort, args: ["-c", file], health: "server" });
  });
  const cluster: NatsCluster = {
    servers,
    url: servers.map((s) => s.url).join(","),
    byName: (name) => servers.find((s) => s.name === name) ?? (() => { throw new Error(`no node ${name}`); })(),
    stop: async () => void (await Promise.all(servers.map((s) => s.stop()))),
  };
  try {
    await Promise.all(servers.map((s) => s.start()));
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}
