//! What an import did, for people: the resources and their methods by kind, every name the
//! importer had to choose (a resource clash, a tool name over 64 characters), every note
//! (placeholders, left-out parameters, lists without pagination) and every operation it could
//! not map, with the reason.

use std::fmt;

use super::naming::Renamed;
use super::operation::Unmapped;

/// One resource written.
#[derive(Debug, Clone)]
pub(crate) struct ResourceLine {
    pub(crate) name: String,
    pub(crate) path: String,
    pub(crate) singleton: bool,
    /// The parent resource's path, for a nested resource.
    pub(crate) nested_under: Option<String>,
    /// `list`, `get`, ..., then custom method names.
    pub(crate) methods: Vec<String>,
}

/// The summary of one import. `Display` prints it as the CLI does.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub(crate) title: String,
    pub(crate) integration: String,
    pub(crate) resources: Vec<ResourceLine>,
    /// (path, plain name, chosen name, why).
    pub(crate) renamed_resources: Vec<(String, String, String, String)>,
    pub(crate) renamed_tools: Vec<Renamed>,
    pub(crate) notes: Vec<String>,
    pub(crate) unmapped: Vec<Unmapped>,
    /// Operations of resources left out by the selection.
    pub(crate) not_selected: usize,
    /// The integration file was kept as it is (a selective import).
    pub(crate) kept_integration: Option<String>,
}

impl ImportReport {
    /// The resources written, by name.
    pub fn resource_names(&self) -> impl Iterator<Item = &str> {
        self.resources.iter().map(|r| r.name.as_str())
    }

    /// How many methods (tools) the written resources have.
    pub fn method_count(&self) -> usize {
        self.resources.iter().map(|r| r.methods.len()).sum()
    }

    /// Every operation that could not be mapped: its operation id and the reason.
    pub fn unmapped(&self) -> impl Iterator<Item = (&str, &str)> {
        self.unmapped
            .iter()
            .map(|u| (u.id.as_str(), u.reason.as_str()))
    }

    /// How many methods of each kind: list, get, create, update, delete, custom.
    fn counts(&self) -> [(&'static str, usize); 6] {
        let mut counts = [
            ("list", 0),
            ("get", 0),
            ("create", 0),
            ("update", 0),
            ("delete", 0),
            ("custom", 0),
        ];
        for method in self.resources.iter().flat_map(|r| &r.methods) {
            let index = counts
                .iter()
                .position(|(kind, _)| kind == method)
                .unwrap_or(counts.len() - 1);
            counts[index].1 += 1;
        }
        counts
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "imported {} as `{}`: {} resources, {} tools",
            self.title,
            self.integration,
            self.resources.len(),
            self.method_count()
        )?;
        let counts: Vec<String> = self
            .counts()
            .iter()
            .map(|(kind, n)| format!("{n} {kind}"))
            .collect();
        writeln!(f, "  methods: {}", counts.join(", "))?;
        let singletons: Vec<&str> = self
            .resources
            .iter()
            .filter(|r| r.singleton)
            .map(|r| r.name.as_str())
            .collect();
        list(f, "singletons", &singletons)?;
        let nested: Vec<String> = self
            .resources
            .iter()
            .filter_map(|r| {
                r.nested_under
                    .as_ref()
                    .map(|parent| format!("{} (under {parent})", r.name))
            })
            .collect();
        list(f, "nested", &nested)?;
        for resource in &self.resources {
            writeln!(
                f,
                "  {:<44} {} [{}]",
                resource.name,
                resource.path,
                resource.methods.join(", ")
            )?;
        }
        if !self.renamed_resources.is_empty() {
            writeln!(f, "name clashes:")?;
            for (path, plain, chosen, why) in &self.renamed_resources {
                writeln!(f, "  {path}: `{chosen}`, not `{plain}` ({why})")?;
            }
        }
        if !self.renamed_tools.is_empty() {
            writeln!(
                f,
                "tool names set with `tool_name:` (the default is too long or taken):"
            )?;
            for renamed in &self.renamed_tools {
                writeln!(
                    f,
                    "  {} ({}) -> {}",
                    renamed.default,
                    renamed.default.len(),
                    renamed.chosen
                )?;
            }
        }
        if let Some(path) = &self.kept_integration {
            writeln!(
                f,
                "kept {path} as it is (only the selected resources are imported)"
            )?;
        }
        if self.not_selected > 0 {
            writeln!(
                f,
                "{} operations belong to resources not selected",
                self.not_selected
            )?;
        }
        if !self.notes.is_empty() {
            writeln!(f, "notes:")?;
            for note in &self.notes {
                writeln!(f, "  {note}")?;
            }
        }
        if self.unmapped.is_empty() {
            writeln!(f, "every operation was mapped")?;
        } else {
            writeln!(f, "{} operations were not mapped:", self.unmapped.len())?;
            for op in &self.unmapped {
                writeln!(f, "  {} ({}): {}", op.id, op.call, op.reason)?;
            }
        }
        Ok(())
    }
}

fn list<T: fmt::Display>(f: &mut fmt::Formatter<'_>, label: &str, items: &[T]) -> fmt::Result {
    if items.is_empty() {
        return Ok(());
    }
    let items: Vec<String> = items.iter().map(ToString::to_string).collect();
    writeln!(f, "  {label}: {}", items.join(", "))
}
