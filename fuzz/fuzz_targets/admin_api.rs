//! Arbitrary requests to hosted mode's HTTP application (`mcpgen_hosted::app`: the admin API,
//! `/mcp/<token>` and `/health`), driven in-process with `tower::ServiceExt::oneshot` over an
//! in-memory SQLite store. The application is built once (its gateway parses every tool schema,
//! 30 ms) and emptied after each input (every account, with its servers, and every API token
//! deleted), so each input starts from an empty store and replays the same way.
//!
//! The input is a script of up to six requests in the format of `mcpgen_fuzz` (request line,
//! headers, body). Placeholders are filled from earlier answers: `{account}`, `{server}` and
//! `{token}` are the ids of the last account, MCP server and API token created, `{mcp}` the
//! path of the last server's URL, and `{admin}` the admin token. A request without headers
//! gets the admin token and a JSON content type. Bad input must never panic nor answer 5xx.
#![no_main]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, TimeDelta, Utc};
use libfuzzer_sys::fuzz_target;
use mcpgen_fuzz::{RawRequest, parse_script, runtime};
use mcpgen_hosted::clock::ManualClock;
use mcpgen_hosted::crypto::{Cipher, SecretKey};
use mcpgen_hosted::model::Actor;
use mcpgen_hosted::{
    AppState, Gateway, GatewayOptions, Hosted, HostedSettings, UpstreamSettings, app, store,
};
use mcpgen_runtime::Integration;
use serde_json::Value;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

static INTEGRATIONS: &[&Integration] = &[
    &mcpgen_chronosphere::INTEGRATION,
    &mcpgen_github::INTEGRATION,
    &mcpgen_pagerduty::INTEGRATION,
];
const ADMIN_TOKEN: &str = "fuzz-admin-token-0123456789abcdef";
const KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

struct Application {
    hosted: Arc<Hosted>,
    gateway: Arc<Gateway>,
    router: axum::Router,
}

async fn application() -> Application {
    let store = store::open(":memory:")
        .await
        .unwrap_or_else(|error| panic!("store: {error}"));
    let key = SecretKey::from_hex(KEY).unwrap_or_else(|error| panic!("key: {error}"));
    let mut upstream = UpstreamSettings::default();
    // Tenant-chosen hosts, checked like the real ones (no TLS backend here, and no call is
    // ever sent: account creation builds the client without connecting).
    upstream.base_urls.insert(
        "chronosphere".to_owned(),
        "http://{tenant}.chronosphere.invalid".to_owned(),
    );
    let start = DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z")
        .map(|time| time.with_timezone(&Utc))
        .unwrap_or_else(|error| panic!("time: {error}"));
    let hosted = Arc::new(
        Hosted::new(
            store,
            Some(Cipher::new(&key)),
            Arc::new(ManualClock::new(start)),
            INTEGRATIONS,
            HostedSettings {
                public_url: "http://127.0.0.1:8080".to_owned(),
                min_expiry: TimeDelta::seconds(60),
                upstream,
            },
        )
        .unwrap_or_else(|error| panic!("hosted: {error}")),
    );
    let gateway = Arc::new(
        Gateway::new(
            hosted.clone(),
            GatewayOptions::default(),
            CancellationToken::new(),
        )
        .unwrap_or_else(|error| panic!("gateway: {error}")),
    );
    let router = app(AppState::new(hosted.clone(), gateway.clone(), ADMIN_TOKEN));
    Application {
        hosted,
        gateway,
        router,
    }
}

impl Application {
    /// Deletes everything an input created, as the admin API's DELETE routes do. (The audit
    /// log keeps growing across inputs: a few rows per input, fine for runs of minutes.)
    async fn empty(&self) {
        loop {
            let accounts = self
                .hosted
                .accounts(None, 100)
                .await
                .unwrap_or_else(|error| panic!("listing accounts: {error}"));
            if accounts.result.is_empty() {
                break;
            }
            for account in accounts.result {
                self.hosted
                    .delete_account(&account.id, Actor::Cli)
                    .await
                    .unwrap_or_else(|error| panic!("deleting an account: {error}"));
                self.gateway.forget_account(&account.id);
            }
        }
        loop {
            let tokens = self
                .hosted
                .api_tokens(None, 100)
                .await
                .unwrap_or_else(|error| panic!("listing API tokens: {error}"));
            if tokens.result.is_empty() {
                break;
            }
            for token in tokens.result {
                self.hosted
                    .delete_api_token(&token.id, Actor::Cli)
                    .await
                    .unwrap_or_else(|error| panic!("deleting an API token: {error}"));
            }
        }
    }
}

const DEFAULT_HEADERS: &[(&[u8], &[u8])] = &[
    (b"authorization", b"Bearer {admin}"),
    (b"content-type", b"application/json"),
];

fuzz_target!(|data: &[u8]| {
    let mut requests = parse_script(data, b"POST", b"/integrated-account", 6);
    for request in &mut requests {
        if request.headers.is_empty() {
            *request = RawRequest {
                headers: DEFAULT_HEADERS.to_vec(),
                ..request.clone()
            };
        }
    }
    let known = RefCell::new(BTreeMap::from([("admin", ADMIN_TOKEN.to_owned())]));
    let fill = |name: &str| known.borrow().get(name).cloned();
    static APPLICATION: OnceLock<Application> = OnceLock::new();
    let application = APPLICATION.get_or_init(|| runtime().block_on(application()));
    runtime().block_on(async {
        for raw in &requests {
            let Some(request) = raw.build(&fill) else {
                continue;
            };
            let response = match application.router.clone().oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap_or_default();
            assert!(
                !status.is_server_error(),
                "{status} {} for {} {} {:?}",
                String::from_utf8_lossy(&body),
                String::from_utf8_lossy(raw.method),
                String::from_utf8_lossy(raw.target),
                String::from_utf8_lossy(raw.body),
            );
            remember(&mut known.borrow_mut(), &body);
        }
        application.empty().await;
    });
});

/// Keeps the ids (and the MCP path) an answer hands out, for later requests' placeholders.
fn remember(known: &mut BTreeMap<&'static str, String>, body: &[u8]) {
    let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let Some(id) = object.get("id").and_then(Value::as_str) else {
        return;
    };
    let kind = match id.split('_').next() {
        Some("acct") => "account",
        Some("mcp") => "server",
        Some("tok") => "token",
        _ => return,
    };
    known.insert(kind, id.to_owned());
    if let Some(path) = object
        .get("url")
        .and_then(Value::as_str)
        .and_then(|url| url.strip_prefix("http://127.0.0.1:8080"))
    {
        known.insert("mcp", path.to_owned());
    }
}
