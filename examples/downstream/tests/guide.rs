//! `docs/build-rs.md` shows code from this crate; each snippet marked
//! `<!-- snippet: examples/downstream/<file> -->` must appear verbatim in that file, so the guide
//! cannot drift from code that compiles and is tested.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

use std::fs;
use std::path::Path;

const MARKER: &str = "<!-- snippet: ";

#[test]
fn every_snippet_in_the_guide_is_in_the_file_it_names() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let guide = fs::read_to_string(repo.join("docs/build-rs.md")).unwrap();
    let lines: Vec<&str> = guide.lines().collect();
    let mut checked = 0;
    for (index, line) in lines.iter().enumerate() {
        let Some(rest) = line.strip_prefix(MARKER) else {
            continue;
        };
        let file = rest.strip_suffix(" -->").unwrap();
        let fence = lines[index + 1];
        assert!(
            fence.starts_with("```"),
            "line {}: no code block after the marker",
            index + 2
        );
        let body: Vec<&str> = lines[index + 2..]
            .iter()
            .take_while(|line| **line != "```")
            .copied()
            .collect();
        let snippet = body.join("\n") + "\n";
        let source = fs::read_to_string(repo.join(file)).unwrap();
        assert!(
            source.contains(&snippet),
            "docs/build-rs.md line {}: this snippet is not in {file}:\n{snippet}",
            index + 1
        );
        checked += 1;
    }
    assert!(
        checked >= 5,
        "only {checked} snippets found: were the markers removed?"
    );
}
