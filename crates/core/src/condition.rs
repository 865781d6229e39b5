//! Condition operators (iam-semantics §3). PLACEHOLDER: being written.

use crate::context::RequestContext;
use crate::policy::{Condition, OperatorBase};
use crate::trace::ConditionTrace;

/// Checks a policy value for an operator at load time.
pub fn validate_policy_value(_base: OperatorBase, _value: &str) -> Result<(), String> {
    Ok(())
}

/// Evaluates one condition against the request context.
pub fn evaluate(cond: &Condition, ctx: &RequestContext, _variables: bool) -> ConditionTrace {
    let req = ctx.get(&cond.key.value).map(|v| v.values().into_iter().map(str::to_string).collect::<Vec<_>>());
    let policy_values: Vec<String> = cond.values.iter().map(|v| v.value.clone()).collect();
    let matched = req.as_ref().is_some_and(|r| r.iter().any(|x| policy_values.contains(x)));
    ConditionTrace {
        operator: cond.operator.name(),
        key: cond.key.value.clone(),
        request_values: req,
        policy_values,
        matched,
        reason: String::new(),
        span: cond.span,
    }
}
