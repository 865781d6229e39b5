//! The core's modules form layers: each uses only modules of earlier
//! layers, so the order documented in `lib.rs` is the real dependency
//! order (no import cycles such as condition ↔ trace or diag ↔ json).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

const LAYERS: &[&[&str]] = &[
    &["text", "span", "keys", "wildcard", "arn"],
    &["diag", "catalogue"],
    &["json", "variables"],
    &["values", "context"],
    &["time"],
    &["policy"],
    &["matching"],
    &["trace"],
    &["condition"],
    &["eval"],
    &["scenario"],
    &["checks"],
    &["review"],
];

fn layer_of(module: &str) -> usize {
    LAYERS.iter().position(|l| l.contains(&module)).unwrap_or_else(|| panic!("module `{module}` is in no layer of LAYERS and lib.rs"))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_module_uses_only_earlier_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut problems = Vec::new();
    for f in files {
        let rel = f.strip_prefix(&src).unwrap();
        let module = rel.components().next().unwrap().as_os_str().to_str().unwrap().trim_end_matches(".rs").to_string();
        if module == "lib" || rel.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        // Unit tests may reach anywhere.
        let code = text.split("#[cfg(test)]").next().unwrap();
        let own = layer_of(&module);
        for (i, _) in code.match_indices("crate::") {
            let used: String = code[i + 7..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
            if used.is_empty() || used == module {
                continue;
            }
            if layer_of(&used) >= own {
                problems.push(format!("{}: `{module}` (layer {}) uses `{used}` (layer {})", rel.display(), own + 1, layer_of(&used) + 1));
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "modules that use a later or equal layer:\n{}", problems.join("\n"));
}

#[test]
fn lib_rs_documents_the_same_layers() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    for (i, layer) in LAYERS.iter().enumerate() {
        let line = format!("//! {}. {}", i + 1, layer.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", "));
        assert!(lib.contains(&line), "lib.rs does not document layer {}: expected the line\n{line}", i + 1);
    }
}
