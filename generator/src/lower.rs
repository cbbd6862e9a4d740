//! Lowering: the validated model becomes the tool IR, one tool per documented method.
//!
//! This is where each tool's arguments are decided (path, query, record and body fields, plus
//! `limit` and `next_cursor`), where its annotations follow from the method kind and HTTP verb,
//! where every generated name is taken from [`crate::naming`], and where the prose is rendered
//! from the templates, once, at generation time.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::Error;
use crate::ir::{self, ArgLocation, InputField, Output, OutputRecord, PaginationArg};
use crate::model::{self, HttpVerb, MethodKind, Pagination, Schema, SchemaKind};
use crate::naming;
use crate::parallel;
use crate::templates::Templates;

/// Lowers every integration; output order follows input order.
pub(crate) fn lower_all(
    integrations: &[model::Integration],
    templates: &Templates,
) -> Result<Vec<ir::Integration>, Error> {
    integrations
        .iter()
        .map(|integration| lower(integration, templates))
        .collect()
}

/// Lowers one integration.
fn lower(
    integration: &model::Integration,
    templates: &Templates,
) -> Result<ir::Integration, Error> {
    // Resources lower independently (rendering their prose is most of the work): in parallel.
    let mut resources = parallel::map(&integration.resources, |resource| {
        let tools = resource
            .methods
            .iter()
            .map(|method| lower_tool(integration, resource, method, templates))
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(ir::Resource {
            name: resource.name.clone(),
            singular: resource.singular.clone(),
            description: resource.description.clone(),
            tags: resource.tags.clone(),
            module: naming::module_name(&resource.name),
            record_type: naming::type_name(&resource.singular),
            record: resource.record.clone(),
            tools,
        })
    })
    .into_iter()
    .collect::<Result<Vec<_>, Error>>()?;
    dedupe_client_methods(&mut resources);
    Ok(ir::Integration {
        name: integration.name.clone(),
        display_name: integration.display_name.clone(),
        description: integration.description.clone(),
        base_url: integration.base_url.clone(),
        credentials: integration
            .credentials
            .iter()
            .map(|credential| ir::Credential {
                name: credential.name.clone(),
                description: credential.description.clone(),
                secret: credential.secret,
                env_var: naming::credential_env_var(&integration.name, &credential.name),
            })
            .collect(),
        auth: integration.auth.clone(),
        rate_limit: integration.rate_limit.clone(),
        error_message_path: integration.error_message_path.clone(),
        crate_name: naming::crate_name(&integration.name),
        lib_name: naming::lib_name(&integration.name),
        client_type: naming::client_type(&integration.name),
        resources,
    })
}

fn lower_tool(
    integration: &model::Integration,
    resource: &model::Resource,
    method: &model::Method,
    templates: &Templates,
) -> Result<ir::Tool, Error> {
    let name = method.tool_name.clone().unwrap_or_else(|| {
        naming::tool_name(
            &integration.name,
            &resource.name,
            &resource.singular,
            &method.kind,
            resource.id_field.is_some(),
        )
    });
    let words = Words::new(integration, resource, method);
    let inputs = inputs(resource, method, &words, templates)?;
    let pagination = match method.kind {
        MethodKind::List => method.pagination.clone(),
        _ => Pagination::None,
    };
    let (limit, next_cursor) = pagination_args(&pagination, &words, templates)?;
    let path_id = inputs
        .iter()
        .find(|field| field.location == ArgLocation::Path && field.name == "id");
    let description = templates.render_text(
        "tool_description.md.j2",
        &DescriptionContext {
            description: &method.description,
            kind: words.kind,
            verb: method.verb.as_str(),
            resource: &words.resource,
            id_description: path_id.and_then(|field| field.schema.description.as_deref()),
            paginated: next_cursor.is_some(),
        },
    )?;
    let record_id = match (&method.kind, method.body_record, path_id) {
        (MethodKind::Update, true, Some(id)) => {
            resource.id_field.clone().map(|field| ir::RecordId {
                field,
                arg: id.name.clone(),
            })
        }
        _ => None,
    };
    let tags: BTreeSet<String> = resource.tags.iter().chain(&method.tags).cloned().collect();
    Ok(ir::Tool {
        title: templates.render_text("tool_title.txt.j2", &words)?,
        description,
        method: method.kind.clone(),
        tags: tags.into_iter().collect(),
        annotations: annotations(&method.kind, method.verb),
        static_name: naming::tool_static(&name),
        plan_name: naming::plan_const(&name),
        input_type: naming::input_type(&name),
        client_method: naming::client_method(&resource.name, &resource.singular, &method.kind),
        limit,
        next_cursor,
        output: output(&name, method, &pagination, templates)?,
        plan: ir::Plan {
            verb: method.verb,
            path: method.path_segments.clone(),
            body_wrapper: method.body_wrapper.clone(),
            record_id,
            response_path: method.response_path.clone(),
            pagination,
        },
        inputs,
        name,
    })
}

