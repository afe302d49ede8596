/** The numbered events of the multiline end-to-end tests: one line, or a log line and its Python traceback. */

/** Event `n` as written: every third one a traceback of 2 to 81 frame lines, the rest one line. */
export function eventText(n: number): string {
  const ts = `2026-11-29T13:00:00.${String(n % 1000).padStart(3, "0")}Z`;
  if (n % 3 !== 0) return `${ts} INFO event ${n} ok`;
  const lines = [`${ts} ERROR event ${n} failed`, "Traceback (most recent call last):"];
  for (let i = 0; i <= n % 40; i++) lines.push(`  File "/srv/app/e${n}.py", line ${i + 1}, in step_${i}`, `    step_${i + 1}(event_${n})`);
  lines.push(`ValueError: event ${n} ends`);
  return lines.join("\n");
}

/** The message the plain-text parser makes of event `n`: its text after the time and level. */
export const eventMessage = (n: number): string => eventText(n).replace(/^\S+ \S+ /, "");
