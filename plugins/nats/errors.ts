/**
 * One line per NATS failure, saying what happened and what to fix. The pipeline stamps
 * it with the plugin's name and id ("Plugin "nats" (pipelines.agent.sinks[0]) failed in create: ...").
 */
export interface ErrorScene {
  url?: string;
  stream?: string;
  subject?: string;
}

const nameOf = (error: unknown): string => (error instanceof Error ? error.constructor.name || error.name : "");
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function explainNatsError(error: unknown, scene: ErrorScene): string {
  const name = nameOf(error);
  const message = messageOf(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : "";
  const at = scene.url ? ` at ${scene.url}` : "";
  if (name === "AuthorizationError" || /authorization violation|authentication/i.test(message)) {
    return `the NATS server${at} rejected the credentials: check token, user/password or credsFile`;
  }
  if (/refused|ENOTFOUND|EAI_AGAIN|getaddrinfo|timeout|TIMEOUT/i.test(`${message} ${cause}`) && name !== "StreamNotFoundError") {
    return `cannot reach a NATS server${at} (${cause || message}): check url and that nats-server is running`;
  }
  if (name === "JetStreamNotEnabled" || /jetstream is not enabled/i.test(message)) {
    return `JetStream is not enabled on the NATS server${at}: start nats-server with -js (or a jetstream {} block)`;
  }
  if (name === "StreamNotFoundError" && /no stream matches subject/i.test(message)) {
    return `no stream covers subject ${scene.subject ?? "?"}: add it to the stream's subjects or change the subject option`;
  }
  if (name === "StreamNotFoundError") {
    return `stream ${scene.stream ?? "?"} does not exist${at}: check the stream name${scene.subject === undefined ? "" : " or let the sink create it (stream.create)"}`;
  }
  if (/tls|certificate|SSL/i.test(`${message} ${cause}`)) return `TLS failed with the NATS server${at} (${cause || message}): check the tls options`;
  return `NATS${at}: ${message}${cause && cause !== message ? ` (${cause})` : ""}`;
}

/** A request that got no answer in time (the connection itself is up). */
export function isTimeout(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  return nameOf(error) === "TimeoutError" || nameOf(cause) === "TimeoutError" || /^timeout$/i.test(messageOf(error));
}

/**
 * A failed setup request (stream or consumer) on a connection that is up: a timeout says the server was
 * reached but did not answer in time, which `connectTimeout` bounds; anything else as `explainNatsError`.
 */
export function explainSetupError(error: unknown, scene: ErrorScene, timeoutMs: number): string {
  if (!isTimeout(error)) return explainNatsError(error, scene);
  const at = scene.url ? ` at ${scene.url}` : "";
  return `the NATS server${at} did not answer a JetStream request within ${timeoutMs} ms: a busy cluster may need longer (raise connectTimeout)`;
}

/** Failures a retry with the same message id can get past: the cluster or the stream leader is away. */
export function isRetryable(error: unknown): boolean {
  const name = nameOf(error);
  if (name === "InvalidArgumentError" || name === "AuthorizationError" || name === "PermissionViolationError") return false;
  return true;
}
