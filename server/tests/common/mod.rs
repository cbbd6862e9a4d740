//! A hand-written integration, `demo`, whose tool handlers need no upstream, plus small MCP
//! clients (newline-delimited JSON over an in-memory pipe, and raw HTTP) to drive the server.
#![allow(clippy::unwrap_used, dead_code)]

use std::time::Duration;

use mcpgen_runtime::{
    Annotations, AuthSpec, BoxFuture, CallError, CredentialSpec, Credentials, HttpVerb,
    Integration, MethodKind, OutputShape, PaginationSpec, RateLimit, RateLimitSpec, RequestPlan,
    ResourceSpec, Tool, Upstream, UpstreamClient, UpstreamConfig, UpstreamError,
};
use mcpgen_server::{McpHandler, Server, ToolFilter};
use serde_json::{Map, Value, json};
use tokio::io::{
    AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines, ReadHalf, WriteHalf,
};

pub(crate) const fn plan(verb: HttpVerb, output: OutputShape) -> RequestPlan {
    RequestPlan {
        verb,
        path: &[mcpgen_runtime::PathSegment::Literal("/widgets")],
        args: &[],
        body_wrapper: None,
        record_id: None,
        response_path: None,
        pagination: PaginationSpec::None,
        output,
    }
}

pub(crate) const READ: Annotations = Annotations {
    read_only: true,
    destructive: false,
    idempotent: true,
    open_world: true,
};

const OBJECT_OUTPUT: &str = r#"{"type":"object"}"#;

pub(crate) static LIST: Tool = Tool {
    name: "list_all_demo_widgets",
    title: "List all Demo widgets",
    description: "Lists widgets.\nPages with next_cursor.",
    method: MethodKind::List,
    resource: "widgets",
    tags: &["inventory"],
    input_schema: r#"{"type":"object","properties":{"limit":{"type":"integer"},"next_cursor":{"type":"string"}},"additionalProperties":false}"#,
    output_schema: r#"{"type":"object","properties":{"result":{"type":"array"},"next_cursor":{"type":["string","null"]}},"required":["result","next_cursor"]}"#,
    annotations: READ,
    plan: plan(HttpVerb::Get, OutputShape::Page),
    handler: list_widgets,
};

pub(crate) static GET: Tool = Tool {
    name: "get_single_demo_widget_by_id",
    title: "Get a Demo widget",
    description: "Gets one widget by its slug.",
    method: MethodKind::Get,
    resource: "widgets",
    tags: &["inventory"],
    input_schema: r#"{"type":"object","properties":{"id":{"type":"string","description":"the widget's slug"}},"required":["id"],"additionalProperties":false}"#,
    output_schema: OBJECT_OUTPUT,
    annotations: READ,
    plan: plan(HttpVerb::Get, OutputShape::Record),
    handler: get_widget,
};

pub(crate) static CREATE: Tool = Tool {
    name: "create_a_demo_widget",
    title: "Create a Demo widget",
    description: "Creates a widget.",
    method: MethodKind::Create,
    resource: "widgets",
    tags: &["admin", "inventory"],
    input_schema: r#"{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}"#,
    output_schema: OBJECT_OUTPUT,
    annotations: Annotations {
        read_only: false,
        destructive: false,
        idempotent: false,
        open_world: true,
    },
    plan: plan(HttpVerb::Post, OutputShape::Record),
    handler: echo_arguments,
};

pub(crate) static DELETE: Tool = Tool {
    name: "delete_a_demo_widget_by_id",
    title: "Delete a Demo widget",
    description: "Deletes a widget.",
    method: MethodKind::Delete,
    resource: "widgets",
    tags: &["admin", "inventory"],
    input_schema: r#"{"type":"object","properties":{"id":{"type":"string"}},"required":["id"]}"#,
    output_schema: OBJECT_OUTPUT,
    annotations: Annotations {
        read_only: false,
        destructive: true,
        idempotent: true,
        open_world: true,
    },
    plan: plan(HttpVerb::Delete, OutputShape::Raw),
    handler: echo_arguments,
};

