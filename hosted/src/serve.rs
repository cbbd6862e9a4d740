//! `mcp-server serve`: the hosted, multi-tenant server (admin API + `/mcp/<token>`).
//!
//! Start-up order is chosen so mistakes stop it before anything is served: secrets and flags,
//! then the database (created and migrated), the key check against the database, the bind,
//! and only then the `listening on http://ADDR` line that wrappers and tests wait for.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use mcpgen_runtime::Integration;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::app::app;
use crate::clock::SystemClock;
use crate::config::{self, CommandError, Secrets};
use crate::core::{Hosted, HostedSettings};
use crate::crypto::Cipher;
use crate::gateway::{Gateway, GatewayOptions};
use crate::state::AppState;
use crate::upstream::UpstreamArgs;
use crate::{purge, store};
use mcpgen_server::connections::{self, ConnectionArgs};
use mcpgen_server::http::HttpOptions;

/// Flags of `mcp-server serve`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// SQLite file or sqlite://PATH, or PostgreSQL postgres://USER:PASSWORD@HOST:PORT/DB
    /// (several replicas on one database); created or migrated on start.
    #[arg(
        long,
        env = "MCP_DATABASE",
        default_value = "mcpgen.db",
        value_name = "PATH_OR_URL"
    )]
    pub database: String,
    /// Base of the MCP server URLs handed out [default: http://<listen address>].
    #[arg(long, env = "MCP_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    #[command(flatten)]
    pub upstream: UpstreamArgs,
    /// How often expired MCP servers are deleted from the database: 60, 60s, 500ms, 5m.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = mcpgen_server::units::parse_duration)]
    pub purge_interval: Duration,
    /// Generate MCP_ADMIN_TOKEN and MCP_SECRET_KEY when unset and print them once.
    #[arg(long)]
    pub dev: bool,
    /// Permit a non-loopback --listen address (e.g. 0.0.0.0 behind a reverse proxy).
    #[arg(long)]
    pub allow_non_loopback: bool,
    /// Extra allowed `Origin` for browser-based MCP clients (repeatable).
    #[arg(long = "allowed-origin", value_name = "ORIGIN")]
    pub allowed_origins: Vec<String>,
    /// Extra allowed `Host` (the public URL's host is always allowed; repeatable).
    #[arg(long = "allowed-host", value_name = "HOST")]
    pub allowed_hosts: Vec<String>,
    #[command(flatten)]
    pub connections: ConnectionArgs,
}

/// Runs the hosted server until Ctrl-C or SIGTERM.
pub(crate) async fn run(
    args: ServeArgs,
    integrations: &[&'static Integration],
) -> Result<(), CommandError> {
    let secrets = Secrets::from_env(args.dev)?;
    let min_expiry = config::min_expiry()?;
    let base_urls = config::base_urls(&args.upstream.base_urls, integrations)?;
    let public_url = args
        .public_url
        .as_deref()
        .map(config::public_url)
        .transpose()?;
    let mut http = HttpOptions::new(args.listen);
    http.allow_non_loopback = args.allow_non_loopback;
    http.allowed_origins = args.allowed_origins.clone();
    http.allowed_hosts = args.allowed_hosts.clone();
    http.allowed_hosts
        .extend(public_url.as_deref().and_then(config::public_host));
    http.limits = args.connections.limits();
    http.validate()?;
    let limits = http.limits;

    let store = store::open(&args.database).await?;
    let listener = TcpListener::bind(args.listen).await.map_err(|source| {
        mcpgen_server::error::Error::Bind {
            addr: args.listen,
            source,
        }
    })?;
    let addr = listener
        .local_addr()
        .map_err(mcpgen_server::error::Error::Http)?;
    let public_url = public_url.unwrap_or_else(|| format!("http://{addr}"));

    let settings = HostedSettings {
        public_url: public_url.clone(),
        min_expiry,
        upstream: config::upstream_settings(&args.upstream, base_urls, Some(&secrets.key)),
    };
    let hosted = Arc::new(Hosted::new(
        store,
        Some(Cipher::new(&secrets.key)),
        Arc::new(SystemClock),
        integrations,
        settings,
    )?);
    if let Err(error) = hosted.verify_key().await {
        let hint = if secrets.generated_key {
            " (--dev generated a new key: set MCP_SECRET_KEY to the key printed when this database \
             was created, or start with a new --database)"
        } else {
            ""
        };
        return Err(CommandError::Config(format!("{error}{hint}")));
    }

    let shutdown = CancellationToken::new();
    let options = GatewayOptions { http };
    let gateway = Arc::new(Gateway::new(
        Arc::clone(&hosted),
        options,
        shutdown.child_token(),
    )?);
    let purger = purge::spawn(
        Arc::clone(&hosted),
        Arc::clone(&gateway),
        args.purge_interval,
        shutdown.child_token(),
    );
    let router = app(AppState::new(
        Arc::clone(&hosted),
        gateway,
        &secrets.admin_token,
    ));

    announce_generated(&secrets);
    if !addr.ip().is_loopback() {
        tracing::warn!(%addr, "serving on a non-loopback address; put TLS in front of it");
    }
    // Tests and wrappers parse this line, so it is printed whatever the log level.
    eprintln!("listening on http://{addr}");
    tracing::info!(%addr, %public_url, database = %args.database, "hosted mode serving admin API and MCP servers");
    // Cancelling `shutdown` ends every server's sessions and streams; the accept loop does it
    // once the requests in flight have been answered, so none is cut off mid-reply.
    connections::serve_with_sessions(
        listener,
        router,
        limits,
        mcpgen_server::http::shutdown_signal(),
        shutdown.clone(),
    )
    .await;
    shutdown.cancel();
    let _ = purger.await;
    Ok(())
}

/// Prints `--dev`'s generated secrets once, on stderr, with what keeping them takes.
fn announce_generated(secrets: &Secrets) {
    if secrets.generated_admin_token {
        eprintln!(
            "--dev: generated {}={} (admin API bearer token, this run only)",
            config::ADMIN_TOKEN_VAR,
            secrets.admin_token
        );
    }
    if secrets.generated_key {
        eprintln!(
            "--dev: generated {}={} (credentials stored now need this key after a restart: export it)",
            config::SECRET_KEY_VAR,
            secrets.key.to_hex()
        );
    }
}
