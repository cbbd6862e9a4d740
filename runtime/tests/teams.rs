//! The teams tools against the fake Chronosphere: every method, pagination, and the upstream's
//! error statuses as the runtime reports them.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

mod common;

use common::*;
use fake_chronosphere::RateLimitPlan;
use mcpgen_runtime::{CallError, Page, UpstreamError, call};
use serde_json::json;

#[tokio::test]
async fn list_pages_through_teams_with_the_cursor() {
    let (fake, client) = fake(3).await;
    let first = call_tool(&client, &LIST, json!({"limit": 2}))
        .await
        .unwrap();
    let slugs: Vec<&str> = first["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|team| team["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["team-0001", "team-0002"]);
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let sent = fake.state().last_request().unwrap();
    assert_eq!(
        sent.query_pairs(),
        [("page.max_size".to_owned(), "2".to_owned())]
    );
    assert_eq!(
        sent.headers.get("api-token").map(String::as_str),
        Some(TOKEN)
    );

    let second = call_tool(&client, &LIST, json!({"limit": 2, "next_cursor": cursor}))
        .await
        .unwrap();
    assert_eq!(second["result"].as_array().unwrap().len(), 1);
    assert_eq!(second["result"][0]["slug"], "team-0003");
    assert!(second.as_object().unwrap().contains_key("next_cursor"));
    assert_eq!(second["next_cursor"], json!(null));
    let sent = fake.state().last_request().unwrap();
    assert_eq!(
        sent.query_pairs(),
        [
            ("page.max_size".to_owned(), "2".to_owned()),
            ("page.token".to_owned(), cursor)
        ]
    );
}

#[tokio::test]
async fn list_filters_repeat_the_query_parameter() {
    let (fake, client) = fake(4).await;
    let page = call_tool(&client, &LIST, json!({"slugs": ["team-0001", "team-0003"]}))
        .await
        .unwrap();
    assert_eq!(page["result"].as_array().unwrap().len(), 2);
    assert_eq!(page["result"][1]["slug"], "team-0003");
    let sent = fake.state().last_request().unwrap();
    assert_eq!(
        sent.query.as_deref(),
        Some("slugs=team-0001&slugs=team-0003")
    );
}

#[tokio::test]
async fn typed_client_call_decodes_records_and_keeps_unknown_fields() {
    let (_fake, client) = fake(1).await;
    let page: Page<ChronosphereTeam> = call(
        &client,
        &LIST.plan,
        &ListTeamsInput {
            limit: Some(5),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(page.next_cursor, None);
    let team = &page.result[0];
    assert_eq!(team.slug.as_deref(), Some("team-0001"));
    assert!(team.created_at.is_some());
    assert!(team.extra.is_empty(), "{:?}", team.extra);
}

#[tokio::test]
async fn get_reads_one_team_by_slug() {
    let (fake, client) = fake(2).await;
    let team = call_tool(&client, &GET, json!({"id": "team-0002"}))
        .await
        .unwrap();
    assert_eq!(team["slug"], "team-0002");
    assert_eq!(team["name"], "Team 2");
    assert_eq!(team["user_emails"], json!(["user2@example.com"]));
    let sent = fake.state().last_request().unwrap();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("GET", "/api/v1/config/teams/team-0002")
    );
    assert_eq!(sent.body, json!(null));
    assert!(!sent.headers.contains_key("content-type"));
}

#[tokio::test]
async fn create_wraps_the_team_and_sends_dry_run_beside_it() {
    let (fake, client) = fake(0).await;
    let args =
        json!({"name": "Backend Platform", "user_emails": ["a@example.com"], "dry_run": false});
    let team = call_tool(&client, &CREATE, args).await.unwrap();
    assert_eq!(team["slug"], "backend-platform");
    assert!(team["created_at"].as_str().unwrap().ends_with('Z'));
    let sent = fake.state().last_request().unwrap();
    assert_eq!(sent.method, "POST");
    assert_eq!(
        sent.body,
        json!({"team": {"name": "Backend Platform", "user_emails": ["a@example.com"]}, "dry_run": false})
    );
    assert_eq!(
        sent.headers.get("content-type").map(String::as_str),
        Some("application/json")
    );
    assert_eq!(fake.state().team_count(), 1);
}

#[tokio::test]
async fn create_dry_run_returns_the_partial_response() {
    let (fake, client) = fake(0).await;
    let reply = call_tool(&client, &CREATE, json!({"name": "X", "dry_run": true}))
        .await
        .unwrap();
    assert_eq!(reply, json!({}));
    assert_eq!(fake.state().team_count(), 0);
}

#[tokio::test]
async fn update_names_the_record_it_replaces() {
    let (fake, client) = fake(1).await;
    let args = json!({"id": "team-0001", "name": "Renamed", "create_if_missing": false});
    let team = call_tool(&client, &UPDATE, args).await.unwrap();
    assert_eq!(
        (team["slug"].as_str(), team["name"].as_str()),
        (Some("team-0001"), Some("Renamed"))
    );
    let sent = fake.state().last_request().unwrap();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("PUT", "/api/v1/config/teams/team-0001")
    );
    assert_eq!(
        sent.body,
        json!({"team": {"name": "Renamed", "slug": "team-0001"}, "create_if_missing": false})
    );
}

