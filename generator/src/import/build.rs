//! Building one resource doc from a group of operations: the record schema (from the list's
//! items, else the `get` reply, else a create/update body), the `id`, and each method's path,
//! parameters, body and reply, with the wrappers and pagination `detect` finds. Arguments that
//! would collide in the generated tool are settled here too, so the doc passes validation.

use std::collections::{BTreeMap, BTreeSet};

use super::detect::{self, Paging, Placement};
use super::group::{Group, Slot, is_param};
use super::naming::{self as names, ResourceNames};
use super::operation::{Operation, ParamIn, SpecSchema, Unmapped, Verb};
use super::refs::Refs;
use super::schema::Converter;
use crate::docs::{IdDoc, MethodDoc, MethodsDoc, ResourceDoc, SchemaDoc, SchemaTypeDoc};
use crate::error::Error;
use crate::naming;

/// A resource doc and what building it found.
#[derive(Debug)]
pub(crate) struct Built {
    pub(crate) doc: ResourceDoc,
    /// The list method's pagination, `Some(None)` for a list that does not page.
    pub(crate) list_paging: Option<Option<Paging>>,
    pub(crate) notes: Vec<String>,
    pub(crate) unmapped: Vec<Unmapped>,
}

/// What every resource needs to know.
pub(crate) struct Context<'r, 's> {
    pub(crate) refs: &'r Refs<'s>,
    pub(crate) converter: Converter<'r, 's>,
}

/// What building one method needs to know.
struct MethodSite<'a> {
    group: &'a Group,
    names: &'a ResourceNames,
    slot: Slot,
    op: &'a Operation,
    /// The record schema's identity (the pointer its `$ref`s lead to).
    identity: Option<&'a str>,
    /// The resource's last path word, singular: what a wrapper key is named like.
    hint: &'a str,
}

/// One method under construction: its slot, name and doc.
struct Draft {
    slot: Slot,
    name: Option<String>,
    doc: MethodDoc,
    op: Operation,
}

impl Context<'_, '_> {
    /// The resource doc of `group`, or `None` when none of its operations could be mapped
    /// (each is then in `unmapped`).
    pub(crate) fn resource(
        &mut self,
        group: &Group,
        names: &ResourceNames,
    ) -> Result<Built, Error> {
        let mut built = Built {
            doc: ResourceDoc {
                name: names.name.clone(),
                singular: names.singular.clone(),
                description: String::new(),
                tags: vec![names.name.clone()],
                id: None,
                schema: SchemaDoc::default(),
                methods: MethodsDoc::default(),
                custom_methods: BTreeMap::new(),
            },
            list_paging: None,
            notes: Vec::new(),
            unmapped: Vec::new(),
        };
        let hint = names::singular(&names::snake(
            group.literals().last().copied().unwrap_or(""),
        ));
        let source = self.record_source(group, &hint)?;
        let identity = match &source {
            Some(source) => Some(detect::resolved(self.refs, source)?.1),
            None => None,
        };
        let mut record = match &source {
            Some(source) => self.converter.convert(&source.value, &source.pointer)?,
            None => SchemaDoc::default(),
        };
        record.type_ = Some(SchemaTypeDoc::Object);
        record.read_only = None;
        let id_param = group.item.as_ref().map(|(_, param)| param.clone());
        if let Some(param) = &id_param {
            built.doc.id = Some(self.id(group, param, names, &mut record)?);
        }
        built.doc.description = resource_description(group, names, &record);
        record.description = None;
        if record.properties.as_ref().is_none_or(BTreeMap::is_empty) {
            for (_, op) in &group.methods {
                built.unmapped.push(unmapped(
                    op,
                    "no record schema: no reply or body of this resource describes an object with \
                     properties",
                ));
            }
            return Ok(built);
        }
        built.doc.schema = record;

        let mut drafts = Vec::new();
        let mut custom_names = BTreeSet::new();
        for (slot, op) in &group.methods {
            let name = (*slot == Slot::Custom).then(|| {
                let name = names::custom_method_name(
                    op.has_operation_id.then_some(op.id.as_str()),
                    op.verb.as_str(),
                    &op.path,
                    names,
                    &custom_names,
                );
                custom_names.insert(name.clone());
                name
            });
            built.notes.extend(op.notes.iter().cloned());
            let site = MethodSite {
                group,
                names,
                slot: *slot,
                op,
                identity: identity.as_deref(),
                hint: &hint,
            };
            match self.method(&site, &mut built)? {
                Ok(doc) => drafts.push(Draft {
                    slot: *slot,
                    name,
                    doc,
                    op: op.clone(),
                }),
                Err(reason) => built.unmapped.push(unmapped(op, &reason)),
            }
        }
        settle_arguments(&mut built, &mut drafts);
        for draft in drafts {
            let methods = &mut built.doc.methods;
            let place = match (draft.slot, draft.name) {
                (Slot::List, _) => &mut methods.list,
                (Slot::Get, _) => &mut methods.get,
                (Slot::Create, _) => &mut methods.create,
                (Slot::Update, _) => &mut methods.update,
                (Slot::Delete, _) => &mut methods.delete,
                (Slot::Custom, name) => {
                    let name = name.unwrap_or_else(|| draft.op.id.clone());
                    built.doc.custom_methods.insert(name, draft.doc);
                    continue;
                }
            };
            *place = Some(draft.doc);
        }
        Ok(built)
    }

