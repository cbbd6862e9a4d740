//! Writing: each doc serialized with `serde_yaml` (keys in the format's order, multi-line
//! prose as block scalars), opened by the same `# yaml-language-server: $schema=...` line the
//! hand-written docs carry (paths right for the default layout, `integrations/<name>/...`),
//! with comments above keys that hold placeholders. Existing files are replaced only when asked;
//! otherwise nothing at all is written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Error;
use crate::format_schema::{INTEGRATION_SCHEMA_FILE, RESOURCE_SCHEMA_FILE};

/// The first line of `integration.yaml`.
pub(crate) fn integration_header() -> String {
    format!("# yaml-language-server: $schema=../../docs/schemas/{INTEGRATION_SCHEMA_FILE}")
}

/// The first line of `resources/<name>.yaml`.
pub(crate) fn resource_header() -> String {
    format!("# yaml-language-server: $schema=../../../docs/schemas/{RESOURCE_SCHEMA_FILE}")
}

/// `value` as YAML after `header`, with `# comment` lines above the named top-level keys.
pub(crate) fn yaml<T: Serialize>(
    path: &Path,
    header: &str,
    value: &T,
    comments: &[(&str, String)],
) -> Result<String, Error> {
    let body = serde_yaml::to_string(value)
        .map_err(|err| Error::io("write", path, std::io::Error::other(err)))?;
    let mut text = format!("{header}\n");
    for line in body.lines() {
        for (key, comment) in comments {
            if line
                .strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(':'))
            {
                text.push_str(&format!("# {comment}\n"));
            }
        }
        text.push_str(line);
        text.push('\n');
    }
    Ok(text)
}

/// Writes `files` (paths relative to `out_dir`). Unless `force`, an existing file stops the
/// whole write before anything is written.
pub(crate) fn write(
    out_dir: &Path,
    files: &BTreeMap<PathBuf, String>,
    force: bool,
) -> Result<Vec<PathBuf>, Error> {
    let targets: Vec<PathBuf> = files.keys().map(|path| out_dir.join(path)).collect();
    let existing: Vec<PathBuf> = targets
        .iter()
        .filter(|path| path.exists())
        .cloned()
        .collect();
    if !existing.is_empty() && !force {
        return Err(Error::WouldOverwrite { paths: existing });
    }
    for (target, text) in targets.iter().zip(files.values()) {
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|err| Error::io("create", dir, err))?;
        }
        std::fs::write(target, text).map_err(|err| Error::io("write", target, err))?;
    }
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_go_above_their_keys_and_prose_stays_readable() {
        let value = serde_json::json!({
            "name": "x",
            "base_url": "https://set-the-base-url.invalid",
            "description": "one\ntwo",
            "template": "{api_token}",
        });
        let comments = [("base_url", "set it".to_owned())];
        let text = yaml(Path::new("x.yaml"), "# head", &value, &comments)
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(
            text,
            "# head\nname: x\n# set it\nbase_url: https://set-the-base-url.invalid\n\
             description: |-\n  one\n  two\ntemplate: '{api_token}'\n"
        );
    }
}
