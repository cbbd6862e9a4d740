//! Grouping operations into resources by path.
//!
//! An operation on `/x/{p}` is an item operation of the collection `/x`; any other is a bare
//! operation on its own path. Then, shortest paths first:
//!
//! - a path with item operations, or whose `GET` returns a list, is a **collection**: bare
//!   `GET`/`POST` are `list`/`create`, item `GET`/`PUT`/`DELETE` are `get`/`update`/`delete`
//!   (item `PATCH` is `update` when there is no `PUT`);
//! - a path below a resource's collection or item path that has no `GET`, or only one
//!   operation (`POST /teams/{slug}/archive`, `GET /teams/count`), gives **custom methods** of
//!   that resource;
//! - any other path is a **singleton**: `GET`/`POST`/`PUT`/`DELETE` on the bare path are
//!   `get`/`create`/`update`/`delete`, with no `id`.
//!
//! Parameters before the last segment (`/services/{service_slug}/attributes`) make a
//! **nested** resource; they become path arguments. Everything left over is a custom method.

use std::collections::BTreeMap;

use super::detect;
use super::operation::{Operation, Verb};
use super::refs::Refs;
use crate::error::Error;

/// Which method an operation becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Slot {
    List,
    Get,
    Create,
    Update,
    Delete,
    Custom,
}

/// The operations of one resource.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    /// The collection or singleton path as the spec writes it (`/api/v1/config/teams`).
    pub(crate) path: String,
    /// The item path and its parameter (`/api/v1/config/teams/{slug}`, `slug`).
    pub(crate) item: Option<(String, String)>,
    pub(crate) singleton: bool,
    /// The parent resource's path, for a nested resource whose parent is a resource too.
    pub(crate) parent: Option<String>,
    pub(crate) methods: Vec<(Slot, Operation)>,
}

impl Group {
    /// The literal segments of the path (`["api", "v1", "config", "teams"]`).
    pub(crate) fn literals(&self) -> Vec<&str> {
        segments(&self.path)
            .filter(|segment| !is_param(segment))
            .collect()
    }

    /// Whether the path has parameters of its own (before the item parameter).
    pub(crate) fn is_nested(&self) -> bool {
        segments(&self.path).any(is_param)
    }
}

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|segment| !segment.is_empty())
}

/// `{name}`, a whole segment.
pub(crate) fn is_param(segment: &str) -> bool {
    segment.len() > 2
        && segment.starts_with('{')
        && segment.ends_with('}')
        && !segment[1..segment.len() - 1].contains(['{', '}'])
}

/// The path with every parameter written `{}`, so `/services/{slug}` and
/// `/services/{service_slug}/attributes` share the prefix `/services/{}`.
fn shape(path: &str) -> String {
    let parts: Vec<&str> = segments(path)
        .map(|segment| if is_param(segment) { "{}" } else { segment })
        .collect();
    format!("/{}", parts.join("/"))
}

/// The shape without its last segment, and whether that segment was a parameter.
fn parent_shape(shape: &str) -> Option<String> {
    let cut = shape.rfind('/')?;
    (cut > 0).then(|| shape[..cut].to_owned())
}

#[derive(Default)]
struct Candidate {
    path: String,
    bare: Vec<Operation>,
    items: Vec<Operation>,
    item: Option<(String, String)>,
}

/// What each candidate path became.
enum Role {
    Resource(usize),
    Attached,
}

