//! Which tools a server exposes: the `--methods` / `--tags` filters.
//!
//! Raw filter text (CLI flags, a hosted server's `config`) is parsed once into a [`ToolFilter`];
//! [`ToolFilter::select`] then checks it against one integration (every method name and tag must
//! exist there, so a typo is an error instead of a silently empty server) and returns the tools
//! it keeps. Methods and tags combine with AND; entries within each list combine with OR. An
//! empty list does not restrict. Hosted mode stores and reuses the same type, so it is serde.

use std::fmt;
use std::str::FromStr;

use mcpgen_runtime::{Integration, MethodKind, Tool};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One entry of the methods filter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MethodSelector {
    /// `read`: list and get.
    Read,
    /// `write`: create, update and delete.
    Write,
    /// `custom`: every custom method.
    Custom,
    /// An exact method name: `list`, `get`, `create`, `update`, `delete` or a custom method's name.
    Named(String),
}

impl MethodSelector {
    /// Whether a tool of `method` passes this entry.
    pub(crate) fn matches(&self, method: MethodKind) -> bool {
        match self {
            MethodSelector::Read => method.is_read(),
            MethodSelector::Write => method.is_write(),
            MethodSelector::Custom => method.is_custom(),
            MethodSelector::Named(name) => method.name() == name,
        }
    }
}

impl FromStr for MethodSelector {
    type Err = FilterError;

    fn from_str(text: &str) -> Result<Self, FilterError> {
        let text = text.trim();
        match text {
            "" => Err(FilterError::EmptyEntry { list: "methods" }),
            "read" => Ok(MethodSelector::Read),
            "write" => Ok(MethodSelector::Write),
            "custom" => Ok(MethodSelector::Custom),
            _ if is_identifier(text) => Ok(MethodSelector::Named(text.to_owned())),
            _ => Err(FilterError::Malformed {
                list: "methods",
                entry: text.to_owned(),
            }),
        }
    }
}

impl fmt::Display for MethodSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MethodSelector::Read => "read",
            MethodSelector::Write => "write",
            MethodSelector::Custom => "custom",
            MethodSelector::Named(name) => name,
        })
    }
}

impl Serialize for MethodSelector {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MethodSelector {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A parsed methods-and-tags filter. The default keeps every tool.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ToolFilter {
    methods: Vec<MethodSelector>,
    tags: Vec<String>,
}

impl ToolFilter {
    /// Keeps every tool.
    pub fn all() -> Self {
        Self::default()
    }

    /// Parses method and tag entries (each entry may itself be a comma list, as typed on a
    /// command line). Duplicates are dropped; order is kept.
    pub fn parse<M, T>(methods: M, tags: T) -> Result<Self, FilterError>
    where
        M: IntoIterator,
        M::Item: AsRef<str>,
        T: IntoIterator,
        T::Item: AsRef<str>,
    {
        let mut filter = Self::default();
        for entry in methods {
            for part in entry.as_ref().split(',') {
                let selector: MethodSelector = part.parse()?;
                if !filter.methods.contains(&selector) {
                    filter.methods.push(selector);
                }
            }
        }
        for entry in tags {
            for part in entry.as_ref().split(',') {
                let tag = part.trim();
                if tag.is_empty() {
                    return Err(FilterError::EmptyEntry { list: "tags" });
                }
                if !is_tag(tag) {
                    return Err(FilterError::Malformed {
                        list: "tags",
                        entry: tag.to_owned(),
                    });
                }
                if !filter.tags.iter().any(|known| known == tag) {
                    filter.tags.push(tag.to_owned());
                }
            }
        }
        Ok(filter)
    }

    /// The method selectors, deduplicated, in the order given; empty keeps every method.
    pub fn methods(&self) -> &[MethodSelector] {
        &self.methods
    }

    /// The tags, deduplicated, in the order given; empty keeps every tag.
    pub fn tags(&self) -> &[String] {
        &self.tags
    }

    /// True when the filter keeps every tool.
    pub fn is_all(&self) -> bool {
        self.methods.is_empty() && self.tags.is_empty()
    }

    /// Whether `tool` passes: any listed method matches (or none listed) AND any listed tag is
    /// among the tool's tags (or none listed).
    pub fn matches(&self, tool: &Tool) -> bool {
        let method_ok =
            self.methods.is_empty() || self.methods.iter().any(|m| m.matches(tool.method));
        let tag_ok = self.tags.is_empty()
            || self
                .tags
                .iter()
                .any(|tag| tool.tags.contains(&tag.as_str()));
        method_ok && tag_ok
    }

