//! Every feature of the doc format, in one small integration, validates into the model the
//! back end expects (defaults, overrides, custom methods, singletons, the schema subset).
#![allow(clippy::unwrap_used)] // Tests unwrap: a panic is a failed test.

use std::fs;
use std::path::PathBuf;

use crate::model::{Auth, HttpVerb, Integration, MethodKind, Pagination, PathSegment, SchemaKind};
use crate::validate::{Selection, load_and_validate};

const INTEGRATION: &str = r#"
name: shop
display_name: Shop
description: |
  A shop API.
base_url: https://api.shop.test/v2
credentials:
  user:
    description: The account's user name.
    secret: false
  password:
    description: The account's password.
auth:
  type: basic
  username: "{user}"
  password: "{password}"
pagination:
  style: page
  page_param: page
  limit_param: per_page
tool_tags:
  orders: [sales]
"#;

const ORDERS: &str = r#"
name: orders
singular: order
description: Orders placed in the shop.
tags: [orders]
id:
  field: number
  description: The order number, e.g. `1042`.
schema:
  type: object
  required: [number]
  properties:
    number:
      type: integer
      readOnly: true
    status:
      type: string
      enum: [open, shipped, cancelled]
    email:
      type: string
      format: email
    placed_at:
      type: string
      format: date-time
      readOnly: true
    address: &address
      type: object
      properties:
        city:
          type: string
    billing: *address
    metadata: {}
methods:
  list:
    description: List orders.
    http: GET /orders
    query_schema:
      type: object
      properties:
        status:
          type: array
          items:
            type: string
    response_path: data.orders
  get:
    description: Read one order.
    http: GET /orders/{id}
    tags: [read]
  update:
    description: Change an order's status.
    http: PATCH /orders/{id}
    body_record: false
    body_schema:
      type: object
      required: [status]
      properties:
        status:
          type: string
  delete:
    description: Cancel an order.
    http: DELETE /orders/{id}
    response_schema: {}
custom_methods:
  refund_line:
    description: Refund one line of an order.
    http: POST /orders/{id}/lines/{line}/refund
    tool_name: refund_shop_order_line
    path_schema:
      type: object
      properties:
        line:
          type: integer
  search:
    description: Search orders by text.
    http: POST /orders/search
    body_schema:
      type: object
      properties:
        text:
          type: string
"#;

const SETTINGS: &str = r#"
name: settings
singular: setting
description: The shop's settings (one per account).
schema:
  type: object
  properties:
    currency:
      type: string
methods:
  list:
    description: List settings pages.
    http: GET /settings/pages
    pagination:
      style: offset
      offset_param: skip
      has_more_path: paging.more
  get:
    description: Read the settings.
    http: GET /settings
  update:
    description: Replace the settings.
    http: PUT /settings
"#;

const COUPONS: &str = r#"
name: coupons
singular: coupon
description: Discount coupons.
tags:
schema:
  type: object
  properties:
    code: {type: string}
methods:
  list:
    description: List every coupon at once.
    http: GET /stores/{user}/coupons
    pagination: none
    response_path:
"#;

fn write_docs(tag: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("mcpgen-doc-features-{tag}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("shop/resources")).unwrap();
    fs::write(dir.join("shop/integration.yaml"), INTEGRATION).unwrap();
    fs::write(dir.join("shop/resources/orders.yaml"), ORDERS).unwrap();
    fs::write(dir.join("shop/resources/settings.yaml"), SETTINGS).unwrap();
    fs::write(dir.join("shop/resources/coupons.yaml"), COUPONS).unwrap();
    dir
}

fn validate(tag: &str) -> Integration {
    let dir = write_docs(tag);
    let result = load_and_validate(&dir, &Selection::default());
    fs::remove_dir_all(&dir).unwrap();
    match result {
        Ok(mut validated) => validated.integrations.remove(0),
        Err(diagnostics) => panic!("the feature docs must validate:\n{diagnostics}"),
    }
}

#[test]
fn integration_defaults_and_auth() {
    let shop = validate("integration");
    assert_eq!(shop.description, "A shop API.", "block scalars are trimmed");
    assert_eq!(
        shop.auth,
        Auth::Basic {
            username: "{user}".into(),
            password: "{password}".into()
        }
    );
    assert!(
        shop.credentials
            .iter()
            .any(|c| c.name == "password" && c.secret),
        "`secret` defaults to true"
    );
    assert_eq!(
        shop.pagination,
        Pagination::Page {
            page_param: "page".into(),
            limit_param: Some("per_page".into()),
            first_page: 1,
            has_more_path: None,
        }
    );
    assert_eq!(shop.error_message_path, None);
    let names: Vec<&str> = shop.resources.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["coupons", "orders", "settings"]);
}

