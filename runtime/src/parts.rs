//! [`Parts`]: an upstream request under construction, filled by `crate::request` (arguments)
//! and `crate::pagination` (limit and cursor), then finished with query auth last.

use serde_json::{Map, Value};
use url::Url;

use crate::auth::Auth;
use crate::dotted;
use crate::error::UpstreamError;

/// A request under construction.
#[derive(Debug)]
pub(crate) struct Parts {
    url: Url,
    query: Vec<(&'static str, String)>,
    body: Option<Map<String, Value>>,
}

impl Parts {
    pub(crate) fn new(url: Url) -> Self {
        Self {
            url,
            query: Vec::new(),
            body: None,
        }
    }

    #[cfg(test)]
    pub(crate) fn url(&self) -> &Url {
        &self.url
    }

    /// Follows a pagination link: the link already carries the query, so earlier pairs go.
    pub(crate) fn replace_url(&mut self, url: Url) {
        self.url = url;
        self.query.clear();
    }

    pub(crate) fn query_text(&mut self, name: &'static str, value: String) {
        self.query.push((name, value));
    }

    /// Scalars as text, arrays as one pair per element, nulls not at all.
    pub(crate) fn query_value(&mut self, name: &'static str, value: &Value) {
        match value {
            Value::Null => {}
            Value::Array(items) => {
                for item in items.iter().filter(|item| !item.is_null()) {
                    self.query.push((name, scalar_text(item)));
                }
            }
            other => self.query.push((name, scalar_text(other))),
        }
    }

    /// Sends a body, with these top-level fields.
    pub(crate) fn body_fields(&mut self, fields: Map<String, Value>) {
        self.body.get_or_insert_with(Map::new).extend(fields);
    }

    /// Sets a (possibly dotted, hence nested) top-level body field.
    pub(crate) fn body_field(&mut self, name: &str, value: Value) {
        dotted::insert(self.body.get_or_insert_with(Map::new), name, value);
    }

    pub(crate) fn finish(mut self, auth: &Auth) -> Result<(Url, Option<Vec<u8>>), UpstreamError> {
        let auth_pair = match auth {
            Auth::Query(name, value) => Some((name.as_str(), value.as_str())),
            _ => None,
        };
        if !self.query.is_empty() || auth_pair.is_some() {
            let mut pairs = self.url.query_pairs_mut();
            for (name, value) in &self.query {
                pairs.append_pair(name, value);
            }
            if let Some((name, value)) = auth_pair {
                pairs.append_pair(name, value);
            }
        }
        let body = self
            .body
            .map(|body| serde_json::to_vec(&Value::Object(body)))
            .transpose()
            .map_err(|error| UpstreamError::InvalidInput {
                message: format!("could not encode the body: {error}"),
            })?;
        Ok((self.url, body))
    }

    #[cfg(test)]
    pub(crate) fn query_string(&self) -> String {
        let mut url = self.url.clone();
        url.query_pairs_mut().extend_pairs(
            self.query
                .iter()
                .map(|(name, value)| (*name, value.as_str())),
        );
        url.query().unwrap_or_default().to_owned()
    }

    #[cfg(test)]
    pub(crate) fn body_json(&self) -> Option<Value> {
        self.body.clone().map(Value::Object)
    }
}

/// A scalar as query text; objects have no standard query encoding, so JSON text is at least
/// lossless.
pub(crate) fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.to_string(),
        other => other.to_string(),
    }
}