#[tokio::test]
async fn delete_returns_what_the_upstream_returns_then_get_is_404() {
    let (fake, client) = fake(1).await;
    let reply = call_tool(&client, &DELETE, json!({"id": "team-0001"}))
        .await
        .unwrap();
    assert_eq!(reply, json!({}));
    assert_eq!(fake.state().last_request().unwrap().method, "DELETE");
    let error = call_tool(&client, &GET, json!({"id": "team-0001"}))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            CallError::Upstream(UpstreamError::Status { status: 404, .. })
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn not_found_carries_status_and_the_upstream_message() {
    let (_fake, client) = fake(0).await;
    let error = call_tool(&client, &GET, json!({"id": "nope"}))
        .await
        .unwrap_err();
    let CallError::Upstream(upstream) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        upstream.to_json(),
        json!({"error": {"kind": "upstream_status", "status": 404, "message": "team not found: \"nope\""}})
    );
    assert_eq!(
        error.to_string(),
        "the upstream returned HTTP 404 Not Found: team not found: \"nope\""
    );
}

#[tokio::test]
async fn duplicate_create_is_409() {
    let (_fake, client) = fake(1).await;
    let error = call_tool(
        &client,
        &CREATE,
        json!({"slug": "team-0001", "name": "Again"}),
    )
    .await
    .unwrap_err();
    let CallError::Upstream(UpstreamError::Status {
        status, message, ..
    }) = error
    else {
        panic!("{error:?}")
    };
    assert_eq!(status, 409);
    assert_eq!(message, "team with slug \"team-0001\" already exists");
}

#[tokio::test]
async fn rate_limit_headers_are_normalised_and_not_retried() {
    let (fake, client) = fake(1).await;
    fake.state().set_rate_limit(RateLimitPlan {
        requests: 1,
        retry_after: Some("7".into()),
        ..Default::default()
    });
    let before = fake.state().request_count();
    let error = call_tool(&client, &GET, json!({"id": "team-0001"}))
        .await
        .unwrap_err();
    assert_eq!(
        fake.state().request_count(),
        before + 1,
        "a 429 must not be retried"
    );
    let CallError::Upstream(upstream) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        upstream.to_json(),
        json!({"error": {"kind": "upstream_status", "status": 429, "message": "rate limit exceeded", "ratelimit-reset": 7}})
    );

    let plan = RateLimitPlan {
        requests: 1,
        retry_after: Some("7".into()),
        limit: Some(100),
        remaining: Some(0),
        reset: Some(42),
    };
    fake.state().set_rate_limit(plan);
    let error = call_tool(&client, &LIST, json!({})).await.unwrap_err();
    let CallError::Upstream(UpstreamError::Status {
        status: 429,
        rate_limit,
        ..
    }) = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        (rate_limit.limit, rate_limit.remaining, rate_limit.reset),
        (Some(100), Some(0), Some(42))
    );
    assert!(
        error
            .to_string()
            .contains("ratelimit-limit: 100, ratelimit-remaining: 0, ratelimit-reset: 42"),
        "{error}"
    );

    // The plan is used up: the next call goes through.
    call_tool(&client, &GET, json!({"id": "team-0001"}))
        .await
        .unwrap();
}

