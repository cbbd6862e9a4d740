//! The crates layout: what `cargo run -p generator` writes to `generated/`. An integration
//! crate (`Cargo.toml`, `README.md`, `src/lib.rs`, `src/<resource>.rs`, `schemas/*.json`) per
//! integration, and the `mcp-server` binary crate serving them all, each file with its header.

use quote::quote;
use serde::Serialize;

use super::assembly::{self, Piece};
use super::prose::{self, RustDoc};
use super::rust::{HEADER_TEXT, format_file, ident, skip_rustfmt};
use crate::error::Error;
use crate::files::GeneratedFiles;
use crate::ir;
use crate::templates::Templates;

/// The directory of the `mcp-server` binary crate inside the output directory.
pub(crate) const SERVER_DIR: &str = "mcp-server";

/// `<integration>/{Cargo.toml, README.md, src/lib.rs, src/<resource>.rs, schemas/*.json}`.
pub(crate) fn integration_crate(
    integration: &ir::Integration,
    templates: &Templates,
    files: &mut GeneratedFiles,
) -> Result<(), Error> {
    let dir = integration.name.as_str();
    files.own_dir(dir);

    let manifest = templates.render(
        "Cargo.toml.j2",
        &CrateContext {
            crate_name: &integration.crate_name,
            display_name: &integration.display_name,
        },
    )?;
    files.insert(format!("{dir}/Cargo.toml"), toml_file(&manifest));
    files.insert(
        format!("{dir}/README.md"),
        markdown_file(&templates.render("README.md.j2", &ReadmeContext::new(integration))?),
    );

    // Each Rust file (and a resource's schemas) is independent of the others: they are made
    // in parallel.
    let made = assembly::each_piece(integration, |piece| match piece {
        Piece::Root => lib_file(integration, templates).map(|file| vec![file]),
        Piece::Resource(resource) => resource_files(integration, resource, templates),
    })?;
    for (path, contents) in made.into_iter().flatten() {
        files.insert(format!("{dir}/{path}"), contents);
    }
    Ok(())
}

