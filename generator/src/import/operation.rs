//! The operations of a spec, in one shape for every version: the verb and path, the
//! parameters (path-level ones merged in, `$ref`s resolved), the JSON request body and the
//! JSON success reply. Where Swagger 2.0 and OpenAPI 3 differ (body parameters against
//! `requestBody`, parameter `type` against `schema`, `schema` against `content`), this module
//! hides it. An operation the doc format cannot express at all is returned as [`Unmapped`],
//! with the reason.

use serde_json::{Map, Value};

use super::refs::{Refs, child};
use super::spec::Version;
use crate::error::Error;

/// The verbs the doc format has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Verb {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Verb {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Put => "PUT",
            Verb::Patch => "PATCH",
            Verb::Delete => "DELETE",
        }
    }

    fn parse(key: &str) -> Option<Verb> {
        Some(match key {
            "get" => Verb::Get,
            "post" => Verb::Post,
            "put" => Verb::Put,
            "patch" => Verb::Patch,
            "delete" => Verb::Delete,
            _ => return None,
        })
    }
}

/// A schema as the spec writes it (perhaps a `$ref`), and where.
#[derive(Debug, Clone)]
pub(crate) struct SpecSchema {
    pub(crate) value: Value,
    pub(crate) pointer: String,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamIn {
    Path,
    Query,
}

/// A path or query parameter.
#[derive(Debug, Clone)]
pub(crate) struct Param {
    pub(crate) name: String,
    pub(crate) location: ParamIn,
    pub(crate) required: bool,
    pub(crate) description: Option<String>,
    pub(crate) schema: SpecSchema,
}

/// One operation, ready to be grouped into a resource.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    /// `operationId`, or `VERB /path` when the spec gives none.
    pub(crate) id: String,
    pub(crate) has_operation_id: bool,
    pub(crate) verb: Verb,
    pub(crate) path: String,
    /// `summary` and `description`, joined.
    pub(crate) prose: Option<String>,
    pub(crate) params: Vec<Param>,
    /// The JSON request body.
    pub(crate) body: Option<SpecSchema>,
    /// The JSON reply of the first 2xx response.
    pub(crate) reply: Option<SpecSchema>,
    /// Header names the success response declares (`Link`, `X-RateLimit-Limit`).
    pub(crate) reply_headers: Vec<String>,
    /// JSON replies of the 4xx, 5xx and `default` responses.
    pub(crate) error_replies: Vec<SpecSchema>,
    /// What was left out (an optional header parameter, ...), to print.
    pub(crate) notes: Vec<String>,
}

impl Operation {
    /// `GET /teams`, for messages.
    pub(crate) fn call(&self) -> String {
        format!("{} {}", self.verb.as_str(), self.path)
    }
}

/// An operation the importer could not map, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unmapped {
    pub(crate) id: String,
    /// `HEAD /teams`.
    pub(crate) call: String,
    pub(crate) reason: String,
}

/// Every operation of the spec, in the spec's order, and those that cannot be mapped.
pub(crate) fn operations(refs: &Refs<'_>) -> Result<(Vec<Operation>, Vec<Unmapped>), Error> {
    let spec = refs.spec;
    let mut ops = Vec::new();
    let mut unmapped = Vec::new();
    let Some(paths) = spec.root.get("paths") else {
        return Ok((ops, unmapped));
    };
    let Some(paths) = paths.as_object() else {
        return Err(spec.error("/paths", "`paths` must be a mapping of paths to operations"));
    };
    for (path, item) in paths {
        let item_pointer = child("/paths", path);
        let (item, item_pointer) = refs.follow(item, &item_pointer)?;
        let Some(item) = item.as_object() else {
            return Err(spec.error(&item_pointer, "a path item must be a mapping"));
        };
        let shared = item.get("parameters");
        for (key, op) in item {
            let pointer = child(&item_pointer, key);
            let Some(verb) = Verb::parse(key) else {
                if matches!(key.as_str(), "head" | "options" | "trace") {
                    unmapped.push(Unmapped {
                        id: operation_id(op, key, path),
                        call: format!("{} {path}", key.to_ascii_uppercase()),
                        reason: format!(
                            "the doc format has no {} calls (GET, POST, PUT, PATCH and DELETE)",
                            key.to_ascii_uppercase()
                        ),
                    });
                }
                continue;
            };
            let Some(object) = op.as_object() else {
                return Err(spec.error(&pointer, "an operation must be a mapping"));
            };
            let cx = OpContext {
                refs,
                object,
                pointer: &pointer,
                shared,
                shared_pointer: child(&item_pointer, "parameters"),
            };
            match cx.operation(verb, path)? {
                Ok(op) => ops.push(op),
                Err(reason) => unmapped.push(Unmapped {
                    id: operation_id(op, key, path),
                    call: format!("{} {path}", verb.as_str()),
                    reason,
                }),
            }
        }
    }
    Ok((ops, unmapped))
}

