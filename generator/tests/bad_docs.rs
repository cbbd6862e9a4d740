//! The bad-docs corpus: every folder under `tests/bad-docs/` is a small docs folder with
//! problems, and `expected.txt` beside it holds the exact diagnostics (paths relative to the
//! case folder). `MCPGEN_BLESS=1 cargo test -p generator --test bad_docs` rewrites the expected
//! files; read every changed one before keeping it.
#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

use std::fs;
use std::path::{Path, PathBuf};

use generator::{Builder, Diagnostics};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/bad-docs")
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(corpus())
        .expect("tests/bad-docs exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    cases
}

/// Validates one case's docs, as a build script's `Builder` would.
fn validate(case: &Path) -> Result<(), Diagnostics> {
    Builder::new().docs_dir(case).validate()
}

/// The diagnostics of one case, rendered with paths relative to the case folder (in locations
/// and in hints that mention another file).
fn render(case: &Path) -> String {
    match validate(case) {
        Ok(_) => "(no diagnostics: this case validates cleanly)\n".to_owned(),
        Err(diagnostics) => format!("{diagnostics}\n").replace(&format!("{}/", case.display()), ""),
    }
}

#[test]
fn every_bad_doc_case_reports_exactly_its_expected_diagnostics() {
    let bless = std::env::var_os("MCPGEN_BLESS").is_some_and(|v| v == "1");
    let cases = cases();
    assert!(
        cases.len() >= 18,
        "the corpus should cover every check; found only {} cases",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let actual = render(case);
        let expected_file = case.join("expected.txt");
        if bless {
            fs::write(&expected_file, &actual).expect("write expected.txt");
            continue;
        }
        let expected = fs::read_to_string(&expected_file).unwrap_or_default();
        if actual != expected {
            failures.push(format!(
                "--- {}\n=== expected\n{expected}=== actual\n{actual}",
                case.file_name().unwrap_or_default().to_string_lossy()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) differ:\n{}\nIf the new output is right, run `MCPGEN_BLESS=1 cargo test -p generator --test bad_docs` \
         and read every changed expected.txt.",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn no_case_is_clean_and_positions_are_real() {
    for case in cases() {
        let diagnostics =
            validate(&case).expect_err(&format!("{} should not validate", case.display()));
        for diagnostic in diagnostics.iter() {
            assert!(
                diagnostic.file.starts_with(&case),
                "{} is outside its case",
                diagnostic.file.display()
            );
            assert!(
                diagnostic.message.starts_with(|c: char| !c.is_uppercase()),
                "messages start lowercase: {}",
                diagnostic.message
            );
            if diagnostic.line > 0 {
                let text =
                    fs::read_to_string(&diagnostic.file).expect("diagnostic names a readable file");
                let line = text.lines().nth(diagnostic.line - 1).expect("line exists");
                assert!(
                    diagnostic.column >= 1 && diagnostic.column <= line.chars().count() + 1,
                    "{}: column {} is outside line {:?}",
                    diagnostic.location(),
                    diagnostic.column,
                    line
                );
            }
        }
    }
}
