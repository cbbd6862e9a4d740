//! `fake-chronosphere --listen 127.0.0.1:0 --api-token TOKEN [--seed-teams N]`: serves the fake
//! until SIGTERM or Ctrl-C. The first stdout line is `listening on http://ADDR`.

use std::io::Write;
use std::net::SocketAddr;

use clap::Parser;
use fake_chronosphere::{FakeConfig, spawn};

/// A fake Chronosphere Config API (teams) for tests and benchmarks. Test controls are under
/// /_fake/ (reset, seed, rate-limit, delay, requests).
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// The API-Token header value API requests must carry.
    #[arg(long, env = "FAKE_CHRONOSPHERE_API_TOKEN")]
    api_token: String,
    /// Teams to create at start-up (team-0001, team-0002, ...).
    #[arg(long, default_value_t = 0)]
    seed_teams: usize,
    /// Do not keep the request log (for benchmarks); the request count is kept.
    #[arg(long)]
    no_record: bool,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let config = FakeConfig {
        api_token: args.api_token,
        seed_teams: args.seed_teams,
        record_requests: !args.no_record,
        listen: args.listen,
    };
    let (addr, handle) = spawn(config).await?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on http://{addr}")?;
    stdout.flush()?;
    drop(stdout);
    shutdown_signal().await;
    handle.shutdown().await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
