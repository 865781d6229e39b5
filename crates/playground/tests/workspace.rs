#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::expect_used)]
use trustwalk_core::policy::PolicyType;
use trustwalk_core::scenario::Outcome;
use trustwalk_playground::{Ptr, Workspace};

const NOW: i64 = 1_768_478_400;

fn outcomes(w: &Workspace) -> Vec<Outcome> {
    let ev = w.evaluate(NOW);
    assert!(!ev.has_errors(), "{:?}", ev.diagnostics);
    ev.result.unwrap().steps.iter().map(|s| s.decision).collect()
}

fn trust_slot(w: &Workspace) -> trustwalk_playground::PolicySlot {
    w.policy_slots().into_iter().find(|s| s.policy_type == PolicyType::Trust).unwrap()
}

#[test]
fn example_has_an_editor_per_policy_and_is_allowed() {
    let w = Workspace::example();
    let slots = w.policy_slots();
    let kinds: Vec<_> = slots.iter().map(|s| (s.policy_type, s.display.as_str())).collect();
    assert_eq!(
        kinds,
        vec![
            (PolicyType::Identity, "StageAdmin/AllowAssume"),
            (PolicyType::Trust, "StageRole/trustPolicy"),
            (PolicyType::Identity, "StageRole/ReadTestBucket"),
            (PolicyType::Resource, "production-test-bucket-101/bucketPolicy"),
        ]
    );
    assert!(slots[1].text.contains("\"TrustStaging\""));
    assert_eq!(outcomes(&w), vec![Outcome::Allowed, Outcome::Allowed, Outcome::ImplicitDeny]);
}

#[test]
fn trusting_another_account_denies_the_assume_and_skips_the_read() {
    let mut w = Workspace::example();
    let slot = trust_slot(&w);
    let text = slot.text.replace("111111111111", "333333333333");
    w.set(&slot.ptr, Some(text.into())).unwrap();
    let o = outcomes(&w);
    assert_eq!(o[0], Outcome::ImplicitDeny);
    assert_eq!(o[1], Outcome::Skipped);
}

#[test]
fn a_syntax_error_belongs_to_its_editor_with_line_and_column() {
    let mut w = Workspace::example();
    let slot = trust_slot(&w);
    let broken = slot.text.replacen("\"Effect\": \"Allow\",", "\"Effect\": \"Allow\"", 1);
    w.set(&slot.ptr, Some(broken.into())).unwrap();
    let ev = w.evaluate(NOW);
    // The error stays in its policy: the steps still have results, and
    // the one that needs the trust policy says it was not evaluated.
    let steps = ev.result.as_ref().unwrap().steps.clone();
    assert_eq!(steps[0].decision, Outcome::Invalid);
    assert!(steps[0].summary.contains("`StageRole/trustPolicy` has an error: invalid JSON: expected comma"), "{}", steps[0].summary);
    let mine: Vec<_> = ev.for_editor(&slot.json_path).collect();
    assert_eq!(mine.len(), 1, "{:?}", ev.diagnostics);
    let loc = mine[0].text_location.unwrap();
    assert!(loc.line > 1 && loc.column > 1, "{loc:?}");
    let other = w.policy_slots()[0].json_path.clone();
    assert_eq!(ev.for_editor(&other).count(), 0);
}

