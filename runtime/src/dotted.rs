//! Dotted paths into JSON (`page.next_token`, `data.items`): the one notation integration docs
//! use for response paths, cursor paths, error-message paths and nested body parameters.
//!
//! An empty path is the value itself. Segments are object keys; a segment that is a number also
//! indexes arrays, so `errors.0.message` reaches into a list.

use serde_json::{Map, Value};

pub(crate) fn get<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    if path.is_empty() {
        return Some(value);
    }
    path.split('.')
        .try_fold(value, |value, segment| match value {
            Value::Object(map) => map.get(segment),
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
            _ => None,
        })
}

/// Moves the value at `path` out of `value` (no clone of the records).
pub(crate) fn take(value: Value, path: &str) -> Option<Value> {
    if path.is_empty() {
        return Some(value);
    }
    path.split('.')
        .try_fold(value, |value, segment| match value {
            Value::Object(mut map) => map.remove(segment),
            Value::Array(mut items) => {
                let index = segment
                    .parse::<usize>()
                    .ok()
                    .filter(|index| *index < items.len())?;
                Some(items.swap_remove(index))
            }
            _ => None,
        })
}

/// Sets `path` in `map`, creating (or replacing non-object) intermediate objects.
pub(crate) fn insert(map: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            map.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let child = map.entry(head).or_insert_with(|| Value::Object(Map::new()));
            if !child.is_object() {
                *child = Value::Object(Map::new());
            }
            if let Value::Object(child) = child {
                insert(child, rest, value);
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn get_and_take_follow_objects_and_array_indexes() {
        let value =
            json!({"page": {"next_token": "t"}, "errors": [{"message": "a"}, {"message": "b"}]});
        assert_eq!(get(&value, "page.next_token"), Some(&json!("t")));
        assert_eq!(get(&value, "errors.1.message"), Some(&json!("b")));
        assert_eq!(get(&value, "page.missing"), None);
        assert_eq!(get(&value, "page.next_token.deeper"), None);
        assert_eq!(get(&value, ""), Some(&value));
        assert_eq!(
            take(value.clone(), "errors.0"),
            Some(json!({"message": "a"}))
        );
        assert_eq!(take(value, "errors.5"), None);
    }

    #[test]
    fn insert_builds_nested_objects() {
        let mut map = Map::new();
        insert(&mut map, "page.token", json!("t"));
        insert(&mut map, "page.max_size", json!(5));
        insert(&mut map, "dry_run", json!(true));
        assert_eq!(
            Value::Object(map),
            json!({"page": {"token": "t", "max_size": 5}, "dry_run": true})
        );
    }
}
