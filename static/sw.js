// Whalebox's service worker: keeps the whole site working offline.
//
// This file is a template. `cargo xtask dist` writes it into dist/sw.js with the two markers
// below replaced: the list of files the built site consists of (Trunk's content-hashed .js,
// .wasm and .css, index.html, lessons.json…) and a cache name derived from their hashes, so
// every build that changes a file gets a new cache and the old one is deleted on activate.
const CACHE = 'whalebox-' + /*CACHE_VERSION*/'dev';
const ASSETS = /*ASSETS*/[];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(ASSETS.map((asset) => new Request(asset, { cache: 'reload' }))))
      // The new site is complete in the cache: take over without waiting for old tabs to close.
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith('whalebox-') && name !== CACHE).map((name) => caches.delete(name)),
      ))
      .then(() => self.clients.claim()),
  );
});

// Cache first. A page load (`/`, `/?embed=layer-cache`) is always the one index.html; everything
// else is looked up by its path. Whatever is not in the cache goes to the network as usual.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  const key = request.mode === 'navigate' ? new URL('./', self.registration.scope).href : request;
  event.respondWith(
    caches.open(CACHE)
      .then((cache) => cache.match(key, { ignoreSearch: true }))
      .then((cached) => cached || fetch(request)),
  );
});
