//! `/integrated-account` routes: create, get, list and delete integrated accounts.

use axum::Json;
use axum::extract::State;
use http::StatusCode;
use mcpgen_runtime::Page;

use super::extract::{JsonBody, Paging, Segments};
use crate::api_error::ApiError;
use crate::input::NewAccount;
use crate::model::Actor;
use crate::state::AppState;
use crate::views::AccountView;

pub(super) async fn create(
    State(state): State<AppState>,
    JsonBody(input): JsonBody<NewAccount>,
) -> Result<(StatusCode, Json<AccountView>), ApiError> {
    let account = state.hosted.create_account(&input, Actor::Admin).await?;
    Ok((StatusCode::CREATED, Json(AccountView::from(&account))))
}

pub(super) async fn get(
    State(state): State<AppState>,
    Segments(id): Segments<String>,
) -> Result<Json<AccountView>, ApiError> {
    let account = state.hosted.account(&id).await?;
    Ok(Json(AccountView::from(&account)))
}

pub(super) async fn list(
    State(state): State<AppState>,
    paging: Paging,
) -> Result<Json<Page<AccountView>>, ApiError> {
    let page = state
        .hosted
        .accounts(paging.cursor.as_deref(), paging.limit)
        .await?;
    Ok(Json(Page {
        result: page.result.iter().map(AccountView::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

pub(super) async fn delete(
    State(state): State<AppState>,
    Segments(id): Segments<String>,
) -> Result<StatusCode, ApiError> {
    state.hosted.delete_account(&id, Actor::Admin).await?;
    state.gateway.forget_account(&id);
    Ok(StatusCode::NO_CONTENT)
}
