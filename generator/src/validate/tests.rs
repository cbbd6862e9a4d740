//! Validation of whole doc folders into the model: every feature of the format, and the real
//! `integrations/`. These look at the model, which is internal, so they live in the crate.

mod doc_features;
mod real_docs;
