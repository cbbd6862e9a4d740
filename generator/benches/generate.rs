//! Generator throughput on a synthetic doc set of 1,000 resources (5,000 tools).
//!
//! The bench writes the docs itself into a temporary folder: one integration whose resources
//! are copies of the Chronosphere teams doc under numbered names, each with all five methods.
//! Timed: load + validate + lower + emit in memory; a first run into an empty output folder;
//! and the no-change re-run, which must write, and remove, nothing.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use generator::{Builder, Layout};

const RESOURCES: usize = 1_000;

/// The allocator the `generator` binary uses with the same feature (a generation allocates
/// and frees millions of small token and syntax-tree nodes), so the numbers are the CLI's:
/// `cargo bench -p generator` measures the system allocator, `--features mimalloc` mimalloc.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

const INTEGRATION: &str = r#"name: synth
display_name: Synthetic
description: A synthetic integration for the generator benchmark, shaped like Chronosphere.
base_url: https://{tenant}.example.com
credentials:
  tenant:
    description: The tenant.
    secret: false
  api_token:
    description: An API token.
    secret: true
auth:
  type: header
  header: API-Token
  value: "{api_token}"
pagination:
  style: cursor
  in: query
  limit_param: page.max_size
  cursor_param: page.token
  next_cursor_path: page.next_token
errors:
  message_path: message
"#;

/// The teams doc with `@PLURAL@`, `@SINGULAR@` and `@PATH@` for the names.
const RESOURCE: &str = r#"name: @PLURAL@
singular: @SINGULAR@
description: Synthetic resource @PLURAL@, shaped like Chronosphere teams.
tags: [synthetic]
id:
  field: slug
  description: The record's slug, not its name.
schema:
  type: object
  properties:
    slug:
      type: string
      description: The unique identifier. Generated from the name when absent.
    name:
      type: string
      description: The display name.
    description:
      type: string
      description: Optional. A short description.
    user_emails:
      type: array
      items:
        type: string
      description: Unordered set of member emails.
    created_at:
      type: string
      format: date-time
      readOnly: true
      description: When it was created.
    updated_at:
      type: string
      format: date-time
      readOnly: true
      description: When it was last updated.
methods:
  list:
    description: List the records a page at a time, filtered by slugs or names.
    http: GET /api/v1/config/@PATH@
    query_schema:
      type: object
      properties:
        slugs:
          type: array
          items:
            type: string
          description: Only records whose slug is in this list.
        names:
          type: array
          items:
            type: string
          description: Only records whose name is in this list.
    response_path: @PLURAL@
  get:
    description: Read one record.
    http: GET /api/v1/config/@PATH@/{id}
    response_path: @SINGULAR@
  create:
    description: Create a record; set `dry_run` to validate without creating.
    http: POST /api/v1/config/@PATH@
    body_wrapper: @SINGULAR@
    body_schema:
      type: object
      properties:
        dry_run:
          type: boolean
          description: Validate without creating.
    response_path: @SINGULAR@
  update:
    description: Replace a record; fields left out are cleared.
    http: PUT /api/v1/config/@PATH@/{id}
    body_wrapper: @SINGULAR@
    body_schema:
      type: object
      properties:
        create_if_missing:
          type: boolean
          description: Create the record when it does not exist.
        dry_run:
          type: boolean
          description: Validate without writing.
    response_path: @SINGULAR@
  delete:
    description: Delete a record.
    http: DELETE /api/v1/config/@PATH@/{id}
"#;

/// A temporary folder holding `integrations/synth/` with [`RESOURCES`] resource docs. Kept
/// for the whole process (the bench binary exits after the last bench).
struct DocSet {
    _dir: tempfile::TempDir,
    docs: PathBuf,
}

static DOCS: LazyLock<DocSet> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("no temp dir: {error}"));
    let docs = dir.path().join("integrations");
    let resources = docs.join("synth").join("resources");
    fs::create_dir_all(&resources).unwrap_or_else(|error| panic!("mkdir: {error}"));
    write(&docs.join("synth").join("integration.yaml"), INTEGRATION);
    for index in 0..RESOURCES {
        let plural = format!("widgets_{index:04}");
        let text = RESOURCE
            .replace("@PLURAL@", &plural)
            .replace("@SINGULAR@", &format!("widget_{index:04}"))
            .replace("@PATH@", &format!("widgets-{index:04}"));
        write(&resources.join(format!("{plural}.yaml")), &text);
    }
    DocSet { _dir: dir, docs }
});

fn write(path: &Path, text: &str) {
    fs::write(path, text).unwrap_or_else(|error| panic!("write {}: {error}", path.display()));
}

fn builder(out: &Path) -> Builder {
    let mut builder = Builder::new();
    builder
        .docs_dir(&DOCS.docs)
        .out_dir(out)
        .layout(Layout::Crates)
        .emit_rerun_if_changed(false);
    builder
}

/// Load + validate + lower + emit, all in memory: what every run pays before touching disk.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn generate_in_memory(bencher: divan::Bencher) {
    let scratch = tempfile::tempdir().unwrap_or_else(|error| panic!("no temp dir: {error}"));
    let builder = builder(scratch.path());
    let generation = builder
        .run()
        .unwrap_or_else(|error| panic!("the synthetic docs do not generate: {error}"));
    assert_eq!(generation.resource_count(), RESOURCES);
    assert_eq!(generation.tool_count(), RESOURCES * 5);
    bencher.bench(|| builder.run());
}

/// The first run: generate, then write every file into an empty folder.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn first_run_into_empty_dir(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| tempfile::tempdir().unwrap_or_else(|error| panic!("no temp dir: {error}")))
        .bench_values(|out| {
            let summary = builder(out.path())
                .write()
                .unwrap_or_else(|error| panic!("write failed: {error}"));
            assert!(!summary.written.is_empty());
            out
        });
}

/// Nothing changed since the last run: generate, compare with disk, write nothing.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn no_change_rerun(bencher: divan::Bencher) {
    let out = tempfile::tempdir().unwrap_or_else(|error| panic!("no temp dir: {error}"));
    let builder = builder(out.path());
    let first = builder
        .write()
        .unwrap_or_else(|error| panic!("write failed: {error}"));
    let files = first.written.len();
    bencher.bench(|| {
        let summary = builder
            .write()
            .unwrap_or_else(|error| panic!("re-run failed: {error}"));
        assert!(
            summary.written.is_empty() && summary.removed.is_empty(),
            "a no-change run wrote {:?} and removed {:?}",
            summary.written,
            summary.removed
        );
        assert_eq!(summary.unchanged, files);
    });
}
