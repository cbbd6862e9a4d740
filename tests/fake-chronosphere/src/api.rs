//! The teams endpoints of the Config API v1, as the swagger describes them.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::state::FakeState;
use crate::store::{Filters, TeamInput};

type Reply = Result<Json<Value>, ApiError>;

/// `ListTeams`: `page.max_size`, `page.token`, repeated `slugs` and `names`.
pub(crate) async fn list(State(state): State<FakeState>, RawQuery(query): RawQuery) -> Reply {
    let filters = parse_filters(query.as_deref().unwrap_or_default())?;
    let page = state.store().list(&filters)?;
    let mut page_result = Map::new();
    if let Some(token) = page.next_token {
        page_result.insert("next_token".to_owned(), Value::String(token));
    }
    Ok(Json(json!({"page": page_result, "teams": page.teams})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    team: Option<TeamInput>,
    #[serde(default)]
    dry_run: bool,
}

/// `CreateTeam`: `{"team": {...}, "dry_run": bool}`.
pub(crate) async fn create(State(state): State<FakeState>, body: Bytes) -> Reply {
    let body: CreateBody = parse_body(&body)?;
    let team = state.store_mut().create(body.team, body.dry_run)?;
    Ok(Json(team_reply(team)))
}

pub(crate) async fn read(State(state): State<FakeState>, Path(slug): Path<String>) -> Reply {
    let team = state.store().get(&slug)?;
    Ok(Json(json!({"team": team})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateBody {
    team: Option<TeamInput>,
    #[serde(default)]
    create_if_missing: bool,
    #[serde(default)]
    dry_run: bool,
}

/// `UpdateTeam`: `{"team": {...}, "create_if_missing": bool, "dry_run": bool}`.
pub(crate) async fn update(
    State(state): State<FakeState>,
    Path(slug): Path<String>,
    body: Bytes,
) -> Reply {
    let body: UpdateBody = parse_body(&body)?;
    let team = state
        .store_mut()
        .update(&slug, body.team, body.create_if_missing, body.dry_run)?;
    Ok(Json(team_reply(team)))
}

/// `DeleteTeam`: replies `{}`.
pub(crate) async fn delete(State(state): State<FakeState>, Path(slug): Path<String>) -> Reply {
    state.store_mut().delete(&slug)?;
    Ok(Json(json!({})))
}

/// A dry run's "partial response without the Team" is `{}`.
fn team_reply(team: Option<crate::store::Team>) -> Value {
    match team {
        Some(team) => json!({"team": team}),
        None => json!({}),
    }
}

fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::invalid(
            "the request body is empty; send a JSON object",
        ));
    }
    serde_json::from_slice(body)
        .map_err(|error| ApiError::invalid(format!("invalid request body: {error}")))
}

fn parse_filters(query: &str) -> Result<Filters, ApiError> {
    let mut filters = Filters::default();
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match &*key {
            "page.max_size" => {
                let size: i64 = value.parse().map_err(|_| {
                    ApiError::invalid(format!("page.max_size: invalid integer \"{value}\""))
                })?;
                filters.max_size = usize::try_from(size)
                    .map_err(|_| ApiError::invalid("page.max_size must not be negative"))?;
            }
            "page.token" => filters.token = value.into_owned(),
            "slugs" => filters.slugs.push(value.into_owned()),
            "names" => filters.names.push(value.into_owned()),
            other => {
                return Err(ApiError::invalid(format!(
                    "unknown query parameter \"{other}\""
                )));
            }
        }
    }
    Ok(filters)
}
