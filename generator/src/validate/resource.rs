//! One resource file: its names, record schema, `id`, and every method.

use crate::diagnostics::Diagnostic;
use crate::docs::{IdDoc, MethodDoc, ResourceDoc};
use crate::model::{
    Credential, Method, MethodKind, ObjectSchema, Pagination, Resource, Schema, SchemaKind,
};
use crate::naming;

use super::checks::{self, path};
use super::method::{self, MethodContext, ToolSite};
use super::rust_names;
use super::schema::{KeyPath, convert_object, join};
use super::source::Source;
use super::suggest::did_you_mean;

/// What a resource needs from its integration.
pub(crate) struct IntegrationContext<'a> {
    pub(crate) name: &'a str,
    /// `None` when the integration file is broken.
    pub(crate) pagination: Option<&'a Pagination>,
    /// `None` when the integration file is broken.
    pub(crate) credentials: Option<&'a [Credential]>,
}

/// Validates a resource read from `<stem>.yaml`. Returns the resource (tags not yet merged with
/// `tool_tags`) and its tool names, or `None` if anything was reported.
pub(crate) fn validate(
    doc: &ResourceDoc,
    stem: &str,
    cx: &IntegrationContext<'_>,
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Resource, Vec<ToolSite>)> {
    let before = out.len();
    check_names_and_prose(doc, stem, src, out);
    let record = convert_object(&doc.schema, &path(&["schema"]), src, out);
    let properties = record_properties(record.as_ref(), src, out);
    if let (Some(id), Some(properties)) = (&doc.id, properties) {
        check_id_field(id, properties, src, out);
    }
    let method_cx = MethodContext {
        integration: cx.name,
        default_pagination: cx.pagination,
        resource: &doc.name,
        singular: &doc.singular,
        id_field: doc.id.as_ref().map(|id| id.field.as_str()),
        record: properties,
        credentials: cx.credentials,
    };
    let (methods, tools) = methods(doc, &method_cx, src, out);
    debug_assert!(methods.is_sorted_by(|a, b| a.kind < b.kind));
    let resource = Resource {
        name: doc.name.clone(),
        singular: doc.singular.clone(),
        description: doc.description.trim().to_owned(),
        tags: doc.tags.clone(),
        id_field: doc.id.as_ref().map(|id| id.field.clone()),
        id_description: doc.id.as_ref().map(|id| id.description.trim().to_owned()),
        record: record?,
        methods,
    };
    rust_names::check(&resource, &tools, src, out);
    (out.len() == before).then_some((resource, tools))
}

/// The resource's own names (snake_case, matching the file), description and tags.
fn check_names_and_prose(
    doc: &ResourceDoc,
    stem: &str,
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) {
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
}

/// The record schema's properties; a record without any is reported.
fn record_properties<'r>(
    record: Option<&'r Schema>,
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<&'r ObjectSchema> {
    match record.map(|r| &r.kind) {
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
    }
}

/// `id:` says how callers fill `id` and names a string or integer record property.
fn check_id_field(
    id: &IdDoc,
    properties: &ObjectSchema,
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) {
    checks::non_empty(
        src,
        &path(&["id", "description"]),
        &id.description,
        "say which value callers pass as `id`",
        out,
    );
    match properties.properties.get(&id.field) {
        None => {
            let hint = did_you_mean(&id.field, properties.properties.keys().map(String::as_str))
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
        Some(field) if !matches!(field.kind, SchemaKind::String { .. } | SchemaKind::Integer) => {
            out.push(src.error(
                src.value(&path(&["id", "field"])),
                format!("the id field `{}` must be a string or an integer", id.field),
                Some("an id goes into the URL path".to_owned()),
            ))
        }
        Some(_) => {}
    }
}

/// Every documented method and the tool each becomes, in their sorted order: the standard
/// kinds, then custom methods by name.
fn methods(
    doc: &ResourceDoc,
    cx: &MethodContext<'_>,
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) -> (Vec<Method>, Vec<ToolSite>) {
    let standard: [&Option<MethodDoc>; 5] = [
        &doc.methods.list,
        &doc.methods.get,
        &doc.methods.create,
        &doc.methods.update,
        &doc.methods.delete,
    ];
    let mut validated = Vec::new();
    for (kind, method_doc) in MethodKind::STANDARD.into_iter().zip(standard) {
        if let Some(method_doc) = method_doc {
            let base = path(&["methods", kind.name()]);
            validated.extend(method::validate(kind, &base, method_doc, cx, src, out));
        }
    }
    for (name, method_doc) in &doc.custom_methods {
        let base = path(&["custom_methods", name]);
        if custom_method_name(name, &base, src, out) {
            let kind = MethodKind::Custom(name.clone());
            validated.extend(method::validate(kind, &base, method_doc, cx, src, out));
        }
    }
    if validated.is_empty() && doc.methods == Default::default() && doc.custom_methods.is_empty() {
        out.push(src.error(
            src.key(&join(&[], &["name"])),
            format!(
                "resource `{}` has no methods, so it would give no tools",
                doc.name
            ),
            Some("document at least one method under `methods` or `custom_methods`".to_owned()),
        ));
    }
    validated.into_iter().unzip()
}

/// A custom method's name is snake_case and not a standard kind's.
fn custom_method_name(
    name: &str,
    base: &KeyPath,
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) -> bool {
    if MethodKind::STANDARD.iter().any(|kind| kind.name() == name) {
        out.push(src.error(
            src.key(base),
            format!("custom method `{name}` has the name of a standard method"),
            Some(format!(
                "move it to `methods.{name}`, or give it another name"
            )),
        ));
        return false;
    }
    if !naming::is_snake_case(name) {
        let fixed = naming::suggested_snake_case(name);
        out.push(src.error(
            src.key(base),
            format!("custom method name `{name}` is not snake_case"),
            Some(format!(
                "use lowercase letters, digits and single underscores: `{}`",
                fixed.trim_matches('_')
            )),
        ));
        return false;
    }
    true
}
