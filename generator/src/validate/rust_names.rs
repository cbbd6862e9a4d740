//! The Rust names of one resource module, checked before anything is emitted: the module's
//! type names, the fields of each struct and the variants of each enum.
//!
//! The emitters name every item with the same [`naming`] functions, walking the same schemas
//! (records and nested objects become lenient structs with an `extra` field, string enums
//! become enums, lenient ones with an `Other` variant, each nested type is named after its
//! parent and property). So a module that passes here never declares a name twice, and the
//! emitters never have to rename anything. Tool arguments (the fields of input structs) are
//! checked where they are collected, in [`super::args`].

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::Diagnostic;
use crate::load::yaml::Pos;
use crate::model::{Method, MethodKind, ObjectSchema, Resource, Schema, SchemaKind};
use crate::naming;

use super::method::ToolSite;
use super::schema::{KeyPath, join};
use super::source::Source;

const TYPE_HINT: &str = "Rust type names come from the resource, tool and property names; give \
                         the method a `tool_name`, or describe one of the two as `{}` (any JSON \
                         value) so that it needs no type of its own";

/// Checks the module of `resource`, whose methods became the tools `sites` (in the same order).
pub(crate) fn check(
    resource: &Resource,
    sites: &[ToolSite],
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let record_type = naming::type_name(&resource.singular);
    let mut module = Module {
        src,
        out,
        types: BTreeMap::new(),
    };
    // The names the emitters reserve before any nested type is named.
    module.claim_type(
        &record_type,
        format!("the `{}` record", resource.singular),
        src.value(&["singular"]),
    );
    // Two tools named alike are reported as such (`duplicate_tools`), not type by type.
    let mut statics = BTreeSet::new();
    let tools: Vec<Tool<'_>> = resource
        .methods
        .iter()
        .zip(sites)
        .filter(|(_, site)| statics.insert(naming::tool_static(&site.name)))
        .map(|(method, site)| Tool::new(method, site))
        .collect();
    for tool in &tools {
        module.claim_type(
            &tool.input_type,
            format!("the arguments of `{}`", tool.name),
            src.key(&tool.base),
        );
        if tool.method.response_schema.is_some() {
            module.claim_type(
                &tool.output_type,
                format!("what `{}` returns", tool.name),
                src.key(&join(&tool.base, &["response_schema"])),
            );
        }
    }
    // Then what the schemas need, in the order they are emitted.
    if let SchemaKind::Object(record) = &resource.record.kind {
        module.struct_fields(record, &record_type, &["schema".to_owned()]);
    }
    for tool in &tools {
        module.input_types(tool);
        if let Some(schema) = &tool.method.response_schema {
            module.output_types(tool, schema);
        }
    }
}

/// One tool of the module and the names the emitters give it.
struct Tool<'a> {
    method: &'a Method,
    name: &'a str,
    /// The method's key path in the file.
    base: KeyPath,
    input_type: String,
    output_type: String,
}

impl<'a> Tool<'a> {
    fn new(method: &'a Method, site: &'a ToolSite) -> Self {
        let base = match &method.kind {
            MethodKind::Custom(name) => vec!["custom_methods".to_owned(), name.clone()],
            standard => vec!["methods".to_owned(), standard.name().to_owned()],
        };
        Tool {
            method,
            name: &site.name,
            base,
            input_type: naming::input_type(&site.name),
            output_type: naming::output_type(&site.name, &method.kind),
        }
    }
}

/// The types named so far in one module, and where problems go.
struct Module<'a, 'o> {
    src: &'a Source<'a>,
    out: &'o mut Vec<Diagnostic>,
    /// Type name -> what it is for ("property `owner` of `Team`").
    types: BTreeMap<String, String>,
}

impl Module<'_, '_> {
    fn claim_type(&mut self, name: &str, what: String, pos: Pos) {
        if let Some(first) = self.types.get(name) {
            let message = format!("{first} and {what} would both become the Rust type `{name}`");
            let error = self.src.error(pos, message, Some(TYPE_HINT.to_owned()));
            self.out.push(error);
        } else {
            self.types.insert(name.to_owned(), what);
        }
    }

    /// The types of a tool's path, query and body arguments (record fields reuse the record's
    /// types). Top-level argument enums are strict: they have no `Other` variant.
    fn input_types(&mut self, tool: &Tool<'_>) {
        let method = tool.method;
        for (key, schema) in [
            ("path_schema", &method.path_params),
            ("query_schema", &method.query),
            ("body_schema", &method.body),
        ] {
            let SchemaKind::Object(object) = &schema.kind else {
                continue;
            };
            for (upstream, property) in &object.properties {
                let arg = naming::arg_name(upstream);
                self.schema_types(
                    property,
                    &naming::nested_type(&tool.input_type, &arg),
                    &format!("argument `{arg}` of `{}`", tool.name),
                    &join(&tool.base, &[key, "properties", upstream]),
                    Strictness::Input,
                );
            }
        }
    }

