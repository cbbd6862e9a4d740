//! Arbitrary bytes as an integration doc through the generator's loader and validator
//! (`generator::Builder::validate_texts`: YAML with locations, shape and meaning checks, the
//! validated model). Diagnostics are fine; a panic is a bug.
//!
//! The first byte picks which files are fuzzed (its value modulo 3): 0 the `integration.yaml`
//! (with the real Chronosphere `teams.yaml` beside it), 1 a resource file (`teams.yaml`, beside
//! the real Chronosphere `integration.yaml`), 2 both, of an integration folder `acme`: the text
//! before a line `#=resource=` is `integration.yaml`, the text after it `widgets.yaml`.
#![no_main]

use libfuzzer_sys::fuzz_target;

const INTEGRATION: &str = include_str!("../../integrations/chronosphere/integration.yaml");
const TEAMS: &str = include_str!("../../integrations/chronosphere/resources/teams.yaml");

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    // The loader reads files as UTF-8 text; other bytes never reach the parser.
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let builder = generator::Builder::new();
    let result = match mode % 3 {
        0 => builder.validate_texts("chronosphere", text, &[("teams.yaml", TEAMS)]),
        1 => builder.validate_texts("chronosphere", INTEGRATION, &[("teams.yaml", text)]),
        _ => {
            let (integration, resource) = text.split_once("\n#=resource=\n").unwrap_or((text, ""));
            builder.validate_texts("acme", integration, &[("widgets.yaml", resource)])
        }
    };
    if let Err(diagnostics) = result {
        // Rendering is part of reporting: every diagnostic must print.
        let _ = diagnostics.to_string();
    }
});
