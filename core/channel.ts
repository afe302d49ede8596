/**
 * A bounded FIFO channel between a pipeline's sources and its processing
 * loop. When it is full, `send` waits (backpressure: a slow sink pauses the
 * sources) or, with the drop-newest policy, refuses and the caller counts it.
 */
export type OverflowPolicy = "block" | "drop-newest";

export class Channel<T> {
  readonly #capacity: number;
  readonly #items: T[] = [];
  #head = 0;
  #closed = false;
  /** Senders waiting for room, and receivers waiting for an item. */
  #senders: Array<() => void> = [];
  #receivers: Array<(item: T | undefined) => void> = [];

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("Channel capacity must be a positive integer");
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Adds an item, waiting while the channel is full. Returns false if the channel was closed. */
  async send(item: T): Promise<boolean> {
    while (!this.#closed && this.size >= this.#capacity && this.#receivers.length === 0) {
      await new Promise<void>((resolve) => this.#senders.push(resolve));
    }
    return this.trySend(item);
  }

  /** Adds an item if there is room now. Returns false when full or closed. */
  trySend(item: T): boolean {
    if (this.#closed) return false;
    const receiver = this.#receivers.shift();
    if (receiver) {
      receiver(item);
      return true;
    }
    if (this.size >= this.#capacity) return false;
    this.#items.push(item);
    return true;
  }

  /** Takes the oldest item, waiting for one. Resolves undefined once closed and empty. */
  receive(): Promise<T | undefined> {
    if (this.size > 0) return Promise.resolve(this.#take());
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#receivers.push(resolve));
  }

  /** Takes the oldest item if there is one, without waiting. */
  tryReceive(): T | undefined {
    return this.size > 0 ? this.#take() : undefined;
  }

  /** No more sends; receivers still get what is queued, then undefined. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const receiver of this.#receivers.splice(0)) receiver(undefined);
    for (const sender of this.#senders.splice(0)) sender();
  }

  #take(): T {
    const item = this.#items[this.#head]!;
    this.#items[this.#head++] = undefined as T;
    // Compact now and then instead of shift() per item (O(n) each).
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items.splice(0, this.#head);
      this.#head = 0;
    }
    this.#senders.shift()?.();
    return item;
  }
}
