//! [`ApiError`]: every failure of a hosted route (the admin API, `/mcp/<token>` before its
//! endpoint, unknown routes) as `{"error": "<code>", "message": "..."}` with the status that
//! fits, so clients never have to parse axum's plain-text rejections.

use axum::Json;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use serde_json::json;

use crate::error::HostedError;

/// How long a client should wait after a 503 (an unusable account is re-checked this often).
const RETRY_AFTER_SECS: &str = "60";

/// A failed hosted request: the status, and the `{"error": code, "message": text}` body.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    pub(crate) fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }
}

impl From<HostedError> for ApiError {
    fn from(error: HostedError) -> Self {
        match error {
            HostedError::Invalid { code, message } => {
                Self::new(StatusCode::BAD_REQUEST, code, message)
            }
            HostedError::NotFound { .. } => {
                Self::new(StatusCode::NOT_FOUND, "not_found", error.to_string())
            }
            HostedError::Conflict { code, message } => {
                Self::new(StatusCode::CONFLICT, code, message)
            }
            HostedError::Unusable { message } => {
                Self::new(StatusCode::SERVICE_UNAVAILABLE, "account_unusable", message)
            }
            HostedError::Restart { code, message } => {
                tracing::error!(%message, "refused until restarted");
                Self::new(StatusCode::SERVICE_UNAVAILABLE, code, message)
            }
            HostedError::Internal(details) => {
                tracing::error!(%details, "hosted-mode request failed");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error; the server log has the details",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(json!({ "error": self.code, "message": self.message })),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(RETRY_AFTER_SECS),
            );
        }
        response
    }
}
