// The logsim dashboard: a live tail over Server-Sent Events and panels from
// /api/metrics, polled once a second. Every log value is rendered as text.
import { drawChart } from "./charts.js";
import { filterParams, refreshServices, restoreFromUrl, saveToUrl, setPipelines, showFilterError, updateServiceHint } from "./filters.js";
import { el, fill, fmtBytes, fmtNum, fmtRate, fmtTime, table, visible } from "./view.js";

const MAX_ROWS = 500;
const $ = (id) => document.getElementById(id);

const state = {
  source: undefined,
  paused: false,
  /** Records received while paused, newest last (at most MAX_ROWS). */
  held: [],
  /** Records waiting for the next animation frame. */
  queue: [],
  frame: 0,
  entries: new Map(),
  selected: undefined,
  /** Per-second sums of what the server left out, for the sampling notice. */
  window: { start: Date.now(), shown: 0, skipped: 0, lost: 0 },
  last: { shown: 0, skipped: 0, lost: 0 },
  maxPerSecond: 0,
  reloads: 0,
  /** The filters the open stream applies (a query string), undefined before the first one opens. */
  applied: undefined,
};

/**
 * Applies the filters: the backlog from /api/logs, then the live stream from
 * where it ended. The new filters are checked (by that first request) before
 * the open stream is closed: a refused one (a regex being typed) is shown
 * next to its field and the tail goes on with the filters it had. On first
 * load there is none yet, so the refused parameter is left out instead.
 */
async function reload() {
  const reload = ++state.reloads;
  const params = filterParams();
  if (params.toString() === state.applied && state.source?.readyState !== EventSource.CLOSED) return showFilterError(undefined);
  params.set("limit", "100");
  let body;
  try {
    let response = await fetch(`/api/logs?${params}`, { credentials: "same-origin" });
    body = await response.json();
    if (reload !== state.reloads) return;
    if (response.status === 400 && body.param) {
      const shown = showFilterError(body);
      if (!shown) setConn("error", body.message);
      if (state.applied !== undefined) return;
      params.delete(body.param);
      response = await fetch(`/api/logs?${params}`, { credentials: "same-origin" });
      body = await response.json();
      if (reload !== state.reloads) return;
    } else showFilterError(undefined);
    if (!response.ok) {
      setConn("error", body.message ?? `HTTP ${response.status}`);
      return;
    }
  } catch (error) {
    if (reload === state.reloads) setConn("error", String(error));
    return;
  }
  params.delete("limit");
  const applied = params.toString();
  state.applied = applied;
  saveToUrl(applied);
  state.source?.close();
  state.queue = [];
  state.held = [];
  state.entries.clear();
  state.selected = undefined;
  $("tail").replaceChildren();
  if (state.paused) $("pause").textContent = "Resume (0 new)";
  setConn("connecting");
  enqueue(body.records);
  const next = body.next;
  params.set("from", String(next));
  const source = new EventSource(`/api/stream?${params}`);
  state.source = source;
  source.addEventListener("hello", (event) => {
    state.maxPerSecond = JSON.parse(event.data).maxPerSecond;
    // Which filters the live stream applies: lets tests (and curious users) see a change took effect.
    document.body.dataset.filters = applied;
    setConn(state.paused ? "paused" : "live");
  });
  source.addEventListener("records", (event) => {
    const data = JSON.parse(event.data);
    state.window.skipped += data.skipped;
    state.window.lost += data.lost;
    state.window.shown += data.records.length;
    enqueue(data.records);
  });
  source.addEventListener("error", () => setConn(source.readyState === EventSource.CLOSED ? "error" : "connecting"));
  source.addEventListener("open", () => setConn(state.paused ? "paused" : "live"));
}

function enqueue(records) {
  if (state.paused) {
    state.held.push(...records);
    if (state.held.length > MAX_ROWS) state.held.splice(0, state.held.length - MAX_ROWS);
    $("pause").textContent = `Resume (${state.held.length} new)`;
    return;
  }
  state.queue.push(...records);
  if (state.queue.length > MAX_ROWS) state.queue.splice(0, state.queue.length - MAX_ROWS);
  // Rendering is batched per animation frame: many SSE events cost one DOM update.
  state.frame ||= requestAnimationFrame(render);
}

function render() {
  state.frame = 0;
  const body = $("tail");
  const rows = state.queue.splice(0).map(row);
  body.append(...rows);
  while (body.childElementCount > MAX_ROWS) {
    state.entries.delete(Number(body.firstElementChild.dataset.seq));
    body.firstElementChild.remove();
  }
  const wrap = body.closest(".table-wrap");
  if (wrap.scrollHeight - wrap.scrollTop - wrap.clientHeight < 80) wrap.scrollTop = wrap.scrollHeight;
}

