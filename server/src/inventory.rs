//! `mcp-server tools`: the tool inventory as a table or as the JSON `tools/list` returns.

use std::fmt::Write as _;

use mcpgen_runtime::Annotations;

use crate::catalog::Catalog;

const DESCRIPTION_WIDTH: usize = 80;

/// One line per tool of every catalog: name, method, the hints that are set, the description's
/// first line.
pub fn table(catalogs: &[Catalog]) -> String {
    let rows: Vec<[String; 4]> = catalogs
        .iter()
        .flat_map(Catalog::entries)
        .map(|entry| {
            let tool = entry.tool;
            [
                tool.name.to_owned(),
                tool.method.name().to_owned(),
                hints(&tool.annotations),
                first_line(tool.description),
            ]
        })
        .collect();
    let header = ["NAME", "METHOD", "HINTS", "DESCRIPTION"].map(str::to_owned);
    let widths: Vec<usize> = (0..3)
        .map(|column| {
            rows.iter()
                .chain([&header])
                .map(|row| row[column].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in [&header].into_iter().chain(&rows) {
        let _ = writeln!(
            out,
            "{:<w0$}  {:<w1$}  {:<w2$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
    }
    let count = rows.len();
    let names: Vec<&str> = catalogs.iter().map(|c| c.integration().name).collect();
    let _ = writeln!(
        out,
        "{count} tool{} from {}",
        if count == 1 { "" } else { "s" },
        names.join(", ")
    );
    out
}

/// The MCP tool objects of every catalog, as `tools/list` returns them, pretty-printed, with a
/// trailing newline.
pub fn json(catalogs: &[Catalog]) -> String {
    let tools: Vec<_> = catalogs.iter().flat_map(Catalog::mcp_tools).collect();
    // Serializing maps and strings cannot fail; an empty list is the safe fallback regardless.
    let mut text = serde_json::to_string_pretty(&tools).unwrap_or_else(|_| "[]".to_owned());
    text.push('\n');
    text
}

fn hints(annotations: &Annotations) -> String {
    let mut hints = Vec::new();
    if annotations.read_only {
        hints.push("read-only");
    }
    if annotations.destructive {
        hints.push("destructive");
    }
    if annotations.idempotent {
        hints.push("idempotent");
    }
    if !annotations.open_world {
        hints.push("closed-world");
    }
    if hints.is_empty() {
        "-".to_owned()
    } else {
        hints.join(",")
    }
}

fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or("");
    if line.chars().count() <= DESCRIPTION_WIDTH {
        return line.to_owned();
    }
    let mut short: String = line.chars().take(DESCRIPTION_WIDTH - 1).collect();
    short.push('…');
    short
}
