//! `inkwell-mcp`: the `mcp-server` command line (stdio, Streamable HTTP, `tools`) over this
//! crate's Inkwell tools and the Chronosphere tools generated in this repository.
//!
//! ```text
//! INKWELL_API_KEY=... inkwell-mcp stdio --integration inkwell
//! inkwell-mcp http --integration inkwell --listen 127.0.0.1:8080
//! ```

use std::process::ExitCode;

use mcpgen_runtime::Integration;

static INTEGRATIONS: &[&Integration] = &[
    &inkwell_mcp::inkwell::INTEGRATION,
    &mcpgen_chronosphere::INTEGRATION,
];

fn main() -> ExitCode {
    mcpgen_server::main(INTEGRATIONS)
}
