// Start-up benchmark for `cargo xtask bench`: navigation to the first accepted command.
//
// Usage: WHALEBOX_URL=http://127.0.0.1:PORT node e2e/bench-startup.mjs [RUNS]
// Each run launches headless Chromium on a brand-new profile, navigates to the site, waits for
// `[data-testid=terminal][data-ready=true]`, types `docker version` into
// `[data-testid=terminal-input]`, presses Enter and waits until `[data-testid=terminal-output]`
// contains `Client:`.
//
// The waiting happens inside the page (MutationObservers noting performance.now()), and typing uses
// the keyboard (one insertText, one Enter) rather than Playwright's selector engine: the first
// selector call injects Playwright's own large script into the page, which on this machine costs
// 100-300 ms that no learner ever pays.
//
// Prints `run<TAB>i<TAB>wall ms<TAB>page ms<TAB>ready ms`: wall is Node's clock from just before
// page.goto until Node hears that `Client:` appeared; page is the page's performance.now() at the
// moment it appeared (counted from navigation start); ready is the page's performance.now() when
// the terminal became ready.
import { SEL, baseUrl, launchFreshProfile } from './browser.mjs';

const runs = Number(process.argv[2] ?? 5);
const url = baseUrl();

for (let i = 1; i <= runs; i++) {
  const { context, close } = await launchFreshProfile();
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const start = performance.now();
    await page.goto(url, { waitUntil: 'commit' });
    const readyMs = await page.evaluate(
      async (sel) => {
        // Resolves with performance.now() when the terminal is ready, checking on every DOM change.
        const readyAt = await new Promise((resolve, reject) => {
          if (document.querySelector(sel.ready)) return resolve(performance.now());
          const observer = new MutationObserver(() => {
            if (document.querySelector(sel.ready)) {
              observer.disconnect();
              resolve(performance.now());
            }
          });
          observer.observe(document, { childList: true, subtree: true, attributes: true });
          setTimeout(() => reject(new Error('the terminal did not become ready within 30 s')), 30_000);
        });
        const output = document.querySelector(sel.output);
        if (!output) throw new Error('no terminal-output element');
        // Armed before Enter, so the moment `Client:` appears is caught, not when Node next asks.
        window.__whaleboxClientSeen = new Promise((resolve, reject) => {
          const observer = new MutationObserver(() => {
            if (output.textContent.includes('Client:')) {
              observer.disconnect();
              resolve(performance.now());
            }
          });
          observer.observe(output, { childList: true, subtree: true, characterData: true });
          setTimeout(() => reject(new Error('`Client:` did not appear within 10 s of typing')), 10_000);
        });
        document.querySelector(sel.input)?.focus();
        return readyAt;
      },
      SEL,
    );
    await page.keyboard.insertText('docker version');
    await page.keyboard.press('Enter');
    const pageMs = await page.evaluate(() => window.__whaleboxClientSeen);
    const wallMs = performance.now() - start;
    console.log(`run\t${i}\t${wallMs.toFixed(2)}\t${pageMs.toFixed(2)}\t${readyMs.toFixed(2)}`);
  } finally {
    await close();
  }
}
