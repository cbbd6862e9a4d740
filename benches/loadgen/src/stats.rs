//! Turns a run's merged latencies into the JSON report the harness reads.

use serde_json::{Value, json};

use crate::load::{LoadSpec, Outcome, Target};

/// The value at quantile `q` (0..=1) of sorted `values`, nearest-rank.
pub(crate) fn quantile(sorted: &[u32], q: f64) -> Option<u32> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

pub(crate) fn report(spec: &LoadSpec, outcome: &Outcome, label: &str, threads: usize) -> Value {
    let latencies = &outcome.latencies_us;
    let seconds = spec.duration.as_secs_f64();
    let requests = latencies.len() as u64;
    let mean = if latencies.is_empty() {
        None
    } else {
        Some(latencies.iter().map(|&l| u64::from(l)).sum::<u64>() as f64 / latencies.len() as f64)
    };
    let (target, url, protocol, method, tool) = match &spec.target {
        Target::Rest { url } => ("rest", url.as_str(), None, Some("GET"), None),
        Target::Mcp { url, era, request } => (
            "mcp",
            url.as_str(),
            Some(era.version()),
            Some(request.method()),
            request.tool(),
        ),
    };
    json!({
        "label": label,
        "target": target,
        "url": url,
        "protocol": protocol,
        "method": method,
        "tool": tool,
        "concurrency": spec.concurrency,
        "loadgen_threads": threads,
        "warmup_s": spec.warmup.as_secs_f64(),
        "duration_s": seconds,
        "requests": requests,
        "errors": outcome.errors,
        "warmup_errors": outcome.warmup_errors,
        "first_error": outcome.first_error,
        "tools_listed": outcome.tools_listed,
        "throughput_rps": if seconds > 0.0 { requests as f64 / seconds } else { 0.0 },
        "latency_us": {
            "p50": quantile(latencies, 0.50),
            "p90": quantile(latencies, 0.90),
            "p99": quantile(latencies, 0.99),
            "max": latencies.last(),
            "min": latencies.first(),
            "mean": mean,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_quantiles() {
        let values: Vec<u32> = (1..=100).collect();
        assert_eq!(quantile(&values, 0.50), Some(50));
        assert_eq!(quantile(&values, 0.99), Some(99));
        assert_eq!(quantile(&values, 1.0), Some(100));
        assert_eq!(quantile(&values, 0.0), Some(1));
        assert_eq!(quantile(&[7], 0.99), Some(7));
        assert_eq!(quantile(&[], 0.5), None);
    }
}
