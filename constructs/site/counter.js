// The embeddable visitor counter: one <script> tag, no dependencies.
//
//   <script src="https://YOUR-SITE/counter.js" async></script>
//
// It counts one view of the page it is on (POST {api}/pages/{page}, with the referring
// site's origin and any utm_source of the page's address) and writes the page's
// counts into every element with data-counter="views" or data-counter="visitors". With no
// such element on the page it adds "1 view" / "<views> views" right after its own tag. An
// element's data-suffix follows its number, or data-suffix-one when that is 1. Elements with
// data-counter="site" get the site total of the original API (POST {api}/), counted too.
// If the counts do not arrive within 5 s (API down, an error answer), those elements show
// their data-fallback text, or the tag's, or "unavailable". data-state on each element
// says "ready" or "unavailable", for styling.
//
// The owner's own browser counts nothing: the switch on the site's /stats/ page stores
// "visitor-counter-owner" = "1" in this site's localStorage (the browser only; nothing is
// sent), and the counter then only reads the counts (GET), on every page, until switched
// back. For a site on another origin than /stats/, set it there in the browser's console:
// localStorage.setItem("visitor-counter-owner", "1"). No address can switch it: a link
// could otherwise stop a site counting the visitors it sends.
//
// Events: a click on an element with data-event="cv-download" (a name the site counts:
// lower-case letters, digits, ".", "_" and "-") counts that event on the page, and so do,
// when the tag turns them on, a click on a link to another site ("outbound") and on a link
// to a file of the listed kinds ("download"), with where the link goes: the file's path
// on this site, another site's host only; never a query. They go
// with navigator.sendBeacon, which the browser sends even as the page unloads: a click
// never waits for them.
//
// Options, as attributes of the <script> tag:
//   data-api       the counter API's URL; default: apiUrl from config.json beside this script
//                  (a page on another origin than the script must set it)
//   data-page      the page id to count; default: location.pathname
//   data-fallback  the text shown when the count is unavailable
//   data-outbound  "true": count clicks on links to other sites as the event "outbound"
//   data-downloads file extensions whose links count as the event "download" ("pdf,zip")
(function () {
  "use strict";
  var TIMEOUT_MS = 5000;
  var OWNER_KEY = "visitor-counter-owner";  // stats.js sets it; tests/tooling keep both equal
  // The targets the API takes (visitor_counter.events; tests/tooling compare the two).
  var TARGET = /^(?:\/[A-Za-z0-9._~!$&'()*+,;=:@\/%-]*|(?:[a-z0-9-]+\.)+[a-z0-9-]*[a-z-][a-z0-9-]*(?::[0-9]{1,5})?)$/;
  var TARGET_CHARS = 100;
  var script = document.currentScript ||
    document.querySelector("script[src$='counter.js']");  // browsers without currentScript
  if (!script) return;
  var controller = typeof AbortController === "function" ? new AbortController() : null;
  var signal = controller ? controller.signal : undefined;

  function json(response) {
    if (!response.ok) throw new Error("HTTP " + response.status);
    return response.json();
  }

  function apiUrl() {
    var configured = script.getAttribute("data-api");
    if (configured) return Promise.resolve(configured);
    var config = new URL("config.json", script.src || location.href);
    // "/api" (the site's own) is resolved against config.json's URL, which is beside this
    // script (a page of another origin sets data-api: config.json is not served to it).
    return fetch(config, { cache: "no-store", signal: signal }).then(json)
      .then(function (body) { return new URL(body.apiUrl, config).href; });
  }

  function post(url, body) {
    return fetch(url, { method: "POST", body: body, signal: signal }).then(json);
  }

  // A read that counts nothing; a page never viewed (404) has no views yet.
  function read(url, unseen) {
    return fetch(url, { signal: signal }).then(function (response) {
      return response.status === 404 ? unseen : json(response);
    });
  }

  // An event of the page: a beacon (no answer is read), else a fetch that outlives the page.
  function sendEvent(url, found) {
    var fields = { event: found.name };
    if (found.target) fields.target = found.target;
    var body = JSON.stringify(fields);
    try {
      if (navigator.sendBeacon && navigator.sendBeacon(url, body)) return;
    } catch (e) { /* a fetch instead */ }
    if (typeof fetch === "function") {
      fetch(url, { method: "POST", body: body, keepalive: true }).catch(function () {});
    }
  }

  // Where a link goes, as the event's target: a file of this site by its path, another
  // site by its host only (a path there may name a person). Never a query or a fragment;
  // none the API would refuse (a host without a dot, a path with "|"): the event without.
  function targetOf(link) {
    var where = link.host === location.host ? link.pathname : link.host;
    where = where.slice(0, TARGET_CHARS);
    return TARGET.test(where) ? where : undefined;
  }

  // The event a click on `target` is, if any ({name, target}): its own data-event, else a
  // link's kind with where it goes.
  function eventOf(target) {
    if (!target || !target.closest) return null;
    var named = target.closest("[data-event]");  // a link inside it is the event's too
    if (named) return { name: named.getAttribute("data-event") };
    var element = target.closest("a[href]");
    if (!element) return null;
    var link;
    try { link = new URL(element.getAttribute("href"), location.href); } catch (e) { return null; }
    if (!/^https?:$/.test(link.protocol)) return null;
    var kinds = (script.getAttribute("data-downloads") || "").toLowerCase().split(/[\s,.]+/)
      .filter(Boolean);
    var file = link.pathname.split("/").pop() || "";
    var extension = file.indexOf(".") > 0 ? file.split(".").pop().toLowerCase() : "";
    if (extension && kinds.indexOf(extension) >= 0) {
      return { name: "download", target: targetOf(link) };
    }
    if (script.getAttribute("data-outbound") === "true" && link.host !== location.host) {
      return { name: "outbound", target: targetOf(link) };
    }
    return null;
  }

  function countEvents(url) {
    document.addEventListener("click", function (event) {
      var found = eventOf(event.target);
      if (found) sendEvent(url, found);
    }, true);
  }

  // Storage may be off (or throw, in some private modes): then this browser counts.
  function ownersBrowser() {
    try { return window.localStorage.getItem(OWNER_KEY) === "1"; } catch (e) { return false; }
  }

  // Where the view came from, for the owner's referrer table: only the referring page's
  // origin (never its path or query), and the campaign named in this page's address. A
  // string body is sent as text/plain, so the POST stays a simple request (no preflight).
  function viewSource() {
    var referrer = "";
    try { referrer = document.referrer ? new URL(document.referrer).origin : ""; } catch (e) {}
    var campaign = "";
    try { campaign = new URLSearchParams(location.search).get("utm_source") || ""; } catch (e) {}
    return JSON.stringify({ referrer: referrer, utm_source: campaign.slice(0, 64) });
  }

  function targets() {
    var found = document.querySelectorAll("[data-counter]");
    if (found.length) return Array.prototype.slice.call(found);
    var element = document.createElement("span");
    element.className = "visitor-counter";
    element.setAttribute("data-counter", "views");
    element.setAttribute("data-suffix", " views");
    element.setAttribute("data-suffix-one", " view");
    if (document.body.contains(script)) script.parentNode.insertBefore(element, script.nextSibling);
    else document.body.appendChild(element);
    return [element];
  }

  function fill(element, value) {
    if (typeof value !== "number") {
      element.textContent = element.getAttribute("data-fallback") ||
        script.getAttribute("data-fallback") || "unavailable";
      element.setAttribute("data-state", "unavailable");
      return;
    }
    var suffix = (value === 1 && element.getAttribute("data-suffix-one")) ||
      element.getAttribute("data-suffix") || "";
    element.textContent = String(value) + suffix;
    element.setAttribute("data-state", "ready");
  }

  function start() {
    var elements = targets();
    if (typeof fetch !== "function" || typeof Promise !== "function") {
      elements.forEach(function (element) { fill(element, null); });
      return;
    }
    var wantsSite = elements.some(function (e) { return e.getAttribute("data-counter") === "site"; });
    var settled = false;
    function finish(counts) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      elements.forEach(function (element) {
        fill(element, counts && counts[element.getAttribute("data-counter")]);
      });
    }
    var timer = setTimeout(function () {
      finish(null);
      if (controller) controller.abort();
    }, TIMEOUT_MS);
    var owner = ownersBrowser();
    apiUrl().then(function (api) {
      var base = String(api).replace(/\/+$/, "");
      var page = script.getAttribute("data-page") || location.pathname || "/";
      var pageUrl = base + "/pages/" + encodeURIComponent(page);
      if (!owner) countEvents(pageUrl);
      if (owner) {
        return Promise.all([
          read(pageUrl, { page: page, views: 0, visitors: 0 }),
          wantsSite ? read(base + "/", { visitors: 0 }) : null,
        ]);
      }
      return Promise.all([
        post(pageUrl, viewSource()),
        wantsSite ? post(base + "/") : null,
      ]);
    }).then(function (answers) {
      var counts = answers[0];
      if (answers[1]) counts.site = answers[1].visitors;
      finish(counts);
    }, function () { finish(null); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
