//! Turning a tool input (already a JSON object) into an upstream request, following the tool's
//! [`RequestPlan`]: path arguments into the path, query arguments into the query (arrays repeat
//! the key), record arguments under the body wrapper, body arguments beside it, pagination where
//! its spec says, and query auth last.
//!
//! Null arguments are left out everywhere: an absent optional field is not sent as `null`.

use serde_json::{Map, Value};
use url::Url;

use crate::auth::Auth;
use crate::cursor::LinkCursors;
use crate::endpoint::BaseUrl;
use crate::error::UpstreamError;
use crate::pagination::{self, PageState};
use crate::parts::{Parts, scalar_text};
use crate::registry::{ArgLocation, PaginationSpec, RecordId, RequestPlan};

/// The upstream request for one call.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub(crate) url: Url,
    /// JSON text, present only when the plan sends a body.
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) page: PageState,
}

pub(crate) fn prepare(
    base: &BaseUrl,
    auth: &Auth,
    plan: &RequestPlan,
    input: Value,
    links: LinkCursors<'_>,
) -> Result<Prepared, UpstreamError> {
    let Value::Object(mut input) = input else {
        return Err(UpstreamError::InvalidInput {
            message: "the tool input must be a JSON object".to_owned(),
        });
    };

    let mut path_values: Vec<(&str, String)> = Vec::new();
    for arg in plan
        .args
        .iter()
        .filter(|arg| arg.location == ArgLocation::Path)
    {
        match input.get(arg.name) {
            None | Some(Value::Null) => {}
            Some(Value::Object(_) | Value::Array(_)) => {
                return Err(UpstreamError::InvalidInput {
                    message: format!("`{}` must be a string", arg.name),
                });
            }
            Some(value) => path_values.push((arg.name, scalar_text(value))),
        }
    }
    let path_value = |name: &str| {
        path_values
            .iter()
            .find(|(arg, _)| *arg == name)
            .map(|(_, value)| value.as_str())
    };
    let url = base.join(plan.path, path_value)?;
    let mut parts = Parts::new(url);

    let sends_body = plan.record_id.is_some()
        || matches!(
            plan.pagination,
            PaginationSpec::Cursor { in_body: true, .. }
        )
        || plan
            .args
            .iter()
            .any(|arg| matches!(arg.location, ArgLocation::Record | ArgLocation::Body));
    let mut record = Map::new();
    let mut top = Map::new();
    for arg in plan.args {
        match arg.location {
            ArgLocation::Path => {}
            ArgLocation::Query => {
                if let Some(value) = input.get(arg.name) {
                    parts.query_value(arg.upstream, value);
                }
            }
            ArgLocation::Record | ArgLocation::Body => {
                let Some(value) = input.remove(arg.name).filter(|value| !value.is_null()) else {
                    continue;
                };
                let target = if arg.location == ArgLocation::Record {
                    &mut record
                } else {
                    &mut top
                };
                target.insert(arg.upstream.to_owned(), value);
            }
        }
    }
    // The id as the caller gave it: a numeric id stays a number in the record.
    if let Some(RecordId { field, arg }) = plan.record_id
        && let Some(id) = input.get(arg).filter(|id| !id.is_null())
    {
        record.entry(field).or_insert_with(|| id.clone());
    }
    if sends_body {
        let mut body = Map::new();
        match plan.body_wrapper {
            Some(wrapper) => {
                body.insert(wrapper.to_owned(), Value::Object(record));
            }
            None => body.extend(record),
        }
        body.extend(top);
        parts.body_fields(body);
    }

    let limit = input.remove("limit").filter(|value| !value.is_null());
    // The schema says `minimum: 1`; an upstream would read 0 as "your default page size".
    if limit
        .as_ref()
        .is_some_and(|limit| limit.as_u64() == Some(0))
    {
        return Err(UpstreamError::InvalidInput {
            message: "`limit` must be at least 1".to_owned(),
        });
    }
    let cursor = match input.get("next_cursor") {
        None | Some(Value::Null) => None,
        Some(Value::String(cursor)) => Some(cursor.as_str()),
        Some(_) => {
            return Err(UpstreamError::InvalidInput {
                message: "`next_cursor` must be a string".to_owned(),
            });
        }
    };
    let page = pagination::apply(&plan.pagination, base, limit, cursor, &mut parts, links)?;
    let (url, body) = parts.finish(auth)?;
    Ok(Prepared { url, body, page })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;
    use crate::cursor::CursorKey;
    use crate::registry::{Arg, HttpVerb, OutputShape, PathSegment};
    use serde_json::json;

    static KEY: CursorKey = CursorKey::from_bytes([3; 32]);

    fn links(plan: &RequestPlan) -> LinkCursors<'_> {
        LinkCursors {
            key: &KEY,
            integration: "acme",
            plan,
        }
    }

    fn base() -> BaseUrl {
        BaseUrl::resolve("http://127.0.0.1:9", &Credentials::new()).unwrap()
    }

    const UPDATE: RequestPlan = RequestPlan {
        verb: HttpVerb::Put,
        path: &[PathSegment::Literal("/teams/"), PathSegment::Arg("id")],
        args: &[
            Arg {
                name: "id",
                upstream: "slug",
                location: ArgLocation::Path,
            },
            Arg {
                name: "name",
                upstream: "name",
                location: ArgLocation::Record,
            },
            Arg {
                name: "slug",
                upstream: "slug",
                location: ArgLocation::Record,
            },
            Arg {
                name: "dry_run",
                upstream: "dry_run",
                location: ArgLocation::Body,
            },
            Arg {
                name: "tags",
                upstream: "tag",
                location: ArgLocation::Query,
            },
        ],
        body_wrapper: Some("team"),
        record_id: Some(RecordId {
            field: "slug",
            arg: "id",
        }),
        response_path: Some("team"),
        pagination: PaginationSpec::None,
        output: OutputShape::Record,
    };

    fn body(prepared: &Prepared) -> Value {
        serde_json::from_slice(prepared.body.as_deref().unwrap()).unwrap()
    }

    #[test]
    fn update_wraps_the_record_and_copies_the_id() {
        let input =
            json!({"id": "a b", "name": "A", "dry_run": false, "tags": ["x", "y"], "slug": null});
        let prepared = prepare(&base(), &Auth::None, &UPDATE, input, links(&UPDATE)).unwrap();
        assert_eq!(
            prepared.url.as_str(),
            "http://127.0.0.1:9/teams/a%20b?tag=x&tag=y"
        );
        assert_eq!(
            body(&prepared),
            json!({"team": {"name": "A", "slug": "a b"}, "dry_run": false})
        );
    }

    #[test]
    fn a_numeric_id_fills_its_segment_and_the_record() {
        let input = json!({"id": 42, "name": "A"});
        let prepared = prepare(&base(), &Auth::None, &UPDATE, input, links(&UPDATE)).unwrap();
        assert_eq!(prepared.url.as_str(), "http://127.0.0.1:9/teams/42");
        assert_eq!(body(&prepared), json!({"team": {"name": "A", "slug": 42}}));
    }

    #[test]
    fn an_explicit_record_id_is_kept() {
        let input = json!({"id": "old", "slug": "new"});
        let prepared = prepare(&base(), &Auth::None, &UPDATE, input, links(&UPDATE)).unwrap();
        assert_eq!(body(&prepared), json!({"team": {"slug": "new"}}));
    }

    #[test]
    fn plans_without_body_arguments_send_no_body_and_query_auth_goes_last() {
        let plan = RequestPlan {
            args: &UPDATE.args[..1],
            record_id: None,
            body_wrapper: None,
            ..UPDATE
        };
        let auth = Auth::Query("key".into(), "s&cret".into());
        let prepared = prepare(&base(), &auth, &plan, json!({"id": "x"}), links(&plan)).unwrap();
        assert_eq!(
            prepared.url.as_str(),
            "http://127.0.0.1:9/teams/x?key=s%26cret"
        );
        assert!(prepared.body.is_none());
    }

    #[test]
    fn missing_or_structured_path_arguments_are_input_errors() {
        let error = prepare(
            &base(),
            &Auth::None,
            &UPDATE,
            json!({"name": "A"}),
            links(&UPDATE),
        )
        .unwrap_err();
        assert_eq!(error.to_string(), "missing path argument `id`");
        let error = prepare(
            &base(),
            &Auth::None,
            &UPDATE,
            json!({"id": ["a"]}),
            links(&UPDATE),
        )
        .unwrap_err();
        assert_eq!(error.to_string(), "`id` must be a string");
        let error =
            prepare(&base(), &Auth::None, &UPDATE, json!("id"), links(&UPDATE)).unwrap_err();
        assert_eq!(error.to_string(), "the tool input must be a JSON object");
    }
}
