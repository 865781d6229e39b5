// Starts the app's Web Worker (web/src/bin/trustwalk-worker.rs): wasm-bindgen's
// no-modules glue, then the worker's WebAssembly. Trunk names both after the
// binary, without a hash. A failure to load either is rethrown as an uncaught
// error, which the page sees as the worker's `error` event: it then says that
// the checks are unavailable and goes on evaluating.
importScripts('./trustwalk-worker.js');
wasm_bindgen({ module_or_path: './trustwalk-worker_bg.wasm' }).catch((e) => setTimeout(() => { throw e; }));
