// Shared by the e2e tests and the start-up benchmark: finds playwright-core and Debian's Chromium,
// launches Chromium headless with the flags this machine needs, and drives the Whalebox terminal
// through its data-testid contract (terminal, terminal-output, terminal-line, terminal-input).
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

export const CHROMIUM = process.env.WHALEBOX_CHROMIUM || '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps calling Google's hosts, which this
// machine's closed network refuses.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SEL = {
  ready: '[data-testid=terminal][data-ready=true]',
  output: '[data-testid=terminal-output]',
  line: '[data-testid=terminal-line]',
  input: '[data-testid=terminal-input]',
};

/** The site under test, from WHALEBOX_URL (set by `cargo xtask test` and `cargo xtask bench`). */
export function baseUrl() {
  const url = process.env.WHALEBOX_URL;
  if (!url) {
    throw new Error('WHALEBOX_URL is not set: run these through `cargo xtask test`, or serve dist/ and set it');
  }
  return url.replace(/\/+$/, '') + '/';
}

/** playwright-core from NODE_PATH, else from the tools folder by absolute path. */
function playwright() {
  const require = createRequire(import.meta.url);
  try {
    return require('playwright-core');
  } catch {
    const tools = process.env.WHALEBOX_TOOLS || path.join(homedir(), '.cache/whalebox/tools');
    const where = path.join(tools, 'node/node_modules/playwright-core');
    try {
      return require(where);
    } catch (error) {
      throw new Error(`playwright-core is not installed (looked in NODE_PATH and ${where}); \`cargo xtask test\` installs it: ${error.message}`);
    }
  }
}

/** Debian's Chromium, or an error that says how to get it: the browser tests never skip. */
export function chromiumPath() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing (${CHROMIUM}), so the browser tests cannot run. Install it with: apt-get update && apt-get install -y chromium chromium-driver`);
  }
  return CHROMIUM;
}

/** A headless browser on a throwaway profile; give each test its own `browser.newContext()`. */
export async function launchBrowser() {
  return playwright().chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
}

/** A headless browser on a brand-new profile folder, removed again by `close()`. */
export async function launchFreshProfile() {
  const { chromium } = playwright();
  const dir = mkdtempSync(path.join(tmpdir(), 'whalebox-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens the site and waits until the terminal says it is ready for input. */
export async function openTerminal(page) {
  await page.goto(baseUrl());
  await page.waitForSelector(SEL.ready, { timeout: 20_000 });
}

/** Types `command` into the prompt and presses Enter. */
export async function type(page, command) {
  await page.fill(SEL.input, command);
  await page.press(SEL.input, 'Enter');
}

/** The text of every scrollback line, in order. */
export async function lines(page) {
  return page.$$eval(SEL.line, (els) => els.map((el) => el.textContent));
}

/** Waits until the scrollback contains `text`; on timeout the error shows what it did contain. */
export async function waitForOutput(page, text, timeout = 10_000) {
  try {
    await page.waitForFunction(
      ([selector, wanted]) => document.querySelector(selector)?.textContent.includes(wanted),
      [SEL.output, text],
      { timeout },
    );
  } catch (error) {
    const shown = await lines(page).catch(() => []);
    throw new Error(`the terminal never showed ${JSON.stringify(text)} (${error.message.split('\n')[0]}); it shows:\n${shown.join('\n')}`);
  }
}
