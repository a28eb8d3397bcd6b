// Waypoint's service worker for My visits today (docs/offline.md). Served from /visits/ so its
// scope is /visits/. It keeps only the page with no patient data in it and the files that page
// needs: never the visits page itself (the visits are kept encrypted by the page's script).
const CACHE = "{{ cache_name }}";
const SCOPE = "{{ scope }}";
const SHELL = "{{ shell_url }}";
const ASSETS = {{ assets_json | safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([SHELL, ...ASSETS])).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.startsWith(SCOPE)) {
    // A signal: the page from Waypoint (and a fresh copy of the empty page kept for later).
    // No signal: the empty page, which the script fills from the phone's encrypted copy.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected) {
            event.waitUntil(caches.open(CACHE).then((cache) => cache.add(SHELL)).catch(() => {}));
          }
          return response;
        })
        .catch(() => caches.match(SHELL)),
    );
    return;
  }
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
