/** Opens a NATS connection from the plugins' options: servers, credentials, TLS; reconnects forever once connected. */
import { connect, credsAuthenticator, type NatsConnection, type NodeConnectionOptions } from "@nats-io/transport-node";
import type { PluginContext } from "../../core/mod.ts";
import { explainNatsError } from "./errors.ts";
import type { ConnectionOptions } from "./options.ts";

/** The server list: `url` may be an array or a comma-separated string (as NATS_URL often is). */
export const serverList = (url: string | string[]): string[] => (Array.isArray(url) ? url : url.split(",")).map((s) => s.trim()).filter((s) => s.length > 0);

export function connectionOptions(options: ConnectionOptions, ctx: Pick<PluginContext, "id" | "runtime">): NodeConnectionOptions {
  const o: NodeConnectionOptions = {
    servers: serverList(options.url),
    name: `logsim ${ctx.id}`,
    timeout: options.connectTimeout,
    // Once connected, a cluster that goes away is waited for: the pipeline backs up meanwhile.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    reconnectJitter: 100,
    pingInterval: 10_000,
  };
  if (options.token !== undefined) o.token = options.token;
  if (options.user !== undefined) {
    o.user = options.user;
    o.pass = options.password ?? "";
  }
  if (options.credsFile !== undefined) {
    const creds = ctx.runtime.fs.readText(options.credsFile);
    if (creds === undefined) throw new Error(`cannot read the creds file ${options.credsFile}: check credsFile`);
    o.authenticator = credsAuthenticator(new TextEncoder().encode(creds));
  }
  if (options.tls) {
    const { caFile, certFile, keyFile } = options.tls;
    o.tls = { ...(caFile ? { caFile } : {}), ...(certFile ? { certFile } : {}), ...(keyFile ? { keyFile } : {}) };
  }
  return o;
}

/** Connects, or throws one line that says what to fix. */
export async function openConnection(options: ConnectionOptions, ctx: Pick<PluginContext, "id" | "runtime">): Promise<NatsConnection> {
  try {
    return await connect(connectionOptions(options, ctx));
  } catch (error) {
    throw new Error(explainNatsError(error, { url: serverList(options.url).join(",") }));
  }
}
