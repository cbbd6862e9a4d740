//! Sealed `Link`-header cursors: a caller can only hand back a next-page URL this server gave
//! out, for the tool that gave it out.
//!
//! With `Link` paging the cursor is a whole URL, and following it sends the account's
//! credentials there. Checking only that it sits under the base URL would let anyone holding a
//! server URL fetch any path of the upstream (past the method and tag filters) and read the
//! reply back in decode errors. The path cannot be pinned to the tool's own either: upstreams
//! such as GitHub link to another spelling of the same collection (`/repositories/1/issues`).
//! So the cursor carries the URL with an HMAC-SHA256 tag over the integration, the tool's verb
//! and path template, and the URL; only a cursor whose tag verifies is followed.
//!
//! The key is [`CursorKey`]: by default one random key per process, so a cursor lives as long
//! as the process that issued it; hosted mode derives it from `MCP_SECRET_KEY`, so cursors
//! survive restarts and work on every replica.

use std::fmt;
use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use url::Url;

use crate::error::UpstreamError;
use crate::registry::RequestPlan;

/// The first characters of every sealed cursor; a new format gets a new prefix.
const PREFIX: &str = "l1.";
/// Bytes of the HMAC-SHA256 tag kept in a cursor (128 bits).
const TAG_LEN: usize = 16;

/// The key that seals `Link` cursors. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct CursorKey([u8; 32]);

impl CursorKey {
    /// A key from 32 secret bytes the caller keeps: cursors stay valid across restarts, and on
    /// every process given the same bytes.
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// A key derived from another secret (hosted mode's `MCP_SECRET_KEY`), distinct from every
    /// other use of that secret.
    pub fn derive(secret: &[u8]) -> Self {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(b"mcpgen link cursor key v1");
        Self(mac.finalize().into_bytes().into())
    }

    /// The process's own random key, made on first use.
    pub fn per_process() -> Self {
        static KEY: OnceLock<CursorKey> = OnceLock::new();
        KEY.get_or_init(|| {
            let mut bytes = [0; 32];
            rand::fill(&mut bytes[..]);
            CursorKey(bytes)
        })
        .clone()
    }

    fn tag(&self, integration: &str, plan: &RequestPlan, url: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        let path = plan.path_template();
        for part in [
            integration.as_bytes(),
            plan.verb.as_str().as_bytes(),
            path.as_bytes(),
            url.as_bytes(),
        ] {
            // Length-prefixed, so no two different bindings hash the same bytes.
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac
    }
}

impl fmt::Debug for CursorKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CursorKey(<redacted>)")
    }
}

/// Seals and opens the cursors of one tool of one integration.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LinkCursors<'a> {
    pub(crate) key: &'a CursorKey,
    pub(crate) integration: &'static str,
    pub(crate) plan: &'a RequestPlan,
}

impl LinkCursors<'_> {
    /// The cursor a caller passes back for `url`.
    pub(crate) fn seal(&self, url: &Url) -> String {
        let tag = self
            .key
            .tag(self.integration, self.plan, url.as_str())
            .finalize()
            .into_bytes();
        format!(
            "{PREFIX}{}.{}",
            URL_SAFE_NO_PAD.encode(url.as_str()),
            URL_SAFE_NO_PAD.encode(&tag[..TAG_LEN])
        )
    }

    /// The URL inside `cursor`, if this tool sealed it under this key.
    pub(crate) fn open(&self, cursor: &str) -> Result<Url, UpstreamError> {
        let not_ours = || UpstreamError::InvalidInput {
            message: "`next_cursor` is not a cursor this tool returned (or it was issued before \
                      the server restarted); pass the previous page's `next_cursor` back \
                      unchanged, or leave it out for the first page"
                .to_owned(),
        };
        let (url, tag) = cursor
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split_once('.'))
            .ok_or_else(not_ours)?;
        let url = URL_SAFE_NO_PAD.decode(url).map_err(|_| not_ours())?;
        let tag = URL_SAFE_NO_PAD
            .decode(tag)
            .ok()
            .filter(|tag| tag.len() == TAG_LEN)
            .ok_or_else(not_ours)?;
        let url = String::from_utf8(url).map_err(|_| not_ours())?;
        self.key
            .tag(self.integration, self.plan, &url)
            .verify_truncated_left(&tag)
            .map_err(|_| not_ours())?;
        // Only `seal` made this text, from a parsed URL, so it parses again.
        Url::parse(&url).map_err(|_| not_ours())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::registry::{HttpVerb, OutputShape, PaginationSpec, PathSegment};

    const ITEMS: RequestPlan = RequestPlan {
        verb: HttpVerb::Get,
        path: &[PathSegment::Literal("/v2/items")],
        args: &[],
        body_wrapper: None,
        record_id: None,
        response_path: None,
        pagination: PaginationSpec::LinkHeader { limit_param: None },
        output: OutputShape::Page,
    };
    const USERS: RequestPlan = RequestPlan {
        path: &[PathSegment::Literal("/v2/users")],
        ..ITEMS
    };

    fn cursors<'a>(key: &'a CursorKey, plan: &'a RequestPlan) -> LinkCursors<'a> {
        LinkCursors {
            key,
            integration: "acme",
            plan,
        }
    }

    #[test]
    fn a_sealed_cursor_opens_to_its_url() {
        let key = CursorKey::from_bytes([7; 32]);
        let url = Url::parse("https://api.example/repositories/1/items?page=2").unwrap();
        let cursor = cursors(&key, &ITEMS).seal(&url);
        assert!(cursor.starts_with(PREFIX), "{cursor}");
        assert_eq!(cursors(&key, &ITEMS).open(&cursor).unwrap(), url);
    }

    #[test]
    fn forged_tampered_foreign_and_plain_cursors_are_refused() {
        let key = CursorKey::from_bytes([7; 32]);
        let url = Url::parse("https://api.example/v2/items?page=2").unwrap();
        let cursor = cursors(&key, &ITEMS).seal(&url);
        let (body, tag) = cursor.rsplit_once('.').unwrap();
        let other_url = URL_SAFE_NO_PAD.encode("https://api.example/v2/users");
        let refused = [
            // Another tool's cursor, another key's, a plain URL, a swapped URL, a cut tag.
            cursors(&key, &USERS).seal(&url),
            cursors(&CursorKey::from_bytes([8; 32]), &ITEMS).seal(&url),
            url.to_string(),
            format!("{PREFIX}{other_url}.{tag}"),
            format!("{body}.{}", &tag[..4]),
            format!("{body}."),
            String::new(),
        ];
        for forged in refused {
            let error = cursors(&key, &ITEMS).open(&forged).unwrap_err();
            assert!(
                error
                    .to_string()
                    .contains("not a cursor this tool returned"),
                "{forged}: {error}"
            );
        }
    }

    #[test]
    fn derived_keys_differ_from_their_secret_and_each_other() {
        let a = CursorKey::derive(&[1; 32]);
        assert_ne!(a, CursorKey::from_bytes([1; 32]));
        assert_ne!(a, CursorKey::derive(&[2; 32]));
        assert_eq!(a, CursorKey::derive(&[1; 32]));
        assert_eq!(CursorKey::per_process(), CursorKey::per_process());
        assert_eq!(format!("{a:?}"), "CursorKey(<redacted>)");
    }
}
