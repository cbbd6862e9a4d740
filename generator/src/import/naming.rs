//! The importer's names: resource names and singulars from paths (clashes resolved the same
//! way every time), custom method names from operation ids, and tool names that fit in 64
//! characters. The generator's own name rules (`crate::naming`) decide what a default tool name
//! is; this module decides what to write when that default does not fit.
//!
//! The tool-name rule, documented in `docs/integration-docs.md` ("Tools and their arguments")
//! and `docs/import.md`:
//!
//! 1. A method keeps the generator's default name when it fits and no earlier tool has it.
//! 2. Otherwise its `tool_name` is [`naming::short_tool_name`]: the short form
//!    `<verb>_<integration>_<resource>` (`list`, `get`, `create`, `update`, `delete` without
//!    `all`/`single`/`a`/`by_id`; `list` keeps the plural; a custom method is
//!    `<method>_<integration>_<resources>` already), with words dropped from the front of the
//!    resource part while it is too long (keeping its last word), and cut at 64 characters as
//!    a last resort. The generator's error for a long name suggests the same name.
//! 3. A name an earlier tool has gets `_2`, `_3`, ... (cut so that it still fits).
//!
//! Resources are handled in name order and methods in `list`, `get`, `create`, `update`,
//! `delete`, custom-name order, so "earlier" is the same on every run.

use std::collections::BTreeSet;

use super::group::{Group, is_param};
use crate::docs::{MethodDoc, ResourceDoc};
use crate::model::MethodKind;
use crate::naming::{self, MAX_TOOL_NAME_LEN};

/// A resource's names, and why they differ from the plain ones when they do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResourceNames {
    pub(crate) name: String,
    pub(crate) singular: String,
    /// The name the path gave it and why it was not used (a clash).
    pub(crate) renamed_from: Option<(String, String)>,
}

/// snake_case for any name: `trace-jaeger-remote-sampling-strategies` ->
/// `trace_jaeger_remote_sampling_strategies`, `ListSLOs` -> `list_slos`, `2fa` -> `n2fa`.
pub(crate) fn snake(text: &str) -> String {
    // A plural acronym (`SLOs`, `APIs`) is one word: its `s` joins the capitals before it.
    let chars: Vec<char> = text.chars().collect();
    let text: String = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let after_capitals =
                i >= 2 && chars[i - 1].is_ascii_uppercase() && chars[i - 2].is_ascii_uppercase();
            let ends_word = chars
                .get(i + 1)
                .is_none_or(|next| !next.is_ascii_lowercase());
            if c == 's' && after_capitals && ends_word {
                'S'
            } else {
                c
            }
        })
        .collect();
    let suggested = naming::suggested_snake_case(&text);
    let words: Vec<&str> = suggested
        .split('_')
        .filter(|word| !word.is_empty())
        .collect();
    let mut snake: String = words
        .join("_")
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
        .collect();
    if !snake.starts_with(|c: char| c.is_ascii_lowercase()) {
        snake.insert(0, 'n');
    }
    snake
}

/// The singular of a snake_case plural, by English rules applied to its last word:
/// `notification_policies` -> `notification_policy`, `slos` -> `slo`, `config` -> `config`.
pub(crate) fn singular(plural: &str) -> String {
    const IRREGULAR: [(&str, &str); 14] = [
        ("people", "person"),
        ("children", "child"),
        ("men", "man"),
        ("women", "woman"),
        ("indices", "index"),
        ("matrices", "matrix"),
        ("vertices", "vertex"),
        ("statuses", "status"),
        ("aliases", "alias"),
        ("analyses", "analysis"),
        ("data", "data"),
        ("metadata", "metadata"),
        ("series", "series"),
        ("news", "news"),
    ];
    let (head, last) = match plural.rfind('_') {
        Some(cut) => (&plural[..=cut], &plural[cut + 1..]),
        None => ("", plural),
    };
    let one = if let Some((_, one)) = IRREGULAR.iter().find(|(many, _)| *many == last) {
        (*one).to_owned()
    } else if last.len() > 3 && last.ends_with("ies") {
        format!("{}y", &last[..last.len() - 3])
    } else if ["sses", "shes", "ches", "xes", "zzes"]
        .iter()
        .any(|ending| last.ends_with(ending))
    {
        last[..last.len() - 2].to_owned()
    } else if last.len() > 1
        && last.ends_with('s')
        && !["ss", "us", "is"]
            .iter()
            .any(|ending| last.ends_with(ending))
    {
        last[..last.len() - 1].to_owned()
    } else {
        last.to_owned()
    };
    format!("{head}{one}")
}

/// `trace_behavior_config` -> `trace behavior config`, for prose.
pub(crate) fn words(name: &str) -> String {
    name.replace('_', " ")
}

