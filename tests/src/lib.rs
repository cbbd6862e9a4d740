//! Nothing lives here: this package exists for its integration tests under `tests/tests/`
//! (the generated Chronosphere crate against `fake-chronosphere`, and its JSON Schemas against
//! the example payloads in `tests/payloads/`). Cargo needs one library or binary target.
