//! Any text, as any policy type: parsing and validation must never panic,
//! and a policy that parses must evaluate without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trustwalk_core::eval::{evaluate, NamedPolicy, Options, Policies, Request};
use trustwalk_core::{parse_policy, PolicyType, RequestContext};

fuzz_target!(|data: &[u8]| {
    // Bytes as the CLI reads them: invalid UTF-8 is a located error.
    let Ok(text) = trustwalk_core::json::utf8(data) else { return };
    let caller = trustwalk_core::Caller::from_arn("arn:aws:sts::222222222222:assumed-role/R/s").unwrap();
    let mut ctx = RequestContext::new();
    ctx.set("aws:SourceIp", "203.0.113.7");
    ctx.set("aws:CurrentTime", "2026-01-15T12:00:00Z");
    ctx.set("aws:PrincipalTag/team", "a*b");
    ctx.set("aws:TagKeys", trustwalk_core::ContextValue::multi(["env", "team"]));
    for t in PolicyType::ALL {
        if let Ok(parsed) = parse_policy(text, t) {
            let named = NamedPolicy { name: "fuzz", policy: &parsed.policy };
            let policies = match t {
                PolicyType::Resource | PolicyType::Trust => Policies { resource: Some(named), ..Default::default() },
                _ => Policies { identity: vec![named], ..Default::default() },
            };
            let req = Request {
                caller: &caller,
                action: "s3:GetObject",
                resource: "arn:aws:s3:::bucket/key",
                resource_account: Some("222222222222"),
                context: &ctx,
            };
            let ev = evaluate(&req, &policies, &Options::default());
            let _ = ev.near_miss;
        }
    }
});