    /// Checks the filter against `integration` and returns the tools it keeps, in registry
    /// order. Unknown method names and tags are errors, and so is a filter that keeps nothing.
    pub fn select(
        &self,
        integration: &'static Integration,
    ) -> Result<Vec<&'static Tool>, FilterError> {
        for selector in &self.methods {
            if let MethodSelector::Named(name) = selector
                && !integration
                    .tools
                    .iter()
                    .any(|tool| tool.method.name() == name)
            {
                return Err(FilterError::UnknownMethod {
                    integration: integration.name,
                    suggestion: suggest(name, method_names(integration).iter().map(String::as_str)),
                    name: name.clone(),
                    known: method_names(integration),
                });
            }
        }
        for tag in &self.tags {
            let known = tag_names(integration);
            if !known.iter().any(|known| known == tag) {
                return Err(FilterError::UnknownTag {
                    integration: integration.name,
                    suggestion: suggest(tag, known.iter().map(String::as_str)),
                    tag: tag.clone(),
                    known,
                });
            }
        }
        let kept: Vec<&'static Tool> = integration
            .tools
            .iter()
            .copied()
            .filter(|tool| self.matches(tool))
            .collect();
        if kept.is_empty() {
            return Err(FilterError::NoMatch {
                integration: integration.name,
                filter: self.to_string(),
            });
        }
        Ok(kept)
    }
}

impl fmt::Display for ToolFilter {
    /// `methods=read,archive tags=billing`, or `all tools`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_all() {
            return f.write_str("all tools");
        }
        let mut parts = Vec::new();
        if !self.methods.is_empty() {
            let methods: Vec<String> = self.methods.iter().map(ToString::to_string).collect();
            parts.push(format!("methods={}", methods.join(",")));
        }
        if !self.tags.is_empty() {
            parts.push(format!("tags={}", self.tags.join(",")));
        }
        f.write_str(&parts.join(" "))
    }
}

/// Why a filter was rejected. Messages name the offending entry and what would be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FilterError {
    /// An entry is empty or blank (`read,,write`).
    #[error("the {list} filter has an empty entry (check for a stray comma)")]
    EmptyEntry {
        /// `methods` or `tags`.
        list: &'static str,
    },
    /// An entry has characters no method name or tag can have.
    #[error(
        "`{entry}` in the {list} filter is not a valid name (letters, digits, `_` and `-` only)"
    )]
    Malformed {
        /// `methods` or `tags`.
        list: &'static str,
        /// The entry, trimmed.
        entry: String,
    },
    /// A method name that no tool of the integration has.
    #[error(
        "unknown method `{name}` for {integration}{}; expected read, write, custom or one of: {}",
        did_you_mean(suggestion),
        known.join(", ")
    )]
    UnknownMethod {
        /// The integration's name.
        integration: &'static str,
        /// The method name as given.
        name: String,
        /// The integration's method names, in registry order.
        known: Vec<String>,
        /// The closest known name, when one is close enough to be a typo.
        suggestion: Option<String>,
    },
    /// A tag that no tool of the integration has.
    #[error(
        "unknown tag `{tag}` for {integration}{}; known tags: {}",
        did_you_mean(suggestion),
        if known.is_empty() { "none".to_owned() } else { known.join(", ") }
    )]
    UnknownTag {
        /// The integration's name.
        integration: &'static str,
        /// The tag as given.
        tag: String,
        /// The integration's tags, sorted.
        known: Vec<String>,
        /// The closest known tag, when one is close enough to be a typo.
        suggestion: Option<String>,
    },
    /// Every entry exists, but together they keep no tool.
    #[error("no {integration} tool matches {filter}; widen --methods or --tags")]
    NoMatch {
        /// The integration's name.
        integration: &'static str,
        /// The filter as displayed (`methods=read tags=billing`).
        filter: String,
    },
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

/// Method names present in `integration`, in first-seen order.
fn method_names(integration: &Integration) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for tool in integration.tools {
        let name = tool.method.name();
        if !names.iter().any(|known| known == name) {
            names.push(name.to_owned());
        }
    }
    names
}

/// Tags present in `integration`, sorted.
fn tag_names(integration: &Integration) -> Vec<String> {
    let mut tags: Vec<String> = integration
        .tools
        .iter()
        .flat_map(|tool| tool.tags.iter().map(|tag| (*tag).to_owned()))
        .collect();
    tags.sort();
    tags.dedup();
    tags
}

/// The closest candidate within a small edit distance, for "did you mean" hints.
pub(crate) fn suggest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(wanted, candidate), candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(wanted.len().min(candidate.len()) / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate.to_owned())
}

fn is_identifier(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn is_tag(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':' | b'/'))
}
