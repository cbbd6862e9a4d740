//! MCP serving for mcpgen-generated integrations, on rmcp.
//!
//! A binary is one line, `mcpgen_server::main(&[&mcpgen_chronosphere::INTEGRATION])`, which
//! gives the single-integration `mcp-server` command line ([`cli`]: `stdio`, `http`, `tools`).
//! Embedders use [`Server`]: [`Server::builder`] picks the tools ([`ToolFilter`]), credentials
//! and upstream settings, then [`Server::serve_stdio`] or [`Server::serve_http`] serves them.
//! The pieces are public for hosted mode (the `mcpgen-hosted` crate, which adds `serve`,
//! `accounts` and `servers`) and other embedders: [`Catalog`] (the precomputed tool list),
//! [`McpHandler`] (rmcp's `ServerHandler` over a catalog and an upstream client),
//! [`http::Endpoint`], [`http::router`] and [`connections::serve`].

#![warn(missing_docs)]

mod budget;
pub mod catalog;
pub mod cli;
pub mod connections;
pub mod credentials;
pub mod discovery;
mod drain;
pub mod error;
mod fast_path;
mod fields;
pub mod filter;
pub mod handler;
pub mod http;
pub mod inventory;
pub mod logging;
mod outcome;
mod server;
mod stdio;
pub mod units;

use std::process::ExitCode;

/// glibc's allocator is about a quarter of the instructions of a tool call; mimalloc is
/// markedly cheaper for the small, short-lived allocations of request handling.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub use budget::DEFAULT_MAX_RESULT_BYTES;
pub use catalog::{Catalog, CatalogError, InvalidCursor, LIST_PAGE_BYTES};
pub use discovery::Exposure;
pub use error::Error;
pub use filter::{FilterError, MethodSelector, ToolFilter};
pub use handler::{HandlerOptions, ListCaching, McpHandler};
pub use http::HttpOptions;
use mcpgen_runtime::Integration;
pub use server::{Server, ServerBuilder};

/// The `mcp-server` binary: parses the process arguments, serves, and returns the exit code
/// (2 for configuration mistakes, found before serving; 1 for failures while serving).
pub fn main(integrations: &'static [&'static Integration]) -> ExitCode {
    logging::init();
    let env = |name: &str| std::env::var(name).ok();
    ExitCode::from(cli::run(integrations, std::env::args_os(), &env))
}
