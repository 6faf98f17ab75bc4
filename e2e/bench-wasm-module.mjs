// Shared by e2e/bench-build.mjs and e2e/bench-parse.mjs: loads engine/examples/wasm_bench.rs, the
// engine as a bare wasm32 cdylib with plain extern "C" exports, into Node (V8, the JavaScript and
// WebAssembly engine Chromium uses) and moves text in and out of its memory.
import { readFileSync } from 'node:fs';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Instantiates the module at `path`; exits the process if it wants any import. */
export async function loadBareModule(path, who) {
  const module = await WebAssembly.compile(readFileSync(path));
  const imports = WebAssembly.Module.imports(module);
  if (imports.length > 0) {
    console.error(`${who}: the module should have no imports, but wants ${imports.map((i) => `${i.module}.${i.name}`).join(', ')}`);
    process.exit(1);
  }
  const { exports } = await WebAssembly.instantiate(module, {});
  const { memory, alloc } = exports;
  return {
    exports,
    /** Copies `text` as UTF-8 into a fresh buffer from `alloc`: `{ ptr, len }` (give it back with `dealloc`). */
    put(text) {
      const bytes = encoder.encode(text);
      const ptr = alloc(bytes.length) >>> 0;
      new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes);
      return { ptr, len: bytes.length };
    },
    /** Reads `len` bytes of UTF-8 at `ptr` (after the call that produced them: memory may grow). */
    read(ptr, len) {
      return decoder.decode(new Uint8Array(memory.buffer, ptr >>> 0, len >>> 0));
    },
  };
}
