//! `loadgen hosted-setup`: creates integrated accounts and MCP servers through a hosted
//! `mcp-server serve`'s admin API and writes the servers' URLs, one per line, for
//! `loadgen soak --urls-file`. Servers go to accounts round-robin.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

#[derive(Debug, clap::Args)]
pub(crate) struct HostedSetupArgs {
    /// The hosted server's base URL (`http://127.0.0.1:PORT`).
    #[arg(long)]
    admin_url: String,
    /// The admin API's bearer token.
    #[arg(long, env = "MCP_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: String,
    #[arg(long, default_value = "chronosphere")]
    integration: String,
    /// The upstream API token every account carries (the fake accepts one).
    #[arg(long, env = "CHRONOSPHERE_API_TOKEN", hide_env_values = true)]
    api_token: String,
    #[arg(long, default_value_t = 100)]
    accounts: usize,
    #[arg(long, default_value_t = 100)]
    servers: usize,
    /// Where to write the URLs.
    #[arg(long)]
    out: PathBuf,
}

pub(crate) fn main(args: HostedSetupArgs) -> Result<()> {
    if args.accounts == 0 || args.servers == 0 {
        bail!("--accounts and --servers must be at least 1");
    }
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the tokio runtime")?
        .block_on(setup(&args))
}

async fn setup(args: &HostedSetupArgs) -> Result<()> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .context("cannot build the HTTP client")?;
    let base = args.admin_url.trim_end_matches('/');
    let mut accounts = Vec::with_capacity(args.accounts);
    for n in 0..args.accounts {
        let body = json!({
            "integration": args.integration,
            "credentials": {"tenant": format!("soak-{n:03}"), "api_token": args.api_token},
        });
        let account = post(&http, args, &format!("{base}/integrated-account"), &body).await?;
        accounts.push(field(&account, "id")?);
    }
    let mut urls = Vec::with_capacity(args.servers);
    for n in 0..args.servers {
        let account = &accounts[n % accounts.len()];
        let body = json!({"name": format!("soak-{n:03}")});
        let url = format!("{base}/integrated-account/{account}/mcp");
        urls.push(field(&post(&http, args, &url, &body).await?, "url")?);
    }
    let mut text = urls.join("\n");
    text.push('\n');
    std::fs::write(&args.out, text)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!(
        "[hosted-setup] {} accounts, {} MCP servers -> {}",
        accounts.len(),
        urls.len(),
        args.out.display()
    );
    Ok(())
}

async fn post(
    http: &reqwest::Client,
    args: &HostedSetupArgs,
    url: &str,
    body: &Value,
) -> Result<Value> {
    let response = http
        .post(url)
        .bearer_auth(&args.admin_token)
        .json(body)
        .send()
        .await
        .with_context(|| format!("POST {url}"))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .with_context(|| format!("POST {url}: reply"))?;
    if status != reqwest::StatusCode::CREATED {
        bail!("POST {url}: HTTP {status}: {text}");
    }
    serde_json::from_str(&text).with_context(|| format!("POST {url}: not JSON: {text}"))
}

fn field(value: &Value, name: &str) -> Result<String> {
    value
        .get(name)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .with_context(|| format!("no `{name}` in {value}"))
}