pub(crate) static ARCHIVE: Tool = Tool {
    name: "archive_demo_widgets",
    title: "Archive Demo widgets",
    description: "Archives a widget.",
    method: MethodKind::Custom("archive"),
    resource: "widgets",
    tags: &["lifecycle"],
    input_schema: r#"{"type":"object","properties":{}}"#,
    output_schema: OBJECT_OUTPUT,
    annotations: Annotations {
        read_only: false,
        destructive: false,
        idempotent: false,
        open_world: true,
    },
    plan: plan(HttpVerb::Post, OutputShape::Raw),
    handler: echo_arguments,
};

/// A custom method whose handler panics: the server must survive it.
pub(crate) static EXPLODE: Tool = Tool {
    name: "explode_demo_gadgets",
    title: "Explode Demo gadgets",
    description: "Always panics.",
    method: MethodKind::Custom("explode"),
    resource: "gadgets",
    tags: &["lifecycle"],
    input_schema: r#"{"type":"object"}"#,
    output_schema: OBJECT_OUTPUT,
    annotations: Annotations {
        read_only: false,
        destructive: true,
        idempotent: false,
        open_world: false,
    },
    plan: plan(HttpVerb::Post, OutputShape::Raw),
    handler: explode,
};

pub(crate) static DEMO: Integration = Integration {
    name: "demo",
    display_name: "Demo",
    description: "A hand-written integration for tests.",
    base_url: "http://127.0.0.1:9/{tenant}",
    credentials: &[
        CredentialSpec {
            name: "tenant",
            description: "the tenant",
            secret: false,
        },
        CredentialSpec {
            name: "api_token",
            description: "the token",
            secret: true,
        },
    ],
    auth: AuthSpec::Header {
        name: "API-Token",
        value: "{api_token}",
    },
    rate_limit: RateLimitSpec {
        limit: &[],
        remaining: &[],
        reset: &[],
    },
    error_message_path: Some("message"),
    tools: &[&LIST, &GET, &CREATE, &DELETE, &ARCHIVE, &EXPLODE],
    resources: &[
        ResourceSpec {
            name: "widgets",
            description: "Widgets: the demo's things.",
        },
        ResourceSpec {
            name: "gadgets",
            description: "Gadgets: things that explode.",
        },
    ],
};

pub(crate) static INTEGRATIONS: [&Integration; 1] = [&DEMO];

fn list_widgets<'a>(
    _: &'a dyn Upstream,
    _: &'static RequestPlan,
    args: Map<String, Value>,
) -> BoxFuture<'a, Result<Value, CallError>> {
    Box::pin(async move {
        let limit = match args.get("limit") {
            None => 2,
            Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64().unwrap(),
            Some(_) => {
                return Err(CallError::InvalidArguments(
                    "`limit`: expected a non-negative integer".into(),
                ));
            }
        };
        let records: Vec<Value> = (0..limit)
            .map(|i| json!({"slug": format!("w{i}"), "extra": true}))
            .collect();
        Ok(json!({"result": records, "next_cursor": null}))
    })
}

/// `id` "limited" is an upstream 429 with rate-limit values; "slow" sleeps; others succeed.
pub(crate) fn get_widget<'a>(
    _: &'a dyn Upstream,
    _: &'static RequestPlan,
    args: Map<String, Value>,
) -> BoxFuture<'a, Result<Value, CallError>> {
    Box::pin(async move {
        let id = match args.get("id") {
            Some(Value::String(id)) => id.clone(),
            Some(_) => {
                return Err(CallError::InvalidArguments(
                    "`id`: expected a string".into(),
                ));
            }
            None => return Err(CallError::InvalidArguments("missing field `id`".into())),
        };
        match id.as_str() {
            "limited" => Err(CallError::Upstream(UpstreamError::Status {
                status: 429,
                message: "too many requests for this tenant".into(),
                rate_limit: RateLimit {
                    limit: Some(100),
                    remaining: Some(0),
                    reset: Some(30),
                },
            })),
            "slow" => {
                tokio::time::sleep(Duration::from_millis(300)).await;
                Ok(json!({"slug": id}))
            }
            _ => Ok(json!({"slug": id, "name": "Widget"})),
        }
    })
}

fn echo_arguments<'a>(
    _: &'a dyn Upstream,
    _: &'static RequestPlan,
    args: Map<String, Value>,
) -> BoxFuture<'a, Result<Value, CallError>> {
    Box::pin(async move { Ok(json!({ "received": args })) })
}

