//! The playground's state and everything it does that is not drawing:
//! the editable workspace, evaluation, share links, saved work and
//! reports. The Yew app in `web/` maps events to these functions and their
//! results to HTML; all of it is unit-tested natively here.

pub mod assist;
pub mod commands;
pub mod course;
pub mod explain;
pub mod flowchart;
pub mod hints;
pub mod keyed;
pub mod layout;
pub mod path;
pub mod problem;
pub mod report;
pub mod review;
pub mod session;
pub mod share;
pub mod steps;
pub mod storage;
pub mod tighten;
pub mod tokens;
pub mod worker;
pub mod workspace;

pub use keyed::Keyed;
pub use path::{Ptr, Seg};
pub use workspace::{Evaluated, PolicySlot, Workspace, EXAMPLE, EXAMPLES, MAX_DOCUMENT_BYTES, MAX_DOCUMENT_TEXT_BYTES, MAX_POLICY_BYTES};

/// Reads JSON text into a value with the core's parser, the app's only JSON
/// parser (serde_json's would add a second one to the web bundle).
pub fn parse_value(text: &str) -> Result<serde_json::Value, trustwalk_core::Diagnostic> {
    trustwalk_core::json::parse(text).map(|tree| tree.to_value())
}

/// [`parse_value`] for texts over the core parser's 1 MB default (saved
/// work holds several scenarios).
pub fn parse_value_with_limit(text: &str, max_bytes: usize) -> Result<serde_json::Value, trustwalk_core::Diagnostic> {
    trustwalk_core::json::parse_with_limit(text, max_bytes).map(|tree| tree.to_value())
}
