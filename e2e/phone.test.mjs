// The page on a phone (390×844, touch): the panes stack, nothing scrolls sideways, and a command
// can be typed and run. Screenshots go to $WHALEBOX_SHOTS (default /tmp) for a person to look at.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { SEL, baseUrl, launchBrowser, openTerminal, type, waitForOutput } from './browser.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const SHOTS = process.env.WHALEBOX_SHOTS || '/tmp';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function phonePage(t) {
  const context = await browser.newContext(PHONE);
  t.after(() => context.close());
  return context.newPage();
}

async function sidewaysOverflow(page) {
  return page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
}

test('on a phone the panes stack and nothing overflows sideways', { timeout: 90_000 }, async (t) => {
  const page = await phonePage(t);
  await openTerminal(page);
  const boxes = {};
  for (const pane of ['lesson', 'terminal', 'side']) {
    boxes[pane] = await page.locator(`[data-pane=${pane}]`).boundingBox();
    assert.ok(boxes[pane], `the ${pane} pane is shown`);
    assert.ok(boxes[pane].x >= 0 && boxes[pane].x + boxes[pane].width <= 390 + 0.5, `the ${pane} pane fits across: ${JSON.stringify(boxes[pane])}`);
  }
  assert.ok(boxes.lesson.y + boxes.lesson.height <= boxes.terminal.y + 1, 'the terminal is below the lesson');
  assert.ok(boxes.terminal.y + boxes.terminal.height <= boxes.side.y + 1, 'the side pane is below the terminal');
  assert.ok(await sidewaysOverflow(page) <= 0, `scrolls sideways by ${await sidewaysOverflow(page)}px`);
  await page.screenshot({ path: `${SHOTS}/whalebox-phone-top.png` });
  await page.screenshot({ path: `${SHOTS}/whalebox-phone-full.png`, fullPage: true });
});

test('on a phone a command can be typed and run, and long output wraps', { timeout: 90_000 }, async (t) => {
  const page = await phonePage(t);
  await openTerminal(page);
  await page.tap(SEL.input);
  await page.keyboard.type('docker run hello-world');
  await page.keyboard.press('Enter');
  await waitForOutput(page, 'Hello from Docker!');
  await type(page, 'docker images');
  await waitForOutput(page, 'REPOSITORY');
  assert.ok(await sidewaysOverflow(page) <= 0, `after output the page scrolls sideways by ${await sidewaysOverflow(page)}px`);
  await page.locator('[data-pane=terminal]').screenshot({ path: `${SHOTS}/whalebox-phone-terminal.png` });
});

test('an embedded lesson on a phone stacks its steps above the terminal', { timeout: 90_000 }, async (t) => {
  const page = await phonePage(t);
  await page.goto(`${baseUrl()}?embed=layer-cache`);
  await page.waitForSelector(SEL.ready, { timeout: 60_000 });
  const steps = await page.locator('[data-testid=embed-steps]').boundingBox();
  const terminal = await page.locator('[data-testid=terminal]').boundingBox();
  assert.ok(steps.y + steps.height <= terminal.y + 1, 'the steps are above the terminal');
  assert.ok(await sidewaysOverflow(page) <= 0, 'no sideways scrolling');
  await type(page, 'docker images');
  await waitForOutput(page, 'shop');
  await page.screenshot({ path: `${SHOTS}/whalebox-phone-embed.png` });
});
