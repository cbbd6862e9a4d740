//! The one generic path every tool takes: typed input in, upstream request, typed output out.
//!
//! Generated code names a monomorphised [`handler`] per tool (`handler::<Input, Output>`), so a
//! tool adds no functions of its own; the typed client calls [`call`] directly.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{CallError, UpstreamError};
use crate::registry::{BoxFuture, OutputShape, RequestPlan, Upstream};

/// Decodes `args` as `I` (an invalid argument is [`CallError::InvalidArguments`] naming the
/// field), runs `plan`, decodes the reply as `O` and returns it as JSON.
pub fn handler<'a, I, O>(
    client: &'a dyn Upstream,
    plan: &'static RequestPlan,
    args: Map<String, Value>,
) -> BoxFuture<'a, Result<Value, CallError>>
where
    I: DeserializeOwned + Serialize + Send + 'static,
    O: DeserializeOwned + Serialize + Send + 'static,
{
    Box::pin(async move {
        let args = Value::Object(args);
        let input: I =
            decode(&args).map_err(|error| CallError::InvalidArguments(describe(error)))?;
        // Encode before awaiting, so the future does not hold `&I` (and need `I: Sync`).
        let input = encode(&input)?;
        let output: O = run(client, plan, input)
            .await
            .map_err(|error| match error {
                UpstreamError::InvalidInput { message } => CallError::InvalidArguments(message),
                other => CallError::Upstream(other),
            })?;
        serde_json::to_value(&output).map_err(|error| {
            CallError::Upstream(UpstreamError::UnexpectedReply {
                path: ".".to_owned(),
                message: error.to_string(),
            })
        })
    })
}

/// The typed client's entry point: runs `plan` with `input` and decodes the reply as `O`.
pub async fn call<I, O>(
    client: &dyn Upstream,
    plan: &'static RequestPlan,
    input: &I,
) -> Result<O, UpstreamError>
where
    I: Serialize,
    O: DeserializeOwned,
{
    run(client, plan, encode(input)?).await
}

fn encode<I: Serialize>(input: &I) -> Result<Value, UpstreamError> {
    serde_json::to_value(input).map_err(|error| UpstreamError::InvalidInput {
        message: format!("could not encode the input: {error}"),
    })
}

async fn run<O: DeserializeOwned>(
    client: &dyn Upstream,
    plan: &'static RequestPlan,
    input: Value,
) -> Result<O, UpstreamError> {
    let shaped = client.execute(plan, input).await?;
    decode(&shaped).map_err(|error| {
        let path = reply_path(plan, &error.path().to_string());
        client.scrub(UpstreamError::UnexpectedReply {
            path,
            message: error.into_inner().to_string(),
        })
    })
}

/// Decodes with path tracking, so that an error names the field. Decoding without it first
/// (about twice as fast, a few microseconds a call) would compile every generated type's
/// `Deserialize` a second time: for the whole Chronosphere API that was megabytes of binary.
fn decode<T: DeserializeOwned>(
    value: &Value,
) -> Result<T, serde_path_to_error::Error<serde_json::Error>> {
    serde_path_to_error::deserialize(value)
}

/// `` `field`: what is wrong `` for a nested field, serde's own text for the root.
fn describe(error: serde_path_to_error::Error<serde_json::Error>) -> String {
    let mut path = error.path().to_string();
    let inner = error.into_inner().to_string();
    // serde names an unknown field itself; the path would repeat it.
    if let Some(field) = inner
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
    {
        if path == field {
            path = ".".to_owned();
        } else if let Some(parent) = path
            .strip_suffix(field)
            .and_then(|parent| parent.strip_suffix('.'))
        {
            path = parent.to_owned();
        }
    }
    if path == "." {
        inner
    } else {
        format!("`{path}`: {inner}")
    }
}

/// Where a decoding error sits in the upstream reply: decoding starts at `response_path`, and a
/// page's records sit under `result` in the decoded value but at `response_path` upstream.
fn reply_path(plan: &RequestPlan, decoded: &str) -> String {
    let base = plan.response_path.unwrap_or("");
    let relative = match plan.output {
        OutputShape::Page => match decoded.strip_prefix("result") {
            Some(rest) => rest,
            None => return decoded.to_owned(),
        },
        OutputShape::Record | OutputShape::Raw => {
            if decoded == "." {
                ""
            } else {
                return if base.is_empty() {
                    decoded.to_owned()
                } else {
                    format!("{base}.{decoded}")
                };
            }
        }
    };
    match (base.is_empty(), relative.is_empty()) {
        (true, true) => ".".to_owned(),
        (true, false) => relative.trim_start_matches('.').to_owned(),
        (false, _) => format!("{base}{relative}"),
    }
}
