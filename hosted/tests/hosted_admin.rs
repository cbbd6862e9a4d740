//! The hosted admin API in-process: every route, every error status, pagination, the admin
//! token check, and the validation messages.
#![allow(clippy::unwrap_used)]

mod hosted_support;

use axum::body::Body;
use hosted_support::{ADMIN_TOKEN, Hosting, PUBLIC_URL, TempDir};
use http::{Request, StatusCode};
use serde_json::{Value, json};

async fn hosting() -> (TempDir, Hosting) {
    let dir = TempDir::new();
    let hosting = Hosting::new(&dir, None).await;
    (dir, hosting)
}

fn assert_error(status: StatusCode, reply: &Value, want_status: StatusCode, want_code: &str) {
    assert_eq!(status, want_status, "{reply}");
    assert_eq!(reply["error"], want_code, "{reply}");
    assert!(
        reply["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{reply}"
    );
}

#[tokio::test]
async fn admin_routes_need_the_admin_token() {
    let (_dir, hosting) = hosting().await;
    let wrong = [
        None,
        Some("Bearer".to_owned()),
        Some("Bearer ".to_owned()),
        Some("Bearer wrong".to_owned()),
        Some(format!("Bearer {}", &ADMIN_TOKEN[..ADMIN_TOKEN.len() - 1])),
        Some(format!("Bearer {ADMIN_TOKEN}x")),
        Some(format!("Bearer {}", ADMIN_TOKEN.to_uppercase())),
        Some(format!("Basic {ADMIN_TOKEN}")),
        Some(ADMIN_TOKEN.to_owned()),
    ];
    for (path, method) in [
        ("/integrated-account", "GET"),
        ("/integrated-account", "POST"),
        ("/api-tokens", "POST"),
    ] {
        for header in &wrong {
            let mut request = Request::builder().method(method).uri(path);
            if let Some(header) = header {
                request = request.header("authorization", header);
            }
            let (status, headers, text) = hosting.send(request.body(Body::empty()).unwrap()).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} with {header:?}: {text}"
            );
            assert_eq!(headers.get("www-authenticate").unwrap(), "Bearer");
            let reply: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(reply["error"], "unauthorized");
        }
    }
    // The scheme is case-insensitive, the token is not.
    let request = Request::get("/integrated-account")
        .header("authorization", format!("bearer {ADMIN_TOKEN}"));
    let (status, _, text) = hosting.send(request.body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{text}");
}

