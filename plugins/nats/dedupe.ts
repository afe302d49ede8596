/** Remembers the last `capacity` message ids, oldest forgotten first: a bounded duplicate filter. */
export class RecentIds {
  readonly #capacity: number;
  readonly #ids = new Set<string>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** True when `id` was seen among the last `capacity` ids; records it otherwise. */
  seen(id: string): boolean {
    if (this.#capacity === 0) return false;
    if (this.#ids.has(id)) return true;
    this.#ids.add(id);
    // A Set iterates in insertion order: its first element is the oldest.
    if (this.#ids.size > this.#capacity) this.#ids.delete(this.#ids.values().next().value!);
    return false;
  }
}
