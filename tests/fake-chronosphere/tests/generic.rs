//! The operations served from the swagger's route table: collections, singletons, the nested
//! service attributes and read-only services, with the swagger's own request checks.

#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use fake_chronosphere::{FakeConfig, FakeState, app};
use serde_json::{Value, json};
use tower::ServiceExt;

const TOKEN: &str = "t0ken";

async fn send(
    state: &FakeState,
    method: &str,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header("API-Token", TOKEN);
    let body = body.map_or_else(Body::empty, |body| Body::from(body.to_string()));
    let response = app(state.clone())
        .oneshot(request.body(body).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let json = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    };
    (status, json)
}

fn state() -> FakeState {
    FakeState::new(&FakeConfig::new(TOKEN))
}

const MONITORS: &str = "/api/v1/config/monitors";

#[tokio::test]
async fn a_collection_resource_is_created_read_listed_updated_and_deleted() {
    let state = state();
    let monitor = json!({"name": "Checkout latency", "collection_slug": "sre"});
    let (status, created) = send(&state, "POST", MONITORS, Some(json!({"monitor": monitor}))).await;
    assert_eq!(status, StatusCode::OK, "{created}");
    assert_eq!(created["monitor"]["slug"], "checkout-latency");
    assert!(created["monitor"]["created_at"].is_string());

    let (status, again) = send(&state, "POST", MONITORS, Some(json!({"monitor": monitor}))).await;
    assert_eq!(
        (status, again["code"].clone()),
        (StatusCode::CONFLICT, json!(6))
    );

    let (_, read) = send(&state, "GET", &format!("{MONITORS}/checkout-latency"), None).await;
    assert_eq!(read["monitor"]["collection_slug"], "sre");

    for (slug, team) in [("a", "web"), ("b", "sre"), ("c", "sre")] {
        let body = json!({"monitor": {"slug": slug, "name": slug, "collection_slug": team}});
        assert_eq!(
            send(&state, "POST", MONITORS, Some(body)).await.0,
            StatusCode::OK
        );
    }
    let (_, page) = send(
        &state,
        "GET",
        &format!("{MONITORS}?page.max_size=2&collection_slugs=sre"),
        None,
    )
    .await;
    let slugs: Vec<&str> = page["monitors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["b", "c"]);
    let token = page["page"]["next_token"].as_str().unwrap().to_owned();
    let (_, rest) = send(
        &state,
        "GET",
        &format!("{MONITORS}?page.max_size=2&collection_slugs=sre&page.token={token}"),
        None,
    )
    .await;
    assert_eq!(rest["monitors"][0]["slug"], "checkout-latency");
    assert_eq!(rest["page"], json!({}), "the last page has no next_token");

    let update = json!({"monitor": {"name": "Renamed", "collection_slug": "web"}});
    let (status, updated) = send(&state, "PUT", &format!("{MONITORS}/a"), Some(update)).await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(
        (
            updated["monitor"]["slug"].clone(),
            updated["monitor"]["name"].clone()
        ),
        (json!("a"), json!("Renamed"))
    );

    let (status, gone) = send(&state, "DELETE", &format!("{MONITORS}/a"), None).await;
    assert_eq!((status, gone), (StatusCode::OK, json!({})));
    let (status, _) = send(&state, "GET", &format!("{MONITORS}/a"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(
        &state,
        "PUT",
        &format!("{MONITORS}/a"),
        Some(json!({"monitor": {"name": "x"}})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "update needs the record");
    let body = json!({"monitor": {"name": "x"}, "create_if_missing": true});
    assert_eq!(
        send(&state, "PUT", &format!("{MONITORS}/a"), Some(body))
            .await
            .0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn requests_are_checked_against_the_swagger() {
    let state = state();
    let cases = [
        (
            "GET",
            format!("{MONITORS}?colour=red"),
            None,
            "unknown query parameter \"colour\"",
        ),
        (
            "POST",
            MONITORS.to_owned(),
            Some(json!({"monitor": {"name": "m", "colour": "red"}})),
            "unknown field \"colour\" in monitor",
        ),
        (
            "POST",
            MONITORS.to_owned(),
            Some(json!({"monitor": {"name": "m"}, "force": true})),
            "unknown field \"force\" in the request body",
        ),
        (
            "POST",
            MONITORS.to_owned(),
            Some(json!({"dry_run": true})),
            "`monitor` is required",
        ),
        (
            "PUT",
            format!("{MONITORS}/x"),
            Some(json!({"monitor": {"slug": "y"}, "create_if_missing": true})),
            "a slug cannot change",
        ),
    ];
    for (method, uri, body, message) in cases {
        let (status, reply) = send(&state, method, &uri, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {uri}: {reply}");
        assert!(
            reply["message"].as_str().unwrap().contains(message),
            "{reply}"
        );
    }
    let (status, reply) = send(
        &state,
        "POST",
        MONITORS,
        Some(json!({"monitor": {"name": "m"}, "dry_run": true})),
    )
    .await;
    assert_eq!((status, reply), (StatusCode::OK, json!({})));
    let (_, list) = send(&state, "GET", MONITORS, None).await;
    assert_eq!(list["monitors"], json!([]), "a dry run stores nothing");
}

#[tokio::test]
async fn a_singleton_lives_at_its_bare_path() {
    let state = state();
    const POOLS: &str = "/api/v1/config/resource-pools";
    assert_eq!(
        send(&state, "GET", POOLS, None).await.0,
        StatusCode::NOT_FOUND
    );
    let pools =
        json!({"resource_pools": {"default_pool": {"allocation": {"percent_of_license": 100}}}});
    let (status, created) = send(&state, "POST", POOLS, Some(pools)).await;
    assert_eq!(status, StatusCode::OK, "{created}");
    assert_eq!(
        send(&state, "POST", POOLS, Some(json!({"resource_pools": {}})))
            .await
            .0,
        StatusCode::CONFLICT
    );
    let (_, read) = send(&state, "GET", POOLS, None).await;
    assert_eq!(
        read["resource_pools"]["default_pool"]["allocation"]["percent_of_license"],
        100
    );
    let (status, _) = send(&state, "DELETE", &format!("{POOLS}?dry_run=true"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        send(&state, "GET", POOLS, None).await.0,
        StatusCode::OK,
        "a dry-run delete keeps it"
    );
    assert_eq!(send(&state, "DELETE", POOLS, None).await.0, StatusCode::OK);
    assert_eq!(
        send(&state, "GET", POOLS, None).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn read_only_services_are_seeded_and_nested_attributes_are_keyed_by_their_service() {
    let state = state();
    let control = Request::post("/_fake/records")
        .body(Body::from(
            json!({"path": "/api/v1/config/services", "records": [{"slug": "checkout", "name": "Checkout"}]}).to_string(),
        ))
        .unwrap();
    let response = app(state.clone()).oneshot(control).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let (_, services) = send(&state, "GET", "/api/v1/config/services", None).await;
    assert_eq!(services["services"][0]["slug"], "checkout");
    let (_, service) = send(&state, "GET", "/api/v1/config/services/checkout", None).await;
    assert_eq!(service["service"]["name"], "Checkout");
    assert_eq!(
        send(&state, "POST", "/api/v1/config/services", Some(json!({})))
            .await
            .0,
        StatusCode::METHOD_NOT_ALLOWED
    );

    const ATTRIBUTES: &str = "/api/v1/config/services/checkout/attributes";
    let attribute = json!({"service_attribute": {"team_slug": "sre"}});
    let (status, created) = send(&state, "POST", ATTRIBUTES, Some(attribute)).await;
    assert_eq!(status, StatusCode::OK, "{created}");
    assert_eq!(created["service_slug"], "checkout");
    let (_, read) = send(&state, "GET", ATTRIBUTES, None).await;
    assert_eq!(read["service_attribute"]["team_slug"], "sre");
    let (_, all) = send(&state, "GET", "/api/v1/config/service-attributes", None).await;
    assert_eq!(all["service_attributes"].as_array().unwrap().len(), 1);
    assert_eq!(all["service_attributes"][0]["service_slug"], "checkout");
}
