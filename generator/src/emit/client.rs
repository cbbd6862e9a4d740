//! The typed Rust client: one `async` method per tool, for Rust users who want the API without
//! MCP. Each method calls `mcpgen_runtime::call` with the same plan the tool uses, so the client
//! and the MCP tool cannot disagree about the upstream request.

use proc_macro2::TokenStream;
use quote::quote;

use super::prose::{self, RustDoc};
use super::rust::ident;
use super::tools::output_type;
use crate::error::Error;
use crate::ir;
use crate::templates::Templates;

/// `pub struct <Integration>Client` and its methods.
pub(crate) fn client(
    integration: &ir::Integration,
    templates: &Templates,
) -> Result<[TokenStream; 2], Error> {
    let client = ident(&integration.client_type)?;
    let mut methods = Vec::new();
    for resource in &integration.resources {
        let module = ident(&resource.module)?;
        for tool in &resource.tools {
            let method = ident(&tool.client_method)?;
            let input = ident(&tool.input_type)?;
            let output = output_type(tool, &resource.record_type, Some(&module))?;
            let plan = ident(&tool.plan_name)?;
            let docs = prose::outer(
                templates,
                &RustDoc::ClientMethod {
                    tool: &tool.name,
                    title: &tool.title,
                    description: &tool.description,
                },
            )?;
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
    let docs = prose::outer(
        templates,
        &RustDoc::Client {
            display_name: &integration.display_name,
        },
    )?;
    let new_doc = prose::outer(templates, &RustDoc::ClientNew)?;
    let upstream_doc = prose::outer(templates, &RustDoc::ClientUpstream)?;
    let client_struct = quote! {
        #docs
        pub struct #client(pub ::mcpgen_runtime::UpstreamClient);
    };
    let client_impl = quote! {
        impl #client {
            #new_doc
            pub fn new(upstream: ::mcpgen_runtime::UpstreamClient) -> Self {
                Self(upstream)
            }

            #upstream_doc
            pub fn upstream(&self) -> &::mcpgen_runtime::UpstreamClient {
                &self.0
            }

            #(#methods)*
        }
    };
    Ok([client_struct, client_impl])
}