/// Names every group. The plain name is the path's last literal segment in snake_case
/// (`/api/v1/config/teams` -> `teams`); a nested resource's is `<parent>_<child>` from the
/// literal segments around the parent's parameter, the parent singular
/// (`/services/{service_slug}/attributes` -> `service_attributes`). Groups are named in order of
/// how many parameters their path has, then by path; when a plain name is taken, a nested
/// resource becomes `<child>_of_<parent>` (`attributes_of_service`), any other takes the
/// segment before it as a prefix (`/v2/users` -> `v2_users`), and a name still taken gets
/// `_2`, `_3`, ...
pub(crate) fn resource_names(groups: &[Group]) -> Vec<ResourceNames> {
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&i| {
        let params = groups[i].path.split('/').filter(|s| is_param(s)).count();
        (params, groups[i].path.clone())
    });
    let mut taken = BTreeSet::new();
    let mut names = vec![None; groups.len()];
    for i in order {
        let (plain, alternative) = candidates(&groups[i]);
        let mut chosen = plain.clone();
        let mut renamed_from = None;
        if taken.contains(&plain.0) {
            let why = format!("`{}` is taken by a resource with a shorter path", plain.0);
            chosen = alternative;
            let mut n = 2;
            let base = chosen.clone();
            while taken.contains(&chosen.0) {
                chosen = (format!("{}_{n}", base.0), format!("{}_{n}", base.1));
                n += 1;
            }
            renamed_from = Some((plain.0.clone(), why));
        }
        taken.insert(chosen.0.clone());
        names[i] = Some(ResourceNames {
            name: chosen.0,
            singular: chosen.1,
            renamed_from,
        });
    }
    names.into_iter().flatten().collect()
}

/// The plain (name, singular) of a group and the one to use when the plain name is taken.
fn candidates(group: &Group) -> ((String, String), (String, String)) {
    let parts: Vec<&str> = group.path.split('/').filter(|s| !s.is_empty()).collect();
    let literals = group.literals();
    let last = literals
        .last()
        .map(|s| snake(s))
        .unwrap_or_else(|| "root".to_owned());
    let last_param = parts.iter().rposition(|s| is_param(s));
    let before = |index: usize| {
        parts[..index]
            .iter()
            .rev()
            .find(|s| !is_param(s))
            .map(|s| snake(s))
    };
    match last_param.and_then(before) {
        Some(parent) if group.is_nested() => {
            let parent = singular(&parent);
            let plain = (
                format!("{parent}_{last}"),
                format!("{parent}_{}", singular(&last)),
            );
            let alternative = (
                format!("{last}_of_{parent}"),
                format!("{}_of_{parent}", singular(&last)),
            );
            (plain, alternative)
        }
        _ => {
            let plain = (last.clone(), singular(&last));
            let prefix = literals
                .len()
                .checked_sub(2)
                .map(|i| snake(literals[i]))
                .unwrap_or_else(|| "other".to_owned());
            let alternative = (
                format!("{prefix}_{last}"),
                format!("{prefix}_{}", singular(&last)),
            );
            (plain, alternative)
        }
    }
}

/// A custom method's name from its operation id, the resource's own words taken out
/// (`ArchiveTeam` on `teams` -> `archive`), or `<verb>_<last segment>` without an id. Never a
/// standard method's name, never one the resource already has.
pub(crate) fn custom_method_name(
    operation_id: Option<&str>,
    verb: &str,
    path: &str,
    names: &ResourceNames,
    taken: &BTreeSet<String>,
) -> String {
    let full = match operation_id {
        Some(id) => snake(id),
        None => {
            let last = path
                .split('/')
                .rev()
                .find(|s| !s.is_empty() && !is_param(s))
                .unwrap_or("root");
            snake(&format!("{verb}_{last}"))
        }
    };
    let stripped = [&names.singular, &names.name]
        .iter()
        .find_map(|words| remove_words(&full, words))
        .filter(|name| !name.is_empty());
    const STANDARD: [&str; 5] = ["list", "get", "create", "update", "delete"];
    let mut name = match stripped {
        Some(name) if !STANDARD.contains(&name.as_str()) => name,
        _ => full,
    };
    if STANDARD.contains(&name.as_str()) {
        name.push_str("_call");
    }
    let base = name.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

/// `name` without the word run `words` (whole words only), if it contains it.
fn remove_words(name: &str, words: &str) -> Option<String> {
    let name_words: Vec<&str> = name.split('_').collect();
    let remove: Vec<&str> = words.split('_').collect();
    let at = name_words
        .windows(remove.len())
        .position(|window| window == remove.as_slice())?;
    let kept: Vec<&str> = name_words[..at]
        .iter()
        .chain(&name_words[at + remove.len()..])
        .copied()
        .collect();
    Some(kept.join("_"))
}

/// A tool name that changed: the generator's default, what was written, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Renamed {
    pub(crate) default: String,
    pub(crate) chosen: String,
}

