//! `build.rs` generation as a downstream user meets it: real `cargo build`s of a copy of this
//! crate, checking when Cargo reruns the build script, how a broken doc fails the build, and that
//! a new resource file becomes tools with no Rust edited.
//!
//! The copy lives outside the workspace, at `$CARGO_TARGET_TMPDIR/inkwell-mcp-copy/crate`: the
//! same files, dependency paths pointing back at this repository, a `[workspace]` of its own
//! and this repository's `Cargo.lock` (so the same versions, offline). It builds into its own
//! target directory beside it, never the workspace's: no lock contention with the `cargo test`
//! that runs this, no invalidated artifacts, and later runs are incremental (the first one
//! compiles the dependencies once: about 3 minutes on two cores; then 15 to 30 seconds). Each
//! test starts from a copy synced back to this crate's files; the tests take turns because they
//! share it.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard};

use common::INKWELL_TOOLS;

mod common;

/// Every doc file and folder the build script reads, as it names them.
const INPUTS: [&str; 6] = [
    "docs",
    "docs/inkwell",
    "docs/inkwell/integration.yaml",
    "docs/inkwell/resources",
    "docs/inkwell/resources/notebooks.yaml",
    "docs/inkwell/resources/notes.yaml",
];

const NOTES: &str = "docs/inkwell/resources/notes.yaml";

#[test]
fn the_build_script_reruns_when_a_doc_changes_and_only_then() {
    let copy = Copy::pristine();
    // Whatever the copy's last build was, this one leaves it built.
    copy.cargo_build().assert_success();

    let again = copy.cargo_build();
    again.assert_success();
    assert!(
        !again.ran_build_script(),
        "nothing changed:\n{}",
        again.output
    );

    // Unrelated files: the crate recompiles, the build script does not run.
    copy.append("src/main.rs", "\n// An unrelated edit.\n");
    copy.append("README.md", "\nAn unrelated edit.\n");
    let unrelated = copy.cargo_build();
    unrelated.assert_success();
    assert!(
        unrelated.output.contains("Compiling inkwell-mcp"),
        "the edit to src/main.rs was not seen at all:\n{}",
        unrelated.output
    );
    assert!(
        !unrelated.ran_build_script(),
        "an unrelated edit reran the build script:\n{}",
        unrelated.output
    );

    copy.append(NOTES, "\n# An edit to a doc.\n");
    let touched = copy.cargo_build();
    touched.assert_success();
    assert!(
        touched.ran_build_script(),
        "editing {NOTES} did not rerun the build script:\n{}",
        touched.output
    );
    assert_eq!(
        touched.rerun_if_changed(),
        INPUTS.map(str::to_owned).to_vec(),
        "every doc file and folder read, folders included so that new files count"
    );
}

#[test]
fn without_tls_an_https_upstream_is_refused_naming_the_feature_to_enable() {
    let copy = Copy::pristine();
    copy.cargo_build().assert_success();
    // Inkwell's base URL is https://, and the copy is built without the `rustls` feature.
    let output = Command::new(copy.binary())
        .args(["stdio", "--integration", "inkwell"])
        .env("INKWELL_API_KEY", "test-key")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("built without TLS: enable the `rustls` feature of `mcpgen-server`"),
        "{stderr}"
    );
}

#[test]
fn a_broken_doc_fails_the_build_with_every_diagnostic_and_no_panic() {
    let copy = Copy::pristine();
    // Two mistakes in two files: both are reported, each where it is.
    let notes = copy.replace(
        NOTES,
        "    response_path: data\n",
        "    reponse_path: data\n",
    );
    let integration = "docs/inkwell/integration.yaml";
    let auth = copy.replace(integration, "\"{api_key}\"", "\"{api_kye}\"");

    let build = copy.cargo_build();
    assert!(!build.success, "a broken doc built:\n{}", build.output);
    let expected = [
        "error: mcpgen could not generate Rust from the integration docs (paths are relative to"
            .to_owned(),
        "error: unknown key `reponse_path`".to_owned(),
        format!("--> {NOTES}:{}:{}", notes.line, notes.column),
        "= help: did you mean `response_path`?".to_owned(),
        "error: unknown credential `{api_kye}` in `token`".to_owned(),
        // At the placeholder, just inside the quote.
        format!("--> {integration}:{}:{}", auth.line, auth.column + 1),
        "= help: did you mean `api_key`?".to_owned(),
        "2 errors".to_owned(),
    ];
    for line in &expected {
        assert!(
            build.output.contains(line.as_str()),
            "`{line}` is missing from:\n{}",
            build.output
        );
    }
    for noise in ["panicked", "RUST_BACKTRACE", "Diagnostics("] {
        assert!(
            !build.output.contains(noise),
            "`{noise}` in:\n{}",
            build.output
        );
    }
}

