//! The typed Rust client: one `async` method per tool, for Rust users who want the API without
//! MCP. Each method calls `mcpgen_runtime::call` with the same plan the tool uses, so the client
//! and the MCP tool cannot disagree about the upstream request.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{doc, ident};
use super::tools::output_type;
use crate::error::Error;
use crate::ir;

/// `pub struct <Integration>Client` and its methods.
pub fn client(integration: &ir::Integration) -> Result<[TokenStream; 2], Error> {
    let client = ident(&integration.client_type)?;
    let mut methods = Vec::new();
    for resource in &integration.resources {
        let module = ident(&resource.module)?;
        for tool in &resource.tools {
            let method = ident(&tool.client_method)?;
            let input = ident(&tool.input_type)?;
            let output = output_type(tool, &resource.record_type, Some(&module))?;
            let plan = ident(&tool.plan_name)?;
            let docs = doc(&format!(
                "{}: the typed form of the `{}` tool.\n\n{}",
                tool.title, tool.name, tool.description
            ));
            methods.push(quote! {
                #docs
                pub async fn #method(
                    &self,
                    input: &#module::#input,
                ) -> Result<#output, ::mcpgen_runtime::UpstreamError> {
                    ::mcpgen_runtime::call(&self.0, &#module::#plan, input).await
                }
            });
        }
    }
    let docs = doc(&format!(
        "A typed client of the {} API, usable without MCP.\n\nBuild the inner \
         `mcpgen_runtime::UpstreamClient` from [`INTEGRATION`] and the account's credentials.",
        integration.display_name
    ));
    let client_struct = quote! {
        #docs
        pub struct #client(pub ::mcpgen_runtime::UpstreamClient);
    };
    let client_impl = quote! {
        impl #client {
            /// Wraps an upstream client built for [`INTEGRATION`].
            pub fn new(upstream: ::mcpgen_runtime::UpstreamClient) -> Self {
                Self(upstream)
            }

            /// The upstream client underneath.
            pub fn upstream(&self) -> &::mcpgen_runtime::UpstreamClient {
                &self.0
            }

            #(#methods)*
        }
    };
    Ok([client_struct, client_impl])
}