    /// The record's schema: the list's items, else the `get` reply, else a create/update body,
    /// else a create/update reply (each unwrapped when it holds one object named like the
    /// resource).
    fn record_source(&self, group: &Group, hint: &str) -> Result<Option<SpecSchema>, Error> {
        let find = |slot: Slot| {
            group
                .methods
                .iter()
                .find(|(s, _)| *s == slot)
                .map(|(_, op)| op)
        };
        if let Some(reply) = find(Slot::List).and_then(|op| op.reply.as_ref())
            && let Some(list) = detect::list_reply(self.refs, reply, false)?
        {
            return Ok(Some(list.items));
        }
        let candidates = [
            find(Slot::Get).and_then(|op| op.reply.as_ref()),
            find(Slot::Create).and_then(|op| op.body.as_ref()),
            find(Slot::Update).and_then(|op| op.body.as_ref()),
            find(Slot::Create).and_then(|op| op.reply.as_ref()),
            find(Slot::Update).and_then(|op| op.reply.as_ref()),
        ];
        for schema in candidates.into_iter().flatten() {
            let inner = match self.wrapped(schema, hint)? {
                Some((_, inner)) => inner,
                None => schema.clone(),
            };
            let (value, _) = detect::resolved(self.refs, &inner)?;
            if value.get("properties").is_some() || value.get("allOf").is_some() {
                return Ok(Some(inner));
            }
        }
        Ok(None)
    }

    /// The one object property of `schema` when it is named like the resource (`team`,
    /// `service_attribute` for `.../attributes`) or is the only property.
    fn wrapped(
        &self,
        schema: &SpecSchema,
        hint: &str,
    ) -> Result<Option<(String, SpecSchema)>, Error> {
        let (value, _) = detect::resolved(self.refs, schema)?;
        let only = value
            .get("properties")
            .and_then(|props| props.as_object())
            .is_some_and(|props| props.len() == 1);
        let hint: String = hint.chars().filter(|c| *c != '_').collect();
        Ok(detect::lone_object(self.refs, schema)?.filter(|(key, _)| {
            let key: String = names::snake(key).chars().filter(|c| *c != '_').collect();
            only || (!hint.is_empty() && key.contains(&hint))
        }))
    }

    /// Where the record sits in `schema`: by identity, else as a wrapper named like the
    /// resource.
    fn place(
        &self,
        schema: &SpecSchema,
        identity: Option<&str>,
        hint: &str,
    ) -> Result<Placement, Error> {
        if let Some(identity) = identity {
            let placement = detect::placement(self.refs, schema, identity)?;
            if placement != Placement::Absent {
                return Ok(placement);
            }
        }
        let (value, _) = detect::resolved(self.refs, schema)?;
        let others = |key: &str| -> Vec<String> {
            value
                .get("properties")
                .and_then(|props| props.as_object())
                .map(|props| props.keys().filter(|k| *k != key).cloned().collect())
                .unwrap_or_default()
        };
        Ok(match self.wrapped(schema, hint)? {
            Some((key, _)) => Placement::Under {
                others: others(&key),
                key,
            },
            None => Placement::Absent,
        })
    }

