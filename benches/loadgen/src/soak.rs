//! `loadgen soak`: N virtual clients run a mix of `tools/list` walks and tool calls against one
//! or more MCP URLs for a fixed time, while the fake upstream is told to fail or stall some
//! requests, and every reply is judged. It prints one JSON report and fails (exit 1) on any
//! protocol error, lost request, unexpected tool result or memory growth over the bound.

mod client;
mod inject;
mod judge;
mod mix;
mod rss;
mod tally;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::protocol::Era;
use crate::soak::client::Plan;
use crate::soak::inject::{Faults, Injected};
use crate::soak::tally::Tally;

#[derive(Debug, clap::Args)]
pub(crate) struct SoakArgs {
    /// An MCP endpoint (repeatable); clients spread over them, each moving on every cycle.
    #[arg(long = "url")]
    urls: Vec<String>,
    /// A file of MCP endpoints, one per line (added to `--url`).
    #[arg(long)]
    urls_file: Option<std::path::PathBuf>,
    #[arg(long, value_enum, default_value_t = Era::Stateless)]
    protocol: Era,
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Seconds of load.
    #[arg(long, default_value_t = 60.0)]
    duration: f64,
    /// Teams seeded in the fake (`team-0001`..): the gets ask for these.
    #[arg(long, default_value_t = 20)]
    teams: u64,
    /// Tools a complete `tools/list` walk must give (default: whatever the first walk gives).
    #[arg(long)]
    expect_tools: Option<usize>,
    /// The server's process id: its RSS is sampled every second.
    #[arg(long)]
    server_pid: Option<u32>,
    /// Fail when RSS at the end exceeds RSS at the start by more than this (MiB).
    #[arg(long, default_value_t = 64)]
    rss_bound_mib: u64,
    /// Seconds between the end of the load and the end RSS sample.
    #[arg(long, default_value_t = 1.0)]
    settle: f64,
    /// The fake upstream's base URL: inject faults through its `/_fake/` controls.
    #[arg(long)]
    fake_url: Option<String>,
    /// Seconds between fault injections (alternately 429s and delays).
    #[arg(long, default_value_t = 0.5)]
    inject_interval: f64,
    /// Upstream requests answered 429 per rate-limit injection.
    #[arg(long, default_value_t = 5)]
    inject_429: u32,
    /// Upstream requests delayed per delay injection.
    #[arg(long, default_value_t = 20)]
    inject_delayed: u32,
    /// How long each delayed upstream request waits (ms).
    #[arg(long, default_value_t = 200)]
    inject_delay_ms: u64,
    /// A request with no reply after this many seconds is lost.
    #[arg(long, default_value_t = 30.0)]
    request_timeout: f64,
    /// Worker threads of the load generator's runtime.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Free-form label copied into the report.
    #[arg(long, default_value = "")]
    label: String,
}

pub(crate) fn main(args: SoakArgs) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads.max(1))
        .enable_all()
        .build()
        .context("cannot start the tokio runtime")?;
    let report = runtime.block_on(run(&args))?;
    println!("{report}");
    let failures = report["failures"].as_array().map_or(0, Vec::len);
    if failures > 0 {
        bail!(
            "the soak failed {failures} check(s): {}",
            report["failures"]
        );
    }
    Ok(())
}

async fn run(args: &SoakArgs) -> Result<Value> {
    let urls = urls(args)?;
    if args.clients == 0 {
        bail!("--clients must be at least 1");
    }
    let duration = crate::secs(args.duration, "--duration")?;
    let mut plan = Plan {
        urls,
        era: args.protocol,
        clients: args.clients,
        teams: args.teams,
        expect_tools: args.expect_tools,
        deadline: Instant::now(),
        request_timeout: crate::secs(args.request_timeout, "--request-timeout")?,
    };
    // Before priming, so that the report shows what per-URL state (hosted mode's cached
    // endpoints) costs the first time the URLs are used.
    let unprimed_memory = args.server_pid.map(rss::read).transpose()?;
    let primed = Arc::new(plan.clone());
    let mut tally = Tally::default();
    let primers: Vec<_> = (0..args.clients.min(primed.urls.len()))
        .map(|index| tokio::spawn(client::prime(index, Arc::clone(&primed))))
        .collect();
    for task in primers {
        tally.merge(task.await.context("a priming task panicked")?);
    }
    let start_memory = args.server_pid.map(rss::read).transpose()?;
    let (stop, stopped) = watch::channel(false);
    let sampler = args
        .server_pid
        .map(|pid| tokio::spawn(rss::sample_every_second(pid, stopped.clone())));
    let injector = match &args.fake_url {
        Some(fake_url) => Some(tokio::spawn(inject::run(
            Faults {
                fake_url: fake_url.clone(),
                interval: crate::secs(args.inject_interval, "--inject-interval")?,
                rate_limited: args.inject_429,
                delayed: args.inject_delayed,
                delay: Duration::from_millis(args.inject_delay_ms),
            },
            stopped.clone(),
        ))),
        None => None,
    };
    let started = Instant::now();
    plan.deadline = started + duration;
    let plan = Arc::new(plan);
    let tasks: Vec<_> = (0..args.clients)
        .map(|index| tokio::spawn(client::run(index, Arc::clone(&plan))))
        .collect();
    for task in tasks {
        tally.merge(task.await.context("a client task panicked")?);
    }
    let elapsed = started.elapsed();
    // Stopping the injector clears its plans; the send fails only if every receiver is gone,
    // and the tasks holding them are awaited just below.
    let _ = stop.send(true);
    let injected = match injector {
        Some(task) => task.await.context("the injector panicked")??,
        None => Injected::default(),
    };
    let samples = match sampler {
        Some(task) => task.await.context("the RSS sampler panicked")?,
        None => Vec::new(),
    };
    tokio::time::sleep(crate::secs(args.settle, "--settle")?).await;
    let memory = match (args.server_pid, start_memory) {
        (Some(pid), Some(start)) => Some(match rss::read(pid) {
            Ok(end) => {
                let (mut value, failure) =
                    rss::report(start, end, &samples, args.rss_bound_mib * 1024);
                value["before_priming"] = json!(unprimed_memory.map(|memory| memory.rss_kib));
                (value, failure)
            }
            // Still a report: what the clients saw says how the server went.
            Err(error) => (
                Value::Null,
                Some(format!("the server is gone at the end: {error:#}")),
            ),
        }),
        _ => None,
    };
    Ok(report(args, &plan, tally, &injected, elapsed, memory))
}

