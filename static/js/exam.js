/* Sitting an exam: autosave each answer as it changes, and count down from the server's clock.
   Without this script the page still works: every button posts the form, which saves the answers. */
(function () {
  "use strict";
  var form = document.getElementById("paper");
  if (!form || !window.fetch) return;
  var status = document.getElementById("save-status");
  var timer = document.getElementById("countdown");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var inflight = {};
  var dirty = {};
  var failed = {};
  var finished = false;

  function say(text, isError) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("is-error", !!isError);
  }

  function now() {
    var d = new Date();
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2) + ":" + ("0" + d.getSeconds()).slice(-2);
  }

  function fieldset(id) {
    return form.querySelector('fieldset[data-item="' + id + '"]');
  }

  function markAnswered(box) {
    var id = box.getAttribute("data-item");
    var answered = Array.prototype.some.call(box.querySelectorAll("input, textarea"), function (el) {
      if (el.type === "hidden") return false;
      if (el.type === "radio" || el.type === "checkbox") return el.checked;
      return el.value.trim() !== "";
    });
    var link = document.querySelector('.question-nav a[data-item="' + id + '"]');
    if (link) link.classList.toggle("is-answered", answered);
  }

  function save(id) {
    if (finished) return;
    if (inflight[id]) { dirty[id] = true; return; }
    var box = fieldset(id);
    if (!box) return;
    var data = new FormData();
    data.append("items", id);
    box.querySelectorAll("input, textarea").forEach(function (el) {
      if (!el.name || ((el.type === "radio" || el.type === "checkbox") && !el.checked)) return;
      data.append(el.name, el.value);
    });
    inflight[id] = true;
    say("正在保存…");
    fetch(form.getAttribute("data-autosave-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, status: response.status, body: body }; });
    }).then(function (reply) {
      var body = reply.body;
      if (body.closed) {
        finished = true;
        say("作答时间已到，已自动交卷，正在打开成绩页…", true);
        window.location.href = body.result_url;
        return;
      }
      if (typeof body.remaining === "number") setRemaining(body.remaining);
      Object.keys(body.saved || {}).forEach(function (key) {
        var rev = form.querySelector('input[name="rev' + key + '"]');
        if (rev) rev.value = body.saved[key];
        delete failed[key];
      });
      Object.keys(body.conflicts || {}).forEach(function (key) {
        var box = fieldset(key);
        if (box && !box.querySelector(".question__conflict")) {
          var p = document.createElement("p");
          p.className = "question__conflict";
          p.setAttribute("role", "alert");
          p.textContent = "此题已在其他窗口或设备上更新，本页的修改没有保存。请刷新页面后核对。";
          box.appendChild(p);
        }
      });
      if (reply.status === 409) say("有题目在其他窗口更新过，本页修改未保存，请刷新页面。", true);
      else say("已自动保存 " + now());
    }).catch(function () {
      failed[id] = true;
      say("网络中断，答案暂未保存；恢复连接后会自动重试，请勿关闭页面。", true);
    }).then(function () {
      delete inflight[id];
      if (dirty[id]) { delete dirty[id]; save(id); }
    });
  }

  function retryFailed() {
    Object.keys(failed).forEach(function (id) { delete failed[id]; save(id); });
  }

  var typing = {};
  form.addEventListener("change", function (event) {
    var box = event.target.closest("fieldset[data-item]");
    if (!box) return;
    var id = box.getAttribute("data-item");
    clearTimeout(typing[id]);  // leaving a blank saves it now; the pause-in-typing save would only repeat it
    markAnswered(box);
    save(id);
  });
  form.addEventListener("input", function (event) {
    if (event.target.type !== "text" && event.target.tagName !== "TEXTAREA") return;
    var box = event.target.closest("fieldset[data-item]");
    if (!box) return;
    var id = box.getAttribute("data-item");
    markAnswered(box);
    clearTimeout(typing[id]);
    typing[id] = setTimeout(function () { save(id); }, 1200);
  });
  window.addEventListener("online", retryFailed);
  setInterval(retryFailed, 10000);

  // Countdown: the server said how many seconds were left when it made the page; count from there.
  var endsAt = null;
  function setRemaining(seconds) { endsAt = Date.now() + seconds * 1000; }
  function pad(n) { return ("0" + n).slice(-2); }
  function show(left) {
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    timer.querySelector("[data-clock]").textContent = (h ? h + ":" + pad(m) : pad(m)) + ":" + pad(s);
    timer.classList.toggle("is-urgent", left <= 300);
  }
  function tick() {
    var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    show(left);
    if (left === 0 && !finished) {
      finished = true;
      say("作答时间到，正在交卷…", true);
      var submit = document.getElementById("timeup-form");
      if (submit) setTimeout(function () { submit.submit(); }, 1500);
      return;
    }
    setTimeout(tick, 1000);
  }
  if (timer) {
    setRemaining(Number(timer.getAttribute("data-remaining")));
    tick();
  }
})();
