//! Every name the generator makes, one function per kind of name: tool names, argument names,
//! Rust type, field, variant, module and method names, statics, crate and file names.
//!
//! Validation and the emitters call the same functions, so every collision the generated code
//! could have (two tools, two arguments, two fields of a struct, two variants of an enum, two
//! types of a module) is reported against the doc that causes it, and emission never has to
//! rename anything to make names unique.

use crate::model::MethodKind;

/// The field of every lenient struct that keeps the fields the docs do not describe.
pub(crate) const EXTRA_FIELD: &str = "extra";

/// The variant of every lenient enum that keeps the values the docs do not list.
pub(crate) const OTHER_VARIANT: &str = "Other";

/// The longest tool name MCP clients accept (`^[a-zA-Z0-9_-]{1,64}$`).
pub(crate) const MAX_TOOL_NAME_LEN: usize = 64;

/// The tool name for a method, following the seed article's pattern:
/// `list_all_<integration>_<resources>`, `get_single_<integration>_<resource>_by_id`,
/// `create_a_<integration>_<resource>`, `update_a_<integration>_<resource>_by_id`,
/// `delete_a_<integration>_<resource>_by_id`, and `<method>_<integration>_<resources>` for custom
/// methods. A singleton (`by_id` false: a resource with no `id:`) has no id to go by, so its
/// get, update and delete names end at the resource (`get_single_acme_settings`).
pub(crate) fn tool_name(
    integration: &str,
    resources: &str,
    resource: &str,
    kind: &MethodKind,
    by_id: bool,
) -> String {
    let by_id = if by_id { "_by_id" } else { "" };
    match kind {
        MethodKind::List => format!("list_all_{integration}_{resources}"),
        MethodKind::Get => format!("get_single_{integration}_{resource}{by_id}"),
        MethodKind::Create => format!("create_a_{integration}_{resource}"),
        MethodKind::Update => format!("update_a_{integration}_{resource}{by_id}"),
        MethodKind::Delete => format!("delete_a_{integration}_{resource}{by_id}"),
        MethodKind::Custom(method) => format!("{method}_{integration}_{resources}"),
    }
}

/// A tool name that fits when [`tool_name`]'s does not: the short form
/// `<verb>_<integration>_<resource>` (`list_<integration>_<resources>`,
/// `get_<integration>_<resource>`, ...; a custom method keeps its
/// `<method>_<integration>_<resources>`), then words dropped from the front of the resource
/// part, one at a time, keeping its last word, and as a last resort the name cut at 64
/// characters. `generator import` writes it as `tool_name:`, and validation suggests it.
pub(crate) fn short_tool_name(
    integration: &str,
    resources: &str,
    resource: &str,
    kind: &MethodKind,
) -> String {
    let (verb, subject) = match kind {
        MethodKind::List => ("list", resources),
        MethodKind::Get => ("get", resource),
        MethodKind::Create => ("create", resource),
        MethodKind::Update => ("update", resource),
        MethodKind::Delete => ("delete", resource),
        MethodKind::Custom(name) => (name.as_str(), resources),
    };
    let words: Vec<&str> = subject.split('_').collect();
    for start in 0..words.len() {
        let name = format!("{verb}_{integration}_{}", words[start..].join("_"));
        if name.len() <= MAX_TOOL_NAME_LEN {
            return name;
        }
    }
    cut_name(
        &format!("{verb}_{integration}_{subject}"),
        MAX_TOOL_NAME_LEN,
    )
}

/// The first `max` characters of a name, without a trailing `_`.
pub(crate) fn cut_name(name: &str, max: usize) -> String {
    let mut cut: String = name.chars().take(max).collect();
    while cut.ends_with('_') {
        cut.pop();
    }
    cut
}

/// Whether `name` is a valid MCP tool name for every major client.
pub(crate) fn is_valid_tool_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_TOOL_NAME_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Whether `name` is snake_case: lowercase ASCII letters and digits separated by single
/// underscores, starting with a letter.
pub(crate) fn is_snake_case(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && !name.ends_with('_')
        && !name.contains("__")
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A tool argument name for an upstream parameter name: `page.max_size` -> `page_max_size`.
/// Anything outside `[A-Za-z0-9_]` becomes `_`, so names stay valid in every client and in Rust.
pub(crate) fn arg_name(upstream: &str) -> String {
    let mut name: String = upstream
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// The snake_case spelling to suggest for a doc name that is not snake_case, in hints only
/// (never a generated name): `userEmails` -> `user_emails`, `HTTPServer` -> `http_server`,
/// `page.max_size` -> `page_max_size`: word boundaries at case changes, every other separator
/// becomes one `_`.
pub(crate) fn suggested_snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1);
            let after_word = prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            let ends_acronym = prev.is_some_and(|p| p.is_ascii_uppercase())
                && next.is_some_and(|n| n.is_ascii_lowercase());
            if (after_word || ends_acronym) && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out
}

