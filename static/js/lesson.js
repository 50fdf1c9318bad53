/* Lesson heartbeat: tells the server "still reading" every interval while the page is visible.
   The server decides how much time counts; this script only reports visibility and scroll position.
   Without JavaScript the lesson still works: the "完成阅读" button is always there. */
(function () {
  "use strict";
  var lesson = document.getElementById("lesson");
  if (!lesson || !window.fetch) return;
  var url = lesson.dataset.heartbeatUrl;
  var token = lesson.dataset.token;
  var interval = (parseInt(lesson.dataset.interval, 10) || 30) * 1000;
  var form = document.getElementById("complete-form");
  var button = document.getElementById("complete-button");
  var minutes = document.querySelector("#lesson-timer [data-role=minutes]");
  var csrf = form ? form.querySelector("input[name=csrfmiddlewaretoken]") : document.querySelector("input[name=csrfmiddlewaretoken]");
  var seq = 0;
  var timer = null;
  var stopped = false;

  if (form && form.dataset.wait && button) button.hidden = true;

  function scrollPermille() {
    var max = document.documentElement.scrollHeight - window.innerHeight;
    return max > 0 ? Math.round(1000 * Math.min(1, window.scrollY / max)) : 0;
  }

  function beat(kind) {
    if (stopped || !csrf) return;
    seq += 1;
    var body = new URLSearchParams({ token: token, seq: String(seq), kind: kind, scroll: String(scrollPermille()) });
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: kind === "pause",
      headers: { "X-CSRFToken": csrf.value }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) { stopped = true; stop(); return; }
      var data = result.data;
      if (minutes) minutes.textContent = String(Math.floor(data.seconds / 60));
      if (button && (data.can_complete || data.completed)) button.hidden = false;
    }).catch(function () { /* offline: the next beat tries again */ });
  }

  function start() {
    if (timer || stopped) return;
    beat("start");
    timer = window.setInterval(function () { beat("beat"); }, interval);
  }

  function stop() {
    if (timer) { window.clearInterval(timer); timer = null; }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { start(); } else { stop(); beat("pause"); }
  });
  window.addEventListener("pagehide", function () { if (timer) { stop(); beat("pause"); } });

  var saved = parseInt(lesson.dataset.scroll, 10) || 0;
  if (saved > 0 && !window.location.hash) {
    window.addEventListener("load", function () {
      var max = document.documentElement.scrollHeight - window.innerHeight;
      window.scrollTo(0, Math.round(max * saved / 1000));
    });
  }
  if (document.visibilityState === "visible") start();
})();
