// Real-browser tests of panic recovery: a crash shows a recovery screen instead of a blank page,
// and the learner's machine as it was after the last command comes back with one click.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { SEL, baseUrl, launchBrowser, lines, type, waitForOutput } from './browser.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** A fresh context on `?debug-panic=1`, where the command `:panic` makes the app panic. */
async function debugPage(t) {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(`${baseUrl()}?debug-panic=1`);
  await page.waitForSelector(SEL.ready, { timeout: 20_000 });
  await type(page, 'docker run -d --name keeper nginx:alpine');
  await waitForOutput(page, 'Status: Downloaded newer image for nginx:alpine');
  await type(page, ':panic');
  await page.waitForSelector('[data-testid=recovery]', { timeout: 10_000 });
  return page;
}

test('a panic shows the recovery screen, and Restore brings the machine back', { timeout: 90_000 }, async (t) => {
  const page = await debugPage(t);
  assert.equal(await page.textContent('.recovery h1'), 'Something went wrong inside the simulator');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'restore-last-good', 'the restore button has focus');
  await page.screenshot({ path: `${process.env.WHALEBOX_SHOTS || '/tmp'}/whalebox-recovery.png` });

  await page.click('[data-action=restore-last-good]');
  await page.waitForSelector(SEL.ready, { timeout: 20_000 });
  assert.ok(!page.url().includes('recover='), `the one-off request leaves the address: ${page.url()}`);
  await type(page, 'docker ps --format "{{.Names}} {{.Image}}"');
  await waitForOutput(page, 'keeper nginx:alpine');
});

test('Start fresh gives a new machine and sets the old state aside', { timeout: 90_000 }, async (t) => {
  const page = await debugPage(t);
  await page.click('[data-action=start-fresh]');
  await page.waitForSelector(SEL.ready, { timeout: 20_000 });
  await type(page, 'docker ps -a --format "{{.Names}}" | wc -l');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=terminal-line]').length >= 2);
  assert.equal((await lines(page)).at(-1), '0', 'no containers on the fresh machine');
  const setAside = await page.evaluate(() => localStorage.getItem('whalebox.set-aside') ?? '');
  assert.ok(setAside.includes('keeper'), 'the machine before the crash is kept in localStorage');
});

test('without the debug parameter :panic is only an unknown command', { timeout: 60_000 }, async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(baseUrl());
  await page.waitForSelector(SEL.ready, { timeout: 20_000 });
  await type(page, ':panic');
  await waitForOutput(page, 'bash: :panic: command not found');
  assert.equal(await page.locator('[data-testid=recovery]').count(), 0);
});
