//! Upstream faults during the run, through the fake's `/_fake/` controls: every interval, in
//! turn, the next few upstream requests get a 429 (`/_fake/rate-limit`) or wait
//! (`/_fake/delay`). The 429s come back to clients as `isError` tool results, which the soak
//! counts as expected; the delays make replies finish out of order across connections.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use tokio::sync::watch;

#[derive(Debug, Clone)]
pub(crate) struct Faults {
    /// The fake's base URL (`http://127.0.0.1:PORT`).
    pub fake_url: String,
    pub interval: Duration,
    /// Upstream requests answered 429 per rate-limit injection.
    pub rate_limited: u32,
    /// Upstream requests delayed per delay injection, and by how long.
    pub delayed: u32,
    pub delay: Duration,
}

#[derive(Debug, Default)]
pub(crate) struct Injected {
    pub rate_limit_injections: u64,
    pub delay_injections: u64,
    /// 429s asked for in all; each is served to one upstream request unless the run ends first.
    pub rate_limited: u64,
    pub delayed: u64,
}

impl Injected {
    pub(crate) fn report(&self) -> Value {
        json!({
            "rate_limit_injections": self.rate_limit_injections,
            "delay_injections": self.delay_injections,
            "rate_limited_requests": self.rate_limited,
            "delayed_requests": self.delayed,
        })
    }
}

/// Injects until `stop` turns true, then clears both plans so that nothing is left for the
/// next run against the same fake.
pub(crate) async fn run(faults: Faults, mut stop: watch::Receiver<bool>) -> Result<Injected> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .context("cannot build the HTTP client")?;
    let mut injected = Injected::default();
    let mut ticks = tokio::time::interval(faults.interval);
    // The first tick is immediate: let the clients start on a healthy upstream.
    ticks.tick().await;
    let mut rate_limit_next = true;
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stop.changed() => break,
        }
        if rate_limit_next {
            let body = json!({"requests": faults.rate_limited, "retry_after": "1"});
            control(&http, &faults.fake_url, "rate-limit", &body).await?;
            injected.rate_limit_injections += 1;
            injected.rate_limited += u64::from(faults.rate_limited);
        } else {
            let millis = u64::try_from(faults.delay.as_millis()).unwrap_or(u64::MAX);
            let body = json!({"requests": faults.delayed, "millis": millis});
            control(&http, &faults.fake_url, "delay", &body).await?;
            injected.delay_injections += 1;
            injected.delayed += u64::from(faults.delayed);
        }
        rate_limit_next = !rate_limit_next;
    }
    control(
        &http,
        &faults.fake_url,
        "rate-limit",
        &json!({"requests": 0}),
    )
    .await?;
    control(
        &http,
        &faults.fake_url,
        "delay",
        &json!({"requests": 0, "millis": 0}),
    )
    .await?;
    Ok(injected)
}

async fn control(http: &reqwest::Client, fake_url: &str, name: &str, body: &Value) -> Result<()> {
    let url = format!("{}/_fake/{name}", fake_url.trim_end_matches('/'));
    let response = http
        .post(&url)
        .json(body)
        .send()
        .await
        .with_context(|| format!("POST {url}"))?;
    if !response.status().is_success() {
        bail!("POST {url}: HTTP {}", response.status());
    }
    Ok(())
}
