//! Operator commands against the same database `serve` uses: `accounts`, `servers` and `audit`
//! print the admin API's JSON; `keys rotate`, `backup` and `restore` look after the database.
//!
//! They go through [`Hosted`] like the admin API, so validation and messages are the same, and
//! their changes are in the audit log with the actor `cli`. Only `accounts add` and `keys
//! rotate` need `MCP_SECRET_KEY`. A running `serve` sees every change at once (each request
//! reads the database); its caches of deleted servers are dropped at the next purge.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use mcpgen_runtime::{Integration, Page, env_var};
use mcpgen_server::Exposure;
use serde::Serialize;

use crate::clock::SystemClock;
use crate::config::{self, CommandError};
use crate::core::{Hosted, HostedSettings, MAX_PAGE_SIZE};
use crate::crypto::Cipher;
use crate::error::HostedError;
use crate::input::{ConfigInput, NewAccount, NewServer};
use crate::model::Actor;
use crate::store;
use crate::upstream::{UpstreamArgs, UpstreamSettings};
use crate::validate;
use crate::views::{AccountView, AuditView, ServerView};

/// The database both command groups work on.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct DatabaseArg {
    /// SQLite file, sqlite://PATH or postgres://... URL (the one `serve` uses).
    #[arg(
        long = "database",
        env = "MCP_DATABASE",
        default_value = "mcpgen.db",
        value_name = "PATH_OR_URL",
        global = true
    )]
    pub path: String,
}

/// `mcp-server accounts`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct AccountsArgs {
    #[command(flatten)]
    pub database: DatabaseArg,
    #[command(subcommand)]
    pub command: AccountsCommand,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub(crate) enum AccountsCommand {
    /// Create an integrated account (needs MCP_SECRET_KEY). Credentials not given with
    /// --credential are read from <INTEGRATION>_<CREDENTIAL>, e.g. CHRONOSPHERE_API_TOKEN,
    /// which keeps secrets out of shell history.
    Add {
        #[arg(long)]
        integration: String,
        /// A credential as NAME=VALUE (repeatable).
        #[arg(long = "credential", value_name = "NAME=VALUE")]
        credentials: Vec<String>,
        /// The same upstream settings `serve` runs with, so the account is checked against them.
        #[command(flatten)]
        upstream: UpstreamArgs,
    },
    /// List integrated accounts.
    List,
    /// Delete an integrated account and all its MCP servers.
    Rm { id: String },
}

/// `mcp-server servers`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ServersArgs {
    #[command(flatten)]
    pub database: DatabaseArg,
    #[command(subcommand)]
    pub command: ServersCommand,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub(crate) enum ServersCommand {
    /// Create an MCP server for an account; prints its URL (shown only this once).
    Create {
        #[arg(long)]
        account: String,
        #[arg(long)]
        name: String,
        /// read, write, custom or method names (comma-separated or repeated).
        #[arg(long)]
        methods: Vec<String>,
        /// Keep tools whose resource has any of these tags (comma-separated or repeated).
        #[arg(long)]
        tags: Vec<String>,
        /// Also require `Authorization: Bearer <api token>` on every request.
        #[arg(long)]
        require_api_token_auth: bool,
        /// all: list every kept tool. discovery: list search_tools, describe_tools and
        /// call_tool over them instead.
        #[arg(long, value_enum, value_name = "MODE", default_value = "all")]
        exposure: Exposure,
        /// RFC 3339 expiry, at least 60 s ahead (e.g. 2030-01-31T12:00:00Z).
        #[arg(long, value_name = "TIME")]
        expires_at: Option<String>,
        /// Base of the printed URL: the `serve --public-url`.
        #[arg(
            long,
            env = "MCP_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080",
            value_name = "URL"
        )]
        public_url: String,
    },
    /// List live MCP servers, of one account or all.
    List {
        #[arg(long)]
        account: Option<String>,
    },
    /// Delete an MCP server; its URL stops working at once.
    Rm { id: String },
}

async fn open(
    database: &str,
    integrations: &[&'static Integration],
    cipher: Option<Cipher>,
    public_url: &str,
    upstream: UpstreamSettings,
) -> Result<Hosted, CommandError> {
    let store = store::open(database).await?;
    let settings = HostedSettings {
        public_url: config::public_url(public_url)?,
        min_expiry: config::min_expiry()?,
        upstream,
    };
    Ok(Hosted::new(
        store,
        cipher,
        Arc::new(SystemClock),
        integrations,
        settings,
    )?)
}

fn print(value: &impl Serialize) -> Result<(), CommandError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|error| CommandError::Config(format!("cannot print the result: {error}")))?;
    println!("{text}");
    Ok(())
}

/// The public URL of commands that print no MCP server URL.
const UNUSED_URL: &str = "http://127.0.0.1";

/// Every record of a paged list.
async fn all_pages<T>(
    mut fetch: impl AsyncFnMut(Option<&str>) -> Result<Page<T>, HostedError>,
) -> Result<Vec<T>, HostedError> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = fetch(cursor.as_deref()).await?;
        all.extend(page.result);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(all),
        }
    }
}

