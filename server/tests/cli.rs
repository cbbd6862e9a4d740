//! The command line: exit codes for configuration mistakes (2, before serving) and where
//! credentials come from.
#![allow(clippy::unwrap_used)]

mod common;

use common::{DEMO, INTEGRATIONS};
use mcpgen_server::cli::run;
use mcpgen_server::credentials::{CredentialsError, resolve};

fn no_env(_: &str) -> Option<String> {
    None
}

fn full_env(name: &str) -> Option<String> {
    match name {
        "DEMO_TENANT" => Some("acme".into()),
        "DEMO_API_TOKEN" => Some("s3cr3t".into()),
        _ => None,
    }
}

type Env = fn(&str) -> Option<String>;

fn exit(args: &[&str], env: Env) -> u8 {
    run(
        &INTEGRATIONS,
        std::iter::once("mcp-server").chain(args.iter().copied()),
        &env,
    )
}

#[test]
fn configuration_mistakes_exit_2_before_serving() {
    let cases: &[(&str, &[&str], Env)] = &[
        (
            "missing credentials (stdio)",
            &["stdio", "--integration", "demo"],
            no_env,
        ),
        (
            "missing credentials (http)",
            &["http", "--integration", "demo", "--listen", "127.0.0.1:0"],
            no_env,
        ),
        (
            "one credential missing",
            &["stdio", "--credential", "tenant=acme"],
            no_env,
        ),
        (
            "unknown integration",
            &["stdio", "--integration", "demoo"],
            full_env,
        ),
        (
            "unknown credential",
            &[
                "stdio",
                "--credential",
                "tenant=a",
                "--credential",
                "token=b",
            ],
            full_env,
        ),
        (
            "malformed credential",
            &["stdio", "--credential", "tenant"],
            full_env,
        ),
        ("unknown method", &["stdio", "--methods", "lsit"], full_env),
        ("unknown tag", &["tools", "--tags", "nope"], full_env),
        (
            "no tool matches",
            &["stdio", "--methods", "read", "--tags", "lifecycle"],
            full_env,
        ),
        (
            "non-loopback listen",
            &["http", "--listen", "0.0.0.0:0"],
            full_env,
        ),
        (
            "bad origin",
            &[
                "http",
                "--listen",
                "127.0.0.1:0",
                "--allowed-origin",
                "example.com",
            ],
            full_env,
        ),
        ("zero timeout", &["stdio", "--timeout", "0"], full_env),
        ("bad size", &["stdio", "--max-body-bytes", "10MB"], full_env),
        ("unknown flag", &["stdio", "--bogus"], full_env),
        ("no subcommand", &[], full_env),
    ];
    for (what, args, env) in cases {
        assert_eq!(exit(args, *env), 2, "{what}: {args:?}");
    }
}

#[test]
fn help_and_inventory_exit_0() {
    for args in [
        &["--help"][..],
        &["stdio", "--help"],
        &["http", "--help"],
        &["tools", "--help"],
        &["--version"],
    ] {
        assert_eq!(exit(args, no_env), 0, "{args:?}");
    }
    // The inventory needs no credentials, and --integration is optional with one integration.
    assert_eq!(exit(&["tools"], no_env), 0);
    assert_eq!(
        exit(
            &[
                "tools",
                "--integration",
                "demo",
                "--methods",
                "read,archive",
                "--json"
            ],
            no_env
        ),
        0
    );
}

#[test]
fn missing_credentials_name_every_variable_and_the_flag() {
    let error = resolve(&DEMO, &[], no_env).unwrap_err();
    assert_eq!(
        error.to_string(),
        "missing demo credentials: set DEMO_TENANT and DEMO_API_TOKEN in the environment, or pass \
         --credential tenant=... --credential api_token=..."
    );
    let error = resolve(&DEMO, &[("tenant".into(), "acme".into())], no_env).unwrap_err();
    assert!(
        matches!(&error, CredentialsError::Missing { variables, .. } if variables == &["DEMO_API_TOKEN"]),
        "{error}"
    );
    // Empty values count as missing.
    let error = resolve(&DEMO, &[], |name| {
        (name == "DEMO_TENANT")
            .then(String::new)
            .or_else(|| full_env(name))
    })
    .unwrap_err();
    assert!(error.to_string().contains("DEMO_TENANT"), "{error}");
}

#[test]
fn flags_override_the_environment_and_values_never_leak() {
    let credentials =
        resolve(&DEMO, &[("api_token".into(), "from-flag".into())], full_env).unwrap();
    assert_eq!(credentials.get("api_token"), Some("from-flag"));
    assert_eq!(credentials.get("tenant"), Some("acme"));

    let error = resolve(
        &DEMO,
        &[("api_tokn".into(), "s3cr3t-value".into())],
        full_env,
    )
    .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("`api_tokn`") && message.contains("tenant, api_token"),
        "{message}"
    );
    assert!(!message.contains("s3cr3t"), "{message}");
}

static TWO: [&mcpgen_runtime::Integration; 2] = [&common::DEMO, &mcpgen_chronosphere::INTEGRATION];

#[test]
fn with_several_integrations_tools_lists_them_all_and_serving_asks_which() {
    let run_two = |args: &[&str]| {
        run(
            &TWO,
            std::iter::once("mcp-server").chain(args.iter().copied()),
            &full_env,
        )
    };
    assert_eq!(run_two(&["tools"]), 0);
    assert_eq!(run_two(&["tools", "--json"]), 0);
    assert_eq!(run_two(&["tools", "--integration", "chronosphere"]), 0);
    // A tag only Chronosphere has is still a listing, of Chronosphere's tools.
    assert_eq!(run_two(&["tools", "--tags", "teams"]), 0);
    assert_eq!(run_two(&["tools", "--tags", "no-such-tag"]), 2);
    assert_eq!(run_two(&["stdio"]), 2, "serving one needs --integration");

    let catalogs: Vec<mcpgen_server::Catalog> = TWO
        .iter()
        .map(|integration| mcpgen_server::Catalog::new(integration).unwrap())
        .collect();
    let table = mcpgen_server::inventory::table(&catalogs);
    assert!(table.contains("list_all_chronosphere_teams"), "{table}");
    assert!(table.contains("tools from demo, chronosphere"), "{table}");
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&mcpgen_server::inventory::json(&catalogs)).unwrap();
    assert_eq!(json.len(), catalogs.iter().map(|c| c.len()).sum::<usize>());
}
