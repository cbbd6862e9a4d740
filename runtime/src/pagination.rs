//! List pagination: placing a tool's `limit` and `next_cursor` into the upstream request, and
//! reading the next cursor back out of the reply, for each [`PaginationSpec`] style.
//!
//! The cursor handed to callers is always a string they pass back unchanged: the upstream's
//! token (cursor style), the next page number or offset as text (page and offset styles), or
//! the next URL sealed for this tool (Link header style, see `crate::cursor`). A Link cursor is
//! only followed when its seal verifies and it points inside the account's base URL, so a
//! forged cursor can neither send credentials to another host nor reach another path.

use reqwest::header::{HeaderMap, LINK};
use serde_json::Value;
use url::Url;

use crate::cursor::LinkCursors;
use crate::dotted;
use crate::endpoint::BaseUrl;
use crate::error::UpstreamError;
use crate::parts::Parts;
use crate::registry::PaginationSpec;

/// What the request asked for, kept to compute the next cursor from the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageState {
    None,
    Cursor {
        next_cursor_path: &'static str,
    },
    Page {
        current: u64,
        limit: Option<u64>,
        has_more_path: Option<&'static str>,
    },
    Offset {
        offset: u64,
        limit: Option<u64>,
        has_more_path: Option<&'static str>,
    },
    Link,
}

/// Puts `limit` and `cursor` (an empty cursor is the first page) where `spec` says.
pub(crate) fn apply(
    spec: &PaginationSpec,
    base: &BaseUrl,
    limit: Option<Value>,
    cursor: Option<&str>,
    parts: &mut Parts,
    links: LinkCursors<'_>,
) -> Result<PageState, UpstreamError> {
    let cursor = cursor.filter(|cursor| !cursor.is_empty());
    let limit_number = limit.as_ref().and_then(Value::as_u64);
    match *spec {
        PaginationSpec::None => Ok(PageState::None),
        PaginationSpec::Cursor {
            in_body,
            cursor_param,
            limit_param,
            next_cursor_path,
        } => {
            let place = |parts: &mut Parts, name: &'static str, value: Value| {
                if in_body {
                    parts.body_field(name, value)
                } else {
                    parts.query_value(name, &value)
                }
            };
            if let (Some(name), Some(limit)) = (limit_param, limit) {
                place(parts, name, limit);
            }
            if let Some(cursor) = cursor {
                place(parts, cursor_param, Value::from(cursor));
            }
            Ok(PageState::Cursor { next_cursor_path })
        }
        PaginationSpec::Page {
            page_param,
            limit_param,
            first_page,
            has_more_path,
        } => {
            let current = cursor.map(parse_number).transpose()?.unwrap_or(first_page);
            parts.query_text(page_param, current.to_string());
            if let (Some(name), Some(limit)) = (limit_param, &limit) {
                parts.query_value(name, limit);
            }
            Ok(PageState::Page {
                current,
                limit: limit_number,
                has_more_path,
            })
        }
        PaginationSpec::Offset {
            offset_param,
            limit_param,
            has_more_path,
        } => {
            let offset = cursor.map(parse_number).transpose()?.unwrap_or(0);
            if offset > 0 {
                parts.query_text(offset_param, offset.to_string());
            }
            if let (Some(name), Some(limit)) = (limit_param, &limit) {
                parts.query_value(name, limit);
            }
            Ok(PageState::Offset {
                offset,
                limit: limit_number,
                has_more_path,
            })
        }
        PaginationSpec::LinkHeader { limit_param } => {
            match cursor {
                Some(cursor) => parts.replace_url(follow_link(base, links, cursor)?),
                None => {
                    if let (Some(name), Some(limit)) = (limit_param, &limit) {
                        parts.query_value(name, limit);
                    }
                }
            }
            Ok(PageState::Link)
        }
    }
}

