//! Helpers shared by the generator's integration tests.

#![allow(dead_code)]

use std::collections::BTreeMap;

use generator::model::*;

pub fn string(description: &str) -> Schema {
    Schema {
        description: Some(description.into()),
        kind: SchemaKind::String { enum_values: vec![], date_time: false },
        read_only: false,
        examples: vec![],
    }
}

pub fn object(properties: Vec<(&str, Schema)>, required: &[&str]) -> Schema {
    Schema {
        description: None,
        kind: SchemaKind::Object(ObjectSchema {
            properties: properties.into_iter().map(|(name, schema)| (name.to_owned(), schema)).collect::<BTreeMap<_, _>>(),
            required: required.iter().map(|name| (*name).to_owned()).collect(),
        }),
        read_only: false,
        examples: vec![],
    }
}

pub fn boolean(description: &str) -> Schema {
    Schema { description: Some(description.into()), kind: SchemaKind::Boolean, read_only: false, examples: vec![] }
}

/// Chronosphere teams, as the validator should produce it from `integrations/chronosphere`.
pub fn chronosphere() -> Integration {
    let mut created_at = string("Timestamp of when the Team was created. Cannot be set by clients.");
    created_at.kind = SchemaKind::String { enum_values: vec![], date_time: true };
    created_at.read_only = true;
    let mut updated_at = created_at.clone();
    updated_at.description = Some("Timestamp of when the Team was last updated. Cannot be set by clients.".into());
    let emails = Schema {
        description: Some("Unordered set of emails whose users are members of this team.".into()),
        kind: SchemaKind::Array(Box::new(Schema { description: None, ..string("") })),
        read_only: false,
        examples: vec![],
    };
    let record = object(
        vec![
            ("slug", string("The unique identifier of the Team.")),
            ("name", string("The name of the Team.")),
            ("description", string("Optional. Short description of the team.")),
            ("user_emails", emails),
            ("created_at", created_at),
            ("updated_at", updated_at),
        ],
        &[],
    );
    let list_of = |description: &str| Schema {
        description: Some(description.into()),
        kind: SchemaKind::Array(Box::new(Schema { description: None, ..string("") })),
        read_only: false,
        examples: vec![],
    };
    let cursor = Pagination::Cursor {
        location: ParamLocation::Query,
        cursor_param: "page.token".into(),
        limit_param: Some("page.max_size".into()),
        next_cursor_path: "page.next_token".into(),
    };
    let method = |kind: MethodKind, verb: HttpVerb, path: &str| Method {
        kind,
        tool_name: None,
        description: "Does a thing to teams.".into(),
        verb,
        path: path.into(),
        query: object(vec![], &[]),
        body_record: false,
        body_wrapper: None,
        body: object(vec![], &[]),
        response_path: Some("team".into()),
        response_schema: None,
        pagination: Pagination::None,
        tags: vec![],
    };
    let mut list = method(MethodKind::List, HttpVerb::Get, "/api/v1/config/teams");
    list.query = object(vec![("slugs", list_of("Only these slugs.")), ("names", list_of("Only these names."))], &[]);
    list.response_path = Some("teams".into());
    list.pagination = cursor.clone();
    let get = method(MethodKind::Get, HttpVerb::Get, "/api/v1/config/teams/{id}");
    let mut create = method(MethodKind::Create, HttpVerb::Post, "/api/v1/config/teams");
    create.body_record = true;
    create.body_wrapper = Some("team".into());
    create.body = object(vec![("dry_run", boolean("Validate only."))], &[]);
    let mut update = method(MethodKind::Update, HttpVerb::Put, "/api/v1/config/teams/{id}");
    update.body_record = true;
    update.body_wrapper = Some("team".into());
    update.body = object(
        vec![("create_if_missing", boolean("Create when missing.")), ("dry_run", boolean("Validate only."))],
        &[],
    );
    let mut delete = method(MethodKind::Delete, HttpVerb::Delete, "/api/v1/config/teams/{id}");
    delete.response_path = None;

    Integration {
        name: "chronosphere".into(),
        display_name: "Chronosphere".into(),
        description: "Chronosphere, the cloud-native observability platform.".into(),
        base_url: "https://{tenant}.chronosphere.io".into(),
        credentials: vec![
            Credential { name: "tenant".into(), description: "Your tenant.".into(), secret: false },
            Credential { name: "api_token".into(), description: "An API token.".into(), secret: true },
        ],
        auth: Auth::Header { name: "API-Token".into(), value: "{api_token}".into() },
        pagination: cursor,
        rate_limit: RateLimitHeaders {
            limit: vec!["X-RateLimit-Limit".into()],
            remaining: vec!["X-RateLimit-Remaining".into()],
            reset: vec!["X-RateLimit-Reset".into()],
        },
        error_message_path: Some("message".into()),
        resources: vec![Resource {
            name: "teams".into(),
            singular: "team".into(),
            description: "Teams group Chronosphere users by email address.".into(),
            tags: vec!["rbac".into(), "teams".into()],
            id_field: Some("slug".into()),
            id_description: Some("The team's slug, not its name.".into()),
            record,
            methods: vec![list, get, create, update, delete],
        }],
    }
}