#[test]
fn a_new_resource_file_becomes_tools_at_the_next_build_with_no_rust_edited() {
    let copy = Copy::pristine();
    copy.cargo_build().assert_success();
    assert_eq!(copy.tools(), sorted(INKWELL_TOOLS));

    let tags = "docs/inkwell/resources/tags.yaml";
    copy.write(tags, TAGS_YAML);
    let added = copy.cargo_build();
    added.assert_success();
    assert!(added.ran_build_script(), "{}", added.output);
    assert!(
        added
            .rerun_if_changed()
            .contains(&"docs/inkwell/resources/tags.yaml".to_owned())
    );
    let new_tools = ["list_all_inkwell_tags", "get_single_inkwell_tag_by_id"];
    assert_eq!(
        copy.tools(),
        sorted(INKWELL_TOOLS.into_iter().chain(new_tools)),
        "the binary serves the new resource's tools"
    );

    // Removing the file changes only the folder: that must rerun the build script too.
    fs::remove_file(copy.path(tags)).unwrap();
    let removed = copy.cargo_build();
    removed.assert_success();
    assert_eq!(copy.tools(), sorted(INKWELL_TOOLS));
}

/// A resource the example does not have: folder listing must pick it up.
const TAGS_YAML: &str = "\
name: tags
singular: tag
description: The tags in use across the notes, with how many notes carry each.
id:
  field: name
  description: The tag itself, as written on notes (for example `meeting`).
schema:
  type: object
  properties:
    name:
      type: string
      description: The tag.
    note_count:
      type: integer
      readOnly: true
      description: How many notes carry the tag.
methods:
  list:
    description: List the tags in use, most used first.
    http: GET /tags
    response_path: data
  get:
    description: Read one tag and how many notes carry it.
    http: GET /tags/{id}
";

fn sorted<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let set: BTreeSet<String> = names.into_iter().map(str::to_owned).collect();
    set.into_iter().collect()
}

/// The one copy of this crate the tests build, held for the duration of a test.
struct Copy {
    dir: PathBuf,
    target: PathBuf,
    _turn: MutexGuard<'static, ()>,
}

static TURN: Mutex<()> = Mutex::new(());

/// Where a replaced snippet was: 1-based line and column of its first character.
struct Position {
    line: usize,
    column: usize,
}

impl Copy {
    /// Waits for its turn, then makes the copy equal to this crate again: files written only
    /// when their contents differ (so unchanged files keep their timestamps and builds stay
    /// incremental), files this crate does not have removed.
    fn pristine() -> Copy {
        let turn = TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("inkwell-mcp-copy");
        let copy = Copy {
            dir: root.join("crate"),
            target: root.join("target"),
            _turn: turn,
        };
        let source = Path::new(env!("CARGO_MANIFEST_DIR"));
        let repo = source.join("../..").canonicalize().unwrap();

        let mut wanted = BTreeSet::new();
        for relative in files_under(source, Path::new("")) {
            let mut contents = fs::read(source.join(&relative)).unwrap();
            if relative == Path::new("Cargo.toml") {
                contents = standalone_manifest(&contents, &repo);
            }
            copy.sync(&relative, &contents);
            wanted.insert(relative);
        }
        // The workspace's lock file: same versions as the workspace, and no network needed.
        let lock = Path::new("Cargo.lock");
        copy.sync(lock, &fs::read(repo.join(lock)).unwrap());
        wanted.insert(lock.to_path_buf());
        for relative in files_under(&copy.dir, Path::new("")) {
            if !wanted.contains(&relative) {
                fs::remove_file(copy.dir.join(relative)).unwrap();
            }
        }
        copy
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }

