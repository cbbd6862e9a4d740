//! Normalising an upstream's rate-limit headers to the IETF `ratelimit-*` meanings.
//!
//! The integration names the upstream's headers ([`RateLimitSpec`]); the IETF names themselves
//! are tried last. `reset` is reported as seconds from now: an upstream that sends an epoch
//! timestamp (as GitHub's `X-RateLimit-Reset` does) is converted, and when no reset header is
//! present `Retry-After` (seconds or an HTTP date) stands in.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::error::RateLimit;
use crate::registry::RateLimitSpec;

/// Numbers above this are timestamps, not durations: 10^9 s is about 31 years.
const EPOCH_SECONDS_FLOOR: u64 = 1_000_000_000;
/// Numbers above this are timestamps in milliseconds.
const EPOCH_MILLIS_FLOOR: u64 = 1_000_000_000_000;

pub(crate) fn from_headers(
    spec: &RateLimitSpec,
    headers: &HeaderMap,
    now: SystemTime,
) -> RateLimit {
    let first = |names: &[&str], ietf: &str| {
        names
            .iter()
            .copied()
            .chain([ietf])
            .find_map(|name| headers.get(name)?.to_str().ok().and_then(parse_number))
    };
    let reset = first(spec.reset, "ratelimit-reset")
        .map(|value| seconds_until(value, now))
        .or_else(|| {
            let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
            parse_retry_after(value, now)
        });
    RateLimit {
        limit: first(spec.limit, "ratelimit-limit"),
        remaining: first(spec.remaining, "ratelimit-remaining"),
        reset,
    }
}

/// `Retry-After` as seconds from `now`: either delta-seconds or an HTTP date (a date in the past
/// is 0).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<u64> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(seconds);
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).map_or(0, round_up))
}

/// A header number: an integer, or a decimal rounded up (`1.5` -> 2). Negative or non-numeric
/// values are ignored rather than guessed at.
fn parse_number(value: &str) -> Option<u64> {
    let value = value.trim();
    if let Ok(number) = value.parse::<u64>() {
        return Some(number);
    }
    let float = value
        .parse::<f64>()
        .ok()
        .filter(|float| float.is_finite() && *float >= 0.0)?;
    Some(float.ceil() as u64)
}

fn seconds_until(value: u64, now: SystemTime) -> u64 {
    let target = if value >= EPOCH_MILLIS_FLOOR {
        UNIX_EPOCH + Duration::from_millis(value)
    } else if value >= EPOCH_SECONDS_FLOOR {
        UNIX_EPOCH + Duration::from_secs(value)
    } else {
        return value;
    };
    target.duration_since(now).map_or(0, round_up)
}

fn round_up(duration: Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    const SPEC: RateLimitSpec = RateLimitSpec {
        limit: &["x-ratelimit-limit"],
        remaining: &["x-ratelimit-remaining"],
        reset: &["x-ratelimit-reset"],
    };

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn retry_after_accepts_seconds_and_http_dates() {
        let now = at(1_784_000_000);
        assert_eq!(parse_retry_after(" 120 ", now), Some(120));
        let in_90_s = httpdate::fmt_http_date(now + Duration::from_secs(90));
        assert_eq!(parse_retry_after(&in_90_s, now), Some(90));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(5));
        assert_eq!(parse_retry_after(&past, now), Some(0));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(0)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }

    #[test]
    fn mapped_headers_win_and_epoch_resets_become_deltas() {
        let now = at(1_784_000_000);
        let map = headers(&[
            ("x-ratelimit-limit", "100"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1784000042"),
            ("retry-after", "7"),
        ]);
        assert_eq!(
            from_headers(&SPEC, &map, now),
            RateLimit {
                limit: Some(100),
                remaining: Some(0),
                reset: Some(42)
            }
        );
        let millis = headers(&[("x-ratelimit-reset", "1784000001500")]);
        assert_eq!(from_headers(&SPEC, &millis, now).reset, Some(2));
    }

    #[test]
    fn retry_after_stands_in_for_a_missing_reset() {
        let map = headers(&[("retry-after", "30"), ("ratelimit-limit", "10")]);
        assert_eq!(
            from_headers(&SPEC, &map, at(0)),
            RateLimit {
                limit: Some(10),
                remaining: None,
                reset: Some(30)
            }
        );
        assert!(from_headers(&SPEC, &HeaderMap::new(), at(0)).is_empty());
    }

    #[test]
    fn numbers_round_up_and_garbage_is_ignored() {
        assert_eq!(parse_number("1.5"), Some(2));
        assert_eq!(parse_number("-1"), None);
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("ten"), None);
    }
}