/// Sets `tool_name` on every method whose default name is too long or taken (the rule in the
/// module docs). `resources` must be in name order.
pub(crate) fn assign_tool_names(integration: &str, resources: &mut [ResourceDoc]) -> Vec<Renamed> {
    // Pass 1: every default that fits, first come first served.
    let mut taken = BTreeSet::new();
    let mut pending = Vec::new();
    for (r, resource) in resources.iter().enumerate() {
        for (kind, _) in methods(resource) {
            let default = naming::tool_name(
                integration,
                &resource.name,
                &resource.singular,
                &kind,
                resource.id.is_some(),
            );
            if default.len() > MAX_TOOL_NAME_LEN || !taken.insert(default.clone()) {
                pending.push((r, kind, default));
            }
        }
    }
    // Pass 2: a short name for each of the others, in the same order.
    let mut renamed = Vec::new();
    for (r, kind, default) in pending {
        let resource = &mut resources[r];
        let chosen = unique(
            &naming::short_tool_name(integration, &resource.name, &resource.singular, &kind),
            &taken,
        );
        taken.insert(chosen.clone());
        if let Some(method) = method_mut(resource, &kind) {
            method.tool_name = Some(chosen.clone());
        }
        renamed.push(Renamed { default, chosen });
    }
    renamed
}

/// The methods of a resource in tool order, with their kinds.
fn methods(resource: &ResourceDoc) -> Vec<(MethodKind, &MethodDoc)> {
    let standard = &resource.methods;
    let mut out: Vec<(MethodKind, &MethodDoc)> = [
        (MethodKind::List, &standard.list),
        (MethodKind::Get, &standard.get),
        (MethodKind::Create, &standard.create),
        (MethodKind::Update, &standard.update),
        (MethodKind::Delete, &standard.delete),
    ]
    .into_iter()
    .filter_map(|(kind, method)| method.as_ref().map(|method| (kind, method)))
    .collect();
    for (name, method) in &resource.custom_methods {
        out.push((MethodKind::Custom(name.clone()), method));
    }
    out
}

fn method_mut<'a>(resource: &'a mut ResourceDoc, kind: &MethodKind) -> Option<&'a mut MethodDoc> {
    let standard = &mut resource.methods;
    match kind {
        MethodKind::List => standard.list.as_mut(),
        MethodKind::Get => standard.get.as_mut(),
        MethodKind::Create => standard.create.as_mut(),
        MethodKind::Update => standard.update.as_mut(),
        MethodKind::Delete => standard.delete.as_mut(),
        MethodKind::Custom(name) => resource.custom_methods.get_mut(name),
    }
}

/// Step 5: `name`, or `name_2`, `name_3`, ... (cut to fit) when taken.
fn unique(name: &str, taken: &BTreeSet<String>) -> String {
    let mut candidate = name.to_owned();
    let mut n = 2;
    while taken.contains(&candidate) {
        let suffix = format!("_{n}");
        candidate = format!(
            "{}{suffix}",
            naming::cut_name(name, MAX_TOOL_NAME_LEN - suffix.len())
        );
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_and_singulars() {
        for (text, expected) in [
            (
                "trace-jaeger-remote-sampling-strategies",
                "trace_jaeger_remote_sampling_strategies",
            ),
            ("ListSLOs", "list_slos"),
            ("ReadServiceAttribute", "read_service_attribute"),
            ("petStore", "pet_store"),
            ("2fa", "n2fa"),
            ("a..b", "a_b"),
        ] {
            assert_eq!(snake(text), expected, "{text}");
        }
        for (plural, expected) in [
            ("notification_policies", "notification_policy"),
            ("slos", "slo"),
            ("services", "service"),
            ("resource_pools", "resource_pool"),
            ("consumption_config", "consumption_config"),
            ("otel_metrics_ingestion", "otel_metrics_ingestion"),
            ("addresses", "address"),
            ("boxes", "box"),
            ("statuses", "status"),
            ("people", "person"),
            (
                "trace_jaeger_remote_sampling_strategies",
                "trace_jaeger_remote_sampling_strategy",
            ),
        ] {
            assert_eq!(singular(plural), expected, "{plural}");
        }
    }

    fn names(name: &str, singular: &str) -> ResourceNames {
        ResourceNames {
            name: name.to_owned(),
            singular: singular.to_owned(),
            renamed_from: None,
        }
    }

    #[test]
    fn custom_method_names_drop_the_resource_words() {
        let teams = names("teams", "team");
        let none = BTreeSet::new();
        let name = |id: Option<&str>, taken: &BTreeSet<String>| {
            custom_method_name(id, "POST", "/teams/{slug}/archive", &teams, taken)
        };
        assert_eq!(name(Some("ArchiveTeam"), &none), "archive");
        assert_eq!(name(Some("ListTeamMembers"), &none), "list_members");
        assert_eq!(name(Some("ListTeams"), &none), "list_teams");
        assert_eq!(name(Some("Team"), &none), "team");
        assert_eq!(name(None, &none), "post_archive");
        let taken = BTreeSet::from(["archive".to_owned()]);
        assert_eq!(name(Some("archiveTeam"), &taken), "archive_2");
    }

    #[test]
    fn taken_tool_names_get_a_number() {
        let taken = BTreeSet::from(["get_x".to_owned(), "get_x_2".to_owned()]);
        assert_eq!(unique("get_x", &taken), "get_x_3");
        let full = "g".repeat(64);
        let taken = BTreeSet::from([full.clone()]);
        assert_eq!(unique(&full, &taken), format!("{}_2", "g".repeat(62)));
    }
}