/// The Rust identifier of a struct field, module or method for any name: `userEmails` ->
/// `user_emails`, `page.max_size` -> `page_max_size`, `type` -> `type_`, `2fa` -> `_2fa`. An
/// underscore goes in only where a lowercase letter or digit meets an uppercase one, so
/// acronyms stay whole (`APIKey` -> `apikey`). The serde rename keeps the wire name.
pub(crate) fn rust_field(name: &str) -> String {
    let mut snake = String::with_capacity(name.len() + 4);
    let mut previous: Option<char> = None;
    for c in name.chars() {
        let separator = if c.is_ascii_uppercase() {
            matches!(previous, Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit())
        } else {
            !c.is_ascii_alphanumeric()
        };
        // One `_` for a run of separators.
        if separator && !snake.ends_with('_') {
            snake.push('_');
        }
        if c.is_ascii_alphanumeric() {
            snake.push(c.to_ascii_lowercase());
        }
        previous = Some(c);
    }
    if snake.is_empty() || snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake.insert(0, '_');
    }
    if is_rust_keyword(&snake) {
        snake.push('_');
    }
    snake
}

fn is_rust_keyword(word: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "box", "break", "const", "continue", "crate", "dyn", "else",
        "enum", "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match",
        "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
        "trait", "true", "try", "type", "unsafe", "use", "where", "while", "yield", "abstract",
        "become", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual",
    ];
    KEYWORDS.contains(&word)
}

/// The package name of a generated integration crate (`mcpgen-chronosphere`).
pub(crate) fn crate_name(integration: &str) -> String {
    format!("mcpgen-{integration}")
}

/// The library name of a generated integration crate, as Rust code spells it
/// (`mcpgen_chronosphere`).
pub(crate) fn lib_name(integration: &str) -> String {
    crate_name(integration).replace('-', "_")
}

/// The typed client of an integration (`ChronosphereClient`).
pub(crate) fn client_type(integration: &str) -> String {
    format!("{}Client", type_name(integration))
}

/// The environment variable that supplies a credential: `<INTEGRATION>_<CREDENTIAL>`
/// upper-cased (`CHRONOSPHERE_API_TOKEN`).
pub(crate) fn credential_env_var(integration: &str, credential: &str) -> String {
    format!("{integration}_{credential}").to_ascii_uppercase()
}

/// The Rust module (and file stem) of a resource (`teams`); keywords get a trailing `_`.
pub(crate) fn module_name(resource: &str) -> String {
    rust_field(resource)
}

/// The `static` holding a tool (`LIST_ALL_CHRONOSPHERE_TEAMS`).
pub(crate) fn tool_static(tool: &str) -> String {
    arg_name(tool).to_ascii_uppercase()
}

/// The `const` holding a tool's request plan (`LIST_ALL_CHRONOSPHERE_TEAMS_PLAN`).
pub(crate) fn plan_const(tool: &str) -> String {
    format!("{}_PLAN", tool_static(tool))
}

/// The typed client's method for a tool: `list_teams`, `get_team`, `create_team`,
/// `update_team`, `delete_team`, and `<method>_<resources>` for custom methods.
pub(crate) fn client_method(resources: &str, resource: &str, kind: &MethodKind) -> String {
    let name = match kind {
        MethodKind::List => format!("list_{resources}"),
        MethodKind::Get => format!("get_{resource}"),
        MethodKind::Create => format!("create_{resource}"),
        MethodKind::Update => format!("update_{resource}"),
        MethodKind::Delete => format!("delete_{resource}"),
        MethodKind::Custom(method) => format!("{method}_{resources}"),
    };
    rust_field(&name)
}

/// The typed client's method for a tool whose [`client_method`] another tool already has
/// (`get` + a resource named like a singular): the tool's own name.
pub(crate) fn fallback_client_method(tool: &str) -> String {
    rust_field(tool)
}

/// The JSON Schema file of a tool's input or output (`schemas/list_all_chronosphere_teams.input.json`).
pub(crate) fn schema_file(tool: &str, direction: &str) -> String {
    format!("schemas/{tool}.{direction}.json")
}

