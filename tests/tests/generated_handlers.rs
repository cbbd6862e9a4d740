//! The generated Chronosphere crate, called directly (no MCP) against `fake-chronosphere`: the
//! typed client (`ChronosphereClient::list_teams`, ...) and each tool's `handler` from
//! `INTEGRATION.tools` with JSON arguments, the way the server calls it.
//!
//! The runtime's own tests use a hand-written integration; these prove that what the generator
//! emitted (plans, paths, body wrappers, argument names, auth, the rate-limit mapping) talks to
//! an upstream that follows the swagger. Every successful handler output is also checked against
//! the tool's `output_schema`, as an MCP client checks `structuredContent`.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

use std::collections::BTreeSet;
use std::time::Duration;

use fake_chronosphere::{FakeConfig, FakeHandle, RateLimitPlan, RecordedRequest};
use mcpgen_chronosphere::teams::{
    CreateAChronosphereTeamInput, DeleteAChronosphereTeamByIdInput,
    GetSingleChronosphereTeamByIdInput, ListAllChronosphereTeamsInput, Team,
    UpdateAChronosphereTeamByIdInput,
};
use mcpgen_chronosphere::{ChronosphereClient, INTEGRATION};
use mcpgen_runtime::{CallError, Credentials, Tool, UpstreamClient, UpstreamConfig, UpstreamError};
use serde_json::{Value, json};

const TOKEN: &str = "chrono-tok-5f1e9a7c3b";

const LIST: &str = "list_all_chronosphere_teams";
const GET: &str = "get_single_chronosphere_team_by_id";
const CREATE: &str = "create_a_chronosphere_team";
const UPDATE: &str = "update_a_chronosphere_team_by_id";
const DELETE: &str = "delete_a_chronosphere_team_by_id";

fn client_with_token(base_url: String, token: &str) -> ChronosphereClient {
    let credentials = Credentials::new()
        .with("tenant", "acme")
        .with("api_token", token);
    let config = UpstreamConfig {
        base_url: Some(base_url),
        timeout: Duration::from_secs(10),
        ..UpstreamConfig::default()
    };
    ChronosphereClient::new(UpstreamClient::new(&INTEGRATION, credentials, config).unwrap())
}

/// A fake holding `seed` teams (`team-0001`, ...) and a generated client for it.
async fn fake(seed: usize) -> (FakeHandle, ChronosphereClient) {
    let (_, handle) = fake_chronosphere::spawn(FakeConfig {
        seed_teams: seed,
        ..FakeConfig::new(TOKEN)
    })
    .await
    .unwrap();
    let client = client_with_token(handle.url(), TOKEN);
    (handle, client)
}

fn tool(name: &str) -> &'static Tool {
    INTEGRATION
        .tools
        .iter()
        .copied()
        .find(|tool| tool.name == name)
        .unwrap_or_else(|| panic!("INTEGRATION has no tool `{name}`"))
}

/// Calls the generated tool's handler as the server does; on success, checks the output against
/// the tool's own output schema.
async fn call(client: &ChronosphereClient, name: &str, args: Value) -> Result<Value, CallError> {
    let tool = tool(name);
    let Value::Object(args) = args else {
        panic!("arguments must be an object")
    };
    let output = (tool.handler)(client.upstream(), &tool.plan, args).await?;
    let schema: Value = serde_json::from_str(tool.output_schema).unwrap();
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&output)
        .map(|error| error.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "{name}'s output does not match its outputSchema: {errors:?}\n{output}"
    );
    Ok(output)
}

fn upstream_error(result: Result<Value, CallError>) -> UpstreamError {
    match result {
        Err(CallError::Upstream(error)) => error,
        other => panic!("expected an upstream error, got {other:?}"),
    }
}

fn invalid_arguments(result: Result<Value, CallError>) -> String {
    match result {
        Err(CallError::InvalidArguments(message)) => message,
        other => panic!("expected invalid arguments, got {other:?}"),
    }
}

fn last_request(fake: &FakeHandle) -> RecordedRequest {
    fake.state()
        .last_request()
        .expect("the fake received no request")
}

fn pairs(request: &RecordedRequest) -> Vec<(String, String)> {
    request.query_pairs()
}

fn pair(key: &str, value: &str) -> (String, String) {
    (key.to_owned(), value.to_owned())
}

