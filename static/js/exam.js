/* Sitting an exam: autosave each answer as it changes, and count down from the server's clock.
   Without this script the page still works: every button posts the form, which saves the answers.

   An answer the server has not confirmed yet is also kept in the browser (localStorage), so a
   dropped connection followed by a reload or a closed tab loses nothing: the next time the paper
   opens, what was kept is sent again, on the revision it was made on (the server refuses it if
   another tab has saved that question since). */
(function () {
  "use strict";
  var form = document.getElementById("paper");
  if (!form || !window.fetch) return;
  var status = document.getElementById("save-status");
  var timer = document.getElementById("countdown");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var url = form.getAttribute("data-autosave-url");
  var STORE_PREFIX = "exam-answers:";
  var STORE = STORE_PREFIX + url;
  var KEEP_DAYS = 14;
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

  function revInput(id) {
    return form.querySelector('input[name="rev' + id + '"]');
  }

  function answerInputs(box) {
    return Array.prototype.filter.call(box.querySelectorAll("input, textarea"), function (el) {
      return el.name && el.type !== "hidden";
    });
  }

  // What a question's inputs hold, as the [name, value] pairs a form post would carry.
  function collect(box) {
    var fields = [];
    answerInputs(box).forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      fields.push([el.name, el.value]);
    });
    return fields;
  }

  function apply(box, fields) {
    answerInputs(box).forEach(function (el) {
      var values = fields.filter(function (f) { return f[0] === el.name; }).map(function (f) { return f[1]; });
      if (el.type === "radio" || el.type === "checkbox") el.checked = values.indexOf(el.value) !== -1;
      else el.value = values.length ? values[0] : "";
    });
  }

  function hasAnswer(fields) {
    return fields.some(function (f) { return String(f[1]).trim() !== ""; });
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  // The answers kept in the browser: {item id: {rev: revision they were made on, fields: [...], at: ms}}.
  function readStore() {
    try {
      return JSON.parse(window.localStorage.getItem(STORE) || "{}") || {};
    } catch (e) {
      return {};
    }
  }

  function writeStore(pending) {
    try {
      if (Object.keys(pending).length) window.localStorage.setItem(STORE, JSON.stringify(pending));
      else window.localStorage.removeItem(STORE);
    } catch (e) { /* storage full or disabled: autosave still works while online */ }
  }

  function keep(id, rev, fields) {
    var pending = readStore();
    pending[id] = { rev: String(rev), fields: fields, at: Date.now() };
    writeStore(pending);
  }

  // The server has this answer (or has refused it for a newer one): stop keeping it. A change made
  // while it was on its way stays kept, now on the revision the server moved to.
  function settle(id, sent, newRev) {
    var pending = readStore();
    var entry = pending[id];
    if (!entry) return;
    if (newRev === undefined || same(entry.fields, sent)) delete pending[id];
    else entry.rev = String(newRev);
    writeStore(pending);
  }

  function dropStore() {
    try { window.localStorage.removeItem(STORE); } catch (e) { /* nothing kept */ }
  }

  function markAnswered(id, answered) {
    var link = document.querySelector('.question-nav a[data-item="' + id + '"]');
    if (link) link.classList.toggle("is-answered", answered);
  }

  function post(id, rev, fields) {
    var data = new FormData();
    data.append("items", id);
    data.append("rev" + id, rev);
    fields.forEach(function (f) { data.append(f[0], f[1]); });
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token }
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    });
  }

  function showConflict(id) {
    var box = fieldset(id);
    if (box && !box.querySelector(".question__conflict")) {
      var p = document.createElement("p");
      p.className = "question__conflict";
      p.setAttribute("role", "alert");
      p.textContent = "此题已在其他窗口或设备上更新，本页的修改没有保存。请刷新页面后核对。";
      box.appendChild(p);
    }
  }

  // Handle the server's reply to saving ``fields`` for item ``id``; false once the attempt is closed.
  function settleReply(id, fields, reply) {
    var body = reply.body;
    if (body.closed) {
      finished = true;
      dropStore();
      say("作答时间已到，已自动交卷，正在打开成绩页…", true);
      window.location.href = body.result_url;
      return false;
    }
    if (typeof body.remaining === "number") setRemaining(body.remaining);
    delete failed[id];
    var key = String(id);
    if (body.saved && key in body.saved) {
      var rev = revInput(id);
      if (rev) rev.value = body.saved[key];
      settle(id, fields, body.saved[key]);
      if (!fieldset(id)) markAnswered(id, hasAnswer(fields));
    } else {
      settle(id, fields);  // unchanged, or refused because another tab saved a newer answer
      if (body.conflicts && key in body.conflicts) showConflict(id);
    }
    if (reply.status === 409) say("有题目在其他窗口更新过，本页修改未保存，请刷新页面。", true);
    else say("已自动保存 " + now());
    return true;
  }

  function offline(id) {
    failed[id] = true;
    say("网络中断，答案已暂存在本机；恢复连接后会自动保存。", true);
  }

  function save(id) {
    if (finished) return;
    var box = fieldset(id);
    if (!box) return;
    var fields = collect(box);
    var rev = revInput(id).value;
    keep(id, rev, fields);
    if (inflight[id]) { dirty[id] = true; return; }
    inflight[id] = true;
    say("正在保存…");
    post(id, rev, fields).then(function (reply) {
      settleReply(id, fields, reply);
    }).catch(function () {
      offline(id);
    }).then(function () {
      delete inflight[id];
      if (dirty[id]) { delete dirty[id]; save(id); }
    });
  }

  // An answer kept from an earlier visit to a question not on this screen: send it as it was kept.
  function saveKept(id) {
    if (finished || inflight[id]) return;
    var entry = readStore()[id];
    if (!entry) return;
    inflight[id] = true;
    post(id, entry.rev, entry.fields).then(function (reply) {
      settleReply(id, entry.fields, reply);
    }).catch(function () {
      offline(id);
    }).then(function () {
      delete inflight[id];
    });
  }

  function flush(id) {
    if (fieldset(id)) save(id);
    else saveKept(id);
  }

  function retryFailed() {
    Object.keys(failed).forEach(function (id) { delete failed[id]; flush(id); });
  }

  // Answers kept from a visit that ended before the server had them (offline, then reloaded or closed).
  function restore() {
    var pending = readStore();
    Object.keys(pending).forEach(function (id) {
      var box = fieldset(id);
      if (!box) { saveKept(id); return; }
      var rev = revInput(id);
      if (!rev || rev.value !== pending[id].rev) {
        settle(id, pending[id].fields);  // the server has a newer answer than the one kept
        return;
      }
      apply(box, pending[id].fields);
      markAnswered(id, hasAnswer(pending[id].fields));
      save(id);
    });
  }

  function pruneOldStores() {
    try {
      var cutoff = Date.now() - KEEP_DAYS * 24 * 3600 * 1000;
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var name = window.localStorage.key(i);
        if (!name || name.indexOf(STORE_PREFIX) !== 0 || name === STORE) continue;
        var entries = JSON.parse(window.localStorage.getItem(name) || "{}") || {};
        var newest = Math.max.apply(null, [0].concat(Object.keys(entries).map(function (k) { return entries[k].at || 0; })));
        if (newest < cutoff) window.localStorage.removeItem(name);
      }
    } catch (e) { /* storage disabled */ }
  }

  var typing = {};
  function boxOf(event) {
    return event.target.closest ? event.target.closest("fieldset[data-item]") : null;
  }
  form.addEventListener("change", function (event) {
    var box = boxOf(event);
    if (!box) return;
    var id = box.getAttribute("data-item");
    clearTimeout(typing[id]);  // leaving a blank saves it now; the pause-in-typing save would only repeat it
    delete typing[id];
    markAnswered(id, hasAnswer(collect(box)));
    save(id);
  });
  form.addEventListener("input", function (event) {
    if (event.target.type !== "text" && event.target.tagName !== "TEXTAREA") return;
    var box = boxOf(event);
    if (!box) return;
    var id = box.getAttribute("data-item");
    var fields = collect(box);
    keep(id, revInput(id).value, fields);  // kept at once: closing the tab mid-sentence loses nothing
    markAnswered(id, hasAnswer(fields));
    clearTimeout(typing[id]);
    typing[id] = setTimeout(function () { delete typing[id]; save(id); }, 1200);
  });
  window.addEventListener("online", retryFailed);
  setInterval(retryFailed, 10000);

  function saveTyping() {
    Object.keys(typing).forEach(function (id) { clearTimeout(typing[id]); delete typing[id]; save(id); });
  }

  function whenIdle(done, waited) {
    waited = waited || 0;
    if (!Object.keys(inflight).length || waited >= 5000) { done(); return; }
    setTimeout(function () { whenIdle(done, waited + 200); }, 200);
  }

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
      saveTyping();  // what was typed in the last second still goes in, within the server's grace
      finished = true;
      say("作答时间到，正在交卷…", true);
      var submit = document.getElementById("timeup-form");
      if (submit) whenIdle(function () { submit.submit(); });
      return;
    }
    setTimeout(tick, 1000);
  }

  pruneOldStores();
  restore();
  if (timer) {
    setRemaining(Number(timer.getAttribute("data-remaining")));
    tick();
  }
})();
