// Real-browser tests that the page is self-contained: every request it makes goes to 127.0.0.1,
// and after one visit its service worker serves the whole site with the network switched off.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { SEL, baseUrl, launchBrowser, openTerminal, type, waitForOutput } from './browser.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('the page requests nothing from any host but 127.0.0.1', { timeout: 60_000 }, async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const requests = [];
  context.on('request', (request) => requests.push(request.url()));
  const page = await context.newPage();
  page.on('websocket', (socket) => requests.push(socket.url()));

  await openTerminal(page);
  await type(page, 'docker run hello-world');
  await waitForOutput(page, 'Hello from Docker!');
  await page.waitForLoadState('networkidle');

  // Proof that recording works: the page itself and its wasm were seen.
  assert.ok(requests.some((url) => new URL(url).pathname === '/'), `the page itself among ${requests.join(', ')}`);
  assert.ok(requests.some((url) => url.endsWith('.wasm')), `a .wasm among ${requests.join(', ')}`);

  const foreign = requests.filter((url) => {
    const { protocol, hostname } = new URL(url);
    return !['data:', 'blob:', 'about:'].includes(protocol) && hostname !== '127.0.0.1';
  });
  assert.deepEqual(foreign, [], 'requests to other hosts');
});

/** Waits until a service worker controls `page` (the first visit installs and claims it). */
async function waitForServiceWorker(page) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 30_000 });
}

test('after one visit the site loads and runs commands offline', { timeout: 90_000 }, async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await openTerminal(page);
  await waitForServiceWorker(page);

  await context.setOffline(true);
  assert.equal(await page.evaluate(() => navigator.onLine), false, 'the browser believes it is offline');
  await page.reload();
  await page.waitForSelector(SEL.ready, { timeout: 20_000 });
  await type(page, 'docker run hello-world');
  await waitForOutput(page, 'Hello from Docker!');

  // The lessons embed mode reads are in the offline copy too, and so is a page with a query.
  const lessons = await page.evaluate(async () => (await (await fetch('lessons.json')).json()).map((item) => item.id));
  assert.ok(lessons.includes('layer-cache'), `lessons.json offline lists layer-cache: ${lessons.slice(0, 5).join(', ')}…`);
  await page.goto(`${baseUrl()}?embed=layer-cache`);
  await page.waitForSelector('[data-testid=embed-steps]', { timeout: 30_000 });
});

test('the service worker precaches this build under a cache named after it', { timeout: 60_000 }, async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await openTerminal(page);
  await waitForServiceWorker(page);
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const cache = await caches.open(names[0]);
    return { names, urls: (await cache.keys()).map((request) => new URL(request.url).pathname) };
  });
  assert.equal(cached.names.length, 1, `one cache: ${cached.names}`);
  assert.match(cached.names[0], /^whalebox-[0-9a-f]{16}$/);
  for (const pattern of [/^\/$/, /^\/index\.html$/, /\.wasm$/, /\.js$/, /\.css$/, /^\/lessons\.json$/, /^\/manifest\.webmanifest$/]) {
    assert.ok(cached.urls.some((url) => pattern.test(url)), `${pattern} among the cached ${cached.urls.join(', ')}`);
  }
});

test('the web app manifest names the app, its icon and how it starts', { timeout: 60_000 }, async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await openTerminal(page);
  const href = await page.getAttribute('link[rel=manifest]', 'href');
  const manifest = await page.evaluate(async (url) => (await fetch(url)).json(), href);
  assert.equal(manifest.short_name, 'Whalebox');
  assert.equal(manifest.start_url, '.');
  assert.equal(manifest.display, 'standalone');
  assert.match(manifest.theme_color, /^#[0-9a-f]{6}$/i);
  const icon = manifest.icons[0];
  const response = await page.evaluate(async (src) => {
    const r = await fetch(src);
    return { ok: r.ok, type: r.headers.get('content-type'), text: await r.text() };
  }, icon.src);
  assert.ok(response.ok && response.type.startsWith('image/svg+xml') && response.text.includes('<svg'), `icon ${icon.src}: ${response.type}`);
});
