//! The policy-evaluation flowchart of a step (`flowchart::Flowchart`):
//! which path it highlights and how it shades each gate, for an allowed,
//! an explicit-deny and an implicit-deny step, with the SVG, its text
//! alternative and the Mermaid of the report as insta snapshots
//! (`INSTA_UPDATE=always cargo test -p trustwalk-playground`, review them).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use trustwalk_core::scenario::{Outcome, StepResult};
use trustwalk_playground::flowchart::{Flowchart, Shade, Terminal};
use trustwalk_playground::{Workspace, EXAMPLES};

/// 2026-01-15T12:00:00Z, the time the examples pin.
const NOW: i64 = 1_768_478_400;

fn steps(text: &str) -> Vec<StepResult> {
    let w = Workspace::from_text(text).unwrap();
    let ev = w.evaluate(NOW);
    assert!(!ev.has_errors(), "{:?}", ev.diagnostics);
    ev.result.unwrap().steps
}

fn example(name: &str) -> &'static str {
    EXAMPLES.iter().find(|(n, _)| *n == name).unwrap().1
}

fn row<'a>(f: &'a Flowchart, gate: &str) -> &'a trustwalk_playground::flowchart::Row {
    f.rows.iter().find(|r| r.gate.as_deref() == Some(gate)).unwrap_or_else(|| panic!("no row {gate} in {f:#?}"))
}

/// The SVG, the text alternative and the Mermaid, in one snapshot.
fn snapshot(name: &str, f: &Flowchart) {
    let svg = f.svg().replace("><", ">\n<");
    let text = f.text_alternative().join("\n");
    insta::with_settings!({ omit_expression => true }, {
        insta::assert_snapshot!(name, format!("{svg}\n\n--- text alternative\n{text}\n\n--- mermaid\n{}", f.mermaid()));
    });
}

#[test]
fn an_allowed_step_goes_down_every_gate_to_the_final_allow() {
    let s = &steps(example("staging-reads-production"))[0];
    assert_eq!(s.decision, Outcome::Allowed);
    let f = Flowchart::of(s).unwrap();
    assert_eq!(f.exit, None, "{f:#?}");
    assert!((0..f.rows.len()).all(|i| f.on_path(i)));
    assert_eq!(f.rows[0].shade, Shade::Allow);
    assert_eq!(f.rows[0].verdict, "no explicit Deny");
    assert_eq!(row(&f, "trust").shade, Shade::Allow);
    assert_eq!(row(&f, "identity").shade, Shade::Allow);
    assert_eq!(f.text_alternative().last().unwrap(), "Result: Final allow: every gate on the way allowed.");
    let svg = f.svg();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flowchart-svg\" role=\"group\""));
    assert!(svg.contains("<title id=\"flowchart-title\">") && svg.contains("<desc id=\"flowchart-desc\">"));
    assert!(svg.contains("data-gate=\"trust\" tabindex=\"0\" role=\"button\""));
    snapshot("allowed", &f);
}

#[test]
fn an_implicit_deny_leaves_at_the_first_gate_without_an_allow() {
    let s = &steps(example("staging-reads-production"))[2];
    assert_eq!(s.decision, Outcome::ImplicitDeny);
    let f = Flowchart::of(s).unwrap();
    let exit = f.exit.unwrap();
    let r = &f.rows[exit];
    assert_eq!(r.gate.as_deref(), Some("identity"), "{f:#?}");
    assert_eq!((r.shade, r.exit), (Shade::NoAllow, Terminal::ImplicitDeny));
    // The bucket policy had no Allow either, but within one account it was
    // not required: the path went on to the identity policies.
    let bucket = row(&f, "resource");
    assert_eq!(bucket.shade, Shade::NoAllow);
    assert!(bucket.verdict.ends_with("not required"));
    assert!(!f.on_path(exit + 1));
    assert!(f.text_alternative().iter().any(|l| l.ends_with("— the request leaves here: Implicit deny")));
    snapshot("implicit-deny", &f);
}

