//! One virtual client of the soak: cycles through the mix until the deadline, moving to the
//! next server URL every cycle. In the session era each cycle is one session, opened with
//! `initialize` and ended with DELETE, so sessions are created and torn down all run long.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use reqwest::StatusCode;

use crate::protocol::{self, Era, McpRequest, Prepared};
use crate::soak::judge::{Expect, Verdict, judge};
use crate::soak::mix::{CYCLE, Op};
use crate::soak::tally::Tally;

/// A walk longer than this many pages is a cursor loop, not a long list.
const MAX_PAGES: usize = 100;

/// What every client shares, read-only.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub urls: Vec<String>,
    pub era: Era,
    pub clients: usize,
    pub teams: u64,
    pub expect_tools: Option<usize>,
    pub deadline: Instant,
    pub request_timeout: Duration,
}

pub(crate) async fn run(index: usize, plan: Arc<Plan>) -> Tally {
    let mut client = VirtualClient {
        tally: Tally::default(),
        next_id: 1,
        offset: index % CYCLE.len(),
        index,
    };
    let Ok(http) = http_client(plan.request_timeout) else {
        client.tally.lost("cannot build the HTTP client".to_owned());
        return client.tally;
    };
    let mut cycle = 0usize;
    while Instant::now() < plan.deadline {
        let url = &plan.urls[(index + cycle * plan.clients) % plan.urls.len()];
        client.cycle(&http, url, &plan, cycle).await;
        cycle += 1;
    }
    client.tally
}

/// Walks `tools/list` once on every `index`-th URL (stride `plan.clients`), statelessly, so that
/// a server that builds per-URL state on first use (hosted mode's cached endpoints) has built
/// it before the start RSS is taken. The replies are judged like any others.
pub(crate) async fn prime(index: usize, plan: Arc<Plan>) -> Tally {
    let mut client = VirtualClient {
        tally: Tally::default(),
        next_id: 1,
        offset: 0,
        index,
    };
    let Ok(http) = http_client(plan.request_timeout) else {
        client.tally.lost("cannot build the HTTP client".to_owned());
        return client.tally;
    };
    for url in plan.urls.iter().skip(index).step_by(plan.clients.max(1)) {
        client
            .walk(&http, url, Era::Stateless, plan.expect_tools, None)
            .await;
    }
    client.tally
}

struct VirtualClient {
    tally: Tally,
    next_id: u64,
    offset: usize,
    index: usize,
}

/// How one request went, before judging.
enum Exchange {
    Answered {
        status: StatusCode,
        content_type: String,
        body: Vec<u8>,
    },
    Lost(String),
}

