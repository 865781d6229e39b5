//! Reviewing a whole scenario rather than its steps: who can do what to
//! which resource (the access map), and what an edit changes (the diff).

pub mod access;
pub mod diff;

pub use access::{access_map, access_map_with_progress, equivalent_steps, explain_cell, AccessMap, AccessOptions, Cell, Responsible, ACCESS_FORMAT};
pub use diff::{diff, AccessChange, DiffOptions, ScenarioDiff, StepChange, DIFF_FORMAT};

pub mod tighten;
