#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use proptest::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};

use super::{needs_escape, to_writer};

fn ours<T: Serialize + ?Sized>(v: &T) -> String {
    let mut out = Vec::new();
    to_writer(&mut out, v).unwrap();
    String::from_utf8(out).unwrap()
}

fn theirs<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}

#[test]
fn escapes_as_serde_json_does() {
    for s in [
        "",
        "plain",
        "exactly8",
        "sixteen bytes!!!",
        "a \"quoted\" word",
        "back\\slash at 9",
        "tab\there, newline\nthere, cr\r, \u{8}\u{c}",
        "\u{0}\u{1}\u{1f}\u{7f}",
        "ünïcödé → ✓ 😀 and a \" after them",
        "arn:aws:sts::222222222222:assumed-role/R/s0",
        "`arn:aws:s3:::bkt/*` matches `arn:aws:s3:::bkt/k1`",
        "12345678\"",
        "1234567\"8",
    ] {
        assert_eq!(ours(s), theirs(s), "{s:?}");
    }
}

/// Every position of every special byte in a 24-byte string, and the
/// bytes around them that could look special to the 8-byte check.
#[test]
fn finds_a_special_byte_wherever_it_is() {
    for special in [b'"', b'\\', 0u8, 0x1f, b'\n'] {
        for neighbour in [b'a', b'!', b'#', b' ', b'[', b']', 0x7f, b'~'] {
            for at in 0..24 {
                let mut bytes = vec![neighbour; 24];
                if let Some(b) = bytes.get_mut(at) {
                    *b = special;
                }
                let s = String::from_utf8(bytes).unwrap();
                assert_eq!(ours(&s), theirs(&s), "{s:?}");
            }
        }
    }
    // No false negatives: a word with any special byte says so.
    for b in (0u8..0x20).chain([b'"', b'\\']) {
        for at in 0..8 {
            let mut w = [b'x'; 8];
            if let Some(x) = w.get_mut(at) {
                *x = b;
            }
            assert!(needs_escape(u64::from_le_bytes(w)), "{b:#x} at {at}");
        }
    }
    assert!(!needs_escape(u64::from_le_bytes(*b"arn:aws:")));
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
enum Kind {
    Unit,
    Newtype(u32),
    Tuple(i8, String),
    Struct { a: Option<bool>, b: Vec<u8> },
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Doc<'a> {
    format: &'a str,
    count: u64,
    negative: i64,
    big: u128,
    missing: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<u8>,
    kinds: Vec<Kind>,
    tuple: (u8, &'a str, char),
    map: std::collections::BTreeMap<u32, &'a str>,
    bool_keys: std::collections::BTreeMap<bool, u8>,
    #[serde(serialize_with = "as_display")]
    shown: u32,
    float: f64,
    not_a_number: f64,
}

fn as_display<S: serde::Serializer>(v: &u32, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&format_args!("step \"{v}\"\n"))
}

#[test]
fn writes_the_data_model_as_serde_json_does() {
    let doc = Doc {
        format: "trustwalk/result@1",
        count: u64::MAX,
        negative: i64::MIN,
        big: u128::MAX,
        missing: None,
        skipped: None,
        kinds: vec![Kind::Unit, Kind::Newtype(7), Kind::Tuple(-1, "x\"y".into()), Kind::Struct { a: Some(true), b: vec![1, 2] }],
        tuple: (1, "two", '"'),
        map: [(1, "one"), (20, "twenty")].into_iter().collect(),
        bool_keys: [(false, 0), (true, 1)].into_iter().collect(),
        shown: 42,
        float: 0.1 + 0.2,
        not_a_number: f64::NAN,
    };
    assert_eq!(ours(&doc), theirs(&doc));
    let empty: (Vec<u8>, std::collections::BTreeMap<String, u8>, ()) = (vec![], Default::default(), ());
    assert_eq!(ours(&empty), theirs(&empty));
}

#[test]
fn a_non_string_key_is_an_error() {
    let map: std::collections::BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into_iter().collect();
    let mut out = Vec::new();
    assert!(to_writer(&mut out, &map).is_err());
}

#[test]
fn long_output_is_written_whole() {
    // More than the 64 KB block the buffer is flushed at.
    let steps: Vec<Value> = (0..5_000).map(|i| json!({ "id": format!("step-{i}"), "reason": "`a` matches \"b\"" })).collect();
    let out = ours(&steps);
    assert!(out.len() > 3 << 16);
    assert_eq!(out, theirs(&steps));
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "[ -~\\\\\"\u{0}-\u{1f}é😀]{0,40}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z\"\\\\\n]{0,12}", inner, 0..8).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn any_json_value_is_written_as_serde_json_writes_it(v in value()) {
        prop_assert_eq!(ours(&v), theirs(&v));
    }
}
