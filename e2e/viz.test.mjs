// Real-browser tests of the visualizers: commands typed in the terminal show up in each side-pane
// tab, in the graphic and in its text alternative ([data-testid=viz-text]).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { SEL, launchBrowser, openTerminal, type, waitForOutput } from './browser.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function freshTerminal(t) {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await openTerminal(page);
  return page;
}

/** Types `command` and waits until the terminal has echoed it (and so has run it). */
async function run(page, command) {
  const before = await page.$$eval(SEL.line, (els) => els.length);
  await type(page, command);
  await page.waitForFunction(([selector, n]) => document.querySelectorAll(selector).length > n, [SEL.line, before]);
}

/** Opens a side-pane tab and returns the visualization's text and its text alternative's. */
async function openTab(page, kind) {
  await page.click(`[data-tab=${kind}]`);
  await page.waitForSelector(`.viz[data-viz=${kind}]`);
  const graphic = await page.textContent(`.viz[data-viz=${kind}]`);
  const words = await page.$eval(`.viz[data-viz=${kind}] [data-testid=viz-text]`, (el) => el.textContent).catch(() => '');
  return { graphic, words };
}

test('build: a rebuild after a source change shows CACHED and MISS with the reason, in the graphic and in words', { timeout: 90_000 }, async (t) => {
  const page = await freshTerminal(t);
  await run(page, 'mkdir app && cd app');
  await run(page, "printf 'FROM python:3.12-slim AS build\\nWORKDIR /app\\nCOPY requirements.txt .\\nRUN pip install -r requirements.txt\\nCOPY . .\\nFROM python:3.12-slim\\nCOPY --from=build /app /app\\n' > Dockerfile");
  await run(page, 'echo flask > requirements.txt');
  await run(page, "echo 'print(1)' > app.py");
  await run(page, 'docker build -t demo .');
  await waitForOutput(page, 'naming to docker.io/library/demo:latest');
  await run(page, "echo 'print(2)' > app.py");
  await run(page, 'docker build -t demo .');
  await run(page, 'docker images');
  const { graphic, words } = await openTab(page, 'build');
  assert.match(graphic, /Last build: 3 of 5 steps cached/);
  assert.match(graphic, /CACHED/);
  assert.match(graphic, /app\.py changed/);
  assert.match(words, /RUN pip install -r requirements\.txt: CACHED/);
  assert.match(words, /COPY \. \.: MISS, app\.py changed/);
  assert.match(words, /Stage 1 starts FROM python:3\.12-slim, copies from build/);
  assert.match(words, /demo:latest \(131MB\), 5 layers, bottom first: .* — 80\.5MB, shared with .*python:3\.12-slim/);
  const graph = await page.getAttribute('[data-testid=stage-graph]', 'aria-label');
  assert.match(graph, /stage build from python:3\.12-slim/);
});

test('lifecycle: the diagram follows run, stop and kill, and explains the exit code', { timeout: 90_000 }, async (t) => {
  const page = await freshTerminal(t);
  await run(page, 'docker run -d --name web nginx');
  await openTab(page, 'lifecycle');
  assert.equal(await page.getAttribute('.life-node.current', 'data-state'), 'running');
  await run(page, 'docker kill web');
  await page.waitForSelector('.life-node.current[data-state=exited]');
  const { graphic, words } = await openTab(page, 'lifecycle');
  assert.match(graphic, /Exit code 137: SIGKILL/);
  assert.match(words, /web \(nginx\) is exited/);
  assert.match(await page.getAttribute('[data-testid=life-diagram]', 'aria-label'), /web is exited/);
  // A second container brings a picker; the removed one is shown as removed.
  await run(page, 'docker run -d --name cache redis');
  await page.selectOption('[data-testid=viz-container-picker]', 'web');
  await page.waitForSelector('.life-node.current[data-state=exited]');
  await run(page, 'docker rm web');
  await page.waitForSelector('.life-node.current[data-state=removed]');
  // The removed container stays in the picker until the learner picks another.
  await page.selectOption('[data-testid=viz-container-picker]', 'cache');
  await page.waitForSelector('.life-node.current[data-state=running]');
});

test('network: user network with IPs, published port and a DNS lookup between containers', { timeout: 90_000 }, async (t) => {
  const page = await freshTerminal(t);
  await run(page, 'docker network create appnet');
  await run(page, 'docker run -d --name web --network appnet -p 8080:80 nginx');
  await run(page, 'docker run -d --name client --network appnet alpine sleep infinity');
  await run(page, 'docker exec client ping -c 1 web');
  const { graphic, words } = await openTab(page, 'network');
  assert.match(graphic, /0\.0\.0\.0:8080 → web:80\/tcp/);
  assert.match(graphic, /appnet/);
  assert.match(words, /Network appnet \(bridge 172\.18\.0\.0\/16\), containers find each other by name: web at 172\.18\.0\.2/);
  assert.match(words, /client looked up web: the embedded DNS answered 172\.18\.0\.2/);
  assert.ok(await page.$('[data-testid=dns-query]:not(.failed)'), 'the lookup is drawn as answered');
});

test('namespaces, architecture and volumes describe the container from the host side', { timeout: 90_000 }, async (t) => {
  const page = await freshTerminal(t);
  await run(page, 'docker volume create data');
  await run(page, 'docker run -d --name db -v data:/var/lib/data -v /scratch --memory 256m alpine sleep infinity');

  let { graphic, words } = await openTab(page, 'architecture');
  assert.equal(await page.$$eval('.arch-hop.reached', (els) => els.length), 6);
  assert.match(words, /runc \(.*\): reached/);

  ({ graphic, words } = await openTab(page, 'namespaces'));
  assert.match(graphic, /PID 1 inside is PID \d+ on the host/);
  assert.match(words, /user namespace: container \d+ vs host \d+: shared with the host/);
  assert.match(words, /pid namespace: container \d+ vs host \d+: isolated/);
  assert.match(words, /of 268MB \(--memory\)/);

  ({ graphic, words } = await openTab(page, 'volumes'));
  assert.match(words, /db: volume data at \/var\/lib\/data .* survives docker rm\./);
  assert.match(words, /db: anonymous volume [0-9a-f]{12} at \/scratch .* removed by docker rm -v/);
  assert.match(words, /db: writable layer at \/ .* removed with the container/);

  await run(page, 'sim daemon stop');
  await run(page, 'docker ps');
  ({ graphic, words } = await openTab(page, 'architecture'));
  assert.match(graphic, /no answer: dockerd is not running/);
  assert.equal(await page.$$eval('.arch-hop.failed', (els) => els.map((el) => el.dataset.hop)).then((h) => h.join()), 'API /var/run/docker.sock');
  assert.match(words, /dockerd .*: not reached/);
});