    /// `id:` from the item parameter; a record without a matching field gets one.
    fn id(
        &mut self,
        group: &Group,
        param: &str,
        names: &ResourceNames,
        record: &mut SchemaDoc,
    ) -> Result<IdDoc, Error> {
        let spec_param = group
            .methods
            .iter()
            .flat_map(|(_, op)| &op.params)
            .find(|p| p.location == ParamIn::Path && p.name == param);
        let param_type = match spec_param {
            Some(p) => {
                self.converter
                    .convert(&p.schema.value, &p.schema.pointer)?
                    .type_
            }
            None => None,
        };
        let param_type = match param_type {
            Some(SchemaTypeDoc::Integer) => SchemaTypeDoc::Integer,
            _ => SchemaTypeDoc::String,
        };
        let properties = record.properties.get_or_insert_with(BTreeMap::new);
        let field = match detect::id_field(param, properties) {
            Some(field) => field,
            None => {
                properties.insert(
                    param.to_owned(),
                    SchemaDoc {
                        type_: Some(param_type),
                        description: Some(format!(
                            "The `{param}` of the item path (the spec's record does not list it)."
                        )),
                        read_only: Some(true),
                        ..SchemaDoc::default()
                    },
                );
                param.to_owned()
            }
        };
        if let Some(property) = properties.get_mut(&field)
            && property.type_.is_none()
        {
            property.type_ = Some(param_type);
        }
        let item_path = group
            .item
            .as_ref()
            .map(|(path, _)| path.as_str())
            .unwrap_or("");
        let description = spec_param
            .and_then(|p| p.description.clone())
            .unwrap_or_else(|| {
                format!(
                    "The {}'s `{field}`: the `{{{param}}}` of `{item_path}`.",
                    names::words(&names.singular)
                )
            });
        Ok(IdDoc { field, description })
    }

    /// One method's doc, or why the operation cannot be a method.
    fn method(
        &mut self,
        site: &MethodSite<'_>,
        built: &mut Built,
    ) -> Result<Result<MethodDoc, String>, Error> {
        let (group, names, slot, op) = (site.group, site.names, site.slot, site.op);
        let mut doc = MethodDoc {
            description: method_description(slot, op, names, group.singleton),
            http: String::new(),
            query_schema: None,
            path_schema: None,
            body_record: None,
            body_wrapper: None,
            body_schema: None,
            response_path: None,
            response_schema: None,
            pagination: None,
            tags: Vec::new(),
            tool_name: None,
        };
        let path = match self.path(group, op, &mut doc)? {
            Ok(path) => path,
            Err(reason) => return Ok(Err(reason)),
        };
        doc.http = format!("{} {path}", op.verb.as_str());
        let mut filled = Vec::new();
        if slot == Slot::List {
            let paging = detect::pagination(self.refs, op, op.reply.as_ref())?;
            let paging = match paging {
                Ok(paging) => Some(paging),
                Err(why) => {
                    built.notes.push(format!(
                        "{}: the list {why}, so it has `pagination: none` (one request, one page)",
                        op.id
                    ));
                    None
                }
            };
            filled = paging.iter().flat_map(|p| p.params.clone()).collect();
            built.list_paging = Some(paging);
        }
        if let Err(reason) = self.query(op, &filled, &mut doc, built)? {
            return Ok(Err(reason));
        }
        if let Err(reason) = self.body(site, &mut doc, built)? {
            return Ok(Err(reason));
        }
        self.reply(site, &mut doc)?;
        Ok(Ok(doc))
    }

