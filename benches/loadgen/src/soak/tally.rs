//! What one virtual client counted; the run merges every client's tally at the end, so the hot
//! loop shares nothing.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};

use crate::stats::quantile;

/// How many example messages of each kind of failure a report keeps.
const SAMPLES: usize = 5;

#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// Requests put on the wire (a session's `initialize` with its notification counts once).
    pub sent: u64,
    /// Requests that got a whole HTTP reply, right or wrong.
    pub answered: u64,
    /// Requests that never got one: transport errors and timeouts.
    pub lost: u64,
    pub protocol_errors: u64,
    pub tool_ok: u64,
    pub tool_errors_expected: u64,
    pub tool_errors_unexpected: u64,
    /// Expected tool errors by upstream status (the injected 429s, the missing record's 404s).
    pub expected_by_status: BTreeMap<u16, u64>,
    /// `tools/list` walks from the first page to the last.
    pub list_walks: u64,
    /// Tools in the first complete walk; every later walk must list the same number.
    pub tools_listed: Option<usize>,
    pub latencies_us: BTreeMap<&'static str, Vec<u32>>,
    pub samples: BTreeMap<&'static str, Vec<String>>,
}

impl Tally {
    pub(crate) fn answered(&mut self, op: &'static str, latency: Duration) {
        self.answered += 1;
        let micros = u32::try_from(latency.as_micros()).unwrap_or(u32::MAX);
        self.latencies_us.entry(op).or_default().push(micros);
    }

    pub(crate) fn lost(&mut self, what: String) {
        self.lost += 1;
        self.sample("lost", what);
    }

    pub(crate) fn protocol_error(&mut self, what: String) {
        self.protocol_errors += 1;
        self.sample("protocol", what);
    }

    pub(crate) fn unexpected_tool(&mut self, what: String) {
        self.tool_errors_unexpected += 1;
        self.sample("unexpected tool result", what);
    }

    pub(crate) fn expected_tool_error(&mut self, status: u16) {
        self.tool_errors_expected += 1;
        *self.expected_by_status.entry(status).or_default() += 1;
    }

    fn sample(&mut self, kind: &'static str, what: String) {
        let samples = self.samples.entry(kind).or_default();
        if samples.len() < SAMPLES {
            samples.push(what);
        }
    }

    /// Records a complete walk's tool count; a count unlike the first walk's is a protocol
    /// error (pages lost, repeated or cut differently).
    pub(crate) fn walk(&mut self, tools: usize, expected: Option<usize>) {
        self.list_walks += 1;
        match expected.or(self.tools_listed) {
            Some(first) if first != tools => {
                self.protocol_error(format!("a tools/list walk gave {tools} tools, not {first}"));
            }
            _ => self.tools_listed = self.tools_listed.or(Some(tools)),
        }
    }

    pub(crate) fn merge(&mut self, other: Tally) {
        self.sent += other.sent;
        self.answered += other.answered;
        self.lost += other.lost;
        self.protocol_errors += other.protocol_errors;
        self.tool_ok += other.tool_ok;
        self.tool_errors_expected += other.tool_errors_expected;
        self.tool_errors_unexpected += other.tool_errors_unexpected;
        for (status, count) in other.expected_by_status {
            *self.expected_by_status.entry(status).or_default() += count;
        }
        self.list_walks += other.list_walks;
        if let (Some(mine), Some(theirs)) = (self.tools_listed, other.tools_listed)
            && mine != theirs
        {
            self.protocol_error(format!(
                "two clients' tools/list walks disagree: {mine} and {theirs} tools"
            ));
        }
        self.tools_listed = self.tools_listed.or(other.tools_listed);
        for (op, latencies) in other.latencies_us {
            self.latencies_us.entry(op).or_default().extend(latencies);
        }
        for (kind, samples) in other.samples {
            for sample in samples {
                self.sample(kind, sample);
            }
        }
    }

    /// Every answered request's latency, sorted, and the same per operation.
    pub(crate) fn latency_report(&mut self) -> Value {
        let mut all: Vec<u32> = self.latencies_us.values().flatten().copied().collect();
        all.sort_unstable();
        let mut by_op = serde_json::Map::new();
        for (op, latencies) in &mut self.latencies_us {
            latencies.sort_unstable();
            by_op.insert((*op).to_owned(), percentiles(latencies));
        }
        json!({"all": percentiles(&all), "by_op": by_op})
    }
}

fn percentiles(sorted: &[u32]) -> Value {
    json!({
        "count": sorted.len(),
        "p50": quantile(sorted, 0.50),
        "p90": quantile(sorted, 0.90),
        "p99": quantile(sorted, 0.99),
        "max": sorted.last(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_of_another_length_are_protocol_errors() {
        let mut tally = Tally::default();
        tally.walk(183, None);
        tally.walk(183, None);
        assert_eq!(tally.protocol_errors, 0);
        tally.walk(182, None);
        assert_eq!(tally.protocol_errors, 1);
        let mut other = Tally::default();
        other.walk(100, None);
        tally.merge(other);
        assert_eq!(tally.protocol_errors, 2);
        assert_eq!(tally.list_walks, 4);
    }

    #[test]
    fn samples_are_capped() {
        let mut tally = Tally::default();
        for n in 0..20 {
            tally.lost(format!("{n}"));
        }
        assert_eq!(tally.lost, 20);
        assert_eq!(tally.samples["lost"].len(), SAMPLES);
    }
}
