//! Docs are code: every YAML block in `README.md` and `docs/*.md` parses, and every complete
//! example (blocks marked `<!-- example: <integration>/<file> -->`) passes the generator's
//! validation as a docs folder, so the format reference cannot show a doc that does not work.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const MARKER: &str = "<!-- example: ";

/// A YAML block: the file and line it starts at, the example file it is marked as, its text.
struct Block {
    at: String,
    example: Option<String>,
    text: String,
}

fn markdown_files(repo: &Path) -> Vec<PathBuf> {
    let mut files = vec![repo.join("README.md")];
    let mut docs: Vec<PathBuf> = fs::read_dir(repo.join("docs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

fn yaml_blocks(repo: &Path) -> Vec<Block> {
    let mut blocks = Vec::new();
    for file in markdown_files(repo) {
        let text = fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let name = file.strip_prefix(repo).unwrap().display().to_string();
        let mut index = 0;
        while index < lines.len() {
            if lines[index].trim_start() != "```yaml" {
                index += 1;
                continue;
            }
            let example = index
                .checked_sub(1)
                .and_then(|before| lines[before].strip_prefix(MARKER))
                .and_then(|rest| rest.strip_suffix(" -->"))
                .map(str::to_owned);
            let body: Vec<&str> = lines[index + 1..]
                .iter()
                .take_while(|line| line.trim_start() != "```")
                .copied()
                .collect();
            blocks.push(Block {
                at: format!("{name}:{}", index + 1),
                example,
                text: body.join("\n") + "\n",
            });
            index += body.len() + 2;
        }
    }
    blocks
}

#[test]
fn every_yaml_block_in_the_docs_parses() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let blocks = yaml_blocks(&repo);
    assert!(
        blocks.len() >= 3,
        "only {} YAML blocks found: was the scan broken?",
        blocks.len()
    );
    let broken: Vec<String> = blocks
        .iter()
        .filter_map(|block| {
            serde_yaml::from_str::<serde_yaml::Value>(&block.text)
                .err()
                .map(|error| format!("{}: {error}", block.at))
        })
        .collect();
    assert!(
        broken.is_empty(),
        "YAML that does not parse:\n{}",
        broken.join("\n")
    );
}

#[test]
fn every_complete_example_passes_the_generator() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut examples: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for block in yaml_blocks(&repo) {
        if let Some(example) = block.example {
            let integration = example.split('/').next().unwrap().to_owned();
            examples
                .entry(integration)
                .or_default()
                .push((example, block.text));
        }
    }
    assert!(
        !examples.is_empty(),
        "no marked examples found: the format reference's annotated example should be one"
    );
    for (integration, files) in examples {
        let dir = std::env::temp_dir().join(format!(
            "mcpgen-docs-example-{integration}-{}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        for (path, text) in &files {
            let path = dir.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        let result = generator::Builder::new().docs_dir(&dir).validate();
        let _ = fs::remove_dir_all(&dir);
        if let Err(diagnostics) = result {
            panic!("the `{integration}` example in the docs does not validate:\n{diagnostics}");
        }
    }
}