function row(entry) {
  state.entries.set(entry.seq, entry);
  const r = entry.record;
  const time = typeof r.timestamp === "string" ? r.timestamp.slice(11, 23) : "";
  const tr = el(
    "tr",
    { data: { seq: entry.seq } },
    el("td", {}, time),
    el("td", { className: `level-${visible(String(r.level))}` }, visible(String(r.level))),
    el("td", { title: entry.pipeline }, visible(entry.pipeline, 40)),
    el("td", { title: r.service === undefined ? "" : String(r.service) }, r.service === undefined ? "" : visible(r.service, 60)),
    el("td", { title: visible(r.message, 2000, true) }, visible(r.message, 500, true)),
  );
  // Focusable by script only (arrow keys in the table): one tab stop for the table, not one per row.
  tr.tabIndex = -1;
  if (entry.seq === state.selected) tr.classList.add("selected");
  return tr;
}

function showDetail(seq) {
  const entry = state.entries.get(seq);
  if (!entry) return;
  state.selected = seq;
  for (const tr of $("tail").querySelectorAll("tr.selected")) tr.classList.remove("selected");
  const selected = $("tail").querySelector(`tr[data-seq="${seq}"]`);
  selected?.classList.add("selected");
  const pairs = [["seq", String(entry.seq)], ["pipeline", entry.pipeline], ...Object.entries(entry.record)];
  fill("detail-fields", ...pairs.flatMap(([key, value]) => [el("dt", {}, visible(key, 100)), el("dd", {}, visible(value, 20000))]));
  $("detail-seq").textContent = `#${entry.seq}`;
  $("detail").hidden = false;
  // In a narrow tail the details open under the table, which gets shorter: keep the record and its details in view.
  selected?.scrollIntoView({ block: "nearest" });
  $("detail").scrollIntoView({ block: "nearest" });
}

function closeDetail() {
  $("detail").hidden = true;
  state.selected = undefined;
  for (const tr of $("tail").querySelectorAll("tr.selected")) tr.classList.remove("selected");
}

/** Arrow keys move through the records (showing each one's details), Home/End jump, Escape closes the details. */
function onTableKey(event) {
  const body = $("tail");
  if (event.key === "Escape" && !$("detail").hidden) {
    closeDetail();
    $("tail").closest(".table-wrap").focus();
    event.preventDefault();
    return;
  }
  if (!event.target.closest(".table-wrap")) return;
  const focused = event.target.closest?.("tr[data-seq]");
  let target;
  if (event.key === "ArrowDown") target = focused ? focused.nextElementSibling : body.querySelector("tr.selected") ?? body.firstElementChild;
  else if (event.key === "ArrowUp") target = focused ? focused.previousElementSibling : body.querySelector("tr.selected") ?? body.lastElementChild;
  else if (event.key === "Home") target = body.firstElementChild;
  else if (event.key === "End") target = body.lastElementChild;
  else if ((event.key === "Enter" || event.key === " ") && focused) target = focused;
  else return;
  event.preventDefault();
  if (!target) return;
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: "nearest" });
  showDetail(Number(target.dataset.seq));
}

function setConn(kind, message) {
  const conn = $("conn");
  conn.dataset.state = kind;
  conn.textContent = message ? `${kind}: ${message}` : kind;
}

function togglePause() {
  state.paused = !state.paused;
  $("pause").setAttribute("aria-pressed", String(state.paused));
  $("pause").textContent = state.paused ? "Resume (0 new)" : "Pause";
  setConn(state.paused ? "paused" : "live");
  if (!state.paused) {
    const held = state.held.splice(0);
    enqueue(held);
  }
}

function updateSampling() {
  const w = state.window;
  if (Date.now() - w.start >= 1000) {
    state.last = { shown: w.shown, skipped: w.skipped, lost: w.lost };
    state.window = { start: Date.now(), shown: 0, skipped: 0, lost: 0 };
  }
  const { shown, skipped, lost } = state.last;
  let text = `Live: at most ${state.maxPerSecond} records/s are sent to this page, newest ${MAX_ROWS} kept.`;
  if (skipped > 0) text += ` Sampling: showed ${shown} of ${shown + skipped} matching records in the last second.`;
  if (lost > 0) text += ` ${lost} records arrived faster than this page read them and were dropped (counted, the pipeline did not wait).`;
  $("sampling").textContent = text;
}

/** A plugin id without the `pipelines.` prefix every id has: `simulate.sinks[0]`. */
const shortId = (id) => String(id).replace(/^pipelines\./, "");

/** Gauges may be fractions (a ratio, seconds): kept to two decimals where fmtNum would round them. */
const metricValue = (v) => (typeof v !== "number" ? "?" : Number.isInteger(v) || Math.abs(v) >= 1e4 ? fmtNum(v) : String(Math.round(v * 100) / 100));

/** A plugin's own metrics (`plugin:metrics`): one line of name/value pairs, the help text on hover. */
function pluginMetrics(x) {
  const shown = x.metrics.slice(0, 40).map((m) => el("span", { className: "metric", title: `${m.help} (${m.type})` }, el("span", { className: "muted" }, visible(m.name, 80)), " ", metricValue(m.value)));
  return el("p", { className: "plugin-metrics", data: { plugin: x.id } }, el("span", { title: x.id }, `${visible(x.name)} ${visible(x.id.replace(/^pipelines\.[^.]*\./, ""))}:`), ...shown);
}

