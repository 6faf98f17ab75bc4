// Real-browser tests of the file editor: opening, editing and saving the learner's files, the
// build reading what was saved, the parsers' diagnostics, and `edit FILE` from the terminal.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { SEL, launchBrowser, lines, openTerminal, type, waitForOutput } from './browser.mjs';

const EDITOR = {
  input: '[data-editor-input]',
  save: '[data-action=save]',
  newName: '[data-new-file-name]',
  newFile: '[data-action=new-file]',
  path: '[data-editor-path]',
};

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

/** Creates `name` in the editor's New file box and waits until it is open. */
async function newFile(page, name) {
  await page.click('[data-tab=editor]');
  await page.fill(EDITOR.newName, name);
  await page.click(EDITOR.newFile);
  await page.waitForFunction(([sel, want]) => document.querySelector(sel)?.textContent === want, [EDITOR.path, name]);
}

test('a Dockerfile written in the editor is what docker build uses', { timeout: 90_000 }, async (t) => {
  const page = await freshPage(t);
  await newFile(page, 'Dockerfile');
  await page.fill(EDITOR.input, 'FROM alpine\nCMD ["echo", "built from the editor"]\n');
  assert.equal(await page.textContent('.editor-dirty'), 'Unsaved changes');
  await page.press(EDITOR.input, 'Control+s');
  await page.waitForFunction(() => document.querySelector('.editor-dirty')?.textContent === 'Saved');
  assert.match(await page.textContent('[data-editor-status]'), /Saved Dockerfile/);
  assert.ok(await page.$('[data-file="/home/learner/Dockerfile"]'), 'the file is listed');

  await type(page, 'docker build -t from-editor .');
  await waitForOutput(page, 'naming to docker.io/library/from-editor', 30_000);
  await type(page, 'docker run --rm from-editor');
  await waitForOutput(page, 'built from the editor');
});

test('a broken Dockerfile line gets a marker and a listed problem', { timeout: 60_000 }, async (t) => {
  const page = await freshPage(t);
  await newFile(page, 'Dockerfile');
  await page.fill(EDITOR.input, 'FROM alpine\nRUN echo ok\nFORM busybox\n');
  const problem = page.locator('[data-problem-line="3"]');
  await problem.waitFor();
  assert.match(await problem.textContent(), /Line 3 \(error\): unknown instruction: FORM/);
  assert.equal(await page.textContent('.problems-title'), '1 problem');
  assert.equal(await page.locator('.gutter-line').nth(2).getAttribute('class'), 'gutter-line gutter-error');
  assert.match(await page.textContent('.line-problem'), /FORM busybox/);

  // Fixing the line clears it.
  await page.fill(EDITOR.input, 'FROM alpine\nRUN echo ok\nFROM busybox\n');
  await page.waitForFunction(() => document.querySelector('.problems-title')?.textContent === 'No problems found');
  assert.equal(await page.$('.line-problem'), null);

  // Choosing a problem selects its line in the textarea.
  await page.fill(EDITOR.input, 'FROM alpine\nENV\n');
  await page.click('[data-problem-line="2"] button');
  const selected = await page.$eval(EDITOR.input, (el) => el.value.slice(el.selectionStart, el.selectionEnd));
  assert.equal(selected, 'ENV');
});

test('compose.yaml problems come from compose\'s loader', { timeout: 60_000 }, async (t) => {
  const page = await freshPage(t);
  await newFile(page, 'compose.yaml');
  await page.fill(EDITOR.input, 'services:\n  web:\n    image: nginx\n    portz:\n      - "8080:80"\n');
  const problem = page.locator('[data-problem-line="4"]');
  await problem.waitFor();
  assert.match(await problem.textContent(), /portz/);
});

test('edit Dockerfile in the terminal opens it in the editor tab', { timeout: 60_000 }, async (t) => {
  const page = await freshPage(t);
  await type(page, "printf 'FROM alpine\\nRUN echo hi\\n' > Dockerfile");
  await page.click('[data-tab=build]');
  await type(page, 'edit Dockerfile');
  await page.waitForSelector('[data-tab=editor][aria-selected=true]');
  await page.waitForFunction((sel) => document.querySelector(sel)?.value === 'FROM alpine\nRUN echo hi\n', EDITOR.input);
  assert.equal(await page.textContent(EDITOR.path), 'Dockerfile');
  assert.deepEqual(await page.$$eval('.code-highlight .tok-keyword', (els) => els.map((el) => el.textContent)), ['FROM', 'RUN']);
  assert.ok((await lines(page)).some((line) => line.includes('Opened Dockerfile in the Files panel')));
});

test('Tab indents in the editor; Escape then Tab moves focus on', { timeout: 60_000 }, async (t) => {
  const page = await freshPage(t);
  await newFile(page, 'compose.yaml');
  await page.focus(EDITOR.input);
  await page.keyboard.type('services:');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.type('web:');
  await page.keyboard.press('Enter');
  await page.keyboard.type('  image: nginx');
  assert.equal(await page.inputValue(EDITOR.input), 'services:\n  web:\n    image: nginx', 'Tab is two spaces; Enter keeps the indentation');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement?.hasAttribute('data-editor-input')), true, 'focus left the textarea');
});

test('unsaved edits survive switching tabs', { timeout: 60_000 }, async (t) => {
  const page = await freshPage(t);
  await newFile(page, 'app.py');
  await page.fill(EDITOR.input, 'print("draft")\n');
  await page.click('[data-tab=network]');
  await page.click('[data-tab=editor]');
  assert.equal(await page.inputValue(EDITOR.input), 'print("draft")\n');
  assert.ok(await page.$('[data-file="/home/learner/app.py"] .unsaved'), 'the file list marks it unsaved');
});

test('ANSI colour codes in output become styled text, without escape bytes', { timeout: 60_000 }, async (t) => {
  const page = await freshPage(t);
  await newFile(page, 'colours.txt');
  await page.fill(EDITOR.input, '\u001b[31mred\u001b[0m and \u001b[1;32mbold green\u001b[0m\n');
  await page.click(EDITOR.save);
  await type(page, 'cat colours.txt');
  await waitForOutput(page, 'bold green');
  assert.equal(await page.textContent(`${SEL.line} .ansi-fg-1`), 'red');
  assert.equal(await page.textContent(`${SEL.line} .ansi-fg-2.ansi-bold`), 'bold green');
  assert.ok((await lines(page)).includes('red and bold green'), 'no escape bytes are shown');
});
