// Wasm Dockerfile parse throughput for `cargo xtask bench`: engine::dockerfile::parse, in
// engine/examples/wasm_bench.rs run by Node, over every file of the conformance corpus.
//
// Usage: node e2e/bench-parse.mjs WASM CORPUS_DIR [PASSES]
// Reads every file in CORPUS_DIR (../shared/corpus/dockerfiles, read where it is), copies each into
// the module's memory once, parses each once untimed (any failure stops the script), then times
// PASSES passes (default 200) over all files with performance.now(), one sample per pass. Prints
// the same lines as engine/examples/parse_bench.rs: `corpus<TAB>files<TAB>bytes<TAB>instructions`
// and `pass<TAB>nanoseconds`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadBareModule } from './bench-wasm-module.mjs';

const [wasmPath, corpusDir, passesArg] = process.argv.slice(2);
if (!wasmPath || !corpusDir) {
  console.error('usage: node e2e/bench-parse.mjs WASM CORPUS_DIR [PASSES]');
  process.exit(2);
}
const passes = Number(passesArg ?? 200);

const wasm = await loadBareModule(wasmPath, 'bench-parse');
const { parse_dockerfile } = wasm.exports;

const names = readdirSync(corpusDir)
  .filter((name) => statSync(join(corpusDir, name)).isFile())
  .sort();
if (names.length === 0) {
  console.error(`bench-parse: no Dockerfiles in ${corpusDir}`);
  process.exit(1);
}
const files = names.map((name) => ({ name, ...wasm.put(readFileSync(join(corpusDir, name), 'utf8')) }));
const bytes = files.reduce((sum, file) => sum + file.len, 0);

/** One pass over every file: the instruction count, or the first file that does not parse. */
function parseAll() {
  let instructions = 0;
  for (const file of files) {
    const count = parse_dockerfile(file.ptr, file.len);
    if (count < 0) return { failed: file.name, count };
    instructions += count;
  }
  return { instructions };
}

const first = parseAll();
if (first.failed) {
  console.error(`bench-parse: ${first.failed} does not parse (parse_dockerfile gave ${first.count})`);
  process.exit(1);
}
const samples = [];
for (let pass = 0; pass < passes; pass++) {
  const start = performance.now();
  const result = parseAll();
  const took = performance.now() - start;
  if (result.instructions !== first.instructions) {
    console.error(`bench-parse: a pass gave ${JSON.stringify(result)}, the first ${first.instructions} instructions`);
    process.exit(1);
  }
  samples.push(`pass\t${Math.round(took * 1e6)}`);
}
process.stdout.write([`corpus\t${files.length}\t${bytes}\t${first.instructions}`, ...samples].join('\n') + '\n');
