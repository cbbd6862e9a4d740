//! The in-memory team store and the rules the swagger gives for each operation.
//!
//! Teams are kept sorted by slug, so pages are stable and a page token is simply the last slug
//! of the previous page (hex-encoded, to stay opaque).

use std::collections::BTreeMap;
use std::ops::Bound;

use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::time::now_rfc3339;

/// Used when `page.max_size` is absent or 0 (the swagger leaves the default to the server).
pub const DEFAULT_PAGE_SIZE: usize = 50;
/// Larger `page.max_size` values are clamped to this.
pub const MAX_PAGE_SIZE: usize = 1000;

/// `configv1Team`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub slug: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub user_emails: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A team as a client sends it: read-only timestamps are accepted and ignored, unknown fields are
/// rejected (as protojson does).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TeamInput {
    slug: Option<String>,
    name: Option<String>,
    description: Option<String>,
    user_emails: Option<Vec<String>>,
    #[allow(dead_code)]
    created_at: Option<serde::de::IgnoredAny>,
    #[allow(dead_code)]
    updated_at: Option<serde::de::IgnoredAny>,
}

/// One list page.
#[derive(Debug)]
pub(crate) struct ListPage {
    pub(crate) teams: Vec<Team>,
    pub(crate) next_token: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Filters {
    pub(crate) slugs: Vec<String>,
    pub(crate) names: Vec<String>,
    pub(crate) max_size: usize,
    pub(crate) token: String,
}

#[derive(Debug, Default)]
pub(crate) struct Store {
    teams: BTreeMap<String, Team>,
}

impl Store {
    pub(crate) fn clear(&mut self) {
        self.teams.clear();
    }

    pub(crate) fn len(&self) -> usize {
        self.teams.len()
    }

    pub(crate) fn insert(&mut self, team: Team) {
        self.teams.insert(team.slug.clone(), team);
    }

    pub(crate) fn get(&self, slug: &str) -> Result<Team, ApiError> {
        self.teams.get(slug).cloned().ok_or_else(|| not_found(slug))
    }

    pub(crate) fn list(&self, filters: &Filters) -> Result<ListPage, ApiError> {
        let size = match filters.max_size {
            0 => DEFAULT_PAGE_SIZE,
            size => size.min(MAX_PAGE_SIZE),
        };
        let start = if filters.token.is_empty() {
            Bound::Unbounded
        } else {
            Bound::Excluded(decode_token(&filters.token)?)
        };
        let mut matching = self
            .teams
            .range::<String, _>((start, Bound::Unbounded))
            .map(|(_, team)| team)
            .filter(|team| {
                (filters.slugs.is_empty() || filters.slugs.contains(&team.slug))
                    && (filters.names.is_empty() || filters.names.contains(&team.name))
            });
        let teams: Vec<Team> = matching.by_ref().take(size).cloned().collect();
        let more = matching.next().is_some();
        let next_token = match teams.last() {
            Some(last) if more => Some(encode_token(&last.slug)),
            _ => None,
        };
        Ok(ListPage { teams, next_token })
    }

    /// `CreateTeam`. `None` when `dry_run` validated without creating.
    pub(crate) fn create(
        &mut self,
        input: Option<TeamInput>,
        dry_run: bool,
    ) -> Result<Option<Team>, ApiError> {
        let input = input.ok_or_else(|| ApiError::invalid("team is required"))?;
        let name = required_name(input.name.as_deref())?;
        let slug = match input.slug.as_deref() {
            Some(slug) if !slug.is_empty() => check_slug(slug)?.to_owned(),
            _ => slug_from_name(name)?,
        };
        let emails = check_emails(input.user_emails.unwrap_or_default())?;
        if self.teams.contains_key(&slug) {
            return Err(ApiError::conflict(format!(
                "team with slug \"{slug}\" already exists"
            )));
        }
        if dry_run {
            return Ok(None);
        }
        let now = now_rfc3339();
        let team = Team {
            slug: slug.clone(),
            name: name.to_owned(),
            description: input.description.filter(|text| !text.is_empty()),
            user_emails: emails,
            created_at: now.clone(),
            updated_at: now,
        };
        self.teams.insert(slug, team.clone());
        Ok(Some(team))
    }

    /// `UpdateTeam`: replaces the mutable fields (left-out fields are cleared).
    pub(crate) fn update(
        &mut self,
        slug: &str,
        input: Option<TeamInput>,
        create_if_missing: bool,
        dry_run: bool,
    ) -> Result<Option<Team>, ApiError> {
        let input = input.ok_or_else(|| ApiError::invalid("team is required"))?;
        if let Some(body_slug) = input
            .slug
            .as_deref()
            .filter(|body_slug| !body_slug.is_empty() && *body_slug != slug)
        {
            return Err(ApiError::invalid(format!(
                "team.slug \"{body_slug}\" does not match the slug in the path \"{slug}\"; a slug cannot be changed"
            )));
        }
        let name = required_name(input.name.as_deref())?;
        let emails = check_emails(input.user_emails.unwrap_or_default())?;
        let existing = self.teams.get(slug);
        if existing.is_none() {
            if !create_if_missing {
                return Err(not_found(slug));
            }
            check_slug(slug)?;
        }
        if dry_run {
            return Ok(None);
        }
        let now = now_rfc3339();
        let team = Team {
            slug: slug.to_owned(),
            name: name.to_owned(),
            description: input.description.filter(|text| !text.is_empty()),
            user_emails: emails,
            created_at: existing.map_or_else(|| now.clone(), |team| team.created_at.clone()),
            updated_at: now,
        };
        self.teams.insert(slug.to_owned(), team.clone());
        Ok(Some(team))
    }

