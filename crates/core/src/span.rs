//! Where something is in a text. At the bottom of the core: the JSON
//! reader makes spans, and every later stage (diagnostics, policies,
//! traces) carries them.

use serde::{Deserialize, Serialize};

/// A location in a text: byte range plus 1-based line and column (in
/// characters) of its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
}
