//! `generator import` as people run it: what it prints (the summary, every unmapped operation
//! and why), and that it never replaces a doc without `--force`.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{generator, text};

fn petstore() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/petstore.swagger2.json")
}

fn import(out: &Path, extra: &[&str]) -> Output {
    let spec = petstore();
    let args = [
        "import",
        "--spec",
        spec.to_str().unwrap(),
        "--integration",
        "petstore",
        "--out",
        out.to_str().unwrap(),
    ];
    generator(&[&args[..], extra].concat())
}

#[test]
fn prints_the_summary_and_every_unmapped_operation_with_its_reason() {
    let out = common::temp_dir("import-cli-report");
    let output = import(&out, &[]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        stdout.contains("imported Petstore (Swagger 2.0 JSON) as `petstore`: 1 resources, 6 tools"),
        "{stdout}"
    );
    assert!(
        stdout.contains("methods: 1 list, 1 get, 1 create, 1 update, 1 delete, 1 custom"),
        "{stdout}"
    );
    assert!(stdout.contains("2 operations were not mapped:"), "{stdout}");
    assert!(
        stdout.contains("countPets (HEAD /pets): the doc format has no HEAD calls"),
        "{stdout}"
    );
    assert!(
        stdout.contains("uploadPetPhoto (POST /pets/{petId}/photo): form parameter `file`"),
        "{stdout}"
    );
    assert!(stdout.contains("wrote 2 files:"), "{stdout}");
    assert!(out.join("petstore/resources/pets.yaml").is_file());

    // What it wrote generates.
    let generated = out.join("generated");
    let output = generator(&[
        "--docs",
        out.to_str().unwrap(),
        "--out",
        generated.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
}

#[test]
fn existing_docs_are_replaced_only_with_force() {
    let out = common::temp_dir("import-cli-force");
    assert!(import(&out, &[]).status.success());
    let pets = out.join("petstore/resources/pets.yaml");
    std::fs::write(&pets, "# curated by hand\n").unwrap();
    let integration = out.join("petstore/integration.yaml");
    std::fs::remove_file(&integration).unwrap();

    let output = import(&out, &[]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("pets.yaml` already exists"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(stderr.contains("`--force` replaces it"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&pets).unwrap(),
        "# curated by hand\n"
    );
    assert!(
        !integration.exists(),
        "nothing at all is written when one file exists"
    );

    let output = import(&out, &["--force"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        std::fs::read_to_string(&pets)
            .unwrap()
            .starts_with("# yaml-language-server")
    );
    assert!(integration.is_file());
}

#[test]
fn bad_options_and_specs_are_errors_that_say_what_to_do() {
    let out = common::temp_dir("import-cli-bad");
    let output = import(&out, &["--resources", "kittens"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no resource named `kittens`") && stderr.contains("pets"),
        "{stderr}"
    );

    let missing = out.join("missing.json");
    let output = generator(&[
        "import",
        "--spec",
        missing.to_str().unwrap(),
        "--integration",
        "x",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot read") && stderr.contains("missing.json"),
        "{stderr}"
    );
    assert!(
        std::fs::read_dir(&out).unwrap().next().is_none(),
        "nothing written"
    );
}

#[test]
fn help_explains_the_import_options() {
    let output = generator(&["import", "--help"]);
    let stdout = text(&output.stdout);
    assert!(output.status.success());
    for expected in [
        "--spec",
        "--integration",
        "--resources",
        "--out",
        "--force",
        "Swagger 2.0",
        "OpenAPI 3.0",
        "singleton",
        "integrations",
    ] {
        assert!(
            stdout.contains(expected),
            "import --help lacks {expected}:\n{stdout}"
        );
    }
    let output = generator(&["--help"]);
    assert!(text(&output.stdout).contains("import"));
}