#[test]
fn steps_can_be_added_edited_removed_and_stepped_through() {
    let mut w = Workspace::example();
    assert_eq!(w.steps().len(), 3);
    w.add_step(false);
    assert_eq!(w.steps().len(), 4);
    assert_eq!(w.selected_step, 3);
    // Made by the session of the AssumeRole, not anonymously.
    assert_eq!(w.step_field(3, "principal"), "arn:aws:sts::222222222222:assumed-role/StageRole/test");
    let mut other = w.clone();
    other.add_step_as(false, Some("arn:aws:sts::222222222222:assumed-role/StageRole/second".into()));
    assert_eq!(other.step_field(4, "principal"), "arn:aws:sts::222222222222:assumed-role/StageRole/second");
    w.set_step_text(3, "action", "s3:ListBucket");
    w.set_step_text(3, "resource", "arn:aws:s3:::production-test-bucket-101");
    w.set_step_context(3, "aws:SecureTransport", "false");
    let o = outcomes(&w);
    assert_eq!(o[3], Outcome::ExplicitDeny, "the DenyInsecureTransport statement applies");
    w.set_step_context(3, "aws:SecureTransport", "");
    assert!(w.steps()[3].get("context").is_none());
    w.remove_step(3);
    assert_eq!(w.steps().len(), 3);
    assert_eq!(w.selected_step, 2);
    w.next_step();
    assert_eq!(w.selected_step, 2);
    w.previous_step();
    w.previous_step();
    w.previous_step();
    assert_eq!(w.selected_step, 0);
}

#[test]
fn principal_choices_include_sessions_of_earlier_steps() {
    let w = Workspace::example();
    assert_eq!(
        w.principal_choices(0),
        vec![
            "arn:aws:iam::111111111111:user/StageAdmin",
            "service:ec2.amazonaws.com",
            "service:lambda.amazonaws.com",
            "service:ecs-tasks.amazonaws.com",
            "anonymous"
        ]
    );
    assert!(w.principal_choices(1).contains(&"arn:aws:sts::222222222222:assumed-role/StageRole/test".to_string()));
}

#[test]
fn services_the_policies_name_are_callers_and_their_sessions_are_named_after_the_source() {
    let text = trustwalk_playground::EXAMPLES.iter().find(|(n, _)| *n == "cloudtrail-writes-logging-bucket").unwrap().1;
    let w = Workspace::from_text(text).unwrap();
    assert_eq!(w.service_choices(), vec!["cloudtrail.amazonaws.com", "ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com"]);
    let text = trustwalk_playground::EXAMPLES.iter().find(|(n, _)| *n == "ec2-instance-profile-reads-production").unwrap().1;
    let w = Workspace::from_text(text).unwrap();
    // Step 1 gives no session name: EC2 names it after the instance.
    assert!(w.principal_choices(1).contains(&"arn:aws:sts::111111111111:assumed-role/AppServerRole/i-0abc1234def567890".to_string()));
}

#[test]
fn import_rejects_what_is_not_a_scenario_and_oversized_text() {
    let e = Workspace::from_text("{\"format\": \"x\"}").unwrap_err();
    assert!(e[0].message.contains("format"));
    let e = Workspace::from_text("{\n  \"format\": ").unwrap_err();
    assert!(e[0].location.is_some());
    let big = format!("{{\"format\": \"trustwalk/scenario@1\", \"x-pad\": \"{}\"}}", "a".repeat(1024 * 1024));
    assert!(Workspace::from_text(&big).unwrap_err()[0].message.contains("KB"));
}

#[test]
fn export_round_trips() {
    let mut w = Workspace::example();
    w.set(&Ptr::root().key("accounts").index(0).key("name"), Some("stage".into())).unwrap();
    let text = w.to_text();
    let back = Workspace::from_text(&text).unwrap();
    assert_eq!(back.doc, w.doc);
    assert_eq!(outcomes(&back), outcomes(&w));
}

#[test]
fn every_example_loads_evaluates_and_meets_its_expectations() {
    assert_eq!(trustwalk_playground::EXAMPLES.len(), 10);
    for (name, text) in trustwalk_playground::EXAMPLES {
        let w = Workspace::from_text(text).expect(name);
        let ev = w.evaluate(NOW);
        assert!(!ev.has_errors(), "{name}: {:?}", ev.diagnostics);
        assert!(ev.result.unwrap().expectations_met(), "{name}");
        // Every policy the trace names has an editor.
        let editors = w.editors_by_display();
        for step in w.evaluate(NOW).result.unwrap().steps {
            for d in &step.decisive {
                assert!(editors.contains_key(&d.policy), "{name}: {} has no editor", d.policy);
            }
        }
    }
}