function renderMetrics(m) {
  setPipelines(m.pipelines.map((p) => p.name));
  $("rate").textContent = `${fmtRate(m.tap.rate)} through the tap · ${fmtNum(m.tap.records)} records · ${m.tap.streams} stream(s) · ${fmtNum(m.tap.dropped)} dropped for slow clients`;
  fill("failures", ...m.failures.map((f) => el("p", { className: "failure" }, `${fmtTime(f.time)} ${visible(f.pipeline)} failed: ${visible(f.message)}`)));
  fill(
    "pipelines",
    ...m.pipelines.map((p) =>
      el(
        "div",
        { className: "pipeline", data: { pipeline: p.name } },
        el("h3", {}, visible(p.name), el("span", { className: `state-${p.state}` }, p.state)),
        table(
          ["Plugin", "Kind", "Received", "Emitted", "Dropped", "Errors", "Rate"],
          p.plugins.map((x) => [el("span", { title: x.id }, visible(x.name), " ", el("span", { className: "muted" }, visible(x.id.replace(/^pipelines\.[^.]*\./, "")))), x.kind, fmtNum(x.counters.received), fmtNum(x.counters.emitted), fmtNum(x.counters.dropped), fmtNum(x.counters.errors), fmtRate(Math.max(x.rates.emitted, x.rates.received))]),
          [2, 3, 4, 5, 6],
        ),
        ...p.plugins.filter((x) => x.metrics?.length).map(pluginMetrics),
      ),
    ),
  );
  $("parse-total").textContent = `(${fmtNum(m.parseErrors.total)})`;
  fill("parse-groups", m.parseErrors.groups.length ? table(["File", "Reason", "Count"], m.parseErrors.groups.slice(0, 20).map((g) => [visible(g.file ?? "(no file)", 120), visible(g.reason, 200), fmtNum(g.count)]), [2]) : el("p", { className: "muted" }, "None."));
  fill(
    "dead-letters",
    ...m.parseErrors.latest.slice(-5).reverse().map((d) => {
      const text = `${fmtTime(d.time)} ${visible(d.fileId ?? "-")}@${d.offset ?? "-"} ${visible(d.reason, 120)}: ${visible(d.line, 400, true)}`;
      return el("p", { className: "dead", title: text }, text);
    }),
  );
  fill("files", m.files.length ? table(["File", "State", "Position", "Size", "Lag"], m.files.map((f) => [visible(f.name, 120), f.state, fmtBytes(f.position), fmtBytes(f.size), fmtBytes(f.lag)]), [2, 3, 4]) : el("p", { className: "muted" }, "No tail source."));
  fill(
    "generators",
    m.generators.length
      ? table(["Generator", "Rate", "Target", "Emitted", "Burst"], m.generators.map((g) => [visible(shortId(g.plugin)), fmtRate(g.rate), fmtRate(g.targetRate), fmtNum(g.emitted), g.burst ? el("span", { className: "burst" }, `burst x${g.multiplier ?? "?"}`) : "-"]), [1, 2, 3])
      : el("p", { className: "muted" }, "No generator."),
  );
  $("rotation-total").textContent = `(${fmtNum(m.rotations.total)})`;
  fill("rotations", ...m.rotations.latest.slice(-5).reverse().map((r) => el("p", {}, `${fmtTime(r.time)} ${visible(shortId(r.plugin))} rotated ${visible(r.path, 200)}`)));
  const points = m.history.points.slice(-120);
  drawChart($("chart-throughput"), [points.map((p) => p.records)], ["records/s"]);
  drawChart($("chart-errors"), [points.map((p) => p.errors), points.map((p) => p.dropped)], ["errors/s", "dropped/s"]);
}

async function pollMetrics() {
  try {
    const response = await fetch("/api/metrics", { credentials: "same-origin" });
    if (response.ok) renderMetrics(await response.json());
  } catch {
    // The next poll retries; the connection badge shows the stream's state.
  }
  updateSampling();
  setTimeout(pollMetrics, 1000);
}

let debounce = 0;
function onFilterChange() {
  clearTimeout(debounce);
  debounce = setTimeout(reload, 250);
}

document.addEventListener("DOMContentLoaded", () => {
  restoreFromUrl();
  $("filters").addEventListener("input", onFilterChange);
  // A select also fires "change" only in some browsers' keyboard handling: listen to both, reload() skips a repeat.
  $("filters").addEventListener("change", onFilterChange);
  $("f-service").addEventListener("focus", () => refreshServices());
  $("f-service").addEventListener("input", () => {
    updateServiceHint();
    void refreshServices();
  });
  $("filters").addEventListener("submit", (event) => event.preventDefault());
  $("pause").addEventListener("click", togglePause);
  $("clear").addEventListener("click", () => {
    $("tail").replaceChildren();
    state.entries.clear();
  });
  $("tail").addEventListener("click", (event) => {
    const tr = event.target.closest("tr");
    if (tr) showDetail(Number(tr.dataset.seq));
  });
  document.querySelector(".tail-body").addEventListener("keydown", onTableKey);
  $("detail-close").addEventListener("click", () => {
    closeDetail();
    $("tail").closest(".table-wrap").focus();
  });
  reload();
  void refreshServices(true);
  pollMetrics();
});
