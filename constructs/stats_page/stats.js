// The stats page: reads the counter API's /stats endpoints and draws them with uPlot.
//
// The token arrives in the URL fragment (#token=..., which browsers never send to a server),
// is kept in sessionStorage (this tab only) and leaves the visible URL at once. Without a
// token the page still asks: the owner may have made the stats public; a 401 shows a form.
// The range (and a chosen page) live in the query string, so a reload shows the same view.
// document.body.dataset.state says "loading", "ready", "unauthorized" or "error", for tests.
(function () {
  "use strict";
  const TOKEN_KEY = "stats-token";
  // counter.js counts nothing in a browser where this is "1" (localStorage: every tab, kept).
  const OWNER_KEY = "visitor-counter-owner";
  const MAX_DAYS = 400;
  const DEFAULT_DAYS = 30;
  const TOP_PAGES = 10;
  const DAY_S = 86400;
  const UNAUTHORIZED = "Open the stats link that “nox -s stats-token” printed, or paste a token below.";

  // site: one of the deployment's other sites (?site=shop), "" for its first.
  const view = { api: "", token: "", from: "", to: "", page: "", site: "" };
  let generation = 0;  // bumped by every load: an older, slower answer is dropped
  let chart = null;
  let lastDays = [];

  // An error whose message is meant for the owner; state is the body's data-state.
  class StatsError extends Error {
    constructor(state, message) { super(message); this.state = state; }
  }

  const $ = (id) => document.getElementById(id);
  const formatNumber = (n) => Number(n).toLocaleString();

  // ---- token ---------------------------------------------------------------------------

  // sessionStorage throws when storage is disabled: the token then lives in memory only.
  function storeToken(token) {
    view.token = token;
    try { sessionStorage.setItem(TOKEN_KEY, token); } catch (e) { /* memory only */ }
  }

  function storedToken() {
    try { return sessionStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return view.token; }
  }

  // Moves #token=... into storage and out of the address bar (and so out of the history).
  function takeTokenFromFragment() {
    const match = /(?:^#|&)token=([^&]*)/.exec(location.hash);
    if (!match) return false;
    let token = "";
    try { token = decodeURIComponent(match[1]).trim(); } catch (e) { token = ""; }
    history.replaceState(null, "", location.pathname + location.search);
    if (token) storeToken(token);
    return Boolean(token);
  }

  // ---- the owner's browser -------------------------------------------------------------

  // Storage may be off: the switch then says it cannot keep the setting.
  function ownersBrowser() {
    try { return localStorage.getItem(OWNER_KEY) === "1"; } catch (e) { return false; }
  }

  // document.body.dataset.owner says "excluded" or "counted", for tests.
  function renderOwner() {
    const excluded = ownersBrowser();
    $("owner-state").textContent = excluded
      ? "Your visits from this browser are not counted, on any page of this site."
      : "Your visits from this browser are counted, like anyone’s.";
    $("owner-switch").textContent = excluded
      ? "Count my visits from this browser again"
      : "Don’t count my visits from this browser";
    $("owner-switch").setAttribute("aria-pressed", String(excluded));
    document.body.dataset.owner = excluded ? "excluded" : "counted";
  }

  function switchOwner() {
    try {
      if (ownersBrowser()) localStorage.removeItem(OWNER_KEY);
      else localStorage.setItem(OWNER_KEY, "1");
    } catch (e) {
      $("owner-state").textContent = "This browser keeps no settings for this site (its storage is off): your visits are counted.";
      return;
    }
    renderOwner();
  }

  // ---- range ---------------------------------------------------------------------------

  function isoDay(date) { return date.toISOString().slice(0, 10); }

  function parseDay(text) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text || "")) return NaN;
    const time = Date.parse(text + "T00:00:00Z");
    return isoDay(new Date(time || 0)) === text ? time : NaN;  // rejects 2026-02-30
  }

  // The `days` days ending today, in UTC.
  function lastDaysRange(days) {
    const today = new Date();
    const from = new Date(today.getTime() - (days - 1) * DAY_S * 1000);
    return { from: isoDay(from), to: isoDay(today) };
  }

  // The problem with a range, or "" when the API will accept it.
  function rangeProblem(from, to) {
    const start = parseDay(from);
    const end = parseDay(to);
    if (!from || !to) return "Choose both a start and an end date.";
    if (Number.isNaN(start) || Number.isNaN(end)) return "Dates must be real days, as YYYY-MM-DD.";
    if (start > end) return "The start date must not be after the end date.";
    if ((end - start) / (DAY_S * 1000) + 1 > MAX_DAYS) return `Choose at most ${MAX_DAYS} days.`;
    return "";
  }

  function readQuery() {
    const query = new URLSearchParams(location.search);
    const fallback = lastDaysRange(DEFAULT_DAYS);
    view.from = query.get("from") || fallback.from;
    view.to = query.get("to") || fallback.to;
    view.page = query.get("page") || "";
    view.site = query.get("site") || "";
    if (view.site) document.querySelector("h1").textContent = `Site stats: ${view.site}`;
  }

  // Keeps the view in the query string (replaceState: the back button leaves the page).
  function writeQuery() {
    const query = new URLSearchParams({ from: view.from, to: view.to });
    if (view.page) query.set("page", view.page);
    if (view.site) query.set("site", view.site);
    history.replaceState(null, "", `${location.pathname}?${query}`);
  }

  // ---- API -----------------------------------------------------------------------------

  async function ensureApi() {
    if (view.api) return view.api;
    let body = null;
    try {
      const response = await fetch("/config.json", { cache: "no-store" });
      if (response.ok) body = await response.json();
    } catch (e) { body = null; }
    const url = body && typeof body.apiUrl === "string" ? body.apiUrl.trim() : "";
    // An absolute URL, or this site's own path ("/api"); never "//host" (another site).
    if (!/^(https?:\/\/[^/]|\/(?!\/))/.test(url)) {
      throw new StatsError("error", "The site's /config.json is missing or has no valid apiUrl, so this page cannot find the stats API.");
    }
    view.api = url.replace(/\/+$/, "");
    return view.api;
  }

  // The error body's message, when it has one.
  async function errorText(response) {
    try {
      const body = await response.json();
      return body && typeof body.error === "string" ? body.error : "";
    } catch (e) { return ""; }
  }

  async function failure(response) {
    const status = response.status;
    const detail = await errorText(response);
    if (status === 401) {
      const lead = view.token ? "This token was not accepted." : "These stats need a token.";
      return new StatsError("unauthorized", `${lead} ${UNAUTHORIZED}`);
    }
    if (status >= 500) {
      return new StatsError("error", `The stats API did not answer (HTTP ${status}). Try again in a minute.`);
    }
    return new StatsError("error", `The stats API refused the request (HTTP ${status})${detail ? ": " + detail : "."}`);
  }

  // GET {api}{path}?params; the token goes in a header, never in the URL.
  async function request(path, params) {
    const url = new URL(view.api + path, location.href);  // "/api" is this site's own
    Object.keys(params).forEach((key) => { if (params[key]) url.searchParams.set(key, params[key]); });
    if (view.site) url.searchParams.set("site", view.site);  // that site's stats, its token
    const headers = view.token ? { Authorization: `Bearer ${view.token}` } : {};
    let response;
    try {
      response = await fetch(url, { headers, cache: "no-store", referrerPolicy: "no-referrer" });
    } catch (e) {
      throw new StatsError("error", "The stats API did not answer (network error). Check the connection and try again.");
    }
    if (!response.ok) throw await failure(response);
    return response;
  }

  // The JSON answer of `path`, which must hold the array `key`.
  async function getAnswer(path, params, key) {
    const response = await request(path, params);
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!body || !Array.isArray(body[key])) {
      throw new StatsError("error", `The stats API sent an answer this page does not understand (${path}).`);
    }
    return body;
  }

  // The array `key` of the JSON answer of `path`.
  async function getList(path, params, key) {
    return (await getAnswer(path, params, key))[key];
  }

  // ---- rendering -----------------------------------------------------------------------

  function cell(row, text, className) {
    const td = row.insertCell();
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  // Replaces a table's body with one row per item; `fill` writes a row's cells.
  function fillTable(id, items, fill, columns, empty = "No views in this range.") {
    const body = $(id).tBodies[0];
    body.textContent = "";
    items.forEach((item) => fill(body.insertRow(), item));
    if (!items.length) cell(body.insertRow(), empty, "empty").colSpan = columns;
  }

  // A country's name from its two-letter code ("de": Germany), in the browser's language.
  const regions = typeof Intl.DisplayNames === "function"
    ? new Intl.DisplayNames([], { type: "region" }) : null;
  function countryName(code) {
    if (code === "unknown") return "Unknown";
    try {
      return regions ? regions.of(code.toUpperCase()) || code : code;
    } catch (e) {
      return code;  // a code the browser does not know
    }
  }

  // The range's views by browser, system, device class and country; an older API sends none.
  function renderAgents(agents) {
    ["browsers", "systems", "devices", "countries"].forEach((kind) => {
      const items = agents && Array.isArray(agents[kind]) ? agents[kind] : [];
      fillTable(kind, items, (row, item) => {
        cell(row, kind === "countries" ? countryName(item.name) : item.name);
        cell(row, formatNumber(item.views), "num");
      }, 2);
    });
  }

  // Where an event went, most first: "/files/cv.pdf 3 · github.com 1" (none: empty).
  function targetsText(targets) {
    if (!Array.isArray(targets)) return "";
    return targets.map((t) => `${t.target} ${formatNumber(t.count)}`).join(" · ");
  }

  // Each event's count, unique visitors (on one page, there; null from an older API) and
  // where it went.
  function renderEvents(events) {
    if (events === null) {
      fillTable("events", [], () => {}, 4, "The events could not be read; try again in a minute.");
      return;
    }
    fillTable("events", events, (row, item) => {
      cell(row, item.event);
      cell(row, formatNumber(item.count), "num");
      cell(row, item.visitors === null ? "–" : formatNumber(item.visitors), "num");
      cell(row, targetsText(item.targets));
    }, 4, "No events in this range.");
  }

  function renderSummary(days) {
    const views = days.reduce((sum, day) => sum + day.views, 0);
    const visitors = days.reduce((sum, day) => sum + day.visitors, 0);
    $("total-views").textContent = formatNumber(views);
    $("total-visitors").textContent = formatNumber(visitors);
    const where = view.page ? ` on ${view.page}` : "";
    $("chart").setAttribute("aria-label",
      `Views and visitors per day${where}, ${view.from} to ${view.to}: ${formatNumber(views)} views, ${formatNumber(visitors)} visitors`);
  }

  function renderDaily(days) {
    fillTable("daily-table", days, (row, day) => {
      cell(row, day.date);
      cell(row, formatNumber(day.views), "num");
      cell(row, formatNumber(day.visitors), "num");
    }, 3);
  }

  function renderPages(pages) {
    fillTable("top-pages", pages, (row, item) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "page-link";
      button.dataset.page = item.page;
      button.textContent = item.page;
      row.insertCell().appendChild(button);
      cell(row, formatNumber(item.views), "num");
      cell(row, formatNumber(item.visitors), "num");
    }, 3);
    renderSelection();
  }

  function renderReferrers(referrers) {
    fillTable("referrers", referrers, (row, item) => {
      cell(row, item.source);
      cell(row, formatNumber(item.views), "num");
    }, 2);
  }

  // Marks the chosen page without rebuilding the table, so keyboard focus stays put.
  function renderSelection() {
    $("selected-page").textContent = view.page || "Whole site";
    $("whole-site").hidden = !view.page;
    document.querySelectorAll("#top-pages .page-link").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.dataset.page === view.page));
    });
  }

  // ---- chart ---------------------------------------------------------------------------

  const color = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  const utcDate = (seconds) => uPlot.tzDate(new Date(seconds * 1000), "Etc/UTC");
  const chartHeight = () => (window.matchMedia("(max-width: 40rem)").matches ? 220 : 300);

  // x axis labels: "Oct 28" (or "Oct" for month steps), the year under the first and each new one.
  function dateLabels(u, splits, axisIdx, space, incr) {
    const label = uPlot.fmtDate(incr >= 28 * DAY_S ? "{MMM}" : "{MMM} {D}");
    const year = uPlot.fmtDate("{YYYY}");
    return splits.map((split, i) => {
      const text = label(utcDate(split));
      const newYear = i === 0 || year(utcDate(split)) !== year(utcDate(splits[i - 1]));
      return newYear ? `${text}\n${year(utcDate(split))}` : text;
    });
  }

  function chartOptions() {
    const ink = color("--muted");
    const grid = { stroke: color("--line"), width: 1 };
    const counts = [1, 2, 5].reduce((all, m) => all.concat([1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7].map((p) => m * p)), []);
    return {
      width: Math.max($("chart").clientWidth, 200),
      height: chartHeight(),
      tzDate: utcDate,  // labels and the legend show UTC days, whatever the browser's zone
      scales: {
        x: { time: true, range: (u, min, max) => (min === max ? [min - DAY_S / 2, max + DAY_S / 2] : [min, max]) },
        y: { range: (u, min, max) => [0, Math.max(max, 4) * 1.1] },
      },
      series: [
        { label: "Date", value: "{YYYY}-{MM}-{DD}" },
        { label: "Views", stroke: color("--views"), width: 2, value: (u, v) => (v == null ? "–" : formatNumber(v)) },
        { label: "Visitors", stroke: color("--visitors"), width: 2, value: (u, v) => (v == null ? "–" : formatNumber(v)) },
      ],
      axes: [
        { stroke: ink, grid, ticks: grid, values: dateLabels,
          incrs: [1, 2, 3, 7, 14, 30, 60, 90, 180, 365].map((d) => d * DAY_S) },
        { stroke: ink, grid, ticks: grid, incrs: counts.sort((a, b) => a - b),
          values: (u, splits) => splits.map(formatNumber) },
      ],
    };
  }

  function renderChart(days) {
    lastDays = days;
    if (typeof uPlot !== "function") {
      throw new StatsError("error", "The chart script /stats/uPlot.iife.min.js did not load; the tables below still hold the numbers.");
    }
    const data = [
      days.map((day) => Date.parse(day.date + "T00:00:00Z") / 1000),
      days.map((day) => day.views),
      days.map((day) => day.visitors),
    ];
    if (chart) chart.destroy();
    chart = new uPlot(chartOptions(), data, $("chart"));
  }

  function resizeChart() {
    if (chart) chart.setSize({ width: Math.max($("chart").clientWidth, 200), height: chartHeight() });
  }

  // ---- flow ----------------------------------------------------------------------------

  function setState(state) { document.body.dataset.state = state; }

  function showMessage(text) {
    $("message").textContent = text;
    $("message").hidden = !text;
  }

  function fail(error) {
    const known = error instanceof StatsError;
    setState(known ? error.state : "error");
    showMessage(known ? error.message : `Something went wrong while showing the stats (${error.message}).`);
    $("token-form").hidden = !(known && error.state === "unauthorized");
    if (!$("token-form").hidden) $("token-input").focus();
  }

  // Fetches and draws the current view; withPages: the top pages too (they ignore the page).
  async function load(withPages) {
    const run = ++generation;
    setState("loading");
    showMessage("");
    try {
      await ensureApi();
      const range = { from: view.from, to: view.to };
      const scoped = Object.assign({ page: view.page }, range);
      // Three requests (each with its preflight): the daily answer has the events too.
      const [daily, referrers, pages] = await Promise.all([
        getAnswer("/stats/daily", scoped, "days"),
        getList("/stats/referrers", scoped, "referrers"),
        withPages ? getList("/stats/pages", Object.assign({ limit: TOP_PAGES }, range), "pages") : null,
      ]);
      if (run !== generation) return;
      const days = daily.days;
      const events = Array.isArray(daily.events) ? daily.events : null;
      renderSummary(days);
      renderDaily(days);
      renderReferrers(referrers);
      renderEvents(events);
      renderAgents(daily.agents);
      if (pages) renderPages(pages);
      renderChart(days);
      $("token-form").hidden = true;
      setState("ready");
    } catch (error) {
      if (run === generation) fail(error);
    }
  }

  // Takes the range from the form; a bad one is reported and nothing is fetched.
  function applyRange() {
    const from = $("from").value;
    const to = $("to").value;
    const problem = rangeProblem(from, to);
    if (problem) {
      generation++;  // a load still running must not overwrite this message
      setState("error");
      showMessage(problem);
      return;
    }
    view.from = from;
    view.to = to;
    writeQuery();
    load(true);
  }

  function selectPage(page) {
    view.page = page;
    writeQuery();
    renderSelection();
    load(false);
  }

  async function downloadCsv() {
    const button = $("download-csv");
    button.disabled = true;
    try {
      await ensureApi();
      const response = await request("/stats/export.csv", { from: view.from, to: view.to });
      saveBlob(await response.blob(), `stats-${view.from}-to-${view.to}.csv`);
      showMessage("");
    } catch (error) {
      fail(error);
    } finally {
      button.disabled = false;
    }
  }

  // Downloads a Blob through a temporary link; the object URL is freed once the click started it.
  function saveBlob(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function debounce(fn, ms) {
    let timer = 0;
    return () => { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  function wireEvents() {
    $("range-form").addEventListener("submit", (event) => { event.preventDefault(); applyRange(); });
    document.querySelectorAll("[data-days]").forEach((button) => {
      button.addEventListener("click", () => {
        const range = lastDaysRange(Number(button.dataset.days));
        $("from").value = range.from;
        $("to").value = range.to;
        applyRange();
      });
    });
    $("top-pages").addEventListener("click", (event) => {
      const button = event.target.closest(".page-link");
      if (button) selectPage(button.dataset.page);
    });
    $("whole-site").addEventListener("click", () => selectPage(""));
    $("token-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const token = $("token-input").value.trim();
      if (!token) return;
      storeToken(token);
      $("token-input").value = "";
      load(true);
    });
    $("download-csv").addEventListener("click", downloadCsv);
    $("owner-switch").addEventListener("click", switchOwner);
    // Switched in another tab of this site.
    window.addEventListener("storage", (event) => { if (event.key === OWNER_KEY) renderOwner(); });
    window.addEventListener("resize", debounce(resizeChart, 150));
    // A stats link opened in the same tab changes only the fragment: no reload happens.
    window.addEventListener("hashchange", () => { if (takeTokenFromFragment()) load(true); });
    const dark = window.matchMedia("(prefers-color-scheme: dark)");
    if (dark.addEventListener) dark.addEventListener("change", () => { if (chart) renderChart(lastDays); });
  }

  function start() {
    renderOwner();
    takeTokenFromFragment();
    view.token = storedToken() || view.token;
    readQuery();
    $("from").value = view.from;
    $("to").value = view.to;
    renderSelection();
    wireEvents();
    const problem = rangeProblem(view.from, view.to);
    if (problem) {
      setState("error");
      showMessage(problem);
      return;
    }
    load(true);
  }

  start();
})();
