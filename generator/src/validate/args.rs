//! A tool's flat argument list: every path, query, body and record field becomes one top-level
//! argument, so two sources must never produce the same argument name or Rust field.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::Diagnostic;
use crate::model::ObjectSchema;
use crate::naming;

use super::schema::{KeyPath, join};
use super::source::Source;

/// Where an argument name comes from, for messages and hints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    /// `limit` and `next_cursor` of a paginated list.
    Pagination,
    /// `id` for the `{id}` placeholder.
    Id,
    /// "query parameter `dry_run`", ...
    Field(String),
}

impl Origin {
    fn describe(&self, arg: &str) -> String {
        match self {
            Origin::Pagination => format!("the list tool's own `{arg}` argument"),
            Origin::Id => "the `id` argument for the `{id}` placeholder".to_owned(),
            Origin::Field(field) => field.clone(),
        }
    }
}

pub(crate) struct Args<'a> {
    src: &'a Source<'a>,
    /// The method, for messages (`update`, `archive`).
    method: &'a str,
    /// Argument name -> where it came from.
    names: BTreeMap<String, Origin>,
    /// Rust field -> argument name.
    idents: BTreeMap<String, String>,
    /// Fields reported already (a parameter that pagination fills): not arguments at all.
    reported: BTreeSet<KeyPath>,
}

impl<'a> Args<'a> {
    pub(crate) fn new(src: &'a Source<'a>, method: &'a str) -> Self {
        Self {
            src,
            method,
            names: BTreeMap::new(),
            idents: BTreeMap::new(),
            reported: BTreeSet::new(),
        }
    }

    /// Leaves the field at `key` out: it was reported for another reason, and one field gets
    /// one diagnostic.
    pub(crate) fn already_reported(&mut self, key: KeyPath) {
        self.reported.insert(key);
    }

    /// An argument the tool always has; added before any field so fields collide with it.
    pub(crate) fn reserve(&mut self, arg: &str, origin: Origin) {
        self.idents.insert(naming::rust_field(arg), arg.to_owned());
        self.names.insert(arg.to_owned(), origin);
    }

    /// Adds every property of `fields` (found under `path` in the file) as `what`
    /// ("query parameter"), reporting collisions at the property's key.
    pub(crate) fn add_fields(
        &mut self,
        path: &[String],
        fields: &ObjectSchema,
        what: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        for upstream in fields.properties.keys() {
            let key = join(path, &[upstream]);
            if self.reported.contains(&key) {
                continue;
            }
            let pos = self.src.key(&key);
            let arg = naming::arg_name(upstream);
            let origin = Origin::Field(format!("{what} `{upstream}`"));
            if let Some(first) = self.names.get(&arg) {
                let hint = match first {
                    Origin::Pagination => "list tools page with `limit` and `next_cursor`; remove this field, or set \
                                           `pagination: none` on this method if it does not page"
                        .to_owned(),
                    Origin::Id => "`id` fills the `{id}` placeholder; remove this field, or mark it `readOnly: true` \
                                   if the upstream sets it"
                        .to_owned(),
                    Origin::Field(_) => "a tool takes one flat set of arguments; remove one of the two, or make a \
                                         custom method for the other"
                        .to_owned(),
                };
                let message = format!(
                    "argument `{arg}` of `{}` would come from both {} and {}",
                    self.method,
                    first.describe(&arg),
                    origin.describe(&arg)
                );
                out.push(self.src.error(pos, message, Some(hint)));
                continue;
            }
            let ident = naming::rust_field(&arg);
            if let Some(other) = self.idents.get(&ident) {
                out.push(self.src.error(
                    pos,
                    format!("arguments `{other}` and `{arg}` of `{}` would both become the Rust field `{ident}`", self.method),
                    Some("keep only one of them; the generated input type cannot hold both".to_owned()),
                ));
                continue;
            }
            self.idents.insert(ident, arg.clone());
            self.names.insert(arg, origin);
        }
    }
}