#[test]
fn orders_cover_overrides_custom_methods_and_the_schema_subset() {
    let shop = validate("orders");
    let orders = &shop.resources[1];
    assert_eq!(orders.tags, ["orders", "sales"]);
    let SchemaKind::Object(record) = &orders.record.kind else {
        panic!()
    };
    assert_eq!(record.required, ["number"]);
    assert_eq!(
        record.properties["status"].kind,
        SchemaKind::String {
            enum_values: vec!["open".into(), "shipped".into(), "cancelled".into()],
            date_time: false
        }
    );
    assert_eq!(
        record.properties["email"].kind,
        SchemaKind::String {
            enum_values: vec![],
            date_time: false
        }
    );
    assert_eq!(record.properties["metadata"].kind, SchemaKind::Any);
    assert_eq!(
        record.properties["address"], record.properties["billing"],
        "aliases expand"
    );

    let kinds: Vec<MethodKind> = orders.methods.iter().map(|m| m.kind.clone()).collect();
    assert_eq!(
        kinds,
        [
            MethodKind::List,
            MethodKind::Get,
            MethodKind::Update,
            MethodKind::Delete,
            MethodKind::Custom("refund_line".into()),
            MethodKind::Custom("search".into()),
        ]
    );
    let list = &orders.methods[0];
    assert_eq!(list.pagination, shop.pagination);
    assert_eq!(list.response_path.as_deref(), Some("data.orders"));
    assert_eq!(orders.methods[1].tags, ["read"]);

    let update = &orders.methods[2];
    assert_eq!(update.verb, HttpVerb::Patch);
    assert!(
        !update.body_record,
        "explicit body_record: false wins over the update default"
    );
    assert!(matches!(&update.body.kind, SchemaKind::Object(body) if body.required == ["status"]));

    assert_eq!(
        orders.methods[3].response_schema.as_ref().map(|s| &s.kind),
        Some(&SchemaKind::Any)
    );

    let refund = &orders.methods[4];
    assert_eq!(refund.tool_name.as_deref(), Some("refund_shop_order_line"));
    assert_eq!(refund.path, "/orders/{id}/lines/{line}/refund");
    assert!(
        matches!(&refund.path_params.kind, SchemaKind::Object(p) if p.properties.contains_key("line"))
    );
    assert!(
        !refund.body_record,
        "custom methods send no record unless asked"
    );
    assert_eq!(refund.pagination, Pagination::None);
}

#[test]
fn singletons_and_pagination_overrides() {
    let shop = validate("settings");
    let settings = &shop.resources[2];
    assert_eq!(settings.id_field, None);
    assert_eq!(settings.tags, Vec::<String>::new());
    assert_eq!(
        settings.methods[0].pagination,
        Pagination::Offset {
            offset_param: "skip".into(),
            limit_param: None,
            has_more_path: Some("paging.more".into()),
        }
    );
    let update = &settings.methods[2];
    assert!(update.body_record && update.body_wrapper.is_none());
    assert_eq!(update.path, "/settings");
}

#[test]
fn empty_values_mean_absent_and_none_turns_pagination_off() {
    let shop = validate("coupons");
    let coupons = &shop.resources[0];
    assert!(coupons.tags.is_empty());
    assert_eq!(coupons.methods[0].pagination, Pagination::None);
    assert_eq!(coupons.methods[0].response_path, None);
}

#[test]
fn a_path_placeholder_naming_a_non_secret_credential_is_filled_from_the_account() {
    let shop = validate("credential-path");
    let list = &shop.resources[0].methods[0];
    assert_eq!(
        list.path_segments,
        [
            PathSegment::Literal("/stores/".into()),
            PathSegment::Credential("user".into()),
            PathSegment::Literal("/coupons".into()),
        ]
    );
}
