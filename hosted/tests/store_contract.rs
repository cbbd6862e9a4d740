//! One suite for every `Store` implementation: each test runs on SQLite and on PostgreSQL and
//! must see the same answers (ordering, paging, expiry, name rules, cascades, purge, tokens).
//! PostgreSQL comes from `hosted_support::postgres` (a throwaway cluster; see tests/postgres/).
#![allow(clippy::unwrap_used)]

mod hosted_support;

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use hosted_support::{TempDir, start_time};
use mcpgen_hosted::model::{
    AccountRecord, Actor, ApiTokenRecord, AuditEntry, ServerConfig, ServerRecord,
};
use mcpgen_hosted::store::{self, Sealed, Store, StoreError};

/// A store on a fresh database of each engine, with what keeps it alive.
async fn stores() -> Vec<(&'static str, Arc<dyn Store>, Option<TempDir>)> {
    let dir = TempDir::new();
    let sqlite = store::open(dir.path().join("contract.db").to_str().unwrap())
        .await
        .unwrap();
    let postgres = store::open(&hosted_support::postgres::fresh_database().await)
        .await
        .unwrap();
    for store in [&sqlite, &postgres] {
        store.set_key_check(MARKER.to_vec()).await.unwrap();
    }
    vec![("sqlite", sqlite, Some(dir)), ("postgres", postgres, None)]
}

/// The key marker every store in this suite is set up with.
const MARKER: &[u8] = b"marker-under-key-1";

fn audit(action: &str, id: &str) -> AuditEntry {
    AuditEntry::new(at(0), Actor::Cli, action, "test", Some(id))
}

/// Inserts `account` the way the hosted core does: under the database's current marker.
async fn add(store: &Arc<dyn Store>, account: AccountRecord) {
    let id = account.id.clone();
    store
        .insert_account(account, MARKER.to_vec(), audit("account.create", &id))
        .await
        .unwrap();
}

fn at(seconds: i64) -> DateTime<Utc> {
    start_time() + TimeDelta::seconds(seconds)
}

fn account(n: u32) -> AccountRecord {
    AccountRecord {
        id: format!("acct_{n:028x}"),
        integration: "chronosphere".into(),
        sealed_credentials: vec![n as u8, 0, 255, 7],
        created_at: at(i64::from(n)),
    }
}

fn server(n: u32, account: &AccountRecord, name: &str, expires: Option<i64>) -> ServerRecord {
    let mut token_hash = [0u8; 32];
    token_hash[..4].copy_from_slice(&n.to_be_bytes());
    token_hash[31] = 0xee;
    ServerRecord {
        id: format!("mcp_{n:028x}"),
        account_id: account.id.clone(),
        name: name.into(),
        config: ServerConfig {
            methods: vec!["read".into()],
            tags: vec!["teams".into()],
            require_api_token_auth: n.is_multiple_of(2),
            ..ServerConfig::default()
        },
        token_hash,
        expires_at: expires.map(at),
        created_at: at(i64::from(n)),
        updated_at: at(i64::from(n)),
    }
}

fn ids<T>(records: &[T], id: impl Fn(&T) -> &str) -> Vec<String> {
    records.iter().map(|r| id(r).to_owned()).collect()
}

#[tokio::test]
async fn accounts_round_trip_page_and_delete_with_their_servers() {
    for (engine, store, _keep) in stores().await {
        for n in [3, 1, 2] {
            add(&store, account(n)).await;
        }
        assert_eq!(
            store.account(&account(2).id).await.unwrap(),
            Some(account(2)),
            "{engine}"
        );
        assert_eq!(
            store.account("acct_missing").await.unwrap(),
            None,
            "{engine}"
        );
        let first = store.accounts(None, 2).await.unwrap();
        assert_eq!(
            first,
            vec![account(1), account(2)],
            "{engine}: ordered by id"
        );
        let rest = store.accounts(Some(&account(2).id), 2).await.unwrap();
        assert_eq!(rest, vec![account(3)], "{engine}");

        store
            .insert_server(
                server(10, &account(1), "a", None),
                at(0),
                audit("server.create", "-"),
            )
            .await
            .unwrap();
        assert!(
            store
                .delete_account(&account(1).id, audit("account.delete", "-"))
                .await
                .unwrap(),
            "{engine}"
        );
        assert!(
            !store
                .delete_account(&account(1).id, audit("account.delete", "-"))
                .await
                .unwrap(),
            "{engine}"
        );
        assert_eq!(
            store
                .server(&server(10, &account(1), "a", None).id, at(0))
                .await
                .unwrap(),
            None,
            "{engine}: cascaded"
        );
    }
}

