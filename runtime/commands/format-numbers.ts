/** How the CLI shows numbers, the same in every command's progress and summary. */

/** A count with thousands separators: 100000 -> "100,000". */
export const formatCount = (n: number): string => Math.round(n).toLocaleString("en-US");

const UNITS = ["KiB", "MiB", "GiB", "TiB"];

/** A size in bytes, in binary units past 1 KiB: 512 -> "512 B", 37458662 -> "35.7 MiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${formatCount(n)} B`;
  let value = n;
  let unit = -1;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : formatCount(value)} ${UNITS[unit]}`;
}

/** A remaining time for an ETA: "42s", "3m05s", "2h10m". */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
