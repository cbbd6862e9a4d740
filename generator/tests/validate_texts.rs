//! `Builder::validate_texts` (an integration's files held in memory, the fuzz target
//! `docs_loader`'s way in) reports exactly what validating the same files on disk reports.
#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

use std::fs;
use std::path::{Path, PathBuf};

use generator::Builder;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The integration folder's `integration.yaml` and `resources/*.yaml` texts, if it has exactly
/// those (cases about missing or unreadable files have nothing to compare).
fn texts(folder: &Path) -> Option<(String, Vec<(String, String)>)> {
    let integration = fs::read_to_string(folder.join("integration.yaml")).ok()?;
    let mut resources = Vec::new();
    for entry in fs::read_dir(folder.join("resources")).ok()? {
        let path = entry.unwrap().path();
        let name = path.file_name()?.to_str()?.to_owned();
        if !name.ends_with(".yaml") {
            return None;
        }
        resources.push((name, fs::read_to_string(&path).ok()?));
    }
    (!resources.is_empty()).then_some((integration, resources))
}

fn from_texts(
    docs_dir: &Path,
    folder: &str,
    integration: &str,
    resources: &[(String, String)],
) -> String {
    let resources: Vec<(&str, &str)> = resources
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    match Builder::new()
        .docs_dir(docs_dir)
        .validate_texts(folder, integration, &resources)
    {
        Ok(()) => "ok".to_owned(),
        Err(diagnostics) => diagnostics.to_string(),
    }
}

fn from_disk(docs_dir: &Path) -> String {
    match Builder::new().docs_dir(docs_dir).validate() {
        Ok(()) => "ok".to_owned(),
        Err(diagnostics) => diagnostics.to_string(),
    }
}

#[test]
fn the_real_integrations_validate_from_texts() {
    let docs = repo().join("integrations");
    for name in ["chronosphere", "github", "pagerduty"] {
        let (integration, resources) = texts(&docs.join(name)).unwrap();
        assert_eq!(
            from_texts(&docs, name, &integration, &resources),
            "ok",
            "{name}"
        );
    }
}

#[test]
fn bad_docs_give_the_same_diagnostics_from_texts_as_from_disk() {
    let mut compared = 0;
    for case in fs::read_dir(repo().join("tests/bad-docs")).unwrap() {
        let case = case.unwrap().path();
        let folders: Vec<PathBuf> = fs::read_dir(&case)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.is_dir())
            .collect();
        let [folder] = folders.as_slice() else {
            continue;
        };
        let Some((integration, resources)) = texts(folder) else {
            continue;
        };
        let name = folder.file_name().unwrap().to_str().unwrap();
        assert_eq!(
            from_texts(&case, name, &integration, &resources),
            from_disk(&case),
            "{}",
            case.display()
        );
        compared += 1;
    }
    assert!(compared >= 20, "only {compared} cases compared");
}
