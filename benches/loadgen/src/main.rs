//! `loadgen`: the load generator behind `benches/run.sh`.
//!
//! `loadgen run` drives N concurrent virtual clients against one target for a fixed time and
//! prints one JSON report (request count, errors, throughput, latency percentiles). A target is
//! either an MCP server over Streamable HTTP (`tools/list` or `tools/call`, in the protocol
//! pattern of [`protocol::Era`]) or a plain REST endpoint (the direct-call floor). `loadgen
//! startup` times a server binary from spawn to its first successful `tools/list`. The same
//! client code measures every server, so differences between reports are the servers'.
//!
//! `loadgen soak` is the reliability counterpart: a long mixed run with upstream faults
//! injected, where every reply is judged and the server's memory is watched (`soak`);
//! `loadgen hosted-setup` creates the accounts and servers it spreads over in hosted mode.

mod hosted_setup;
mod load;
mod protocol;
mod relay;
mod soak;
mod startup;
mod stats;

use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::{Map, Value};

use crate::load::{LoadSpec, Target};
use crate::protocol::{Era, McpRequest};

#[derive(Debug, Parser)]
#[command(name = "loadgen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run N concurrent clients against one target and print a JSON report on stdout.
    Run(RunArgs),
    /// Spawn a server command repeatedly and time spawn -> first successful `tools/list`.
    Startup(StartupArgs),
    /// Serve a minimal relay: every POST becomes one upstream GET wrapped as a tools/call
    /// result (the extra-hop floor for an MCP server; see docs/benchmarks.md).
    Relay(RelayArgs),
    /// Soak: many clients, a mix of list walks and tool calls, injected upstream faults, every
    /// reply judged and the server's RSS sampled; fails on any protocol error or lost request.
    Soak(soak::SoakArgs),
    /// Create integrated accounts and MCP servers on a hosted `serve`; write their URLs.
    HostedSetup(hosted_setup::HostedSetupArgs),
}

#[derive(Debug, clap::Args)]
struct RelayArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: String,
    /// The upstream URL every request is relayed to.
    #[arg(long)]
    upstream: String,
    /// Request header `Name: value` sent upstream (repeatable).
    #[arg(long = "header")]
    headers: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TargetKind {
    /// An MCP server's Streamable HTTP endpoint (`--url http://HOST:PORT/mcp`).
    Mcp,
    /// A plain HTTP GET (`--url` is the full request URL): the direct-call floor.
    Rest,
}

#[derive(Debug, clap::Args)]
struct RunArgs {
    #[arg(long)]
    url: String,
    #[arg(long, value_enum)]
    target: TargetKind,
    /// MCP method to send: `tools/list` or `tools/call`.
    #[arg(long, default_value = "tools/call")]
    method: String,
    /// Tool name for `tools/call`.
    #[arg(long)]
    tool: Option<String>,
    /// Tool arguments for `tools/call`, as a JSON object.
    #[arg(long, default_value = "{}")]
    arguments: String,
    /// MCP protocol pattern (see docs/benchmarks.md).
    #[arg(long, value_enum, default_value_t = Era::Stateless)]
    protocol: Era,
    /// Extra request header `Name: value` (repeatable), e.g. the upstream's `API-Token`.
    #[arg(long = "header")]
    headers: Vec<String>,
    /// Concurrent virtual clients, each with its own connection.
    #[arg(long, default_value_t = 1)]
    concurrency: usize,
    /// Measured seconds (after the warm-up).
    #[arg(long, default_value_t = 5.0)]
    duration: f64,
    /// Unmeasured seconds first (connections, caches, JIT-less warm paths).
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// Worker threads of the load generator's own runtime.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Free-form label copied into the report.
    #[arg(long, default_value = "")]
    label: String,
}

#[derive(Debug, clap::Args)]
struct StartupArgs {
    /// How many times to spawn the server.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Give up on one run after this many seconds.
    #[arg(long, default_value_t = 30.0)]
    timeout: f64,
    /// The server command: it must print `listening on http://ADDR/mcp` on stderr.
    #[arg(last = true, required = true)]
    command: Vec<String>,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => run(args),
        Command::Soak(args) => soak::main(args),
        Command::HostedSetup(args) => hosted_setup::main(args),
        Command::Startup(args) => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("cannot start the tokio runtime")?;
            let report = runtime.block_on(startup::measure(
                &args.command,
                args.runs,
                secs(args.timeout, "--timeout")?,
            ))?;
            println!("{report}");
            Ok(())
        }
        Command::Relay(args) => {
            let headers = args
                .headers
                .iter()
                .map(|header| parse_header(header))
                .collect::<Result<Vec<_>>>()?;
            // The same runtime shape as mcp-server: multi-threaded, one worker per core.
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("cannot start the tokio runtime")?
                .block_on(relay::serve(&args.listen, args.upstream, &headers))
        }
    }
}

fn run(args: RunArgs) -> Result<()> {
    if args.concurrency == 0 {
        bail!("--concurrency must be at least 1");
    }
    let headers = args
        .headers
        .iter()
        .map(|header| parse_header(header))
        .collect::<Result<Vec<_>>>()?;
    let target = match args.target {
        TargetKind::Rest => Target::Rest {
            url: args.url.clone(),
        },
        TargetKind::Mcp => {
            let request = match args.method.as_str() {
                "tools/list" => McpRequest::ListTools { cursor: None },
                "tools/call" => {
                    let Some(name) = args.tool.clone() else {
                        bail!("`--method tools/call` needs `--tool NAME`");
                    };
                    let arguments: Map<String, Value> = serde_json::from_str(&args.arguments)
                        .with_context(|| {
                            format!("--arguments is not a JSON object: {}", args.arguments)
                        })?;
                    McpRequest::CallTool { name, arguments }
                }
                other => bail!("unsupported --method `{other}`: use tools/list or tools/call"),
            };
            Target::Mcp {
                url: args.url.clone(),
                era: args.protocol,
                request,
            }
        }
    };
    let spec = LoadSpec {
        target,
        headers,
        concurrency: args.concurrency,
        warmup: secs(args.warmup, "--warmup")?,
        duration: secs(args.duration, "--duration")?,
    };
    let runtime = if args.threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(args.threads)
            .enable_all()
            .build()
    }
    .context("cannot start the tokio runtime")?;
    let outcome = runtime.block_on(load::run(&spec))?;
    let report = stats::report(&spec, &outcome, &args.label, args.threads);
    println!("{report}");
    Ok(())
}

fn parse_header(text: &str) -> Result<(String, String)> {
    let Some((name, value)) = text.split_once(':') else {
        bail!("--header wants `Name: value`, got `{text}`");
    };
    Ok((name.trim().to_owned(), value.trim().to_owned()))
}

pub(crate) fn secs(value: f64, flag: &str) -> Result<Duration> {
    Duration::try_from_secs_f64(value)
        .with_context(|| format!("{flag} must be a non-negative number of seconds"))
}