impl VirtualClient {
    async fn cycle(&mut self, http: &reqwest::Client, url: &str, plan: &Plan, cycle: usize) {
        let session = match plan.era {
            Era::Stateless => None,
            Era::Session => match self.open(http, url).await {
                Some(session) => Some(session),
                // Counted already; pause so a server that refuses every session is not
                // hammered in a tight loop.
                None => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    return;
                }
            },
        };
        for step in 0..CYCLE.len() {
            if Instant::now() >= plan.deadline {
                break;
            }
            let op = CYCLE[(self.offset + step) % CYCLE.len()];
            // Clients start far apart so that even a short run asks for every seeded team.
            let n = ((self.index + cycle) * CYCLE.len() + step) as u64;
            match op.call(n, plan.teams) {
                None => {
                    let session = session.as_deref();
                    self.walk(http, url, plan.era, plan.expect_tools, session)
                        .await;
                }
                Some((request, expect)) => {
                    let label = op.label();
                    let session = session.as_deref();
                    if let Some(verdict) = self
                        .send(http, url, plan.era, session, label, &request, expect)
                        .await
                    {
                        self.count(verdict);
                    }
                }
            }
        }
        if let Some(session) = session {
            self.close(http, url, &session).await;
        }
    }

    /// Opens a session; `None` when that failed (and was counted).
    async fn open(&mut self, http: &reqwest::Client, url: &str) -> Option<String> {
        self.tally.sent += 1;
        let started = Instant::now();
        match protocol::open_session(http, url).await {
            Ok(Some(session)) => {
                self.tally.answered("initialize", started.elapsed());
                Some(session)
            }
            Ok(None) => {
                self.tally.answered("initialize", started.elapsed());
                self.tally
                    .protocol_error("initialize gave no Mcp-Session-Id".to_owned());
                None
            }
            Err(error) if is_transport(&error) => {
                self.tally.lost(format!("initialize: {error:#}"));
                None
            }
            Err(error) => {
                self.tally.answered("initialize", started.elapsed());
                self.tally.protocol_error(format!("{error:#}"));
                None
            }
        }
    }

    /// Ends a session: the 2025-11-25 transport answers a DELETE of a live session with 2xx.
    async fn close(&mut self, http: &reqwest::Client, url: &str, session: &str) {
        self.tally.sent += 1;
        let started = Instant::now();
        let reply = http
            .delete(url)
            .header("mcp-session-id", session)
            .header("mcp-protocol-version", protocol::SESSION_VERSION)
            .send()
            .await;
        let response = match reply {
            Ok(response) => response,
            Err(error) => return self.tally.lost(format!("DELETE: {error}")),
        };
        let status = response.status();
        match response.bytes().await {
            Err(error) => self.tally.lost(format!("DELETE reply: {error}")),
            Ok(body) => {
                self.tally.answered("delete session", started.elapsed());
                if !status.is_success() {
                    self.tally.protocol_error(format!(
                        "DELETE: HTTP {status}: {}",
                        protocol::truncate(&String::from_utf8_lossy(&body))
                    ));
                }
            }
        }
    }

    /// Lists every tool, page by page, and checks the walk as a whole: no tool twice, no cursor
    /// loop, and as many tools as every other walk.
    async fn walk(
        &mut self,
        http: &reqwest::Client,
        url: &str,
        era: Era,
        expect_tools: Option<usize>,
        session: Option<&str>,
    ) {
        let mut seen = HashSet::new();
        let mut cursor = None;
        for _ in 0..MAX_PAGES {
            let request = McpRequest::ListTools { cursor };
            let label = Op::ListWalk.label();
            let Some(verdict) = self
                .send(http, url, era, session, label, &request, Expect::ToolsPage)
                .await
            else {
                return;
            };
            let Verdict::Page { names, next_cursor } = verdict else {
                // The walk cannot go on; the failure itself is counted.
                return self.count(verdict);
            };
            for name in names {
                if !seen.insert(name.clone()) {
                    self.tally
                        .protocol_error(format!("tools/list repeats `{name}` across pages"));
                }
            }
            match next_cursor {
                Some(next) => cursor = Some(next),
                None => return self.tally.walk(seen.len(), expect_tools),
            }
        }
        self.tally
            .protocol_error(format!("tools/list gave a cursor after {MAX_PAGES} pages"));
    }

    /// Sends one request and judges the reply; `None` when it was lost (and counted so).
    #[allow(clippy::too_many_arguments)]
    async fn send(
        &mut self,
        http: &reqwest::Client,
        url: &str,
        era: Era,
        session: Option<&str>,
        label: &'static str,
        request: &McpRequest,
        expect: Expect,
    ) -> Option<Verdict> {
        let id = self.next_id;
        self.next_id += 1;
        let prepared = match Prepared::new(era, request, session) {
            Ok(prepared) => prepared,
            Err(error) => {
                return Some(Verdict::Protocol(format!(
                    "cannot build the request: {error:#}"
                )));
            }
        };
        self.tally.sent += 1;
        let started = Instant::now();
        match exchange(http, url, &prepared, id).await {
            Exchange::Lost(what) => {
                self.tally.lost(format!("{label}: {what}"));
                None
            }
            Exchange::Answered {
                status,
                content_type,
                body,
            } => {
                self.tally.answered(label, started.elapsed());
                Some(judge(expect, id, status, &content_type, &body))
            }
        }
    }

    fn count(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::ToolOk => self.tally.tool_ok += 1,
            Verdict::ExpectedToolError { status } => self.tally.expected_tool_error(status),
            Verdict::UnexpectedTool(what) => self.tally.unexpected_tool(what),
            Verdict::Protocol(what) => self.tally.protocol_error(what),
            Verdict::Page { .. } => self
                .tally
                .protocol_error("a tools/list page where a tool result was due".to_owned()),
        }
    }
}

/// One keep-alive connection per virtual client, as `loadgen run` has.
fn http_client(timeout: Duration) -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .tcp_nodelay(true)
        .timeout(timeout)
        .build()?)
}

async fn exchange(http: &reqwest::Client, url: &str, prepared: &Prepared, id: u64) -> Exchange {
    let response = match http
        .post(url)
        .headers(prepared.headers.clone())
        .body(prepared.body(id))
        .send()
        .await
    {
        Ok(response) => response,
        Err(error) => return Exchange::Lost(error_chain(&error)),
    };
    let status = response.status();
    let content_type = protocol::content_type(response.headers());
    match response.bytes().await {
        Ok(body) => Exchange::Answered {
            status,
            content_type,
            body: body.to_vec(),
        },
        Err(error) => Exchange::Lost(error_chain(&error)),
    }
}

/// reqwest's top-level message hides the cause ("error sending request"); the chain names it.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Whether a failed handshake never got its reply (as opposed to getting a wrong one).
fn is_transport(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| cause.is::<reqwest::Error>())
}