/// The cursor for the page after this one, or `None` on the last page. `auth_param` is a query
/// parameter carrying credentials, removed from Link cursors so they never reach the caller.
pub(crate) fn next_cursor(
    state: PageState,
    body: &Value,
    records: usize,
    headers: &HeaderMap,
    request_url: &Url,
    auth_param: Option<&str>,
    links: LinkCursors<'_>,
) -> Option<String> {
    // The reply's own flag when the docs name one; else a page that came back full.
    let more = |limit: Option<u64>, has_more_path: Option<&str>| match has_more_path {
        // An empty page ends the list even so: following it could only repeat it.
        Some(path) => records > 0 && dotted::get(body, path) == Some(&Value::Bool(true)),
        None => records > 0 && limit.is_none_or(|limit| records as u64 >= limit),
    };
    match state {
        PageState::None => None,
        PageState::Cursor { next_cursor_path } => match dotted::get(body, next_cursor_path)? {
            Value::String(token) if !token.is_empty() => Some(token.clone()),
            Value::Number(number) => Some(number.to_string()),
            _ => None,
        },
        PageState::Page {
            current,
            limit,
            has_more_path,
        } => more(limit, has_more_path).then(|| current.saturating_add(1).to_string()),
        PageState::Offset {
            offset,
            limit,
            has_more_path,
        } => more(limit, has_more_path).then(|| offset.saturating_add(records as u64).to_string()),
        PageState::Link => {
            let link = headers
                .get_all(LINK)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .find_map(next_link)?;
            let mut url = request_url.join(link).ok()?;
            if let Some(param) = auth_param {
                remove_query_param(&mut url, param);
            }
            Some(links.seal(&url))
        }
    }
}

fn parse_number(cursor: &str) -> Result<u64, UpstreamError> {
    cursor.parse().map_err(|_| UpstreamError::InvalidInput {
        message: format!(
            "`next_cursor` {cursor:?} is not a cursor this tool returned; pass the previous page's \
             `next_cursor` back unchanged, or leave it out for the first page"
        ),
    })
}

fn follow_link(base: &BaseUrl, links: LinkCursors<'_>, cursor: &str) -> Result<Url, UpstreamError> {
    let url = links.open(cursor)?;
    // The seal already proves the server issued it; the base check still holds should the
    // upstream have linked elsewhere.
    if !base.contains(&url) {
        return Err(UpstreamError::InvalidInput {
            message: format!(
                "`next_cursor` points outside the upstream ({}); refusing to send credentials there",
                url.origin().ascii_serialization()
            ),
        });
    }
    Ok(url)
}

/// The target of the `rel="next"` link in one `Link` header value (RFC 8288).
fn next_link(header: &str) -> Option<&str> {
    let mut rest = header;
    loop {
        let open = rest.find('<')?;
        let close = open + rest[open..].find('>')?;
        let target = &rest[open + 1..close];
        rest = &rest[close + 1..];
        let params = &rest[..rest.find('<').unwrap_or(rest.len())];
        let is_next = params
            .split(';')
            .filter_map(|param| param.split_once('='))
            .any(|(key, value)| {
                key.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_end_matches(',')
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            });
        if is_next {
            return Some(target);
        }
    }
}

