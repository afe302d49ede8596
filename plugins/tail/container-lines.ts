/**
 * Container runtime log lines, which split long lines into partial ones (16 KiB with Docker's
 * json-file driver and containerd's CRI format): decoding one physical line, and writing the
 * rebuilt line back in the same format.
 * - CRI: `<RFC3339Nano time> <stdout|stderr> <P|F> <content>`; P: more of the line follows.
 * - Docker json-file: `{"log":"...","stream":"stdout","time":"..."}`; a `log` without a final
 *   `\n` is continued by the next line of the same stream.
 */
export type ContainerHead = { kind: "cri"; time: string; stream: string } | { kind: "docker"; fields: Record<string, unknown>; stream: string };

export interface ContainerLine {
  head: ContainerHead;
  /** The line's text (without Docker's final `\n`). */
  content: string;
  /** More of the line follows in the next line of the same stream. */
  partial: boolean;
}

const CRI_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/;

export function decodeCri(text: string): ContainerLine | undefined {
  const a = text.indexOf(" ");
  if (a <= 0) return undefined;
  const b = text.indexOf(" ", a + 1);
  if (b < 0) return undefined;
  const stream = text.slice(a + 1, b);
  const tag = text[b + 1];
  if ((stream !== "stdout" && stream !== "stderr") || (tag !== "P" && tag !== "F")) return undefined;
  if (text.length > b + 2 && text[b + 2] !== " ") return undefined;
  const time = text.slice(0, a);
  if (!CRI_TIME.test(time)) return undefined;
  return { head: { kind: "cri", time, stream }, content: text.slice(b + 3), partial: tag === "P" };
}

export function decodeDocker(text: string): ContainerLine | undefined {
  if (text[0] !== "{") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const fields = value as Record<string, unknown>;
  // Only the two streams json-file writes: stream names key the joiner's state, which must stay bounded.
  if (typeof value !== "object" || value === null || typeof fields.log !== "string" || (fields.stream !== "stdout" && fields.stream !== "stderr")) return undefined;
  const log = fields.log;
  const partial = !log.endsWith("\n");
  return { head: { kind: "docker", fields, stream: fields.stream as string }, content: partial ? log : log.slice(0, -1), partial };
}

/** The line rebuilt from its first physical line's head and the joined content; `complete` is false when it never saw its end. */
export function encodeContainer(head: ContainerHead, content: string, complete: boolean): string {
  if (head.kind === "cri") return `${head.time} ${head.stream} ${complete ? "F" : "P"} ${content}`;
  return JSON.stringify({ ...head.fields, log: complete ? `${content}\n` : content });
}
