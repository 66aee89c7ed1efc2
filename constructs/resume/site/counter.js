// Counts this visit and shows the total. No dependencies; reads the API's URL from
// /config.json, which the deploy writes. If the API cannot be reached, the element
// shows its data-fallback text instead of a number.
(function () {
  "use strict";
  var element = document.getElementById("visitor-count");
  if (!element) return;
  function fallback() {
    element.textContent = element.getAttribute("data-fallback") || "unavailable";
  }
  fetch("/config.json", { cache: "no-store" })
    .then(function (response) { return response.json(); })
    .then(function (config) { return fetch(config.apiUrl + "/", { method: "POST" }); })
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(function (body) { element.textContent = String(parseInt(body.visitors, 10)); })
    .catch(fallback);
})();