fn explode<'a>(
    _: &'a dyn Upstream,
    _: &'static RequestPlan,
    _: Map<String, Value>,
) -> BoxFuture<'a, Result<Value, CallError>> {
    Box::pin(async move { panic!("deliberate test panic") })
}

pub(crate) fn credentials() -> Credentials {
    Credentials::new()
        .with("tenant", "acme")
        .with("api_token", "s3cr3t-token")
}

pub(crate) fn server(filter: ToolFilter) -> Server {
    Server::builder(&DEMO)
        .filter(filter)
        .credentials(credentials())
        .build()
        .unwrap()
}

pub(crate) fn handler(filter: ToolFilter) -> McpHandler {
    server(filter).handler().clone()
}

pub(crate) fn client() -> UpstreamClient {
    UpstreamClient::new(&DEMO, credentials(), UpstreamConfig::default()).unwrap()
}

/// The `_meta` a 2026-07-28 request carries instead of a handshake.
pub(crate) fn modern_meta() -> Value {
    json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": {"name": "test", "version": "0"}
    })
}

/// A JSON-RPC peer over an in-memory pipe served by [`Server::serve_io`], as an MCP client
/// launching `mcp-server stdio` would be.
pub(crate) struct PipeClient {
    pub writer: WriteHalf<DuplexStream>,
    pub lines: Lines<BufReader<ReadHalf<DuplexStream>>>,
    next_id: i64,
    pub task: tokio::task::JoinHandle<Result<(), mcpgen_server::Error>>,
}

impl PipeClient {
    pub(crate) fn start(server: Server) -> Self {
        let (client_end, server_end) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_end);
        let task = tokio::spawn(server.serve_io(server_read, server_write));
        let (read, writer) = tokio::io::split(client_end);
        Self {
            writer,
            lines: BufReader::new(read).lines(),
            next_id: 1,
            task,
        }
    }

    /// A client that has done the 2025-11-25 handshake.
    pub(crate) async fn initialized(server: Server) -> Self {
        let mut client = Self::start(server);
        let reply = client
            .request(
                "initialize",
                json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}),
            )
            .await;
        assert_eq!(reply["result"]["protocolVersion"], "2025-11-25", "{reply}");
        client
            .send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            .await;
        client
    }

    pub(crate) async fn send(&mut self, message: Value) {
        self.send_raw(&message.to_string()).await;
    }

    pub(crate) async fn send_raw(&mut self, line: &str) {
        self.writer.write_all(line.as_bytes()).await.unwrap();
        self.writer.write_all(b"\n").await.unwrap();
        self.writer.flush().await.unwrap();
    }

    /// Sends a request and returns the whole response message (`result` or `error`).
    pub(crate) async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        self.response_to(json!(id)).await
    }

    /// Reads messages until the response with `id`, skipping notifications.
    pub(crate) async fn response_to(&mut self, id: Value) -> Value {
        loop {
            let line = tokio::time::timeout(Duration::from_secs(10), self.lines.next_line())
                .await
                .expect("the server answers within 10 s")
                .unwrap()
                .expect("the server keeps the pipe open");
            let message: Value = serde_json::from_str(&line).unwrap();
            if message.get("id") == Some(&id) {
                return message;
            }
        }
    }

    pub(crate) async fn call(&mut self, name: &str, arguments: Value) -> Value {
        self.request("tools/call", json!({"name": name, "arguments": arguments}))
            .await
    }
}

/// An integration of `count` read tools, each with a `description_bytes` description: a big
/// API's `tools/list` without generating one. Leaked, as a registry is `'static`.
#[allow(dead_code)]
pub(crate) fn wide_integration(count: usize, description_bytes: usize) -> &'static Integration {
    let description: &'static str = Box::leak("d".repeat(description_bytes).into_boxed_str());
    let tools: Vec<&'static Tool> = (0..count)
        .map(|i| {
            let name: &'static str =
                Box::leak(format!("list_all_wide_things_{i:03}").into_boxed_str());
            &*Box::leak(Box::new(Tool {
                name,
                description,
                ..LIST
            }))
        })
        .collect();
    Box::leak(Box::new(Integration {
        name: "wide",
        tools: Box::leak(tools.into_boxed_slice()),
        ..DEMO
    }))
}
