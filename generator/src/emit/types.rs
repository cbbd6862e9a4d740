//! Rust types from schemas: record structs, nested structs, string enums and tool inputs.
//!
//! Two kinds of struct, on purpose. Records (and everything nested in them) are lenient: every
//! field is `Option`, unknown fields are kept in a flattened `extra` map, and enums keep unknown
//! values, because a reply must never be filtered or rejected for being newer than the docs.
//! Tool inputs are strict: `deny_unknown_fields`, required fields are not `Option`, so a
//! misspelt or missing argument is an error that names it before any upstream call.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::prose::{self, Origin, RustDoc};
use super::rust::{DistinctNames, doc, ident, str_lit};
use crate::error::Error;
use crate::ir::{self, ArgLocation};
use crate::model::{ObjectSchema, Schema, SchemaKind};
use crate::naming;
use crate::templates::Templates;

/// The types of one Rust module (one resource), in the order they are emitted.
#[derive(Debug)]
pub(crate) struct ModuleTypes<'t> {
    items: Vec<TokenStream>,
    names: DistinctNames,
    templates: &'t Templates,
    /// The docs of every lenient struct's `extra` field and lenient enum's `Other` variant.
    extra_doc: TokenStream,
    other_doc: TokenStream,
}

/// The Rust type of each top-level record property, by upstream name, without the `Option`.
pub(crate) type FieldTypes = BTreeMap<String, TokenStream>;

impl<'t> ModuleTypes<'t> {
    /// The types of the module `module`, none emitted yet.
    pub(crate) fn new(module: &str, templates: &'t Templates) -> Result<Self, Error> {
        Ok(ModuleTypes {
            items: Vec::new(),
            names: DistinctNames::new(format!("module `{module}`")),
            templates,
            extra_doc: prose::outer(templates, &RustDoc::ExtraField)?,
            other_doc: prose::outer(templates, &RustDoc::OtherVariant)?,
        })
    }

    /// Claims names the IR already chose (record, inputs, outputs) before any nested type can.
    pub(crate) fn reserve(&mut self, name: &str) -> Result<(), Error> {
        self.names.claim(name)
    }

    /// Takes the items emitted so far, leaving names reserved.
    pub(crate) fn drain(&mut self) -> Vec<TokenStream> {
        std::mem::take(&mut self.items)
    }

