//! Editing steps field by field, and adding the policies that are absent
//! by default (session policy, SCP and RCP levels).

use serde_json::{json, Map, Value};

use crate::path::Ptr;
use crate::workspace::Workspace;

/// The context keys the step form has a field of its own for.
pub const SOURCE_IP: &str = "aws:SourceIp";
pub const CURRENT_TIME: &str = "aws:CurrentTime";

/// Whether a step is an AssumeRole call (it names its role in `roleArn`).
pub fn is_assume_role(step: &Value) -> bool {
    step.get("action").and_then(Value::as_str).is_some_and(|a| a.eq_ignore_ascii_case("sts:AssumeRole")) || step.get("roleArn").is_some()
}

/// A JSON value as the text of an input: strings as they are, anything
/// else as JSON.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Reads an input's text as a context value: `true`/`false`, `null`, a
/// JSON list (`["a", "b"]`), or else a string.
pub fn context_value(text: &str) -> Value {
    match text.trim() {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        t if t.starts_with('[') => crate::parse_value(t).ok().filter(Value::is_array).unwrap_or_else(|| Value::String(text.to_string())),
        _ => Value::String(text.to_string()),
    }
}

const SESSION_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "SessionMayRead",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "*"
    }
  ]
}"#;

const FULL_ACCESS_SCP: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "FullAWSAccess",
      "Effect": "Allow",
      "Action": "*",
      "Resource": "*"
    }
  ]
}"#;

const FULL_ACCESS_RCP: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "RCPFullAWSAccess",
      "Effect": "Allow",
      "Principal": "*",
      "Action": "*",
      "Resource": "*"
    }
  ]
}"#;

/// A first bucket policy for a bucket that has none: the owning account's
/// principals may read its objects (a starting point to edit).
pub fn bucket_policy_template(account_id: &str, bucket: &str) -> String {
    let doc = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "AccountReads",
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{account_id}:root")},
            "Action": "s3:GetObject",
            "Resource": format!("arn:aws:s3:::{bucket}/*")
        }]
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

impl Workspace {
    /// Gives a bucket without a policy one to edit ([`bucket_policy_template`]).
    pub fn add_bucket_policy(&mut self, account: usize, bucket: usize) {
        let id = self.accounts().get(account).and_then(|a| a.get("id")).and_then(Value::as_str).unwrap_or_default().to_string();
        let ptr = Ptr::root().key("accounts").index(account).key("buckets").index(bucket);
        let Some(b) = ptr.get_mut(&mut self.doc).and_then(Value::as_object_mut) else { return };
        let name = b.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        b.entry("policy").or_insert_with(|| Value::String(bucket_policy_template(&id, &name)));
    }

    fn step_object(&self, step: usize) -> Option<&Map<String, Value>> {
        self.steps().get(step).and_then(Value::as_object)
    }

    fn step_object_mut(&mut self, step: usize) -> Option<&mut Map<String, Value>> {
        self.doc.get_mut("steps").and_then(|s| s.get_mut(step)).and_then(Value::as_object_mut)
    }

    /// A step field as input text ("" when absent).
    pub fn step_field(&self, step: usize, field: &str) -> String {
        self.step_object(step).and_then(|s| s.get(field)).map(value_text).unwrap_or_default()
    }

    /// Sets (or with an empty text removes) an AssumeRole step's
    /// `durationSeconds`: a whole number is stored as a number; other text
    /// is kept as written, so that the loader reports it where it is.
    pub fn set_step_duration(&mut self, step: usize, text: &str) {
        let text = text.trim();
        let value = match text.parse::<u64>() {
            _ if text.is_empty() => None,
            Ok(n) => Some(Value::from(n)),
            Err(_) => Some(Value::String(text.to_string())),
        };
        self.set_step_value(step, "durationSeconds", value);
    }

    /// An AssumeRole step's `sessionTags` as input text: `team=red,
    /// project=x`.
    pub fn step_tags_text(&self, step: usize) -> String {
        match self.step_object(step).and_then(|s| s.get("sessionTags")) {
            Some(Value::Object(m)) => m.iter().map(|(k, v)| format!("{k}={}", value_text(v))).collect::<Vec<_>>().join(", "),
            Some(other) => value_text(other),
            None => String::new(),
        }
    }

