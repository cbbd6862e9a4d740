//! The server's resident memory through the run, from `/proc/<pid>/status`.

use std::time::Duration;

use anyhow::{Context, Result};
use serde_json::{Value, json};
use tokio::sync::watch;

/// The fields of `/proc/<pid>/status` the soak reports, in KiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Memory {
    /// `VmRSS`: resident now.
    pub rss_kib: u64,
    /// `VmHWM`: the most ever resident, between samples too.
    pub hwm_kib: u64,
}

pub(crate) fn read(pid: u32) -> Result<Memory> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
    parse(&status).with_context(|| format!("no VmRSS/VmHWM in {path}"))
}

fn parse(status: &str) -> Option<Memory> {
    let field = |name: &str| {
        status.lines().find_map(|line| {
            let value = line.strip_prefix(name)?.strip_prefix(':')?;
            value.trim().strip_suffix("kB")?.trim().parse::<u64>().ok()
        })
    };
    Some(Memory {
        rss_kib: field("VmRSS")?,
        hwm_kib: field("VmHWM")?,
    })
}

/// `VmRSS` once a second until `stop` turns true; the samples, in KiB.
pub(crate) async fn sample_every_second(pid: u32, mut stop: watch::Receiver<bool>) -> Vec<u64> {
    let mut samples = Vec::new();
    let mut ticks = tokio::time::interval(Duration::from_secs(1));
    loop {
        tokio::select! {
            _ = ticks.tick() => {
                // A server that died shows as a gap; the run's end sample then fails loudly.
                if let Ok(memory) = read(pid) {
                    samples.push(memory.rss_kib);
                }
            }
            _ = stop.changed() => return samples,
        }
    }
}

/// The memory part of the report, and the leak check: RSS at the end may exceed RSS at the
/// start by at most `bound_kib`.
pub(crate) fn report(
    start: Memory,
    end: Memory,
    samples: &[u64],
    bound_kib: u64,
) -> (Value, Option<String>) {
    let peak = samples
        .iter()
        .copied()
        .chain([start.rss_kib, end.rss_kib])
        .max()
        .unwrap_or(end.rss_kib);
    let growth = end.rss_kib.saturating_sub(start.rss_kib);
    let failure = (growth > bound_kib).then(|| {
        format!(
            "RSS grew by {} KiB over the run ({} -> {} KiB), more than the bound of {} KiB",
            growth, start.rss_kib, end.rss_kib, bound_kib
        )
    });
    let value = json!({
        "start": start.rss_kib,
        "peak": peak,
        "end": end.rss_kib,
        "hwm": end.hwm_kib,
        "bound": bound_kib,
        "samples": samples,
    });
    (value, failure)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn status_fields_parse() {
        let status = "Name:\tmcp-server\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\nThreads:\t3\n";
        assert_eq!(
            parse(status),
            Some(Memory {
                rss_kib: 10240,
                hwm_kib: 20480
            })
        );
        assert_eq!(parse("Name:\tx\n"), None);
    }

    #[test]
    fn growth_over_the_bound_fails() {
        let at = |rss_kib| Memory {
            rss_kib,
            hwm_kib: 0,
        };
        let (value, failure) = report(at(1000), at(1500), &[1200, 2000], 600);
        assert!(failure.is_none());
        assert_eq!(value["peak"], 2000);
        let (_, failure) = report(at(1000), at(1700), &[], 600);
        assert!(failure.unwrap().contains("700 KiB"));
    }

    #[test]
    fn this_process_can_be_read() {
        let memory = read(std::process::id()).unwrap();
        assert!(memory.rss_kib > 0 && memory.hwm_kib >= memory.rss_kib);
    }
}