/// Groups `ops` into resources, in order of their paths.
pub(crate) fn group(refs: &Refs<'_>, ops: Vec<Operation>) -> Result<Vec<Group>, Error> {
    let mut candidates: BTreeMap<String, Candidate> = BTreeMap::new();
    for op in ops {
        let parts: Vec<&str> = segments(&op.path).collect();
        let item_param = match parts.as_slice() {
            [_, .., last] if is_param(last) => Some(last[1..last.len() - 1].to_owned()),
            _ => None,
        };
        let (key, path) = match &item_param {
            Some(_) => {
                let collection = format!("/{}", parts[..parts.len() - 1].join("/"));
                (shape(&collection), collection)
            }
            None => (shape(&op.path), op.path.clone()),
        };
        let candidate = candidates.entry(key).or_default();
        if candidate.path.is_empty() {
            candidate.path = path;
        }
        match item_param {
            Some(param) => {
                candidate.item.get_or_insert((op.path.clone(), param));
                candidate.items.push(op);
            }
            None => candidate.bare.push(op),
        }
    }
    let mut keys: Vec<String> = candidates.keys().cloned().collect();
    keys.sort_by_key(|key| (key.matches('/').count(), key.clone()));

    let mut groups: Vec<Group> = Vec::new();
    let mut roles: BTreeMap<String, Role> = BTreeMap::new();
    for key in keys {
        let Some(candidate) = candidates.remove(&key) else {
            continue;
        };
        let get = candidate.bare.iter().find(|op| op.verb == Verb::Get);
        let list_like = match get.and_then(|op| op.reply.as_ref()) {
            Some(reply) => detect::list_reply(refs, reply, true)?.is_some(),
            None => false,
        };
        let collection = !candidate.items.is_empty() || list_like;
        if !collection
            && (get.is_none() || candidate.bare.len() == 1)
            && let Some(owner) = owner(&key, &roles)
        {
            groups[owner]
                .methods
                .extend(candidate.bare.into_iter().map(|op| (Slot::Custom, op)));
            roles.insert(key, Role::Attached);
            continue;
        }
        let parent = nested_parent(&key, &roles).map(|index| groups[index].path.clone());
        roles.insert(key, Role::Resource(groups.len()));
        groups.push(Group {
            path: candidate.path,
            singleton: !collection,
            parent,
            methods: slots(
                candidate.bare,
                candidate.items,
                candidate.item.as_ref(),
                collection,
            ),
            item: candidate.item,
        });
    }
    for group in &mut groups {
        group.methods.sort_by_key(|(slot, _)| *slot);
    }
    Ok(groups)
}

/// The resource whose collection or item path is the parent of `key`.
fn owner(key: &str, roles: &BTreeMap<String, Role>) -> Option<usize> {
    let parent = parent_shape(key)?;
    let collection = match parent.strip_suffix("/{}") {
        Some(collection) => collection.to_owned(),
        None => parent,
    };
    match roles.get(&collection) {
        Some(Role::Resource(index)) => Some(*index),
        _ => None,
    }
}

/// For `/services/{}/attributes`: the resource at `/services`, if there is one.
fn nested_parent(key: &str, roles: &BTreeMap<String, Role>) -> Option<usize> {
    let mut shape = parent_shape(key)?;
    while !shape.ends_with("/{}") {
        shape = parent_shape(&shape)?;
    }
    owner(&format!("{shape}/x"), roles)
}

/// The method each operation becomes.
fn slots(
    bare: Vec<Operation>,
    items: Vec<Operation>,
    item: Option<&(String, String)>,
    collection: bool,
) -> Vec<(Slot, Operation)> {
    let has_put = |ops: &[Operation]| ops.iter().any(|op| op.verb == Verb::Put);
    let bare_put = has_put(&bare);
    let item_path = item.map(|(path, _)| path.as_str());
    let item_put = items
        .iter()
        .any(|op| op.verb == Verb::Put && Some(op.path.as_str()) == item_path);
    let mut out = Vec::new();
    for op in bare {
        let slot = match (collection, op.verb) {
            (true, Verb::Get) => Slot::List,
            (true, Verb::Post) => Slot::Create,
            (true, _) => Slot::Custom,
            (false, Verb::Get) => Slot::Get,
            (false, Verb::Post) => Slot::Create,
            (false, Verb::Put) => Slot::Update,
            (false, Verb::Patch) if !bare_put => Slot::Update,
            (false, Verb::Delete) => Slot::Delete,
            (false, _) => Slot::Custom,
        };
        out.push((slot, op));
    }
    for op in items {
        let slot = if Some(op.path.as_str()) != item_path {
            Slot::Custom
        } else {
            match op.verb {
                Verb::Get => Slot::Get,
                Verb::Put => Slot::Update,
                Verb::Patch if !item_put => Slot::Update,
                Verb::Delete => Slot::Delete,
                _ => Slot::Custom,
            }
        };
        out.push((slot, op));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_params() {
        assert_eq!(shape("/services/{slug}"), "/services/{}");
        assert_eq!(shape("/a/{b}/c/"), "/a/{}/c");
        assert!(is_param("{slug}"));
        assert!(!is_param("{a}.json"));
        assert!(!is_param("{}"));
        assert_eq!(parent_shape("/a/{}/c").as_deref(), Some("/a/{}"));
        assert_eq!(parent_shape("/a"), None);
    }
}
