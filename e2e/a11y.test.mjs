// Accessibility audit: axe-core (pinned by `cargo xtask` next to playwright-core) runs inside the
// page in each state a learner meets, and no serious or critical violation may be left.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';

import { SEL, baseUrl, launchBrowser, openTerminal, type, waitForOutput } from './browser.mjs';

/** axe-core's browser bundle, from NODE_PATH or the tools folder. */
function axeSource() {
  const require = createRequire(import.meta.url);
  const tools = process.env.WHALEBOX_TOOLS || path.join(homedir(), '.cache/whalebox/tools');
  for (const where of ['axe-core/axe.min.js', path.join(tools, 'node/node_modules/axe-core/axe.min.js')]) {
    try {
      return readFileSync(require.resolve(where), 'utf8');
    } catch {
      // try the next place
    }
  }
  throw new Error(`axe-core is not installed (NODE_PATH or ${tools}); \`cargo xtask test\` installs it`);
}

let browser;
let axe;
before(async () => {
  axe = axeSource();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Runs axe on the page (or frame) and fails with a readable list of what is serious or worse. */
async function assertNoSeriousViolations(target, state) {
  if (!(await target.evaluate(() => typeof window.axe === 'object'))) {
    await target.evaluate(axe);
  }
  const violations = await target.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ')}`).join('\n    ')}`);
  });
  assert.deepEqual(violations, [], `axe found problems ${state}:\n${violations.join('\n')}`);
}

async function freshPage(t, options = {}) {
  const context = await browser.newContext(options);
  t.after(() => context.close());
  return context.newPage();
}

test('the page, dark then light, before and after a command', { timeout: 120_000 }, async (t) => {
  const page = await freshPage(t);
  await openTerminal(page);
  await assertNoSeriousViolations(page, 'on first load (dark theme)');

  await type(page, 'docker run hello-world');
  await waitForOutput(page, 'Hello from Docker!');
  await type(page, 'docker foo');
  await waitForOutput(page, 'unknown command');
  await assertNoSeriousViolations(page, 'after commands (dark theme)');

  await page.click('[data-action=theme]');
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
  await assertNoSeriousViolations(page, 'in the light theme');

  // Every side tab's panel, in the light theme where contrast is tightest.
  for (const tab of await page.$$eval('[role=tab]', (tabs) => tabs.map((el) => el.dataset.tab))) {
    await page.click(`[data-tab="${tab}"]`);
    await assertNoSeriousViolations(page, `with the ${tab} tab open`);
  }
});

test('a lesson open in embed mode, both themes', { timeout: 120_000 }, async (t) => {
  for (const theme of ['dark', 'light']) {
    const page = await freshPage(t);
    await page.goto(`${baseUrl()}?embed=layer-cache&theme=${theme}`);
    await page.waitForSelector(SEL.ready, { timeout: 60_000 });
    await type(page, 'ls');
    await waitForOutput(page, 'Dockerfile');
    await assertNoSeriousViolations(page, `in an embedded lesson (${theme})`);
  }
});

test('the recovery screen', { timeout: 90_000 }, async (t) => {
  const page = await freshPage(t);
  await page.goto(`${baseUrl()}?debug-panic=1`);
  await page.waitForSelector(SEL.ready, { timeout: 20_000 });
  await type(page, 'docker run hello-world');
  await waitForOutput(page, 'Hello from Docker!');
  await type(page, ':panic');
  await page.waitForSelector('[data-testid=recovery]');
  await assertNoSeriousViolations(page, 'on the recovery screen');
});
