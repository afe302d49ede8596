/**
 * The pipeline's side of parallel parsing: N worker threads, each sent batches of lines
 * (wire.ts). Results come back in any order and are delivered in the order the batches
 * were submitted, one at a time (delivery writes to the sinks, which may wait): file order per
 * source and the pipeline's in-order acknowledgement hold as on one thread. At most four batches a
 * worker are in flight, so memory stays bounded (about 2 MiB a worker with the tail's 128 KiB batches) and a
 * slow sink pauses the submitter, hence the sources.
 */
import { err, ok, type Result } from "neverthrow";
import type { Clock } from "../clock.ts";
import type { Runtime, WorkerPort } from "../runtime.ts";
import type { Batch } from "../types.ts";
import type { BatchResult, FromWorker, ToWorker, WorkerSetup } from "./protocol.ts";
import { packBatch, transfers } from "./wire.ts";

export interface PoolDeps {
  runtime: Runtime;
  clock: Clock;
  /**
   * Longest a worker may take to build the plugins once its modules are loaded. Loading them is not
   * bounded (as a config file's import is not): from TypeScript sources on a busy machine it takes
   * seconds, and `deno test` type-checks a worker's modules first.
   */
  startTimeoutMs: number;
  /** Whether results should carry the records (someone watches `records:processed`). */
  wantRecords(): boolean;
  /** Writes a batch's result: called in submission order, one at a time. */
  deliver(result: BatchResult, batch: Batch): Promise<void>;
  /** Everything submitted has been delivered: the moment to flush (no fixed delay when the input is quiet). */
  idle(): void;
  /** A worker failed: the pipeline cannot go on. */
  fail(message: string): void;
  /** The buffers of line blocks a worker has decoded, for the next blocks. */
  recycle?(buffers: readonly ArrayBuffer[]): void;
}

interface InFlight {
  batch: Batch;
  worker: number;
  result?: BatchResult;
}

// Two were too few where the threads outnumber the cores (--workers 2 on 2 cores): while the thread
// that reads and submits waits for a core, a worker ran dry, and an earlier batch still parsing held
// the later ones' delivery. Bun, 1M-line workload, 4 alternating pairs: 2.84-3.01 s with two,
// 2.52-2.66 s with six; four and eight alike, sixteen slower again.
const IN_FLIGHT_PER_WORKER = 4;

export class WorkerPool {
  readonly #deps: PoolDeps;
  readonly #workers: WorkerPort[] = [];
  readonly #load: number[] = [];
  readonly #inFlight = new Map<number, InFlight>();
  #submitted = 0;
  #delivered = 0;
  /** Result buffers the sinks are done with, sent back with the next batch (giveBack). */
  #returned: ArrayBuffer[] = [];
  #delivering = false;
  #failed = false;
  /** Started: from now on a failure fails the pipeline (before, start() reports it). */
  #started = false;
  /** Waiting for room (submit) or for everything delivered (drain). */
  #waiters: Array<() => void> = [];

  private constructor(deps: PoolDeps) {
    this.#deps = deps;
  }

