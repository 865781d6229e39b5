//! IAM policy documents: the typed model and the validating parser.

pub mod model;
pub mod parse;
pub mod prepared;

pub use model::*;
pub use parse::{parse_policy, policy_from_json, Parsed};