    /// Sets `sessionTags` from `key=value, key=value` (an empty text removes
    /// them). A piece without `=` keeps the whole text as written, so that
    /// the loader reports it where it is rather than a tag being dropped.
    pub fn set_step_tags(&mut self, step: usize, text: &str) {
        let pieces: Vec<&str> = text.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
        let value = if pieces.is_empty() {
            None
        } else if pieces.iter().all(|p| p.contains('=')) {
            let tags: Map<String, Value> =
                pieces.iter().filter_map(|p| p.split_once('=')).map(|(k, v)| (k.trim().to_string(), Value::String(v.trim().to_string()))).collect();
            Some(Value::Object(tags))
        } else {
            Some(Value::String(text.to_string()))
        };
        self.set_step_value(step, "sessionTags", value);
    }

    /// A list field (`transitiveTagKeys`) as input text: `team, project`.
    pub fn step_list_text(&self, step: usize, field: &str) -> String {
        match self.step_object(step).and_then(|s| s.get(field)) {
            Some(Value::Array(items)) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
            Some(other) => value_text(other),
            None => String::new(),
        }
    }

    /// Sets a list field from `a, b` (an empty text removes it).
    pub fn set_step_list(&mut self, step: usize, field: &str, text: &str) {
        let items: Vec<Value> = text.split(',').map(str::trim).filter(|p| !p.is_empty()).map(|p| Value::String(p.to_string())).collect();
        self.set_step_value(step, field, (!items.is_empty()).then_some(Value::Array(items)));
    }

    fn set_step_value(&mut self, step: usize, field: &str, value: Option<Value>) {
        let Some(s) = self.step_object_mut(step) else { return };
        match value {
            Some(v) => {
                s.insert(field.to_string(), v);
            }
            None => {
                s.shift_remove(field);
            }
        }
    }