fn slugs(page: &Value) -> Vec<String> {
    page["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|team| team["slug"].as_str().unwrap().to_owned())
        .collect()
}

/// Every team the fake holds, in one page, through the handler.
async fn all_slugs(client: &ChronosphereClient) -> Vec<String> {
    let page = call(client, LIST, json!({"limit": 1000})).await.unwrap();
    assert_eq!(page["next_cursor"], Value::Null);
    slugs(&page)
}

#[tokio::test]
async fn typed_list_pages_through_every_team_exactly_once() {
    let (fake, client) = fake(5).await;
    let mut input = ListAllChronosphereTeamsInput {
        limit: Some(2),
        ..Default::default()
    };
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut previous_cursor: Option<String> = None;
    loop {
        let page = client.list_teams(&input).await.unwrap();
        let sent = last_request(&fake);
        assert_eq!(
            (sent.method.as_str(), sent.path.as_str()),
            ("GET", "/api/v1/config/teams")
        );
        let mut expected = vec![pair("page.max_size", "2")];
        if let Some(cursor) = &previous_cursor {
            expected.push(pair("page.token", cursor));
        }
        assert_eq!(pairs(&sent), expected, "limit and cursor go to page.*");
        sizes.push(page.result.len());
        seen.extend(page.result.iter().map(|team| team.slug.clone().unwrap()));
        match page.next_cursor {
            Some(cursor) => {
                assert!(!cursor.is_empty());
                previous_cursor = Some(cursor.clone());
                input.next_cursor = Some(cursor);
            }
            None => break,
        }
        assert!(sizes.len() < 10, "the cursor never ended the list");
    }
    assert_eq!(sizes, [2, 2, 1]);
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "a team came twice: {seen:?}");
    assert_eq!(seen, all_slugs(&client).await);
    assert_eq!(seen.len(), fake.state().team_count());
}

#[tokio::test]
async fn list_handler_returns_pages_with_a_cursor_to_pass_back() {
    let (fake, client) = fake(3).await;
    let first = call(&client, LIST, json!({"limit": 2})).await.unwrap();
    assert_eq!(slugs(&first), ["team-0001", "team-0002"]);
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    assert_eq!(pairs(&last_request(&fake)), [pair("page.max_size", "2")]);

    let second = call(&client, LIST, json!({"limit": 2, "next_cursor": cursor}))
        .await
        .unwrap();
    assert_eq!(
        pairs(&last_request(&fake)),
        [pair("page.max_size", "2"), pair("page.token", &cursor)]
    );
    assert_eq!(slugs(&second), ["team-0003"]);
    // The last page says so with an explicit null, not a missing key.
    assert_eq!(
        second.as_object().unwrap().get("next_cursor"),
        Some(&Value::Null)
    );

    let mut union: Vec<String> = slugs(&first);
    union.extend(slugs(&second));
    assert_eq!(union, all_slugs(&client).await);

    let records = first["result"].as_array().unwrap();
    assert_eq!(records[0]["name"], "Team 1");
    assert_eq!(records[0]["user_emails"], json!(["user1@example.com"]));
    assert!(records[0]["created_at"].is_string());
}

