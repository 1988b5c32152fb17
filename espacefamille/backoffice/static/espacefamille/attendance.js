/* The attendance sheet's taps, saved one by one with fetch and safe on a flaky Wi-Fi.
 *
 * Every tap goes through one queue kept in localStorage: it is added at the end, then the
 * queue is sent in order, each tap removed once the server answered it. Offline (or when the
 * request fails) the tap stays queued ("en attente (hors ligne)") and the queue is replayed on
 * the "online" event and on the next page load. Each tap carries its own id and the time it
 * was made: the server applies a tap once, and never lets an older tap undo a later one, so a
 * replay that reaches it twice changes nothing. Without JavaScript the buttons are plain POST
 * forms. */
(function () {
  "use strict";
  var KEY = "espacefamille.attendance.queue";
  var sending = false;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "[]"); } catch (error) { return []; }
  }
  function store(queue) { window.localStorage.setItem(KEY, JSON.stringify(queue)); }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function formOf(childId) {
    return document.querySelector('form.attendance-tap[data-child="' + childId + '"]');
  }
  function csrfToken() {
    var field = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return field ? field.value : "";
  }

  function show(childId, text, kind, action) {
    var form = formOf(childId);
    if (!form) { return; }
    var status = form.querySelector(".tap-status");
    status.textContent = text;
    status.classList.toggle("is-pending", kind === "pending");
    status.classList.toggle("is-error", kind === "error");
    status.classList.toggle("is-warning", kind === "warning");
    if (action) {
      form.querySelectorAll("button[name=action]").forEach(function (button) {
        button.setAttribute("aria-pressed", button.value === action ? "true" : "false");
      });
    }
  }

  function pressedOf(state) {
    if (state === "present" || state === "present_unbooked") { return "present"; }
    return state;
  }

  function connection() {
    var box = document.getElementById("attendance-connection");
    if (!box) { return; }
    var waiting = load().length;
    box.textContent = waiting ? waiting + (waiting > 1 ? " pointages en attente (hors ligne)" : " pointage en attente (hors ligne)") : "";
  }

  function send(tap) {
    var body = new URLSearchParams();
    Object.keys(tap.fields).forEach(function (name) { body.append(name, tap.fields[name]); });
    return fetch(tap.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.status === 403 || response.status === 404) {
        // Refused for good (outside the agent's role or sites): drop it, do not block the queue.
        return { status: response.status, answer: { ok: false, message: "Pointage refusé." } };
      }
      if (type.indexOf("application/json") === -1) {
        // Signed out (the sign-in page answered) or a server error: keep the tap queued.
        throw new Error("not-json");
      }
      return response.json().then(function (answer) { return { status: response.status, answer: answer }; });
    });
  }

  function replay() {
    if (sending) { return; }
    var queue = load();
    if (!queue.length) { connection(); return; }
    if (navigator.onLine === false) {
      queue.forEach(function (tap) { show(tap.fields.child, "en attente (hors ligne)", "pending", tap.fields.action); });
      connection();
      return;
    }
    sending = true;
    var tap = queue[0];
    send(tap).then(function (result) {
      store(load().filter(function (queued) { return queued.fields.tap !== tap.fields.tap; }));
      if (result.answer.ok) {
        show(tap.fields.child, result.answer.message, "ok", pressedOf(result.answer.state));
      } else {
        show(tap.fields.child, result.answer.message || "Pointage refusé.", "error");
      }
      sending = false;
      replay();
    }).catch(function () {
      sending = false;
      load().forEach(function (queued) { show(queued.fields.child, "en attente (hors ligne)", "pending", queued.fields.action); });
      connection();
    });
  }

  function onSubmit(event) {
    var form = event.target.closest("form.attendance-tap");
    var button = event.submitter;
    if (!form || !button || button.name !== "action") { return; }
    event.preventDefault();
    var fields = {
      child: form.querySelector("input[name=child]").value,
      site: form.querySelector("input[name=site]").value,
      action: button.value,
      tap: newId(),
      tapped_at: new Date().toISOString()
    };
    var queue = load();
    queue.push({ url: form.getAttribute("action"), fields: fields });
    store(queue);
    show(fields.child, navigator.onLine === false ? "en attente (hors ligne)" : "envoi…", "pending", fields.action);
    connection();
    replay();
  }

  function start() {
    document.addEventListener("submit", onSubmit);
    window.addEventListener("online", replay);
    window.addEventListener("offline", connection);
    replay();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