/// Runs `mcp-server accounts ...`.
pub(crate) async fn run_accounts(
    args: AccountsArgs,
    integrations: &[&'static Integration],
) -> Result<(), CommandError> {
    match args.command {
        AccountsCommand::Add {
            integration,
            credentials,
            upstream,
        } => {
            let key = config::secret_key()?;
            let base_urls = config::base_urls(&upstream.base_urls, integrations)?;
            let settings = config::upstream_settings(&upstream, base_urls, Some(&key));
            let cipher = Cipher::new(&key);
            let hosted = open(
                &args.database.path,
                integrations,
                Some(cipher),
                UNUSED_URL,
                settings,
            )
            .await?;
            hosted
                .verify_key()
                .await
                .map_err(|error| CommandError::Config(error.to_string()))?;
            let spec = validate::integration(integrations, &integration)?;
            let input = NewAccount {
                credentials: credential_args(spec, &credentials)?,
                integration,
            };
            let account = hosted.create_account(&input, Actor::Cli).await?;
            print(&AccountView::from(&account))
        }
        AccountsCommand::List => {
            let hosted = open(
                &args.database.path,
                integrations,
                None,
                UNUSED_URL,
                UpstreamSettings::default(),
            )
            .await?;
            let accounts =
                all_pages(async |cursor| hosted.accounts(cursor, MAX_PAGE_SIZE).await).await?;
            print(&accounts.iter().map(AccountView::from).collect::<Vec<_>>())
        }
        AccountsCommand::Rm { id } => {
            let hosted = open(
                &args.database.path,
                integrations,
                None,
                UNUSED_URL,
                UpstreamSettings::default(),
            )
            .await?;
            hosted.delete_account(&id, Actor::Cli).await?;
            eprintln!("deleted integrated account {id} and its MCP servers");
            Ok(())
        }
    }
}

/// `--credential NAME=VALUE` values, completed from `<INTEGRATION>_<CREDENTIAL>` variables.
fn credential_args(
    integration: &'static Integration,
    values: &[String],
) -> Result<BTreeMap<String, String>, CommandError> {
    let mut credentials = BTreeMap::new();
    for value in values {
        let (name, secret) = value.split_once('=').ok_or_else(|| {
            CommandError::Config(
                "--credential takes NAME=VALUE, e.g. --credential tenant=acme".to_owned(),
            )
        })?;
        credentials.insert(name.trim().to_owned(), secret.to_owned());
    }
    for spec in integration.credentials {
        if !credentials.contains_key(spec.name)
            && let Ok(value) = std::env::var(env_var(integration.name, spec.name))
        {
            credentials.insert(spec.name.to_owned(), value);
        }
    }
    Ok(credentials)
}

/// Runs `mcp-server servers ...`.
pub(crate) async fn run_servers(
    args: ServersArgs,
    integrations: &[&'static Integration],
) -> Result<(), CommandError> {
    match args.command {
        ServersCommand::Create {
            account,
            name,
            methods,
            tags,
            require_api_token_auth,
            exposure,
            expires_at,
            public_url,
        } => {
            let hosted = open(
                &args.database.path,
                integrations,
                None,
                &public_url,
                UpstreamSettings::default(),
            )
            .await?;
            let config = ConfigInput {
                methods: Some(methods),
                tags: Some(tags),
                require_api_token_auth: Some(require_api_token_auth),
                tool_exposure: Some(exposure),
                max_result_bytes: None,
            };
            let input = NewServer {
                name,
                config: Some(config),
                expires_at,
            };
            let (server, url) = hosted.create_server(&account, &input, Actor::Cli).await?;
            print(&ServerView {
                url: Some(url),
                ..ServerView::from(&server)
            })
        }
        ServersCommand::List { account } => {
            let hosted = open(
                &args.database.path,
                integrations,
                None,
                UNUSED_URL,
                UpstreamSettings::default(),
            )
            .await?;
            let servers = all_pages(async |cursor| {
                hosted
                    .servers(account.as_deref(), cursor, MAX_PAGE_SIZE)
                    .await
            })
            .await?;
            print(&servers.iter().map(ServerView::from).collect::<Vec<_>>())
        }
        ServersCommand::Rm { id } => {
            let hosted = open(
                &args.database.path,
                integrations,
                None,
                UNUSED_URL,
                UpstreamSettings::default(),
            )
            .await?;
            hosted.delete_server(None, &id, Actor::Cli).await?;
            eprintln!("deleted MCP server {id}; its URL no longer works");
            Ok(())
        }
    }
}

/// `mcp-server keys`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct KeysArgs {
    #[command(flatten)]
    pub database: DatabaseArg,
    #[command(subcommand)]
    pub command: KeysCommand,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub(crate) enum KeysCommand {
    /// Re-seal every stored credential and the key marker under a new key, in one transaction.
    ///
    /// The current key is MCP_SECRET_KEY, the new one MCP_NEW_SECRET_KEY (both 64 hex
    /// characters, from the environment only). Safe while `serve` runs, but every `serve` on
    /// the database must then be restarted with MCP_SECRET_KEY set to the new key: the old key
    /// is refused from now on.
    Rotate,
}

/// Runs `mcp-server keys ...`.
pub(crate) async fn run_keys(
    args: KeysArgs,
    integrations: &[&'static Integration],
) -> Result<(), CommandError> {
    match args.command {
        KeysCommand::Rotate => {
            let old = config::secret_key()?;
            let new = config::new_secret_key()?;
            // Opening creates a missing database; a mistyped path must not become a new,
            // empty database tied to the old key.
            if let store::Database::Sqlite(path) = store::parse(&args.database.path)?
                && !std::path::Path::new(path).is_file()
            {
                return Err(CommandError::Config(format!(
                    "--database {path}: no such file; nothing to rotate"
                )));
            }
            let hosted = open(
                &args.database.path,
                integrations,
                Some(Cipher::new(&old)),
                UNUSED_URL,
                UpstreamSettings::default(),
            )
            .await?;
            hosted
                .verify_key()
                .await
                .map_err(|error| CommandError::Config(error.to_string()))?;
            let started = Instant::now();
            // Progress goes to stderr from inside the transaction: writers wait from the first
            // line until the result, which is worth seeing on a large database.
            let progress = Arc::new(|done: usize| {
                if done == 1 {
                    eprintln!("rotating: write transaction open, re-sealing credentials");
                } else if done.is_multiple_of(1000) {
                    eprintln!("rotating: {done} credentials re-sealed");
                }
            });
            let accounts = hosted.rotate_key(&old, &new, Actor::Cli, progress).await?;
            let elapsed = started.elapsed();
            print(&serde_json::json!({
                "rotated_accounts": accounts,
                "elapsed_ms": elapsed.as_millis(),
            }))?;
            eprintln!(
                "re-sealed {accounts} credentials and the key marker under MCP_NEW_SECRET_KEY in \
                 {elapsed:.2?}. Restart every `mcp-server serve` on this database with \
                 MCP_SECRET_KEY set to the new key; the old key is refused from now on."
            );
            Ok(())
        }
    }
}

/// `mcp-server audit`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct AuditArgs {
    #[command(flatten)]
    pub database: DatabaseArg,
    #[command(subcommand)]
    pub command: AuditCommand,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub(crate) enum AuditCommand {
    /// Print the audit log, oldest first (what GET /audit-log pages through).
    List,
}

/// Runs `mcp-server audit ...`.
pub(crate) async fn run_audit(
    args: AuditArgs,
    integrations: &[&'static Integration],
) -> Result<(), CommandError> {
    match args.command {
        AuditCommand::List => {
            let hosted = open(
                &args.database.path,
                integrations,
                None,
                UNUSED_URL,
                UpstreamSettings::default(),
            )
            .await?;
            let entries =
                all_pages(async |cursor| hosted.audit_log(cursor, MAX_PAGE_SIZE).await).await?;
            print(&entries.iter().map(AuditView::from).collect::<Vec<_>>())
        }
    }
}

/// `mcp-server backup`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct BackupArgs {
    /// The database to copy (SQLite file or sqlite://PATH); `serve` may be running on it.
    #[arg(
        long,
        env = "MCP_DATABASE",
        default_value = "mcpgen.db",
        value_name = "PATH_OR_URL"
    )]
    pub database: String,
    /// The backup file to write; must not exist yet.
    #[arg(long, value_name = "PATH")]
    pub output: PathBuf,
}

/// `mcp-server restore`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct RestoreArgs {
    /// A file written by `mcp-server backup`.
    #[arg(long, value_name = "PATH")]
    pub backup: PathBuf,
    /// The database to replace (created when missing); stop `serve` on it first.
    #[arg(
        long,
        env = "MCP_DATABASE",
        default_value = "mcpgen.db",
        value_name = "PATH_OR_URL"
    )]
    pub database: String,
}

