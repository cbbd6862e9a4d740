//! The concurrent run: N virtual clients, each on its own connection, repeat one request until
//! the deadline; replies that start after the warm-up and finish before the deadline are timed.
//!
//! Every client keeps its own latencies and the run merges them at the end, so the hot loop
//! shares nothing between clients. Loops are bounded by time and by [`MAX_REQUESTS_PER_CLIENT`].

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use reqwest::Client;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::protocol::{self, Era, McpRequest, Prepared};

/// A safety bound on any one client's loop, whatever the duration.
const MAX_REQUESTS_PER_CLIENT: u64 = 50_000_000;

#[derive(Debug, Clone)]
pub(crate) enum Target {
    Mcp {
        url: String,
        era: Era,
        request: McpRequest,
    },
    Rest {
        url: String,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct LoadSpec {
    pub target: Target,
    pub headers: Vec<(String, String)>,
    pub concurrency: usize,
    pub warmup: Duration,
    pub duration: Duration,
}

/// What all clients saw together.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    /// Latencies of successful measured requests, in microseconds, sorted.
    pub latencies_us: Vec<u32>,
    /// Failed requests inside the measured window.
    pub errors: u64,
    /// Failed requests during the warm-up (set-up failures included).
    pub warmup_errors: u64,
    pub first_error: Option<String>,
    /// Tools in the `tools/list` reply, when that was the request.
    pub tools_listed: Option<usize>,
}

struct Window {
    measure_from: Instant,
    end: Instant,
}

pub(crate) async fn run(spec: &LoadSpec) -> Result<Outcome> {
    let mut extra = HeaderMap::new();
    for (name, value) in &spec.headers {
        extra.insert(
            HeaderName::try_from(name.as_str()).with_context(|| format!("bad header `{name}`"))?,
            HeaderValue::try_from(value.as_str())
                .with_context(|| format!("bad value for header `{name}`"))?,
        );
    }
    let start = Instant::now();
    let window = std::sync::Arc::new(Window {
        measure_from: start + spec.warmup,
        end: start + spec.warmup + spec.duration,
    });
    let mut tasks = Vec::with_capacity(spec.concurrency);
    for _ in 0..spec.concurrency {
        let target = spec.target.clone();
        let extra = extra.clone();
        let window = window.clone();
        tasks.push(tokio::spawn(async move {
            client_loop(target, extra, &window).await
        }));
    }
    let mut outcome = Outcome::default();
    for task in tasks {
        let client = task.await.context("a client task panicked")?;
        outcome.latencies_us.extend(client.latencies_us);
        outcome.errors += client.errors;
        outcome.warmup_errors += client.warmup_errors;
        if outcome.first_error.is_none() {
            outcome.first_error = client.first_error;
        }
        outcome.tools_listed = outcome.tools_listed.or(client.tools_listed);
    }
    outcome.latencies_us.sort_unstable();
    Ok(outcome)
}

fn http_client() -> Result<Client> {
    Client::builder()
        .pool_max_idle_per_host(1)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(30))
        .build()
        .context("cannot build the HTTP client")
}

async fn client_loop(target: Target, extra: HeaderMap, window: &Window) -> Outcome {
    let mut outcome = Outcome::default();
    let client = match http_client() {
        Ok(client) => client,
        Err(error) => {
            outcome.warmup_errors += 1;
            outcome.first_error = Some(format!("{error:#}"));
            return outcome;
        }
    };
    let result = match &target {
        Target::Rest { url } => rest_loop(&client, url, extra, window, &mut outcome).await,
        Target::Mcp { url, era, request } => {
            mcp_loop(&client, url, *era, request, extra, window, &mut outcome).await
        }
    };
    if let Err(error) = result {
        outcome.warmup_errors += 1;
        outcome.first_error.get_or_insert(format!("{error:#}"));
    }
    outcome
}

impl Outcome {
    fn record(&mut self, window: &Window, started: Instant, result: Result<()>) {
        let finished = Instant::now();
        let measured = started >= window.measure_from && finished <= window.end;
        match result {
            Ok(()) if measured => {
                let micros = finished.duration_since(started).as_micros();
                self.latencies_us
                    .push(u32::try_from(micros).unwrap_or(u32::MAX));
            }
            Ok(()) => {}
            Err(error) => {
                if measured {
                    self.errors += 1;
                } else {
                    self.warmup_errors += 1;
                }
                self.first_error.get_or_insert(format!("{error:#}"));
            }
        }
    }
}

async fn rest_loop(
    client: &Client,
    url: &str,
    headers: HeaderMap,
    window: &Window,
    outcome: &mut Outcome,
) -> Result<()> {
    for _ in 0..MAX_REQUESTS_PER_CLIENT {
        let started = Instant::now();
        if started >= window.end {
            break;
        }
        let result = async {
            let response = client.get(url).headers(headers.clone()).send().await?;
            let status = response.status();
            let body = response.bytes().await?;
            if !status.is_success() {
                anyhow::bail!("HTTP {status}: {}", String::from_utf8_lossy(&body));
            }
            Ok(())
        }
        .await;
        outcome.record(window, started, result);
    }
    Ok(())
}

async fn mcp_loop(
    client: &Client,
    url: &str,
    era: Era,
    request: &McpRequest,
    extra: HeaderMap,
    window: &Window,
    outcome: &mut Outcome,
) -> Result<()> {
    let session = match era {
        Era::Stateless => None,
        Era::Session => protocol::open_session(client, url).await?,
    };
    let mut prepared = Prepared::new(era, request, session.as_deref())?;
    prepared.headers.extend(extra);
    let mut verified = false;
    for id in 1..=MAX_REQUESTS_PER_CLIENT {
        let started = Instant::now();
        if started >= window.end {
            break;
        }
        let result = async {
            let response = client
                .post(url)
                .headers(prepared.headers.clone())
                .body(prepared.body(id))
                .send()
                .await?;
            let status = response.status();
            let content_type = protocol::content_type(response.headers());
            let body = response.bytes().await?;
            if !status.is_success() {
                anyhow::bail!("HTTP {status}: {}", String::from_utf8_lossy(&body));
            }
            if verified {
                protocol::check_quick(&body)
            } else {
                let listed = protocol::check_full(&body, &content_type, request)?;
                outcome.tools_listed = outcome.tools_listed.or(listed);
                verified = true;
                Ok(())
            }
        }
        .await;
        outcome.record(window, started, result);
    }
    if let Some(session) = &session {
        protocol::close_session(client, url, session).await;
    }
    Ok(())
}
