//! Logs: `tracing` to stderr only, so stdio mode keeps stdout pure JSON-RPC.
//!
//! `RUST_LOG` picks the level (default: info for mcpgen crates, warn for the rest). Nothing
//! logged here carries credential values or tool arguments: the runtime's types redact
//! credentials, and the server logs tool names, timings, error kinds and the name of a field at
//! fault, never values.
//!
//! The libraries underneath are less careful at their verbose levels: rmcp's service loop logs
//! every message it receives and sends at `debug` (tool arguments and results, user emails
//! included), and reqwest and hyper log URLs (which may carry a query-auth key) at `debug` and
//! `trace`. So those targets stay at `warn` (rmcp's service loop at `error`) whatever `RUST_LOG` asks for, unless `RUST_LOG`
//! names one of them itself: then the operator has asked for that output, and is told at start
//! what it contains.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::Directive;

/// rmcp's service loop warns about every JSON-RPC error it sends; those are ordinary outcomes
/// here (the server logs them itself), so only its errors show by default.
const DEFAULT_FILTER: &str = "warn,rmcp::service=error,mcpgen_server=info,mcpgen_runtime=info";

/// Targets whose verbose events carry request content (arguments, results, URLs), each with the
/// most it may log unless `RUST_LOG` names it: rmcp's service loop quotes every error it sends
/// at `warn`, and a `-32602` quotes the argument it rejects.
const VERBOSE_TARGETS: &[(&str, &str)] = &[
    ("rmcp", "rmcp=warn,rmcp::service=error"),
    ("reqwest", "reqwest=warn"),
    ("hyper", "hyper=warn"),
    ("hyper_util", "hyper_util=warn"),
    ("h2", "h2=warn"),
];

/// Installs the stderr subscriber; a no-op when one is already installed (tests, embedders).
pub fn init() {
    init_with(&[]);
}

/// [`init`], with the `info` events of `own_targets` (the embedding crates, such as
/// `mcpgen_hosted`) shown by default too.
pub fn init_with(own_targets: &[&str]) {
    let (filter, opted_in) = filter(
        std::env::var("RUST_LOG").ok().as_deref(),
        &default_filter(own_targets),
    );
    let installed = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init()
        .is_ok();
    if installed && !opted_in.is_empty() {
        tracing::warn!(
            targets = %opted_in.join(","),
            "RUST_LOG names these targets explicitly; at debug or trace they log tool arguments, \
             results and upstream URLs"
        );
    }
}

/// The filter [`init_with`] installs for a `RUST_LOG` value, for embedders with subscribers of
/// their own (and tests that check what each level lets through).
pub fn env_filter(rust_log: Option<&str>, own_targets: &[&str]) -> EnvFilter {
    filter(rust_log, &default_filter(own_targets)).0
}

fn default_filter(own_targets: &[&str]) -> String {
    let mut default = DEFAULT_FILTER.to_owned();
    for target in own_targets {
        default.push_str(&format!(",{target}=info"));
    }
    default
}

/// The filter for `rust_log` (unset or unparsable: `default`), and the verbose targets it
/// names explicitly.
fn filter(rust_log: Option<&str>, default: &str) -> (EnvFilter, Vec<&'static str>) {
    let spec = rust_log
        .map(str::trim)
        .filter(|spec| !spec.is_empty())
        .filter(|spec| EnvFilter::try_new(spec).is_ok())
        .unwrap_or(default);
    let named = |target: &str| {
        spec.split(',').any(|directive| {
            let name = directive
                .split(['=', '['])
                .next()
                .unwrap_or_default()
                .trim();
            name == target || name.starts_with(&format!("{target}::"))
        })
    };
    let mut filter = EnvFilter::new(spec);
    let mut opted_in = Vec::new();
    for (target, caps) in VERBOSE_TARGETS {
        if named(target) {
            opted_in.push(*target);
            continue;
        }
        for cap in caps.split(',') {
            if let Ok(directive) = cap.parse::<Directive>() {
                filter = filter.add_directive(directive);
            }
        }
    }
    if spec == default {
        opted_in.clear();
    }
    (filter, opted_in)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(rust_log: Option<&str>) -> (String, Vec<&'static str>) {
        let (filter, opted_in) = filter(rust_log, DEFAULT_FILTER);
        (filter.to_string(), opted_in)
    }

    #[test]
    fn verbose_levels_keep_request_content_out() {
        for level in ["debug", "trace", "info,mcpgen_server=trace"] {
            let (filter, opted_in) = rendered(Some(level));
            for (_, caps) in VERBOSE_TARGETS {
                for cap in caps.split(',') {
                    assert!(filter.contains(cap), "{level}: {filter}");
                }
            }
            assert!(opted_in.is_empty(), "{level}");
        }
    }

    #[test]
    fn naming_a_target_is_an_explicit_opt_in() {
        let (filter, opted_in) = rendered(Some("info,rmcp::service=debug"));
        assert!(filter.contains("rmcp::service=debug"), "{filter}");
        assert!(!filter.contains("rmcp=warn"), "{filter}");
        assert!(filter.contains("reqwest=warn"), "{filter}");
        assert_eq!(opted_in, ["rmcp"]);
    }

    #[test]
    fn unset_empty_or_invalid_rust_log_is_the_default() {
        for rust_log in [None, Some(""), Some("rmcp=notalevel")] {
            let (filter, opted_in) = rendered(rust_log);
            assert!(
                filter.contains("rmcp::service=error"),
                "{rust_log:?}: {filter}"
            );
            assert!(filter.contains("hyper=warn"), "{rust_log:?}: {filter}");
            assert!(opted_in.is_empty());
        }
    }
}
