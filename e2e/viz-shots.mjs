// Screenshots of every visualization in both themes, wide and at a 390 px phone width, for a
// person to look at: `WHALEBOX_URL=… node e2e/viz-shots.mjs OUTDIR`.
import { mkdirSync } from 'node:fs';

import { launchBrowser, openTerminal, type, SEL } from './browser.mjs';

const out = process.argv[2] || '/tmp/viz-shots';
mkdirSync(out, { recursive: true });

const SESSION = [
  'mkdir app && cd app',
  "printf 'FROM python:3.12-slim AS build\\nWORKDIR /app\\nCOPY requirements.txt .\\nRUN pip install -r requirements.txt\\nCOPY . .\\nRUN rm -f notes.txt\\nFROM python:3.12-slim\\nCOPY --from=build /app /app\\n' > Dockerfile",
  'echo flask > requirements.txt',
  "echo 'print(1)' > app.py",
  'echo some notes > notes.txt',
  'docker build -t demo:single .',
  "echo 'print(2)' > app.py",
  'docker build -t demo .',
  'docker network create appnet',
  'docker volume create data',
  'docker run -d --name web --network appnet -p 8080:80 -v data:/data nginx',
  'docker run -d --name client --network appnet --memory 64m -v /scratch alpine sleep infinity',
  'docker run -d --name crashy --restart on-failure:3 alpine sh -c "exit 3"',
  'docker kill client',
  'docker start client',
  'docker exec client ping -c 1 web',
];

const browser = await launchBrowser();
for (const [label, width, height] of [['wide', 1400, 900], ['phone', 390, 844]]) {
  const page = await browser.newPage({ viewport: { width, height } });
  await openTerminal(page);
  for (const command of SESSION) {
    const n = await page.$$eval(SEL.line, (els) => els.length);
    await type(page, command);
    await page.waitForFunction(([s, k]) => document.querySelectorAll(s).length > k, [SEL.line, n]);
  }
  for (const theme of ['dark', 'light']) {
    const current = await page.getAttribute('html', 'data-theme');
    if (current !== theme) await page.click('[data-action=theme]');
    for (const kind of ['build', 'lifecycle', 'network', 'namespaces', 'architecture', 'volumes']) {
      await page.click(`[data-tab=${kind}]`);
      await page.waitForSelector(`.viz[data-viz=${kind}]`);
      await page.waitForTimeout(1500);
      const pane = await page.$('[data-pane=side]');
      await pane.screenshot({ path: `${out}/${kind}-${theme}-${label}.png` });
    }
  }
  await page.close();
}
await browser.close();
console.log(`screenshots in ${out}`);