#[test]
fn an_oversized_policy_text_is_refused_and_the_old_text_kept() {
    let mut w = Workspace::example();
    let slot = trust_slot(&w);
    let huge = "x".repeat(trustwalk_playground::MAX_POLICY_BYTES + 1);
    let e = w.set_policy_text(&slot.ptr, &huge).unwrap_err();
    assert!(e.contains("at most 256 KB"), "{e}");
    assert_eq!(trust_slot(&w).text, slot.text);
    w.set_policy_text(&slot.ptr, "{}").unwrap();
    assert_eq!(trust_slot(&w).text, "{}");
}

/// `by_editor` puts every diagnostic with the editors `for_editor` gives
/// it to: thousands of policy warnings; errors in an editor and outside any.
#[test]
fn diagnostics_go_to_their_editors_by_hash_as_for_editor_says() {
    let n = 2000;
    let policies: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"name":"P{i}","document":"{{\"Statement\":{{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}}}"}}"#))
        .collect();
    let warnings = format!(
        r#"{{"format":"trustwalk/scenario@1","accounts":[{{"id":"111111111111","users":[{{"name":"U","policies":[{}]}}],"buckets":[{{"name":"bkt"}}]}}],
        "steps":[{{"principal":"arn:aws:iam::111111111111:user/U","action":"s3:GetObject","resource":"arn:aws:s3:::bkt/k"}}]}}"#,
        policies.join(",")
    );
    let errors = warnings.replace(r#""id":"111111111111","#, r#""id":"111111111111","nmae":"x","#).replace(
        r#"{"name":"P7","document":"{\"Statement\":{\"Effect\":\"Allow\""#,
        r#"{"name":"P7","document":"{\"Statement\":{\"Effect\":\"Alow\""#,
    );
    // The errors case: 2 errors, and the warnings are kept beside them.
    for (text, errors, at_least) in [(warnings, 0, n), (errors, 2, n + 1)] {
        let w = Workspace::from_text(&text).unwrap();
        let ev = w.evaluate(NOW);
        assert_eq!(ev.diagnostics.iter().filter(|d| d.is_error()).count(), errors, "{:?}", ev.diagnostics.first());
        assert!(ev.diagnostics.len() >= at_least, "{}", ev.diagnostics.len());
        let slots = w.policy_slots();
        let by = ev.by_editor(&slots);
        assert_eq!((by.diagnostics.len(), by.first_editor.len()), (slots.len(), ev.diagnostics.len()));
        let mut first_want = vec![None; ev.diagnostics.len()];
        for (si, s) in slots.iter().enumerate() {
            let want: Vec<&trustwalk_core::Diagnostic> = ev.for_editor(&s.json_path).collect();
            let got: Vec<&trustwalk_core::Diagnostic> = by.diagnostics[si].iter().map(|&d| &ev.diagnostics[d]).collect();
            assert_eq!(got, want, "{}", s.json_path);
            for x in want {
                let d = ev.diagnostics.iter().position(|y| std::ptr::eq(x, y)).unwrap();
                first_want[d] = first_want[d].or(Some(si));
            }
        }
        assert_eq!(by.first_editor, first_want);
        let unplaced = by.first_editor.iter().filter(|e| e.is_none()).count();
        if errors == 2 {
            assert_eq!(unplaced, 1, "`nmae` belongs to no editor, `Alow` to P7's");
        } else {
            assert_eq!(unplaced, 0, "each warning belongs to its policy's editor");
        }
    }
}

