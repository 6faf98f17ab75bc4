// Real-browser tests of the lesson panel: a lesson and a drill played to completion, an interview
// graded, undo and reset, a starter project, and progress that survives a reload.
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

async function freshPage(t) {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await openTerminal(page);
  return page;
}

/** Opens a mode's picker and starts the item `id`. */
async function startItem(page, mode, id) {
  await page.click(`[data-mode=${mode}]`);
  await page.click(`[data-item-id="${id}"]`);
  await page.waitForSelector(`.item-view[data-item="${id}"]`);
}

/** Presses "Show me" on each step until the item says it is complete. */
async function demoToTheEnd(page, id, steps) {
  for (let step = 0; step < steps; step++) {
    await page.waitForSelector(`[data-step="${step}"][data-step-state=current]`);
    await page.click('[data-action=demo]');
  }
  await page.waitForSelector(`[data-item-complete="${id}"]`, { timeout: 20_000 });
}

test('a lesson is played to completion with live goal progress', { timeout: 120_000 }, async (t) => {
  const page = await freshPage(t);
  await startItem(page, 'lesson', 'first-commands');
  assert.equal(await page.getAttribute('[data-mode=lesson]', 'aria-pressed'), 'true');
  assert.match(await page.textContent('.concept'), /\S/, 'the concept is rendered');
  // The goal is unmet and says what is missing until the learner acts.
  await page.waitForSelector('[data-step="0"] [data-goal-status=unmet]');
  assert.ok((await page.$$('[data-step="0"] .missing li')).length > 0, 'missing parts are listed');
  // Typing the first step's first command by hand moves its progress on.
  await type(page, 'docker version');
  await waitForOutput(page, 'Client:');
  await page.click('[data-action=hint]');
  await page.waitForSelector('[data-hint="1"]');
  await demoToTheEnd(page, 'first-commands', 4);
  assert.equal(await page.getAttribute('[data-step="3"]', 'data-step-state'), 'done');
});

test('a drill shows its clock, counts a hint, and ends with a score and a debrief', { timeout: 120_000 }, async (t) => {
  const page = await freshPage(t);
  await startItem(page, 'drill', 'slow-builds');
  assert.match(await page.textContent('.drill-symptom'), /\S/, 'the symptom comes first');
  const clock = page.locator('[data-drill-clock]');
  assert.match(await clock.textContent(), /^\d\d:\d\d$/);
  await page.waitForFunction(() => document.querySelector('[data-drill-clock]').textContent !== '00:00', null, { timeout: 5_000 });
  await page.click('[data-action=hint]');
  await page.waitForSelector('[data-hint="1"]');
  assert.equal(await page.textContent('[data-hints-used]'), '1');
  await demoToTheEnd(page, 'slow-builds', 2);
  const score = Number(await page.getAttribute('[data-score]', 'data-score'));
  assert.ok(score > 0 && score <= 925, `a hint costs points: ${score}`);
  const debrief = await page.textContent('[data-debrief]');
  for (const part of ['Root cause', 'Fix', 'Prevention']) assert.ok(debrief.includes(part), part);
  const stopped = await clock.textContent();
  await page.waitForTimeout(1_500);
  assert.equal(await clock.textContent(), stopped, 'the clock stops when the drill is done');
});

test('an interview answer is graded by its key points, then shown live', { timeout: 90_000 }, async (t) => {
  const page = await freshPage(t);
  await startItem(page, 'interview', 'iv-expose-publish');
  await page.fill('[data-interview-answer]', 'EXPOSE only documents the port; -p publishes it on the host.');
  await page.click('[data-action=grade]');
  const grade = await page.getAttribute('[data-grade]', 'data-grade');
  assert.match(grade, /^\d+ of \d+ key points$/);
  assert.ok((await page.$$('[data-named=true]')).length > 0, 'some key points were named');
  await page.waitForSelector('[data-model-answer]');
  await demoToTheEnd(page, 'iv-expose-publish', 2);
});

