//! Scenarios: accounts, their principals and resources, and the ordered
//! requests to step through (scenario-format.md).

mod directory;
pub mod import;
pub mod load;
pub mod managed;
pub mod model;
pub mod run;

pub use load::{
    load, load_json, load_json_contained, load_json_with_options, load_with_limit, load_with_options, session_name_of_source, Contained, LoadOptions,
};
pub use managed::{aws_managed_policy_file, managed_policy_arns, managed_policy_arns_json, ManagedPolicySource, NoManagedPolicies};
pub use model::*;
pub use run::{run, run_each, run_iter, Resume, RunIter, RunOptions, ScenarioResult, Session, StepResult, Timeline};