#[test]
fn renaming_an_account_id_updates_the_steps_and_policies_that_refer_to_it() {
    let mut w = Workspace::example();
    let before = outcomes(&w);
    let renamed = w.rename_account_id(1, "333333333333");
    // The AssumeRole's roleArn and the two session principals; the staging
    // admin's policy (its Resource), the role's policy (its bucket ARNs have
    // no account) and the bucket policy (its Principal) name production.
    assert_eq!((renamed.steps, renamed.policies), (3, 2), "{renamed:?}");
    assert_eq!(outcomes(&w), before, "the same verdicts under the new ID");
    let refs = format!("{:?} {:?}", w.steps(), w.policy_slots().iter().map(|p| &p.text).collect::<Vec<_>>());
    assert!(!refs.contains("222222222222"), "{refs}");
    assert!(refs.contains("arn:aws:sts::333333333333:assumed-role/StageRole/test"));
    // A half-typed ID changes the account only; so does an ID another
    // account has (the references are then ambiguous).
    let mut w = Workspace::example();
    assert_eq!(w.rename_account_id(1, "3333"), trustwalk_playground::workspace::Renamed::default());
    assert!(w.to_text().contains("arn:aws:iam::222222222222:role/StageRole"));
    let mut w = Workspace::example();
    assert_eq!(w.rename_account_id(1, "111111111111").steps, 0);
}

#[test]
fn steps_can_be_duplicated_and_moved() {
    let mut w = Workspace::example();
    let ids = |w: &Workspace| w.steps().iter().map(|s| s["id"].as_str().unwrap_or_default().to_string()).collect::<Vec<_>>();
    w.duplicate_step(1);
    assert_eq!(ids(&w), ["assume-stage-role", "read-sunset", "read-sunset-copy", "write-denied"]);
    assert_eq!(w.selected_step, 2);
    w.duplicate_step(1);
    assert_eq!(ids(&w)[2], "read-sunset-copy2", "ids stay unique");
    assert_eq!(outcomes(&w), [Outcome::Allowed, Outcome::Allowed, Outcome::Allowed, Outcome::Allowed, Outcome::ImplicitDeny]);
    // Moved before the AssumeRole, a session step has no session yet.
    w.move_step(1, true);
    assert_eq!(w.selected_step, 0);
    assert_eq!(ids(&w)[..2], ["read-sunset", "assume-stage-role"]);
    assert_eq!(outcomes(&w)[0], Outcome::Skipped);
    w.move_step(0, true);
    assert_eq!(w.selected_step, 0, "the first step stays first");
    w.move_step(0, false);
    assert_eq!(ids(&w)[..2], ["assume-stage-role", "read-sunset"]);
    w.move_step(4, false);
    assert_eq!(ids(&w).len(), 5);
}

#[test]
fn open_reads_a_scenario_or_imports_an_accounts_aws_export() {
    let (w, note) = Workspace::open(trustwalk_playground::EXAMPLE, "x.json").unwrap();
    assert!(note.is_none());
    assert_eq!(w.title(), Workspace::example().title());
    let export = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/exports/staging-authorization-details.json")).unwrap();
    let (w, note) = Workspace::open(&export, "staging.json").unwrap();
    let note = note.unwrap();
    assert!(note.starts_with("Imported the AWS export of account 111111111111 ("), "{note}");
    assert_eq!(w.doc["accounts"][0]["roles"][0]["instanceProfile"], "AppServer");
    assert_eq!(w.steps().len(), 1);
    // Not an export, not a scenario: the scenario's error.
    let e = Workspace::open(r#"{"Policy": "{}"}"#, "b.json").unwrap_err();
    assert!(e[0].message.contains("not a Trustwalk scenario"), "{:?}", e[0]);
    // An export that does not import: its file and path.
    let e = Workspace::open(r#"{"RoleDetailList": [{"RoleName": "R"}]}"#, "r.json").unwrap_err();
    let messages: Vec<&str> = e.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "r.json: at $.RoleDetailList[0].AssumeRolePolicyDocument: missing policy document",
            "r.json: at $: no entity with an `Arn` names the account"
        ]
    );
}