/// Runs `mcp-server backup`.
pub(crate) async fn run_backup(args: BackupArgs) -> Result<(), CommandError> {
    let source = PathBuf::from(store::sqlite_path(&args.database)?);
    if !source.is_file() {
        return Err(CommandError::Config(format!(
            "--database {}: no such file",
            source.display()
        )));
    }
    if args.output.exists() {
        return Err(CommandError::Config(format!(
            "--output {} already exists; remove it or choose another path",
            args.output.display()
        )));
    }
    let report = tokio::task::spawn_blocking(move || store::backup::backup(&source, &args.output))
        .await
        .map_err(|error| CommandError::Config(format!("the backup task failed: {error}")))??;
    print(&report)
}

/// Runs `mcp-server restore`.
pub(crate) async fn run_restore(args: RestoreArgs) -> Result<(), CommandError> {
    let database = PathBuf::from(store::sqlite_path(&args.database)?);
    if !args.backup.is_file() {
        return Err(CommandError::Config(format!(
            "--backup {}: no such file",
            args.backup.display()
        )));
    }
    let report =
        tokio::task::spawn_blocking(move || store::backup::restore(&args.backup, &database))
            .await
            .map_err(|error| CommandError::Config(format!("the restore task failed: {error}")))??;
    print(&report)
}
