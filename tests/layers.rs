//! The core's modules depend on one another in one direction, the order the data flows in
//! (ARCHITECTURE.md, "Layers"): a module may name only modules listed before it in `LAYERS`,
//! so no cycle can form. Test code (a file's `#[cfg(test)] mod tests { … }`, `tests.rs`,
//! `test_support.rs`) may reach anywhere and is left out.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

const LAYERS: &[&str] = &[
    "error",
    "progress",
    "snapshot",
    "graph",
    "classes",
    "dominators",
    "retainers",
    "values",
    "allocations",
    "listeners",
    "realms",
    "sampling",
    "report",
    "diff",
    "analysis",
    "background",
    "session",
    "inspector",
    "binding",
];

/// The source of a module without its test code.
fn non_test_source(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut kept = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let next = lines.get(i + 1).map(|l| l.trim()).unwrap_or("");
        if lines[i].trim() == "#[cfg(test)]" && next.starts_with("mod ") && next.ends_with('{') {
            break; // the inline test module closes the file
        }
        if lines[i].trim() == "#[cfg(test)]" {
            i += 2; // `mod tests;` or a test-only item of one line
            continue;
        }
        kept.push(lines[i]);
        i += 1;
    }
    kept.join("\n")
}

/// Modules named as `crate::name` in `source`.
fn named_modules(source: &str) -> BTreeSet<String> {
    assert!(!source.contains("crate::{"), "write `use crate::a::…` once per module, so this check can read it");
    source
        .match_indices("crate::")
        .map(|(at, m)| source[at + m.len()..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>())
        .collect()
}

fn module_files(src: &Path, module: &str) -> Vec<std::path::PathBuf> {
    let file = src.join(format!("{module}.rs"));
    if file.exists() {
        return vec![file];
    }
    let dir = src.join(module);
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|_| panic!("module {module} is neither src/{module}.rs nor src/{module}/"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs") && p.file_name().is_some_and(|n| n != "tests.rs"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_module_names_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for (rank, module) in LAYERS.iter().enumerate() {
        for file in module_files(&src, module) {
            for used in named_modules(&non_test_source(&file)) {
                match LAYERS.iter().position(|m| *m == used) {
                    Some(r) if r < rank || used == *module => {}
                    Some(_) => wrong.push(format!("{} names `{used}`, a layer above `{module}`", file.display())),
                    None => wrong.push(format!("{} names `{used}`, which is not in LAYERS", file.display())),
                }
            }
        }
    }
    assert!(wrong.is_empty(), "dependencies against the flow:\n{}", wrong.join("\n"));
}

#[test]
fn every_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let declared: BTreeSet<String> = fs::read_to_string(src.join("lib.rs"))
        .unwrap()
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod ").or_else(|| l.trim().strip_prefix("mod ")))
        .map(|m| m.trim_end_matches(';').to_string())
        .filter(|m| m != "test_support")
        .collect();
    let layered: BTreeSet<String> = LAYERS.iter().map(|m| m.to_string()).collect();
    assert_eq!(declared, layered, "src/lib.rs declares these modules; LAYERS must list each once");
}