    /// The path with the item parameter written `{id}`, and `path_schema` for the others (a
    /// parameter named `id` that is not the item's becomes `<parent>_id`).
    fn path(
        &mut self,
        group: &Group,
        op: &Operation,
        doc: &mut MethodDoc,
    ) -> Result<Result<String, String>, Error> {
        let item = group.item.as_ref();
        let item_len = item.map(|(path, _)| path.split('/').count());
        let item_matches = item.is_some_and(|(path, _)| {
            let mine: Vec<&str> = op.path.split('/').collect();
            let theirs: Vec<&str> = path.split('/').collect();
            mine.len() >= theirs.len()
                && mine
                    .iter()
                    .zip(&theirs)
                    .all(|(a, b)| a == b || (is_param(a) && is_param(b)))
        });
        let mut segments = Vec::new();
        let mut properties = BTreeMap::new();
        let mut previous = "parent".to_owned();
        for (i, segment) in op.path.split('/').enumerate() {
            if !is_param(segment) {
                if !segment.is_empty() {
                    previous = names::singular(&names::snake(segment));
                }
                segments.push(segment.to_owned());
                continue;
            }
            let name = &segment[1..segment.len() - 1];
            if item_matches && Some(i + 1) == item_len {
                segments.push("{id}".to_owned());
                continue;
            }
            let placeholder = if name == "id" {
                format!("{previous}_id")
            } else {
                name.to_owned()
            };
            let param = op
                .params
                .iter()
                .find(|p| p.location == ParamIn::Path && p.name == name);
            let mut schema = match param {
                Some(p) => self.converter.convert(&p.schema.value, &p.schema.pointer)?,
                None => SchemaDoc {
                    type_: Some(SchemaTypeDoc::String),
                    ..SchemaDoc::default()
                },
            };
            if !matches!(
                schema.type_,
                Some(
                    SchemaTypeDoc::String
                        | SchemaTypeDoc::Integer
                        | SchemaTypeDoc::Number
                        | SchemaTypeDoc::Boolean
                )
            ) {
                if schema.type_.is_some() {
                    return Ok(Err(format!(
                        "path parameter `{name}` is not a string, number or boolean"
                    )));
                }
                schema.type_ = Some(SchemaTypeDoc::String);
            }
            if let Some(text) = param.and_then(|p| p.description.clone()) {
                schema.description = Some(text);
            }
            properties.insert(placeholder.clone(), schema);
            segments.push(format!("{{{placeholder}}}"));
        }
        if !properties.is_empty() {
            let required = properties.keys().cloned().collect();
            doc.path_schema = Some(object(properties, required));
        }
        Ok(Ok(segments.join("/")))
    }

    /// `query_schema`: every query parameter but those pagination fills.
    fn query(
        &mut self,
        op: &Operation,
        filled: &[String],
        doc: &mut MethodDoc,
        built: &mut Built,
    ) -> Result<Result<(), String>, Error> {
        let mut properties = BTreeMap::new();
        let mut required = Vec::new();
        for param in op.params.iter().filter(|p| p.location == ParamIn::Query) {
            if filled.contains(&param.name) {
                continue;
            }
            let mut schema = self
                .converter
                .convert(&param.schema.value, &param.schema.pointer)?;
            if let Some(text) = &param.description {
                schema.description = Some(text.clone());
            }
            let scalar = |s: &SchemaDoc| {
                matches!(
                    s.type_,
                    Some(
                        SchemaTypeDoc::String
                            | SchemaTypeDoc::Integer
                            | SchemaTypeDoc::Number
                            | SchemaTypeDoc::Boolean
                    )
                )
            };
            let url_friendly = scalar(&schema)
                || (schema.type_ == Some(SchemaTypeDoc::Array)
                    && schema.items.as_deref().is_some_and(scalar));
            if !url_friendly {
                if param.required {
                    return Ok(Err(format!(
                        "required query parameter `{}` is structured; query parameters must be \
                         strings, numbers, booleans or lists of them",
                        param.name
                    )));
                }
                built.notes.push(format!(
                    "{}: left out query parameter `{}` (structured values cannot be sent in a URL)",
                    op.id, param.name
                ));
                continue;
            }
            if param.required {
                required.push(param.name.clone());
            }
            properties.insert(param.name.clone(), schema);
        }
        if !properties.is_empty() {
            doc.query_schema = Some(object(properties, required));
        }
        Ok(Ok(()))
    }

