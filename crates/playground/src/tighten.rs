//! The app's "Tighten" dialog without the drawing: the proposal of the
//! core's `review::tighten` for one policy editor, the lines of its diff
//! against the editor's text, and applying it to the workspace.

use serde::{Deserialize, Serialize};
use trustwalk_core::policy::PolicyType;
use trustwalk_core::review::tighten::{self, DiffLine, StatementChange};
use trustwalk_core::scenario::{LoadOptions, ManagedPolicySource, RunOptions};

use crate::path::Ptr;
use crate::workspace::{PolicySlot, Workspace, MAX_DOCUMENT_TEXT_BYTES};

/// What the dialog shows for one policy. Made in the app's worker
/// ([`crate::worker::Request::Tighten`]), without `ptr`: the page sets it
/// from `path` ([`TightenView::placed`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TightenView {
    /// The editor's place in the document.
    #[serde(skip)]
    pub ptr: Ptr,
    /// The editor's JSON path (`accounts[1].roles[0].policies[0].document`).
    pub path: String,
    /// The policy's name as traces show it (`StageRole/ReadTestBucket`).
    pub policy: String,
    /// The proposed policy text, what "Apply" puts in the editor.
    pub text: String,
    /// The line diff from the editor's text to `text`.
    pub lines: Vec<DiffLine>,
    /// Whether the proposal differs from the policy (otherwise there is
    /// nothing to apply).
    pub changed: bool,
    /// One sentence: "1 statement narrowed, 0 removed; all 3 steps keep
    /// their outcome."
    pub summary: String,
    /// Remarks (a policy no step needs, statements kept as written and why).
    pub notes: Vec<String>,
}

impl TightenView {
    /// With `ptr` set to the editor at `path` in `ws`; `None` when the
    /// document has no such editor any more.
    pub fn placed(mut self, ws: &Workspace) -> Option<Self> {
        self.ptr = ws.policy_slots().into_iter().find(|s| s.json_path == self.path)?.ptr;
        Some(self)
    }
}

/// Whether an editor of this type gets a Tighten button: identity (inline
/// or customer managed) and session policies.
pub fn can_tighten(policy_type: PolicyType) -> bool {
    matches!(policy_type, PolicyType::Identity | PolicyType::SessionPolicy)
}

/// The proposal for the policy of the editor at `path`; `Err` with a
/// sentence when the scenario does not load (fix its errors first) or the
/// editor is not an identity or session policy.
pub fn propose(ws: &Workspace, path: &str, now: i64, managed: &dyn ManagedPolicySource) -> Result<TightenView, String> {
    let slots = ws.policy_slots();
    let slot: &PolicySlot = slots.iter().find(|s| s.json_path == path).ok_or_else(|| format!("no policy editor at {path}"))?;
    if !can_tighten(slot.policy_type) {
        return Err(format!("only identity and session policies can be tightened, not the {}", slot.title));
    }
    let load = LoadOptions { max_bytes: MAX_DOCUMENT_TEXT_BYTES, managed_policies: managed };
    let run = RunOptions { now_epoch_seconds: now, ..Default::default() };
    let p = tighten::tighten(&ws.to_text(), path, &load, run).map_err(|errors| {
        let first = errors.first().map(|d| format!("{} (at {})", d.message, d.path)).unwrap_or_default();
        format!("The scenario has to load without errors before a policy can be tightened: {first}")
    })?;
    let count = |f: fn(&StatementChange) -> bool| p.statements.iter().filter(|c| f(c)).count();
    let narrowed = count(|c| matches!(c, StatementChange::Narrowed { .. }));
    let removed = count(|c| matches!(c, StatementChange::Removed { .. }));
    let steps = p.steps.len();
    let summary = if p.changed {
        format!(
            "{narrowed} {} narrowed to the actions and resources the steps use, {removed} removed; all {steps} {} keep their outcome.",
            if narrowed == 1 { "statement" } else { "statements" },
            if steps == 1 { "step" } else { "steps" }
        )
    } else {
        "This policy grants no more than the steps use: nothing to tighten.".to_string()
    };
    Ok(TightenView {
        ptr: slot.ptr.clone(),
        path: path.to_string(),
        policy: p.policy,
        lines: tighten::line_diff(&slot.text, &p.after),
        text: p.after,
        changed: p.changed,
        summary,
        notes: p.notes,
    })
}

/// Puts the proposed text in the policy's editor.
pub fn apply(ws: &mut Workspace, view: &TightenView) -> Result<(), String> {
    ws.set_policy_text(&view.ptr, &view.text)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use trustwalk_core::review::tighten::LineKind;
    use trustwalk_core::scenario::NoManagedPolicies;

    const NOW: i64 = 1_768_478_400;

    fn outcomes(ws: &Workspace) -> Vec<String> {
        let e = ws.evaluate(NOW);
        e.result.unwrap().steps.iter().map(|s| s.decision.as_str().to_string()).collect()
    }

    #[test]
    fn the_examples_role_policy_is_tightened_applied_and_every_step_keeps_its_verdict() {
        let mut ws = Workspace::example();
        let before = outcomes(&ws);
        let slot = ws.policy_slots().into_iter().find(|s| s.display == "StageRole/ReadTestBucket").unwrap();
        let view = propose(&ws, &slot.json_path, NOW, &NoManagedPolicies).unwrap();
        assert!(view.changed);
        assert_eq!(view.policy, "StageRole/ReadTestBucket");
        assert!(view.summary.starts_with("1 statement narrowed"), "{}", view.summary);
        assert!(view.lines.iter().any(|l| l.kind == LineKind::Removed && l.text.contains("s3:ListBucket")), "{:?}", view.lines);
        assert!(view.lines.iter().any(|l| l.kind == LineKind::Added && l.text.contains("Sunset.jpg")), "{:?}", view.lines);
        apply(&mut ws, &view).unwrap();
        let after = ws.policy_slots().into_iter().find(|s| s.json_path == slot.json_path).unwrap();
        assert_eq!(after.text, view.text);
        assert_ne!(after.text, slot.text);
        assert_eq!(outcomes(&ws), before);
        // Tightening again finds nothing more.
        let again = propose(&ws, &slot.json_path, NOW, &NoManagedPolicies).unwrap();
        assert!(!again.changed, "{}", again.text);
        assert!(again.lines.iter().all(|l| l.kind == LineKind::Same));
    }

    #[test]
    fn trust_policies_and_broken_scenarios_are_refused_in_words() {
        let mut ws = Workspace::example();
        let trust = ws.policy_slots().into_iter().find(|s| s.policy_type == PolicyType::Trust).unwrap();
        assert!(!can_tighten(trust.policy_type));
        assert!(propose(&ws, &trust.json_path, NOW, &NoManagedPolicies).unwrap_err().contains("only identity and session policies"));
        let slot = ws.policy_slots().into_iter().find(|s| s.policy_type == PolicyType::Identity).unwrap();
        ws.set_policy_text(&slot.ptr, "{").unwrap();
        let e = propose(&ws, &slot.json_path, NOW, &NoManagedPolicies).unwrap_err();
        assert!(e.starts_with("The scenario has to load without errors"), "{e}");
    }
}
