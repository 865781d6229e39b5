//! Scenarios: accounts, their principals and resources, and the ordered
//! requests to step through (scenario-format.md).

mod directory;
pub mod load;
pub mod model;
pub mod run;

pub use load::{load, load_json, load_with_limit};
pub use model::*;
pub use run::{run, run_each, run_iter, RunIter, RunOptions, ScenarioResult, Session, StepResult};
