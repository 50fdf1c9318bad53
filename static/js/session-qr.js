/* The organiser's sign-in screen: fetch a freshly signed QR code every few seconds while the page is open. */
(function () {
  "use strict";
  var figure = document.getElementById("qr");
  if (!figure || !window.fetch) return;
  var seconds = parseInt(figure.dataset.rotate, 10) || 50;
  function refresh() {
    if (document.visibilityState !== "visible") return;
    fetch(figure.dataset.src, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (svg) {
        if (!svg) return;
        var doc = new DOMParser().parseFromString(svg, "image/svg+xml");
        var node = doc.documentElement;
        if (node && node.nodeName.toLowerCase() === "svg") figure.replaceChildren(document.importNode(node, true));
      })
      .catch(function () {});
  }
  window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", refresh);
})();