/// The `limit` and `next_cursor` arguments a tool with `pagination` gets.
fn pagination_args(
    pagination: &Pagination,
    words: &Words<'_>,
    templates: &Templates,
) -> Result<(Option<PaginationArg>, Option<PaginationArg>), Error> {
    let arg = |template: &str| {
        Ok::<_, Error>(PaginationArg {
            description: templates.render_text(template, words)?,
        })
    };
    let limit = match limit_param(pagination) {
        Some(_) => Some(arg("arg_limit.txt.j2")?),
        None => None,
    };
    let next_cursor = match pagination {
        Pagination::None => None,
        _ => Some(arg("arg_next_cursor.txt.j2")?),
    };
    Ok((limit, next_cursor))
}

/// The tool's arguments: path placeholders, then query, record and body fields.
fn inputs(
    resource: &model::Resource,
    method: &model::Method,
    words: &Words<'_>,
    templates: &Templates,
) -> Result<Vec<InputField>, Error> {
    let mut fields = Vec::new();
    let path_params = match &method.path_params.kind {
        SchemaKind::Object(object) => Some(&object.properties),
        _ => None,
    };
    for placeholder in path_args(&method.path_segments) {
        let documented = path_params.and_then(|params| params.get(&placeholder));
        let (upstream, schema) = if placeholder == "id" {
            let context = IdContext {
                resource: &words.resource,
                id_field: resource.id_field.as_deref().unwrap_or("id"),
                id_description: resource.id_description.as_deref(),
            };
            let description = templates.render_text("arg_id.txt.j2", &context)?;
            (
                context.id_field.to_owned(),
                id_schema(resource, description),
            )
        } else if let Some(schema) = documented.filter(|schema| schema.description.is_some()) {
            (placeholder.clone(), schema.clone())
        } else {
            let context = PathContext {
                placeholder: &placeholder,
                path: &method.path,
            };
            let mut schema = documented
                .cloned()
                .unwrap_or_else(|| string_schema(String::new()));
            schema.description = Some(templates.render_text("arg_path.txt.j2", &context)?);
            (placeholder.clone(), schema)
        };
        fields.push(InputField {
            name: placeholder.clone(),
            upstream,
            location: ArgLocation::Path,
            schema,
            required: true,
        });
    }
    fields.extend(object_fields(&method.query, ArgLocation::Query, true));
    if method.body_record {
        let path_args: BTreeSet<String> = fields.iter().map(|field| field.name.clone()).collect();
        // A PATCH sends only what changes, so no record field is required there.
        let honour_required = method.verb != HttpVerb::Patch;
        fields.extend(
            object_fields(&resource.record, ArgLocation::Record, honour_required)
                .filter(|field| !field.schema.read_only && !path_args.contains(&field.name)),
        );
    }
    fields.extend(object_fields(&method.body, ArgLocation::Body, true));
    Ok(fields)
}

fn object_fields(
    schema: &Schema,
    location: ArgLocation,
    honour_required: bool,
) -> impl Iterator<Item = InputField> + '_ {
    let object = match &schema.kind {
        SchemaKind::Object(object) => Some(object),
        _ => None,
    };
    object.into_iter().flat_map(move |object| {
        object
            .properties
            .iter()
            .map(move |(upstream, schema)| InputField {
                name: naming::arg_name(upstream),
                upstream: upstream.clone(),
                location,
                schema: schema.clone(),
                required: honour_required && object.required.contains(upstream),
            })
    })
}

fn output(
    tool: &str,
    method: &model::Method,
    pagination: &Pagination,
    templates: &Templates,
) -> Result<Output, Error> {
    let custom = method
        .response_schema
        .as_ref()
        .map(|schema| OutputRecord::Custom {
            type_name: naming::output_type(tool, &method.kind),
            schema: schema.clone(),
        });
    Ok(match method.kind {
        MethodKind::List => Output::Page {
            record: custom.unwrap_or(OutputRecord::Resource),
            next_cursor_description: templates.render_text(
                "output_next_cursor.txt.j2",
                &PaginationContext {
                    paginated: *pagination != Pagination::None,
                },
            )?,
        },
        MethodKind::Get | MethodKind::Create | MethodKind::Update => {
            Output::Record(custom.unwrap_or(OutputRecord::Resource))
        }
        MethodKind::Delete | MethodKind::Custom(_) => match custom {
            Some(record) => Output::Record(record),
            None => Output::Raw {
                description: templates.render_text("output_raw.txt.j2", &NoContext {})?,
            },
        },
    })
}

/// Reads never change anything; creates only add; every other write may overwrite or remove,
/// so it is marked destructive (the MCP default) and clients can ask before calling it.
fn annotations(kind: &MethodKind, verb: HttpVerb) -> ir::Annotations {
    let read_only = verb == HttpVerb::Get;
    ir::Annotations {
        read_only,
        destructive: !read_only && *kind != MethodKind::Create,
        idempotent: matches!(verb, HttpVerb::Get | HttpVerb::Put | HttpVerb::Delete),
        open_world: true,
    }
}

