//! `/api-tokens` routes: tokens that servers with `require_api_token_auth` demand as
//! `Authorization: Bearer <token>`. The raw token is only in the reply to `POST`.

use axum::Json;
use axum::extract::State;
use http::StatusCode;
use mcpgen_runtime::Page;

use super::extract::{Paging, Segments};
use crate::api_error::ApiError;
use crate::model::Actor;
use crate::state::AppState;
use crate::views::ApiTokenView;

pub(super) async fn create(
    State(state): State<AppState>,
) -> Result<(StatusCode, Json<ApiTokenView>), ApiError> {
    let (record, token) = state.hosted.create_api_token(Actor::Admin).await?;
    let view = ApiTokenView {
        token: Some(token),
        ..ApiTokenView::from(&record)
    };
    Ok((StatusCode::CREATED, Json(view)))
}

pub(super) async fn list(
    State(state): State<AppState>,
    paging: Paging,
) -> Result<Json<Page<ApiTokenView>>, ApiError> {
    let page = state
        .hosted
        .api_tokens(paging.cursor.as_deref(), paging.limit)
        .await?;
    Ok(Json(Page {
        result: page.result.iter().map(ApiTokenView::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

pub(super) async fn delete(
    State(state): State<AppState>,
    Segments(id): Segments<String>,
) -> Result<StatusCode, ApiError> {
    state.hosted.delete_api_token(&id, Actor::Admin).await?;
    Ok(StatusCode::NO_CONTENT)
}