fn remove_query_param(url: &mut Url, name: &str) {
    if !url.query_pairs().any(|(key, _)| key == name) {
        return;
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| key != name)
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;
    use crate::cursor::CursorKey;
    use crate::registry::{HttpVerb, OutputShape, PathSegment, RequestPlan};
    use reqwest::header::HeaderValue;
    use serde_json::json;

    static KEY: CursorKey = CursorKey::from_bytes([3; 32]);
    const PLAN: RequestPlan = RequestPlan {
        verb: HttpVerb::Get,
        path: &[PathSegment::Literal("/items")],
        args: &[],
        body_wrapper: None,
        record_id: None,
        response_path: None,
        pagination: PaginationSpec::LinkHeader { limit_param: None },
        output: OutputShape::Page,
    };

    fn links() -> LinkCursors<'static> {
        LinkCursors {
            key: &KEY,
            integration: "acme",
            plan: &PLAN,
        }
    }

    fn base() -> BaseUrl {
        BaseUrl::resolve("http://127.0.0.1:9/api", &Credentials::new()).unwrap()
    }

    fn parts() -> Parts {
        Parts::new(base().join(PLAN.path, |_| None).unwrap())
    }

    fn no_headers() -> HeaderMap {
        HeaderMap::new()
    }

    fn url() -> Url {
        Url::parse("http://127.0.0.1:9/api/items").unwrap()
    }

    #[test]
    fn cursor_in_query_and_body() {
        let spec = PaginationSpec::Cursor {
            in_body: false,
            cursor_param: "page.token",
            limit_param: Some("page.max_size"),
            next_cursor_path: "page.next_token",
        };
        let mut query = parts();
        let state = apply(
            &spec,
            &base(),
            Some(json!(2)),
            Some("abc"),
            &mut query,
            links(),
        )
        .unwrap();
        assert_eq!(query.query_string(), "page.max_size=2&page.token=abc");
        assert_eq!(
            next_cursor(
                state,
                &json!({"page": {"next_token": "n"}}),
                2,
                &no_headers(),
                &url(),
                None,
                links()
            )
            .as_deref(),
            Some("n")
        );
        assert_eq!(
            next_cursor(
                state,
                &json!({"page": {"next_token": ""}}),
                2,
                &no_headers(),
                &url(),
                None,
                links()
            ),
            None
        );
        assert_eq!(
            next_cursor(
                state,
                &json!({"page": {}}),
                2,
                &no_headers(),
                &url(),
                None,
                links()
            ),
            None
        );

        let spec = PaginationSpec::Cursor {
            in_body: true,
            cursor_param: "cursor",
            limit_param: Some("limit"),
            next_cursor_path: "next",
        };
        let mut body = parts();
        apply(
            &spec,
            &base(),
            Some(json!(5)),
            Some("c1"),
            &mut body,
            links(),
        )
        .unwrap();
        assert_eq!(body.body_json(), Some(json!({"limit": 5, "cursor": "c1"})));
    }

    #[test]
    fn page_style_counts_pages_and_stops_on_a_short_page() {
        let spec = PaginationSpec::Page {
            page_param: "page",
            limit_param: Some("per_page"),
            first_page: 1,
            has_more_path: None,
        };
        let mut first = parts();
        let state = apply(&spec, &base(), Some(json!(10)), None, &mut first, links()).unwrap();
        assert_eq!(first.query_string(), "page=1&per_page=10");
        assert_eq!(
            next_cursor(state, &json!([]), 10, &no_headers(), &url(), None, links()).as_deref(),
            Some("2")
        );
        assert_eq!(
            next_cursor(state, &json!([]), 3, &no_headers(), &url(), None, links()),
            None
        );

        let mut third = parts();
        let state = apply(&spec, &base(), None, Some("3"), &mut third, links()).unwrap();
        assert_eq!(third.query_string(), "page=3");
        assert_eq!(
            next_cursor(state, &json!([]), 1, &no_headers(), &url(), None, links()).as_deref(),
            Some("4")
        );
        assert_eq!(
            next_cursor(state, &json!([]), 0, &no_headers(), &url(), None, links()),
            None
        );

        let error = apply(&spec, &base(), None, Some("x"), &mut parts(), links()).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("pass the previous page's `next_cursor` back unchanged"),
            "{error}"
        );
    }

    #[test]
    fn offset_style_advances_by_the_records_received() {
        let spec = PaginationSpec::Offset {
            offset_param: "offset",
            limit_param: Some("limit"),
            has_more_path: None,
        };
        let mut first = parts();
        let state = apply(&spec, &base(), Some(json!(2)), None, &mut first, links()).unwrap();
        assert_eq!(first.query_string(), "limit=2");
        assert_eq!(
            next_cursor(state, &json!([]), 2, &no_headers(), &url(), None, links()).as_deref(),
            Some("2")
        );

        let mut later = parts();
        let state = apply(
            &spec,
            &base(),
            Some(json!(2)),
            Some("4"),
            &mut later,
            links(),
        )
        .unwrap();
        assert_eq!(later.query_string(), "offset=4&limit=2");
        assert_eq!(
            next_cursor(state, &json!([]), 2, &no_headers(), &url(), None, links()).as_deref(),
            Some("6")
        );
        assert_eq!(
            next_cursor(state, &json!([]), 1, &no_headers(), &url(), None, links()),
            None
        );
    }

    #[test]
    fn a_has_more_flag_decides_instead_of_the_page_size() {
        let spec = PaginationSpec::Offset {
            offset_param: "offset",
            limit_param: Some("limit"),
            has_more_path: Some("more"),
        };
        let state = apply(
            &spec,
            &base(),
            Some(json!(25)),
            Some("25"),
            &mut parts(),
            links(),
        );
        let state = state.unwrap();
        let next = |body: Value, records| {
            next_cursor(state, &body, records, &no_headers(), &url(), None, links())
        };
        // A full last page: the flag ends it without the extra, empty call.
        assert_eq!(next(json!({"more": false}), 25), None);
        // A short page that is not the last one.
        assert_eq!(next(json!({"more": true}), 10).as_deref(), Some("35"));
        // No flag, or an empty page: the end.
        assert_eq!(next(json!({}), 25), None);
        assert_eq!(next(json!({"more": true}), 0), None);
    }

    #[test]
    fn link_header_cursor_is_the_sealed_next_url_without_auth() {
        let spec = PaginationSpec::LinkHeader {
            limit_param: Some("per_page"),
        };
        let mut headers = HeaderMap::new();
        headers.append(
            LINK,
            HeaderValue::from_static(
                "<http://127.0.0.1:9/api/items?page=1>; rel=\"prev\", <http://127.0.0.1:9/api/items?page=3&key=s3cret>; rel=\"next last\"",
            ),
        );
        let state = apply(&spec, &base(), Some(json!(50)), None, &mut parts(), links()).unwrap();
        let next = next_cursor(
            state,
            &Value::Null,
            50,
            &headers,
            &url(),
            Some("key"),
            links(),
        );
        let next = next.unwrap();
        assert_eq!(
            links().open(&next).unwrap().as_str(),
            "http://127.0.0.1:9/api/items?page=3"
        );
        assert!(!next.contains("s3cret"), "{next}");

        let mut follow = parts();
        apply(
            &spec,
            &base(),
            Some(json!(50)),
            Some(&next),
            &mut follow,
            links(),
        )
        .unwrap();
        assert_eq!(follow.url().as_str(), "http://127.0.0.1:9/api/items?page=3");

        let mut relative = HeaderMap::new();
        relative.insert(
            LINK,
            HeaderValue::from_static("</api/items?page=2>; rel=next"),
        );
        let next = next_cursor(state, &Value::Null, 1, &relative, &url(), None, links());
        assert_eq!(
            links().open(&next.unwrap()).unwrap().as_str(),
            "http://127.0.0.1:9/api/items?page=2"
        );
        assert_eq!(
            next_cursor(state, &Value::Null, 1, &no_headers(), &url(), None, links()),
            None
        );
    }

    #[test]
    fn unsealed_cursors_and_sealed_links_out_of_the_base_are_refused() {
        let spec = PaginationSpec::LinkHeader { limit_param: None };
        let inside = "http://127.0.0.1:9/api/items?page=2";
        let mut cursors: Vec<String> = [
            inside,
            "http://evil.example/api/items?page=2",
            "http://127.0.0.1:9/api/users",
            "not a url",
        ]
        .map(str::to_owned)
        .to_vec();
        // Sealed, but the upstream linked out of the base: still not followed.
        for outside in ["http://127.0.0.1:10/api/items", "http://127.0.0.1:9/other"] {
            cursors.push(links().seal(&Url::parse(outside).unwrap()));
        }
        for cursor in cursors {
            let error = apply(&spec, &base(), None, Some(&cursor), &mut parts(), links());
            let error = error.unwrap_err();
            assert!(
                matches!(error, UpstreamError::InvalidInput { .. }),
                "{cursor}: {error}"
            );
        }
    }
}
