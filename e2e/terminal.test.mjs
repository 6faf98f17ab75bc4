// Real-browser tests of the terminal: the page loads and runs commands as Docker would print them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { SEL, launchBrowser, lines, openTerminal, type, waitForOutput } from './browser.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** A page in its own fresh context (no storage shared with other tests), terminal ready. */
async function freshTerminal(t) {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await openTerminal(page);
  return page;
}

test('docker run hello-world greets, then docker ps -a lists the exited container', { timeout: 60_000 }, async (t) => {
  const page = await freshTerminal(t);
  await type(page, 'docker run hello-world');
  await waitForOutput(page, 'Hello from Docker!');
  assert.ok(
    (await lines(page)).some((line) => line.trim() === 'Hello from Docker!'),
    'a line reading exactly "Hello from Docker!"',
  );

  await type(page, 'docker ps -a');
  await waitForOutput(page, 'Exited (0)');
  const rows = (await lines(page)).filter((line) => line.includes('hello-world') && line.includes('Exited (0)'));
  assert.equal(rows.length, 1, `one exited hello-world container in:\n${(await lines(page)).join('\n')}`);
});

test('ArrowUp recalls earlier commands into the input, newest first', { timeout: 60_000 }, async (t) => {
  const page = await freshTerminal(t);
  await type(page, 'docker version');
  await waitForOutput(page, 'Client:');
  await type(page, 'docker images');
  await waitForOutput(page, 'REPOSITORY');
  assert.equal(await page.inputValue(SEL.input), '', 'Enter clears the input');

  await page.press(SEL.input, 'ArrowUp');
  assert.equal(await page.inputValue(SEL.input), 'docker images');
  await page.press(SEL.input, 'ArrowUp');
  assert.equal(await page.inputValue(SEL.input), 'docker version');
});

test('an unknown command gets Docker\'s own error', { timeout: 60_000 }, async (t) => {
  const page = await freshTerminal(t);
  await type(page, 'docker foo');
  await waitForOutput(page, 'docker: unknown command: docker foo');
  assert.ok(
    (await lines(page)).some((line) => line.trim() === 'docker: unknown command: docker foo'),
    'a line reading exactly "docker: unknown command: docker foo"',
  );
});

test('docker logs -f follows a running container live until Ctrl+C', { timeout: 90_000 }, async (t) => {
  const page = await freshTerminal(t);
  await type(page, "docker run -d --name ticker busybox sh -c 'i=0; while [ $i -lt 100 ]; do i=$((i+1)); echo tick $i; sleep 1; done'");
  await waitForOutput(page, 'Status: Downloaded newer image for busybox:latest');
  await type(page, 'docker logs -f ticker');
  // One simulated second per real second: new ticks keep arriving while the prompt is hidden.
  await waitForOutput(page, 'tick 6');
  assert.equal(await page.locator('.input-line').getAttribute('data-live'), 'true', 'the prompt is hidden while it runs');
  await page.press(SEL.input, 'Control+c');
  await waitForOutput(page, '^C');
  assert.equal(await page.locator('.input-line').getAttribute('data-live'), 'false', 'Ctrl+C gives the prompt back');
  const before = (await lines(page)).filter((line) => line.startsWith('tick')).length;
  await page.waitForTimeout(2_500);
  const after = (await lines(page)).filter((line) => line.startsWith('tick')).length;
  assert.equal(after, before, 'nothing is followed after Ctrl+C');
});

test('docker exec -it opens a shell inside the container with its own prompt', { timeout: 90_000 }, async (t) => {
  const page = await freshTerminal(t);
  await type(page, 'docker run -d --name web nginx:alpine');
  await waitForOutput(page, 'Status: Downloaded newer image for nginx:alpine');
  await type(page, 'docker exec -it web sh');
  await page.waitForFunction(() => document.querySelector('label.prompt')?.textContent === '/ # ');
  await type(page, 'hostname');
  await type(page, 'exit');
  await page.waitForFunction(() => document.querySelector('label.prompt')?.textContent?.startsWith('learner@whalebox'));
  const shown = await lines(page);
  const hostIndex = shown.findIndex((line) => line === '/ # hostname');
  assert.ok(hostIndex >= 0, `the command is echoed after the container's prompt:\n${shown.join('\n')}`);
  assert.match(shown[hostIndex + 1], /^[0-9a-f]{12}$/, 'the hostname is the short container ID');
});
