//! Embeds the AWS managed policies of `data/aws-managed-policies/` (see
//! `scripts/update-managed-policies.sh`): writes `managed_policies.rs` to
//! `OUT_DIR`, a table of `(ARN, file text)` sorted by ARN, each text
//! `include_str!`'d from the data directory, and the version line naming
//! the data's package, version and date from its `index.json`.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let dir = manifest.join("../../data/aws-managed-policies");
    println!("cargo:rerun-if-changed={}", dir.display());
    let index_path = dir.join("index.json");
    println!("cargo:rerun-if-changed={}", index_path.display());
    let index_text = std::fs::read_to_string(&index_path).unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", index_path.display())));
    let index: serde_json::Value = serde_json::from_str(&index_text).unwrap_or_else(|e| fail(&format!("{}: {e}", index_path.display())));
    let field = |k: &str| index.get(k).and_then(serde_json::Value::as_str).unwrap_or_else(|| fail(&format!("index.json has no `{k}`"))).to_string();
    let (package, version, date) = (field("package"), field("version"), field("date"));
    let policies = index.get("policies").and_then(serde_json::Value::as_object).unwrap_or_else(|| fail("index.json has no `policies`"));
    let mut entries: Vec<(&String, &str)> =
        policies.iter().map(|(arn, file)| (arn, file.as_str().unwrap_or_else(|| fail(&format!("index.json: `{arn}` has no file name"))))).collect();
    entries.sort();
    let mut out = String::new();
    let cli_version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let _ = writeln!(out, "/// What `trustwalk --version` prints after the name.");
    let line = format!("{cli_version} (AWS managed policies of {date}: {} policies from {package} {version})", policies.len());
    let _ = writeln!(out, "pub const VERSION: &str = {line:?};");
    let _ = writeln!(out, "/// `(ARN, text of its file)`, sorted by ARN.");
    let _ = writeln!(out, "pub static POLICIES: &[(&str, &str)] = &[");
    for (arn, file) in entries {
        if file.contains('/') || file.contains('\\') || !file.ends_with(".json") {
            fail(&format!("index.json: unexpected file name {file:?}"));
        }
        let path = dir.join(file);
        if !path.is_file() {
            fail(&format!("index.json names {file}, which is missing"));
        }
        let _ = writeln!(out, "    ({arn:?}, include_str!({:?})),", path.display().to_string());
    }
    let _ = writeln!(out, "];");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    std::fs::write(out_dir.join("managed_policies.rs"), out).unwrap_or_else(|e| fail(&format!("cannot write managed_policies.rs: {e}")));
}

fn fail(message: &str) -> ! {
    eprintln!("build.rs: {message}");
    std::process::exit(1)
}
