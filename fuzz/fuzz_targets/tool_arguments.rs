//! Arbitrary JSON arguments through the generated Chronosphere handlers, on the path a
//! `tools/call` takes: `McpHandler::call` (the `fields` projection and budget resume arguments
//! taken out, then `mcpgen_runtime::handler::<Input, Output>` decoding the strict input and
//! preparing the upstream request). Arguments that decode are sent to a closed loopback port,
//! so the call fails fast without reaching any network.
//!
//! The first byte picks the tool: one of the 183 catalog tools, or one of discovery mode's
//! three meta-tools (which run a catalog tool the same way); the rest is the arguments object.
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use mcpgen_runtime::{Credentials, UpstreamClient, UpstreamConfig};
use mcpgen_server::{Catalog, Exposure, HandlerOptions, McpHandler};
use serde_json::{Map, Value};

static INTEGRATION: &mcpgen_runtime::Integration = &mcpgen_chronosphere::INTEGRATION;

struct Handlers {
    all: McpHandler,
    discovery: McpHandler,
    meta_tools: Vec<String>,
}

fn handlers() -> &'static Handlers {
    static HANDLERS: OnceLock<Handlers> = OnceLock::new();
    HANDLERS.get_or_init(|| {
        let client = UpstreamClient::new(
            INTEGRATION,
            Credentials::new()
                .with("tenant", "acme")
                .with("api_token", "fuzz-api-token"),
            UpstreamConfig {
                base_url: Some(format!("http://127.0.0.1:{}", closed_port())),
                timeout: Duration::from_secs(2),
                ..UpstreamConfig::default()
            },
        )
        .unwrap_or_else(|error| panic!("client: {error}"));
        let catalog = Catalog::new(INTEGRATION).unwrap_or_else(|error| panic!("catalog: {error}"));
        let discovery = McpHandler::with_options(
            catalog.clone(),
            client.clone(),
            HandlerOptions {
                exposure: Exposure::Discovery,
                ..HandlerOptions::default()
            },
        );
        let meta_tools = discovery
            .listed_tools()
            .into_iter()
            .map(|tool| tool.name.into_owned())
            .collect();
        Handlers {
            all: McpHandler::new(catalog, client),
            discovery,
            meta_tools,
        }
    })
}

/// A loopback port nothing listens on: bound, then released.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .unwrap_or_else(|error| panic!("cannot find a free port: {error}"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    // rmcp only hands a handler an object; anything else is refused before this path.
    let Ok(Value::Object(arguments)) = serde_json::from_slice::<Value>(rest) else {
        return;
    };
    let handlers = handlers();
    let tools = INTEGRATION.tools;
    let pick = usize::from(pick) % (tools.len() + handlers.meta_tools.len());
    let (handler, name) = match tools.get(pick) {
        Some(tool) => (&handlers.all, tool.name),
        None => (
            &handlers.discovery,
            handlers.meta_tools[pick - tools.len()].as_str(),
        ),
    };
    let result = mcpgen_fuzz::runtime().block_on(handler.call(name, Map::clone(&arguments)));
    // The server contains a panicking handler and answers -32603; libFuzzer's panic hook aborts
    // first, and this catches any other path to an internal error.
    if let Err(error) = &result {
        assert_ne!(
            error.code.0, -32603,
            "tool {name}: internal error {error:?}"
        );
    }
});
