// Real-browser tests of share links: a session round-trips through the URL, and damaged links
// are refused with a message while the page keeps working.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { SEL, baseUrl, launchBrowser, lines, openTerminal, type, waitForOutput } from './browser.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function newPage(t) {
  const context = await browser.newContext();
  t.after(() => context.close());
  return context.newPage();
}

/** Scrollback lines after the first `docker` command, ignoring the page's own notes. */
async function session(page) {
  const shown = await lines(page);
  return shown.slice(shown.findIndex((line) => line.includes('docker run')));
}

test('a shared link replays the session to the same output', { timeout: 120_000 }, async (t) => {
  const page = await newPage(t);
  await openTerminal(page);
  await type(page, 'docker run -d --name web nginx:alpine');
  await waitForOutput(page, 'Status: Downloaded newer image for nginx:alpine');
  await type(page, "cat > notes.txt <<'EOF'");
  await type(page, 'shared text');
  await type(page, 'EOF');
  await type(page, 'docker ps --format "{{.ID}} {{.Names}} {{.Status}}"');
  await type(page, 'cat notes.txt');
  await waitForOutput(page, 'shared text');
  await page.click('[data-action=share]');
  const url = await page.inputValue('[data-share-url]');
  assert.match(url, /#s=[A-Za-z0-9_-]+$/);
  assert.ok(url.length < 9_000);
  const original = await session(page);

  const other = await newPage(t);
  await other.goto(url);
  await other.waitForSelector(SEL.ready);
  await waitForOutput(other, 'Opened a share link: replaying 4 commands.');
  await waitForOutput(other, 'shared text');
  assert.deepEqual(await session(other), original, 'the same lines, IDs included');
});

test('damaged links are refused by name and the page still works', { timeout: 90_000 }, async (t) => {
  const cases = [
    ['#s=abc$def', 'invalid base64 character at position 3'],
    ['#s=bm90IGRlZmxhdGU', 'does not decompress'],
    [`#s=${'A'.repeat(9000)}`, 'share link is too long'],
  ];
  for (const [hash, message] of cases) {
    const page = await newPage(t);
    await page.goto(baseUrl() + hash);
    await page.waitForSelector(SEL.ready);
    await waitForOutput(page, message);
    await type(page, 'docker run hello-world');
    await waitForOutput(page, 'Hello from Docker!');
  }
});

test('a link shared mid-lesson reopens the lesson at the same step', { timeout: 120_000 }, async (t) => {
  const page = await newPage(t);
  await openTerminal(page);
  await page.click('[data-mode=lesson]');
  await page.click('[data-item-id="first-commands"]');
  await page.click('[data-action=demo]');
  await page.waitForSelector('[data-step="1"][data-step-state=current]');
  await page.click('[data-action=share]');
  const url = await page.inputValue('[data-share-url]');
  const original = await session(page);

  const other = await newPage(t);
  await other.goto(url);
  await other.waitForSelector(SEL.ready);
  await other.waitForSelector('.item-view[data-item="first-commands"] [data-step="1"][data-step-state=current]', { timeout: 20_000 });
  assert.equal(await other.getAttribute('[data-mode=lesson]', 'aria-pressed'), 'true');
  assert.deepEqual(await session(other), original, 'the same lines, IDs included');
});
