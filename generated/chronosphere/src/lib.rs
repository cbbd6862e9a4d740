//! placeholder until the generator writes this crate