    /// The types of a `response_schema`: a struct or an enum under the output's own name, or a
    /// type alias whose items may need types.
    fn output_types(&mut self, tool: &Tool<'_>, schema: &Schema) {
        let path = join(&tool.base, &["response_schema"]);
        let name = &tool.output_type;
        match &schema.kind {
            SchemaKind::Object(object) => self.struct_fields(object, name, &path),
            SchemaKind::String { enum_values, .. } if !enum_values.is_empty() => {
                self.variants(enum_values, name, &path, Strictness::Output);
            }
            _ => self.schema_types(
                schema,
                name,
                &format!("what `{}` returns", tool.name),
                &path,
                Strictness::Output,
            ),
        }
    }

    /// The types `schema` (at `path`) needs when its own type would be named `name`.
    fn schema_types(
        &mut self,
        schema: &Schema,
        name: &str,
        what: &str,
        path: &[String],
        strictness: Strictness,
    ) {
        match &schema.kind {
            SchemaKind::String { enum_values, .. } if !enum_values.is_empty() => {
                self.claim_type(name, what.to_owned(), self.src.key(path));
                self.variants(enum_values, name, path, strictness);
            }
            SchemaKind::Array(items) => self.schema_types(
                items,
                &naming::item_type(name),
                &format!("the items of {what}"),
                &join(path, &["items"]),
                strictness,
            ),
            SchemaKind::Object(object) if !object.properties.is_empty() => {
                self.claim_type(name, what.to_owned(), self.src.key(path));
                self.struct_fields(object, name, path);
            }
            _ => {}
        }
    }

    /// The fields of the lenient struct `name` for `object` (at `path`), and their types.
    fn struct_fields(&mut self, object: &ObjectSchema, name: &str, path: &[String]) {
        let mut fields: BTreeMap<String, &str> = BTreeMap::new();
        for (property, schema) in &object.properties {
            let key = join(path, &["properties", property]);
            self.schema_types(
                schema,
                &naming::nested_type(name, property),
                &format!("property `{property}` of `{name}`"),
                &key,
                Strictness::Output,
            );
            let field = naming::rust_field(property);
            let problem = if field == naming::EXTRA_FIELD {
                Some((
                    format!(
                        "property `{property}` of `{name}` would become the Rust field `{field}`, \
                         which holds the fields the docs do not describe"
                    ),
                    format!(
                        "leave `{property}` out of `properties`: the upstream's value still \
                         reaches callers through `{field}`"
                    ),
                ))
            } else {
                fields.get(&field).map(|first| {
                    (
                        format!(
                            "properties `{first}` and `{property}` of `{name}` would both become \
                             the Rust field `{field}`"
                        ),
                        format!(
                            "a struct cannot hold both; leave one of them out of `properties`: \
                             its value still reaches callers through `{}`",
                            naming::EXTRA_FIELD
                        ),
                    )
                })
            };
            match problem {
                Some((message, hint)) => {
                    let error = self.src.error(self.src.key(&key), message, Some(hint));
                    self.out.push(error);
                }
                None => {
                    fields.insert(field, property);
                }
            }
        }
    }

    /// The variants of the enum `name` for `values` (the `enum` at `path`).
    fn variants(&mut self, values: &[String], name: &str, path: &[String], strictness: Strictness) {
        let mut variants: BTreeMap<String, &str> = BTreeMap::new();
        for (i, value) in values.iter().enumerate() {
            let variant = naming::variant_name(value);
            let pos = self.src.value(&join(path, &["enum", &i.to_string()]));
            let problem = if strictness == Strictness::Output && variant == naming::OTHER_VARIANT {
                Some((
                    format!(
                        "enum value `{value}` of `{name}` would become the variant `{variant}`, \
                         which holds the values the docs do not list"
                    ),
                    format!(
                        "leave `{value}` out of `enum`: it still reaches callers, as `{variant}`"
                    ),
                ))
            } else {
                variants.get(&variant).map(|first| {
                    (
                        format!(
                            "enum values `{first}` and `{value}` of `{name}` would both become \
                             the variant `{variant}`"
                        ),
                        "list one spelling of each value; a Rust enum cannot tell these apart"
                            .to_owned(),
                    )
                })
            };
            match problem {
                Some((message, hint)) => {
                    let error = self.src.error(pos, message, Some(hint));
                    self.out.push(error);
                }
                None => {
                    variants.insert(variant, value);
                }
            }
        }
    }
}

/// Whether an enum keeps unlisted values (`Other`): everything but top-level tool arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strictness {
    Output,
    Input,
}
