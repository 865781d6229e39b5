//! Trustwalk's UI-free core: parse AWS IAM policies with source spans,
//! decide requests exactly as AWS does, and explain every decision.
//!
//! Stages: text → [`json`] (spanned tree) → [`policy`] (validated model) →
//! [`eval`] (decision) → [`trace`] (plain serde explanation).
//! [`checks`] lints policies and scenarios in the manner of IAM Access
//! Analyzer (docs/checks.md).
//!
//! Layers, bottom up; each module uses only modules of earlier layers (or
//! its own), which `tests/layers.rs` checks:
//!
//! 1. `text`, `span`, `keys`, `wildcard`, `arn`
//! 2. `diag`, `catalogue`
//! 3. `json`, `variables`
//! 4. `values`, `context`
//! 5. `time`
//! 6. `policy`
//! 7. `matching`
//! 8. `trace`
//! 9. `condition`
//! 10. `eval`
//! 11. `scenario`
//! 12. `checks`
//! 13. `review`

pub mod arn;
pub mod catalogue;
pub mod checks;
pub mod condition;
pub mod context;
pub mod diag;
pub mod eval;
pub mod json;
pub mod keys;
pub mod matching;
pub mod policy;
pub mod review;
pub mod scenario;
pub mod span;
pub mod text;
pub mod time;
pub mod trace;
pub mod values;
pub mod variables;
pub mod wildcard;

pub use arn::{AccountId, Arn, ArnError, Principal, PrincipalArn};
pub use checks::{lint_document, lint_policy, lint_scenario, Finding, FindingSeverity};
pub use context::{ContextValue, RequestContext};
pub use diag::{Diagnostic, JsonPath, Severity};
pub use eval::{evaluate, Caller, CallerKind, NamedPolicy, Options, Policies, PolicyLevel, Request};
pub use policy::{parse_policy, Policy, PolicyType};
pub use trace::{Decision, Evaluation};
