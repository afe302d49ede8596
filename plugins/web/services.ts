/**
 * The services in the tap's ring with how many records each has, most first:
 * what /api/services answers, so the page can offer the names that exist
 * instead of letting a user guess them.
 */
import type { Ring } from "./ring.ts";

export interface ServiceCount {
  name: string;
  count: number;
}

export interface ServiceSummary {
  services: ServiceCount[];
  /** Distinct service names seen, also those beyond `max`. */
  distinct: number;
  /** Records held without a service. */
  unnamed: number;
  /** Records counted (all held unless `partial`). */
  scanned: number;
  /** The scan stopped at its time budget: counts cover the newest `scanned` records only. */
  partial: boolean;
}

/** Counts the services of the records held; `max` bounds the answer (names are log content: there may be thousands). */
export function countServices(ring: Ring, max: number, budgetMs?: number, now?: () => number): ServiceSummary {
  const counts = new Map<string, number>();
  let unnamed = 0;
  const { scanned, partial } = ring.scan(
    ({ record }) => {
      if (record.service === undefined || record.service === "") unnamed++;
      else counts.set(record.service, (counts.get(record.service) ?? 0) + 1);
    },
    budgetMs,
    now,
  );
  const services = [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, max);
  return { services, distinct: counts.size, unnamed, scanned, partial };
}