#[tokio::test]
async fn accounts_are_created_read_listed_and_deleted() {
    let (_dir, hosting) = hosting().await;
    let body = json!({"integration": "chronosphere", "credentials": {"tenant": "acme", "api_token": "s3cret"}});
    let (status, created) = hosting
        .admin("POST", "/integrated-account", Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("acct_"), "{created}");
    assert_eq!(created["integration"], "chronosphere");
    assert_eq!(created["created_at"], "2030-01-01T00:00:00Z");
    assert_eq!(
        created.as_object().unwrap().len(),
        3,
        "credentials must not come back: {created}"
    );

    let (status, read) = hosting
        .admin("GET", &format!("/integrated-account/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read, created);
    assert!(!read.to_string().contains("s3cret"));

    let (status, list) = hosting.admin("GET", "/integrated-account", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list, json!({"result": [created], "next_cursor": null}));

    let (status, body) = hosting
        .admin("DELETE", &format!("/integrated-account/{id}"), None)
        .await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, reply) = hosting
        .admin("GET", &format!("/integrated-account/{id}"), None)
        .await;
    assert_error(status, &reply, StatusCode::NOT_FOUND, "not_found");
    let (status, reply) = hosting
        .admin("DELETE", &format!("/integrated-account/{id}"), None)
        .await;
    assert_error(status, &reply, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn account_input_is_validated_with_specific_messages() {
    let (_dir, hosting) = hosting().await;
    let cases = [
        (
            json!({"integration": "chronosfere", "credentials": {}}),
            StatusCode::BAD_REQUEST,
            "unknown_integration",
            vec!["chronosfere", "known integrations: chronosphere"],
        ),
        (
            json!({"integration": "chronosphere", "credentials": {"tenant": "acme"}}),
            StatusCode::BAD_REQUEST,
            "invalid_credentials",
            vec!["missing or empty: `api_token`"],
        ),
        (
            json!({"integration": "chronosphere", "credentials": {"tenant": "acme", "api_token": ""}}),
            StatusCode::BAD_REQUEST,
            "invalid_credentials",
            vec!["`api_token`"],
        ),
        (
            json!({"integration": "chronosphere", "credentials": {"tenant": "a", "api_token": "t", "region": "eu"}}),
            StatusCode::BAD_REQUEST,
            "invalid_credentials",
            vec![
                "unknown: `region`",
                "expected exactly: `tenant`, `api_token`",
            ],
        ),
        (
            json!({"integration": "chronosphere", "credentials": {"tenant": 5, "api_token": "t"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            vec!["credentials.tenant", "invalid type"],
        ),
        (
            json!({"integration": "chronosphere"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            vec!["missing field `credentials`"],
        ),
        (
            json!({"integration": "chronosphere", "credentials": {}, "secret": 1}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            vec!["unknown field `secret`"],
        ),
    ];
    for (body, status_wanted, code, fragments) in cases {
        let (status, reply) = hosting
            .admin("POST", "/integrated-account", Some(body.clone()))
            .await;
        assert_error(status, &reply, status_wanted, code);
        let message = reply["message"].as_str().unwrap();
        for fragment in fragments {
            assert!(
                message.contains(fragment),
                "{body}: {message:?} lacks {fragment:?}"
            );
        }
    }
    let (status, list) = hosting.admin("GET", "/integrated-account", None).await;
    assert_eq!(
        (status, list["result"].as_array().unwrap().len()),
        (StatusCode::OK, 0),
        "nothing was stored"
    );
}

#[tokio::test]
async fn malformed_bodies_get_json_errors_not_axum_text() {
    let (_dir, hosting) = hosting().await;
    let post = |content_type: Option<&str>, body: &str| {
        let mut request = Request::post("/integrated-account")
            .header("authorization", format!("Bearer {ADMIN_TOKEN}"));
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request.body(Body::from(body.to_owned())).unwrap()
    };
    let cases = [
        (
            Some("application/json"),
            "{\"integration\": ",
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            Some("application/json"),
            "not json",
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            Some("application/json"),
            "",
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            Some("application/json"),
            r#"{"integration": "chronosphere", "credentials": {"tenant": "a", "api_token": "t"}} {}"#,
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            Some("application/json"),
            "[]",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            Some("text/plain"),
            "{}",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
    ];
    for (content_type, body, want_status, want_code) in cases {
        let (status, headers, text) = hosting.send(post(content_type, body)).await;
        let reply: Value = serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("{body:?} got non-JSON {text:?}"));
        assert_error(status, &reply, want_status, want_code);
        assert_eq!(headers.get("content-type").unwrap(), "application/json");
    }
    let huge = format!(r#"{{"integration": "{}"}}"#, "x".repeat(3 << 20));
    let (status, _, text) = hosting.send(post(Some("application/json"), &huge)).await;
    let reply: Value = serde_json::from_str(&text).unwrap();
    assert_error(
        status,
        &reply,
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
    );
    // No Content-Type at all is read as JSON (curl -d without -H still works).
    let body =
        json!({"integration": "chronosphere", "credentials": {"tenant": "a", "api_token": "t"}})
            .to_string();
    let (status, _, text) = hosting.send(post(None, &body)).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
}

#[tokio::test]
async fn lists_page_with_next_cursor_in_creation_order() {
    let (_dir, hosting) = hosting().await;
    let mut created = Vec::new();
    for i in 0..5 {
        created.push(hosting.account(&format!("tenant{i}"), "t").await);
        hosting.clock.advance(chrono::TimeDelta::milliseconds(1));
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(cursor) => format!("/integrated-account?limit=2&next_cursor={cursor}"),
            None => "/integrated-account?limit=2".to_owned(),
        };
        let (status, page) = hosting.admin("GET", &path, None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        pages += 1;
        let result = page["result"].as_array().unwrap();
        assert!(result.len() <= 2);
        seen.extend(
            result
                .iter()
                .map(|account| account["id"].as_str().unwrap().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, created, "every account once, in creation order");

    for (query, code) in [
        ("limit=0", "invalid_limit"),
        ("limit=201", "invalid_limit"),
        ("limit=ten", "invalid_limit"),
        ("next_cursor=bogus", "invalid_cursor"),
        ("cursor=abc", "invalid_query"),
    ] {
        let (status, reply) = hosting
            .admin("GET", &format!("/integrated-account?{query}"), None)
            .await;
        assert_error(status, &reply, StatusCode::BAD_REQUEST, code);
    }
    // A cursor of another kind of list is not accepted either.
    let server_cursor = format!("mcp_{}", &created[0][5..]);
    let (status, reply) = hosting
        .admin(
            "GET",
            &format!("/integrated-account?next_cursor={server_cursor}"),
            None,
        )
        .await;
    assert_error(status, &reply, StatusCode::BAD_REQUEST, "invalid_cursor");
}

#[tokio::test]
async fn mcp_servers_are_created_read_listed_patched_and_deleted() {
    let (_dir, hosting) = hosting().await;
    let account = hosting.account("acme", "t").await;
    let body = json!({"name": " Team audit ", "config": {"methods": ["read"]}, "expires_at": null});
    let created = hosting.server(&account, body).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let url = created["url"].as_str().unwrap();
    let token = url.strip_prefix(&format!("{PUBLIC_URL}/mcp/")).unwrap();
    assert_eq!(token.len(), 43, "256 bits, base64url: {url}");
    assert_eq!(created["name"], "Team audit");
    assert_eq!(
        created["config"],
        json!({"methods": ["read"], "tags": [], "require_api_token_auth": false, "tool_exposure": "all"})
    );
    assert_eq!(created["expires_at"], Value::Null);
    assert_eq!(created["integrated_account_id"], account);
    assert_eq!(created["created_at"], "2030-01-01T00:00:00Z");

    let path = format!("/integrated-account/{account}/mcp/{id}");
    let (status, read) = hosting.admin("GET", &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(read.get("url").is_none(), "the URL is shown once: {read}");
    assert!(!read.to_string().contains(token), "{read}");
    let mut expected = created.clone();
    expected.as_object_mut().unwrap().remove("url");
    assert_eq!(read, expected);

    let (status, list) = hosting
        .admin("GET", &format!("/integrated-account/{account}/mcp"), None)
        .await;
    assert_eq!(
        (status, list),
        (
            StatusCode::OK,
            json!({"result": [expected], "next_cursor": null})
        )
    );

    hosting.clock.advance(chrono::TimeDelta::seconds(5));
    let patch = json!({"name": "Writers", "config": {"methods": ["write"]}, "expires_at": "2030-01-02T00:00:00Z"});
    let (status, patched) = hosting.admin("PATCH", &path, Some(patch)).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["name"], "Writers");
    assert_eq!(patched["config"]["methods"], json!(["write"]));
    assert_eq!(patched["expires_at"], "2030-01-02T00:00:00Z");
    assert_eq!(patched["updated_at"], "2030-01-01T00:00:05Z");
    assert_eq!(patched["created_at"], "2030-01-01T00:00:00Z");
    // Absent fields keep their value; `expires_at: null` removes the expiry.
    let (status, patched) = hosting
        .admin(
            "PATCH",
            &path,
            Some(json!({"config": {"require_api_token_auth": true}, "expires_at": null})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(
        patched["config"],
        json!({"methods": ["write"], "tags": [], "require_api_token_auth": true, "tool_exposure": "all"})
    );
    assert_eq!(patched["name"], "Writers");
    assert_eq!(patched["expires_at"], Value::Null);
    let (_, read) = hosting.admin("GET", &path, None).await;
    assert_eq!(read, patched, "PATCH is stored");

    let (status, body) = hosting.admin("DELETE", &path, None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    for method in ["GET", "DELETE"] {
        let (status, reply) = hosting.admin(method, &path, None).await;
        assert_error(status, &reply, StatusCode::NOT_FOUND, "not_found");
    }
    let (status, reply) = hosting
        .admin("PATCH", &path, Some(json!({"name": "x"})))
        .await;
    assert_error(status, &reply, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn mcp_server_input_is_validated() {
    let (_dir, hosting) = hosting().await;
    let account = hosting.account("acme", "t").await;
    let create = |body: Value| {
        let hosting = &hosting;
        let account = account.clone();
        async move {
            hosting
                .admin(
                    "POST",
                    &format!("/integrated-account/{account}/mcp"),
                    Some(body),
                )
                .await
        }
    };
    let cases = [
        (
            json!({"name": "x", "config": {"methods": ["custom"]}}),
            StatusCode::BAD_REQUEST,
            "no_matching_tools",
            "no chronosphere tool matches",
        ),
        (
            json!({"name": "x", "config": {"methods": ["lst"]}}),
            StatusCode::BAD_REQUEST,
            "invalid_filter",
            "unknown method `lst`",
        ),
        (
            json!({"name": "x", "config": {"tags": ["billing"]}}),
            StatusCode::BAD_REQUEST,
            "invalid_filter",
            "unknown tag `billing`",
        ),
        (
            json!({"name": "x", "config": {"methods": ["re ad"]}}),
            StatusCode::BAD_REQUEST,
            "invalid_filter",
            "not a valid name",
        ),
        (
            json!({"name": "  "}),
            StatusCode::BAD_REQUEST,
            "invalid_name",
            "must not be empty",
        ),
        (
            json!({"name": "x", "expires_at": "next week"}),
            StatusCode::BAD_REQUEST,
            "invalid_expires_at",
            "RFC 3339",
        ),
        (
            json!({"name": "x", "expires_at": "2030-01-01T00:00:59Z"}),
            StatusCode::BAD_REQUEST,
            "invalid_expires_at",
            "at least 60 s",
        ),
        (
            json!({"name": "x", "expires_at": "2029-12-31T00:00:00Z"}),
            StatusCode::BAD_REQUEST,
            "invalid_expires_at",
            "at least 60 s",
        ),
        (
            json!({"name": "x", "config": {"method": ["read"]}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "unknown field `method`",
        ),
        (
            json!({"name": "x", "config": {"methods": "read"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "config.methods",
        ),
        (
            json!({"name": "x", "expire_at": null}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "unknown field `expire_at`",
        ),
    ];
    for (body, want_status, code, fragment) in cases {
        let (status, reply) = create(body.clone()).await;
        assert_error(status, &reply, want_status, code);
        let message = reply["message"].as_str().unwrap();
        assert!(
            message.contains(fragment),
            "{body}: {message:?} lacks {fragment:?}"
        );
    }
    // Exactly 60 s ahead is accepted.
    let (status, reply) =
        create(json!({"name": "edge", "expires_at": "2030-01-01T00:01:00Z"})).await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");

    // Names are unique among an account's live servers.
    let (status, reply) = create(json!({"name": "edge"})).await;
    assert_error(status, &reply, StatusCode::CONFLICT, "name_taken");
    let other = hosting.server(&account, json!({"name": "other"})).await;
    let path = format!(
        "/integrated-account/{account}/mcp/{}",
        other["id"].as_str().unwrap()
    );
    let (status, reply) = hosting
        .admin("PATCH", &path, Some(json!({"name": "edge"})))
        .await;
    assert_error(status, &reply, StatusCode::CONFLICT, "name_taken");
    // PATCH validates like POST.
    for (patch, code) in [
        (
            json!({"config": {"methods": ["custom"]}}),
            "no_matching_tools",
        ),
        (
            json!({"expires_at": "2030-01-01T00:00:10Z"}),
            "invalid_expires_at",
        ),
        (json!({"name": ""}), "invalid_name"),
    ] {
        let (status, reply) = hosting.admin("PATCH", &path, Some(patch)).await;
        assert_error(status, &reply, StatusCode::BAD_REQUEST, code);
    }
    // Servers of unknown accounts, or of another account, are 404.
    let (status, reply) = hosting
        .admin(
            "POST",
            "/integrated-account/acct_missing/mcp",
            Some(json!({"name": "x"})),
        )
        .await;
    assert_error(status, &reply, StatusCode::NOT_FOUND, "not_found");
    let (status, reply) = hosting
        .admin("GET", "/integrated-account/acct_missing/mcp", None)
        .await;
    assert_error(status, &reply, StatusCode::NOT_FOUND, "not_found");
    let second = hosting.account("beta", "t").await;
    let (status, reply) = hosting
        .admin(
            "GET",
            &format!(
                "/integrated-account/{second}/mcp/{}",
                other["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_error(status, &reply, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn server_lists_page_and_deleting_an_account_deletes_its_servers() {
    let (_dir, hosting) = hosting().await;
    let account = hosting.account("acme", "t").await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let server = hosting
            .server(&account, json!({"name": format!("s{i}")}))
            .await;
        ids.push(server["id"].as_str().unwrap().to_owned());
        hosting.clock.advance(chrono::TimeDelta::milliseconds(1));
    }
    let (_, first) = hosting
        .admin(
            "GET",
            &format!("/integrated-account/{account}/mcp?limit=2"),
            None,
        )
        .await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, second) = hosting
        .admin(
            "GET",
            &format!("/integrated-account/{account}/mcp?limit=2&next_cursor={cursor}"),
            None,
        )
        .await;
    let listed: Vec<&str> = first["result"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["result"].as_array().unwrap())
        .map(|server| server["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ids);
    assert_eq!(second["next_cursor"], Value::Null);

    let (status, _) = hosting
        .admin("DELETE", &format!("/integrated-account/{account}"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for id in &ids {
        assert!(
            hosting.hosted.server(None, id).await.is_err(),
            "server {id} outlived its account"
        );
    }
}

#[tokio::test]
async fn api_tokens_are_issued_once_and_deleted() {
    let (_dir, hosting) = hosting().await;
    let (status, issued) = hosting.admin("POST", "/api-tokens", None).await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    let id = issued["id"].as_str().unwrap();
    let token = issued["token"].as_str().unwrap();
    assert!(id.starts_with("tok_"));
    assert_eq!(token.len(), 43);
    assert_eq!(issued["created_at"], "2030-01-01T00:00:00Z");
    assert!(hosting.hosted.api_token_valid(token).await.unwrap());

    let (status, list) = hosting.admin("GET", "/api-tokens", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        list,
        json!({"result": [{"id": id, "created_at": "2030-01-01T00:00:00Z"}], "next_cursor": null})
    );

    let (status, _) = hosting
        .admin("DELETE", &format!("/api-tokens/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(!hosting.hosted.api_token_valid(token).await.unwrap());
    let (status, reply) = hosting
        .admin("DELETE", &format!("/api-tokens/{id}"), None)
        .await;
    assert_error(status, &reply, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_json() {
    let (_dir, hosting) = hosting().await;
    let (status, reply) = hosting.admin("GET", "/integrated-accounts", None).await;
    assert_error(status, &reply, StatusCode::NOT_FOUND, "not_found");
    let (status, reply) = hosting
        .admin("PUT", "/integrated-account", Some(json!({})))
        .await;
    assert_error(
        status,
        &reply,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    );
    let (status, reply) = hosting.admin("GET", "/integrated-account/%FF", None).await;
    assert_error(status, &reply, StatusCode::BAD_REQUEST, "invalid_path");
    let (status, _, text) = hosting
        .send(Request::get("/health").body(Body::empty()).unwrap())
        .await;
    assert_eq!(
        (status, text.as_str()),
        (StatusCode::OK, r#"{"status":"ok"}"#)
    );
}

#[tokio::test]
async fn ready_answers_503_while_the_database_holds_another_key() {
    let (_dir, hosting) = hosting().await;
    let ready = || Request::get("/ready").body(Body::empty()).unwrap();
    let (status, _, text) = hosting.send(ready()).await;
    assert_eq!(
        (status, text.as_str()),
        (StatusCode::OK, r#"{"status":"ready"}"#)
    );

    // Another process re-sealed the marker under a different key (a rotation this replica has
    // not restarted for): this replica must leave the balancer, while /health stays 200.
    let other = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    let literal = if hosting.database.starts_with("postgres") {
        format!("'\\x{other}'::bytea")
    } else {
        format!("x'{other}'")
    };
    hosting
        .query(&format!(
            "UPDATE settings SET value = {literal} WHERE key = 'key_check'"
        ))
        .await;
    let (status, headers, text) = hosting.send(ready()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{text}");
    assert_eq!(headers.get("retry-after").unwrap(), "5");
    let reply: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(reply["status"], "unavailable", "{reply}");
    assert!(
        reply["message"]
            .as_str()
            .unwrap()
            .contains("MCP_SECRET_KEY"),
        "{reply}"
    );
    let (status, _, _) = hosting
        .send(Request::get("/health").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
}
