/* "Gestion du foyer › Notifications": this browser subscribes to web push (or stops) through
   the portal's service worker, with the deployment's VAPID public key (data-push-key). The
   subscription goes to the server with the page's CSRF token; the server checks it against the
   household signed in. Texts come from the page (data-text-*), in French. */
(function () {
  "use strict";

  function keyBytes(base64url) {
    var padded = base64url.replace(/-/g, "+").replace(/_/g, "/");
    padded += "===".slice((padded.length + 3) % 4);
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function setup(box) {
    var status = document.getElementById("push-status");
    var on = document.getElementById("push-subscribe");
    var off = document.getElementById("push-unsubscribe");
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    function say(text) { status.textContent = text; }
    function show(subscribed, text) {
      on.hidden = subscribed;
      off.hidden = !subscribed;
      on.disabled = false;
      off.disabled = false;
      say(text || box.getAttribute(subscribed ? "data-text-on" : "data-text-off"));
    }
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window) || !token) {
      say(box.getAttribute("data-text-unsupported"));
      return;
    }
    function post(url, body) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token.value },
        body: JSON.stringify(body)
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { ok: response.ok, message: data.message || "" };
        });
      });
    }
    var ready = navigator.serviceWorker.ready;
    ready.then(function (registration) {
      return registration.pushManager.getSubscription();
    }).then(function (subscription) {
      show(Boolean(subscription), "");
    }).catch(function () { say(box.getAttribute("data-text-unsupported")); });

    on.addEventListener("click", function () {
      on.disabled = true;
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") { show(false, box.getAttribute("data-text-denied")); return null; }
        return ready.then(function (registration) {
          return registration.pushManager.subscribe({
            userVisibleOnly: true,
            applicationServerKey: keyBytes(box.getAttribute("data-push-key"))
          });
        }).then(function (subscription) {
          return post(box.getAttribute("data-subscribe-url"), subscription.toJSON()).then(function (answer) {
            if (answer.ok) { show(true, answer.message); return null; }
            return subscription.unsubscribe().then(function () {
              show(false, answer.message || box.getAttribute("data-text-failed"));
            });
          });
        });
      }).catch(function () { show(false, box.getAttribute("data-text-failed")); });
    });

    off.addEventListener("click", function () {
      off.disabled = true;
      ready.then(function (registration) {
        return registration.pushManager.getSubscription();
      }).then(function (subscription) {
        if (!subscription) { show(false, ""); return null; }
        return post(box.getAttribute("data-unsubscribe-url"), { endpoint: subscription.endpoint }).then(function (answer) {
          return subscription.unsubscribe().then(function () { show(false, answer.message); });
        });
      }).catch(function () { show(true, box.getAttribute("data-text-failed")); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("push-device");
    if (box) { setup(box); }
  });
})();
