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
  // The check panel: the findings of `charter check` for this page, in a
  // bar docked at the bottom of the window. It is the last thing in the
  // page and sticks to the bottom (reload.css): it takes its own space,
  // so the end of the page always scrolls above it. It starts closed, with a count; its button opens it, Escape closes it and
  // gives the focus back to the button, and the arrow keys, Home and End
  // move through the findings.
  var checkKey = "charter-check-open";
  function checkItem(f) {
    var li = document.createElement("li");
    li.className = "charter-check__item charter-check__item--" + f.severity;
    li.tabIndex = -1;
    var head = document.createElement("p");
    head.className = "charter-check__head";
    var sev = document.createElement("strong");
    sev.textContent = f.severity + ": ";
    var where = document.createElement("code");
    where.textContent = f.file + (f.line ? ":" + f.line : "") + (f.col ? ":" + f.col : "");
    var rule = document.createElement("span");
    rule.className = "charter-check__rule";
    rule.textContent = " (" + f.rule + ")";
    head.appendChild(sev);
    head.appendChild(where);
    head.appendChild(rule);
    var msg = document.createElement("p");
    msg.textContent = f.message;
    li.appendChild(head);
    li.appendChild(msg);
    if (f.fix) {
      var fix = document.createElement("p");
      fix.className = "charter-check__fix";
      fix.textContent = "Fix: " + f.fix;
      li.appendChild(fix);
    }
    return li;
  }
  function checkCount(fs) {
    var n = { error: 0, warning: 0, notice: 0 };
    fs.forEach(function (f) { n[f.severity] = (n[f.severity] || 0) + 1; });
    if (!fs.length) { return "Check: no findings on this page"; }
    var parts = [];
    ["error", "warning", "notice"].forEach(function (k) {
      if (n[k]) { parts.push(n[k] + " " + k + (n[k] === 1 ? "" : "s")); }
    });
    return "Check: " + parts.join(", ") + " on this page";
  }
  function setCheckOpen(el, open, focus) {
    var button = el.querySelector(".charter-check__toggle");
    button.setAttribute("aria-expanded", String(open));
    el.querySelector(".charter-check__body").hidden = !open;
    el.classList.toggle("charter-check--open", open);
    sessionStorage.setItem(checkKey, open ? "1" : "");
    if (focus) {
      var first = el.querySelector(".charter-check__item");
      (open && first ? first : button).focus();
    }
  }
  function moveInCheck(el, e) {
    var items = Array.prototype.slice.call(el.querySelectorAll(".charter-check__item"));
    var i = items.indexOf(document.activeElement);
    var to = -1;
    if (e.key === "ArrowDown") { to = Math.min(i + 1, items.length - 1); }
    if (e.key === "ArrowUp") { to = Math.max(i - 1, 0); }
    if (e.key === "Home") { to = 0; }
    if (e.key === "End") { to = items.length - 1; }
    if (to >= 0 && items[to] && (i >= 0 || e.key === "Home" || e.key === "End")) {
      e.preventDefault();
      items[to].focus();
    }
  }
  function checkPanel() {
    var el = document.getElementById("charter-check");
    if (el) { return el; }
    stylesheet();
    el = document.createElement("section");
    el.id = "charter-check";
    el.className = "charter-check";
    el.setAttribute("aria-label", "Check findings");
    var title = document.createElement("h2");
    title.className = "charter-check__title";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "charter-check__toggle";
    button.setAttribute("aria-controls", "charter-check-body");
    title.appendChild(button);
    var status = document.createElement("p");
    status.className = "charter-check__status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var body = document.createElement("div");
    body.id = "charter-check-body";
    body.className = "charter-check__body";
    var list = document.createElement("ol");
    list.className = "charter-check__list";
    list.setAttribute("aria-label", "Findings on this page");
    body.appendChild(list);
    el.appendChild(title);
    el.appendChild(status);
    el.appendChild(body);
    button.addEventListener("click", function () {
      setCheckOpen(el, button.getAttribute("aria-expanded") !== "true", true);
    });
    el.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        e.preventDefault();
        setCheckOpen(el, false, true);
      } else {
        moveInCheck(el, e);
      }
    });
    document.body.appendChild(el);
    setCheckOpen(el, sessionStorage.getItem(checkKey) === "1", false);
    return el;
  }
  function showFindings(fs) {
    var fresh = !document.getElementById("charter-check");
    var el = checkPanel();
    var list = el.querySelector(".charter-check__list");
    var focused = list.contains(document.activeElement);
    list.textContent = "";
    fs.forEach(function (f) { list.appendChild(checkItem(f)); });
    var text = checkCount(fs);
    el.querySelector(".charter-check__toggle").textContent = text;
    var status = el.querySelector(".charter-check__status");
    // A live region is heard when its text changes after it is on the
    // page: a new panel says its count a moment later.
    if (fresh) {
      setTimeout(function () { status.textContent = text; }, 500);
    } else if (status.textContent !== text) {
      status.textContent = text;
    }
    if (focused) { el.querySelector(".charter-check__toggle").focus(); }
  }
  function loadFindings() {
    fetch("/__charter/findings?page=" + encodeURIComponent(location.pathname), { cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d) { showFindings(d.findings || []); } })
      .catch(function () { /* the server stopped: keep what is shown */ });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", loadFindings);
  } else {
    loadFindings();
  }
  var es = new EventSource("/__charter/events");
  es.addEventListener("reload", function (e) {
    var d = JSON.parse(e.data) || {};
    clearOverlay();
    if (d.all || here(d.paths) || shows(d.assets)) {
      reload();
      return;
    }
    loadFindings(); // a link to another page may have broken or been fixed
    if ((d.assets || []).some(function (a) { return /\.(png|jpe?g|gif|svg|webp|avif|woff2?|ttf|otf)$/i.test(a); })) {
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