test('undo steps back one command and reset starts over', { timeout: 60_000 }, async (t) => {
  const page = await freshPage(t);
  await type(page, 'docker run --name one hello-world');
  await waitForOutput(page, 'Hello from Docker!');
  await type(page, 'docker run --name two hello-world');
  await page.click('[data-action=undo]');
  await waitForOutput(page, 'Undone: the machine is back to where it was before `docker run --name two hello-world`.');
  await type(page, 'docker ps -a --format "{{.Names}}"');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=terminal-line]')].some((l) => l.textContent === 'one'));
  assert.ok(!(await lines(page)).includes('two'), 'the undone container is gone');
  await page.click('[data-action=reset]');
  await waitForOutput(page, 'Reset: a fresh machine');
  await type(page, 'docker ps -a -q | wc -l');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=terminal-line]')].at(-1)?.textContent === '0');
});

test('a starter project loads and builds', { timeout: 90_000 }, async (t) => {
  const page = await freshPage(t);
  await page.click('[data-starter=go-multistage]');
  await waitForOutput(page, 'Loaded the Go service (multi-stage) starter into ~/go-service');
  await type(page, 'docker build -t go-service .');
  await waitForOutput(page, 'naming to docker.io/library/go-service', 30_000);
});

test('progress survives a reload: finished items and the session in progress', { timeout: 120_000 }, async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await openTerminal(page);
  await startItem(page, 'drill', 'slow-builds');
  await demoToTheEnd(page, 'slow-builds', 2);
  await page.click('[data-action=pick-another]');
  await page.click('[data-mode=lesson]');
  await page.click('[data-item-id="first-commands"]');
  await type(page, 'docker version');
  await waitForOutput(page, 'Client:');

  await page.reload();
  await page.waitForSelector(SEL.ready);
  await waitForOutput(page, 'Welcome back: your session is restored: replaying 1 command.', 20_000);
  await page.waitForSelector('.item-view[data-item="first-commands"]');
  await waitForOutput(page, 'Client:');
  await page.click('[data-action=leave]');
  await page.click('[data-mode=drill]');
  const meta = await page.textContent('[data-item-id="slow-builds"]');
  assert.match(meta, /✓ best \d+/, `the finished drill is remembered: ${meta}`);
});

test('unreadable saved progress is kept aside and the learner is told', { timeout: 60_000 }, async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  await context.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('whalebox.progress', '{broken');
      sessionStorage.setItem('seeded', '1');
    }
  });
  const page = await context.newPage();
  await openTerminal(page);
  const notice = await page.textContent('[data-notice]');
  assert.match(notice, /could not be read/);
  assert.equal(await page.evaluate(() => localStorage.getItem('whalebox.progress.unreadable')), '{broken');
  await type(page, 'docker run hello-world');
  await waitForOutput(page, 'Hello from Docker!');
});

test('progress exports as a JSON file and imports back, old layouts included, bad files refused', { timeout: 60_000 }, async (t) => {
  const page = await freshPage(t);
  const file = (name, text) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.setInputFiles('[data-action=import-progress]', file('bad.json', 'not json at all'));
  await page.waitForFunction(() => document.querySelector('[data-notice]')?.textContent.includes('That file cannot be imported: it is not JSON'));
  // The layout before schemas: ids done and drills' scores.
  await page.setInputFiles('[data-action=import-progress]', file('old.json', '{"done":["first-commands"],"scores":{"slow-builds":800}}'));
  await page.waitForFunction(() => document.querySelector('[data-notice]')?.textContent.includes('Progress imported: 2 finished items'));
  assert.equal(await page.textContent('[data-progress-count]'), '2 finished');
  const href = await page.getAttribute('[data-action=export-progress]', 'href');
  const exported = JSON.parse(decodeURIComponent(href.slice(href.indexOf(',') + 1)));
  assert.equal(exported.schema, 1);
  assert.deepEqual(exported.completed['slow-builds'], { best_score: 800, finished_at: 0 });
  await page.click('[data-mode=drill]');
  assert.match(await page.textContent('[data-item-id="slow-builds"]'), /✓ best 800/);
});