#[tokio::test]
async fn server_names_are_unique_among_live_servers_of_one_account() {
    for (engine, store, _keep) in stores().await {
        let (a, b) = (account(1), account(2));
        add(&store, a.clone()).await;
        add(&store, b.clone()).await;
        store
            .insert_server(
                server(1, &a, "x", Some(60)),
                at(0),
                audit("server.create", "-"),
            )
            .await
            .unwrap();
        let taken = store
            .insert_server(server(2, &a, "x", None), at(0), audit("server.create", "-"))
            .await;
        assert!(
            matches!(taken, Err(StoreError::NameTaken(name)) if name == "x"),
            "{engine}"
        );
        store
            .insert_server(server(3, &b, "x", None), at(0), audit("server.create", "-"))
            .await
            .unwrap();
        // Once the first expires, its name is free again.
        store
            .insert_server(
                server(4, &a, "x", None),
                at(60),
                audit("server.create", "-"),
            )
            .await
            .unwrap();
        let missing = store
            .insert_server(
                server(5, &account(9), "y", None),
                at(0),
                audit("server.create", "-"),
            )
            .await;
        assert!(
            matches!(missing, Err(StoreError::NoSuchAccount(_))),
            "{engine}"
        );

        // Renaming onto a live name is refused; onto its own name is fine.
        let mut renamed = server(3, &b, "x", None);
        store
            .insert_server(
                server(6, &b, "y", None),
                at(60),
                audit("server.create", "-"),
            )
            .await
            .unwrap();
        renamed.name = "y".into();
        let taken = store
            .update_server(renamed.clone(), at(60), audit("server.update", "-"))
            .await;
        assert!(matches!(taken, Err(StoreError::NameTaken(_))), "{engine}");
        renamed.name = "x".into();
        renamed.config.tags = vec!["monitors".into()];
        renamed.updated_at = at(61);
        assert!(
            store
                .update_server(renamed.clone(), at(61), audit("server.update", "-"))
                .await
                .unwrap(),
            "{engine}"
        );
        assert_eq!(
            store.server(&renamed.id, at(61)).await.unwrap(),
            Some(renamed),
            "{engine}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creations_with_one_name_let_exactly_one_through() {
    for (engine, store, _keep) in stores().await {
        let a = account(1);
        add(&store, a.clone()).await;
        // Several rounds: the first also grows the connection pool, so later rounds race for
        // real rather than queueing behind new connections.
        for round in 0..6u32 {
            let name = format!("same-{round}");
            let attempts: Vec<_> = (0..16)
                .map(|n| {
                    let store = Arc::clone(&store);
                    let record = server(1000 * round + n, &a, &name, None);
                    tokio::spawn(async move {
                        store
                            .insert_server(record, at(0), audit("server.create", "-"))
                            .await
                    })
                })
                .collect();
            let mut created = 0;
            for attempt in attempts {
                match attempt.await.unwrap() {
                    Ok(()) => created += 1,
                    Err(StoreError::NameTaken(_)) => {}
                    Err(other) => panic!("{engine}: {other}"),
                }
            }
            assert_eq!(created, 1, "{engine}, round {round}");
        }
    }
}

#[tokio::test]
async fn expiry_hides_servers_at_their_instant_and_the_purge_deletes_them() {
    for (engine, store, _keep) in stores().await {
        let a = account(1);
        add(&store, a.clone()).await;
        let short = server(1, &a, "short", Some(30));
        let long = server(2, &a, "long", Some(90));
        let forever = server(3, &a, "forever", None);
        for record in [&short, &long, &forever] {
            store
                .insert_server(record.clone(), at(0), audit("server.create", "-"))
                .await
                .unwrap();
        }
        let live = |now| {
            let store = Arc::clone(&store);
            async move {
                ids(
                    &store.servers(None, None, 10, at(now)).await.unwrap(),
                    |s| &s.id,
                )
            }
        };
        assert_eq!(
            live(29).await,
            [short.id.clone(), long.id.clone(), forever.id.clone()],
            "{engine}"
        );
        assert_eq!(
            live(30).await,
            [long.id.clone(), forever.id.clone()],
            "{engine}: gone at its instant"
        );
        assert_eq!(
            store.server(&short.id, at(30)).await.unwrap(),
            None,
            "{engine}"
        );
        assert!(
            store
                .resolve_server(&short.token_hash, at(30))
                .await
                .unwrap()
                .is_none(),
            "{engine}"
        );
        let expired_update = store
            .update_server(short.clone(), at(30), audit("server.update", "-"))
            .await
            .unwrap();
        assert!(
            !expired_update,
            "{engine}: an expired server cannot be updated"
        );

        let (resolved, owner) = store
            .resolve_server(&long.token_hash, at(30))
            .await
            .unwrap()
            .unwrap();
        assert_eq!((resolved, owner), (long.clone(), a.clone()), "{engine}");

        assert_eq!(
            store.purge_expired(at(90)).await.unwrap(),
            [short.id.clone(), long.id.clone()],
            "{engine}"
        );
        assert!(
            store.purge_expired(at(90)).await.unwrap().is_empty(),
            "{engine}"
        );
        assert!(
            store
                .delete_server(&forever.id, audit("server.delete", "-"))
                .await
                .unwrap(),
            "{engine}"
        );
        assert!(
            !store
                .delete_server(&forever.id, audit("server.delete", "-"))
                .await
                .unwrap(),
            "{engine}"
        );
    }
}

#[tokio::test]
async fn server_lists_filter_by_account_and_page_by_id() {
    for (engine, store, _keep) in stores().await {
        let (a, b) = (account(1), account(2));
        add(&store, a.clone()).await;
        add(&store, b.clone()).await;
        for n in 1..=5 {
            let owner = if n % 2 == 0 { &b } else { &a };
            store
                .insert_server(
                    server(n, owner, &format!("s{n}"), None),
                    at(0),
                    audit("server.create", "-"),
                )
                .await
                .unwrap();
        }
        let of_a = store.servers(Some(&a.id), None, 10, at(0)).await.unwrap();
        assert_eq!(
            ids(&of_a, |s| &s.id),
            [
                server(1, &a, "", None).id,
                server(3, &a, "", None).id,
                server(5, &a, "", None).id
            ],
            "{engine}"
        );
        let page = store
            .servers(None, Some(&server(2, &b, "", None).id), 2, at(0))
            .await
            .unwrap();
        assert_eq!(
            ids(&page, |s| &s.id),
            [server(3, &a, "", None).id, server(4, &a, "", None).id],
            "{engine}"
        );
        assert_eq!(
            page[0].config,
            server(3, &a, "", None).config,
            "{engine}: config round-trips"
        );
    }
}

#[tokio::test]
async fn api_tokens_and_the_key_marker() {
    for (engine, store, _keep) in stores().await {
        let token = |n: u8| ApiTokenRecord {
            id: format!("tok_{n:028x}"),
            token_hash: [n; 32],
            created_at: at(i64::from(n)),
        };
        for n in [2, 1] {
            store
                .insert_api_token(token(n), audit("api_token.create", "-"))
                .await
                .unwrap();
        }
        assert_eq!(
            store.api_tokens(None, 10).await.unwrap(),
            [token(1), token(2)],
            "{engine}"
        );
        assert_eq!(
            store.api_tokens(Some(&token(1).id), 10).await.unwrap(),
            [token(2)],
            "{engine}"
        );
        assert!(store.api_token_exists(&[1; 32]).await.unwrap(), "{engine}");
        assert!(!store.api_token_exists(&[3; 32]).await.unwrap(), "{engine}");
        assert!(
            store
                .delete_api_token(&token(1).id, audit("api_token.delete", "-"))
                .await
                .unwrap(),
            "{engine}"
        );
        assert!(!store.api_token_exists(&[1; 32]).await.unwrap(), "{engine}");
        assert!(
            !store
                .delete_api_token(&token(1).id, audit("api_token.delete", "-"))
                .await
                .unwrap(),
            "{engine}"
        );

        store.set_key_check(vec![9]).await.unwrap();
        assert_eq!(
            store.key_check().await.unwrap(),
            Some(MARKER.to_vec()),
            "{engine}: the first key wins"
        );
    }
}

#[tokio::test]
async fn two_postgres_replicas_purge_each_expired_server_once() {
    let url = hosted_support::postgres::fresh_database().await;
    let first = store::open(&url).await.unwrap();
    let second = store::open(&url).await.unwrap();
    let a = account(1);
    first.set_key_check(MARKER.to_vec()).await.unwrap();
    add(&first, a.clone()).await;
    let mut expected = Vec::new();
    for n in 0..200 {
        let record = server(n, &a, &format!("s{n}"), Some(10));
        expected.push(record.id.clone());
        first
            .insert_server(record, at(0), audit("server.create", "-"))
            .await
            .unwrap();
    }
    let mut purged = Vec::new();
    for _ in 0..5 {
        let (x, y) = tokio::join!(first.purge_expired(at(10)), second.purge_expired(at(10)));
        purged.extend(x.unwrap());
        purged.extend(y.unwrap());
    }
    purged.sort();
    assert_eq!(purged, expected, "every expired server purged exactly once");
}

#[tokio::test]
async fn changes_are_audited_in_commit_order_and_misses_are_not() {
    for (engine, store, _keep) in stores().await {
        let a = account(1);
        add(&store, a.clone()).await;
        let record = server(1, &a, "s", None);
        store
            .insert_server(record.clone(), at(0), audit("server.create", &record.id))
            .await
            .unwrap();
        let missing = store
            .delete_server("mcp_missing", audit("server.delete", "mcp_missing"))
            .await
            .unwrap();
        assert!(!missing, "{engine}");
        store
            .delete_server(&record.id, audit("server.delete", &record.id))
            .await
            .unwrap();
        let all = store.audit_log(None, 10).await.unwrap();
        let actions: Vec<_> = all.iter().map(|r| r.entry.action.as_str()).collect();
        assert_eq!(
            actions,
            ["account.create", "server.create", "server.delete"],
            "{engine}: a delete that found nothing records nothing"
        );
        assert_eq!(all[1].entry.target_id.as_deref(), Some(record.id.as_str()));
        assert_eq!(all[1].entry.actor, "cli", "{engine}");
        assert!(all.windows(2).all(|w| w[0].seq < w[1].seq), "{engine}");
        let rest = store.audit_log(Some(all[0].seq), 10).await.unwrap();
        assert_eq!(rest, all[1..], "{engine}: pages after a sequence number");
    }
}

#[tokio::test]
async fn reseal_all_rewrites_every_seal_at_once_or_not_at_all() {
    for (engine, store, _keep) in stores().await {
        for n in 1..=3 {
            add(&store, account(n)).await;
        }
        // A failing re-seal (the third account) changes nothing and records nothing.
        let failing = |sealed: Sealed<'_>, value: &[u8]| match sealed {
            Sealed::Account { id } if id == account(3).id => Err(format!("cannot open {id}")),
            _ => Ok([b"new:".as_slice(), value].concat()),
        };
        let before = store.audit_log(None, 10).await.unwrap().len();
        let outcome = store
            .reseal_all(
                Arc::new(failing),
                Box::new(|_| audit("key.rotate", "database")),
            )
            .await;
        assert!(
            matches!(outcome, Err(StoreError::Reseal(_))),
            "{engine}: {outcome:?}"
        );
        assert_eq!(
            store.key_check().await.unwrap(),
            Some(MARKER.to_vec()),
            "{engine}"
        );
        assert_eq!(
            store.account(&account(1).id).await.unwrap(),
            Some(account(1)),
            "{engine}"
        );
        assert_eq!(
            store.audit_log(None, 10).await.unwrap().len(),
            before,
            "{engine}"
        );

        let working = |_: Sealed<'_>, value: &[u8]| Ok([b"new:".as_slice(), value].concat());
        let count = store
            .reseal_all(
                Arc::new(working),
                Box::new(|n| audit("key.rotate", &n.to_string())),
            )
            .await
            .unwrap();
        assert_eq!(count, 3, "{engine}");
        let new_marker = [b"new:".as_slice(), MARKER].concat();
        assert_eq!(
            store.key_check().await.unwrap(),
            Some(new_marker.clone()),
            "{engine}"
        );
        for n in 1..=3 {
            let stored = store.account(&account(n).id).await.unwrap().unwrap();
            let expected = [b"new:".as_slice(), &account(n).sealed_credentials].concat();
            assert_eq!(stored.sealed_credentials, expected, "{engine}");
        }
        let log = store.audit_log(None, 10).await.unwrap();
        assert_eq!(log.last().unwrap().entry.action, "key.rotate", "{engine}");
        assert_eq!(
            log.last().unwrap().entry.target_id.as_deref(),
            Some("3"),
            "{engine}"
        );

        // An account sealed under the old marker is refused now.
        let late = store
            .insert_account(account(4), MARKER.to_vec(), audit("account.create", "4"))
            .await;
        assert!(
            matches!(late, Err(StoreError::KeyChanged)),
            "{engine}: {late:?}"
        );
        store
            .insert_account(account(4), new_marker, audit("account.create", "4"))
            .await
            .unwrap();
    }
}