fn operation_id(op: &Value, verb: &str, path: &str) -> String {
    match op.get("operationId").and_then(Value::as_str) {
        Some(id) => id.to_owned(),
        None => format!("{} {path}", verb.to_ascii_uppercase()),
    }
}

struct OpContext<'a, 's> {
    refs: &'a Refs<'s>,
    object: &'s Map<String, Value>,
    pointer: &'a str,
    shared: Option<&'s Value>,
    shared_pointer: String,
}

/// An operation, or the reason it cannot be mapped.
type Mapped = Result<Operation, String>;

impl OpContext<'_, '_> {
    fn operation(&self, verb: Verb, path: &str) -> Result<Mapped, Error> {
        let text = |key: &str| {
            self.object
                .get(key)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|text| !text.is_empty())
        };
        let prose = match (text("summary"), text("description")) {
            (Some(summary), Some(description)) if description.starts_with(summary) => {
                Some(description.to_owned())
            }
            (Some(summary), Some(description)) => Some(format!("{summary}\n\n{description}")),
            (one, other) => one.or(other).map(str::to_owned),
        };
        let mut op = Operation {
            id: operation_id(&Value::Object(self.object.clone()), verb.as_str(), path),
            has_operation_id: text("operationId").is_some(),
            verb,
            path: path.to_owned(),
            prose,
            params: Vec::new(),
            body: None,
            reply: None,
            reply_headers: Vec::new(),
            error_replies: Vec::new(),
            notes: Vec::new(),
        };
        if let Err(reason) = self.parameters(&mut op)? {
            return Ok(Err(reason));
        }
        if self.refs.spec.version != Version::Swagger2
            && let Some(body) = self.object.get("requestBody")
        {
            let pointer = child(self.pointer, "requestBody");
            let (body, pointer) = self.refs.follow(body, &pointer)?;
            match json_content(body, &pointer) {
                Ok(schema) => op.body = schema,
                Err(reason) => return Ok(Err(reason)),
            }
        }
        self.responses(&mut op)?;
        Ok(Ok(op))
    }

    /// Path-level parameters, then the operation's, which replace a path-level one of the
    /// same name and location.
    fn parameters(&self, op: &mut Operation) -> Result<Result<(), String>, Error> {
        let mut all: Vec<(&Value, String)> = Vec::new();
        let lists = [
            (self.shared, self.shared_pointer.clone()),
            (
                self.object.get("parameters"),
                child(self.pointer, "parameters"),
            ),
        ];
        for (list, pointer) in lists {
            let Some(list) = list else { continue };
            let Some(list) = list.as_array() else {
                return Err(self
                    .refs
                    .spec
                    .error(&pointer, "`parameters` must be a list"));
            };
            for (i, param) in list.iter().enumerate() {
                let (param, pointer) = self.refs.follow(param, &child(&pointer, &i.to_string()))?;
                let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
                all.retain(|(earlier, _)| key(earlier) != key(param));
                all.push((param, pointer));
            }
        }
        for (param, pointer) in all {
            if let Err(reason) = self.parameter(op, param, &pointer)? {
                return Ok(Err(reason));
            }
        }
        Ok(Ok(()))
    }

    fn parameter(
        &self,
        op: &mut Operation,
        param: &Value,
        pointer: &str,
    ) -> Result<Result<(), String>, Error> {
        let spec = self.refs.spec;
        let (Some(name), Some(location)) = (
            param.get("name").and_then(Value::as_str),
            param.get("in").and_then(Value::as_str),
        ) else {
            return Err(spec.error(pointer, "a parameter needs a `name` and an `in`"));
        };
        let required = param
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let description = param
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let location = match location {
            "path" => ParamIn::Path,
            "query" => ParamIn::Query,
            "body" => {
                op.body = param.get("schema").map(|schema| SpecSchema {
                    value: schema.clone(),
                    pointer: child(pointer, "schema"),
                });
                return Ok(Ok(()));
            }
            "formData" => {
                return Ok(Err(format!(
                    "form parameter `{name}`: form bodies are not JSON, and the doc format sends \
                     JSON bodies"
                )));
            }
            other if required => {
                return Ok(Err(format!(
                    "required {other} parameter `{name}`: the doc format sends only path, query \
                     and body values (and the integration's auth)"
                )));
            }
            other => {
                op.notes.push(format!(
                    "{}: left out optional {other} parameter `{name}` (the doc format sends only \
                     path, query and body values)",
                    op.id
                ));
                return Ok(Ok(()));
            }
        };
        let schema = match param.get("schema") {
            // OpenAPI 3: the parameter's `schema`.
            Some(schema) => SpecSchema {
                value: schema.clone(),
                pointer: child(pointer, "schema"),
            },
            // Swagger 2.0: the parameter itself holds `type`, `items`, `enum`, ...
            None => {
                let mut inline = param.as_object().cloned().unwrap_or_default();
                for key in [
                    "name",
                    "in",
                    "required",
                    "description",
                    "collectionFormat",
                    "allowEmptyValue",
                ] {
                    inline.remove(key);
                }
                SpecSchema {
                    value: Value::Object(inline),
                    pointer: pointer.to_owned(),
                }
            }
        };
        op.params.push(Param {
            name: name.to_owned(),
            location,
            required: required || location == ParamIn::Path,
            description,
            schema,
        });
        Ok(Ok(()))
    }

    /// The first 2xx reply (by status code) and every error reply.
    fn responses(&self, op: &mut Operation) -> Result<(), Error> {
        let pointer = child(self.pointer, "responses");
        let Some(responses) = self.object.get("responses").and_then(Value::as_object) else {
            return Ok(());
        };
        let mut codes: Vec<&String> = responses.keys().collect();
        codes.sort();
        for code in codes {
            let success = code.starts_with('2');
            let failure = code.starts_with('4') || code.starts_with('5') || code == "default";
            if !(success || failure) || (success && op.reply.is_some()) {
                continue;
            }
            let Some(response) = responses.get(code.as_str()) else {
                continue;
            };
            let (response, at) = self.refs.follow(response, &child(&pointer, code))?;
            let schema = match self.refs.spec.version {
                Version::Swagger2 => response.get("schema").map(|schema| SpecSchema {
                    value: schema.clone(),
                    pointer: child(&at, "schema"),
                }),
                _ => json_content(response, &at).unwrap_or(None),
            };
            if success {
                if let Some(headers) = response.get("headers").and_then(Value::as_object) {
                    op.reply_headers = headers.keys().cloned().collect();
                }
                // A 204 has no body, but it is still the success response.
                op.reply = Some(schema.unwrap_or(SpecSchema {
                    value: Value::Object(Map::new()),
                    pointer: at,
                }))
                .filter(|schema| !schema.value.as_object().is_some_and(Map::is_empty));
            } else if let Some(schema) = schema {
                op.error_replies.push(schema);
            }
        }
        Ok(())
    }
}

/// The JSON schema of an OpenAPI 3 request body or response (`content`), `None` without
/// content, or the reason when only non-JSON media types are offered.
fn json_content(holder: &Value, pointer: &str) -> Result<Option<SpecSchema>, String> {
    let Some(content) = holder.get("content").and_then(Value::as_object) else {
        return Ok(None);
    };
    let json = content
        .iter()
        .find(|(media, _)| media.as_str() == "application/json")
        .or_else(|| {
            content
                .iter()
                .find(|(media, _)| media.ends_with("+json") || media.ends_with("/json"))
        });
    match json {
        Some((media, body)) => Ok(body.get("schema").map(|schema| SpecSchema {
            value: schema.clone(),
            pointer: child(&child(&child(pointer, "content"), media), "schema"),
        })),
        None if content.is_empty() => Ok(None),
        None => {
            let media: Vec<&str> = content.keys().map(String::as_str).collect();
            Err(format!(
                "the request body is {}, not JSON; the doc format sends JSON bodies",
                media.join(" or ")
            ))
        }
    }
}