#[test]
fn an_explicit_deny_leaves_at_the_deny_check() {
    let s = steps(example("explicit-deny-wins")).into_iter().find(|s| s.decision == Outcome::ExplicitDeny).unwrap();
    let f = Flowchart::of(&s).unwrap();
    assert_eq!(f.exit, Some(0));
    assert_eq!(f.rows[0].shade, Shade::Deny);
    assert!(f.rows[0].verdict.starts_with("yes: "), "{}", f.rows[0].verdict);
    assert!(f.rows[0].gate.is_some());
    assert!(f.rows.iter().any(|r| r.shade == Shade::Deny && r.gate == f.rows[0].gate && !std::ptr::eq(r, &f.rows[0])));
    assert!(!f.on_path(1));
    snapshot("explicit-deny", &f);
}

#[test]
fn within_one_account_a_resource_policy_naming_the_caller_is_a_final_allow() {
    let text = r#"{ "format": "trustwalk/scenario@1", "accounts": [{ "id": "111111111111",
        "users": [{ "name": "U" }],
        "buckets": [{ "name": "bkt", "policy": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow",
            "Principal": { "AWS": "arn:aws:iam::111111111111:user/U" }, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/*" }] } }],
        "scps": [{ "name": "Root <b>&\"", "policies": [{ "name": "All", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "*", "Resource": "*" }] } }] }] }],
      "steps": [{ "principal": "arn:aws:iam::111111111111:user/U", "action": "s3:GetObject", "resource": "arn:aws:s3:::bkt/k" }] }"#;
    let s = &steps(text)[0];
    assert_eq!(s.decision, Outcome::Allowed, "{}", s.summary);
    let f = Flowchart::of(s).unwrap();
    let exit = f.exit.unwrap();
    assert_eq!((f.rows[exit].gate.as_deref(), f.rows[exit].exit), (Some("resource"), Terminal::ResourceGrant));
    assert_eq!(f.cross_group, None);
    // A level's name is text, never markup.
    let svg = f.svg();
    assert!(svg.contains("data-gate=\"scp:Root &lt;b&gt;&amp;&quot;\""), "{svg}");
    assert!(!svg.contains("<b>"));
    assert!(f.mermaid().contains("Root #lt;b#gt;#amp;#quot;"));
}

#[test]
fn across_accounts_both_sides_are_grouped() {
    let s = &steps(example("staging-reads-production"))[0];
    assert!(s.cross_account);
    let f = Flowchart::of(s).unwrap();
    let (a, b) = f.cross_group.unwrap();
    assert_eq!(f.rows[a].gate.as_deref(), Some("trust"));
    assert_eq!(b, f.rows.len() - 1);
    assert!(f.svg().contains("Cross-account: both accounts must allow"));
}

#[test]
fn a_public_bucket_policy_blocked_by_block_public_access_is_where_the_request_leaves() {
    let text = r#"{ "format": "trustwalk/scenario@1", "accounts": [
        { "id": "111111111111", "users": [{ "name": "U", "policies": [{ "name": "All", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }] } }] }] },
        { "id": "222222222222", "buckets": [{ "name": "bkt", "policy": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow",
            "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/*" }] } }] }],
      "steps": [{ "principal": "arn:aws:iam::111111111111:user/U", "action": "s3:GetObject", "resource": "arn:aws:s3:::bkt/k" }] }"#;
    let s = &steps(text)[0];
    assert_eq!(s.decision, Outcome::ImplicitDeny, "{}", s.summary);
    let f = Flowchart::of(s).unwrap();
    let r = &f.rows[f.exit.unwrap()];
    assert_eq!(r.gate.as_deref(), Some("resource"), "{f:#?}");
    assert!(r.verdict.ends_with("Block Public Access"), "{}", r.verdict);
    assert!(f.path_sentence().ends_with("→ Implicit deny. Cross-account: both accounts must allow."), "{}", f.path_sentence());
}
