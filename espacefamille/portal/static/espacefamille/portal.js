// Progressive enhancements only: every page works without JavaScript.
(function () {
  "use strict";
  var RULES = {
    length: function (p) { return p.length >= 8; },
    upper: function (p) { return /[A-ZÀ-Ý]/.test(p); },
    lower: function (p) { return /[a-zß-ÿ]/.test(p); },
    digit: function (p) { return /[0-9]/.test(p); },
    symbol: function (p) { return /[^A-Za-zÀ-ÿ0-9]/.test(p); }
  };

  function setupPasswordRules(list) {
    var pwd = document.getElementById(list.dataset.password);
    var confirm = document.getElementById(list.dataset.confirm);
    if (!pwd) { return; }
    function update() {
      var value = pwd.value;
      list.querySelectorAll("li[data-rule]").forEach(function (item) {
        var rule = item.dataset.rule;
        var ok = rule === "same"
          ? (value.length > 0 && confirm && confirm.value === value)
          : RULES[rule](value);
        item.classList.toggle("ok", ok);
        item.classList.toggle("ko", !ok);
        item.querySelector(".rule-state").textContent = ok ? " : respecté" : " : non respecté";
      });
    }
    pwd.addEventListener("input", update);
    if (confirm) { confirm.addEventListener("input", update); }
    update();
  }


  // The phone header: the town and the account behind one "Menu" button.
  function setupMenuButton(button) {
    var panel = document.getElementById(button.getAttribute("aria-controls"));
    var header = button.closest(".site-header");
    if (!panel || !header) { return; }
    header.classList.add("menu-ready");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      panel.classList.toggle("is-open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        panel.classList.remove("is-open");
        button.focus();
      }
    });
  }

  // Offline: the page as it was last seen online, with the time it was saved, and every
  // action disabled (nothing is written offline).
  var OFFLINE_CONTROLS = "main button, main input, main select, main textarea, .site-header button, .site-header select";

  function twoDigits(n) { return (n < 10 ? "0" : "") + n; }

  function savedAt() {
    var marked = document.body.getAttribute("data-offline-saved-at");
    if (marked) { return Promise.resolve(new Date(marked)); }
    if (!window.caches) { return Promise.resolve(null); }
    return caches.match(location.pathname + location.search).then(function (response) {
      var stamp = response && response.headers.get("X-Espacefamille-Saved-At");
      return stamp ? new Date(stamp) : null;
    }).catch(function () { return null; });
  }

  function showOffline() {
    var main = document.getElementById("contenu");
    if (!main || document.getElementById("offline-banner")) { return; }
    var banner = document.createElement("div");
    banner.id = "offline-banner";
    banner.className = "message message-warning offline-banner";
    banner.setAttribute("role", "status");
    var icon = document.createElement("span");
    icon.className = "message-icon";
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = "!";
    var text = document.createElement("p");
    text.className = "message-body";
    text.textContent = "Hors ligne";
    banner.appendChild(icon);
    banner.appendChild(text);
    main.insertBefore(banner, main.firstChild);
    savedAt().then(function (when) {
      if (when) {
        text.textContent = "Hors ligne — mis à jour le " + twoDigits(when.getDate()) + "/" +
          twoDigits(when.getMonth() + 1) + " à " + twoDigits(when.getHours()) + ":" + twoDigits(when.getMinutes());
      }
    });
    document.querySelectorAll(OFFLINE_CONTROLS).forEach(function (control) {
      if (control.disabled || control.classList.contains("menu-button")) { return; }
      control.disabled = true;
      control.setAttribute("data-offline-disabled", "");
    });
    document.querySelectorAll("form").forEach(function (form) {
      form.setAttribute("data-offline", "");
    });
  }

  function showOnline() {
    if (document.body.hasAttribute("data-offline-saved-at")) { location.reload(); return; }
    var banner = document.getElementById("offline-banner");
    if (banner) { banner.remove(); }
    document.querySelectorAll("[data-offline-disabled]").forEach(function (control) {
      control.disabled = false;
      control.removeAttribute("data-offline-disabled");
    });
    document.querySelectorAll("form[data-offline]").forEach(function (form) {
      form.removeAttribute("data-offline");
    });
  }

  function forgetOfflinePages() {
    var done = [];
    if (window.caches) {
      done.push(caches.keys().then(function (keys) {
        return Promise.all(keys.map(function (key) { return caches.delete(key); }));
      }));
    }
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "forget" });
    }
    return Promise.all(done).catch(function () { return null; });
  }

  function setupInstallable(body) {
    var workerUrl = body.getAttribute("data-service-worker");
    if (!workerUrl || !("serviceWorker" in navigator)) { return; }
    var pagesUrl = body.getAttribute("data-offline-pages");
    navigator.serviceWorker.register(workerUrl, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (!navigator.onLine || !registration.active || body.hasAttribute("data-offline-saved-at")) { return; }
      registration.active.postMessage(pagesUrl ? { type: "refresh", url: pagesUrl } : { type: "forget" });
    }).catch(function () { return null; });
    document.querySelectorAll("form[data-sign-out]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.hasAttribute("data-forgotten")) { return; }
        event.preventDefault();
        form.setAttribute("data-forgotten", "");
        forgetOfflinePages().then(function () { form.submit(); });
      });
    });
    if (!navigator.onLine || body.hasAttribute("data-offline-saved-at")) { showOffline(); }
    window.addEventListener("offline", showOffline);
    window.addEventListener("online", showOnline);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".password-rules").forEach(setupPasswordRules);
    document.querySelectorAll(".menu-button").forEach(setupMenuButton);
    setupInstallable(document.body);
  });
  // Forms submitted while offline would fail: nothing leaves (htmx requests too).
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-offline")) {
      event.preventDefault();
    }
  }, true);
})();
