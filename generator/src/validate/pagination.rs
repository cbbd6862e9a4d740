//! Pagination styles, from the integration default or a method override, to the model.

use crate::diagnostics::Diagnostic;
use crate::docs::{LocationDoc, PaginationDoc};
use crate::model::{Pagination, ParamLocation};

use super::checks;
use super::schema::join;
use super::source::Source;

/// Converts a pagination style found at `path`, reporting empty or malformed parameter names.
pub(crate) fn convert(
    doc: &PaginationDoc,
    path: &[String],
    src: &Source<'_>,
    out: &mut Vec<Diagnostic>,
) -> Pagination {
    let param = |key: &str, value: &str, out: &mut Vec<Diagnostic>| {
        if value.trim().is_empty() {
            out.push(src.error(
                src.value(&join(path, &[key])),
                format!("`{key}` is empty"),
                Some("give the upstream parameter name".to_owned()),
            ));
        }
    };
    let limit = |limit_param: &Option<String>, out: &mut Vec<Diagnostic>| {
        if let Some(limit_param) = limit_param {
            param("limit_param", limit_param, out);
        }
        limit_param.clone()
    };
    let has_more = |has_more_path: &Option<String>, out: &mut Vec<Diagnostic>| {
        if let Some(has_more_path) = has_more_path {
            checks::dotted(src, &join(path, &["has_more_path"]), has_more_path, out);
        }
        has_more_path.clone()
    };
    match doc {
        PaginationDoc::None => Pagination::None,
        PaginationDoc::Cursor {
            location,
            cursor_param,
            limit_param,
            next_cursor_path,
        } => {
            param("cursor_param", cursor_param, out);
            checks::dotted(
                src,
                &join(path, &["next_cursor_path"]),
                next_cursor_path,
                out,
            );
            Pagination::Cursor {
                location: match location {
                    LocationDoc::Query => ParamLocation::Query,
                    LocationDoc::Body => ParamLocation::Body,
                },
                cursor_param: cursor_param.clone(),
                limit_param: limit(limit_param, out),
                next_cursor_path: next_cursor_path.clone(),
            }
        }
        PaginationDoc::Page {
            page_param,
            limit_param,
            first_page,
            has_more_path,
        } => {
            param("page_param", page_param, out);
            Pagination::Page {
                page_param: page_param.clone(),
                limit_param: limit(limit_param, out),
                first_page: *first_page,
                has_more_path: has_more(has_more_path, out),
            }
        }
        PaginationDoc::Offset {
            offset_param,
            limit_param,
            has_more_path,
        } => {
            param("offset_param", offset_param, out);
            Pagination::Offset {
                offset_param: offset_param.clone(),
                limit_param: limit(limit_param, out),
                has_more_path: has_more(has_more_path, out),
            }
        }
        PaginationDoc::LinkHeader { limit_param } => Pagination::LinkHeader {
            limit_param: limit(limit_param, out),
        },
    }
}

/// The upstream parameters a pagination style fills itself, and where they go.
pub(crate) fn managed_params(pagination: &Pagination) -> (ParamLocation, Vec<&str>) {
    match pagination {
        Pagination::None => (ParamLocation::Query, Vec::new()),
        Pagination::Cursor {
            location,
            cursor_param,
            limit_param,
            ..
        } => (
            *location,
            [Some(cursor_param.as_str()), limit_param.as_deref()]
                .into_iter()
                .flatten()
                .collect(),
        ),
        Pagination::Page {
            page_param,
            limit_param,
            ..
        } => (
            ParamLocation::Query,
            [Some(page_param.as_str()), limit_param.as_deref()]
                .into_iter()
                .flatten()
                .collect(),
        ),
        Pagination::Offset {
            offset_param,
            limit_param,
            ..
        } => (
            ParamLocation::Query,
            [Some(offset_param.as_str()), limit_param.as_deref()]
                .into_iter()
                .flatten()
                .collect(),
        ),
        Pagination::LinkHeader { limit_param } => (
            ParamLocation::Query,
            limit_param.iter().map(String::as_str).collect(),
        ),
    }
}