    /// The request body: the record (maybe under a wrapper, with the rest in `body_schema`),
    /// or for anything else, its fields in `body_schema`.
    fn body(
        &mut self,
        site: &MethodSite<'_>,
        doc: &mut MethodDoc,
        built: &mut Built,
    ) -> Result<Result<(), String>, Error> {
        let (slot, op, identity, hint) = (site.slot, site.op, site.identity, site.hint);
        let record_slot = matches!(slot, Slot::Create | Slot::Update);
        let Some(body) = &op.body else {
            if record_slot {
                doc.body_record = Some(false);
            }
            return Ok(Ok(()));
        };
        if matches!(op.verb, Verb::Get | Verb::Delete) {
            built.notes.push(format!(
                "{}: left out the request body ({} requests carry none in the doc format)",
                op.id,
                op.verb.as_str()
            ));
            return Ok(Ok(()));
        }
        let (value, _) = detect::resolved(self.refs, body)?;
        let shape = self.converter.convert(&body.value, &body.pointer)?;
        if shape.type_ != Some(SchemaTypeDoc::Object) && shape.type_.is_some() {
            return Ok(Err(
                "the request body is not an object; the doc format sends an object of named fields"
                    .to_owned(),
            ));
        }
        let placement = if record_slot {
            self.place(body, identity, hint)?
        } else {
            Placement::Absent
        };
        let fields = shape.properties.clone().unwrap_or_default();
        match placement {
            Placement::Whole => {}
            Placement::Under { key, others } => {
                doc.body_wrapper = Some(key);
                let rest: BTreeMap<String, SchemaDoc> = fields
                    .into_iter()
                    .filter(|(name, _)| others.contains(name))
                    .collect();
                if !rest.is_empty() {
                    doc.body_schema = Some(object(rest, Vec::new()));
                }
            }
            Placement::Absent => {
                if record_slot {
                    doc.body_record = Some(false);
                }
                if fields.is_empty() && value.get("additionalProperties").is_some() {
                    built.notes.push(format!(
                        "{}: its body is a free-form object, which has no fields to send",
                        op.id
                    ));
                }
                if !fields.is_empty() {
                    let required = shape.required.clone().unwrap_or_default();
                    doc.body_schema = Some(object(fields, required));
                }
            }
        }
        Ok(Ok(()))
    }

    /// `response_path` when the reply wraps the records; `response_schema` when a
    /// get/create/update reply is not the record.
    fn reply(&mut self, site: &MethodSite<'_>, doc: &mut MethodDoc) -> Result<(), Error> {
        let (slot, op, identity, hint) = (site.slot, site.op, site.identity, site.hint);
        let Some(reply) = &op.reply else {
            return Ok(());
        };
        match slot {
            Slot::List => {
                if let Some(list) = detect::list_reply(self.refs, reply, false)? {
                    doc.response_path = list.path;
                    let items = detect::resolved(self.refs, &list.items)?.1;
                    if identity.is_some_and(|identity| identity != items) {
                        let schema = self
                            .converter
                            .convert(&list.items.value, &list.items.pointer)?;
                        doc.response_schema = Some(schema);
                    }
                }
            }
            Slot::Get | Slot::Create | Slot::Update => match self.place(reply, identity, hint)? {
                Placement::Whole => {}
                Placement::Under { key, .. } => doc.response_path = Some(key),
                Placement::Absent => {
                    doc.response_schema =
                        Some(self.converter.convert(&reply.value, &reply.pointer)?);
                }
            },
            Slot::Delete | Slot::Custom => {}
        }
        Ok(())
    }
}

/// An object schema with these properties.
fn object(properties: BTreeMap<String, SchemaDoc>, required: Vec<String>) -> SchemaDoc {
    SchemaDoc {
        type_: Some(SchemaTypeDoc::Object),
        properties: Some(properties),
        required: Some(required).filter(|names| !names.is_empty()),
        ..SchemaDoc::default()
    }
}

fn unmapped(op: &Operation, reason: &str) -> Unmapped {
    Unmapped {
        id: op.id.clone(),
        call: op.call(),
        reason: reason.to_owned(),
    }
}

/// The resource's description: its record's, else one made from its path.
fn resource_description(group: &Group, names: &ResourceNames, record: &SchemaDoc) -> String {
    if let Some(text) = record
        .description
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        return text.to_owned();
    }
    let words = names::words(&names.name);
    let mut sentence = words[..1].to_ascii_uppercase() + &words[1..];
    if group.singleton {
        sentence.push_str(&format!(": one configuration object, at `{}`.", group.path));
    } else {
        sentence.push_str(&format!(", at `{}`.", group.path));
    }
    sentence
}

/// The spec's own summary and description, else a sentence made from the method and names.
fn method_description(
    slot: Slot,
    op: &Operation,
    names: &ResourceNames,
    singleton: bool,
) -> String {
    if let Some(prose) = &op.prose {
        return prose.clone();
    }
    let one = names::words(&names.singular);
    let the = if singleton {
        "the"
    } else if one.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    match slot {
        Slot::List => format!("List {}.", names::words(&names.name)),
        Slot::Get if singleton => format!("Read the {one}."),
        Slot::Get => format!("Read one {one} by its id."),
        Slot::Create => format!("Create {the} {one}."),
        Slot::Update => format!("Update {the} {one} ({}).", op.verb.as_str()),
        Slot::Delete => format!("Delete {the} {one}."),
        Slot::Custom => {
            let words = names::words(&names::snake(&op.id));
            let sentence = words[..1].to_ascii_uppercase() + &words[1..];
            format!("{sentence} (`{}`).", op.call())
        }
    }
}

