//! Logs: `tracing` to stderr only, so stdio mode keeps stdout pure JSON-RPC.
//!
//! `RUST_LOG` picks the level (default: info for mcpgen crates, warn for the rest). Nothing
//! logged here carries credential values: the runtime's types redact them and the server logs
//! tool names, timings and error kinds, not arguments.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// rmcp's service loop warns about every JSON-RPC error it sends; those are ordinary outcomes
/// here (the server logs them itself), so only its errors show by default.
const DEFAULT_FILTER: &str = "warn,rmcp::service=error,mcpgen_server=info,mcpgen_runtime=info";

/// Installs the stderr subscriber; a no-op when one is already installed (tests, embedders).
pub fn init() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