    /// Emits a lenient type named `name` (already reserved) for `schema`: a struct for an
    /// object, an enum for a string enum, a type alias otherwise. Returns the Rust type of each
    /// top-level property.
    pub(crate) fn record(
        &mut self,
        name: &str,
        schema: &Schema,
        fallback_doc: &RustDoc<'_>,
    ) -> Result<FieldTypes, Error> {
        let description = self.description(schema, fallback_doc)?;
        match &schema.kind {
            SchemaKind::Object(object) => self.record_struct(name, object, &description),
            SchemaKind::String { enum_values, .. } if !enum_values.is_empty() => {
                self.string_enum(name, enum_values, &description, Strictness::Output)?;
                Ok(FieldTypes::new())
            }
            _ => {
                let type_ident = ident(name)?;
                let origin = Origin::of_type(name);
                let ty = self.rust_type(schema, name, origin, Strictness::Output)?;
                let docs = doc(&description);
                self.items.push(quote!(#docs pub type #type_ident = #ty;));
                Ok(FieldTypes::new())
            }
        }
    }

    /// Emits the strict input struct of a tool. `record_fields` resolves `Record` arguments to
    /// the record's own field types.
    pub(crate) fn input(
        &mut self,
        tool: &ir::Tool,
        record_fields: &FieldTypes,
    ) -> Result<(), Error> {
        let slot = self.reserve_slot();
        let mut fields = Vec::new();
        let mut idents = DistinctNames::new(format!("the fields of `{}`", tool.input_type));
        for input in &tool.inputs {
            let ty = match (input.location, record_fields.get(&input.upstream)) {
                (ArgLocation::Record, Some(ty)) => ty.clone(),
                _ => {
                    let name = naming::nested_type(&tool.input_type, &input.name);
                    let origin = Origin::argument(&input.name, &tool.name);
                    self.rust_type(&input.schema, &name, origin, Strictness::Input)?
                }
            };
            let description = input.schema.description.as_deref().unwrap_or_default();
            fields.push(input_field(
                &mut idents,
                &input.name,
                ty,
                input.required,
                description,
            )?);
        }
        if let Some(limit) = &tool.limit {
            fields.push(input_field(
                &mut idents,
                "limit",
                quote!(u64),
                false,
                &limit.description,
            )?);
        }
        if let Some(cursor) = &tool.next_cursor {
            fields.push(input_field(
                &mut idents,
                "next_cursor",
                quote!(String),
                false,
                &cursor.description,
            )?);
        }
        let derive_default = !tool.inputs.iter().any(|input| input.required);
        let default = derive_default.then(|| quote!(Default,));
        let name = ident(&tool.input_type)?;
        let docs = prose::outer(self.templates, &RustDoc::Input { tool: &tool.name })?;
        self.items[slot] = quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
            #[serde(deny_unknown_fields)]
            pub struct #name { #(#fields)* }
        };
        Ok(())
    }

    fn record_struct(
        &mut self,
        name: &str,
        object: &ObjectSchema,
        description: &str,
    ) -> Result<FieldTypes, Error> {
        let slot = self.reserve_slot();
        let mut field_types = FieldTypes::new();
        let mut fields = Vec::new();
        let mut idents = DistinctNames::new(format!("the fields of `{name}`"));
        for (upstream, schema) in &object.properties {
            let origin = Origin::property(upstream, name);
            let ty = self.rust_type(
                schema,
                &naming::nested_type(name, upstream),
                origin,
                Strictness::Output,
            )?;
            let field = claimed_ident(&mut idents, &naming::rust_field(upstream))?;
            let rename = (field != upstream.as_str())
                .then(|| str_lit(upstream))
                .transpose()?
                .map(|lit| quote!(rename = #lit,));
            let docs = doc(schema.description.as_deref().unwrap_or_default());
            fields.push(quote! {
                #docs
                #[serde(#rename default, skip_serializing_if = "Option::is_none")]
                pub #field: Option<#ty>,
            });
            field_types.insert(upstream.clone(), ty);
        }
        let extra = claimed_ident(&mut idents, naming::EXTRA_FIELD)?;
        let type_ident = ident(name)?;
        let docs = doc(description);
        let extra_doc = &self.extra_doc;
        self.items[slot] = quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, Default, ::serde::Serialize, ::serde::Deserialize)]
            pub struct #type_ident {
                #(#fields)*
                #extra_doc
                #[serde(flatten)]
                pub #extra: ::serde_json::Map<String, ::serde_json::Value>,
            }
        };
        Ok(field_types)
    }

    /// The Rust type of `schema`; nested objects and enums become types named from `hint`.
    /// `origin` says where the type is used, for the docs of types without a description.
    fn rust_type(
        &mut self,
        schema: &Schema,
        hint: &str,
        origin: Origin<'_>,
        strictness: Strictness,
    ) -> Result<TokenStream, Error> {
        Ok(match &schema.kind {
            SchemaKind::String { enum_values, .. } if !enum_values.is_empty() => {
                let name = claimed_ident(&mut self.names, hint)?;
                let description = self.description(schema, &RustDoc::Values { origin })?;
                self.string_enum(hint, enum_values, &description, strictness)?;
                quote!(#name)
            }
            SchemaKind::String { .. } => quote!(String),
            SchemaKind::Integer => quote!(i64),
            SchemaKind::Number => quote!(f64),
            SchemaKind::Boolean => quote!(bool),
            SchemaKind::Array(items) => {
                let item =
                    self.rust_type(items, &naming::item_type(hint), origin.item(), strictness)?;
                quote!(Vec<#item>)
            }
            SchemaKind::Object(object) if object.properties.is_empty() => {
                quote!(::serde_json::Map<String, ::serde_json::Value>)
            }
            SchemaKind::Object(object) => {
                let name = claimed_ident(&mut self.names, hint)?;
                let description = self.description(schema, &RustDoc::Nested { origin })?;
                self.record_struct(hint, object, &description)?;
                quote!(#name)
            }
            SchemaKind::Any => quote!(::serde_json::Value),
        })
    }

    /// A string enum. Output enums keep values the docs do not list (`Other`), so a newer
    /// upstream never breaks a reply; input enums reject them, so a wrong argument is an error
    /// that lists the allowed values before any upstream call.
    fn string_enum(
        &mut self,
        name: &str,
        values: &[String],
        description: &str,
        strictness: Strictness,
    ) -> Result<(), Error> {
        let mut variant_names = DistinctNames::new(format!("the variants of `{name}`"));
        let mut variants = Vec::with_capacity(values.len());
        for value in values {
            let variant = claimed_ident(&mut variant_names, &naming::variant_name(value))?;
            let lit = str_lit(value)?;
            variants.push(quote!(#[serde(rename = #lit)] #variant,));
        }
        let type_ident = ident(name)?;
        let docs = doc(description);
        self.items.push(match strictness {
            Strictness::Output => {
                let other = claimed_ident(&mut variant_names, naming::OTHER_VARIANT)?;
                let other_doc = &self.other_doc;
                quote! {
                    #docs
                    #[derive(Debug, Clone, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
                    pub enum #type_ident {
                        #(#variants)*
                        #other_doc
                        #[serde(untagged)]
                        #other(String),
                    }
                }
            }
            Strictness::Input => quote! {
                #docs
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
                pub enum #type_ident {
                    #(#variants)*
                }
            },
        });
        Ok(())
    }

    /// The schema's own description, or the rendered `fallback` when it has none.
    fn description(&self, schema: &Schema, fallback: &RustDoc<'_>) -> Result<String, Error> {
        match &schema.description {
            Some(description) => Ok(description.clone()),
            None => prose::text(self.templates, fallback),
        }
    }

    /// Keeps a parent type ahead of the nested types its fields create.
    fn reserve_slot(&mut self) -> usize {
        self.items.push(TokenStream::new());
        self.items.len() - 1
    }
}

/// Whether a type describes what the upstream sends (lenient) or what a caller sends (strict).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strictness {
    Output,
    Input,
}

/// Claims `name` in `names` and makes it an identifier.
fn claimed_ident(names: &mut DistinctNames, name: &str) -> Result<proc_macro2::Ident, Error> {
    names.claim(name)?;
    ident(name)
}

fn input_field(
    idents: &mut DistinctNames,
    name: &str,
    ty: TokenStream,
    required: bool,
    description: &str,
) -> Result<TokenStream, Error> {
    let field = claimed_ident(idents, &naming::rust_field(name))?;
    let rename = (field != name)
        .then(|| str_lit(name))
        .transpose()?
        .map(|lit| quote!(rename = #lit));
    let docs = doc(description);
    Ok(if required {
        let attr = rename.map(|rename| quote!(#[serde(#rename)]));
        quote!(#docs #attr pub #field: #ty,)
    } else {
        let rename = rename.map(|rename| quote!(#rename,));
        quote! {
            #docs
            #[serde(#rename default, skip_serializing_if = "Option::is_none")]
            pub #field: Option<#ty>,
        }
    })
}
