//! Bundles the policy editor (web/editor/editor.mjs, CodeMirror 6) into
//! web/editor/dist/editor.js with scripts/build-editor.mjs (esbuild, from
//! package-lock.json: `npm ci` first). src/editor.rs imports that file as a
//! wasm-bindgen snippet, so it must exist before the crate compiles: every
//! cargo build, test or clippy of this crate (`trunk build`/`serve` too:
//! they run cargo) makes it when its sources change, on a fresh clone too.

use std::path::Path;
use std::process::Command;

fn main() {
    let web = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = web.parent().unwrap_or(web);
    for f in ["web/editor/editor.mjs", "web/editor/core.mjs", "web/editor/lazy.mjs", "scripts/build-editor.mjs", "package-lock.json"] {
        println!("cargo:rerun-if-changed={}", root.join(f).display());
    }
    let script = root.join("scripts/build-editor.mjs");
    let out = web.join("editor/dist/editor.js");
    // Made again when deleted (the script rewrites it only when it changes,
    // so this is no rebuild loop).
    println!("cargo:rerun-if-changed={}", out.display());
    let status = Command::new("node").arg(&script).current_dir(root).status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => fail(&format!("`node scripts/build-editor.mjs` failed ({s}): run `npm ci` (scripts/setup.sh) first"), &out),
        Err(e) => fail(&format!("could not run node ({e}): install Node.js 20+ and run `npm ci` (scripts/setup.sh)"), &out),
    }
}

/// A build without the editor bundle cannot work: stop, saying why.
fn fail(why: &str, out: &Path) {
    if out.exists() {
        println!("cargo:warning=the editor bundle was not rebuilt: {why}");
    } else {
        eprintln!("error: the editor bundle {} is missing: {why}", out.display());
        std::process::exit(1);
    }
}
