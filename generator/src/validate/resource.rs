//! One resource file: its names, record schema, `id`, and every method.

use crate::diagnostics::Diagnostic;
use crate::docs::{MethodDoc, ResourceDoc};
use crate::model::{MethodKind, Pagination, Resource, SchemaKind};
use crate::naming;

use super::checks::{self, path};
use super::method::{self, MethodContext, ToolSite};
use super::schema::{convert_object, join};
use super::source::Source;
use super::suggest::did_you_mean;

/// What a resource needs from its integration.
pub struct IntegrationContext<'a> {
    pub name: &'a str,
    /// `None` when the integration file is broken.
    pub pagination: Option<&'a Pagination>,
}

const STANDARD: [&str; 5] = ["list", "get", "create", "update", "delete"];

/// Validates a resource read from `<stem>.yaml`. Returns the resource (tags not yet merged with
/// `tool_tags`) and its tool names, or `None` if anything was reported.
pub fn validate(
    doc: &ResourceDoc,
    stem: &str,
    cx: &IntegrationContext<'_>,
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Resource, Vec<ToolSite>)> {
    let before = out.len();
    if checks::snake_case(src, &path(&["name"]), &doc.name, "resource name", out)
        && doc.name != stem
    {
        out.push(src.error(
            src.value(&path(&["name"])),
            format!(
                "resource name `{}` does not match its file name `{stem}`",
                doc.name
            ),
            Some(format!(
                "rename the file to `{}.yaml`, or set `name: {stem}`",
                doc.name
            )),
        ));
    }
    checks::snake_case(
        src,
        &path(&["singular"]),
        &doc.singular,
        "singular name",
        out,
    );
    checks::non_empty(
        src,
        &path(&["description"]),
        &doc.description,
        "say what the resource is in a sentence or two",
        out,
    );
    checks::tags(src, &path(&["tags"]), &doc.tags, out);

    let record = convert_object(&doc.schema, &path(&["schema"]), src, out);
    let properties = match record.as_ref().map(|r| &r.kind) {
        Some(SchemaKind::Object(object)) if !object.properties.is_empty() => Some(object),
        Some(_) => {
            out.push(src.error(
                src.key(&path(&["schema"])),
                "the record schema has no `properties`",
                Some("list the record's fields under `schema.properties`".to_owned()),
            ));
            None
        }
        None => None,
    };

    if let Some(id) = &doc.id {
        checks::non_empty(
            src,
            &path(&["id", "description"]),
            &id.description,
            "say which value callers pass as `id`",
            out,
        );
        if let Some(properties) = properties {
            match properties.properties.get(&id.field) {
                None => {
                    let hint =
                        did_you_mean(&id.field, properties.properties.keys().map(String::as_str))
                            .unwrap_or_else(|| "name a property of the record schema".to_owned());
                    out.push(src.error(
                        src.value(&path(&["id", "field"])),
                        format!(
                            "`id.field` names `{}`, which is not a record property",
                            id.field
                        ),
                        Some(hint),
                    ));
                }
                Some(field)
                    if !matches!(field.kind, SchemaKind::String { .. } | SchemaKind::Integer) =>
                {
                    out.push(src.error(
                        src.value(&path(&["id", "field"])),
                        format!("the id field `{}` must be a string or an integer", id.field),
                        Some("an id goes into the URL path".to_owned()),
                    ))
                }
                Some(_) => {}
            }
        }
    }

    let method_cx = MethodContext {
        integration: cx.name,
        default_pagination: cx.pagination,
        resource: &doc.name,
        singular: &doc.singular,
        id_field: doc.id.as_ref().map(|id| id.field.as_str()),
        record: properties,
    };
    let standard: [(MethodKind, &Option<MethodDoc>); 5] = [
        (MethodKind::List, &doc.methods.list),
        (MethodKind::Get, &doc.methods.get),
        (MethodKind::Create, &doc.methods.create),
        (MethodKind::Update, &doc.methods.update),
        (MethodKind::Delete, &doc.methods.delete),
    ];
    let mut methods = Vec::new();
    let mut tools = Vec::new();
    for ((kind, method_doc), name) in standard.into_iter().zip(STANDARD) {
        let Some(method_doc) = method_doc else {
            continue;
        };
        if let Some((method, site)) = method::validate(
            kind,
            &path(&["methods", name]),
            method_doc,
            &method_cx,
            src,
            out,
        ) {
            methods.push(method);
            tools.push(site);
        }
    }
    for (name, method_doc) in &doc.custom_methods {
        let base = path(&["custom_methods", name]);
        if STANDARD.contains(&name.as_str()) {
            out.push(src.error(
                src.key(&base),
                format!("custom method `{name}` has the name of a standard method"),
                Some(format!(
                    "move it to `methods.{name}`, or give it another name"
                )),
            ));
            continue;
        }
        if !naming::is_snake_case(name) {
            let fixed = naming::snake_case(name);
            out.push(src.error(
                src.key(&base),
                format!("custom method name `{name}` is not snake_case"),
                Some(format!(
                    "use lowercase letters, digits and single underscores: `{}`",
                    fixed.trim_matches('_')
                )),
            ));
            continue;
        }
        let kind = MethodKind::Custom(name.clone());
        if let Some((method, site)) =
            method::validate(kind, &base, method_doc, &method_cx, src, out)
        {
            methods.push(method);
            tools.push(site);
        }
    }
    if methods.is_empty() && doc.methods == Default::default() && doc.custom_methods.is_empty() {
        out.push(src.error(
            src.key(&join(&[], &["name"])),
            format!(
                "resource `{}` has no methods, so it would give no tools",
                doc.name
            ),
            Some("document at least one method under `methods` or `custom_methods`".to_owned()),
        ));
    }

    if out.len() != before {
        return None;
    }
    let record = record?;
    methods.sort_by(|a, b| a.kind.cmp(&b.kind));
    let resource = Resource {
        name: doc.name.clone(),
        singular: doc.singular.clone(),
        description: doc.description.trim().to_owned(),
        tags: doc.tags.clone(),
        id_field: doc.id.as_ref().map(|id| id.field.clone()),
        id_description: doc.id.as_ref().map(|id| id.description.trim().to_owned()),
        record,
        methods,
    };
    Some((resource, tools))
}
