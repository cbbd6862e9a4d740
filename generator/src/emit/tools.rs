//! The static data of the runtime's registry: each tool's `RequestPlan` const and `Tool`
//! static, and the integration's `INTEGRATION` static that lists them.
//!
//! A tool costs a few lines of data and one monomorphised `mcpgen_runtime::handler`: the
//! behaviour lives once, in the runtime.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::prose::{self, RustDoc};
use super::rust::{ident, opt_str, str_lit, str_slice};
use super::schema;
use crate::error::Error;
use crate::ir::{self, ArgLocation, Output, OutputRecord};
use crate::model::{Auth, HttpVerb, MethodKind, Pagination, ParamLocation, PathSegment, Schema};
use crate::templates::Templates;

/// The output type of a tool: named inside its resource module, or from outside it through
/// `module`.
pub(crate) fn output_type(
    tool: &ir::Tool,
    record_type: &str,
    module: Option<&Ident>,
) -> Result<TokenStream, Error> {
    let record = |record: &OutputRecord| {
        let name = match record {
            OutputRecord::Resource => ident(record_type)?,
            OutputRecord::Custom { type_name, .. } => ident(type_name)?,
        };
        Ok::<_, Error>(match module {
            Some(module) => quote!(#module::#name),
            None => quote!(#name),
        })
    };
    Ok(match &tool.output {
        Output::Page { record: item, .. } => {
            let item = record(item)?;
            quote!(::mcpgen_runtime::Page<#item>)
        }
        Output::Record(item) => {
            let item = record(item)?;
            quote!(#item)
        }
        Output::Raw { .. } => quote!(::serde_json::Value),
    })
}

/// `pub const <TOOL>_PLAN: RequestPlan` and `pub static <TOOL>: Tool` for one tool, whose
/// schemas are `schemas`.
pub(crate) fn tool_items(
    tool: &ir::Tool,
    resource: &ir::Resource,
    schemas: &ToolSchemas,
    templates: &Templates,
) -> Result<[TokenStream; 2], Error> {
    let plan_name = ident(&tool.plan_name)?;
    let static_name = ident(&tool.static_name)?;
    let input_type = ident(&tool.input_type)?;
    let output_type = output_type(tool, &resource.record_type, None)?;
    let plan = plan(tool)?;
    let name = str_lit(&tool.name)?;
    let title = str_lit(&tool.title)?;
    let description = str_lit(&tool.description)?;
    let method = method_kind(&tool.method)?;
    let resource_name = str_lit(&resource.name)?;
    let tags = str_slice(&tool.tags)?;
    let [input_schema, output_schema] = schemas.embedded()?;
    let input_schema = str_lit(&input_schema)?;
    let output_schema = str_lit(&output_schema)?;
    let ir::Annotations {
        read_only,
        destructive,
        idempotent,
        open_world,
    } = tool.annotations;
    let plan_doc = prose::outer(templates, &RustDoc::Plan { tool: &tool.name })?;
    let tool_doc = prose::outer(
        templates,
        &RustDoc::Tool {
            tool: &tool.name,
            title: &tool.title,
        },
    )?;
    let plan = quote! {
        #plan_doc
        pub const #plan_name: ::mcpgen_runtime::RequestPlan = #plan;
    };
    let tool = quote! {
        #tool_doc
        pub static #static_name: ::mcpgen_runtime::Tool = ::mcpgen_runtime::Tool {
            name: #name,
            title: #title,
            description: #description,
            method: #method,
            resource: #resource_name,
            tags: #tags,
            input_schema: #input_schema,
            output_schema: #output_schema,
            annotations: ::mcpgen_runtime::Annotations {
                read_only: #read_only,
                destructive: #destructive,
                idempotent: #idempotent,
                open_world: #open_world,
            },
            plan: #plan_name,
            handler: ::mcpgen_runtime::handler::<#input_type, #output_type>,
        };
    };
    Ok([plan, tool])
}

fn plan(tool: &ir::Tool) -> Result<TokenStream, Error> {
    let plan = &tool.plan;
    let verb = match plan.verb {
        HttpVerb::Get => quote!(Get),
        HttpVerb::Post => quote!(Post),
        HttpVerb::Put => quote!(Put),
        HttpVerb::Patch => quote!(Patch),
        HttpVerb::Delete => quote!(Delete),
    };
    let path = plan
        .path
        .iter()
        .map(|segment| {
            Ok(match segment {
                PathSegment::Literal(text) => {
                    let text = str_lit(text)?;
                    quote!(::mcpgen_runtime::PathSegment::Literal(#text))
                }
                PathSegment::Arg(name) => {
                    let name = str_lit(name)?;
                    quote!(::mcpgen_runtime::PathSegment::Arg(#name))
                }
                PathSegment::Credential(name) => {
                    let name = str_lit(name)?;
                    quote!(::mcpgen_runtime::PathSegment::Credential(#name))
                }
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let args = tool
        .inputs
        .iter()
        .map(|input| {
            let name = str_lit(&input.name)?;
            let upstream = str_lit(&input.upstream)?;
            let location = match input.location {
                ArgLocation::Path => quote!(Path),
                ArgLocation::Query => quote!(Query),
                ArgLocation::Record => quote!(Record),
                ArgLocation::Body => quote!(Body),
            };
            Ok(quote! {
                ::mcpgen_runtime::Arg {
                    name: #name,
                    upstream: #upstream,
                    location: ::mcpgen_runtime::ArgLocation::#location,
                }
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let body_wrapper = opt_str(plan.body_wrapper.as_deref())?;
    let record_id = match &plan.record_id {
        Some(ir::RecordId { field, arg }) => {
            let (field, arg) = (str_lit(field)?, str_lit(arg)?);
            quote!(Some(::mcpgen_runtime::RecordId { field: #field, arg: #arg }))
        }
        None => quote!(None),
    };
    let response_path = opt_str(plan.response_path.as_deref())?;
    let pagination = pagination(&plan.pagination)?;
    let output = match tool.output {
        Output::Page { .. } => quote!(Page),
        Output::Record(_) => quote!(Record),
        Output::Raw { .. } => quote!(Raw),
    };
    Ok(quote! {
        ::mcpgen_runtime::RequestPlan {
            verb: ::mcpgen_runtime::HttpVerb::#verb,
            path: &[#(#path),*],
            args: &[#(#args),*],
            body_wrapper: #body_wrapper,
            record_id: #record_id,
            response_path: #response_path,
            pagination: #pagination,
            output: ::mcpgen_runtime::OutputShape::#output,
        }
    })
}

fn pagination(pagination: &Pagination) -> Result<TokenStream, Error> {
    Ok(match pagination {
        Pagination::None => quote!(::mcpgen_runtime::PaginationSpec::None),
        Pagination::Cursor {
            location,
            cursor_param,
            limit_param,
            next_cursor_path,
        } => {
            let in_body = *location == ParamLocation::Body;
            let cursor_param = str_lit(cursor_param)?;
            let limit_param = opt_str(limit_param.as_deref())?;
            let next_cursor_path = str_lit(next_cursor_path)?;
            quote! {
                ::mcpgen_runtime::PaginationSpec::Cursor {
                    in_body: #in_body,
                    cursor_param: #cursor_param,
                    limit_param: #limit_param,
                    next_cursor_path: #next_cursor_path,
                }
            }
        }
        Pagination::Page {
            page_param,
            limit_param,
            first_page,
            has_more_path,
        } => {
            let page_param = str_lit(page_param)?;
            let limit_param = opt_str(limit_param.as_deref())?;
            let has_more_path = opt_str(has_more_path.as_deref())?;
            quote! {
                ::mcpgen_runtime::PaginationSpec::Page {
                    page_param: #page_param,
                    limit_param: #limit_param,
                    first_page: #first_page,
                    has_more_path: #has_more_path,
                }
            }
        }
        Pagination::Offset {
            offset_param,
            limit_param,
            has_more_path,
        } => {
            let offset_param = str_lit(offset_param)?;
            let limit_param = opt_str(limit_param.as_deref())?;
            let has_more_path = opt_str(has_more_path.as_deref())?;
            quote! {
                ::mcpgen_runtime::PaginationSpec::Offset {
                    offset_param: #offset_param,
                    limit_param: #limit_param,
                    has_more_path: #has_more_path,
                }
            }
        }
        Pagination::LinkHeader { limit_param } => {
            let limit_param = opt_str(limit_param.as_deref())?;
            quote!(::mcpgen_runtime::PaginationSpec::LinkHeader { limit_param: #limit_param })
        }
    })
}

fn method_kind(kind: &MethodKind) -> Result<TokenStream, Error> {
    Ok(match kind {
        MethodKind::List => quote!(::mcpgen_runtime::MethodKind::List),
        MethodKind::Get => quote!(::mcpgen_runtime::MethodKind::Get),
        MethodKind::Create => quote!(::mcpgen_runtime::MethodKind::Create),
        MethodKind::Update => quote!(::mcpgen_runtime::MethodKind::Update),
        MethodKind::Delete => quote!(::mcpgen_runtime::MethodKind::Delete),
        MethodKind::Custom(name) => {
            let name = str_lit(name)?;
            quote!(::mcpgen_runtime::MethodKind::Custom(#name))
        }
    })
}

/// `pub static INTEGRATION: Integration`, listing every tool of every resource.
pub(crate) fn integration_static(
    integration: &ir::Integration,
    templates: &Templates,
) -> Result<TokenStream, Error> {
    let name = str_lit(&integration.name)?;
    let display_name = str_lit(&integration.display_name)?;
    let description = str_lit(&integration.description)?;
    let base_url = str_lit(&integration.base_url)?;
    let credentials = integration
        .credentials
        .iter()
        .map(|credential| {
            let name = str_lit(&credential.name)?;
            let description = str_lit(&credential.description)?;
            let secret = credential.secret;
            Ok(quote! {
                ::mcpgen_runtime::CredentialSpec { name: #name, description: #description, secret: #secret }
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let auth = auth(&integration.auth)?;
    let limit = str_slice(&integration.rate_limit.limit)?;
    let remaining = str_slice(&integration.rate_limit.remaining)?;
    let reset = str_slice(&integration.rate_limit.reset)?;
    let error_message_path = opt_str(integration.error_message_path.as_deref())?;
    let resources = integration
        .resources
        .iter()
        .map(|resource| {
            let (name, description) = (str_lit(&resource.name)?, str_lit(&resource.description)?);
            Ok(quote! {
                ::mcpgen_runtime::ResourceSpec { name: #name, description: #description }
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let mut tools = Vec::new();
    for resource in &integration.resources {
        let module = ident(&resource.module)?;
        for tool in &resource.tools {
            let static_name = ident(&tool.static_name)?;
            tools.push(quote!(&#module::#static_name));
        }
    }
    let docs = prose::outer(
        templates,
        &RustDoc::Integration {
            display_name: &integration.display_name,
        },
    )?;
    Ok(quote! {
        #docs
        pub static INTEGRATION: ::mcpgen_runtime::Integration = ::mcpgen_runtime::Integration {
            name: #name,
            display_name: #display_name,
            description: #description,
            base_url: #base_url,
            credentials: &[#(#credentials),*],
            auth: #auth,
            rate_limit: ::mcpgen_runtime::RateLimitSpec {
                limit: #limit,
                remaining: #remaining,
                reset: #reset,
            },
            error_message_path: #error_message_path,
            tools: &[#(#tools),*],
            resources: &[#(#resources),*],
        };
    })
}

fn auth(auth: &Auth) -> Result<TokenStream, Error> {
    Ok(match auth {
        Auth::None => quote!(::mcpgen_runtime::AuthSpec::None),
        Auth::Header { name, value } => {
            let (name, value) = (str_lit(name)?, str_lit(value)?);
            quote!(::mcpgen_runtime::AuthSpec::Header { name: #name, value: #value })
        }
        Auth::Bearer { token } => {
            let token = str_lit(token)?;
            quote!(::mcpgen_runtime::AuthSpec::Bearer { token: #token })
        }
        Auth::Basic { username, password } => {
            let (username, password) = (str_lit(username)?, str_lit(password)?);
            quote!(::mcpgen_runtime::AuthSpec::Basic { username: #username, password: #password })
        }
        Auth::Query { name, value } => {
            let (name, value) = (str_lit(name)?, str_lit(value)?);
            quote!(::mcpgen_runtime::AuthSpec::Query { name: #name, value: #value })
        }
    })
}

/// A tool's JSON Schemas as pretty JSON text, made once: the tool static embeds them and the
/// crate layout also writes them to `schemas/`.
#[derive(Debug)]
pub(crate) struct ToolSchemas {
    input: serde_json::Value,
    output: serde_json::Value,
}

impl ToolSchemas {
    /// The schemas of `tool`, whose resource's record schema is `record`.
    pub(crate) fn new(tool: &ir::Tool, record: &Schema) -> Result<Self, Error> {
        Ok(ToolSchemas {
            input: schema::input_schema(tool, record),
            output: schema::output_schema(tool, record),
        })
    }

    /// The input and output schemas as the Rust source embeds them: compact, because every
    /// byte is in the binary (a whole API's pretty-printed schemas are 0.8 MB more) and people
    /// read the pretty files in `schemas/`.
    fn embedded(&self) -> Result<[String; 2], Error> {
        Ok([
            json_text(&self.input, false)?,
            json_text(&self.output, false)?,
        ])
    }

    /// The schemas' JSON files: paths relative to the crate, and contents (pretty-printed,
    /// newline-terminated).
    pub(crate) fn files(&self, tool: &ir::Tool) -> Result<[(String, String); 2], Error> {
        Ok([
            (
                crate::naming::schema_file(&tool.name, "input"),
                format!("{}\n", json_text(&self.input, true)?),
            ),
            (
                crate::naming::schema_file(&tool.name, "output"),
                format!("{}\n", json_text(&self.output, true)?),
            ),
        ])
    }
}

fn json_text(value: &serde_json::Value, pretty: bool) -> Result<String, Error> {
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    text.map_err(|err| Error::Format {
        path: "JSON Schema".to_owned(),
        message: err.to_string(),
    })
}
