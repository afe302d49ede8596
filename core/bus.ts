/**
 * A typed event bus for control and telemetry. Records do not travel here:
 * they move through bounded channels (see channel.ts).
 */
import type { LogsimEvents } from "./events.ts";

type Listener<T> = (payload: T) => void;

/**
 * The control-plane bus (`ctx.bus`), typed by LogsimEvents.
 *
 * @example
 * ctx.bus.emit("sink:rotated", { pipeline: ctx.pipeline ?? "", plugin: ctx.id, path, lines });
 * const off = ctx.bus.on("pipeline:failed", (e) => ctx.log.warn(`${e.pipeline} failed`));
 */
export interface Bus<Events extends object = LogsimEvents> {
  /** Subscribes; the returned function unsubscribes. */
  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void;
  /** Calls every listener of `name`. A listener that throws is reported to `onListenerError`, not to the emitter. */
  emit<K extends keyof Events>(name: K, payload: Events[K]): void;
  /** Whether anyone listens: lets hot paths skip building payloads nobody reads. */
  has(name: keyof Events): boolean;
}

export function createBus<Events extends object = LogsimEvents>(
  onListenerError: (error: unknown, event: PropertyKey) => void = () => {},
): Bus<Events> {
  const listeners = new Map<keyof Events, Set<Listener<never>>>();
  return {
    on(name, listener) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener as Listener<never>);
      return () => {
        set.delete(listener as Listener<never>);
      };
    },
    emit(name, payload) {
      const set = listeners.get(name);
      if (!set) return;
      for (const listener of [...set]) {
        try {
          (listener as Listener<typeof payload>)(payload);
        } catch (error) {
          onListenerError(error, name);
        }
      }
    },
    has(name) {
      return (listeners.get(name)?.size ?? 0) > 0;
    },
  };
}
