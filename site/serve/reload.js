// Live reload for the preview server. Not part of any published build.
(function () {
  "use strict";
  var key = "charter-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var y = parseInt(saved, 10);
    window.addEventListener("load", function () { window.scrollTo(0, y); });
  }
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }
  function here(paths) {
    return (paths || []).indexOf(location.pathname) >= 0;
  }
  function overlay(message) {
    var el = document.getElementById("charter-error");
    if (!el) {
      el = document.createElement("div");
      el.id = "charter-error";
      el.setAttribute("role", "alert");
      el.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "background:#fff;color:#0b0c0c;border-top:6px solid #d4351c;padding:1rem 1.5rem;" +
        "font:16px/1.5 ui-monospace,Consolas,monospace;white-space:pre-wrap;box-shadow:0 -4px 12px rgba(0,0,0,.3)";
      document.body.appendChild(el);
    }
    el.textContent = "The site did not build. The page shows the last good build.\n\n" + message;
  }
  function clearOverlay() {
    var el = document.getElementById("charter-error");
    if (el) { el.remove(); }
  }
  var es = new EventSource("/__charter/events");
  es.addEventListener("reload", function (e) {
    var d = JSON.parse(e.data) || {};
    clearOverlay();
    if (d.all || here(d.paths)) { reload(); }
  });
  es.addEventListener("navigate", function (e) {
    var d = JSON.parse(e.data) || {};
    if (d.path && d.path !== location.pathname) { location.href = d.path; } else { reload(); }
  });
  es.addEventListener("css", function () {
    clearOverlay();
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var u = new URL(links[i].href);
      u.searchParams.set("charter", String(Date.now()));
      links[i].href = u.toString();
    }
  });
  es.addEventListener("build-error", function (e) {
    if (e.data) { overlay(JSON.parse(e.data).message); }
  });
  es.addEventListener("ok", clearOverlay);
})();
