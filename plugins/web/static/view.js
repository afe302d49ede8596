// DOM helpers for the dashboard. Log content is untrusted: it only ever
// becomes text nodes (textContent / createTextNode), never markup, and
// control characters are shown as visible escapes so that ANSI sequences,
// bidi overrides and line separators stay inert.

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A string with control characters replaced by `\uXXXX`, cut to `max`
 * characters; `oneLine` also shows line breaks as `\n` (for table rows).
 */
export function visible(value, max = 2000, oneLine = false) {
  let text = typeof value === "string" ? value : JSON.stringify(value, null, 2) ?? String(value);
  if (text.length > max) text = `${text.slice(0, max)}… (${text.length} chars)`;
  text = text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return oneLine ? text.replace(/\r/g, "\\r").replace(/\n/g, "\\n").replace(/\t/g, " ") : text;
}

/**
 * Creates an element. `props` may set className, id, title and dataset
 * entries only; children are nodes or strings (always text).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.title) node.title = visible(props.title);
  if (props.data) for (const [k, v] of Object.entries(props.data)) node.dataset[k] = String(v);
  for (const child of children) {
    if (child === undefined || child === null) continue;
    node.append(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
  return node;
}

/** A table from column headers and rows of cells (strings, numbers or nodes). */
export function table(headers, rows, numeric = []) {
  const head = el("tr", {}, ...headers.map((h, i) => el("th", { className: numeric.includes(i) ? "num" : "" }, h)));
  const body = rows.map((cells) => el("tr", {}, ...cells.map((c, i) => el("td", { className: numeric.includes(i) ? "num" : "" }, c))));
  return el("table", {}, el("thead", {}, head), el("tbody", {}, ...body));
}

/** Replaces the children of the element with id `id`. */
export function fill(id, ...nodes) {
  const target = document.getElementById(id);
  if (target) target.replaceChildren(...nodes.filter(Boolean));
}

export const fmtNum = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : String(Math.round(n)));
export const fmtRate = (n) => (n >= 100 ? fmtNum(n) : n.toFixed(1)) + "/s";
export const fmtBytes = (n) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);
export const fmtTime = (ms) => new Date(ms).toISOString().slice(11, 23);
