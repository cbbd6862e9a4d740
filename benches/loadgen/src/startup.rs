//! Start-up time: from spawning a server to its first successful `tools/list`.
//!
//! Each run spawns the command, waits for the `listening on http://ADDR/mcp` line on its
//! stderr, then sends a stateless `tools/list` until one succeeds; the clock runs from just
//! before the spawn to the end of that reply. The child is killed after each run.

use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use crate::protocol::{self, Era, McpRequest, Prepared};
use crate::stats::quantile;

pub(crate) async fn measure(command: &[String], runs: usize, timeout: Duration) -> Result<Value> {
    let Some((program, args)) = command.split_first() else {
        bail!("no server command given");
    };
    let client = reqwest::Client::builder()
        .tcp_nodelay(true)
        .build()
        .context("cannot build the HTTP client")?;
    let prepared = Prepared::new(
        Era::Stateless,
        &McpRequest::ListTools { cursor: None },
        None,
    )?;
    let mut listening = Vec::new();
    let mut answered = Vec::new();
    for _ in 0..runs {
        let (to_listening, to_answer) =
            tokio::time::timeout(timeout, one_run(program, args, &client, &prepared))
                .await
                .with_context(|| format!("`{program}` did not answer within {timeout:?}"))??;
        listening.push(micros(to_listening));
        answered.push(micros(to_answer));
    }
    let runs_json: Vec<Value> = listening
        .iter()
        .zip(&answered)
        .map(|(l, a)| json!({"to_listening_us": l, "to_first_answer_us": a}))
        .collect();
    listening.sort_unstable();
    answered.sort_unstable();
    Ok(json!({
        "command": command,
        "runs": runs_json,
        "to_listening_us_p50": quantile(&listening, 0.5),
        "to_first_answer_us_p50": quantile(&answered, 0.5),
        "to_first_answer_us_max": answered.last(),
    }))
}

fn micros(duration: Duration) -> u32 {
    u32::try_from(duration.as_micros()).unwrap_or(u32::MAX)
}

async fn one_run(
    program: &str,
    args: &[String],
    client: &reqwest::Client,
    prepared: &Prepared,
) -> Result<(Duration, Duration)> {
    let started = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("cannot spawn `{program}`"))?;
    let stderr = child.stderr.take().context("no stderr pipe")?;
    let mut lines = BufReader::new(stderr).lines();
    let url = loop {
        let Some(line) = lines.next_line().await? else {
            bail!("`{program}` exited before printing `listening on ...`");
        };
        if let Some(rest) = line.split("listening on ").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
        }
    };
    let to_listening = started.elapsed();
    let to_answer = loop {
        let response = client
            .post(&url)
            .headers(prepared.headers.clone())
            .body(prepared.body(1))
            .send()
            .await;
        if let Ok(response) = response {
            let ok = response.status().is_success();
            let content_type = protocol::content_type(response.headers());
            let body = response.bytes().await?;
            if ok
                && protocol::check_full(
                    &body,
                    &content_type,
                    &McpRequest::ListTools { cursor: None },
                )
                .is_ok()
            {
                break started.elapsed();
            }
        }
        tokio::time::sleep(Duration::from_micros(200)).await;
    };
    child.start_kill().context("cannot stop the server")?;
    let _ = child.wait().await;
    Ok((to_listening, to_answer))
}
