// Real-browser test that the page is self-contained: every request it makes goes to 127.0.0.1.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { launchBrowser, openTerminal, type, waitForOutput } from './browser.mjs';

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
