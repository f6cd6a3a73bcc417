/* slidekit HTML deck navigation: vanilla JS, no network, works from file://.
   State is (slide, step); the URL hash is #/N with N counted from 1. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("sk-data").textContent);
  var W = data.width, H = data.height;
  var deck = document.getElementById("sk-deck");
  var stage = document.getElementById("sk-stage");
  var slides = Array.prototype.slice.call(deck.querySelectorAll(":scope > section.sk-slide"));
  var total = slides.length;
  var speaker = /(^|[?&])speaker(=|&|$)/.test(location.search.slice(1));
  var state = { slide: 0, step: 0 };
  var overview = false, jumpBuffer = "";
  var channelName = "slidekit-" + data.id;
  var storageKey = "slidekit:" + data.id;
  var channel = null, sender = Math.random().toString(36).slice(2);

  function $(id) { return document.getElementById(id); }
  function stepsOf(i) { return (data.slides[i] && data.slides[i].steps) || 1; }
  function clamp(n, lo, hi) { return Math.max(lo, Math.min(hi, n)); }

  /* ---------------------------------------------------------------- layout */
  function fitCanvas() {
    if (overview || speaker) { deck.style.transform = ""; return; }
    var s = Math.min(window.innerWidth / W, window.innerHeight / H);
    var x = (window.innerWidth - W * s) / 2, y = (window.innerHeight - H * s) / 2;
    deck.style.transform = "translate(" + x + "px," + y + "px) scale(" + s + ")";
  }
  /* shrink a slide body whose content overflows the canvas (long code, tall lists):
     lay it out in a box 1/r times larger and scale it by r, so it fills exactly the
     space between the top margin and the footer; nothing is ever cut off */
  function overflowRatio(body) {
    return Math.min(body.clientHeight / body.scrollHeight, body.clientWidth / body.scrollWidth, 1);
  }
  function fitContent(section) {
    var body = section.querySelector(".sk-body");
    if (!body || body.dataset.fitted) return;
    var shown = section.classList.contains("sk-current");
    if (!shown) section.style.display = "block";
    var hidden = body.querySelectorAll(".sk-step.sk-hidden");
    for (var i = 0; i < hidden.length; i++) hidden[i].style.visibility = "visible";
    var w = body.clientWidth, h = body.clientHeight, r = 1;
    if (!w || !h) {  /* not laid out (the speaker window hides the stage): fit the copy it shows */
      for (i = 0; i < hidden.length; i++) hidden[i].style.visibility = "";
      if (!shown) section.style.display = "";
      return;
    }
    for (var pass = 0; pass < 4; pass++) {
      var ratio = overflowRatio(body);
      if (ratio >= 0.999) break;
      r = r * ratio;
      body.style.right = "auto"; body.style.bottom = "auto";
      body.style.width = (w / r) + "px"; body.style.height = (h / r) + "px";
      body.style.transform = "scale(" + r.toFixed(4) + ")";
    }
    if (r < 1) body.dataset.scale = r.toFixed(3);
    for (i = 0; i < hidden.length; i++) hidden[i].style.visibility = "";
    if (!shown) section.style.display = "";
    body.dataset.fitted = "1";
  }

  /* ---------------------------------------------------------------- rendering */
  function applySteps(section, step) {
    var groups = section.querySelectorAll(".sk-step");
    for (var i = 0; i < groups.length; i++) {
      groups[i].classList.toggle("sk-hidden", Number(groups[i].getAttribute("data-step")) > step);
    }
    /* {1|2-3|all} code: the group of this step is bright, the other lines dimmed */
    var codes = section.querySelectorAll("pre[data-hl-base]");
    for (var c = 0; c < codes.length; c++) {
      var k = clamp(step - Number(codes[c].getAttribute("data-hl-base")), 0, Number(codes[c].getAttribute("data-hl-groups")) - 1);
      var lines = codes[c].querySelectorAll(".sk-line[data-hl]");
      for (var j = 0; j < lines.length; j++) {
        lines[j].classList.toggle("sk-dim", (" " + lines[j].getAttribute("data-hl") + " ").indexOf(" " + k + " ") < 0);
      }
    }
  }
  function show() {
    for (var i = 0; i < total; i++) slides[i].classList.toggle("sk-current", i === state.slide);
    applySteps(slides[state.slide], state.step);
    document.documentElement.setAttribute("data-slide", String(state.slide + 1));
    document.documentElement.setAttribute("data-step", String(state.step));
    var hash = "#/" + (state.slide + 1);
    if (location.hash !== hash) {
      try { history.replaceState(null, "", hash); } catch (e) { /* some file:// contexts */ }
    }
    var title = data.slides[state.slide].title;
    $("sk-live").textContent = "Slide " + (state.slide + 1) + " of " + total + (title ? ": " + title : "");
    if (speaker) renderSpeaker();
  }
  function go(slide, step, fromRemote) {
    slide = clamp(slide, 0, total - 1);
    step = clamp(step, 0, stepsOf(slide) - 1);
    var changed = slide !== state.slide || step !== state.step;
    state.slide = slide; state.step = step;
    show();
    if (changed && !fromRemote) broadcast();
  }
  function next() {
    if (state.step < stepsOf(state.slide) - 1) go(state.slide, state.step + 1);
    else if (state.slide < total - 1) go(state.slide + 1, 0);
  }
  function prev() {
    if (state.step > 0) go(state.slide, state.step - 1);
    else if (state.slide > 0) go(state.slide - 1, stepsOf(state.slide - 1) - 1);
  }

  /* ---------------------------------------------------------------- sync between windows */
  function broadcast() {
    var msg = { slide: state.slide, step: state.step, sender: sender, t: Date.now() };
    if (channel) { try { channel.postMessage(msg); } catch (e) { /* closed */ } }
    try { localStorage.setItem(storageKey, JSON.stringify(msg)); } catch (e) { /* storage off */ }
  }
  function receive(msg) {
    if (!msg || msg.sender === sender || typeof msg.slide !== "number") return;
    go(msg.slide, msg.step || 0, true);
  }
  try {
    channel = new BroadcastChannel(channelName);
    channel.onmessage = function (ev) { receive(ev.data); };
  } catch (e) { channel = null; }
  window.addEventListener("storage", function (ev) {
    if (ev.key !== storageKey || !ev.newValue) return;
    try { receive(JSON.parse(ev.newValue)); } catch (e) { /* ignore */ }
  });

  /* ---------------------------------------------------------------- speaker view */
  var started = Date.now(), pausedAt = null, pausedFor = 0;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function hms(s) { return (s >= 3600 ? Math.floor(s / 3600) + ":" : "") + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60); }
  function elapsed() { return Math.floor(((pausedAt || Date.now()) - started - pausedFor) / 1000); }
  /* --duration: a countdown, "warning" in the last 5 minutes, "over" at 0, and the pace against an even
     per-slide budget; in the speaker window p pauses it and r resets it */
  function tick() {
    var s = elapsed(), el = $("sk-timer");
    if (data.duration) {
      var left = data.duration - s, budget = data.duration / total, pace = Math.round(state.slide * budget - s);
      el.textContent = (left < 0 ? "-" : "") + hms(Math.abs(left));
      el.setAttribute("data-phase", left <= 0 ? "over" : left <= 300 ? "warning" : "normal");
      $("sk-pace").textContent = hms(Math.abs(pace)) + (pace >= 0 ? " ahead" : " behind") + (pausedAt ? " (paused)" : "");
    } else {
      el.textContent = hms(s);
    }
    var d = new Date();
    $("sk-clock").textContent = pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function frame(el, section, step) {
    el.textContent = "";
    var copy;
    if (section) {
      copy = section.cloneNode(true);
      copy.removeAttribute("id");
      copy.classList.add("sk-current");
      applySteps(copy, step);
    } else {
      copy = document.createElement("section");
      copy.className = "sk-slide sk-end";
      copy.textContent = "End of deck";
    }
    el.appendChild(copy);
    if (section) fitContent(copy);
    var s = Math.min(el.clientWidth / W, el.clientHeight / H) || 0.3;
    copy.style.transform = "scale(" + s + ")";
  }
  function renderSpeaker() {
    var i = state.slide, st = state.step;
    frame($("sk-current"), slides[i], st);
    var nextSlide = st < stepsOf(i) - 1 ? [slides[i], st + 1] : [slides[i + 1], 0];
    frame($("sk-next"), nextSlide[0], nextSlide[1]);
    $("sk-notes").textContent = data.slides[i].notes || "(no notes)";
    $("sk-position").textContent = "Slide " + (i + 1) + " / " + total +
      (stepsOf(i) > 1 ? " \u00b7 step " + (st + 1) + " / " + stepsOf(i) : "");
  }
  function openSpeaker() {
    if (speaker) return;
    var url = location.href.split("#")[0].split("?")[0] + "?speaker#/" + (state.slide + 1);
    var win = window.open(url, "slidekit-speaker-" + data.id, "width=1100,height=700");
    if (win) setTimeout(broadcast, 400);
  }

  /* ---------------------------------------------------------------- modes */
  function toggleOverview(on) {
    overview = on === undefined ? !overview : on;
    document.body.classList.toggle("sk-overview", overview);
    fitCanvas();
    if (overview) slides[state.slide].scrollIntoView({ block: "center" });
  }
  function toggle(id, on) { var el = $(id); el.hidden = on === undefined ? !el.hidden : !on; }
  function toggleFullscreen() {
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () { /* not allowed */ });
    }
  }
  function showJump() { var el = $("sk-jump"); el.textContent = jumpBuffer; el.hidden = !jumpBuffer; }

  /* ---------------------------------------------------------------- keys */
  var NEXT = { ArrowRight: 1, ArrowDown: 1, PageDown: 1, n: 1, j: 1, l: 1 };
  var PREV = { ArrowLeft: 1, ArrowUp: 1, PageUp: 1, k: 1, h: 1 };
  function onKey(ev) {
    if (ev.ctrlKey || ev.altKey || ev.metaKey || ev.defaultPrevented) return;
    var t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var key = ev.key, handled = true;
    if (/^[0-9]$/.test(key)) { jumpBuffer += key; showJump(); ev.preventDefault(); return; }
    if (key === "Enter" && jumpBuffer) {
      var n = parseInt(jumpBuffer, 10); jumpBuffer = ""; showJump();
      if (overview) toggleOverview(false);
      go(n - 1, 0); ev.preventDefault(); return;
    }
    if (jumpBuffer && key !== "Shift") { jumpBuffer = ""; showJump(); }
    if (key === " " || key === "Spacebar") { ev.shiftKey ? prev() : next(); }
    else if (NEXT[key]) next();
    else if (PREV[key]) prev();
    else if (key === "Home") go(0, 0);
    else if (key === "End") go(total - 1, 0);
    else if (key === "o" || key === "O") toggleOverview();
    else if (key === "Escape") {
      if (!$("sk-help").hidden) toggle("sk-help", false);
      else if (!$("sk-blank").hidden) toggle("sk-blank", false);
      else toggleOverview();
    }
    else if (key === "f" || key === "F") toggleFullscreen();
    else if (key === "b" || key === "B" || key === ".") toggle("sk-blank");
    else if (key === "?") toggle("sk-help");
    else if (speaker && key === "p") { if (pausedAt) { pausedFor += Date.now() - pausedAt; pausedAt = null; } else pausedAt = Date.now(); tick(); }
    else if (speaker && key === "r") { started = Date.now(); pausedFor = 0; pausedAt = pausedAt ? started : null; tick(); }
    else if (key === "s" || key === "S" || key === "p" || key === "P") openSpeaker();
    else handled = false;
    if (handled) ev.preventDefault();
  }
  document.addEventListener("keydown", onKey);

  /* ---------------------------------------------------------------- pointer */
  deck.addEventListener("click", function (ev) {
    if (!overview) return;
    var section = ev.target.closest ? ev.target.closest("section.sk-slide") : null;
    if (section) { toggleOverview(false); go(slides.indexOf(section), 0); ev.preventDefault(); }
  });
  var touch = null;
  document.addEventListener("touchstart", function (ev) {
    if (ev.touches.length === 1) touch = { x: ev.touches[0].clientX, y: ev.touches[0].clientY };
  }, { passive: true });
  document.addEventListener("touchend", function (ev) {
    if (!touch || overview) { touch = null; return; }
    var p = ev.changedTouches[0], dx = p.clientX - touch.x, dy = p.clientY - touch.y;
    touch = null;
    if (Math.abs(dx) > 40 && Math.abs(dx) > Math.abs(dy)) { dx < 0 ? next() : prev(); }
  });
  $("sk-timer").addEventListener("click", function () { started = Date.now(); pausedFor = 0; pausedAt = null; tick(); });

  /* ---------------------------------------------------------------- hash */
  function fromHash() {
    var m = /^#\/?(\d+)$/.exec(location.hash);
    if (m) return parseInt(m[1], 10) - 1;
    m = /^#slide-(\d+)$/.exec(location.hash);
    return m ? parseInt(m[1], 10) - 1 : null;
  }
  window.addEventListener("hashchange", function () {
    var i = fromHash();
    if (i !== null && i !== state.slide) go(i, 0);
  });

  /* ---------------------------------------------------------------- start */
  window.addEventListener("resize", function () { fitCanvas(); if (speaker) renderSpeaker(); });
  window.addEventListener("beforeprint", function () { for (var i = 0; i < total; i++) fitContent(slides[i]); });
  if (speaker) {
    document.body.classList.add("sk-speaker-mode");
    $("sk-speaker").hidden = false;
    document.title = "Speaker \u2014 " + document.title;
    tick(); setInterval(tick, 1000);
  }
  var first = fromHash();
  state.slide = clamp(first === null ? 0 : first, 0, total - 1);
  try {
    var saved = speaker && JSON.parse(localStorage.getItem(storageKey) || "null");
    if (saved && first === null) { state.slide = clamp(saved.slide, 0, total - 1); state.step = saved.step || 0; }
  } catch (e) { /* ignore */ }
  for (var i = 0; i < total; i++) fitContent(slides[i]);
  fitCanvas();
  show();
  window.slidekit = { go: function (n, s) { go(n - 1, s || 0); }, state: function () { return { slide: state.slide + 1, step: state.step }; } };
})();
