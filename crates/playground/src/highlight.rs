//! The HTML behind a policy editor's transparent textarea: the text split
//! into coloured tokens, with marks layered on top (the deciding
//! statements, the statement clicked in the explanation, the bracket pair
//! at the caret, errors), plus the line-number gutter. Built as one string
//! so that the browser parses it in one go, even for a large policy.

use crate::tokens::{line_count, line_start, Token};

/// A highlighted byte range. An empty range (`start == end`) is drawn as a
/// point (an error at the end of the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    /// CSS class, e.g. `m-decisive`, `m-focus`, `m-bracket`, `m-error`.
    pub class: &'static str,
    /// Shown on hover.
    pub title: Option<String>,
}

impl Mark {
    pub fn new(start: usize, end: usize, class: &'static str) -> Self {
        Self { start, end, class, title: None }
    }

    pub fn titled(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape(out: &mut String, s: &str) {
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

/// The nearest char boundary at or after `i`, within the text.
fn snap(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Renders `text` as HTML: tokens as `<span class="t-…">`, marks as extra
/// classes on the same spans. Marks may overlap, lie outside the text or
/// split characters: they are clamped and snapped, never trusted.
pub fn to_html(text: &str, tokens: &[Token], marks: &[Mark]) -> String {
    to_html_range(text, tokens, marks, 0, text.len())
}

/// Like [`to_html`], but only the bytes `start..end` get spans; the text
/// before and after is plain. The editor highlights the lines around what
/// is on screen, so that a large policy stays cheap for the browser to
/// lay out on every keystroke.
pub fn to_html_range(text: &str, tokens: &[Token], marks: &[Mark], start: usize, end: usize) -> String {
    render(text, tokens, marks, start, end, true)
}

/// The highlighted window of an editor, line by line (see [`window`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Window {
    /// The window block's `style`: padded above and below to the height of
    /// the lines left out, and as wide as the widest line.
    pub style: String,
    /// Each line's HTML, without its line break.
    pub lines: Vec<String>,
}

impl Window {
    /// The whole window: `<div class="ed-win">` holding one
    /// `<div class="ed-ln">` per line. While the style and the number of
    /// lines stay the same, the editor replaces only the lines that changed
    /// (a keystroke: one), so the browser does not rebuild the window.
    pub fn to_html(&self) -> String {
        let mut out = String::with_capacity(self.lines.iter().map(|l| l.len() + 24).sum::<usize>() + self.style.len() + 40);
        out.push_str("<div class=\"ed-win\" style=\"");
        out.push_str(&self.style);
        out.push_str("\">");
        for line in &self.lines {
            out.push_str("<div class=\"ed-ln\">");
            out.push_str(line);
            out.push_str("</div>");
        }
        out.push_str("</div>");
        out
    }

    /// The lines that differ from `shown`, the window on screen; `None`
    /// when the window moved, grew or shrank and must be drawn whole.
    pub fn changed_lines(&self, shown: &Window) -> Option<Vec<usize>> {
        (self.style == shown.style && self.lines.len() == shown.lines.len())
            .then(|| (0..self.lines.len()).filter(|&i| self.lines.get(i) != shown.lines.get(i)).collect())
    }
}

/// The highlighted window of an editor: lines `first..first + count`
/// (0-based) with spans, padded so that it scrolls exactly like the whole
/// text in the textarea. The browser then lays out only the lines on
/// screen, however long the policy.
pub fn window(text: &str, tokens: &[Token], marks: &[Mark], first: usize, count: usize, line_px: usize) -> Window {
    let total = line_count(text);
    let first = first.min(total.saturating_sub(1));
    let last = first.saturating_add(count).min(total);
    let widest = text.split('\n').map(|l| l.chars().count()).max().unwrap_or(0);
    let style = format!("padding-top:{}px;padding-bottom:{}px;min-width:{}ch", first * line_px, (total - last) * line_px, widest);
    let mut lines = Vec::with_capacity(last - first);
    let mut a = line_start(text, first + 1);
    for _ in first..last {
        let b = text.get(a..).and_then(|rest| rest.find('\n')).map_or(text.len(), |i| a + i);
        // The tokens of this line only (they are in text order).
        let lo = tokens.partition_point(|t| t.end <= a);
        let hi = tokens.partition_point(|t| t.start < b).max(lo);
        lines.push(render(text, tokens.get(lo..hi).unwrap_or_default(), marks, a, b, false));
        a = b + 1;
    }
    Window { style, lines }
}

fn render(text: &str, tokens: &[Token], marks: &[Mark], start: usize, end: usize, outside: bool) -> String {
    let start = snap(text, start);
    let end = snap(text, end).max(start);
    // Clamped to the text; a range that lay wholly outside it is dropped
    // (only a mark that was a point stays one).
    let marks: Vec<Mark> = marks
        .iter()
        .filter_map(|m| {
            let s = snap(text, m.start);
            let e = snap(text, m.end).max(s);
            (s < e || m.start >= m.end).then(|| Mark { start: s, end: e, ..m.clone() })
        })
        .collect();
    let mut cuts: Vec<usize> = Vec::with_capacity(tokens.len() * 2 + marks.len() * 2 + 2);
    cuts.push(start);
    cuts.push(end);
    let inside = |i: usize| (start..=end).contains(&i);
    for t in tokens.iter().filter(|t| t.end > start && t.start < end) {
        cuts.push(snap(text, t.start).clamp(start, end));
        cuts.push(snap(text, t.end).clamp(start, end));
    }
    for m in &marks {
        cuts.extend([m.start, m.end].into_iter().filter(|&c| inside(c)));
    }
    cuts.sort_unstable();
    cuts.dedup();

    let mut out = String::with_capacity(if outside { text.len() } else { 0 } + 2 * (end - start) + 64);
    if outside {
        escape(&mut out, text.get(..start).unwrap_or_default());
    }
    let mut tok = tokens.iter().peekable();
    let mut active: Vec<&Mark> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = match w {
            [a, b] => (*a, *b),
            _ => continue,
        };
        // Point marks that sit here.
        for m in marks.iter().filter(|m| m.start == a && m.end == a) {
            push_point(&mut out, m);
        }
        while tok.peek().is_some_and(|t| t.end <= a) {
            tok.next();
        }
        let token_class = tok.peek().filter(|t| t.start <= a && a < t.end).map(|t| t.kind.class());
        active.clear();
        active.extend(marks.iter().filter(|m| m.start <= a && a < m.end));
        let segment = text.get(a..b).unwrap_or_default();
        if token_class.is_none() && active.is_empty() {
            escape(&mut out, segment);
            continue;
        }
        out.push_str("<span class=\"");
        let mut first = true;
        for c in token_class.into_iter().chain(active.iter().map(|m| m.class)) {
            if !first {
                out.push(' ');
            }
            out.push_str(c);
            first = false;
        }
        out.push('"');
        if active.iter().any(|m| m.title.is_some()) {
            let titles: Vec<&str> = active.iter().filter_map(|m| m.title.as_deref()).collect();
            push_title(&mut out, Some(&titles.join("\n")));
        }
        out.push('>');
        escape(&mut out, segment);
        out.push_str("</span>");
    }
    for m in marks.iter().filter(|m| m.start == end && m.end == end) {
        push_point(&mut out, m);
    }
    if outside {
        escape(&mut out, text.get(end..).unwrap_or_default());
    }
    // A final newline needs something after it to take up its line, as it
    // does in the textarea.
    if (outside || end == text.len()) && (text.ends_with('\n') || text.is_empty()) {
        out.push(' ');
    }
    out
}

fn push_point(out: &mut String, m: &Mark) {
    out.push_str("<span class=\"m-point ");
    out.push_str(m.class);
    out.push('"');
    push_title(out, m.title.as_deref());
    out.push_str("></span>");
}

fn push_title(out: &mut String, title: Option<&str>) {
    if let Some(t) = title {
        out.push_str(" title=\"");
        escape(out, t);
        out.push('"');
    }
}

/// One line of the gutter that needs a mark: an error (with its message)
/// or a highlighted statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineMark {
    pub line: usize,
    pub class: &'static str,
    pub title: Option<String>,
}

/// The line-number gutter: one number per line, marked lines as spans.
pub fn gutter_html(lines: usize, marks: &[LineMark]) -> String {
    let mut out = String::with_capacity(lines * 5);
    for n in 1..=lines.max(1) {
        let here: Vec<&LineMark> = marks.iter().filter(|m| m.line == n).collect();
        if here.is_empty() {
            out.push_str(&n.to_string());
        } else {
            out.push_str("<span class=\"");
            let classes: Vec<&str> = here.iter().map(|m| m.class).collect();
            out.push_str(&classes.join(" "));
            out.push('"');
            let titles: Vec<&str> = here.iter().filter_map(|m| m.title.as_deref()).collect();
            if !titles.is_empty() {
                push_title(&mut out, Some(&titles.join("\n")));
            }
            out.push('>');
            out.push_str(&n.to_string());
            out.push_str("</span>");
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::tokens::tokenize;

    fn strip_tags(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    }

    #[test]
    fn html_keeps_the_text_and_colours_tokens() {
        let text = "{\"a\": [1, true, \"<b>\"]}\n";
        let html = to_html(text, &tokenize(text), &[]);
        assert_eq!(strip_tags(&html), format!("{text} "));
        assert!(html.contains("<span class=\"t-k\">&quot;a&quot;</span>"));
        assert!(html.contains("<span class=\"t-s\">&quot;&lt;b&gt;&quot;</span>"));
        assert!(html.contains("<span class=\"t-l\">true</span>"));
    }

    #[test]
    fn marks_add_classes_and_titles_and_are_clamped() {
        let text = "{\"é\": 1}";
        let marks = [
            Mark::new(1, 6, "m-focus"),
            Mark::new(2, 3, "m-error").titled("bad \"key\""),
            Mark::new(100, 200, "m-decisive"),
            Mark::new(9, 9, "m-error").titled("at end"),
        ];
        let html = to_html(text, &tokenize(text), &marks);
        assert_eq!(strip_tags(&html), text);
        assert!(html.contains("class=\"t-k m-focus m-error\" title=\"bad &quot;key&quot;\""), "{html}");
        assert!(html.ends_with("<span class=\"m-point m-error\" title=\"at end\"></span>"), "{html}");
    }

    #[test]
    fn only_the_window_gets_spans() {
        let text = "[1,\n2,\n3]\n";
        let toks = tokenize(text);
        let html = to_html_range(text, &toks, &[Mark::new(0, 10, "m-focus")], 4, 7);
        assert_eq!(strip_tags(&html), format!("{text} "));
        assert!(html.starts_with("[1,\n<span class=\"t-n m-focus\">2</span>"), "{html}");
        assert!(html.ends_with("</span>3]\n "), "{html}");
        assert_eq!(to_html_range(text, &toks, &[], 0, text.len()), to_html(text, &toks, &[]));
        // Out-of-range windows are clamped.
        assert_eq!(strip_tags(&to_html_range(text, &toks, &[], 99, 200)), format!("{text} "));
    }

    #[test]
    fn a_window_keeps_the_height_and_width_of_the_whole_text() {
        let text = "{\n  \"a\": 1,\n  \"bb\": 2\n}\n";
        let toks = tokenize(text);
        let w = window(text, &toks, &[], 1, 2, 20).to_html();
        assert!(w.starts_with("<div class=\"ed-win\" style=\"padding-top:20px;padding-bottom:40px;min-width:9ch\"><div class=\"ed-ln\">"), "{w}");
        let lines = |w: &Window| w.lines.iter().map(|l| strip_tags(l)).collect::<Vec<_>>();
        assert_eq!(lines(&window(text, &toks, &[], 1, 2, 20)), ["  \"a\": 1,", "  \"bb\": 2"]);
        let all = window(text, &toks, &[], 0, 99, 20);
        assert_eq!(all.style, "padding-top:0px;padding-bottom:0px;min-width:9ch");
        // The empty line after the final line break takes up its line.
        assert_eq!(lines(&all), ["{", "  \"a\": 1,", "  \"bb\": 2", "}", " "]);
        assert_eq!(lines(&all).join("\n"), format!("{text} "));
        // Past the end: clamped to the last line.
        assert_eq!(lines(&window(text, &toks, &[], 50, 10, 20)), [" "]);
        assert_eq!(lines(&window("", &[], &[], 0, 10, 20)), [" "]);
    }

    #[test]
    fn window_lines_match_the_whole_rendering_marks_included() {
        // Marks across lines, a point at a line's end, wide characters.
        let text = "{\n  \"é\": [1,\n    2],\n\n  \"b\": \"ü\"\n}";
        let toks = tokenize(text);
        let marks = [Mark::new(4, 20, "m-decisive"), Mark::new(15, 15, "m-error"), Mark::new(2, 3, "m-focus").titled("t")];
        let w = window(text, &toks, &marks, 0, 99, 20);
        assert_eq!(w.lines.iter().map(|l| strip_tags(l)).collect::<Vec<_>>().join("\n"), text);
        assert!(w.lines.iter().all(|l| l.matches("<span").count() == l.matches("</span>").count()), "{w:?}");
        assert!(w.lines.concat().contains("m-point m-error"), "{w:?}");
        // A keystroke inside one line changes that line's HTML only.
        let typed = text.replacen("2]", "23]", 1);
        let w2 = window(&typed, &tokenize(&typed), &marks, 0, 99, 20);
        let changed = w2.changed_lines(&w).unwrap();
        assert_eq!(changed, [2]);
        // Another line count: drawn whole.
        assert_eq!(window(&format!("{text}\n"), &toks, &marks, 0, 99, 20).changed_lines(&w), None);
    }

    #[test]
    fn gutter_numbers_every_line_and_marks_some() {
        let g = gutter_html(3, &[LineMark { line: 2, class: "g-err", title: Some("oops".into()) }]);
        assert_eq!(g, "1\n<span class=\"g-err\" title=\"oops\">2</span>\n3\n");
    }
}