fn urls(args: &SoakArgs) -> Result<Vec<String>> {
    let mut urls = args.urls.clone();
    if let Some(path) = &args.urls_file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        urls.extend(
            text.lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_owned),
        );
    }
    if urls.is_empty() {
        bail!("no MCP URL: pass --url or --urls-file");
    }
    Ok(urls)
}

fn report(
    args: &SoakArgs,
    plan: &Plan,
    mut tally: Tally,
    injected: &Injected,
    elapsed: Duration,
    memory: Option<(Value, Option<String>)>,
) -> Value {
    let mut failures = checks(&tally, injected, args.fake_url.is_some());
    let (memory, memory_failure) =
        memory.map_or((Value::Null, None), |(value, failure)| (value, failure));
    failures.extend(memory_failure);
    let seconds = elapsed.as_secs_f64();
    json!({
        "label": args.label,
        "protocol": plan.era.version(),
        "clients": args.clients,
        "urls": plan.urls.len(),
        "duration_s": args.duration,
        "elapsed_s": seconds,
        "sent": tally.sent,
        "answered": tally.answered,
        "lost": tally.lost,
        "protocol_errors": tally.protocol_errors,
        "tool_ok": tally.tool_ok,
        "tool_errors_expected": tally.tool_errors_expected,
        "tool_errors_expected_by_status": tally.expected_by_status,
        "tool_errors_unexpected": tally.tool_errors_unexpected,
        "list_walks": tally.list_walks,
        "tools_listed": tally.tools_listed,
        "throughput_rps": if seconds > 0.0 { tally.answered as f64 / seconds } else { 0.0 },
        "latency_us": tally.latency_report(),
        "injected": injected.report(),
        "rss_kib": memory,
        "samples": tally.samples,
        "failures": failures,
        "pass": failures.is_empty(),
    })
}

/// Every pass criterion but memory; each failure is one sentence for the report.
fn checks(tally: &Tally, injected: &Injected, injecting: bool) -> Vec<String> {
    let mut failures = Vec::new();
    if tally.answered == 0 {
        failures.push("no request was answered".to_owned());
    }
    if tally.sent != tally.answered + tally.lost {
        failures.push(format!(
            "{} sent but {} answered and {} lost",
            tally.sent, tally.answered, tally.lost
        ));
    }
    if tally.protocol_errors > 0 {
        failures.push(format!("{} protocol errors", tally.protocol_errors));
    }
    if tally.lost > 0 {
        failures.push(format!("{} lost requests", tally.lost));
    }
    if tally.tool_errors_unexpected > 0 {
        failures.push(format!(
            "{} unexpected tool results",
            tally.tool_errors_unexpected
        ));
    }
    if tally.list_walks == 0 {
        failures.push("no tools/list walk completed".to_owned());
    }
    if tally.expected_by_status.get(&404).copied().unwrap_or(0) == 0 {
        failures.push("no get of the missing team came back as the upstream's 404".to_owned());
    }
    let rate_limited = tally.expected_by_status.get(&429).copied().unwrap_or(0);
    if rate_limited > injected.rate_limited {
        failures.push(format!(
            "{rate_limited} tool results were 429s but only {} were injected",
            injected.rate_limited
        ));
    }
    if injecting && injected.rate_limited > 0 && rate_limited == 0 {
        failures.push(format!(
            "{} 429s were injected and none reached a client as a tool error",
            injected.rate_limited
        ));
    }
    failures
}
