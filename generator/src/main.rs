//! `cargo run -p generator`: regenerates `generated/` from `integrations/`, or with `--check`
//! reports what is out of date without writing anything. `cargo run -p generator -- import`
//! writes integration docs from a Swagger 2.0 or OpenAPI 3.x spec.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use generator::{Builder, Error, Importer, Layout};

/// A generation allocates and frees millions of small token and syntax-tree nodes; mimalloc
/// does that faster than the system allocator. Opt in with `--features mimalloc`: a default
/// feature would be compiled into every downstream build script too.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Regenerates the MCP tool crates in `generated/` from the integration docs in
/// `integrations/`.
///
/// Each `integrations/<name>/` folder becomes the crate `generated/<name>/` (typed Rust, JSON
/// Schemas, README), and `generated/mcp-server/` is the binary that serves them all. Only files
/// whose contents change are written; generated files nothing produces any more are removed.
/// Problems in the docs are all reported, with file:line:column, and nothing is written.
#[derive(Debug, Parser)]
#[command(name = "generator", version, args_conflicts_with_subcommands = true)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,

    /// The folder of integration docs: one subfolder per integration.
    #[arg(long, value_name = "DIR", default_value_os_t = workspace_root().join("integrations"))]
    docs: PathBuf,

    /// Where the generated crates go.
    #[arg(long, value_name = "DIR", default_value_os_t = workspace_root().join("generated"))]
    out: PathBuf,

    /// A folder of `.j2` templates that replace the built-in ones of the same name.
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,

    /// Write nothing; exit with status 1, naming each stale, missing or extra file, when the
    /// output is not what the docs produce (for CI).
    #[arg(long)]
    check: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    Import(ImportArgs),
}

/// Writes integration docs from an API description: Swagger 2.0, OpenAPI 3.0 or OpenAPI 3.1,
/// in JSON or YAML (told apart by content, not by the file name).
///
/// Operations are grouped into resources by path: collection GET/POST and item
/// GET/PUT/PATCH/DELETE become list, create, get, update and delete; a path with no item path
/// whose GET is not a list is a singleton (no `id:`); parameters before the last segment make a
/// nested resource (path arguments); anything else is a custom method named after its
/// operationId. Schemas are inlined into the doc format's subset (cycles cut, allOf merged,
/// oneOf/anyOf of objects made one object), with notes in `description` for what the subset
/// cannot say. Ids, reply and body wrappers and pagination are found from the shapes; tool
/// names longer than 64 characters get a shorter `tool_name:` (see docs/import.md).
///
/// Files go to `<OUT>/<NAME>/integration.yaml` and `<OUT>/<NAME>/resources/<resource>.yaml`.
/// Nothing is written when any of them exists, unless `--force` is given. The summary lists
/// every resource, every name the importer chose, every note (a placeholder `base_url`, a
/// fallback `auth`) and every operation it could not map, with the reason. Then review the
/// docs and run `cargo run -p generator`.
#[derive(Debug, clap::Args)]
struct ImportArgs {
    /// The spec file: Swagger 2.0, OpenAPI 3.0 or 3.1, JSON or YAML.
    #[arg(long, value_name = "FILE")]
    spec: PathBuf,

    /// The integration's name, snake_case: its folder `<OUT>/<NAME>/` and part of every tool
    /// name (`list_all_<NAME>_<resources>`).
    #[arg(long, value_name = "NAME")]
    integration: String,

    /// Import only these resources (comma-separated, named as the importer names them; an
    /// unknown name lists them all). An existing `<OUT>/<NAME>/integration.yaml` is then kept.
    #[arg(long, value_name = "a,b", value_delimiter = ',')]
    resources: Vec<String>,

    /// The docs folder to write into.
    #[arg(long, value_name = "DIR", default_value_os_t = workspace_root().join("integrations"))]
    out: PathBuf,

    /// Replace docs that exist. Without it, an existing file stops the import and nothing is
    /// written.
    #[arg(long)]
    force: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(Command::Import(import)) = &args.command {
        return match run_import(import) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: {err}");
                ExitCode::FAILURE
            }
        };
    }
    match run(&args) {
        Ok(code) => code,
        Err(Error::Diagnostics(diagnostics)) => {
            eprintln!("{diagnostics}");
            eprintln!("nothing was written");
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<ExitCode, Error> {
    let mut builder = Builder::new();
    builder
        .docs_dir(&args.docs)
        .out_dir(&args.out)
        .layout(Layout::Crates)
        .emit_rerun_if_changed(false);
    if let Some(dir) = &args.templates {
        builder.templates_dir(dir);
    }
    let generation = builder.run()?;
    let names: Vec<&str> = generation.integration_names().collect();
    let summary = format!(
        "{} ({}), {}, {}",
        plural(names.len(), "integration"),
        names.join(", "),
        plural(generation.resource_count(), "resource"),
        plural(generation.tool_count(), "tool"),
    );

    if args.check {
        let report = generation.files.check(&args.out)?;
        if report.is_fresh() {
            println!("{}/ is up to date: {summary}", shown(&args.out));
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "error: {} is out of date with {}:",
            shown(&args.out),
            shown(&args.docs)
        );
        for (label, paths) in [
            ("stale", &report.stale),
            ("missing", &report.missing),
            ("extra", &report.extra),
        ] {
            for path in paths {
                eprintln!("  {label:<8} {}", shown(path));
            }
        }
        eprintln!("run `{}` to update it", fix_command(args));
        return Ok(ExitCode::FAILURE);
    }

    let written = generation.files.write(&args.out)?;
    println!("generated {summary}");
    for path in &written.written {
        println!("  wrote    {}", shown(path));
    }
    for path in &written.removed {
        println!("  removed  {}", shown(path));
    }
    println!(
        "{}/: {} written, {} unchanged, {} removed",
        shown(&args.out),
        written.written.len(),
        written.unchanged,
        written.removed.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn run_import(args: &ImportArgs) -> Result<(), Error> {
    let mut importer = Importer::new(&args.spec, &args.integration);
    importer.docs_dir(&args.out);
    for resource in &args.resources {
        importer.resource(resource);
    }
    let imported = importer.run()?;
    let written = imported.write(&args.out, args.force)?;
    print!("{}", imported.report);
    println!("wrote {} files:", written.len());
    for path in &written {
        println!("  {}", shown(path));
    }
    let docs = if args.out == workspace_root().join("integrations") {
        String::new()
    } else {
        format!(" -- --docs {}", shown(&args.out))
    };
    println!("next: review them, then run `cargo run -p generator{docs}`");
    Ok(())
}

/// The workspace root: this package's parent when the source tree is still there (so the
/// defaults work from any directory under `cargo run`), else the current directory.
fn workspace_root() -> PathBuf {
    let compiled = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf);
    match compiled {
        Some(root) if root.join("Cargo.toml").is_file() => root,
        _ => PathBuf::from("."),
    }
}

/// The command that brings the output up to date, with the same folders as this run.
fn fix_command(args: &Args) -> String {
    let mut command = String::from("cargo run -p generator");
    let root = workspace_root();
    let mut extra = Vec::new();
    if args.docs != root.join("integrations") {
        extra.push(format!("--docs {}", shown(&args.docs)));
    }
    if args.out != root.join("generated") {
        extra.push(format!("--out {}", shown(&args.out)));
    }
    if let Some(dir) = &args.templates {
        extra.push(format!("--templates {}", shown(dir)));
    }
    if !extra.is_empty() {
        command = format!("{command} -- {}", extra.join(" "));
    }
    command
}

/// A path relative to the current directory when it is under it, as people type paths.
fn shown(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    relative
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
