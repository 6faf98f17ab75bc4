// Paint benchmark for `cargo xtask bench`: is each command's output on screen by the next frame?
//
// Usage: WHALEBOX_URL=http://127.0.0.1:PORT node e2e/bench-paint.mjs SCRIPT [ROUNDS]
// One page; for every command of SCRIPT (engine/examples/bench_script.txt), ROUNDS times over: the
// command goes into `[data-testid=terminal-input]` and an Enter keydown is dispatched at the start
// of a frame (inside a requestAnimationFrame callback, as a real key press lands between frames).
// The page notes when `[data-testid=terminal-output]` changes and counts animation frames until
// the first frame after that change: 1 means the output was painted in the very next frame.
//
// Prints `cmd<TAB>i<TAB>handler ms<TAB>frame ms<TAB>frames`: handler is keydown to the DOM change,
// frame is keydown to the first frame callback after it, frames is that in display frames
// (frame ms over the measured frame interval, rounded up): 1 = painted in the very next frame.
import { readFileSync } from 'node:fs';
import { SEL, baseUrl, launchFreshProfile } from './browser.mjs';

const script = process.argv[2];
const rounds = Number(process.argv[3] ?? 1);
if (!script) throw new Error('usage: bench-paint.mjs SCRIPT [ROUNDS]');
const commands = readFileSync(script, 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

const { context, close } = await launchFreshProfile();
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(baseUrl());
  await page.waitForSelector(SEL.ready);
  let i = 0;
  for (let round = 0; round < rounds; round++) {
    for (const command of commands) {
      i += 1;
      const sample = await page.evaluate(
        ({ sel, command }) =>
          new Promise((resolve, reject) => {
            const input = document.querySelector(sel.input);
            const output = document.querySelector(sel.output);
            if (!input || !output) return reject(new Error('terminal elements missing'));
            let changedAt = null;
            const observer = new MutationObserver(() => {
              if (changedAt === null) changedAt = performance.now();
            });
            observer.observe(output, { childList: true, subtree: true, characterData: true });
            // Frame 1 notes its start, frame 2 measures the display's interval and presses Enter,
            // later frames wait for the output.
            let firstFrame = null;
            let interval = null;
            let keyAt = null;
            const onFrame = (time) => {
              if (firstFrame === null) {
                firstFrame = time;
              } else if (keyAt === null) {
                interval = time - firstFrame;
                input.value = command;
                keyAt = performance.now();
                input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
              } else if (changedAt !== null) {
                observer.disconnect();
                const frame = performance.now() - keyAt;
                resolve({ handler: changedAt - keyAt, frame, frames: Math.max(1, Math.ceil(frame / interval - 0.05)) });
                return;
              }
              requestAnimationFrame(onFrame);
            };
            requestAnimationFrame(onFrame);
            setTimeout(() => reject(new Error(`no output for \`${command}\` within 10 s`)), 10_000);
          }),
        { sel: SEL, command },
      );
      console.log(`cmd\t${i}\t${sample.handler.toFixed(2)}\t${sample.frame.toFixed(2)}\t${sample.frames}`);
    }
  }
} finally {
  await close();
}
