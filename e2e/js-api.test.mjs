// Real-browser tests of the JavaScript API: the site's wasm module exports `WhaleboxEngine`, which
// Trunk puts on `window.wasmBindings` (README.md, "The engine from JavaScript").
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { launchBrowser, openTerminal } from './browser.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('WhaleboxEngine runs commands, snapshots and restores from JavaScript', { timeout: 60_000 }, async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await openTerminal(page);
  await page.waitForFunction(() => typeof window.wasmBindings?.WhaleboxEngine === 'function');
  const result = await page.evaluate(() => {
    const { WhaleboxEngine } = window.wasmBindings;
    const docker = new WhaleboxEngine(1);
    const hello = docker.run('docker run hello-world');
    const restored = WhaleboxEngine.restore(docker.snapshot());
    const ps = restored.run('docker ps -a --format "{{.Image}} {{.Status}}"');
    const twin = new WhaleboxEngine(1).run('docker run hello-world');
    let error = null;
    try {
      WhaleboxEngine.restore('not a snapshot');
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    return {
      hello, ps, error,
      sameOutput: JSON.stringify(twin) === JSON.stringify(hello),
      complete: [docker.isComplete('cat <<EOF'), docker.isComplete('echo hi')],
      prompt: docker.prompt(),
    };
  });
  assert.equal(result.hello.exitCode, 0);
  assert.ok(result.hello.output.some((line) => line.stream === 'stdout' && line.text === 'Hello from Docker!'), JSON.stringify(result.hello.output.slice(0, 3)));
  assert.ok(result.hello.events.some((event) => event.ContainerCreated), 'events are reported');
  assert.match(result.ps.output[0].text, /^hello-world Exited \(0\)/, 'the restored machine has the container');
  assert.ok(result.error, 'restoring garbage throws');
  assert.equal(result.sameOutput, true, 'same seed, same output');
  assert.deepEqual(result.complete, [false, true]);
  assert.match(result.prompt, /^learner@whalebox/);
});
