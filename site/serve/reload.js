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
  // The error panel: a bar at the bottom of the window that lists the
  // errors, and shrinks to one line with its button or the Escape key. Its
  // look is in reload.css: no inline style, for a strict policy.
  var minKey = "charter-error-minimised";
  function stylesheet() {
    if (document.getElementById("charter-error-css")) { return; }
    var link = document.createElement("link");
    link.id = "charter-error-css";
    link.rel = "stylesheet";
    link.href = "/__charter/reload.css";
    document.head.appendChild(link);
  }
  function setMinimised(el, min) {
    el.classList.toggle("charter-error--min", min);
    var button = el.querySelector("button");
    button.setAttribute("aria-expanded", String(!min));
    button.textContent = min ? "Show the errors" : "Hide the errors";
    sessionStorage.setItem(minKey, min ? "1" : "");
  }
  function panel() {
    var el = document.getElementById("charter-error");
    if (el) { return el; }
    stylesheet();
    el = document.createElement("section");
    el.id = "charter-error";
    el.className = "charter-error";
    el.setAttribute("aria-labelledby", "charter-error-title");
    var bar = document.createElement("div");
    bar.className = "charter-error__bar";
    var title = document.createElement("h2");
    title.id = "charter-error-title";
    title.className = "charter-error__title";
    title.setAttribute("role", "alert");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "charter-error__toggle";
    button.setAttribute("aria-controls", "charter-error-body");
    var body = document.createElement("pre");
    body.id = "charter-error-body";
    body.className = "charter-error__body";
    body.tabIndex = 0;
    bar.appendChild(title);
    bar.appendChild(button);
    el.appendChild(bar);
    el.appendChild(body);
    button.addEventListener("click", function () {
      setMinimised(el, !el.classList.contains("charter-error--min"));
    });
    el.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { setMinimised(el, true); button.focus(); }
    });
    document.body.appendChild(el);
    setMinimised(el, sessionStorage.getItem(minKey) === "1");
    return el;
  }
  function overlay(message) {
    var el = panel();
    var n = message.replace(/\s+$/, "").split("\n").length;
    el.querySelector("h2").textContent = "The site did not build (" + n + (n === 1 ? " error" : " errors") +
      "). This page shows the last good build.";
    el.querySelector("pre").textContent = message;
  }
  function clearOverlay() {
    var el = document.getElementById("charter-error");
    if (el) { el.remove(); }
    sessionStorage.removeItem(minKey);
  }
  // shows reports whether the page uses one of the files (images, media,
  // icons, documents) at the URL paths given.
  function shows(assets) {
    if (!assets || !assets.length) { return false; }
    var els = document.querySelectorAll("[src],[srcset],[href],[data],[poster]");
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var urls = [el.getAttribute("src"), el.getAttribute("href"), el.getAttribute("data"), el.getAttribute("poster")];
      (el.getAttribute("srcset") || "").split(",").forEach(function (c) { urls.push(c.trim().split(/\s+/)[0]); });
      for (var j = 0; j < urls.length; j++) {
        if (!urls[j]) { continue; }
        try {
          if (assets.indexOf(decodeURI(new URL(urls[j], location.href).pathname)) >= 0) { return true; }
        } catch (err) { /* not a URL */ }
      }
    }
    return false;
  }
  function swapCSS() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var u = new URL(links[i].href);
      u.searchParams.set("charter", String(Date.now()));
      links[i].href = u.toString();
    }
  }
  var es = new EventSource("/__charter/events");
  es.addEventListener("reload", function (e) {
    var d = JSON.parse(e.data) || {};
    clearOverlay();
    if (d.all || here(d.paths) || shows(d.assets)) {
      reload();
    } else if ((d.assets || []).some(function (a) { return /\.(png|jpe?g|gif|svg|webp|avif|woff2?|ttf|otf)$/i.test(a); })) {
      swapCSS(); // a stylesheet may show the image or font
    }
  });
  es.addEventListener("navigate", function (e) {
    var d = JSON.parse(e.data) || {};
    if (d.path && d.path !== location.pathname) { location.href = d.path; } else { reload(); }
  });
  es.addEventListener("css", function () {
    clearOverlay();
    swapCSS();
  });
  es.addEventListener("build-error", function (e) {
    if (e.data) { overlay(JSON.parse(e.data).message); }
  });
  es.addEventListener("ok", clearOverlay);
})();
