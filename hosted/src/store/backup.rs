//! `mcp-server backup` and `mcp-server restore` for the SQLite store, with SQLite's online
//! backup API.
//!
//! A backup copies every page in one step, inside one read transaction of the source: in WAL
//! mode a reader never blocks writers, so `serve` keeps writing while the copy sees one
//! consistent snapshot (the page-by-page mode would restart whenever a write lands, and might
//! never finish on a busy database). The copy is written next to the destination, switched to a
//! single self-contained file (no `-wal`), checked with `PRAGMA integrity_check`, and only then
//! renamed into place, so a crash leaves no half-written backup under the requested name.
//!
//! A restore goes through the same API in the other direction, so SQLite itself replaces the
//! database and its write-ahead log (copying a file over a database whose stale `-wal` is still
//! beside it would corrupt it).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::StoreError;
use super::migrate::MIGRATIONS;

/// How long a copy waits for a lock (a checkpoint, or a writer on the restore target).
const LOCK_WAIT: Duration = Duration::from_secs(30);

/// What a backup or restore did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CopyReport {
    /// The file written.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its schema version.
    pub schema_version: i64,
    /// Integrated accounts in it.
    pub accounts: i64,
    /// MCP servers in it, expired ones not yet purged included.
    pub servers: i64,
    /// How long the copy took, in milliseconds.
    pub elapsed_ms: u128,
}

/// Copies the database at `source` (which `serve` may be writing) to a new file `output`.
pub fn backup(source: &Path, output: &Path) -> Result<CopyReport, StoreError> {
    let started = Instant::now();
    if output.exists() {
        return Err(StoreError::Backend(format!(
            "{} already exists; remove it or choose another --output",
            output.display()
        )));
    }
    let from = open_existing(source)?;
    schema_version(&from, source)?;
    let partial = partial_path(output);
    if let Err(error) = write_backup(&from, &partial, output) {
        let _ = std::fs::remove_file(&partial);
        return Err(error);
    }
    report(output, started)
}

/// Copies `from` into the new file `partial`, checks it, and renames it to `output`.
fn write_backup(from: &Connection, partial: &Path, output: &Path) -> Result<(), StoreError> {
    super::sqlite::create_private(partial)?;
    let mut to = Connection::open(partial).map_err(|error| {
        StoreError::Backend(format!("cannot create {}: {error}", partial.display()))
    })?;
    copy(from, &mut to, partial)?;
    // The source is in WAL mode and so is its copy; make it one file, so that copying the
    // backup elsewhere cannot leave part of it behind.
    let _mode: String = to.query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0))?;
    check_integrity(&to, partial)?;
    drop(to);
    std::fs::File::open(partial)
        .and_then(|file| file.sync_all())
        .map_err(|error| io_error(partial, &error))?;
    std::fs::rename(partial, output).map_err(|error| io_error(output, &error))?;
    sync_parent(output);
    Ok(())
}

/// Replaces the database at `database` (created when missing) with the backup at `backup`,
/// after checking the backup. `serve` must be stopped first: it keeps the key and caches of
/// the database it started on.
pub fn restore(backup: &Path, database: &Path) -> Result<CopyReport, StoreError> {
    let started = Instant::now();
    let from = open_existing(backup)?;
    let version = schema_version(&from, backup)?;
    let latest = MIGRATIONS.last().map_or(0, |(version, _)| *version);
    if version > latest {
        return Err(StoreError::Backend(format!(
            "{} has schema version {version}, newer than this binary supports ({latest}); \
             restore it with a newer mcp-server",
            backup.display()
        )));
    }
    check_integrity(&from, backup)?;
    super::sqlite::create_private(database)?;
    let mut to = super::sqlite::connect(database)?;
    copy(&from, &mut to, database)?;
    let _mode: String = to.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    check_integrity(&to, database)?;
    drop(to);
    report(database, started)
}

/// Opens a database that must already exist (SQLite would otherwise create an empty one).
fn open_existing(path: &Path) -> Result<Connection, StoreError> {
    if !path.is_file() {
        return Err(StoreError::Backend(format!(
            "no database file at {}",
            path.display()
        )));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|error| StoreError::Backend(format!("cannot open {}: {error}", path.display())))?;
    conn.busy_timeout(LOCK_WAIT)?;
    Ok(conn)
}

/// The schema version of an mcpgen database; anything else is refused.
fn schema_version(conn: &Connection, path: &Path) -> Result<i64, StoreError> {
    conn.query_row("SELECT MAX(version) FROM schema_version", [], |row| {
        row.get::<_, Option<i64>>(0)
    })
    .ok()
    .flatten()
    .ok_or_else(|| {
        StoreError::Backend(format!(
            "{} is not an mcpgen hosted database (no schema_version)",
            path.display()
        ))
    })
}

/// Copies every page of `from` into `to` in one step (one consistent snapshot of `from`).
fn copy(from: &Connection, to: &mut Connection, target: &Path) -> Result<(), StoreError> {
    let deadline = Instant::now() + LOCK_WAIT;
    let backup = Backup::new(from, to)?;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            StepResult::Busy | StepResult::Locked if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(50));
            }
            StepResult::Busy | StepResult::Locked | _ => {
                return Err(StoreError::Backend(format!(
                    "{} stayed locked for {}s; if a server runs on it, stop it first",
                    target.display(),
                    LOCK_WAIT.as_secs()
                )));
            }
        }
    }
}

fn check_integrity(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let result: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
    if result == "ok" {
        Ok(())
    } else {
        Err(StoreError::Backend(format!(
            "{} fails PRAGMA integrity_check: {result}",
            path.display()
        )))
    }
}

fn report(path: &Path, started: Instant) -> Result<CopyReport, StoreError> {
    let conn = open_existing(path)?;
    let schema_version = schema_version(&conn, path)?;
    let count = |table: &str| -> Result<i64, StoreError> {
        Ok(
            conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
                row.get(0)
            })?,
        )
    };
    let (accounts, servers) = (count("integrated_accounts")?, count("mcp_servers")?);
    drop(conn);
    let bytes = std::fs::metadata(path)
        .map_err(|error| io_error(path, &error))?
        .len();
    Ok(CopyReport {
        path: path.display().to_string(),
        bytes,
        schema_version,
        accounts,
        servers,
        elapsed_ms: started.elapsed().as_millis(),
    })
}

/// `DEST.partial-<pid>`, beside the destination so the final rename stays on one file system.
fn partial_path(output: &Path) -> PathBuf {
    let mut name = output.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".partial-{}", std::process::id()));
    output.with_file_name(name)
}

/// Makes the rename durable; best effort, since not every platform can sync a directory.
fn sync_parent(path: &Path) {
    if let Some(parent) = path.parent() {
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        if let Ok(dir) = std::fs::File::open(parent) {
            let _ = dir.sync_all();
        }
    }
}

fn io_error(path: &Path, error: &std::io::Error) -> StoreError {
    StoreError::Backend(format!("{}: {error}", path.display()))
}
