//! Hosted mode: many integrated accounts, each with MCP servers at secret URLs, managed through
//! an admin API and kept in a database (`mcp-server serve`, spec section 6).
//!
//! The layers, outermost first: [`serve`] and [`cli`] (commands) -> [`app`] (the HTTP router:
//! [`admin`] API and [`gateway`] for `/mcp/<token>`) -> [`core::Hosted`] (operations and
//! validation, where secrets are sealed and hashed) -> [`store::Store`] (persistence; SQLite by
//! default). Time comes from a [`clock::Clock`] so expiry is testable. `docs/hosted.md` is the
//! user-facing description, with the security model.

pub mod admin;
pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod core;
pub mod crypto;
pub mod error;
pub mod gateway;
pub mod input;
pub mod model;
pub mod purge;
pub mod serve;
pub mod store;
pub mod upstream;
pub mod validate;
pub mod views;

pub use app::{AppState, app};
pub use cli::{AccountsArgs, ServersArgs, run_accounts, run_servers};
pub use config::CommandError;
pub use core::{Hosted, HostedSettings};
pub use error::HostedError;
pub use gateway::{Gateway, GatewayOptions};
pub use serve::ServeArgs;
pub use upstream::{UpstreamArgs, UpstreamSettings};