/// `src/lib.rs`: the module declarations, the `INTEGRATION` static and the typed client.
fn lib_file(
    integration: &ir::Integration,
    templates: &Templates,
) -> Result<(String, String), Error> {
    let modules = integration
        .resources
        .iter()
        .map(|resource| {
            let module = ident(&resource.module)?;
            Ok(skip_rustfmt(quote! { pub mod #module; }))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let lib_doc = RustDoc::Crate {
        display_name: &integration.display_name,
        description: &integration.description,
        client_type: &integration.client_type,
    };
    let mut items = vec![quote! { #(#modules)* }];
    let root = assembly::root_items(integration, templates)?;
    items.extend(root.into_iter().map(skip_rustfmt));
    let path = "src/lib.rs".to_owned();
    let lib = format_file(
        &format!("{}/{path}", integration.name),
        HEADER_TEXT,
        prose::inner(templates, &lib_doc)?,
        &items,
    )?;
    Ok((path, lib))
}

/// `src/<resource>.rs` and the resource's `schemas/*.json`, by path relative to the crate.
fn resource_files(
    integration: &ir::Integration,
    resource: &ir::Resource,
    templates: &Templates,
) -> Result<Vec<(String, String)>, Error> {
    let path = format!("src/{}.rs", resource.module);
    let module_doc = prose::inner(templates, &assembly::module_doc(integration, resource))?;
    let rust = assembly::resource_rust(resource, templates)?;
    let contents = format_file(
        &format!("{}/{path}", integration.name),
        HEADER_TEXT,
        module_doc,
        &rust.items,
    )?;
    let mut files = vec![(path, contents)];
    for (tool, schemas) in resource.tools.iter().zip(&rust.schemas) {
        files.extend(schemas.files(tool)?);
    }
    Ok(files)
}

/// `mcp-server/{Cargo.toml, src/main.rs}`: the binary serving every integration.
pub(crate) fn server_crate(
    integrations: &[ir::Integration],
    templates: &Templates,
    files: &mut GeneratedFiles,
) -> Result<(), Error> {
    files.own_dir(SERVER_DIR);
    let context = ServerContext {
        integrations: integrations
            .iter()
            .map(|integration| ServerIntegration {
                crate_name: &integration.crate_name,
                display_name: &integration.display_name,
                dir: &integration.name,
            })
            .collect(),
    };
    files.insert(
        format!("{SERVER_DIR}/Cargo.toml"),
        toml_file(&templates.render("server.Cargo.toml.j2", &context)?),
    );

    let statics = integrations
        .iter()
        .map(|integration| {
            let lib = ident(&integration.lib_name)?;
            Ok(quote!(&#lib::INTEGRATION))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let path = format!("{SERVER_DIR}/src/main.rs");
    let statics_doc = prose::outer(templates, &RustDoc::ServerIntegrations)?;
    let statics = skip_rustfmt(quote! {
        #statics_doc
        static INTEGRATIONS: &[&::mcpgen_runtime::Integration] = &[#(#statics),*];
    });
    let main = skip_rustfmt(quote! {
        fn main() -> ::std::process::ExitCode {
            ::mcpgen_hosted::main(INTEGRATIONS)
        }
    });
    let opening = prose::inner(templates, &RustDoc::ServerCrate)?;
    let main = format_file(&path, HEADER_TEXT, opening, &[statics, main])?;
    files.insert(path, main);
    Ok(())
}

fn toml_file(body: &str) -> String {
    format!("# {HEADER_TEXT}\n\n{}\n", body.trim_end())
}

fn markdown_file(body: &str) -> String {
    format!("<!-- {HEADER_TEXT} -->\n\n{}\n", body.trim_end())
}

#[derive(Serialize)]
struct CrateContext<'a> {
    crate_name: &'a str,
    display_name: &'a str,
}

#[derive(Serialize)]
struct ServerContext<'a> {
    integrations: Vec<ServerIntegration<'a>>,
}

#[derive(Serialize)]
struct ServerIntegration<'a> {
    crate_name: &'a str,
    display_name: &'a str,
    /// The crate's directory beside `mcp-server/`.
    dir: &'a str,
}

#[derive(Serialize)]
struct ReadmeContext<'a> {
    name: &'a str,
    display_name: &'a str,
    description: &'a str,
    crate_name: &'a str,
    lib_name: &'a str,
    client_type: &'a str,
    tool_count: usize,
    credentials: &'a [ir::Credential],
    /// The tags that group resources (`alerting`), not the one each resource has by its name.
    tags: Vec<ReadmeTag<'a>>,
    resources: Vec<ReadmeResource<'a>>,
}

#[derive(Serialize)]
struct ReadmeTag<'a> {
    name: &'a str,
    tool_count: usize,
    resources: Vec<&'a str>,
}

/// Each tag that groups resources, with the resources it selects, sorted by tag: every tag but
/// those a resource has by its own name alone.
fn group_tags<'a>(resources: &[ReadmeResource<'a>]) -> Vec<ReadmeTag<'a>> {
    let mut tags: std::collections::BTreeMap<&'a str, ReadmeTag<'a>> = Default::default();
    for resource in resources {
        for tag in resource.tags {
            let entry = tags.entry(tag.as_str()).or_insert_with(|| ReadmeTag {
                name: tag.as_str(),
                tool_count: 0,
                resources: Vec::new(),
            });
            entry.tool_count += resource.tools.len();
            entry.resources.push(resource.name);
        }
    }
    tags.into_values()
        .filter(|tag| tag.resources != [tag.name])
        .collect()
}

#[derive(Serialize)]
struct ReadmeResource<'a> {
    name: &'a str,
    description: &'a str,
    tags: &'a [String],
    tools: Vec<ReadmeTool<'a>>,
}

#[derive(Serialize)]
struct ReadmeTool<'a> {
    name: &'a str,
    title: &'a str,
    description: &'a str,
    /// `list`, `get`, ..., or the custom method's name.
    method: &'a str,
    verb: &'static str,
    path: String,
    /// `readOnly`, `destructive`, `idempotent`, `openWorld`: the hints that are true.
    annotations: Vec<&'static str>,
}

impl<'a> ReadmeContext<'a> {
    fn new(integration: &'a ir::Integration) -> Self {
        let resources: Vec<ReadmeResource<'a>> = integration
            .resources
            .iter()
            .map(|resource| ReadmeResource {
                name: &resource.name,
                description: &resource.description,
                tags: &resource.tags,
                tools: resource.tools.iter().map(ReadmeTool::new).collect(),
            })
            .collect();
        ReadmeContext {
            name: &integration.name,
            display_name: &integration.display_name,
            description: &integration.description,
            crate_name: &integration.crate_name,
            lib_name: &integration.lib_name,
            client_type: &integration.client_type,
            tool_count: resources.iter().map(|resource| resource.tools.len()).sum(),
            credentials: &integration.credentials,
            tags: group_tags(&resources),
            resources,
        }
    }
}

impl<'a> ReadmeTool<'a> {
    fn new(tool: &'a ir::Tool) -> Self {
        let ir::Annotations {
            read_only,
            destructive,
            idempotent,
            open_world,
        } = tool.annotations;
        let hints = [
            (read_only, "readOnly"),
            (destructive, "destructive"),
            (idempotent, "idempotent"),
            (open_world, "openWorld"),
        ];
        ReadmeTool {
            name: &tool.name,
            title: &tool.title,
            description: &tool.description,
            method: tool.method.name(),
            verb: tool.plan.verb.as_str(),
            path: tool.plan.path_template(),
            annotations: hints
                .into_iter()
                .filter(|(on, _)| *on)
                .map(|(_, name)| name)
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource<'a>(name: &'a str, tags: &'a [String], tools: usize) -> ReadmeResource<'a> {
        let tool = ReadmeTool {
            name: "t",
            title: "T",
            description: "",
            method: "list",
            verb: "GET",
            path: "/".to_owned(),
            annotations: Vec::new(),
        };
        ReadmeResource {
            name,
            description: "",
            tags,
            tools: (0..tools)
                .map(|_| ReadmeTool {
                    path: tool.path.clone(),
                    annotations: Vec::new(),
                    ..tool
                })
                .collect(),
        }
    }

    #[test]
    fn group_tags_skip_a_resource_own_name_but_keep_a_shared_one() {
        let tags = |names: &[&str]| names.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let (services, attributes, teams) = (
            tags(&["services"]),
            tags(&["service_attributes", "services"]),
            tags(&["admin", "teams"]),
        );
        let resources = [
            resource("services", &services, 2),
            resource("service_attributes", &attributes, 5),
            resource("teams", &teams, 5),
        ];
        let grouped: Vec<(&str, usize, Vec<&str>)> = group_tags(&resources)
            .into_iter()
            .map(|tag| (tag.name, tag.tool_count, tag.resources))
            .collect();
        assert_eq!(
            grouped,
            [
                ("admin", 5, vec!["teams"]),
                ("services", 7, vec!["services", "service_attributes"]),
            ]
        );
    }
}
