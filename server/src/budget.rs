//! The result budget: no tool answer larger than `--max-result-bytes` (of `structuredContent`
//! JSON), and never cut text.
//!
//! A list page over budget returns the records that fit, with a `next_cursor` that resumes
//! exactly after the last one: it names the upstream cursor the page was fetched with and how
//! many of its records were already returned, so the next call fetches the same upstream page
//! and skips them. A single record over budget is an `isError` result that says how to narrow
//! it. What is returned always fits the tool's output schema: whole records, nothing cut.

use rmcp::model::{CallToolResult, ContentBlock, JsonObject};
use serde_json::{Value, json};

/// The default budget: 128 KiB of JSON, about 30,000 tokens.
pub const DEFAULT_MAX_RESULT_BYTES: usize = 128 * 1024;

/// Resume cursors: `mcpgen:skip=<records returned>:<the upstream cursor of the page>`.
const PREFIX: &str = "mcpgen:skip=";
const CURSOR: &str = "next_cursor";

/// Where a list call starts: the upstream cursor to fetch with and the records to skip.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Resume {
    upstream_cursor: Option<String>,
    skip: usize,
}

impl Resume {
    /// Reads a list call's `next_cursor`, replacing a resume cursor by the upstream one in
    /// `arguments`.
    pub(crate) fn take(arguments: &mut JsonObject) -> Self {
        let Some(Value::String(cursor)) = arguments.get(CURSOR) else {
            return Self::default();
        };
        let resumed = cursor.strip_prefix(PREFIX).and_then(|rest| {
            let (skip, upstream) = rest.split_once(':')?;
            Some((skip.parse::<usize>().ok()?, upstream.to_owned()))
        });
        match resumed {
            Some((skip, upstream)) => {
                if upstream.is_empty() {
                    arguments.remove(CURSOR);
                } else {
                    arguments.insert(CURSOR.to_owned(), Value::String(upstream.clone()));
                }
                Self {
                    upstream_cursor: (!upstream.is_empty()).then_some(upstream),
                    skip,
                }
            }
            None => Self {
                upstream_cursor: Some(cursor.clone()),
                skip: 0,
            },
        }
    }
}

/// Fits a page (`{"result": [...], "next_cursor": ...}`) into `budget` bytes: the records
/// `resume` skips are dropped, then as many of the rest as fit are kept. `Err` with the size of
/// the first record when not even one fits.
pub(crate) fn fit_page(output: &mut Value, resume: &Resume, budget: usize) -> Result<(), usize> {
    let Some(Value::Array(records)) = output.get_mut("result") else {
        return Ok(());
    };
    records.drain(..resume.skip.min(records.len()));
    if json_len(output) <= budget {
        return Ok(());
    }
    let Some(Value::Array(records)) = output.get_mut("result") else {
        return Ok(());
    };
    let all: Vec<Value> = std::mem::take(records);
    let sizes: Vec<usize> = all.iter().map(json_len).collect();
    let first = sizes.first().copied().unwrap_or(0);
    // The page without records, with the longest cursor it may carry.
    let resume_cursor = |kept: usize| {
        format!(
            "{PREFIX}{}:{}",
            resume.skip + kept,
            resume.upstream_cursor.as_deref().unwrap_or("")
        )
    };
    output[CURSOR] = Value::String(resume_cursor(all.len()));
    let mut used = json_len(output);
    let mut kept = 0;
    for size in &sizes {
        let next = used + size + usize::from(kept > 0);
        if next > budget {
            break;
        }
        used = next;
        kept += 1;
    }
    if kept == 0 {
        return Err(first);
    }
    output["result"] = Value::Array(all.into_iter().take(kept).collect());
    output[CURSOR] = Value::String(resume_cursor(kept));
    Ok(())
}

/// Whether a record answer fits; `Err` with its size when it does not.
pub(crate) fn fit_record(output: &Value, budget: usize) -> Result<(), usize> {
    let size = json_len(output);
    if size <= budget { Ok(()) } else { Err(size) }
}

