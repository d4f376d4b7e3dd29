//! The layering rule of `src/features/mod.rs`, checked over the source: features form a one-way
//! stack (a feature may import only features listed before it), shared layers import no
//! feature, and only `pages/` and the app root compose features.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Layers below every feature: they may not name `crate::features` or `crate::pages`.
const SHARED: &[&str] = &[
    "components",
    "domain",
    "server",
    "labels.rs",
    "error.rs",
    "policy.rs",
    "i18n.rs",
    "context.rs",
    "request.rs",
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The feature stack, bottom first, as `features/mod.rs` declares it.
fn stack() -> Vec<String> {
    fs::read_to_string(src().join("features/mod.rs"))
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';').to_string())
        .collect()
}

/// Every `crate::<layer>` path a file names, with `features::<name>` kept whole. Comments are
/// dropped first and the text is read as a whole, so a braced list spread over lines counts.
fn named_layers(text: &str) -> Vec<String> {
    let code: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut found = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let layer: String = rest.chars().take_while(|c| ident(*c)).collect();
        if layer != "features" {
            if !layer.is_empty() {
                found.push(layer);
            }
            continue;
        }
        let after = rest["features".len()..].trim_start_matches("::");
        if let Some(inner) = after.strip_prefix('{') {
            // `crate::features::{a, b::c}`: the first name of every entry in the braces.
            let inner = &inner[..inner.find('}').unwrap_or(inner.len())];
            for entry in inner.split(',') {
                let name: String = entry.trim().chars().take_while(|c| ident(*c)).collect();
                if !name.is_empty() {
                    found.push(format!("features::{name}"));
                }
            }
        } else {
            let name: String = after.chars().take_while(|c| ident(*c)).collect();
            if !name.is_empty() {
                found.push(format!("features::{name}"));
            }
        }
    }
    found
}

/// (file, what it imports that it may not), for the whole source tree.
fn violations() -> Vec<(String, String)> {
    let stack = stack();
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut bad = Vec::new();
    for file in files {
        let rel = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = fs::read_to_string(&file).unwrap();
        let first = rel.split('/').next().unwrap().to_string();
        for layer in named_layers(&text) {
            let allowed = if SHARED.contains(&first.as_str()) {
                !layer.starts_with("features::") && layer != "pages"
            } else if first == "features" {
                let own = rel.split('/').nth(1).unwrap().trim_end_matches(".rs");
                match layer.strip_prefix("features::") {
                    _ if layer == "pages" => false,
                    Some(other) => {
                        let position = |name: &str| stack.iter().position(|s| s == name);
                        match (position(own), position(other)) {
                            (Some(me), Some(them)) => them <= me,
                            _ => false,
                        }
                    }
                    None => true,
                }
            } else {
                true
            };
            if !allowed {
                bad.push((rel.clone(), layer));
            }
        }
    }
    bad.sort();
    bad.dedup();
    bad
}

#[test]
fn every_feature_folder_is_in_the_declared_stack() {
    let stack = stack();
    let mut folders: Vec<String> = fs::read_dir(src().join("features"))
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            path.is_dir()
                .then(|| path.file_name().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    folders.sort();
    let mut declared = stack.clone();
    declared.sort();
    assert_eq!(folders, declared);
}

#[test]
fn no_import_runs_up_the_stack_or_out_of_a_shared_layer() {
    let bad = violations();
    assert!(
        bad.is_empty(),
        "imports against the layering rule: {bad:#?}"
    );
}

#[test]
fn feature_folders_use_only_the_four_file_names() {
    let allowed = ["mod.rs", "pages.rs", "repo.rs", "service.rs"];
    let mut odd: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for feature in stack() {
        for entry in fs::read_dir(src().join("features").join(&feature)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if !allowed.contains(&name.as_str()) {
                odd.entry(feature.clone()).or_default().push(name);
            }
        }
    }
    assert!(odd.is_empty(), "files outside the four names: {odd:?}");
}

#[test]
fn the_checker_sees_an_import_up_the_stack() {
    // The parser the checks above rely on finds nested and braced feature paths.
    let layers = named_layers(
        "use crate::features::check::pages::X;\nuse crate::features::{\n    bands,\n    mandates::repo,\n};\n// crate::features::batches in a comment\nlet x = crate::server::context::pool(); // crate::pages too",
    );
    assert_eq!(
        layers,
        [
            "features::check",
            "features::bands",
            "features::mandates",
            "server"
        ]
    );
}
