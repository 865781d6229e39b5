#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::sync::OnceLock;

use super::*;
use crate::EXAMPLE;

fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| Catalogue::from_bytes(include_bytes!("../../../core/data/catalogue.json")).unwrap())
}

fn example_entities() -> Vec<Entity> {
    let (scenario, _) = trustwalk_core::scenario::load(EXAMPLE).unwrap();
    entities(&scenario)
}

/// The completion where `|` is in `text` (the `|` taken out).
fn complete_at(text: &str, policy_type: PolicyType, entities: &[Entity]) -> Option<(String, Completion)> {
    let pos = text.find('|').unwrap();
    let text = text.replacen('|', "", 1);
    let c = complete(&text, pos, policy_type, Sources { catalogue: Some(catalogue()), entities })?;
    Some((text, c))
}

fn labels(c: &Completion) -> Vec<&str> {
    c.options.iter().map(|o| o.label.as_str()).collect()
}

#[test]
fn a_half_typed_action_offers_the_services_actions_with_their_access_level() {
    let (text, c) =
        complete_at(r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetOb|"#, PolicyType::Identity, &[]).unwrap();
    let get = c.options.iter().find(|o| o.label == "s3:GetObject").expect("s3:GetObject is offered");
    assert_eq!(get.detail.as_deref(), Some("Read"));
    assert!(get.info.as_deref().unwrap().contains("resource types: accesspointobject, object"), "{:?}", get.info);
    assert_eq!(get.apply, "s3:GetObject", "inside the quotes: no quotes added");
    assert!(labels(&c).iter().all(|l| l.to_ascii_lowercase().starts_with("s3:getob")), "{:?}", labels(&c));
    // The range is the string's content, so Enter replaces what was typed.
    assert_eq!(&text[c.from..c.to], "s3:GetOb");
}

#[test]
fn an_action_without_a_colon_offers_service_prefixes() {
    let (_, c) = complete_at(r#"{"Statement": {"Action": "s|"}}"#, PolicyType::Identity, &[]).unwrap();
    assert!(labels(&c).contains(&"s3:"));
    assert!(labels(&c).contains(&"sts:"));
    assert!(!labels(&c).contains(&"iam:"));
}

#[test]
fn element_names_depend_on_the_place_and_the_policy_type() {
    let (_, c) = complete_at(r#"{"Version": "2012-10-17", "Statement": [{"|"#, PolicyType::Identity, &[]).unwrap();
    assert_eq!(labels(&c), ["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"]);
    let (_, c) = complete_at(r#"{"Statement": [{"Effect": "Allow", "|"#, PolicyType::Trust, &[]).unwrap();
    assert!(labels(&c).contains(&"Principal"), "a trust policy names principals");
    let (_, c) = complete_at(r#"{"|"#, PolicyType::Identity, &[]).unwrap();
    assert_eq!(labels(&c), ["Version", "Id", "Statement"]);
    let (_, c) = complete_at(r#"{"Statement": [{"Effect": "|"}]}"#, PolicyType::Identity, &[]).unwrap();
    assert_eq!(labels(&c), ["Allow", "Deny"]);
}

#[test]
fn outside_a_string_the_option_brings_its_quotes() {
    let (_, c) = complete_at(r#"{"Statement": [{"Effect": |"#, PolicyType::Identity, &[]).unwrap();
    assert_eq!(c.options[0].apply, "\"Allow\"");
    assert_eq!(c.from, c.to);
}

#[test]
fn condition_keys_are_those_of_the_statements_actions_and_the_global_ones() {
    let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"|"#;
    let (_, c) = complete_at(text, PolicyType::Identity, &[]).unwrap();
    let l = labels(&c);
    assert!(l.iter().any(|k| k.starts_with("s3:ExistingObjectTag")), "a key of s3:GetObject");
    assert!(l.contains(&"aws:SourceIp"), "a global key");
    assert!(!l.iter().any(|k| k.starts_with("dynamodb:")), "no key of another service");
    // Actions written after the condition count too.
    let text = r#"{"Statement": [{"Condition": {"StringEquals": {"s3:Ex|"}}, "Action": "s3:GetObject"}]}"#;
    let (_, c) = complete_at(text, PolicyType::Identity, &[]).unwrap();
    assert!(labels(&c).iter().all(|k| k.starts_with("s3:Ex")) && !c.options.is_empty());
}

#[test]
fn operators_are_offered_with_their_if_exists_forms() {
    let (_, c) = complete_at(r#"{"Statement": [{"Condition": {"Bool|"#, PolicyType::Identity, &[]).unwrap();
    assert_eq!(labels(&c), ["Bool", "BoolIfExists"]);
}

#[test]
fn principals_and_resources_offer_the_scenarios_entities() {
    let entities = example_entities();
    let (_, c) = complete_at(r#"{"Statement": [{"Principal": {"AWS": "arn:aws:|"#, PolicyType::Trust, &entities).unwrap();
    let l = labels(&c);
    assert!(l.contains(&"arn:aws:iam::111111111111:root"), "{l:?}");
    assert!(l.iter().any(|a| a.starts_with("arn:aws:iam::111111111111:user/")), "{l:?}");
    assert!(l.contains(&"arn:aws:sts::222222222222:assumed-role/StageRole/test"), "the session a step establishes: {l:?}");
    assert!(!l.iter().any(|a| a.starts_with("arn:aws:s3:::")), "a bucket is not a principal");
    let (_, c) = complete_at(r#"{"Statement": [{"Resource": ["|"]}]}"#, PolicyType::Identity, &entities).unwrap();
    let l = labels(&c);
    assert!(l.contains(&"arn:aws:s3:::production-test-bucket-101/*"), "{l:?}");
    assert!(l.contains(&"*"));
}

#[test]
fn nothing_is_offered_where_nothing_fits() {
    assert!(complete_at(r#"{"Statement": [{"Sid": "|"#, PolicyType::Identity, &[]).is_none());
    assert!(complete_at(r#"|{"#, PolicyType::Identity, &[]).is_none());
    assert!(complete_at(r#"{"Statement": [{"Effect": "Q|"#, PolicyType::Identity, &[]).is_none());
}

fn hover_at(text: &str, needle: &str, entities: &[Entity]) -> Option<Hover> {
    let pos = text.find(needle).unwrap() + needle.len() / 2;
    hover(text, pos, Sources { catalogue: Some(catalogue()), entities })
}

#[test]
fn hovering_an_action_shows_its_access_level_types_and_keys() {
    let text = r#"{"Statement": [{"Action": ["s3:GetObject", "s3:Get*", "s3:Nope"]}]}"#;
    let h = hover_at(text, "s3:GetObject", &[]).unwrap();
    assert_eq!(h.title, "s3:GetObject");
    assert_eq!(h.lines[0], "access level: Read");
    assert_eq!(h.lines[1], "resource types: accesspointobject, object");
    assert!(h.lines[2].starts_with("condition keys: ") && h.lines[2].contains("s3:ExistingObjectTag/<key>"), "{:?}", h.lines);
    assert_eq!(&text[h.from..h.to], "s3:GetObject");
    let h = hover_at(text, "s3:Get*", &[]).unwrap();
    assert!(h.lines[0].contains(" actions: "), "{:?}", h.lines);
    assert!(h.lines[0].contains("Read"), "{:?}", h.lines);
    let h = hover_at(text, "s3:Nope", &[]).unwrap();
    assert_eq!(h.lines, ["no action of AWS's catalogue has this name"]);
}

#[test]
fn hovering_a_condition_key_shows_its_type_and_who_supports_it() {
    let text = r#"{"Statement": [{"Action": "s3:ListBucket", "Condition": {"StringLike": {"s3:prefix": "a/*"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}"#;
    let h = hover_at(text, "s3:prefix", &[]).unwrap();
    assert_eq!(h.lines, ["type: String", "supported by s3:ListBucket"]);
    let h = hover_at(text, "aws:SourceIp", &[]).unwrap();
    assert_eq!(h.lines, ["type: IPAddress", "a global key: available with every action"]);
}

#[test]
fn hovering_an_arn_names_the_scenarios_entity() {
    let entities = example_entities();
    let text = r#"{"Statement": [{"Principal": {"AWS": ["arn:aws:iam::111111111111:user/StageAdmin", "arn:aws:iam::999999999999:root"]}}]}"#;
    let h = hover_at(text, "user/StageAdmin", &entities).unwrap();
    assert_eq!(h.lines, ["user StageAdmin in staging (111111111111)"]);
    let h = hover_at(text, "999999999999:root", &entities).unwrap();
    assert_eq!(h.lines, ["names nothing in this scenario"]);
}

#[test]
fn without_the_catalogue_only_the_policys_own_words_are_offered() {
    let text = r#"{"Statement": [{"Action": "s3:Get"#;
    assert!(complete(text, text.len(), PolicyType::Identity, Sources::default()).is_none());
    let text = r#"{"Statement": [{"Eff"#;
    assert!(complete(text, text.len(), PolicyType::Identity, Sources::default()).is_some());
}

proptest::proptest! {
    /// Any text, any offset (even inside a character): an answer or
    /// nothing, never a panic, and ranges inside the text.
    #[test]
    fn never_panics(text in r#"[{}\[\]",: a-zA-Z0-9*é\n\\]{0,60}"#, pos in 0usize..70) {
        let sources = Sources { catalogue: Some(catalogue()), entities: &[] };
        if let Some(c) = complete(&text, pos, PolicyType::Resource, sources) {
            proptest::prop_assert!(c.from <= c.to && c.to <= text.len());
        }
        if let Some(h) = hover(&text, pos, sources) {
            proptest::prop_assert!(h.from <= h.to && h.to <= text.len());
        }
    }
}