/// The `isError` result for an answer that cannot be made to fit.
pub(crate) fn too_large(
    tool: &str,
    size: usize,
    budget: usize,
    has_fields: bool,
) -> CallToolResult {
    let how = if has_fields {
        "ask for fewer fields with `fields`"
    } else {
        "narrow the request"
    };
    let message = format!(
        "the {} of `{tool}` is {size} bytes, over this server's result budget of {budget} bytes: {how}",
        if has_fields { "record" } else { "answer" }
    );
    let mut result = CallToolResult::error(vec![ContentBlock::text(message.clone())]);
    result.structured_content = Some(json!({
        "error": {"kind": "result_too_large", "message": message, "bytes": size, "budget": budget}
    }));
    result
}

/// Bytes of `value` as compact JSON, counted without building the text (every call's answer
/// is measured; an unencodable value counts as too large).
pub(crate) fn json_len<T: serde::Serialize + ?Sized>(value: &T) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    match serde_json::to_writer(&mut count, value) {
        Ok(()) => count.0,
        Err(_) => usize::MAX,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn page(count: usize, cursor: Option<&str>) -> Value {
        let records: Vec<Value> = (0..count)
            .map(|i| json!({"slug": format!("team-{i:04}"), "name": "x".repeat(100)}))
            .collect();
        json!({"result": records, "next_cursor": cursor})
    }

    fn slugs(output: &Value) -> Vec<String> {
        output["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["slug"].as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn a_page_within_budget_is_untouched() {
        let mut output = page(3, Some("up-2"));
        let before = output.clone();
        fit_page(&mut output, &Resume::default(), 10_000).unwrap();
        assert_eq!(output, before);
    }

    #[test]
    fn an_oversized_page_is_returned_in_parts_that_resume_exactly() {
        let budget = 700;
        let mut returned = Vec::new();
        let mut arguments = JsonObject::new();
        arguments.insert(CURSOR.into(), json!("up-1"));
        loop {
            let resume = Resume::take(&mut arguments);
            // The upstream always answers page "up-1" with the same 12 records.
            assert_eq!(arguments.get(CURSOR), Some(&json!("up-1")));
            let mut output = page(12, Some("up-2"));
            fit_page(&mut output, &resume, budget).unwrap();
            assert!(serde_json::to_vec(&output).unwrap().len() <= budget);
            returned.extend(slugs(&output));
            let next = output[CURSOR].as_str().unwrap().to_owned();
            if next == "up-2" {
                break;
            }
            assert!(next.starts_with(PREFIX), "{next}");
            arguments.insert(CURSOR.into(), json!(next));
        }
        let expected: Vec<String> = (0..12).map(|i| format!("team-{i:04}")).collect();
        assert_eq!(returned, expected, "every record once, in order");
    }

    #[test]
    fn the_first_page_resumes_without_an_upstream_cursor() {
        let mut output = page(12, None);
        fit_page(&mut output, &Resume::default(), 700).unwrap();
        let next = output[CURSOR].as_str().unwrap().to_owned();
        let mut arguments = JsonObject::new();
        arguments.insert(CURSOR.into(), json!(next));
        let resume = Resume::take(&mut arguments);
        assert_eq!(
            arguments.get(CURSOR),
            None,
            "the first page is fetched again"
        );
        assert!(resume.skip > 0);
    }

    #[test]
    fn a_record_larger_than_the_budget_is_refused() {
        let mut output = page(2, None);
        assert!(fit_page(&mut output, &Resume::default(), 50).unwrap_err() > 50);
        assert!(fit_record(&json!({"a": "x".repeat(100)}), 50).is_err());
        let result = too_large("get_x", 120, 50, true);
        assert_eq!(result.is_error, Some(true));
        let text = result.content[0].as_text().unwrap().text.clone();
        assert!(
            text.contains("`fields`") && text.contains("120 bytes"),
            "{text}"
        );
    }
}
