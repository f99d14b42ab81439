// The wasm's instantiation, started as soon as this module and pkg/emlab.js have loaded: index.html loads this
// module `async`, so the wasm compiles while the rest of the page's modules are still loading; app.js awaits
// `wasmReady` before its first call into the core.
import init from './pkg/emlab.js';

/** Resolves once the core is instantiated (rejects if the wasm cannot be loaded). */
export const wasmReady = init();