    pub(crate) fn delete(&mut self, slug: &str) -> Result<(), ApiError> {
        self.teams
            .remove(slug)
            .map(drop)
            .ok_or_else(|| not_found(slug))
    }
}

fn not_found(slug: &str) -> ApiError {
    ApiError::not_found(format!("team not found: \"{slug}\""))
}

fn required_name(name: Option<&str>) -> Result<&str, ApiError> {
    name.filter(|name| !name.trim().is_empty())
        .ok_or_else(|| ApiError::invalid("team.name is required"))
}

fn check_slug(slug: &str) -> Result<&str, ApiError> {
    let valid = slug.len() <= 255
        && slug.bytes().all(|byte| {
            byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-' || byte == b'_'
        });
    if valid {
        Ok(slug)
    } else {
        Err(ApiError::invalid(format!(
            "invalid slug \"{slug}\": use lowercase letters, digits, `-` and `_` (at most 255)"
        )))
    }
}

fn check_emails(emails: Vec<String>) -> Result<Vec<String>, ApiError> {
    match emails.iter().find(|email| !email.contains('@')) {
        Some(bad) => Err(ApiError::invalid(format!(
            "invalid email in team.user_emails: \"{bad}\""
        ))),
        None => Ok(emails),
    }
}

/// `Backend Platform!` -> `backend-platform`.
pub(crate) fn slug_from_name(name: &str) -> Result<String, ApiError> {
    let mut slug = String::with_capacity(name.len());
    for ch in name.chars() {
        if ch.is_ascii_alphanumeric() {
            slug.push(ch.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        return Err(ApiError::invalid(format!(
            "cannot generate a slug from name \"{name}\"; give team.slug"
        )));
    }
    Ok(slug)
}

fn encode_token(slug: &str) -> String {
    slug.bytes().map(|byte| format!("{byte:02x}")).collect()
}

fn decode_token(token: &str) -> Result<String, ApiError> {
    let invalid = || ApiError::invalid(format!("invalid page.token \"{token}\""));
    if !token.len().is_multiple_of(2) {
        return Err(invalid());
    }
    let bytes = (0..token.len())
        .step_by(2)
        .map(|index| {
            token
                .get(index..index + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(invalid)?;
    String::from_utf8(bytes).map_err(|_| invalid())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn input(name: &str) -> Option<TeamInput> {
        Some(TeamInput {
            name: Some(name.to_owned()),
            ..TeamInput::default()
        })
    }

    #[test]
    fn slugs_are_generated_from_names() {
        assert_eq!(
            slug_from_name("Backend Platform!").unwrap(),
            "backend-platform"
        );
        assert_eq!(slug_from_name("  SRE -- On call ").unwrap(), "sre-on-call");
        assert!(slug_from_name("!!!").is_err());
    }

    #[test]
    fn tokens_round_trip_and_garbage_is_rejected() {
        assert_eq!(
            decode_token(&encode_token("team-0001")).unwrap(),
            "team-0001"
        );
        assert!(decode_token("zz").is_err());
        assert!(decode_token("abc").is_err());
    }

    #[test]
    fn list_pages_through_everything_once() {
        let mut store = Store::default();
        for index in 0..5 {
            store
                .create(input(&format!("Team {index}")), false)
                .unwrap();
        }
        let mut seen = Vec::new();
        let mut filters = Filters {
            max_size: 2,
            ..Filters::default()
        };
        loop {
            let page = store.list(&filters).unwrap();
            seen.extend(page.teams.into_iter().map(|team| team.slug));
            match page.next_token {
                Some(token) => filters.token = token,
                None => break,
            }
        }
        assert_eq!(seen, ["team-0", "team-1", "team-2", "team-3", "team-4"]);
    }

    #[test]
    fn create_conflicts_and_dry_runs() {
        let mut store = Store::default();
        assert!(store.create(input("A"), true).unwrap().is_none());
        assert_eq!(store.len(), 0);
        store.create(input("A"), false).unwrap();
        assert_eq!(
            store.create(input("A"), false).unwrap_err().status.as_u16(),
            409
        );
        assert_eq!(
            store.create(input(""), false).unwrap_err().status.as_u16(),
            400
        );
    }

    #[test]
    fn update_follows_create_if_missing_and_keeps_created_at() {
        let mut store = Store::default();
        assert_eq!(
            store
                .update("x", input("X"), false, false)
                .unwrap_err()
                .status
                .as_u16(),
            404
        );
        let created = store.update("x", input("X"), true, false).unwrap().unwrap();
        let updated = store
            .update("x", input("Y"), false, false)
            .unwrap()
            .unwrap();
        assert_eq!(
            (updated.name.as_str(), &updated.created_at),
            ("Y", &created.created_at)
        );
        let mismatch = TeamInput {
            slug: Some("y".into()),
            ..input("X").unwrap()
        };
        assert_eq!(
            store
                .update("x", Some(mismatch), false, false)
                .unwrap_err()
                .status
                .as_u16(),
            400
        );
    }
}