/// Where an argument comes from, in the generator's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Reserved,
    Path,
    Query,
    Body,
    Record,
}

/// Makes every tool's arguments distinct, as validation requires: a query or body field that
/// repeats an earlier argument is left out, a writable record field that does is marked
/// `readOnly` (the path or body already carries it), and a path placeholder is renamed.
fn settle_arguments(built: &mut Built, drafts: &mut [Draft]) {
    let paginated = built.list_paging.as_ref().is_some_and(Option::is_some);
    let mut read_only = BTreeSet::new();
    for draft in drafts.iter_mut() {
        let mut args: BTreeMap<String, Source> = BTreeMap::new();
        let mut idents = BTreeSet::new();
        let mut claim = |upstream: &str, source: Source| -> bool {
            let arg = naming::arg_name(upstream);
            let ident = naming::rust_field(&arg);
            if args.contains_key(&arg) || idents.contains(&ident) {
                return false;
            }
            args.insert(arg, source);
            idents.insert(ident);
            true
        };
        if draft.slot == Slot::List && paginated {
            claim("limit", Source::Reserved);
            claim("next_cursor", Source::Reserved);
        }
        if draft.doc.http.contains("{id}") {
            claim("id", Source::Reserved);
        }
        let id = draft.op.id.clone();
        let mut notes = Vec::new();
        if let Some(path) = draft.doc.path_schema.as_mut() {
            let names: Vec<String> = path
                .properties
                .iter()
                .flat_map(|p| p.keys().cloned())
                .collect();
            for name in names {
                if claim(&name, Source::Path) {
                    continue;
                }
                let renamed = format!("path_{name}");
                if let Some(props) = path.properties.as_mut()
                    && let Some(schema) = props.remove(&name)
                {
                    props.insert(renamed.clone(), schema);
                }
                for entry in path.required.iter_mut().flatten() {
                    if *entry == name {
                        entry.clone_from(&renamed);
                    }
                }
                draft.doc.http = draft
                    .doc
                    .http
                    .replace(&format!("{{{name}}}"), &format!("{{{renamed}}}"));
                claim(&renamed, Source::Path);
            }
        }
        for (source, schema) in [
            (Source::Query, draft.doc.query_schema.as_mut()),
            (Source::Body, draft.doc.body_schema.as_mut()),
        ] {
            let Some(props) = schema.and_then(|s| s.properties.as_mut()) else {
                continue;
            };
            let names: Vec<String> = props.keys().cloned().collect();
            for name in names {
                if !claim(&name, source) {
                    props.remove(&name);
                    notes.push(format!(
                        "{id}: left out {} field `{name}`, which would repeat another argument of the tool",
                        if source == Source::Query { "query" } else { "body" }
                    ));
                }
            }
        }
        for schema in [&mut draft.doc.query_schema, &mut draft.doc.body_schema] {
            if let Some(s) = schema.as_mut() {
                let known: Vec<String> = s
                    .properties
                    .iter()
                    .flat_map(|p| p.keys().cloned())
                    .collect();
                if let Some(required) = s.required.as_mut() {
                    required.retain(|name| known.contains(name));
                }
                if s.required.as_ref().is_some_and(Vec::is_empty) {
                    s.required = None;
                }
            }
            if schema
                .as_ref()
                .is_some_and(|s| s.properties.as_ref().is_none_or(BTreeMap::is_empty))
            {
                *schema = None;
            }
        }
        let body_record = draft
            .doc
            .body_record
            .unwrap_or(matches!(draft.slot, Slot::Create | Slot::Update));
        if body_record && let Some(props) = &built.doc.schema.properties {
            for (name, prop) in props {
                if prop.read_only == Some(true) || read_only.contains(name) {
                    continue;
                }
                if !claim(name, Source::Record) {
                    read_only.insert(name.clone());
                    notes.push(format!(
                        "{}: record field `{name}` is marked `readOnly` (the tool's other \
                         arguments already carry it)",
                        built.doc.name
                    ));
                }
            }
        }
        built.notes.extend(notes);
    }
    if let Some(props) = built.doc.schema.properties.as_mut() {
        for name in read_only {
            if let Some(prop) = props.get_mut(&name) {
                prop.read_only = Some(true);
            }
        }
    }
}
