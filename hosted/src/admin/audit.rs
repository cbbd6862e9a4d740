//! `/audit-log`: the record of every change made through the admin API, the CLI and key
//! rotation, oldest first, paged like every admin list.

use axum::Json;
use axum::extract::State;
use mcpgen_runtime::Page;

use super::extract::Paging;
use crate::api_error::ApiError;
use crate::state::AppState;
use crate::views::AuditView;

pub(super) async fn list(
    State(state): State<AppState>,
    paging: Paging,
) -> Result<Json<Page<AuditView>>, ApiError> {
    let page = state
        .hosted
        .audit_log(paging.cursor.as_deref(), paging.limit)
        .await?;
    Ok(Json(Page {
        result: page.result.iter().map(AuditView::from).collect(),
        next_cursor: page.next_cursor,
    }))
}
