// Wasm build benchmark for `cargo xtask bench`: `docker build` of the 40-instruction multi-stage
// Dockerfile in engine/examples/bench_build/, run by engine/examples/wasm_bench.rs in Node.
//
// Usage: node e2e/bench-build.mjs WASM [ROUNDS]
// Each round (default 20): build_prepare() types the build context into a fresh engine (not
// timed), then `docker build -t bench .` goes through the module's `run` three times, each call
// alone timed with performance.now(): cold, warm (same engine, nothing changed) and after
// build_edit() changed one source file. build_check() verifies each build after its timing (exit 0,
// image written and named, steps run or CACHED as expected); any failure stops the script.
// Prints the same lines as engine/examples/build_bench.rs: `shape<TAB>instructions<TAB>stages`,
// `steps<TAB>scenario<TAB>run<TAB>cached` for the first round, `sample<TAB>scenario<TAB>ns` per build.
import { loadBareModule } from './bench-wasm-module.mjs';

const [wasmPath, roundsArg] = process.argv.slice(2);
if (!wasmPath) {
  console.error('usage: node e2e/bench-build.mjs WASM [ROUNDS]');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 20);
const BUILD = 'docker build -t bench .';
const SCENARIOS = ['cold', 'warm', 'edited'];

const wasm = await loadBareModule(wasmPath, 'bench-build');
const { run, dealloc, output_len, output_ptr, message_len, message_ptr } = wasm.exports;
const { build_shape, build_prepare, build_edit, build_check } = wasm.exports;
const message = () => wasm.read(message_ptr(), message_len());

/** Stops with the module's reason when an untimed step reports a problem. */
function must(status, what) {
  if (status !== 0) {
    console.error(`bench-build: ${what}: ${message()}`);
    process.exit(1);
  }
  return message();
}

const out = [`shape\t${must(build_shape(), 'reading the Dockerfile')}`];
for (let round = 0; round < rounds; round++) {
  must(build_prepare(), 'preparing the build context');
  for (const [index, scenario] of SCENARIOS.entries()) {
    if (scenario === 'edited') must(build_edit(), 'editing a source file');
    const { ptr, len } = wasm.put(BUILD);
    const start = performance.now();
    const status = run(ptr, len);
    const took = performance.now() - start;
    dealloc(ptr, len);
    if (status < 0) {
      console.error(`bench-build: run() failed with ${status}`);
      process.exit(1);
    }
    if (build_check(index) !== 0) {
      const printed = wasm.read(output_ptr(), output_len());
      console.error(`bench-build: ${message()}\n(the build's exit status was ${status}; it printed ${printed.length} bytes)`);
      process.exit(1);
    }
    if (round === 0) out.push(`steps\t${scenario}\t${message()}`);
    out.push(`sample\t${scenario}\t${Math.round(took * 1e6)}`);
  }
}
process.stdout.write(out.join('\n') + '\n');
