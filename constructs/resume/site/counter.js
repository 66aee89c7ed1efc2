// The embeddable visitor counter: one <script> tag, no dependencies.
//
//   <script src="https://YOUR-SITE/counter.js" async></script>
//
// It counts one view of the page it is on (POST {api}/pages/{page}) and writes the page's
// counts into every element with data-counter="views" or data-counter="visitors". With no
// such element on the page it adds "<views> views" right after its own tag. If the API
// cannot be reached (or answers an error) within 5 s, those elements show their
// data-fallback text, or the tag's, or "unavailable". data-state on each element says
// "ready" or "unavailable", for styling.
//
// Options, as attributes of the <script> tag:
//   data-api       the counter API's URL; default: apiUrl from config.json beside this script
//   data-page      the page id to count; default: location.pathname
//   data-fallback  the text shown when the count is unavailable
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var TIMEOUT_MS = 5000;

  function apiUrl() {
    var configured = script.getAttribute("data-api");
    if (configured) return Promise.resolve(configured);
    var config = new URL("config.json", script.src || location.href);
    return fetch(config, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (body) { return body.apiUrl; });
  }

  function targets() {
    var found = document.querySelectorAll("[data-counter]");
    if (found.length) return Array.prototype.slice.call(found);
    var element = document.createElement("span");
    element.className = "visitor-counter";
    element.setAttribute("data-counter", "views");
    element.setAttribute("data-suffix", " views");
    var inBody = document.body && document.body.contains(script);
    if (inBody) script.parentNode.insertBefore(element, script.nextSibling);
    else document.body.appendChild(element);
    return [element];
  }

  function show(elements, counts) {
    elements.forEach(function (element) {
      var value = counts[element.getAttribute("data-counter")];
      if (typeof value !== "number") return fail([element]);
      element.textContent = String(value) + (element.getAttribute("data-suffix") || "");
      element.setAttribute("data-state", "ready");
    });
  }

  function fail(elements) {
    elements.forEach(function (element) {
      element.textContent = element.getAttribute("data-fallback") ||
        script.getAttribute("data-fallback") || "unavailable";
      element.setAttribute("data-state", "unavailable");
    });
  }

  function count(api) {
    var page = script.getAttribute("data-page") || location.pathname || "/";
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    var url = String(api).replace(/\/+$/, "") + "/pages/" + encodeURIComponent(page);
    return fetch(url, { method: "POST", signal: controller && controller.signal })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .finally(function () { clearTimeout(timer); });
  }

  function start() {
    var elements = targets();
    apiUrl().then(count).then(function (counts) { show(elements, counts); })
      .catch(function () { fail(elements); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
