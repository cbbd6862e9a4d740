//! Human-friendly durations and sizes for flags and their environment variables.
//!
//! A bare number is seconds (durations) or bytes (sizes), so `MCP_UPSTREAM_TIMEOUT_SECS=30`
//! and `MCP_UPSTREAM_MAX_BODY_BYTES=1048576` read as their names say.

use std::time::Duration;

/// `30`, `30s`, `1.5s`, `1500ms`, `2m`. Zero is refused: it would fail every call.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration; use e.g. 30, 30s, 1500ms or 2m"))?;
    let seconds = match unit.trim() {
        "" | "s" | "sec" | "secs" => value,
        "ms" => value / 1000.0,
        "m" | "min" | "mins" => value * 60.0,
        other => return Err(format!("unknown duration unit `{other}`; use ms, s or m")),
    };
    if !seconds.is_finite() || seconds <= 0.0 || seconds > 24.0 * 3600.0 {
        return Err(format!(
            "`{text}` is out of range; give a duration above 0 and at most 24 hours"
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// A duration as an operator would write it back: `30s`, `1500ms`.
pub fn format_duration(duration: Duration) -> String {
    if duration.subsec_millis() == 0 {
        format!("{}s", duration.as_secs())
    } else {
        format!("{}ms", duration.as_millis())
    }
}

/// `1048576`, `512KiB`, `10MiB`, `1GiB`. Zero is refused.
pub fn parse_byte_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: usize = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size; use e.g. 1048576, 512KiB or 10MiB"))?;
    let factor: usize = match unit.trim() {
        "" | "B" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        other => {
            return Err(format!(
                "unknown size unit `{other}`; use KiB, MiB or GiB (powers of 1024)"
            ));
        }
    };
    match value.checked_mul(factor) {
        Some(0) => Err("the size must be above 0".to_owned()),
        Some(bytes) => Ok(bytes),
        None => Err(format!("`{text}` is too large")),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        for bad in ["", "0", "-1", "s", "3h", "abc", "1e9"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_byte_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_byte_size("10MiB"), Ok(10 << 20));
        assert_eq!(parse_byte_size("512KiB"), Ok(512 << 10));
        for bad in ["", "0", "10MB", "1.5MiB", "-3", "99999999999999999999"] {
            assert!(parse_byte_size(bad).is_err(), "{bad}");
        }
    }
}
