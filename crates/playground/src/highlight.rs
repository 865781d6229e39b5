//! The HTML behind a policy editor's transparent textarea: the text split
//! into coloured tokens, with marks layered on top (the deciding
//! statements, the statement clicked in the explanation, the bracket pair
//! at the caret, errors), plus the line-number gutter. Built as one string
//! so that the browser parses it in one go, even for a large policy.

use crate::tokens::Token;

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
    // Clamped to the text; a range that lay wholly outside it is dropped
    // (only a mark that was a point stays one).
    let marks: Vec<Mark> = marks
        .iter()
        .filter_map(|m| {
            let start = snap(text, m.start);
            let end = snap(text, m.end).max(start);
            (start < end || m.start >= m.end).then(|| Mark { start, end, ..m.clone() })
        })
        .collect();
    let mut cuts: Vec<usize> = Vec::with_capacity(tokens.len() * 2 + marks.len() * 2 + 2);
    cuts.push(0);
    cuts.push(text.len());
    for t in tokens {
        cuts.push(snap(text, t.start));
        cuts.push(snap(text, t.end));
    }
    for m in &marks {
        cuts.push(m.start);
        cuts.push(m.end);
    }
    cuts.sort_unstable();
    cuts.dedup();

    let mut out = String::with_capacity(text.len() * 2 + 64);
    let mut tok = tokens.iter().peekable();
    for w in cuts.windows(2) {
        let (a, b) = match w {
            [a, b] => (*a, *b),
            _ => continue,
        };
        // Point marks that sit here.
        for m in marks.iter().filter(|m| m.start == a && m.end == a) {
            out.push_str("<span class=\"m-point ");
            out.push_str(m.class);
            out.push('"');
            push_title(&mut out, m.title.as_deref());
            out.push_str("></span>");
        }
        while tok.peek().is_some_and(|t| t.end <= a) {
            tok.next();
        }
        let token_class = tok.peek().filter(|t| t.start <= a && a < t.end).map(|t| t.kind.class());
        let active: Vec<&Mark> = marks.iter().filter(|m| m.start <= a && a < m.end).collect();
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
        let titles: Vec<&str> = active.iter().filter_map(|m| m.title.as_deref()).collect();
        if !titles.is_empty() {
            push_title(&mut out, Some(&titles.join("\n")));
        }
        out.push('>');
        escape(&mut out, segment);
        out.push_str("</span>");
    }
    for m in marks.iter().filter(|m| m.start == text.len() && m.end == text.len()) {
        out.push_str("<span class=\"m-point ");
        out.push_str(m.class);
        out.push('"');
        push_title(&mut out, m.title.as_deref());
        out.push_str("></span>");
    }
    // A final newline needs something after it to take up its line, as it
    // does in the textarea.
    if text.ends_with('\n') || text.is_empty() {
        out.push(' ');
    }
    out
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
    fn gutter_numbers_every_line_and_marks_some() {
        let g = gutter_html(3, &[LineMark { line: 2, class: "g-err", title: Some("oops".into()) }]);
        assert_eq!(g, "1\n<span class=\"g-err\" title=\"oops\">2</span>\n3\n");
    }
}
