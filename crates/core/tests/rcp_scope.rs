//! Resource control policies apply only to the services AWS lists as
//! supporting them (issue #18): for other services the RCP levels are traced
//! but take no part in the decision, and the trace says why.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use trustwalk_core::context::RequestContext;
use trustwalk_core::eval::{self, Caller, NamedPolicy, Options, Policies, PolicyLevel, Request, RCP_SUPPORTED_SERVICES};
use trustwalk_core::policy::{parse_policy, Policy, PolicyType};
use trustwalk_core::trace::{Decision, Evaluation};

fn policy(text: &str, t: PolicyType) -> Policy {
    parse_policy(text, t).unwrap_or_else(|e| panic!("{e:?}")).policy
}

const IDENTITY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sns:Publish","sqs:SendMessage"],"Resource":"*"}]}"#;
const FULL: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;
const DENY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoMessages","Effect":"Deny","Principal":"*","Action":["sns:Publish","sqs:SendMessage"],"Resource":"*"}]}"#;

/// Alice, in the resource's own account, calls `action` on `resource` under
/// an RCP that denies both SNS Publish and SQS SendMessage.
fn run(action: &str, resource: &str) -> Evaluation {
    let identity = policy(IDENTITY, PolicyType::Identity);
    let full = policy(FULL, PolicyType::Rcp);
    let deny = policy(DENY, PolicyType::Rcp);
    let caller = Caller::from_arn("arn:aws:iam::222222222222:user/alice").unwrap();
    let context = RequestContext::new();
    let request = Request { caller: &caller, action, resource, resource_account: Some("222222222222"), context: &context };
    let policies = Policies {
        identity: vec![NamedPolicy { name: "alice/Messages", policy: &identity, error: None }],
        rcps: vec![PolicyLevel {
            name: "Root",
            policies: vec![
                NamedPolicy { name: "RCPFullAWSAccess", policy: &full, error: None },
                NamedPolicy { name: "NoMessages", policy: &deny, error: None },
            ],
        }],
        ..Policies::default()
    };
    eval::evaluate(&request, &policies, &Options::default())
}

#[test]
fn an_rcp_deny_does_not_reach_sns_and_the_trace_says_why() {
    let ev = run("sns:Publish", "arn:aws:sns:us-east-1:222222222222:alerts");
    assert_eq!(ev.decision, Decision::Allowed, "{}", ev.summary);
    assert!(ev.decisive.iter().all(|r| r.policy_type != PolicyType::Rcp), "{:?}", ev.decisive);
    let rcp = ev.gates.iter().find(|g| g.policy_type == PolicyType::Rcp).unwrap();
    assert!(!rcp.required);
    assert!(rcp.note.starts_with("RCPs do not apply to sns:Publish: `sns` is not among the services RCPs support"), "{}", rcp.note);
}

#[test]
fn the_same_rcp_deny_reaches_sqs() {
    let ev = run("sqs:SendMessage", "arn:aws:sqs:us-east-1:222222222222:jobs");
    assert_eq!(ev.decision, Decision::ExplicitDeny, "{}", ev.summary);
    assert!(ev.summary.contains("NoMessages"), "{}", ev.summary);
    let rcp = ev.gates.iter().find(|g| g.policy_type == PolicyType::Rcp).unwrap();
    assert!(!rcp.note.contains("do not apply"), "{}", rcp.note);
}

#[test]
fn the_list_holds_the_launch_services_and_not_sns_or_iam() {
    for s in ["s3", "sts", "kms", "sqs", "secretsmanager"] {
        assert!(RCP_SUPPORTED_SERVICES.contains(&s), "{s}");
    }
    for s in ["sns", "iam", "lambda", "ec2"] {
        assert!(!RCP_SUPPORTED_SERVICES.contains(&s), "{s}");
        assert!(eval::rcps_do_not_apply(&format!("{s}:Anything")).is_some(), "{s}");
    }
    // Service prefixes are matched without regard to case, like actions.
    assert!(eval::rcps_do_not_apply("S3:GetObject").is_none());
}
