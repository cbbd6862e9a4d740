//! `{name}` placeholders in base URLs, auth values and HTTP paths. The parser is the one the
//! runtime fills templates with (`mcpgen-placeholders`), so the generator accepts exactly what
//! the runtime reads; offsets are in characters, for columns in diagnostics.

pub(crate) use mcpgen_placeholders::{Piece, parse as pieces, placeholders};
