// The live tail's filter bar: its fields, their state in the page URL (a
// filtered view can be shared or reloaded), inline errors from the API, the
// pipeline choices and the services seen so far.
import { visible } from "./view.js";

/** Query parameters the API filters by, in the order the URL shows them. */
export const FILTERS = ["level", "pipeline", "service", "tag", "q", "re"];
/** Fields that show their own error text (others show it in the connection badge). */
const ERROR_TARGETS = { re: "f-re-error" };

const $ = (id) => document.getElementById(id);

/** Fields whose spaces are meaningful: a text or pattern is sent as typed. */
const AS_TYPED = new Set(["q", "re"]);

/** The filters as typed (names trimmed), empty ones left out. */
export function filterParams() {
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    const raw = $(`f-${name}`).value;
    const value = AS_TYPED.has(name) ? raw : raw.trim();
    if (value) params.set(name, value);
  }
  return params;
}

/** Fills the fields from the page URL's query (a shared or reloaded view). */
export function restoreFromUrl() {
  const query = new URLSearchParams(location.search);
  for (const name of FILTERS) {
    const value = query.get(name);
    if (value === null) continue;
    const field = $(`f-${name}`);
    // A pipeline named in a shared link may not be listed yet: offer it, so the select can hold it.
    if (field instanceof HTMLSelectElement && ![...field.options].some((o) => o.value === value)) {
      if (name !== "pipeline") continue;
      field.append(new Option(visible(value, 80), value));
    }
    field.value = value;
  }
}

/** Puts the applied filters in the address bar without adding a history entry per keystroke. */
export function saveToUrl(applied) {
  const url = applied ? `${location.pathname}?${applied}` : location.pathname;
  if (url !== `${location.pathname}${location.search}`) history.replaceState(null, "", url);
}

/**
 * Shows the API's reason a filter was refused next to its field (or nowhere
 * when `error` is undefined): the field is marked invalid for assistive
 * technology and the text is in a polite live region it is described by.
 */
export function showFilterError(error) {
  for (const name of FILTERS) $(`f-${name}`).removeAttribute("aria-invalid");
  for (const id of Object.values(ERROR_TARGETS)) $(id).textContent = "";
  if (!error) return false;
  const field = $(`f-${error.param}`);
  if (field) field.setAttribute("aria-invalid", "true");
  const target = ERROR_TARGETS[error.param];
  if (target) $(target).textContent = visible(error.message, 300, true);
  return target !== undefined;
}

/** Keeps the pipeline select's options to the app's pipelines (and the one selected, even if gone). */
export function setPipelines(names) {
  const select = $("f-pipeline");
  const wanted = ["", ...names];
  if (select.value && !names.includes(select.value)) wanted.push(select.value);
  const current = [...select.options].map((o) => o.value);
  if (current.length === wanted.length && current.every((v, i) => v === wanted[i])) return;
  const selected = select.value;
  select.replaceChildren(...wanted.map((name) => new Option(name ? visible(name, 80) : "any", name)));
  select.value = selected;
}

let services = { services: [], distinct: 0 };
let fetchedAt = 0;

/** Refreshes the service pick-list from /api/services, at most once a second. */
export async function refreshServices(force = false) {
  if (!force && Date.now() - fetchedAt < 1000) return;
  fetchedAt = Date.now();
  try {
    const response = await fetch("/api/services", { credentials: "same-origin" });
    if (!response.ok) return;
    services = await response.json();
  } catch {
    return; // the next focus or keystroke asks again
  }
  $("f-service-list").replaceChildren(
    ...services.services.map((s) => new Option(`${s.count} recent`, s.name)),
  );
  updateServiceHint();
}

/** The same rule as the API: a case-insensitive substring, or `=name` for the exact name. */
function serviceMatches(query, name) {
  return query.startsWith("=") ? name === query.slice(1) : name.toLowerCase().includes(query.toLowerCase());
}

/** Says which of the recent services the service filter matches, so an empty tail is explained. */
export function updateServiceHint() {
  const query = $("f-service").value.trim();
  const names = services.services.map((s) => s.name);
  let text = "";
  if (query && names.length > 0) {
    const matched = names.filter((name) => serviceMatches(query, name));
    const listed = matched.slice(0, 3).map((name) => visible(name, 40, true)).join(", ");
    const more = matched.length > 3 ? ` and ${matched.length - 3} more` : "";
    text = matched.length === 0 ? `No recent service matches "${visible(query, 40, true)}" (${names.length} seen: pick one from the list).` : `Service matches ${listed}${more}.`;
  }
  $("f-service-hint").textContent = text;
}
