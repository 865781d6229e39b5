//! Share links: the whole scenario, the selected step and the view in a
//! URL fragment, deflate-compressed and base64url-encoded. Decoding is
//! bounded so that a hostile link cannot exhaust memory.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::workspace::{Workspace, MAX_DOCUMENT_BYTES};

/// Longest fragment accepted (characters after `s=`).
pub const MAX_FRAGMENT_CHARS: usize = 256 * 1024;

/// What a link carries besides the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum View {
    #[default]
    Playground,
    Embed,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    /// Link format version.
    v: u32,
    step: usize,
    #[serde(default)]
    view: View,
    doc: serde_json::Value,
}

/// Why a link could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareError(pub String);

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a link carries before compression: a small JSON object with the
/// link format version, the selected step, the view and the document.
pub fn payload(w: &Workspace, view: View) -> Vec<u8> {
    let payload = Payload { v: 1, step: w.selected_step, view, doc: w.doc.clone() };
    serde_json::to_vec(&payload).unwrap_or_default()
}

/// Encodes the workspace as the value of the `s=` fragment parameter:
/// [`payload`], raw-deflated (RFC 1951) and base64url-encoded.
///
/// The web app does the deflate step with the browser's own
/// `CompressionStream("deflate-raw")` (see `web/src/services.rs`) and then
/// calls [`fragment_from`]; the result is the same format, and [`decode`]
/// reads links from either encoder.
pub fn encode(w: &Workspace, view: View) -> String {
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&payload(w, view), 9))
}

/// The full fragment: `#s=…` (or `#embed&s=…`).
pub fn fragment(w: &Workspace, view: View) -> String {
    fragment_from(&miniz_oxide::deflate::compress_to_vec(&payload(w, view), 9), view)
}

/// The full fragment for a [`payload`] already raw-deflated.
pub fn fragment_from(deflated: &[u8], view: View) -> String {
    let data = URL_SAFE_NO_PAD.encode(deflated);
    match view {
        View::Playground => format!("#s={data}"),
        View::Embed => format!("#embed&s={data}"),
    }
}

/// Escapes text for HTML content and attribute values.
fn escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// The iframe height of an embed snippet when none is chosen: the embed
/// view is laid out to fit a 600×500 frame.
pub const DEFAULT_EMBED_HEIGHT: u32 = 500;

/// The heights the Embed dialog accepts for the iframe (pixels).
pub const EMBED_HEIGHTS: std::ops::RangeInclusive<u32> = 240..=2000;

/// The HTML a documentation page pastes to embed the scenario: an iframe
/// of `url` (an embed link), titled after the scenario, `height` pixels
/// high (clamped to [`EMBED_HEIGHTS`]).
pub fn embed_snippet(url: &str, title: Option<&str>, height: u32) -> String {
    let mut title_attr = String::new();
    escape(&mut title_attr, title.unwrap_or("Trustwalk scenario"));
    let mut src = String::new();
    escape(&mut src, url);
    let height = height.clamp(*EMBED_HEIGHTS.start(), *EMBED_HEIGHTS.end());
    format!(
        "<iframe src=\"{src}\" title=\"{title_attr} — Trustwalk\" width=\"100%\" height=\"{height}\" style=\"border:1px solid #ccc;border-radius:8px\" loading=\"lazy\"></iframe>"
    )
}

