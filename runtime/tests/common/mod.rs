//! A hand-written Chronosphere teams integration, shaped exactly like generated code (static
//! tools with plans, typed records and inputs, `handler::<I, O>`), plus helpers to run it against
//! the fake upstream.

#![allow(dead_code)]
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use fake_chronosphere::{FakeConfig, FakeHandle};
use mcpgen_runtime::{
    Annotations, Arg, ArgLocation, AuthSpec, CallError, CredentialSpec, Credentials, HttpVerb,
    Integration, MethodKind, OutputShape, Page, PaginationSpec, RateLimitSpec, RequestPlan, Tool,
    UpstreamClient, UpstreamConfig, handler,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub(crate) const TOKEN: &str = "tok-SECRET-7f3a9c";

/// The record, with unknown fields kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct ChronosphereTeam {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_emails: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListTeamsInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slugs: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub names: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IdInput {
    pub id: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateTeamInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_emails: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateTeamInput {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_emails: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_if_missing: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
}

const RECORD_FIELDS: [Arg; 4] = [
    Arg {
        name: "slug",
        upstream: "slug",
        location: ArgLocation::Record,
    },
    Arg {
        name: "name",
        upstream: "name",
        location: ArgLocation::Record,
    },
    Arg {
        name: "description",
        upstream: "description",
        location: ArgLocation::Record,
    },
    Arg {
        name: "user_emails",
        upstream: "user_emails",
        location: ArgLocation::Record,
    },
];
const ID: Arg = Arg {
    name: "id",
    upstream: "slug",
    location: ArgLocation::Path,
};

const READ: Annotations = Annotations {
    read_only: true,
    destructive: false,
    idempotent: true,
    open_world: true,
};

pub(crate) static LIST: Tool = Tool {
    name: "list_all_chronosphere_teams",
    title: "List teams",
    description: "List teams.",
    method: MethodKind::List,
    resource: "teams",
    tags: &["rbac", "teams"],
    input_schema: "{}",
    output_schema: "{}",
    annotations: READ,
    plan: RequestPlan {
        verb: HttpVerb::Get,
        path: &[mcpgen_runtime::PathSegment::Literal("/api/v1/config/teams")],
        args: &[
            Arg {
                name: "slugs",
                upstream: "slugs",
                location: ArgLocation::Query,
            },
            Arg {
                name: "names",
                upstream: "names",
                location: ArgLocation::Query,
            },
        ],
        body_wrapper: None,
        record_id: None,
        response_path: Some("teams"),
        pagination: PaginationSpec::Cursor {
            in_body: false,
            cursor_param: "page.token",
            limit_param: Some("page.max_size"),
            next_cursor_path: "page.next_token",
        },
        output: OutputShape::Page,
    },
    handler: handler::<ListTeamsInput, Page<ChronosphereTeam>>,
};

pub(crate) static GET: Tool = Tool {
    name: "get_single_chronosphere_team_by_id",
    title: "Get a team",
    description: "Read one team.",
    method: MethodKind::Get,
    resource: "teams",
    tags: &["rbac", "teams"],
    input_schema: "{}",
    output_schema: "{}",
    annotations: READ,
    plan: RequestPlan {
        verb: HttpVerb::Get,
        path: &[
            mcpgen_runtime::PathSegment::Literal("/api/v1/config/teams/"),
            mcpgen_runtime::PathSegment::Arg("id"),
        ],
        args: &[ID],
        body_wrapper: None,
        record_id: None,
        response_path: Some("team"),
        pagination: PaginationSpec::None,
        output: OutputShape::Record,
    },
    handler: handler::<IdInput, ChronosphereTeam>,
};

pub(crate) static CREATE: Tool = Tool {
    name: "create_a_chronosphere_team",
    title: "Create a team",
    description: "Create a team.",
    method: MethodKind::Create,
    resource: "teams",
    tags: &["rbac", "teams"],
    input_schema: "{}",
    output_schema: "{}",
    annotations: Annotations {
        read_only: false,
        destructive: false,
        idempotent: false,
        open_world: true,
    },
    plan: RequestPlan {
        verb: HttpVerb::Post,
        path: &[mcpgen_runtime::PathSegment::Literal("/api/v1/config/teams")],
        args: &[
            RECORD_FIELDS[0],
            RECORD_FIELDS[1],
            RECORD_FIELDS[2],
            RECORD_FIELDS[3],
            Arg {
                name: "dry_run",
                upstream: "dry_run",
                location: ArgLocation::Body,
            },
        ],
        body_wrapper: Some("team"),
        record_id: None,
        response_path: Some("team"),
        pagination: PaginationSpec::None,
        output: OutputShape::Record,
    },
    handler: handler::<CreateTeamInput, ChronosphereTeam>,
};

pub(crate) static UPDATE: Tool = Tool {
    name: "update_a_chronosphere_team_by_id",
    title: "Update a team",
    description: "Replace a team.",
    method: MethodKind::Update,
    resource: "teams",
    tags: &["rbac", "teams"],
    input_schema: "{}",
    output_schema: "{}",
    annotations: Annotations {
        read_only: false,
        destructive: false,
        idempotent: true,
        open_world: true,
    },
    plan: RequestPlan {
        verb: HttpVerb::Put,
        path: &[
            mcpgen_runtime::PathSegment::Literal("/api/v1/config/teams/"),
            mcpgen_runtime::PathSegment::Arg("id"),
        ],
        args: &[
            ID,
            RECORD_FIELDS[1],
            RECORD_FIELDS[2],
            RECORD_FIELDS[3],
            Arg {
                name: "create_if_missing",
                upstream: "create_if_missing",
                location: ArgLocation::Body,
            },
            Arg {
                name: "dry_run",
                upstream: "dry_run",
                location: ArgLocation::Body,
            },
        ],
        body_wrapper: Some("team"),
        record_id: Some(mcpgen_runtime::RecordId {
            field: "slug",
            arg: "id",
        }),
        response_path: Some("team"),
        pagination: PaginationSpec::None,
        output: OutputShape::Record,
    },
    handler: handler::<UpdateTeamInput, ChronosphereTeam>,
};

pub(crate) static DELETE: Tool = Tool {
    name: "delete_a_chronosphere_team_by_id",
    title: "Delete a team",
    description: "Delete a team.",
    method: MethodKind::Delete,
    resource: "teams",
    tags: &["rbac", "teams"],
    input_schema: "{}",
    output_schema: "{}",
    annotations: Annotations {
        read_only: false,
        destructive: true,
        idempotent: true,
        open_world: true,
    },
    plan: RequestPlan {
        verb: HttpVerb::Delete,
        path: &[
            mcpgen_runtime::PathSegment::Literal("/api/v1/config/teams/"),
            mcpgen_runtime::PathSegment::Arg("id"),
        ],
        args: &[ID],
        body_wrapper: None,
        record_id: None,
        response_path: None,
        pagination: PaginationSpec::None,
        output: OutputShape::Raw,
    },
    handler: handler::<IdInput, Value>,
};

pub(crate) static CHRONOSPHERE: Integration = Integration {
    name: "chronosphere",
    display_name: "Chronosphere",
    description: "Chronosphere Config API v1.",
    base_url: "https://{tenant}.chronosphere.io",
    credentials: &[
        CredentialSpec {
            name: "tenant",
            description: "The tenant.",
            secret: false,
        },
        CredentialSpec {
            name: "api_token",
            description: "An API token.",
            secret: true,
        },
    ],
    auth: AuthSpec::Header {
        name: "API-Token",
        value: "{api_token}",
    },
    rate_limit: RateLimitSpec {
        limit: &["X-RateLimit-Limit"],
        remaining: &["X-RateLimit-Remaining"],
        reset: &["X-RateLimit-Reset"],
    },
    error_message_path: Some("message"),
    tools: &[&CREATE, &DELETE, &GET, &LIST, &UPDATE],
    resources: &[],
};

pub(crate) fn credentials(token: &str) -> Credentials {
    Credentials::new()
        .with("tenant", "acme")
        .with("api_token", token)
}

pub(crate) fn client_for(
    base_url: String,
    token: &str,
    timeout: Duration,
    max_body_bytes: usize,
) -> UpstreamClient {
    let config = UpstreamConfig {
        base_url: Some(base_url),
        timeout,
        max_body_bytes,
        ..UpstreamConfig::default()
    };
    UpstreamClient::new(&CHRONOSPHERE, credentials(token), config).unwrap()
}

/// A fake with `seed` teams and a client for it.
pub(crate) async fn fake(seed: usize) -> (FakeHandle, UpstreamClient) {
    let (addr, handle) = fake_chronosphere::spawn(FakeConfig {
        seed_teams: seed,
        ..FakeConfig::new(TOKEN)
    })
    .await
    .unwrap();
    let client = client_for(
        format!("http://{addr}"),
        TOKEN,
        Duration::from_secs(5),
        1024 * 1024,
    );
    (handle, client)
}

/// Calls `tool` the way the server does: JSON arguments in, structured content out.
pub(crate) async fn call_tool(
    client: &UpstreamClient,
    tool: &'static Tool,
    args: Value,
) -> Result<Value, CallError> {
    let Value::Object(args) = args else {
        panic!("arguments must be an object")
    };
    (tool.handler)(client, &tool.plan, args).await
}

/// Every way an error can be shown, for secret checks.
pub(crate) fn all_text(error: &CallError) -> String {
    let json = match error {
        CallError::Upstream(upstream) => upstream.to_json().to_string(),
        CallError::InvalidArguments(_) => String::new(),
    };
    format!("{error} | {error:?} | {json}")
}
