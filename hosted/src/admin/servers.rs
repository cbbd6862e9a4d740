//! `/integrated-account/:id/mcp` routes: MCP servers of one account. The URL (with its token)
//! is only in the reply to `POST`.

use axum::Json;
use axum::extract::State;
use http::StatusCode;
use mcpgen_runtime::Page;

use super::extract::{JsonBody, Paging, Segments};
use crate::api_error::ApiError;
use crate::input::{NewServer, ServerPatch};
use crate::model::Actor;
use crate::state::AppState;
use crate::views::ServerView;

pub(super) async fn create(
    State(state): State<AppState>,
    Segments(account_id): Segments<String>,
    JsonBody(input): JsonBody<NewServer>,
) -> Result<(StatusCode, Json<ServerView>), ApiError> {
    let (server, url) = state
        .hosted
        .create_server(&account_id, &input, Actor::Admin)
        .await?;
    let view = ServerView {
        url: Some(url),
        ..ServerView::from(&server)
    };
    Ok((StatusCode::CREATED, Json(view)))
}

pub(super) async fn get(
    State(state): State<AppState>,
    Segments((account_id, id)): Segments<(String, String)>,
) -> Result<Json<ServerView>, ApiError> {
    let server = state.hosted.server(Some(&account_id), &id).await?;
    Ok(Json(ServerView::from(&server)))
}

pub(super) async fn list(
    State(state): State<AppState>,
    Segments(account_id): Segments<String>,
    paging: Paging,
) -> Result<Json<Page<ServerView>>, ApiError> {
    let page = state
        .hosted
        .servers(Some(&account_id), paging.cursor.as_deref(), paging.limit)
        .await?;
    Ok(Json(Page {
        result: page.result.iter().map(ServerView::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

pub(super) async fn update(
    State(state): State<AppState>,
    Segments((account_id, id)): Segments<(String, String)>,
    JsonBody(patch): JsonBody<ServerPatch>,
) -> Result<Json<ServerView>, ApiError> {
    let server = state
        .hosted
        .update_server(&account_id, &id, &patch, Actor::Admin)
        .await?;
    Ok(Json(ServerView::from(&server)))
}

pub(super) async fn delete(
    State(state): State<AppState>,
    Segments((account_id, id)): Segments<(String, String)>,
) -> Result<StatusCode, ApiError> {
    state
        .hosted
        .delete_server(Some(&account_id), &id, Actor::Admin)
        .await?;
    state.gateway.forget_server(&id);
    Ok(StatusCode::NO_CONTENT)
}
