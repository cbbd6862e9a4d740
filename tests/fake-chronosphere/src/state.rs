//! Shared state: the team store, the configured token, test-control plans (forced 429s,
//! delays) and the request log.
//!
//! Built for use as a benchmark upstream: one `RwLock` around the store, and the control plans
//! sit behind atomic counters so an idle plan costs a load, not a lock.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::generic::Records;
use crate::store::{Store, Team};
use crate::time::now_rfc3339;

/// How many requests the log keeps.
pub const REQUEST_LOG_CAPACITY: usize = 100;

/// How to start a fake.
#[derive(Debug, Clone)]
pub struct FakeConfig {
    /// The `API-Token` header value every API request must carry.
    pub api_token: String,
    /// Teams created at start-up (`team-0001`, ...).
    pub seed_teams: usize,
    /// Keep the last [`REQUEST_LOG_CAPACITY`] requests for `/_fake/requests`. Benchmarks may turn
    /// it off; the request count is kept either way.
    pub record_requests: bool,
    /// Address [`crate::spawn`] binds; port 0 picks a free port.
    pub listen: std::net::SocketAddr,
}

impl FakeConfig {
    pub fn new(api_token: impl Into<String>) -> Self {
        Self {
            api_token: api_token.into(),
            seed_teams: 0,
            record_requests: true,
            listen: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        }
    }
}

/// The next `requests` API requests get 429 with these headers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitPlan {
    pub requests: u32,
    /// `Retry-After` value, sent as given (delta seconds or an HTTP date).
    #[serde(default)]
    pub retry_after: Option<String>,
    /// `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset`, when set.
    #[serde(default)]
    pub limit: Option<u64>,
    #[serde(default)]
    pub remaining: Option<u64>,
    #[serde(default)]
    pub reset: Option<u64>,
}

/// The next `requests` API requests are answered after `millis`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelayPlan {
    pub requests: u32,
    pub millis: u64,
}

/// One API request as the fake received it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    pub method: String,
    /// The path exactly as sent, percent-encoding kept.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// Lower-cased names; repeated headers joined with `, `.
    pub headers: BTreeMap<String, String>,
    /// JSON when the body parses, a string when it does not, null when empty.
    pub body: Value,
}

impl RecordedRequest {
    /// Decoded query pairs, in order (repeated keys repeat).
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let query = self.query.as_deref().unwrap_or_default();
        url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect()
    }
}

/// Cheaply cloneable handle on a fake's state.
#[derive(Debug, Clone)]
pub struct FakeState {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    api_token: String,
    record: bool,
    store: RwLock<Store>,
    records: RwLock<Records>,
    count: AtomicU64,
    rate_limited: AtomicU32,
    rate_limit: Mutex<RateLimitPlan>,
    delayed: AtomicU32,
    delay: Mutex<DelayPlan>,
    log: Mutex<VecDeque<RecordedRequest>>,
}

impl FakeState {
    pub fn new(config: &FakeConfig) -> Self {
        let state = Self {
            shared: Arc::new(Shared {
                api_token: config.api_token.clone(),
                record: config.record_requests,
                store: RwLock::default(),
                records: RwLock::default(),
                count: AtomicU64::new(0),
                rate_limited: AtomicU32::new(0),
                rate_limit: Mutex::default(),
                delayed: AtomicU32::new(0),
                delay: Mutex::default(),
                log: Mutex::default(),
            }),
        };
        state.seed(config.seed_teams);
        state
    }

    pub fn api_token(&self) -> &str {
        &self.shared.api_token
    }

    /// Adds `count` teams `team-0001`, `team-0002`, ... (existing slugs are replaced).
    pub fn seed(&self, count: usize) {
        let now = now_rfc3339();
        let mut store = self.store_mut();
        for index in 1..=count {
            store.insert(Team {
                slug: format!("team-{index:04}"),
                name: format!("Team {index}"),
                description: Some(format!("Seeded team number {index}.")),
                user_emails: vec![format!("user{index}@example.com")],
                created_at: now.clone(),
                updated_at: now.clone(),
            });
        }
    }

    /// Empties the store, the log and the control plans, and zeroes the request count.
    pub fn reset(&self) {
        self.store_mut().clear();
        self.records_mut().clear();
        self.shared.count.store(0, Ordering::SeqCst);
        self.set_rate_limit(RateLimitPlan::default());
        self.set_delay(DelayPlan::default());
        lock(&self.shared.log).clear();
    }

    pub fn team_count(&self) -> usize {
        self.store().len()
    }

    pub fn set_rate_limit(&self, plan: RateLimitPlan) {
        let mut current = lock(&self.shared.rate_limit);
        self.shared
            .rate_limited
            .store(plan.requests, Ordering::SeqCst);
        *current = plan;
    }

    pub fn set_delay(&self, plan: DelayPlan) {
        let mut current = lock(&self.shared.delay);
        self.shared.delayed.store(plan.requests, Ordering::SeqCst);
        *current = plan;
    }

    /// API requests received (including refused ones) since start or the last reset.
    pub fn request_count(&self) -> u64 {
        self.shared.count.load(Ordering::SeqCst)
    }

    /// The recorded requests, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.log).iter().cloned().collect()
    }

    pub fn last_request(&self) -> Option<RecordedRequest> {
        lock(&self.shared.log).back().cloned()
    }

    pub(crate) fn store(&self) -> RwLockReadGuard<'_, Store> {
        self.shared
            .store
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn store_mut(&self) -> RwLockWriteGuard<'_, Store> {
        self.shared
            .store
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn records_requests(&self) -> bool {
        self.shared.record
    }

    pub(crate) fn records(&self) -> RwLockReadGuard<'_, Records> {
        self.shared
            .records
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn records_mut(&self) -> RwLockWriteGuard<'_, Records> {
        self.shared
            .records
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn count_request(&self) {
        self.shared.count.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn record(&self, request: RecordedRequest) {
        let mut log = lock(&self.shared.log);
        if log.len() == REQUEST_LOG_CAPACITY {
            log.pop_front();
        }
        log.push_back(request);
    }

    /// The plan, if this request is one of the rate-limited ones.
    pub(crate) fn take_rate_limit(&self) -> Option<RateLimitPlan> {
        if self.shared.rate_limited.load(Ordering::Relaxed) == 0 {
            return None;
        }
        let plan = lock(&self.shared.rate_limit);
        take_one(&self.shared.rate_limited).then(|| plan.clone())
    }

    /// How long to hold this request, if it is one of the delayed ones.
    pub(crate) fn take_delay(&self) -> Option<Duration> {
        if self.shared.delayed.load(Ordering::Relaxed) == 0 {
            return None;
        }
        let plan = *lock(&self.shared.delay);
        take_one(&self.shared.delayed).then(|| Duration::from_millis(plan.millis))
    }
}

/// Decrements `counter` unless it is already 0; true when it did.
fn take_one(counter: &AtomicU32) -> bool {
    counter
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
            left.checked_sub(1)
        })
        .is_ok()
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
