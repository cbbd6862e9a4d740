//! `docs/build-rs.md` "Setup" shows a whole crate: its `Cargo.toml`, `build.rs` and
//! `src/main.rs`, each marked `<!-- guide-crate: FILE -->`. This builds a crate from exactly
//! those blocks and this example's docs, as a reader who copies them would, and runs it.
//!
//! Two changes are made, both outside the blocks' text: `/path/to/mcpgen` becomes this
//! repository, and the manifest gets an empty `[workspace]` (the crate sits under this
//! repository's `target/`, where Cargo would otherwise take it for a member). It builds offline
//! with this repository's `Cargo.lock`, into the target directory `build_script.rs` uses, so the
//! dependencies they share are compiled once.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::INKWELL_TOOLS;

mod common;

const MARKER: &str = "<!-- guide-crate: ";

/// The code block after each marker, by the file it names.
fn guide_files(guide: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = guide.lines().collect();
    let mut files = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(rest) = line.strip_prefix(MARKER) else {
            continue;
        };
        let file = rest.strip_suffix(" -->").unwrap().to_owned();
        assert!(
            lines[index + 1].starts_with("```"),
            "docs/build-rs.md line {}: no code block after the marker",
            index + 2
        );
        let body: Vec<&str> = lines[index + 2..]
            .iter()
            .take_while(|line| **line != "```")
            .copied()
            .collect();
        files.push((file, body.join("\n") + "\n"));
    }
    files
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn run(command: &mut Command) -> (bool, String) {
    let output = command.output().unwrap();
    let text = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    (output.status.success(), text)
}

#[test]
fn the_setup_section_builds_a_working_server_as_written() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = example.join("../..").canonicalize().unwrap();
    let guide = fs::read_to_string(repo.join("docs/build-rs.md")).unwrap();
    let files = guide_files(&guide);
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["Cargo.toml", "build.rs", "src/main.rs"]);

    let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir: PathBuf = root.join("guide-crate");
    let _ = fs::remove_dir_all(&dir);
    for (name, text) in &files {
        let mut text = text.replace("/path/to/mcpgen", &repo.display().to_string());
        if name == "Cargo.toml" {
            text.push_str("\n[workspace]\n");
        }
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    copy_dir(&example.join("docs"), &dir.join("docs"));
    fs::copy(repo.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();

    let target = root.join("inkwell-mcp-copy").join("target");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let (built, output) = run(Command::new(cargo)
        .args(["build", "--offline"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("CARGO_BUILD_TARGET"));
    assert!(built, "the guide's crate does not build:\n{output}");
    assert!(
        !output.contains("warning"),
        "the guide's crate builds with warnings:\n{output}"
    );

    let binary = target
        .join("debug")
        .join(format!("my-inkwell-mcp{}", std::env::consts::EXE_SUFFIX));
    let (listed, output) = run(Command::new(&binary).args(["tools", "--json"]));
    assert!(listed, "{output}");
    let json_start = output.find('[').unwrap();
    let tools: Vec<serde_json::Value> = serde_json::from_str(&output[json_start..]).unwrap();
    let mut names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    let mut expected = INKWELL_TOOLS.to_vec();
    names.sort_unstable();
    expected.sort_unstable();
    assert_eq!(names, expected);

    // The real base URL is https://: with the snippet's TLS feature the client builds and the
    // server starts (then ends at the end of its input), instead of refusing to start.
    let (served, output) = run(Command::new(&binary)
        .arg("stdio")
        .env("INKWELL_API_KEY", "test-key")
        .stdin(Stdio::null()));
    assert!(served, "{output}");
    assert!(!output.contains("without TLS"), "{output}");
}