  /** Starts `size` workers and waits until each has built the pipeline's plugins. */
  static async start(size: number, setup: WorkerSetup, deps: PoolDeps): Promise<Result<WorkerPool, string>> {
    const startWorker = deps.runtime.startWorker;
    if (!startWorker) return err(`the ${deps.runtime.name} runtime adapter cannot start threads`);
    const pool = new WorkerPool(deps);
    const ready: Array<Promise<string | undefined>> = [];
    for (let i = 0; i < size; i++) {
      let port: WorkerPort;
      try {
        port = startWorker.call(deps.runtime);
      } catch (cause) {
        pool.close();
        return err(`cannot start a worker thread: ${cause instanceof Error ? cause.message : String(cause)}`);
      }
      pool.#workers.push(port);
      pool.#load.push(0);
      ready.push(pool.#listen(port, i));
      port.post({ type: "setup", setup } satisfies ToWorker);
    }
    const problem = (await Promise.all(ready)).find((p) => p !== undefined);
    if (problem !== undefined) {
      pool.close();
      return err(problem);
    }
    pool.#started = true;
    return ok(pool);
  }

  get size(): number {
    return this.#workers.length;
  }

  /** Nothing submitted is waiting to be delivered. */
  get idle(): boolean {
    return this.#delivered === this.#submitted;
  }

  /** Sends a batch to the least busy worker, once fewer than two a worker are in flight. */
  async submit(batch: Batch): Promise<void> {
    while (!this.#failed && this.#submitted - this.#delivered >= this.#workers.length * IN_FLIGHT_PER_WORKER) await this.#wait();
    if (this.#failed) return;
    const seq = ++this.#submitted;
    let worker = 0;
    for (let i = 1; i < this.#load.length; i++) if (this.#load[i]! < this.#load[worker]!) worker = i;
    this.#load[worker]!++;
    this.#inFlight.set(seq, { batch, worker });
    const entries = packBatch(batch);
    const returned = this.#returned.length > 0 ? this.#returned.splice(0) : undefined;
    try {
      this.#workers[worker]!.post({ type: "batch", seq, entries, wantRecords: this.#deps.wantRecords(), ...(returned ? { returned } : {}) } satisfies ToWorker, returned ? [...transfers(entries), ...returned] : transfers(entries));
    } catch (cause) {
      this.#fail(`a batch could not be sent to a worker thread: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
  }

  /**
   * Takes back the buffer of an encoded result once its sink has written it, to send it to a worker
   * with the next batch. Left here, such buffers piled up: this thread allocates little of its own,
   * so its collector seldom runs, and it held 400-500 of them (35 MiB, Bun, 1M-line workload with
   * `--workers 2`) where 8 batches are in flight.
   */
  giveBack(buffer: ArrayBuffer): void {
    if (this.#workers.length > 0 && buffer.byteLength > 0) this.#returned.push(buffer);
  }

  /** Resolves once every submitted batch has been delivered (or the pool failed). */
  async drain(): Promise<void> {
    while (!this.#failed && !this.idle) await this.#wait();
  }

  /** Ends the threads. */
  close(): void {
    for (const worker of this.#workers.splice(0)) worker.terminate();
    this.#wake();
  }

  #wait(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }

  /** Resolves with undefined once the worker is ready, or with what went wrong. */
  #listen(port: WorkerPort, index: number): Promise<string | undefined> {
    const timer = new AbortController();
    return new Promise<string | undefined>((resolve) => {
      port.onError((message) => {
        resolve(`a worker thread failed: ${message}`);
        this.#fail(`a worker thread failed: ${message}`);
      });
      port.onMessage((raw) => {
        const message = raw as FromWorker;
        if (message.type === "loaded") {
          const ms = this.#deps.startTimeoutMs;
          void this.#deps.clock.sleep(ms, timer.signal).then((slept) => slept && resolve(`a worker thread did not build the plugins within ${ms} ms`));
        } else if (message.type === "ready") resolve(undefined);
        else if (message.type === "setup-failed") resolve(`a worker thread could not build the plugins: ${message.message}`);
        else if (message.type === "batch-failed") this.#fail(`a worker thread failed on a batch: ${message.message}`);
        else {
          if (message.spent) this.#deps.recycle?.(message.spent);
          this.#received(message.result, index);
        }
      });
    }).finally(() => timer.abort());
  }

  #received(result: BatchResult, worker: number): void {
    const entry = this.#inFlight.get(result.seq);
    if (!entry) return;
    entry.result = result;
    this.#load[worker]!--;
    void this.#deliverInOrder();
  }

  async #deliverInOrder(): Promise<void> {
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      for (let next = this.#inFlight.get(this.#delivered + 1); next?.result && !this.#failed; next = this.#inFlight.get(this.#delivered + 1)) {
        this.#inFlight.delete(this.#delivered + 1);
        try {
          await this.#deps.deliver(next.result, next.batch);
        } catch (cause) {
          this.#fail(`delivering a parsed batch failed: ${cause instanceof Error ? cause.message : String(cause)}`);
          return;
        }
        this.#delivered++;
        this.#wake();
        if (this.idle) this.#deps.idle();
      }
    } finally {
      this.#delivering = false;
    }
  }

  #fail(message: string): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#wake();
    if (this.#started) this.#deps.fail(message);
  }
}