    /// The step's own context keys and their values as input text.
    pub fn step_context(&self, step: usize) -> Vec<(String, String)> {
        self.step_object(step)
            .and_then(|s| s.get("context"))
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), value_text(v))).collect())
            .unwrap_or_default()
    }

    /// The value of a context key for a step as input text: the step's
    /// own, else the document's ("" when neither has it).
    pub fn effective_context(&self, step: usize, key: &str) -> (String, bool) {
        let own = self.step_object(step).and_then(|s| s.get("context")).and_then(|c| c.get(key));
        if let Some(v) = own {
            return (value_text(v), true);
        }
        let doc = self.doc.get("context").and_then(|c| c.get(key));
        (doc.map(value_text).unwrap_or_default(), false)
    }

    /// Sets (or with an empty text removes) a step context key, reading
    /// the text with [`context_value`].
    pub fn set_step_context_value(&mut self, step: usize, key: &str, text: &str) {
        let Some(s) = self.step_object_mut(step) else { return };
        let ctx = s.entry("context").or_insert_with(|| Value::Object(Map::new()));
        let Some(ctx) = ctx.as_object_mut() else { return };
        if text.is_empty() {
            ctx.shift_remove(key);
        } else {
            ctx.insert(key.to_string(), context_value(text));
        }
        if ctx.is_empty() {
            s.shift_remove("context");
        }
    }

    /// Renames a step context key, keeping its value and place. An empty
    /// or taken new name is refused.
    pub fn rename_step_context_key(&mut self, step: usize, old: &str, new: &str) -> Result<(), String> {
        let new = new.trim();
        if new.is_empty() {
            return Err("a context key needs a name".into());
        }
        let Some(ctx) = self.step_object_mut(step).and_then(|s| s.get_mut("context")).and_then(Value::as_object_mut) else {
            return Err(format!("the step has no context key `{old}`"));
        };
        if new != old && ctx.contains_key(new) {
            return Err(format!("the step already has the key `{new}`"));
        }
        let entries: Vec<(String, Value)> = std::mem::take(ctx).into_iter().collect();
        for (k, v) in entries {
            ctx.insert(if k == old { new.to_string() } else { k }, v);
        }
        Ok(())
    }

    /// Adds a context key with an empty string value (for the user to
    /// fill in); a taken name is refused.
    pub fn add_step_context_key(&mut self, step: usize, key: &str) -> Result<(), String> {
        let key = key.trim();
        if key.is_empty() {
            return Err("a context key needs a name".into());
        }
        let Some(s) = self.step_object_mut(step) else { return Err("no such step".into()) };
        let ctx = s.entry("context").or_insert_with(|| Value::Object(Map::new()));
        let Some(ctx) = ctx.as_object_mut() else { return Err("the step's context is not an object".into()) };
        if ctx.contains_key(key) {
            return Err(format!("the step already has the key `{key}`"));
        }
        ctx.insert(key.to_string(), Value::String(String::new()));
        Ok(())
    }

    /// Sets the expected outcome (`allowed`, `implicitDeny`, …; "" removes).
    pub fn set_step_expect(&mut self, step: usize, outcome: &str) {
        self.set_step_text(step, "expect", outcome);
    }

    /// Gives an AssumeRole step a session policy to edit.
    pub fn add_session_policy(&mut self, step: usize) {
        if let Some(s) = self.step_object_mut(step) {
            s.entry("sessionPolicy").or_insert_with(|| Value::String(SESSION_POLICY.into()));
        }
    }

    /// Adds a level (`Root`, then `OU 1`, …) to an account's `scps` or
    /// `rcps`, holding the full-access policy AWS attaches by default.
    pub fn add_policy_level(&mut self, account: usize, key: &str) {
        let (policy_name, text) = if key == "rcps" { ("RCPFullAWSAccess", FULL_ACCESS_RCP) } else { ("FullAWSAccess", FULL_ACCESS_SCP) };
        let ptr = Ptr::root().key("accounts").index(account);
        let Some(a) = ptr.get_mut(&mut self.doc).and_then(Value::as_object_mut) else { return };
        let levels = a.entry(key).or_insert_with(|| Value::Array(Vec::new()));
        if let Some(levels) = levels.as_array_mut() {
            let name = if levels.is_empty() { "Root".to_string() } else { format!("OU {}", levels.len()) };
            levels.push(json!({"name": name, "policies": [{"name": policy_name, "document": text}]}));
        }
    }

    /// Removes the last SCP or RCP level of an account (and the key when
    /// none is left, so that no policies of that kind apply).
    pub fn remove_policy_level(&mut self, account: usize, key: &str) {
        let ptr = Ptr::root().key("accounts").index(account);
        let Some(a) = ptr.get_mut(&mut self.doc).and_then(Value::as_object_mut) else { return };
        let now_empty = match a.get_mut(key).and_then(Value::as_array_mut) {
            Some(levels) => {
                levels.pop();
                levels.is_empty()
            }
            None => false,
        };
        if now_empty {
            a.shift_remove(key);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use trustwalk_core::scenario::Outcome;

    const NOW: i64 = 1_768_478_400;

    fn outcomes(w: &Workspace) -> Vec<Outcome> {
        let ev = w.evaluate(NOW);
        assert!(!ev.has_errors(), "{:?}", ev.diagnostics);
        ev.result.unwrap().steps.iter().map(|s| s.decision).collect()
    }

    #[test]
    fn fields_and_context_read_as_input_text() {
        let w = Workspace::example();
        assert!(is_assume_role(&w.steps()[0]));
        assert!(!is_assume_role(&w.steps()[1]));
        assert_eq!(w.step_field(0, "sessionName"), "test");
        assert_eq!(w.step_field(0, "externalId"), "");
        assert_eq!(w.effective_context(0, SOURCE_IP), ("203.0.113.7".to_string(), false));
    }

    #[test]
    fn every_assume_role_field_can_be_set_from_the_form() {
        // The role-chaining lesson: a chained session may last at most an hour.
        let mut w = Workspace::from_text(crate::EXAMPLES[4].1).unwrap();
        assert_eq!(w.step_field(2, "durationSeconds"), "7200");
        assert_eq!(w.evaluate(NOW).result.unwrap().steps[2].decision, Outcome::Invalid);
        w.set_step_duration(2, "3600");
        assert_eq!(w.steps()[2]["durationSeconds"], json!(3600));
        assert_eq!(outcomes(&w)[2], Outcome::Allowed);
        w.set_step_duration(2, "");
        assert!(w.steps()[2].get("durationSeconds").is_none());
        // Text that is not a number is kept, and reported where it is.
        w.set_step_duration(2, "two hours");
        let ev = w.evaluate(NOW);
        assert!(ev.diagnostics.iter().any(|d| d.is_error() && d.path.as_str() == "steps[2].durationSeconds"), "{:?}", ev.diagnostics);
        w.set_step_duration(2, "");
        // Session tags, transitive keys and the source identity.
        w.set_step_tags(1, "team=red, project = x");
        assert_eq!(w.steps()[1]["sessionTags"], json!({"team": "red", "project": "x"}));
        assert_eq!(w.step_tags_text(1), "team=red, project=x");
        w.set_step_list(1, "transitiveTagKeys", "team");
        assert_eq!(w.steps()[1]["transitiveTagKeys"], json!(["team"]));
        assert_eq!(w.step_list_text(1, "transitiveTagKeys"), "team");
        w.set_step_text(1, "sourceIdentity", "alice");
        let ev = w.evaluate(NOW);
        assert!(!ev.has_errors(), "{:?}", ev.diagnostics);
        // A tag without `=` is not dropped: the text is kept and reported.
        w.set_step_tags(1, "team=red, oops");
        assert_eq!(w.step_tags_text(1), "team=red, oops");
        assert!(w.evaluate(NOW).diagnostics.iter().any(|d| d.is_error() && d.path.as_str().starts_with("steps[1].sessionTags")));
        w.set_step_tags(1, "");
        w.set_step_list(1, "transitiveTagKeys", "");
        assert!(w.steps()[1].get("sessionTags").is_none() && w.steps()[1].get("transitiveTagKeys").is_none());
    }

    #[test]
    fn context_keys_are_typed_added_renamed_and_removed() {
        let mut w = Workspace::example();
        w.add_step_context_key(1, "aws:SecureTransport").unwrap();
        assert!(w.add_step_context_key(1, "aws:SecureTransport").is_err());
        w.set_step_context_value(1, "aws:SecureTransport", "false");
        assert_eq!(w.steps()[1]["context"]["aws:SecureTransport"], Value::Bool(false));
        assert_eq!(outcomes(&w)[1], Outcome::ExplicitDeny);
        w.set_step_context_value(1, "aws:TagKeys", "[\"a\", \"b\"]");
        assert_eq!(w.steps()[1]["context"]["aws:TagKeys"], json!(["a", "b"]));
        w.rename_step_context_key(1, "aws:TagKeys", "aws:PrincipalTag/team").unwrap();
        let keys: Vec<String> = w.step_context(1).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, vec!["aws:SecureTransport", "aws:PrincipalTag/team"]);
        assert!(w.rename_step_context_key(1, "aws:SecureTransport", "aws:PrincipalTag/team").is_err());
        w.set_step_context_value(1, "aws:SecureTransport", "");
        w.set_step_context_value(1, "aws:PrincipalTag/team", "");
        assert!(w.steps()[1].get("context").is_none());
        assert_eq!(context_value("[oops"), Value::String("[oops".into()));
        assert_eq!(context_value("null"), Value::Null);
    }

    #[test]
    fn session_policy_and_org_levels_can_be_added() {
        let mut w = Workspace::example();
        w.add_session_policy(0);
        assert!(crate::layout::session_policy_slot(&w, 0).is_some());
        assert_eq!(outcomes(&w)[1], Outcome::Allowed, "the template session policy allows the read");
        w.add_policy_level(1, "scps");
        w.add_policy_level(1, "scps");
        w.add_policy_level(1, "rcps");
        let cards = crate::layout::account_cards(&w);
        assert_eq!(cards[1].scps.len(), 2);
        assert_eq!(cards[1].rcps.len(), 1);
        assert_eq!(w.accounts()[1]["scps"][1]["name"], "OU 1");
        assert_eq!(outcomes(&w)[..2], [Outcome::Allowed, Outcome::Allowed]);
        w.remove_policy_level(1, "rcps");
        assert!(w.accounts()[1].get("rcps").is_none());
        // A bucket without a policy gets one to edit.
        w.set(&Ptr::root().key("accounts").index(1).key("buckets").index(0).key("policy"), None).unwrap();
        assert!(crate::layout::account_cards(&w)[1].entities[1].notes.contains(&"no bucket policy".to_string()));
        w.add_bucket_policy(1, 0);
        let bucket = &crate::layout::account_cards(&w)[1].entities[1];
        assert_eq!(bucket.slots.len(), 1);
        assert!(bucket.slots[0].text.contains("arn:aws:iam::222222222222:root"));
        assert!(bucket.slots[0].text.contains("arn:aws:s3:::production-test-bucket-101/*"));
        w.set_step_expect(0, "implicitDeny");
        let r = w.evaluate(NOW).result.unwrap();
        assert_eq!(r.steps[0].expectation_met, Some(false));
    }
}