    fn sync(&self, relative: &Path, contents: &[u8]) {
        let path = self.dir.join(relative);
        if fs::read(&path).ok().as_deref() != Some(contents) {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, contents).unwrap();
        }
    }

    fn write(&self, relative: &str, contents: &str) {
        fs::write(self.path(relative), contents).unwrap();
    }

    fn append(&self, relative: &str, more: &str) {
        let text = fs::read_to_string(self.path(relative)).unwrap();
        self.write(relative, &(text + more));
    }

    /// Replaces the one occurrence of `from` and says where it was.
    fn replace(&self, relative: &str, from: &str, to: &str) -> Position {
        let text = fs::read_to_string(self.path(relative)).unwrap();
        assert_eq!(text.matches(from).count(), 1, "`{from}` in {relative}");
        let offset = text.find(from).unwrap();
        let before = &text[..offset];
        let line =
            before.lines().count() + usize::from(before.ends_with('\n') || before.is_empty());
        let column = before.len() - before.rfind('\n').map_or(0, |newline| newline + 1) + 1;
        let leading = from.len() - from.trim_start().len();
        self.write(relative, &text.replacen(from, to, 1));
        Position {
            line,
            column: column + leading,
        }
    }

    /// `cargo build -vv` in the copy: `-vv` shows the commands Cargo runs, and the build
    /// script's output when it runs. Without the default `rustls` feature: nothing here
    /// speaks HTTPS, and its C build would double the first run's time.
    fn cargo_build(&self) -> Build {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args(["build", "--offline", "--no-default-features", "-vv"])
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_TERM_COLOR", "never")
            .env_remove("CARGO_TERM_QUIET")
            .env_remove("CARGO_BUILD_TARGET")
            .output()
            .unwrap();
        Build {
            success: output.status.success(),
            output: String::from_utf8_lossy(&output.stderr).into_owned()
                + &String::from_utf8_lossy(&output.stdout),
        }
    }

    /// The freshly built binary.
    fn binary(&self) -> PathBuf {
        self.target
            .join("debug")
            .join(format!("inkwell-mcp{}", std::env::consts::EXE_SUFFIX))
    }

    /// The tool names the freshly built binary serves for `inkwell`, sorted.
    fn tools(&self) -> Vec<String> {
        let output = Command::new(self.binary())
            .args(["tools", "--integration", "inkwell", "--json"])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let tools: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
        let names = tools.iter().map(|tool| tool["name"].as_str().unwrap());
        sorted(names)
    }
}

/// This crate's manifest for a copy outside the workspace: dependency paths made absolute, and
/// a `[workspace]` of its own.
fn standalone_manifest(manifest: &[u8], repo: &Path) -> Vec<u8> {
    let text = String::from_utf8(manifest.to_vec()).unwrap();
    let absolute = format!("path = \"{}/", repo.display());
    let text = text.replace("path = \"../../", &absolute);
    assert!(!text.contains("\"../"), "a relative path is left:\n{text}");
    format!("{text}\n[workspace]\n").into_bytes()
}

/// Every file under `dir`, relative to the copy's root, skipping build output.
fn files_under(root: &Path, relative: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = fs::read_dir(root.join(relative)) else {
        return files;
    };
    for entry in entries {
        let entry = entry.unwrap();
        let path = relative.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                files.extend(files_under(root, &path));
            }
        } else {
            files.push(path);
        }
    }
    files
}

struct Build {
    success: bool,
    output: String,
}

impl Build {
    fn assert_success(&self) {
        assert!(self.success, "cargo build failed:\n{}", self.output);
    }

    /// What the build script printed for `cargo:rerun-if-changed`, if it ran.
    fn rerun_if_changed(&self) -> Vec<String> {
        self.output
            .lines()
            .filter_map(|line| line.strip_prefix("[inkwell-mcp 0.1.0] cargo:rerun-if-changed="))
            .map(str::to_owned)
            .collect()
    }

    /// Whether Cargo ran (not just compiled) this crate's build script: `-v` shows the command.
    fn ran_build_script(&self) -> bool {
        self.output.lines().any(|line| {
            let line = line.trim();
            line.starts_with("Running `")
                && line.contains("inkwell-mcp-")
                && line.ends_with(&format!(
                    "build-script-build{}`",
                    std::env::consts::EXE_SUFFIX
                ))
        })
    }
}
