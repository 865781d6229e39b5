//! Showing a document's strings without letting them act: control
//! characters (an escape sequence that clears a terminal, a carriage return
//! that overwrites a line, a newline that forges one) and the invisible
//! bidirectional controls that reorder what is shown are written as
//! visible escapes instead.

use std::borrow::Cow;

/// Whether `c` is shown escaped by [`escape_controls`]: C0 controls
/// (U+0000–U+001F, including tab and newline), DEL, C1 controls
/// (U+0080–U+009F, among them the one-character CSI U+009B), the
/// bidirectional marks, embeddings, overrides and isolates, and the
/// Unicode line and paragraph separators.
pub fn is_active(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// `s` with every [active](is_active) character written as an escape:
/// `\n`, `\r`, `\t`, else `\u{1b}` (Rust's notation, lowercase hex).
/// Borrows when there is nothing to escape. Backslashes already in `s`
/// are left as they are: the result is for people to read, not to parse.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_active) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_visible(&mut out, c);
    }
    Cow::Owned(out)
}

/// Appends `c`, escaped when it is [active](is_active).
pub fn push_visible(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if is_active(c) => {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        }
        c => out.push(c),
    }
}

/// The Levenshtein distance between `a` and `b`, in characters: how many
/// insertions, deletions and substitutions turn one into the other. For
/// "did you mean" hints.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev.get(j).map_or(usize::MAX, |d| d + usize::from(ca != *cb));
            let delete = prev.get(j + 1).map_or(usize::MAX, |d| d + 1);
            let insert = cur.last().map_or(usize::MAX, |d| d + 1);
            cur.push(substitute.min(delete).min(insert));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn edit_distance_counts_single_character_edits() {
        use super::edit_distance;
        assert_eq!(edit_distance("ReadOnlyAccess", "ReadOnlyAccess"), 0);
        assert_eq!(edit_distance("ReadOnlyAcess", "ReadOnlyAccess"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("ünï", "uni"), 2);
    }

    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(escape_controls("StageRole/trust — ✓ ünïcode"), Cow::Borrowed(_)));
    }

    #[test]
    fn controls_separators_and_bidi_overrides_become_visible() {
        assert_eq!(escape_controls("a\x1b[2Jb\r\nc\td\u{7f}\u{9b}31m"), "a\\u{1b}[2Jb\\r\\nc\\td\\u{7f}\\u{9b}31m");
        assert_eq!(escape_controls("\u{202e}txt.exe\u{2028}\u{0}"), "\\u{202e}txt.exe\\u{2028}\\u{0}");
    }
}
