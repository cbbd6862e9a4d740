//! The `mcp-server` command line with hosted mode: `mcpgen_server`'s single-integration commands
//! (`stdio`, `http`, `tools`) plus `serve`, `accounts`, `servers`, `keys`, `audit`, `backup` and
//! `restore`.
//!
//! The parser is `mcpgen_server::cli::command()` with this crate's subcommands added, so both
//! crates describe one command line; a request for one of the server's commands is handed back
//! to `mcpgen_server::cli::execute` unchanged.

use std::ffi::OsString;

use clap::{FromArgMatches, Subcommand};
use mcpgen_runtime::Integration;
use mcpgen_server::cli::{block_on, usage_exit_code};

use crate::cli::{
    AccountsArgs, AuditArgs, BackupArgs, KeysArgs, RestoreArgs, ServersArgs, run_accounts,
    run_audit, run_backup, run_keys, run_restore, run_servers,
};
use crate::config::CommandError;
use crate::serve::ServeArgs;

// The commands this crate adds. A plain comment: clap would make a doc comment the `about` of
// the whole `mcp-server` command, replacing the server crate's.
#[derive(Debug, Subcommand)]
enum HostedCommand {
    /// Hosted mode: integrated accounts and their MCP servers at /mcp/<token>, managed through
    /// an admin API (see docs/hosted.md).
    ///
    /// Needs MCP_ADMIN_TOKEN and MCP_SECRET_KEY (or --dev). Prints `listening on http://ADDR`
    /// to stderr once bound.
    Serve(ServeArgs),
    /// Manage the hosted database's integrated accounts.
    Accounts(AccountsArgs),
    /// Manage the hosted database's MCP servers.
    Servers(ServersArgs),
    /// Rotate the key that seals stored credentials (MCP_SECRET_KEY -> MCP_NEW_SECRET_KEY).
    Keys(KeysArgs),
    /// Read the audit log of admin changes.
    Audit(AuditArgs),
    /// Copy the hosted database to a new file, consistently, while `serve` runs.
    Backup(BackupArgs),
    /// Replace the hosted database with a backup (stop `serve` first).
    Restore(RestoreArgs),
}

/// The whole parser: the server's commands and this crate's.
pub fn parser() -> clap::Command {
    HostedCommand::augment_subcommands(mcpgen_server::cli::command())
}

/// Parses `args` and runs the command; returns the process exit code. `env` looks up
/// credential variables (the process environment in [`crate::main`]).
pub fn run<I, T>(
    integrations: &'static [&'static Integration],
    args: I,
    env: &dyn Fn(&str) -> Option<String>,
) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = match parser().try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(error) => return usage_exit_code(&error),
    };
    let hosted = matches
        .subcommand_name()
        .is_some_and(HostedCommand::has_subcommand);
    if !hosted {
        return match mcpgen_server::cli::Command::from_arg_matches(&matches) {
            Ok(command) => mcpgen_server::cli::exit_code(mcpgen_server::cli::execute(
                integrations,
                command,
                env,
            )),
            Err(error) => usage_exit_code(&error),
        };
    }
    let command = match HostedCommand::from_arg_matches(&matches) {
        Ok(command) => command,
        Err(error) => return usage_exit_code(&error),
    };
    let result: Result<(), CommandError> = block_on(async {
        match command {
            HostedCommand::Serve(args) => crate::serve::run(args, integrations).await,
            HostedCommand::Accounts(args) => run_accounts(args, integrations).await,
            HostedCommand::Servers(args) => run_servers(args, integrations).await,
            HostedCommand::Keys(args) => run_keys(args, integrations).await,
            HostedCommand::Audit(args) => run_audit(args, integrations).await,
            HostedCommand::Backup(args) => run_backup(args).await,
            HostedCommand::Restore(args) => run_restore(args).await,
        }
    });
    match result {
        Ok(()) => 0,
        Err(error) => {
            tracing::debug!(?error, "exiting with an error");
            eprintln!("error: {error}");
            error.exit_code()
        }
    }
}