/// A Rust type name for a snake_case or dotted name: `team` -> `Team`,
/// `team_owner` -> `TeamOwner`. Names the prelude already uses get a `Record` suffix, so a
/// resource called `option` cannot shadow `Option` in its own module.
pub(crate) fn type_name(name: &str) -> String {
    const PRELUDE: &[&str] = &[
        "Option",
        "Some",
        "None",
        "Result",
        "Ok",
        "Err",
        "String",
        "Vec",
        "Box",
        "ToString",
        "ToOwned",
        "Default",
        "Clone",
        "Copy",
        "Send",
        "Sync",
        "Sized",
        "Unpin",
        "Drop",
        "Fn",
        "FnMut",
        "FnOnce",
        "Iterator",
        "IntoIterator",
        "Extend",
        "Eq",
        "PartialEq",
        "Ord",
        "PartialOrd",
        "AsRef",
        "AsMut",
        "Into",
        "From",
        "TryFrom",
        "TryInto",
        "Debug",
        "Hash",
        "Self",
        "Serialize",
        "Deserialize",
        "Value",
        "Map",
        "Page",
    ];
    let mut pascal = upper_camel(name);
    if pascal.is_empty() || pascal.starts_with(|c: char| c.is_ascii_digit()) {
        pascal.insert(0, 'T');
    }
    if PRELUDE.contains(&pascal.as_str()) {
        pascal.push_str("Record");
    }
    pascal
}

/// The strict input struct of a tool (`ListAllChronosphereTeamsInput`).
pub(crate) fn input_type(tool: &str) -> String {
    format!("{}Input", type_name(tool))
}

/// The type a tool returns when its method has a `response_schema`: `<Tool>Item`, one item of
/// a list's page, or `<Tool>Output`.
pub(crate) fn output_type(tool: &str, kind: &MethodKind) -> String {
    let suffix = match kind {
        MethodKind::List => "Item",
        _ => "Output",
    };
    format!("{}{suffix}", type_name(tool))
}

/// The type of a property or argument of `parent` that needs one (an object or a string
/// enum): `Team` + `owner` -> `TeamOwner`.
pub(crate) fn nested_type(parent: &str, property: &str) -> String {
    format!("{parent}{}", type_name(property))
}

/// The type of the items of an array whose own type would be named `parent`.
pub(crate) fn item_type(parent: &str) -> String {
    format!("{parent}Item")
}

/// An enum variant for a string value: `in-progress` -> `InProgress`, `ACTIVE` -> `Active`,
/// `2xx` -> `V2xx`, the empty string -> `Empty`.
pub(crate) fn variant_name(value: &str) -> String {
    let mut pascal = upper_camel(value);
    if pascal.is_empty() {
        return "Empty".to_owned();
    }
    if pascal.starts_with(|c: char| c.is_ascii_digit()) {
        pascal.insert(0, 'V');
    }
    if pascal == "Self" {
        pascal.push('_');
    }
    pascal
}