#[tokio::test]
async fn list_filters_repeat_their_query_parameters() {
    let (fake, client) = fake(4).await;
    let page = call(
        &client,
        LIST,
        json!({"slugs": ["team-0001", "team-0003", "team-0004"], "names": ["Team 3", "Team 4"]}),
    )
    .await
    .unwrap();
    assert_eq!(slugs(&page), ["team-0003", "team-0004"]);
    assert_eq!(
        pairs(&last_request(&fake)),
        [
            pair("names", "Team 3"),
            pair("names", "Team 4"),
            pair("slugs", "team-0001"),
            pair("slugs", "team-0003"),
            pair("slugs", "team-0004"),
        ]
    );

    let typed = client
        .list_teams(&ListAllChronosphereTeamsInput {
            names: Some(vec!["Team 2".into()]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(typed.result.len(), 1);
    assert_eq!(typed.result[0].slug.as_deref(), Some("team-0002"));
    assert_eq!(typed.next_cursor, None);
    assert_eq!(last_request(&fake).query.as_deref(), Some("names=Team+2"));
}

#[tokio::test]
async fn get_reads_one_team_by_slug() {
    let (fake, client) = fake(3).await;
    let team = call(&client, GET, json!({"id": "team-0002"}))
        .await
        .unwrap();
    assert_eq!(team["slug"], "team-0002");
    assert_eq!(team["name"], "Team 2");
    assert_eq!(team["description"], "Seeded team number 2.");
    let sent = last_request(&fake);
    assert_eq!(sent.method, "GET");
    assert_eq!(sent.path, "/api/v1/config/teams/team-0002");
    assert_eq!(sent.query, None);
    assert_eq!(sent.body, Value::Null, "a GET sends no body");

    let typed: Team = client
        .get_team(&GetSingleChronosphereTeamByIdInput {
            id: "team-0003".into(),
        })
        .await
        .unwrap();
    assert_eq!(typed.name.as_deref(), Some("Team 3"));
    assert_eq!(
        typed.user_emails,
        Some(vec!["user3@example.com".to_owned()])
    );
    assert!(
        typed.extra.is_empty(),
        "the fake sends only documented fields"
    );
}

#[tokio::test]
async fn create_wraps_the_record_in_team_beside_dry_run() {
    let (fake, client) = fake(0).await;
    let created = call(
        &client,
        CREATE,
        json!({
            "name": "Data Platform",
            "slug": "data-platform",
            "description": "Kafka and the warehouse.",
            "user_emails": ["dana@example.com"],
            "dry_run": false
        }),
    )
    .await
    .unwrap();
    let sent = last_request(&fake);
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/api/v1/config/teams")
    );
    assert_eq!(
        sent.body,
        json!({
            "team": {
                "description": "Kafka and the warehouse.",
                "name": "Data Platform",
                "slug": "data-platform",
                "user_emails": ["dana@example.com"]
            },
            "dry_run": false
        })
    );
    assert_eq!(
        sent.headers.get("content-type").map(String::as_str),
        Some("application/json")
    );
    assert_eq!(created["slug"], "data-platform");
    assert!(created["created_at"].is_string());
    assert_eq!(fake.state().team_count(), 1);

    let read = call(&client, GET, json!({"id": "data-platform"}))
        .await
        .unwrap();
    assert_eq!(read, created);
}

#[tokio::test]
async fn typed_create_dry_run_creates_nothing() {
    let (fake, client) = fake(0).await;
    let team = client
        .create_team(&CreateAChronosphereTeamInput {
            name: Some("Backend Platform".into()),
            dry_run: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        last_request(&fake).body,
        json!({"team": {"name": "Backend Platform"}, "dry_run": true})
    );
    assert_eq!(team, Team::default(), "a dry run replies without the team");
    assert_eq!(fake.state().team_count(), 0);

    // Without dry_run the key is left out, not sent as false or null.
    let team = client
        .create_team(&CreateAChronosphereTeamInput {
            name: Some("Backend Platform".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        last_request(&fake).body,
        json!({"team": {"name": "Backend Platform"}})
    );
    assert_eq!(team.slug.as_deref(), Some("backend-platform"));
}

#[tokio::test]
async fn update_puts_the_wrapped_record_with_the_slug_from_id() {
    let (fake, client) = fake(2).await;
    let before = call(&client, GET, json!({"id": "team-0001"}))
        .await
        .unwrap();
    let updated = call(
        &client,
        UPDATE,
        json!({
            "id": "team-0001",
            "name": "Renamed",
            "user_emails": ["zed@example.com"],
            "create_if_missing": false
        }),
    )
    .await
    .unwrap();
    let sent = last_request(&fake);
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("PUT", "/api/v1/config/teams/team-0001")
    );
    assert_eq!(
        sent.body,
        json!({
            "team": {"name": "Renamed", "slug": "team-0001", "user_emails": ["zed@example.com"]},
            "create_if_missing": false
        })
    );
    assert_eq!(updated["slug"], "team-0001");
    assert_eq!(updated["name"], "Renamed");
    assert_eq!(updated["created_at"], before["created_at"]);
    assert_eq!(
        call(&client, GET, json!({"id": "team-0001"}))
            .await
            .unwrap(),
        updated
    );
}

#[tokio::test]
async fn typed_update_creates_when_missing_only_when_asked() {
    let (fake, client) = fake(0).await;
    let input = UpdateAChronosphereTeamByIdInput {
        id: "sre".into(),
        name: Some("SRE".into()),
        description: None,
        slug: None,
        user_emails: None,
        create_if_missing: None,
        dry_run: None,
    };
    let missing = client.update_team(&input).await.unwrap_err();
    assert_eq!(missing.status(), Some(404));
    assert_eq!(fake.state().team_count(), 0);

    let created = client
        .update_team(&UpdateAChronosphereTeamByIdInput {
            create_if_missing: Some(true),
            ..input
        })
        .await
        .unwrap();
    assert_eq!(
        last_request(&fake).body,
        json!({"team": {"name": "SRE", "slug": "sre"}, "create_if_missing": true})
    );
    assert_eq!(created.slug.as_deref(), Some("sre"));
    assert_eq!(fake.state().team_count(), 1);
}

#[tokio::test]
async fn delete_removes_the_team_and_a_later_get_is_404() {
    let (fake, client) = fake(2).await;
    let deleted = call(&client, DELETE, json!({"id": "team-0001"}))
        .await
        .unwrap();
    assert_eq!(deleted, json!({}));
    let sent = last_request(&fake);
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("DELETE", "/api/v1/config/teams/team-0001")
    );
    assert_eq!(sent.body, Value::Null, "a DELETE sends no body");
    assert_eq!(fake.state().team_count(), 1);

    let error = upstream_error(call(&client, GET, json!({"id": "team-0001"})).await);
    assert_eq!(error.status(), Some(404));

    let again = client
        .delete_team(&DeleteAChronosphereTeamByIdInput {
            id: "team-0001".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(again.status(), Some(404));
    assert_eq!(all_slugs(&client).await, ["team-0002"]);
}

#[tokio::test]
async fn not_found_carries_the_status_and_the_upstream_message() {
    let (_fake, client) = fake(1).await;
    let error = upstream_error(call(&client, GET, json!({"id": "no-such-team"})).await);
    assert_eq!(
        error.to_json(),
        json!({"error": {
            "kind": "upstream_status",
            "status": 404,
            "message": "team not found: \"no-such-team\""
        }})
    );
    let text = error.to_string();
    assert!(text.contains("404"), "{text}");
    assert!(text.contains("team not found: \"no-such-team\""), "{text}");

    let typed = client
        .get_team(&GetSingleChronosphereTeamByIdInput {
            id: "no-such-team".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        typed, error,
        "the typed client and the handler report the same error"
    );
}

#[tokio::test]
async fn a_slug_with_a_slash_stays_one_path_segment() {
    let (fake, client) = fake(1).await;
    let error = upstream_error(call(&client, GET, json!({"id": "team-0001/../x"})).await);
    assert_eq!(error.status(), Some(404));
    assert_eq!(
        last_request(&fake).path,
        "/api/v1/config/teams/team-0001%2F..%2Fx"
    );
}

#[tokio::test]
async fn duplicate_create_is_409_with_the_upstream_message() {
    let (_fake, client) = fake(1).await;
    let error = upstream_error(
        call(
            &client,
            CREATE,
            json!({"slug": "team-0001", "name": "Again"}),
        )
        .await,
    );
    let json = error.to_json();
    assert_eq!(json["error"]["status"], 409);
    assert_eq!(json["error"]["kind"], "upstream_status");
    assert_eq!(
        json["error"]["message"],
        "team with slug \"team-0001\" already exists"
    );
    assert_eq!(
        error.to_string(),
        "the upstream returned HTTP 409 Conflict: team with slug \"team-0001\" already exists"
    );
}

#[tokio::test]
async fn rate_limited_replies_map_retry_after_to_ratelimit_reset() {
    let (fake, client) = fake(1).await;
    fake.state().set_rate_limit(RateLimitPlan {
        requests: 1,
        retry_after: Some("30".into()),
        ..RateLimitPlan::default()
    });
    let before = fake.state().request_count();
    let error = upstream_error(call(&client, LIST, json!({})).await);
    assert_eq!(
        error.to_json(),
        json!({"error": {
            "kind": "upstream_status",
            "status": 429,
            "message": "rate limit exceeded",
            "ratelimit-reset": 30
        }})
    );
    assert!(error.to_string().contains("ratelimit-reset: 30"), "{error}");
    assert_eq!(
        fake.state().request_count(),
        before + 1,
        "429 must not be retried"
    );
    // The plan covered one request: the caller's own retry goes through.
    assert_eq!(all_slugs(&client).await, ["team-0001"]);
}

#[tokio::test]
async fn rate_limited_replies_carry_the_x_ratelimit_headers() {
    let (fake, client) = fake(1).await;
    fake.state().set_rate_limit(RateLimitPlan {
        requests: 2,
        retry_after: Some("30".into()),
        limit: Some(100),
        remaining: Some(0),
        reset: Some(12),
    });
    let expected = json!({"error": {
        "kind": "upstream_status",
        "status": 429,
        "message": "rate limit exceeded",
        "ratelimit-limit": 100,
        "ratelimit-remaining": 0,
        "ratelimit-reset": 12
    }});
    let through_handler = upstream_error(call(&client, GET, json!({"id": "team-0001"})).await);
    assert_eq!(through_handler.to_json(), expected);
    let typed = client
        .create_team(&CreateAChronosphereTeamInput {
            name: Some("Blocked".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(typed.to_json(), expected);
    assert_eq!(
        fake.state().team_count(),
        1,
        "the rate-limited create did nothing"
    );
}

#[tokio::test]
async fn the_api_token_header_carries_the_credential() {
    let (fake, client) = fake(1).await;
    call(&client, GET, json!({"id": "team-0001"}))
        .await
        .unwrap();
    assert_eq!(
        last_request(&fake)
            .headers
            .get("api-token")
            .map(String::as_str),
        Some(TOKEN)
    );
}

#[tokio::test]
async fn a_wrong_token_is_401_and_never_shows_the_token() {
    let (fake, _) = fake(1).await;
    let wrong = "wrong-tok-8d2c41e6aa";
    let client = client_with_token(fake.url(), wrong);
    for (name, args) in [
        (LIST, json!({})),
        (GET, json!({"id": "team-0001"})),
        (CREATE, json!({"name": "Nope"})),
        (UPDATE, json!({"id": "team-0001", "name": "Nope"})),
        (DELETE, json!({"id": "team-0001"})),
    ] {
        let result = call(&client, name, args).await;
        let error = upstream_error(result);
        assert_eq!(error.status(), Some(401), "{name}");
        assert_eq!(
            error.to_json()["error"]["message"],
            "missing or invalid API-Token header"
        );
        let shown = format!("{error} | {error:?} | {}", error.to_json());
        assert!(!shown.contains(wrong), "{name} leaked the token: {shown}");
        assert!(!shown.contains(TOKEN), "{name} leaked a token: {shown}");
        assert_eq!(
            last_request(&fake)
                .headers
                .get("api-token")
                .map(String::as_str),
            Some(wrong),
            "{name} must send the configured token"
        );
    }
    let debug = format!("{:?}", client.upstream());
    assert!(
        !debug.contains(wrong),
        "the client's Debug shows the token: {debug}"
    );
    assert_eq!(fake.state().team_count(), 1);
}

#[tokio::test]
async fn invalid_arguments_name_the_field_and_send_nothing() {
    let (fake, client) = fake(1).await;
    let cases = [
        (GET, json!({"id": 5}), "`id`"),
        (GET, json!({}), "missing field `id`"),
        (GET, json!({"slug": "team-0001"}), "unknown field `slug`"),
        (DELETE, json!({"id": null}), "`id`"),
        (UPDATE, json!({"name": "No id"}), "missing field `id`"),
        (
            UPDATE,
            json!({"id": "team-0001", "create_if_missing": "yes"}),
            "`create_if_missing`",
        ),
        (
            CREATE,
            json!({"name": "X", "team": {"name": "X"}}),
            "unknown field `team`",
        ),
        (
            CREATE,
            json!({"name": "X", "created_at": "2026-01-01T00:00:00Z"}),
            "unknown field `created_at`",
        ),
        (
            CREATE,
            json!({"user_emails": "dana@example.com"}),
            "`user_emails`",
        ),
        (LIST, json!({"limit": "ten"}), "`limit`"),
        (LIST, json!({"limit": 0}), "`limit` must be at least 1"),
        (LIST, json!({"slugs": "team-0001"}), "`slugs`"),
        (
            LIST,
            json!({"page.max_size": 2}),
            "unknown field `page.max_size`",
        ),
    ];
    for (name, args, expected) in cases {
        let message = invalid_arguments(call(&client, name, args.clone()).await);
        assert!(
            message.contains(expected),
            "{name} with {args}: expected {expected} in `{message}`"
        );
    }
    for (name, args) in [(GET, json!({"id": ""})), (GET, json!({"id": ".."}))] {
        let message = invalid_arguments(call(&client, name, args.clone()).await);
        assert!(message.contains("id"), "{name} with {args}: `{message}`");
    }
    assert_eq!(
        fake.state().request_count(),
        0,
        "invalid arguments reached the upstream"
    );
}
