// Real-browser tests of embed mode: another site's page iframes `?embed=layer-cache` and drives
// it through the postMessage API (README.md, "Embedding and the JavaScript API").
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { baseUrl, launchBrowser } from './browser.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/**
 * A host page on another origin (`localhost` instead of `127.0.0.1`) with the lesson in an iframe;
 * it records the frame's messages. The page is written with `setContent` into a (404) page of the
 * test server reached as `localhost`: Chromium blocks a page it thinks public (a routed one) from
 * framing a loopback address, while this one is local and still cross-origin.
 */
async function hostPage(t, { width = 1000, height = 640 } = {}) {
  const context = await browser.newContext({ viewport: { width: width + 40, height: height + 40 } });
  t.after(() => context.close());
  const frameUrl = `${baseUrl()}?embed=layer-cache`;
  const frameOrigin = new URL(baseUrl()).origin;
  const page = await context.newPage();
  await page.goto(`${baseUrl().replace('127.0.0.1', 'localhost')}embed-host.html`);
  await page.setContent(`<!doctype html><html lang="en"><title>A course site</title>
    <iframe id="whalebox" title="Whalebox lesson" src="${frameUrl}" width="${width}" height="${height}"></iframe>
    <script>
      window.received = [];
      addEventListener('message', (event) => {
        if (event.origin === ${JSON.stringify(frameOrigin)}) window.received.push(event.data);
      });
      window.ask = (message) => document.getElementById('whalebox').contentWindow.postMessage(message, ${JSON.stringify(frameOrigin)});
    </script>`);
  assert.notEqual(await page.evaluate(() => location.origin), frameOrigin, 'the host is another origin');
  await page.waitForFunction(() => window.received.some((m) => m.type === 'whalebox:ready'), null, { timeout: 60_000 });
  return page;
}

/** Posts `message` into the frame and waits for the answer carrying its id. */
async function ask(page, message) {
  await page.evaluate((m) => window.ask(m), message);
  const handle = await page.waitForFunction(
    (id) => window.received.find((m) => m.id === id && m.type !== 'whalebox:ready'),
    message.id,
    { timeout: 30_000 },
  );
  return handle.jsonValue();
}

test('the frame says it is ready, runs commands and reports goal progress', { timeout: 120_000 }, async (t) => {
  const page = await hostPage(t);
  const ready = await page.evaluate(() => window.received.find((m) => m.type === 'whalebox:ready'));
  assert.deepEqual(ready, { type: 'whalebox:ready', itemId: 'layer-cache' });

  const images = await ask(page, { type: 'whalebox:run', id: 'images', command: 'docker images --format "{{.Repository}}:{{.Tag}}"' });
  assert.equal(images.type, 'whalebox:result');
  assert.equal(images.exitCode, 0);
  assert.match(images.output, /^shop:1$/m, 'the lesson setup built shop:1');

  const failed = await ask(page, { type: 'whalebox:run', id: 2, command: 'docker foo' });
  assert.equal(failed.exitCode, 1);
  assert.match(failed.output, /unknown command/);

  const before = await ask(page, { type: 'whalebox:goal-status', id: 'g1' });
  assert.equal(before.itemId, 'layer-cache');
  assert.equal(before.step, 0);
  assert.ok(before.steps >= 3, `steps: ${before.steps}`);
  assert.equal(before.complete, false);
  assert.ok(before.missing.length > 0, 'something is still missing for step 1');

  // The first step's solution, as a learner would type it.
  await ask(page, { type: 'whalebox:run', id: 3, command: `echo "print('v2')" >> app.py` });
  const build = await ask(page, { type: 'whalebox:run', id: 4, command: 'docker build -t shop:2 .' });
  assert.equal(build.exitCode, 0, build.output);
  const afterStep = await ask(page, { type: 'whalebox:goal-status', id: 'g2' });
  assert.equal(afterStep.step, 1, JSON.stringify(afterStep));

  // What the parent ran is on the frame's screen too, and the frame ticks the step off.
  const frame = page.frame({ url: /embed=layer-cache/ });
  await frame.waitForSelector('[data-step-state=done]');
  assert.match(await frame.textContent('[data-testid=terminal-output]'), /docker build -t shop:2 \./);
});

test('malformed and unknown messages get no answer and break nothing', { timeout: 120_000 }, async (t) => {
  const page = await hostPage(t);
  const junk = [
    'whalebox:run',
    null,
    42,
    { type: 'whalebox:run', command: 'docker ps' },
    { type: 'whalebox:run', id: { nested: true }, command: 'docker ps' },
    { type: 'whalebox:run', id: 'no-command' },
    { type: 'whalebox:run', id: 'not-text', command: ['docker', 'ps'] },
    { type: 'whalebox:result', id: 'echo', exitCode: 0, output: '' },
    { type: 'whalebox:unheard-of', id: 'x' },
  ];
  for (const message of junk) {
    await page.evaluate((m) => window.ask(m), message);
  }
  const answer = await ask(page, { type: 'whalebox:run', id: 'after-junk', command: 'echo still here' });
  assert.equal(answer.output, 'still here');
  const answered = await page.evaluate(() => window.received.map((m) => m.id).filter((id) => id !== undefined));
  assert.deepEqual(answered, ['after-junk'], 'only the well-formed request was answered');
});

test('the frame has no header chrome and fits a narrow iframe', { timeout: 120_000 }, async (t) => {
  const page = await hostPage(t, { width: 360, height: 600 });
  const frame = page.frame({ url: /embed=layer-cache/ });
  assert.equal(await frame.locator('.app-header').count(), 0, 'no page header in embed mode');
  assert.equal(await frame.evaluate(() => document.documentElement.classList.contains('embed') && document.body.classList.contains('embed')), true);
  assert.match(await frame.textContent('.embed-title'), /layer cache/i);
  const overflow = await frame.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the frame scrolls sideways by ${overflow}px`);
  await page.screenshot({ path: `${process.env.WHALEBOX_SHOTS || '/tmp'}/whalebox-embed-narrow.png` });
});
