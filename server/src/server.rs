//! The library entry point: build a [`Server`] for one integration, then serve it.
//!
//! ```no_run
//! # async fn run(integration: &'static mcpgen_runtime::Integration) -> Result<(), mcpgen_server::Error> {
//! use mcpgen_server::{Server, ToolFilter};
//!
//! let server = Server::builder(integration)
//!     .filter(ToolFilter::parse(["read"], [] as [&str; 0])?)
//!     .build()?; // credentials from CHRONOSPHERE_TENANT / CHRONOSPHERE_API_TOKEN
//! server.serve_stdio().await
//! # }
//! ```

use mcpgen_runtime::{Credentials, Integration, UpstreamClient, UpstreamConfig};
use rmcp::ServiceExt;
use rmcp::service::ServerInitializeError;
use tokio::io::{AsyncRead, AsyncWrite};

use crate::budget::DEFAULT_MAX_RESULT_BYTES;
use crate::catalog::Catalog;
use crate::credentials;
use crate::discovery::Exposure;
use crate::error::Error;
use crate::filter::ToolFilter;
use crate::handler::{HandlerOptions, McpHandler};
use crate::http::{self, HttpOptions};
use crate::stdio;

/// A ready-to-serve MCP server: the filtered tool catalog and the upstream client.
#[derive(Debug, Clone)]
pub struct Server {
    handler: McpHandler,
}

/// Configures a [`Server`]; see [`Server::builder`].
#[derive(Debug)]
pub struct ServerBuilder {
    integration: &'static Integration,
    filter: ToolFilter,
    credentials: Option<Credentials>,
    upstream: UpstreamConfig,
    client: Option<UpstreamClient>,
    exposure: Exposure,
    max_result_bytes: usize,
}

impl Server {
    /// Starts configuring a server for `integration`: every tool, credentials from the
    /// environment and the default upstream settings unless told otherwise.
    pub fn builder(integration: &'static Integration) -> ServerBuilder {
        ServerBuilder {
            integration,
            filter: ToolFilter::all(),
            credentials: None,
            upstream: UpstreamConfig::default(),
            client: None,
            exposure: Exposure::All,
            max_result_bytes: DEFAULT_MAX_RESULT_BYTES,
        }
    }

    /// Serves a prepared handler (hosted mode builds handlers per account).
    pub fn from_handler(handler: McpHandler) -> Self {
        Self { handler }
    }

    /// The MCP handler behind the server, to serve it on a transport of one's own.
    pub fn handler(&self) -> &McpHandler {
        &self.handler
    }

    /// The tools the server exposes, after the filter.
    pub fn catalog(&self) -> &Catalog {
        self.handler.catalog()
    }

    /// Serves over this process's stdin and stdout until the client closes stdin.
    pub async fn serve_stdio(self) -> Result<(), Error> {
        let (reader, writer) = rmcp::transport::stdio_pipes();
        self.serve_io(reader, writer).await
    }

    /// Serves newline-delimited JSON-RPC over any byte streams (stdio, pipes, in-memory duplex).
    pub async fn serve_io<R, W>(self, reader: R, writer: W) -> Result<(), Error>
    where
        R: AsyncRead + Send + Unpin + 'static,
        W: AsyncWrite + Send + Unpin + 'static,
    {
        let integration = self.catalog().integration().name;
        tracing::info!(
            integration,
            tools = self.catalog().len(),
            "serving MCP over stdio"
        );
        let running = match self.handler.serve(stdio::transport(reader, writer)).await {
            Ok(running) => running,
            Err(ServerInitializeError::ConnectionClosed(_)) => {
                tracing::info!("the client closed the connection before sending a request");
                return Ok(());
            }
            Err(error) => return Err(Error::Stdio(error.to_string())),
        };
        let reason = running
            .waiting()
            .await
            .map_err(|error| Error::Stdio(error.to_string()))?;
        tracing::info!(?reason, "stdio session ended");
        Ok(())
    }

    /// Serves Streamable HTTP at `/mcp` on `options.listen` until Ctrl-C or SIGTERM.
    pub async fn serve_http(self, options: HttpOptions) -> Result<(), Error> {
        http::serve(self.handler, options).await
    }
}

impl ServerBuilder {
    /// Exposes only the tools `filter` keeps.
    pub fn filter(mut self, filter: ToolFilter) -> Self {
        self.filter = filter;
        self
    }

    /// Lists every tool ([`Exposure::All`], the default) or the three discovery meta-tools.
    pub fn exposure(mut self, exposure: Exposure) -> Self {
        self.exposure = exposure;
        self
    }

    /// The largest tool answer, in bytes of JSON ([`DEFAULT_MAX_RESULT_BYTES`] unless set).
    pub fn max_result_bytes(mut self, bytes: usize) -> Self {
        self.max_result_bytes = bytes;
        self
    }

    /// Uses these credentials instead of reading the environment.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Base URL override, timeout and reply size cap.
    pub fn upstream(mut self, config: UpstreamConfig) -> Self {
        self.upstream = config;
        self
    }

    /// Uses a ready client (shared pool, tests); credentials and upstream settings are then
    /// ignored.
    pub fn client(mut self, client: UpstreamClient) -> Self {
        self.client = Some(client);
        self
    }

    /// Checks the filter against the integration, parses the schemas and builds the client.
    /// Fails before anything is served.
    pub fn build(self) -> Result<Server, Error> {
        let catalog = Catalog::new(self.integration)?.select(&self.filter)?;
        let client = match self.client {
            Some(client) => client,
            None => {
                let credentials = match self.credentials {
                    Some(credentials) => credentials,
                    None => credentials::resolve(self.integration, &[], |name| {
                        std::env::var(name).ok()
                    })?,
                };
                UpstreamClient::new(self.integration, credentials, self.upstream)?
            }
        };
        Ok(Server {
            handler: McpHandler::with_options(
                catalog,
                client,
                HandlerOptions {
                    exposure: self.exposure,
                    max_result_bytes: self.max_result_bytes,
                    ..HandlerOptions::default()
                },
            ),
        })
    }
}