#[tokio::test]
async fn retry_after_as_an_http_date_becomes_seconds() {
    let (fake, client) = fake(1).await;
    let in_two_minutes = std::time::SystemTime::now() + std::time::Duration::from_secs(120);
    let date = httpdate::fmt_http_date(in_two_minutes);
    fake.state().set_rate_limit(RateLimitPlan {
        requests: 1,
        retry_after: Some(date),
        ..Default::default()
    });
    let error = call_tool(&client, &GET, json!({"id": "team-0001"}))
        .await
        .unwrap_err();
    let CallError::Upstream(UpstreamError::Status { rate_limit, .. }) = error else {
        panic!("{error:?}")
    };
    let reset = rate_limit.reset.unwrap();
    assert!((115..=121).contains(&reset), "{reset}");
}

#[tokio::test]
async fn wrong_token_is_401_and_no_error_shows_a_token() {
    let (fake, _client) = fake(1).await;
    let wrong = "tok-WRONG-d00d";
    let addr = format!("http://{}", fake.addr());
    let client = client_for(addr, wrong, std::time::Duration::from_secs(5), 1 << 20);
    let error = call_tool(&client, &GET, json!({"id": "team-0001"}))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            CallError::Upstream(UpstreamError::Status { status: 401, .. })
        ),
        "{error:?}"
    );
    let text = all_text(&error);
    assert!(
        text.contains("missing or invalid API-Token header"),
        "{text}"
    );
    assert!(!text.contains(wrong) && !text.contains(TOKEN), "{text}");
    assert!(!format!("{client:?}").contains(wrong));
}

#[tokio::test]
async fn path_arguments_stay_one_encoded_segment() {
    let (fake, client) = fake(1).await;
    let error = call_tool(&client, &GET, json!({"id": "../x"}))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            CallError::Upstream(UpstreamError::Status { status: 404, .. })
        ),
        "{error:?}"
    );
    assert_eq!(
        fake.state().last_request().unwrap().path,
        "/api/v1/config/teams/..%2Fx"
    );

    let error = call_tool(&client, &DELETE, json!({"id": "a/../../teams?x=1#"}))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            CallError::Upstream(UpstreamError::Status { status: 404, .. })
        ),
        "{error:?}"
    );
    assert_eq!(
        fake.state().last_request().unwrap().path,
        "/api/v1/config/teams/a%2F..%2F..%2Fteams%3Fx%3D1%23"
    );

    let before = fake.state().request_count();
    for dots in ["..", ".", ""] {
        let error = call_tool(&client, &DELETE, json!({"id": dots}))
            .await
            .unwrap_err();
        let CallError::InvalidArguments(message) = &error else {
            panic!("{error:?}")
        };
        assert!(message.starts_with("`id` must not be"), "{message}");
    }
    assert_eq!(
        fake.state().request_count(),
        before,
        "refused ids must not reach the upstream"
    );
    assert_eq!(fake.state().team_count(), 1);
}

#[tokio::test]
async fn invalid_arguments_name_the_field_and_send_nothing() {
    let (fake, client) = fake(1).await;
    let cases = [
        (
            &LIST,
            json!({"limit": "x"}),
            "`limit`: invalid type: string \"x\", expected u64",
        ),
        (
            &LIST,
            json!({"slugs": ["a", 3]}),
            "`slugs[1]`: invalid type: integer `3`, expected a string",
        ),
        (&GET, json!({}), "missing field `id`"),
        (
            &GET,
            json!({"id": "a", "foo": 1}),
            "unknown field `foo`, expected `id`",
        ),
        (
            &LIST,
            json!({"lmit": 1}),
            "unknown field `lmit`, expected one of `slugs`, `names`, `limit`, `next_cursor`",
        ),
    ];
    for (tool, args, expected) in cases {
        let error = call_tool(&client, tool, args.clone()).await.unwrap_err();
        let CallError::InvalidArguments(message) = &error else {
            panic!("{args}: {error:?}")
        };
        assert_eq!(message, expected, "{args}");
    }
    assert_eq!(fake.state().request_count(), 0);
}
