//! Extractors for admin requests whose rejections are [`ApiError`]s: a JSON body that names
//! the field at fault, path segments, and list paging parameters.
//!
//! Statuses follow axum's convention: a body that is not JSON is 400 `invalid_json`, JSON of
//! the wrong shape (missing, unknown or mistyped fields) is 422 `invalid_body`, and a body sent
//! as something other than JSON is 415.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use http::request::Parts;
use http::{StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use crate::api_error::ApiError;
use crate::core::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use mcpgen_server::connections::BodyTimeout;

/// A JSON request body decoded as `T`.
#[derive(Debug)]
pub(super) struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok());
        if let Some(content_type) = content_type
            && !is_json(content_type)
        {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                format!(
                    "the body must be JSON; send Content-Type: application/json (got {content_type:?})"
                ),
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if let Some(timeout) = BodyTimeout::find(&rejection) {
                    return ApiError::new(
                        StatusCode::REQUEST_TIMEOUT,
                        "body_timeout",
                        timeout.to_string(),
                    );
                }
                let code = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    "body_too_large"
                } else {
                    "invalid_body"
                };
                ApiError::new(rejection.status(), code, rejection.body_text())
            })?;
        decode(&bytes).map(JsonBody)
    }
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// Decodes `bytes`, naming the path of a misfit value (`config.methods[0]: invalid type ...`).
pub(super) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            "the request body is empty; send a JSON object",
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let decoded = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => deserializer
            .end()
            .map(|()| value)
            .map_err(|error| (String::new(), error)),
        Err(error) => Err((error.path().to_string(), error.into_inner())),
    };
    decoded.map_err(|(path, error)| match error.classify() {
        Category::Data => {
            let message = if path.is_empty() || path == "." {
                error.to_string()
            } else {
                format!("{path}: {error}")
            };
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", message)
        }
        Category::Syntax | Category::Eof | Category::Io => ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("the body is not valid JSON: {error}"),
        ),
    })
}

/// Path parameters; a segment that is not UTF-8 once percent-decoded is a 400, not axum's text.
#[derive(Debug)]
pub(super) struct Segments<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Segments<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(value) =
            Path::<T>::from_request_parts(parts, state)
                .await
                .map_err(|rejection| {
                    ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "invalid_path",
                        rejection.body_text(),
                    )
                })?;
        Ok(Segments(value))
    }
}

/// `?limit=&next_cursor=` of admin list routes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Paging {
    pub limit: usize,
    pub cursor: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Paging {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(pairs) = Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|rejection| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_query",
                    rejection.body_text(),
                )
            })?;
        let mut paging = Paging {
            limit: DEFAULT_PAGE_SIZE,
            cursor: None,
        };
        for (key, value) in pairs {
            match key.as_str() {
                "limit" => paging.limit = parse_limit(&value)?,
                "next_cursor" if !value.is_empty() => paging.cursor = Some(value),
                "next_cursor" => {}
                other => {
                    return Err(ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "invalid_query",
                        format!(
                            "unknown query parameter {other:?}; list routes take limit and next_cursor"
                        ),
                    ));
                }
            }
        }
        Ok(paging)
    }
}

fn parse_limit(value: &str) -> Result<usize, ApiError> {
    value
        .parse::<usize>()
        .ok()
        .filter(|limit| (1..=MAX_PAGE_SIZE).contains(limit))
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_limit",
                format!("limit must be a whole number from 1 to {MAX_PAGE_SIZE} (got {value:?})"),
            )
        })
}
