// Starts the app. Trunk's own loader is an inline <script>, which the
// page's Content-Security-Policy forbids; Trunk.toml's `pattern_script`
// puts this file in its place, with the hashed file names as data
// attributes.
const tag = document.querySelector('script[data-trunk-js]');
const bindings = await import(tag.dataset.trunkJs);
const wasm = await bindings.default({ module_or_path: tag.dataset.trunkWasm });
// The browser tests reach the app's exports here (as with Trunk's loader).
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