/// The colours of an embedded view: the reader's system colours (`auto`)
/// or the ones the author chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::Auto, Theme::Light, Theme::Dark];

    /// The value in a link (`theme=dark`).
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn parse(s: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The page's `data-theme` attribute: "" follows the system.
    pub fn attribute(self) -> &'static str {
        match self {
            Theme::Auto => "",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// What an embed link says besides the scenario: the step shown first
/// (counted from 0 here, from 1 in the link: `step=2` is the second) and
/// the theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EmbedOptions {
    pub step: Option<usize>,
    pub theme: Theme,
}

/// The options of an embed link (`#embed&step=2&theme=dark&s=…`). Unknown
/// parameters and values that do not parse are ignored (the default is
/// used), so that a link edited by hand or made by a newer Trustwalk
/// still opens.
pub fn embed_options(fragment: &str) -> EmbedOptions {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut o = EmbedOptions::default();
    for part in f.split('&') {
        if let Some(v) = part.strip_prefix("step=") {
            o.step = v.parse::<usize>().ok().and_then(|n| n.checked_sub(1));
        } else if let Some(v) = part.strip_prefix("theme=") {
            o.theme = Theme::parse(v).unwrap_or_default();
        }
    }
    o
}

/// The fragment of an embed link with its options, for a [`payload`]
/// already raw-deflated: `#embed&step=2&theme=dark&s=…` (the defaults are
/// left out).
pub fn embed_fragment_from(deflated: &[u8], options: &EmbedOptions) -> String {
    let mut out = String::from("#embed");
    if let Some(step) = options.step {
        out.push_str(&format!("&step={}", step + 1));
    }
    if options.theme != Theme::Auto {
        out.push_str("&theme=");
        out.push_str(options.theme.as_str());
    }
    out.push_str("&s=");
    out.push_str(&URL_SAFE_NO_PAD.encode(deflated));
    out
}

/// Finds the `s=` parameter of a fragment such as `#embed&s=…`; also says
/// whether `embed` was present.
pub fn parse_fragment(fragment: &str) -> (Option<&str>, bool) {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut s = None;
    let mut embed = false;
    for part in f.split('&') {
        if part == "embed" {
            embed = true;
        } else if let Some(v) = part.strip_prefix("s=") {
            s = Some(v);
        }
    }
    (s, embed)
}

/// The fields a link's payload may have (besides `x-…` ones, ignored).
const PAYLOAD_FIELDS: [&str; 4] = ["v", "step", "view", "doc"];

/// Unknown and duplicate fields of a link's payload are reported as a
/// document's are, rather than silently dropped.
fn check_payload_fields(tree: &trustwalk_core::json::Json) -> Result<(), ShareError> {
    let Some(members) = tree.as_object() else {
        return Err(ShareError(format!("the shared link is damaged: its data is {}, not an object", tree.type_name())));
    };
    let mut seen = std::collections::HashSet::new();
    for m in members {
        if !seen.insert(m.key.as_str()) {
            return Err(ShareError(format!(
                "the shared link is damaged: duplicate field `{}` in its data: one of them would be silently lost",
                m.key
            )));
        }
        if !PAYLOAD_FIELDS.contains(&m.key.as_str()) && !m.key.starts_with("x-") {
            let expected = PAYLOAD_FIELDS.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
            return Err(ShareError(format!(
                "the shared link has an unknown field `{}` in its data (expected {expected}; custom fields start with `x-`): was it made by a newer Trustwalk, or edited?",
                m.key
            )));
        }
    }
    Ok(())
}

/// Decodes an `s=` value back into a workspace and its view.
pub fn decode(encoded: &str) -> Result<(Workspace, View), ShareError> {
    if encoded.len() > MAX_FRAGMENT_CHARS {
        return Err(ShareError(format!("the shared link is too long ({} characters; at most {MAX_FRAGMENT_CHARS})", encoded.len())));
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded.trim_end_matches('='))
        .map_err(|_| ShareError("the shared link is damaged: its data is not valid base64url (was it cut short or edited?)".into()))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_DOCUMENT_BYTES).map_err(|e| {
        ShareError(match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                format!("the shared link holds more than {} KB of data and was not opened", MAX_DOCUMENT_BYTES / 1024)
            }
            _ => "the shared link is damaged: its data does not decompress (was it cut short?)".into(),
        })
    })?;
    let text = trustwalk_core::json::utf8(&json).map_err(|e| ShareError(format!("the shared link is damaged: {}", e.message)))?;
    let tree = trustwalk_core::json::parse(text).map_err(|e| ShareError(format!("the shared link is damaged: {e}")))?;
    check_payload_fields(&tree)?;
    let value = tree.to_value();
    let payload: Payload = serde_json::from_value(value).map_err(|e| ShareError(format!("the shared link is damaged: {e}")))?;
    if payload.v != 1 {
        return Err(ShareError(format!("the shared link uses version {} of the link format, which this playground does not know", payload.v)));
    }
    let text = serde_json::to_string(&payload.doc).unwrap_or_default();
    let mut w = Workspace::from_text(&text).map_err(|e| {
        ShareError(format!("the shared link does not hold a valid scenario: {}", e.first().map(|d| d.message.clone()).unwrap_or_default()))
    })?;
    w.select_step(payload.step);
    Ok((w, payload.view))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_document_step_and_view() {
        let mut w = Workspace::example();
        w.select_step(1);
        let s = encode(&w, View::Embed);
        let (back, view) = decode(&s).unwrap();
        assert_eq!(back, w);
        assert_eq!(view, View::Embed);
    }

    #[test]
    fn links_from_another_deflate_encoder_decode() {
        // The web app deflates with the browser's encoder: any valid raw
        // deflate stream of the payload must open, whatever its level.
        let mut w = Workspace::example();
        w.select_step(2);
        for level in [0, 1, 6] {
            let f = fragment_from(&miniz_oxide::deflate::compress_to_vec(&payload(&w, View::Playground), level), View::Playground);
            let (s, embed) = parse_fragment(&f);
            assert!(!embed);
            let (back, view) = decode(s.unwrap()).unwrap();
            assert_eq!((back, view), (w.clone(), View::Playground), "level {level}");
        }
    }

    #[test]
    fn example_link_is_short() {
        let f = fragment(&Workspace::example(), View::Playground);
        assert!(f.len() < 2000, "{}", f.len());
    }

    #[test]
    fn damaged_links_say_so() {
        let s = encode(&Workspace::example(), View::Playground);
        let cut = &s[..s.len() / 2];
        assert!(decode(cut).unwrap_err().0.contains("damaged"));
        assert!(decode("!!!").unwrap_err().0.contains("base64url"));
        let mut tampered = s.clone().into_bytes();
        tampered[10] = if tampered[10] == b'A' { b'B' } else { b'A' };
        assert!(decode(std::str::from_utf8(&tampered).unwrap()).is_err());
    }

    /// A link whose payload is `json`, as written.
    fn link(json: &str) -> String {
        URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9))
    }

    fn with_doc(fields: &str) -> String {
        let doc = serde_json::to_string(&Workspace::example().doc).unwrap();
        format!(r#"{{"v": 1, "step": 0, {fields} "doc": {doc}}}"#)
    }

    #[test]
    fn unknown_payload_fields_are_reported_as_in_a_document() {
        let e = decode(&link(&with_doc(r#""veiw": "embed","#))).unwrap_err();
        assert_eq!(
            e.0,
            "the shared link has an unknown field `veiw` in its data (expected `v`, `step`, `view`, `doc`; custom fields start with `x-`): was it made by a newer Trustwalk, or edited?"
        );
        let e = decode(&link(&with_doc(r#""step": 2,"#))).unwrap_err();
        assert_eq!(e.0, "the shared link is damaged: duplicate field `step` in its data: one of them would be silently lost");
        let e = decode(&link("[1]")).unwrap_err();
        assert_eq!(e.0, "the shared link is damaged: its data is an array, not an object");
        // `x-` fields are kept out of the way, as in a document.
        let (w, view) = decode(&link(&with_doc(r#""x-note": "from the docs", "view": "embed","#))).unwrap();
        assert_eq!((w.doc, view), (Workspace::example().doc, View::Embed));
    }

    #[test]
    fn payload_text_is_strict_json_with_byte_offsets() {
        let e = decode(&URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(b"{\"v\": 1, \"x-a\": \"\xff\"}", 9))).unwrap_err();
        assert_eq!(e.0, "the shared link is damaged: the text is not valid UTF-8 at byte 17 (0xFF)");
        let e = decode(&link("{\"v\": 1, \"x-a\": \"\u{1}\"}")).unwrap_err();
        assert!(e.0.contains("raw control character (U+0001)"), "{}", e.0);
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        let huge = vec![b' '; 8 * 1024 * 1024];
        let bomb = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&huge, 9));
        assert!(bomb.len() < MAX_FRAGMENT_CHARS);
        assert!(decode(&bomb).unwrap_err().0.contains("more than"));
    }

    #[test]
    fn the_embed_snippet_is_an_iframe_with_an_escaped_title_and_the_chosen_height() {
        let s = embed_snippet("https://example.test/#embed&s=abc", Some("Alice's \"prod\" <access>"), 420);
        assert!(
            s.starts_with("<iframe src=\"https://example.test/#embed&amp;s=abc\" title=\"Alice's &quot;prod&quot; &lt;access&gt; — Trustwalk\""),
            "{s}"
        );
        assert!(s.contains(" height=\"420\" "), "{s}");
        assert!(embed_snippet("u", None, DEFAULT_EMBED_HEIGHT).contains("title=\"Trustwalk scenario — Trustwalk\""));
        // Out of range: the nearest height that makes sense.
        assert!(embed_snippet("u", None, 5).contains(" height=\"240\" "));
        assert!(embed_snippet("u", None, 99_999).contains(" height=\"2000\" "));
    }

    #[test]
    fn embed_options_travel_in_the_fragment_and_old_links_still_open() {
        let mut w = Workspace::example();
        w.select_step(0);
        let deflated = miniz_oxide::deflate::compress_to_vec(&payload(&w, View::Embed), 9);
        let options = EmbedOptions { step: Some(1), theme: Theme::Dark };
        let f = embed_fragment_from(&deflated, &options);
        assert!(f.starts_with("#embed&step=2&theme=dark&s="), "{f}");
        assert_eq!(embed_options(&f), options);
        let (s, embed) = parse_fragment(&f);
        assert!(embed);
        assert_eq!(decode(s.unwrap()).unwrap(), (w.clone(), View::Embed));
        // The defaults are left out: an old link's form.
        let plain = embed_fragment_from(&deflated, &EmbedOptions::default());
        assert_eq!(plain, fragment_from(&deflated, View::Embed));
        assert_eq!(embed_options(&plain), EmbedOptions::default());
        // Light and auto.
        assert_eq!(embed_options("#embed&theme=light&s=x").theme, Theme::Light);
        assert_eq!(embed_options("#embed&theme=auto&s=x").theme, Theme::Auto);
    }

    #[test]
    fn unknown_or_bad_embed_options_are_ignored_and_the_link_still_opens() {
        let s = encode(&Workspace::example(), View::Embed);
        for f in [
            format!("#embed&theme=purple&s={s}"),
            format!("#embed&step=zero&s={s}"),
            format!("#embed&step=0&s={s}"),
            format!("#embed&step=-1&theme=&s={s}"),
            format!("#embed&colour=red&height=9&s={s}"),
            format!("#embed&s={s}&theme=DARK"),
        ] {
            assert_eq!(embed_options(&f), EmbedOptions::default(), "{f}");
            let (data, embed) = parse_fragment(&f);
            assert!(embed, "{f}");
            assert!(decode(data.unwrap()).is_ok(), "{f}");
        }
        // One good option beside a bad one is kept.
        assert_eq!(embed_options("#embed&step=3&theme=x&s=a"), EmbedOptions { step: Some(2), theme: Theme::Auto });
    }

    #[test]
    fn fragments_are_parsed() {
        assert_eq!(parse_fragment("#embed&s=abc"), (Some("abc"), true));
        assert_eq!(parse_fragment("#s=xyz"), (Some("xyz"), false));
        assert_eq!(parse_fragment(""), (None, false));
    }
}
