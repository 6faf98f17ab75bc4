// Wasm engine latency for `cargo xtask bench`: V8 in Node (the engine Chromium uses) running
// engine/examples/wasm_bench.rs, a bare cdylib with plain extern "C" exports and no imports.
//
// Usage: node e2e/bench-wasm.mjs WASM SCRIPT [ROUNDS]
// Runs SCRIPT's lines ROUNDS times (default 20), each round on a fresh engine_new(1), timing every
// run() call alone with performance.now(). Prints `sample<TAB>command<TAB>nanoseconds` per call.
import { readFileSync } from 'node:fs';

const [wasmPath, scriptPath, roundsArg] = process.argv.slice(2);
if (!wasmPath || !scriptPath) {
  console.error('usage: node e2e/bench-wasm.mjs WASM SCRIPT [ROUNDS]');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 20);

const module = await WebAssembly.compile(readFileSync(wasmPath));
const imports = WebAssembly.Module.imports(module);
if (imports.length > 0) {
  console.error(`bench-wasm: the module should have no imports, but wants ${imports.map((i) => `${i.module}.${i.name}`).join(', ')}`);
  process.exit(1);
}
const { exports } = await WebAssembly.instantiate(module, {});
const { memory, engine_new, alloc, dealloc, run, output_len, output_ptr } = exports;

const lines = readFileSync(scriptPath, 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What the last command printed, read outside the timed call. */
function lastOutput() {
  const len = output_len() >>> 0;
  return decoder.decode(new Uint8Array(memory.buffer, output_ptr() >>> 0, len));
}

/** The timed commands must have done their real work, or the numbers mean nothing. */
function check(line, status, text) {
  const ok = {
    'docker version': () => text.includes('Client:') && status === 0,
    'docker run hello-world': () => text.includes('Hello from Docker!') && status === 0,
    'docker ps -a': () => text.includes('hello-world'),
    'docker foo': () => status > 0,
  }[line] ?? (() => status >= 0 && text.length > 0);
  if (!ok()) {
    console.error(`bench-wasm: \`${line}\` gave status ${status} and:\n${text}`);
    process.exit(1);
  }
}

const out = [];
for (let round = 0; round < rounds; round++) {
  engine_new(1);
  for (const line of lines) {
    const bytes = encoder.encode(line);
    const ptr = alloc(bytes.length) >>> 0;
    new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes);
    const start = performance.now();
    const status = run(ptr, bytes.length);
    const took = performance.now() - start;
    dealloc(ptr, bytes.length);
    check(line, status, lastOutput());
    out.push(`sample\t${line}\t${Math.round(took * 1e6)}`);
  }
}
process.stdout.write(out.join('\n') + '\n');
