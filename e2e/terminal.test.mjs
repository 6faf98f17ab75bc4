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

test('Tab completes a docker word; a second Tab lists the choices as bash does', { timeout: 60_000 }, async (t) => {
  const page = await freshTerminal(t);
  await page.fill(SEL.input, 'docker vers');
  await page.press(SEL.input, 'Tab');
  assert.equal(await page.inputValue(SEL.input), 'docker version ', 'one candidate completes, with a space');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'terminal-input', 'Tab does not move focus away');

  await page.fill(SEL.input, 'docker con');
  await page.press(SEL.input, 'Tab');
  assert.equal((await lines(page)).length, 0, 'the first Tab lists nothing');
  await page.press(SEL.input, 'Tab');
  await waitForOutput(page, 'container');
  const listed = (await lines(page)).slice(1).join(' ').split(/\s+/).filter(Boolean);
  assert.deepEqual(listed, ['config', 'container', 'context']);
  assert.equal(await page.inputValue(SEL.input), 'docker con', 'the typed line is kept');
});

test('Tab completes container names from the simulated host', { timeout: 60_000 }, async (t) => {
  const page = await freshTerminal(t);
  await type(page, 'docker run -d --name webserver nginx:alpine');
  await waitForOutput(page, 'Status: Downloaded newer image for nginx:alpine');
  await page.fill(SEL.input, 'docker stop web');
  await page.press(SEL.input, 'Tab');
  assert.equal(await page.inputValue(SEL.input), 'docker stop webserver ');
});

test('Ctrl+L clears the screen and keeps the typed line', { timeout: 60_000 }, async (t) => {
  const page = await freshTerminal(t);
  await type(page, 'echo before-clear');
  await waitForOutput(page, 'before-clear');
  await page.fill(SEL.input, 'docker ps');
  await page.press(SEL.input, 'Control+l');
  assert.equal((await lines(page)).length, 0, 'no scrollback lines left');
  assert.equal(await page.inputValue(SEL.input), 'docker ps');
  await page.press(SEL.input, 'Enter');
  await waitForOutput(page, 'CONTAINER ID');
});

test('Ctrl+C ends docker stats and gives the prompt back', { timeout: 90_000 }, async (t) => {
  const page = await freshTerminal(t);
  await type(page, 'docker run -d --name web nginx:alpine');
  await waitForOutput(page, 'Status: Downloaded newer image for nginx:alpine');
  await type(page, 'docker stats');
  await waitForOutput(page, 'MEM USAGE / LIMIT');
  assert.equal(await page.locator('.input-line').getAttribute('data-live'), 'true');
  await page.press(SEL.input, 'Control+c');
  await waitForOutput(page, '^C');
  assert.equal(await page.locator('.input-line').getAttribute('data-live'), 'false');
  await type(page, 'echo after-stats');
  await waitForOutput(page, 'after-stats');
});

test('Ctrl+C abandons a typed line, leaving it on screen marked ^C', { timeout: 60_000 }, async (t) => {
  const page = await freshTerminal(t);
  await page.fill(SEL.input, 'docker run --rm half-typed');
  await page.press(SEL.input, 'Control+c');
  assert.equal(await page.inputValue(SEL.input), '');
  assert.ok((await lines(page)).some((line) => line.endsWith('docker run --rm half-typed^C')));
});

test('pasting several lines runs each complete line and keeps the unfinished one', { timeout: 60_000 }, async (t) => {
  const page = await freshTerminal(t);
  await page.focus(SEL.input);
  await page.evaluate((selector) => {
    const data = new DataTransfer();
    data.setData('text/plain', 'echo pasted-one\necho pasted-two\necho unfinished');
    const input = document.querySelector(selector);
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, SEL.input);
  await waitForOutput(page, 'pasted-two');
  const shown = await lines(page);
  assert.ok(shown.includes('pasted-one') && shown.includes('pasted-two'), shown.join('\n'));
  assert.equal(await page.inputValue(SEL.input), 'echo unfinished');
});

test('selecting scrollback text keeps the selection (clicks do not steal it for the prompt)', { timeout: 60_000 }, async (t) => {
  const page = await freshTerminal(t);
  await type(page, 'echo copy-me-please');
  await waitForOutput(page, 'copy-me-please');
  const line = page.locator(SEL.line, { hasText: /^copy-me-please$/ });
  const box = await line.boundingBox();
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 120, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  const selected = await page.evaluate(() => String(window.getSelection()));
  assert.ok(selected.length > 3 && 'copy-me-please'.startsWith(selected), `selected ${JSON.stringify(selected)}`);
});

test('output is marked painted per revision, and only new lines are announced', { timeout: 60_000 }, async (t) => {
  const page = await freshTerminal(t);
  await type(page, 'echo first-output');
  await waitForOutput(page, 'first-output');
  await page.waitForFunction((sel) => document.querySelector(sel)?.hasAttribute('data-painted-revision'), SEL.output);
  const before = Number(await page.getAttribute(SEL.output, 'data-painted-revision'));
  await type(page, 'echo second-output');
  await page.waitForFunction(
    ([sel, rev]) => Number(document.querySelector(sel)?.getAttribute('data-painted-revision')) > rev,
    [SEL.output, before],
  );
  const announced = await page.textContent('[data-testid=terminal-announce]');
  assert.match(announced, /second-output/);
  assert.doesNotMatch(announced, /first-output/, 'earlier output is not read again');
  assert.equal(await page.getAttribute('[data-testid=terminal-announce]', 'aria-live'), 'polite');
});
