/* Espace Famille's service worker (portal/views/installable.py serves it from the root, after
   two lines that set SHELL, the shell's files, and AGENDA_URL).
   It keeps the shell (styles, scripts, icons) and, for the household signed in, the pages the
   server lists (the current and next week of each child's agenda), to read them offline.
   Nothing is ever written offline: the pages disable their actions (portal.js). */
var SHELL_CACHE = "espacefamille-shell-v1";
var PAGES_CACHE = "espacefamille-pages";
/* SHELL, AGENDA_URL and ICON_URL are set above this file by the view. */
var KEY_URL = "/__espacefamille-household__";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) { return cache.addAll(SHELL); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key !== SHELL_CACHE && key !== PAGES_CACHE;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

function forget() {
  return caches.delete(PAGES_CACHE);
}

// The copy kept for reading offline is asked with X-Espacefamille-Offline-Copy: the page then
// leaves the family's status messages ("Le panier a été vidé.") for the page they open next.
function keep(cache, url) {
  return fetch(url, {
    credentials: "same-origin", cache: "no-store", redirect: "manual",
    headers: { "X-Espacefamille-Offline-Copy": "1" }
  })
    .then(function (response) {
      if (response.status !== 200 || response.type !== "basic") { return null; }
      return response.blob().then(function (body) {
        var headers = new Headers(response.headers);
        headers.set("X-Espacefamille-Saved-At", new Date().toISOString());
        headers.delete("Vary");
        headers.delete("Content-Length");
        return cache.put(url, new Response(body, { status: 200, headers: headers }));
      });
    }).catch(function () { return null; });
}

function refresh(listUrl) {
  return fetch(listUrl, { credentials: "same-origin", cache: "no-store", redirect: "manual" })
    .then(function (response) {
      if (response.status !== 200) { return forget(); }
      return response.json().then(function (list) {
        return caches.open(PAGES_CACHE).then(function (cache) {
          return cache.match(KEY_URL).then(function (stored) {
            return stored ? stored.text() : "";
          }).then(function (key) {
            if (key === list.household) { return cache; }
            return forget().then(function () { return caches.open(PAGES_CACHE); }).then(function (fresh) {
              return fresh.put(KEY_URL, new Response(list.household)).then(function () { return fresh; });
            });
          });
        }).then(function (cache) {
          return Promise.all(list.pages.map(function (url) { return keep(cache, url); }));
        });
      });
    }).catch(function () { return null; });
}

// One refresh or forget at a time, in the order asked: a sign-out's "forget" never runs beside
// a refresh that would keep pages again, and a "-done" answer means every earlier one is done.
var inTurn = Promise.resolve();
function queued(task) {
  inTurn = inTurn.then(task, task);
  return inTurn;
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var done = data.type === "refresh" ? queued(function () { return refresh(data.url); })
    : data.type === "forget" ? queued(forget) : null;
  if (done) {
    event.waitUntil(done.then(function () {
      if (event.source) { event.source.postMessage({ type: data.type + "-done" }); }
    }));
  }
});

function offlinePage() {
  return caches.open(PAGES_CACHE).then(function (cache) {
    return cache.match(AGENDA_URL, { ignoreVary: true }).then(function (agenda) {
      if (agenda) { return Response.redirect(AGENDA_URL, 302); }
      var page = "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">" +
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
        "<title>Hors ligne — Espace Famille</title>" +
        "<link rel=\"stylesheet\" href=\"" + SHELL[0] + "\"><link rel=\"stylesheet\" href=\"" + SHELL[1] + "\">" +
        "</head><body><main id=\"contenu\" class=\"container\"><h1>Hors ligne</h1>" +
        "<p>Cette page n'est pas disponible sans connexion. Reconnectez-vous à Internet puis réessayez.</p>" +
        "</main></body></html>";
      return new Response(page, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
    });
  });
}

// A kept page says, on its body, that it is the offline copy and when it was saved:
// portal.js shows "Hors ligne — mis à jour le …" and disables every action.
function markedOffline(kept) {
  var saved = kept.headers.get("X-Espacefamille-Saved-At") || "";
  return kept.text().then(function (html) {
    var marked = html.replace("<body", "<body data-offline-saved-at=\"" + saved.replace(/[^0-9TZ:.\-]/g, "") + "\"");
    var headers = new Headers(kept.headers);
    headers.delete("Content-Length");
    return new Response(marked, { status: 200, headers: headers });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      return caches.open(PAGES_CACHE).then(function (cache) {
        return cache.match(url.pathname + url.search, { ignoreVary: true });
      }).then(function (kept) { return kept ? markedOffline(kept) : offlinePage(); });
    }));
    return;
  }
  if (SHELL.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(request, { cacheName: SHELL_CACHE }).then(function (hit) {
      return hit || fetch(request);
    }));
  }
});

/* Web push (notifications/push.py sends {title, body, url}): show it; a click opens its page. */
self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = {}; }
  var target = typeof data.url === "string" && /^(\/|https?:\/\/)/.test(data.url) ? data.url : "/";
  event.waitUntil(self.registration.showNotification(data.title || "Espace Famille", {
    body: data.body || "",
    icon: ICON_URL,
    lang: "fr",
    data: { url: target }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin).href;
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i += 1) {
      if (windows[i].url === target && "focus" in windows[i]) { return windows[i].focus(); }
    }
    return self.clients.openWindow(target);
  }));
});
