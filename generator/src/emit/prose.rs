//! The doc comments of generated Rust: one typed context per kind of item, rendered from
//! `templates/rust_docs.md.j2`. The emitters decide where a doc goes; its words are in the
//! template.

use proc_macro2::TokenStream;
use serde::Serialize;

use super::rust;
use crate::error::Error;
use crate::templates::Templates;

/// The template every doc comment comes from.
const TEMPLATE: &str = "rust_docs.md.j2";

/// One doc comment, by the item it documents (the template's `item`).
#[derive(Debug, Serialize)]
#[serde(tag = "item", rename_all = "snake_case")]
pub(crate) enum RustDoc<'a> {
    /// An integration crate's `lib.rs`.
    Crate {
        display_name: &'a str,
        description: &'a str,
        client_type: &'a str,
    },
    /// A resource's module.
    Module {
        display_name: &'a str,
        /// The resource's plural name as words (`service accounts`).
        resources: String,
        description: &'a str,
    },
    /// A resource's record struct whose schema has no description.
    Record {
        /// The singular name as words (`service account`).
        resource: String,
    },
    /// A tool's custom output type whose schema has no description.
    Output { tool: &'a str },
    /// A tool's input struct.
    Input { tool: &'a str },
    /// A tool's `RequestPlan` const.
    Plan { tool: &'a str },
    /// A tool's `Tool` static.
    Tool { tool: &'a str, title: &'a str },
    /// The `INTEGRATION` static.
    Integration { display_name: &'a str },
    /// The typed client struct.
    Client { display_name: &'a str },
    /// The typed client's `new`.
    ClientNew,
    /// The typed client's `upstream`.
    ClientUpstream,
    /// One method of the typed client.
    ClientMethod {
        tool: &'a str,
        title: &'a str,
        description: &'a str,
    },
    /// The `extra` field of a lenient struct.
    ExtraField,
    /// The `Other` variant of a lenient enum.
    OtherVariant,
    /// A string enum whose schema has no description.
    Values { origin: Origin<'a> },
    /// A nested struct whose schema has no description.
    Nested { origin: Origin<'a> },
    /// The `mcp-server` binary's `main.rs`.
    ServerCrate,
    /// The `mcp-server` binary's list of integrations.
    ServerIntegrations,
}

/// Where a nested type is used, for the docs of types whose schema has no description:
/// "an item of `tags` of \[`Team`\]".
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct Origin<'a> {
    /// How many arrays deep the type is ("an item of" each).
    items: usize,
    /// The property or argument, if the type belongs to one.
    field: Option<&'a str>,
    /// The type or tool the field belongs to.
    owner: &'a str,
    /// Whether `owner` is a Rust type (linked) rather than a tool name.
    owner_is_type: bool,
}

impl<'a> Origin<'a> {
    /// The property `field` of the Rust type `owner`.
    pub(crate) fn property(field: &'a str, owner: &'a str) -> Self {
        Origin {
            items: 0,
            field: Some(field),
            owner,
            owner_is_type: true,
        }
    }

    /// The argument `field` of the tool `tool`.
    pub(crate) fn argument(field: &'a str, tool: &'a str) -> Self {
        Origin {
            items: 0,
            field: Some(field),
            owner: tool,
            owner_is_type: false,
        }
    }

    /// The Rust type `name` itself.
    pub(crate) fn of_type(name: &'a str) -> Self {
        Origin {
            items: 0,
            field: None,
            owner: name,
            owner_is_type: true,
        }
    }

    /// An item of an array used here.
    pub(crate) fn item(self) -> Self {
        Origin {
            items: self.items + 1,
            ..self
        }
    }
}

/// The text of `doc`.
pub(crate) fn text(templates: &Templates, doc: &RustDoc<'_>) -> Result<String, Error> {
    templates.render_text(TEMPLATE, doc)
}

/// `doc` as outer doc attributes (`///`).
pub(crate) fn outer(templates: &Templates, doc: &RustDoc<'_>) -> Result<TokenStream, Error> {
    Ok(rust::doc(&text(templates, doc)?))
}

/// `doc` as inner doc attributes (`//!`), for a file's opening paragraph.
pub(crate) fn inner(templates: &Templates, doc: &RustDoc<'_>) -> Result<TokenStream, Error> {
    Ok(rust::inner_doc(&text(templates, doc)?))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The docs of undescribed nested types read as the emitters once wrote them by hand.
    #[test]
    fn origins_read_as_english() {
        let templates = Templates::embedded().unwrap();
        let render = |doc: RustDoc<'_>| text(&templates, &doc).unwrap();
        let cases = [
            (
                RustDoc::Values {
                    origin: Origin::property("status", "Team"),
                },
                "The values of `status` of [`Team`].",
            ),
            (
                RustDoc::Values {
                    origin: Origin::argument("sort", "list_x").item(),
                },
                "The values of an item of `sort` of `list_x`.",
            ),
            (
                RustDoc::Nested {
                    origin: Origin::property("labels", "Pet").item(),
                },
                "An item of `labels` of [`Pet`].",
            ),
            (
                RustDoc::Nested {
                    origin: Origin::property("owner", "Team"),
                },
                "`owner` of [`Team`].",
            ),
            (
                RustDoc::Nested {
                    origin: Origin::of_type("XOutput").item().item(),
                },
                "An item of an item of [`XOutput`].",
            ),
        ];
        for (doc, expected) in cases {
            assert_eq!(render(doc), expected);
        }
    }
}
