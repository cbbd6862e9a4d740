//! "Did you mean ...?" for misspelled keys, kinds, verbs and names.

/// The candidate closest to `wrong`, if it is close enough to be a likely typo: the same
/// letters in another case or separator style (`responsePath` for `response_path`), or within
/// a small edit distance (one edit per three characters, at least one).
pub(crate) fn closest<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let squashed = squash(wrong);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if squash(candidate) == squashed {
            return Some(candidate);
        }
        let distance = strsim::damerau_levenshtein(
            &wrong.to_ascii_lowercase(),
            &candidate.to_ascii_lowercase(),
        );
        let limit = (candidate.chars().count() / 3).max(1);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// `did you mean `x`?` when something is close, else `None`.
pub(crate) fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(wrong, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// "`a`, `b` and `c`" (or "`a` or `b`" with `or`).
pub(crate) fn list(items: &[&str], conjunction: &str) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("`{item}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_key() {
        let keys = [
            "response_path",
            "response_schema",
            "pagination",
            "description",
        ];
        assert_eq!(closest("reponse_path", keys), Some("response_path"));
        assert_eq!(closest("responsePath", keys), Some("response_path"));
        assert_eq!(closest("descripton", keys), Some("description"));
        assert_eq!(closest("lsit", ["list", "get", "create"]), Some("list"));
        assert_eq!(closest("GTE", ["GET", "PUT"]), Some("GET"));
        assert_eq!(
            closest("archive", ["list", "get", "create", "update", "delete"]),
            None
        );
    }

    #[test]
    fn lists_read_as_prose() {
        assert_eq!(list(&["a"], "or"), "`a`");
        assert_eq!(list(&["a", "b", "c"], "and"), "`a`, `b` and `c`");
    }
}
