//! Hosted mode: many integrated accounts, each with MCP servers at secret URLs, managed through
//! an admin API and kept in a database (`mcp-server serve`, spec section 6).
//!
//! A binary with hosted mode is one line, `mcpgen_hosted::main(&[&mcpgen_chronosphere::INTEGRATION])`:
//! the `mcp-server` command line of `mcpgen_server` plus `serve`, `accounts`, `servers`, `keys`,
//! `audit`, `backup` and `restore` ([`command`]). A binary without it calls `mcpgen_server::main` and links none of this crate
//! (no SQLite, no AES-GCM, no admin API).
//!
//! The layers, outermost first: the commands (private modules behind [`command`]) ->
//! [`app`](mod@app) (the HTTP router: [`admin`] API and [`gateway`] for `/mcp/<token>`) ->
//! [`core::Hosted`] (operations and validation, where secrets are sealed and hashed) ->
//! [`store::Store`] (persistence; SQLite by default, PostgreSQL for several replicas). Time comes from a [`clock::Clock`] so
//! expiry is testable. `docs/hosted.md` is the user-facing description, with the security
//! model.

#![warn(missing_docs)]

pub mod admin;
mod api_error;
pub mod app;
pub mod bearer;
mod cli;
pub mod clock;
pub mod command;
mod config;
pub mod core;
pub mod crypto;
pub mod error;
pub mod gateway;
mod health;
pub mod input;
pub mod model;
pub mod purge;
mod serve;
mod sessions;
pub mod state;
pub mod store;
pub mod upstream;
pub mod validate;
mod views;

pub use app::app;
pub use core::{Hosted, HostedSettings};
pub use error::HostedError;
pub use gateway::{Gateway, GatewayOptions};
pub use state::AppState;
pub use upstream::{UpstreamArgs, UpstreamSettings};

use std::process::ExitCode;

use mcpgen_runtime::Integration;

/// The `mcp-server` binary with hosted mode: parses the process arguments, serves, and returns
/// the exit code (2 for configuration mistakes, found before serving; 1 for failures).
pub fn main(integrations: &'static [&'static Integration]) -> ExitCode {
    mcpgen_server::logging::init_with(&["mcpgen_hosted"]);
    let env = |name: &str| std::env::var(name).ok();
    ExitCode::from(command::run(integrations, std::env::args_os(), &env))
}