fn limit_param(pagination: &Pagination) -> Option<&str> {
    match pagination {
        Pagination::None => None,
        Pagination::Cursor { limit_param, .. }
        | Pagination::Page { limit_param, .. }
        | Pagination::Offset { limit_param, .. }
        | Pagination::LinkHeader { limit_param } => limit_param.as_deref(),
    }
}

/// The path arguments of `path`, in order, without duplicates.
fn path_args(path: &[model::PathSegment]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for segment in path {
        if let model::PathSegment::Arg(name) = segment
            && !names.contains(name)
        {
            names.push(name.clone());
        }
    }
    names
}

/// The `id` argument takes the type of the record's id field: an integer id is an integer
/// argument (`{"id": 42}`); anything else is a string.
fn id_schema(resource: &model::Resource, description: String) -> Schema {
    let id_kind = resource
        .id_field
        .as_ref()
        .and_then(|field| match &resource.record.kind {
            SchemaKind::Object(object) => object.properties.get(field),
            _ => None,
        })
        .map(|schema| &schema.kind);
    match id_kind {
        Some(SchemaKind::Integer) => Schema {
            description: Some(description),
            kind: SchemaKind::Integer,
            read_only: false,
            examples: Vec::new(),
        },
        _ => string_schema(description),
    }
}

fn string_schema(description: String) -> Schema {
    Schema {
        description: Some(description),
        kind: SchemaKind::String {
            enum_values: Vec::new(),
            date_time: false,
        },
        read_only: false,
        examples: Vec::new(),
    }
}

/// A custom method can produce a client method name another tool already has
/// (`get` + a resource named like a singular); such a method falls back to the tool's name.
fn dedupe_client_methods(resources: &mut [ir::Resource]) {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for tool in resources.iter().flat_map(|resource| &resource.tools) {
        *counts.entry(tool.client_method.clone()).or_default() += 1;
    }
    for tool in resources
        .iter_mut()
        .flat_map(|resource| &mut resource.tools)
    {
        if counts
            .get(&tool.client_method)
            .is_some_and(|count| *count > 1)
        {
            tool.client_method = naming::fallback_client_method(&tool.name);
        }
    }
}

/// The words templates use for one tool: names as prose, not identifiers.
#[derive(Serialize)]
struct Words<'a> {
    /// `list`, `get`, `create`, `update`, `delete`, or `custom`.
    kind: &'static str,
    /// The method as words (`list`, `bulk archive`).
    method: String,
    integration: &'a str,
    /// `team`, `service account`.
    resource: String,
    /// `teams`, `service accounts`.
    resources: String,
    /// A resource without an id: there is exactly one record.
    singleton: bool,
}

impl<'a> Words<'a> {
    fn new(
        integration: &'a model::Integration,
        resource: &model::Resource,
        method: &model::Method,
    ) -> Self {
        Words {
            kind: method.kind.kind_word(),
            method: method.kind.name().replace('_', " "),
            integration: &integration.display_name,
            resource: resource.singular.replace('_', " "),
            resources: resource.name.replace('_', " "),
            singleton: resource.id_field.is_none(),
        }
    }
}

#[derive(Serialize)]
struct DescriptionContext<'a> {
    description: &'a str,
    kind: &'static str,
    verb: &'static str,
    resource: &'a str,
    id_description: Option<&'a str>,
    paginated: bool,
}

#[derive(Serialize)]
struct IdContext<'a> {
    resource: &'a str,
    id_field: &'a str,
    id_description: Option<&'a str>,
}

#[derive(Serialize)]
struct PathContext<'a> {
    placeholder: &'a str,
    path: &'a str,
}

/// The context of templates that need none.
#[derive(Serialize)]
struct NoContext {}

#[derive(Serialize)]
struct PaginationContext {
    paginated: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_args_in_order_without_duplicates() {
        use model::PathSegment::{Arg, Literal};
        let path = [
            Literal("/a/".into()),
            Arg("id".into()),
            Literal("/b/".into()),
            Arg("x".into()),
            Literal("/".into()),
            Arg("id".into()),
        ];
        assert_eq!(path_args(&path), ["id", "x"]);
        assert!(path_args(&[Literal("/a/b".into())]).is_empty());
    }

    #[test]
    fn annotations_follow_kind_and_verb() {
        let list = annotations(&MethodKind::List, HttpVerb::Get);
        assert!(list.read_only && !list.destructive && list.open_world);
        let create = annotations(&MethodKind::Create, HttpVerb::Post);
        assert!(!create.read_only && !create.destructive && !create.idempotent);
        let put = annotations(&MethodKind::Update, HttpVerb::Put);
        assert!(put.idempotent && put.destructive && !put.read_only);
        let patch = annotations(&MethodKind::Update, HttpVerb::Patch);
        assert!(!patch.idempotent);
        let delete = annotations(&MethodKind::Delete, HttpVerb::Delete);
        assert!(delete.destructive && delete.idempotent);
    }
}