/// PascalCase from any separator-delimited name; all-caps words are lowered after their first
/// letter (`IN_PROGRESS` -> `InProgress`) so clippy's `upper_case_acronyms` stays quiet.
fn upper_camel(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let all_caps = !part.chars().any(|c| c.is_ascii_lowercase());
            let mut chars = part.chars();
            let Some(first) = chars.next() else {
                return String::new();
            };
            let rest: String = if all_caps {
                chars.as_str().to_ascii_lowercase()
            } else {
                chars.as_str().to_owned()
            };
            format!("{}{rest}", first.to_ascii_uppercase())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_names_follow_the_seed_article() {
        let cases = [
            (MethodKind::List, "list_all_chronosphere_teams"),
            (MethodKind::Get, "get_single_chronosphere_team_by_id"),
            (MethodKind::Create, "create_a_chronosphere_team"),
            (MethodKind::Update, "update_a_chronosphere_team_by_id"),
            (MethodKind::Delete, "delete_a_chronosphere_team_by_id"),
            (
                MethodKind::Custom("archive".into()),
                "archive_chronosphere_teams",
            ),
        ];
        for (kind, expected) in cases {
            assert_eq!(
                tool_name("chronosphere", "teams", "team", &kind, true),
                expected
            );
        }
        // A singleton has no id to go by.
        let singleton = |kind| {
            tool_name(
                "chronosphere",
                "resource_pools",
                "resource_pools",
                &kind,
                false,
            )
        };
        assert_eq!(
            singleton(MethodKind::Get),
            "get_single_chronosphere_resource_pools"
        );
        assert_eq!(
            singleton(MethodKind::Update),
            "update_a_chronosphere_resource_pools"
        );
        assert_eq!(
            singleton(MethodKind::Delete),
            "delete_a_chronosphere_resource_pools"
        );
    }

    #[test]
    fn short_tool_names_fit() {
        let (strategies, strategy) = (
            "trace_jaeger_remote_sampling_strategies",
            "trace_jaeger_remote_sampling_strategy",
        );
        let short = |kind: &MethodKind| short_tool_name("chronosphere", strategies, strategy, kind);
        assert_eq!(
            short(&MethodKind::Get),
            "get_chronosphere_trace_jaeger_remote_sampling_strategy"
        );
        assert_eq!(
            short(&MethodKind::List),
            "list_chronosphere_trace_jaeger_remote_sampling_strategies"
        );
        let long = "an_extremely_long_resource_name_that_goes_on_and_on_and_on_forever";
        assert_eq!(
            short_tool_name("chronosphere", long, long, &MethodKind::Update),
            "update_chronosphere_name_that_goes_on_and_on_and_on_forever"
        );
        let custom = MethodKind::Custom("a".repeat(70));
        assert_eq!(short_tool_name("x", "y", "y", &custom).len(), 64);
        assert_eq!(cut_name("ab_cd", 3), "ab");
    }

    #[test]
    fn tool_name_validity() {
        assert!(is_valid_tool_name("list_all_chronosphere_teams"));
        assert!(is_valid_tool_name(&"a".repeat(64)));
        assert!(!is_valid_tool_name(&"a".repeat(65)));
        assert!(!is_valid_tool_name("list.teams"));
        assert!(!is_valid_tool_name(""));
    }

    #[test]
    fn snake_case_rules() {
        assert!(is_snake_case("chronosphere"));
        assert!(is_snake_case("service_accounts2"));
        for bad in ["Chronosphere", "_x", "x_", "a__b", "2fa", "a-b", ""] {
            assert!(!is_snake_case(bad), "{bad} should not be snake_case");
        }
    }

    #[test]
    fn derived_names() {
        assert_eq!(arg_name("page.max_size"), "page_max_size");
        assert_eq!(arg_name("1st"), "_1st");
        assert_eq!(arg_name("userEmails"), "userEmails");
        assert_eq!(suggested_snake_case("Chrono-Sphere"), "chrono_sphere");
        assert_eq!(suggested_snake_case("HTTPServer"), "http_server");
    }

    /// One rule for every Rust field, shared by validation and the emitters: these pairs
    /// collide, so validation must report them.
    #[test]
    fn rust_fields() {
        let cases = [
            ("type", "type_"),
            ("self", "self_"),
            ("userEmails", "user_emails"),
            ("user_emails", "user_emails"),
            ("page.max_size", "page_max_size"),
            ("page..max", "page_max"),
            ("HTTPServer", "httpserver"),
            ("httpServer", "http_server"),
            ("HTTPCode", "httpcode"),
            ("APIKey", "apikey"),
            ("apikey", "apikey"),
            ("api_key", "api_key"),
            ("id", "id"),
            ("ID", "id"),
            ("1st", "_1st"),
            ("2fa", "_2fa"),
            ("_2fa", "_2fa"),
            ("__x", "_x"),
            ("", "_"),
            ("é", "_"),
        ];
        for (name, expected) in cases {
            assert_eq!(rust_field(name), expected, "{name}");
        }
    }

    #[test]
    fn generated_api_names() {
        assert_eq!(crate_name("chronosphere"), "mcpgen-chronosphere");
        assert_eq!(lib_name("chronosphere"), "mcpgen_chronosphere");
        assert_eq!(client_type("chronosphere"), "ChronosphereClient");
        assert_eq!(
            credential_env_var("chronosphere", "api_token"),
            "CHRONOSPHERE_API_TOKEN"
        );
        assert_eq!(
            tool_static("list_all_chronosphere_teams"),
            "LIST_ALL_CHRONOSPHERE_TEAMS"
        );
        assert_eq!(plan_const("get-x"), "GET_X_PLAN");
        assert_eq!(module_name("type"), "type_");
        let methods = [
            (MethodKind::List, "list_teams"),
            (MethodKind::Get, "get_team"),
            (MethodKind::Create, "create_team"),
            (MethodKind::Update, "update_team"),
            (MethodKind::Delete, "delete_team"),
            (MethodKind::Custom("archive".into()), "archive_teams"),
        ];
        for (kind, expected) in methods {
            assert_eq!(client_method("teams", "team", &kind), expected);
        }
    }

    #[test]
    fn rust_type_and_variant_names() {
        assert_eq!(type_name("team"), "Team");
        assert_eq!(type_name("service_account"), "ServiceAccount");
        assert_eq!(type_name("option"), "OptionRecord");
        assert_eq!(type_name("2fa"), "T2fa");
        assert_eq!(variant_name("in-progress"), "InProgress");
        assert_eq!(variant_name("IN_PROGRESS"), "InProgress");
        assert_eq!(variant_name("inProgress"), "InProgress");
        assert_eq!(variant_name("2xx"), "V2xx");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(input_type("list_all_x_teams"), "ListAllXTeamsInput");
        assert_eq!(
            output_type("list_all_x_teams", &MethodKind::List),
            "ListAllXTeamsItem"
        );
        assert_eq!(
            output_type("archive_x_teams", &MethodKind::Custom("archive".into())),
            "ArchiveXTeamsOutput"
        );
        assert_eq!(nested_type("Team", "owner_info"), "TeamOwnerInfo");
        assert_eq!(item_type("TeamTags"), "TeamTagsItem");
    }
}
