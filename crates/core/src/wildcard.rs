//! Glob matching with `*` (any run, possibly empty) and `?` (exactly one
//! character), without backtracking blow-up: two cursors and the position of
//! the last `*` seen, so the worst case is O(n·m) and typical patterns are
//! linear (the technique of Cedar's `wildcard_match`).

/// One element of a compiled pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Char(char),
    /// `*`
    Any,
    /// `?`
    One,
}

/// A compiled pattern. Literal characters produced by `${*}` or by variable
/// substitution are `Char`, never wildcards.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pattern {
    tokens: Vec<Token>,
}

impl Pattern {
    /// `*` and `?` in `text` are wildcards.
    pub fn glob(text: &str) -> Self {
        let mut p = Self::default();
        p.push_glob(text);
        p
    }

    /// Every character of `text` is literal.
    pub fn literal(text: &str) -> Self {
        let mut p = Self::default();
        p.push_literal(text);
        p
    }

    pub fn push_glob(&mut self, text: &str) {
        for c in text.chars() {
            self.tokens.push(match c {
                '*' => {
                    // Consecutive stars are one star.
                    if self.tokens.last() == Some(&Token::Any) {
                        continue;
                    }
                    Token::Any
                }
                '?' => Token::One,
                c => Token::Char(c),
            });
        }
    }

    pub fn push_literal(&mut self, text: &str) {
        self.tokens.extend(text.chars().map(Token::Char));
    }

    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    pub fn has_wildcards(&self) -> bool {
        self.tokens.iter().any(|t| !matches!(t, Token::Char(_)))
    }

    /// Case-sensitive match of the whole text.
    pub fn matches(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        matches_tokens(&self.tokens, &chars, |a, b| a == b)
    }

    /// Match ignoring case (Unicode simple lowercase).
    pub fn matches_ignore_case(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        matches_tokens(&self.tokens, &chars, |a, b| a == b || a.to_lowercase().eq(b.to_lowercase()))
    }
}

/// The byte offset of the first `*` or `?`. Eight bytes at a time
/// (whether a word holds a byte equal to `*` or `?`, by the usual
/// has-zero-byte test), then byte by byte in the word that does.
fn first_wildcard(pattern: &str) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS != 0;
    let p = pattern.as_bytes();
    let mut start = 0;
    for chunk in p.chunks_exact(8) {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else { break };
        let w = u64::from_ne_bytes(bytes);
        if has_zero_byte(w ^ (ONES * u64::from(b'*'))) || has_zero_byte(w ^ (ONES * u64::from(b'?'))) {
            break;
        }
        start += 8;
    }
    let rest = p.get(start..)?;
    rest.iter().position(|&b| b == b'*' || b == b'?').map(|i| start + i)
}

/// Whether `pattern` holds `*` or `?`.
fn has_wildcard(pattern: &str) -> bool {
    first_wildcard(pattern).is_some()
}

/// Does glob `pattern` match `text` (case-sensitive)? Allocates nothing
/// unless the text is not ASCII and the pattern holds a `?`.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let Some(lead) = first_wildcard(pattern) else {
        return pattern == text;
    };
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    // The literal text before the first wildcard must start the text: most
    // patterns that do not match fail here, without the search.
    let (Some(pl), Some(tl)) = (p.get(..lead), t.get(..lead)) else {
        return false;
    };
    if pl != tl {
        return false;
    }
    let (p, t) = (p.get(lead..).unwrap_or_default(), t.get(lead..).unwrap_or_default());
    // On bytes, `?` would match one byte rather than one character; `*`
    // and literal UTF-8 text match on bytes as on characters (a literal
    // starts and ends on character boundaries).
    if text.is_ascii() || !p.contains(&b'?') {
        return match_bytes(p, t, |a, b| a == b);
    }
    Pattern::glob(pattern).matches(text)
}

/// Does glob `pattern` match `text`, ignoring case? Allocates nothing when
/// both are ASCII.
pub fn glob_match_ignore_case(pattern: &str, text: &str) -> bool {
    // Most ARN parts are written exactly as requested (`arn`, `aws`, `s3`).
    if pattern == text {
        return true;
    }
    if !has_wildcard(pattern) && pattern.is_ascii() {
        return pattern.eq_ignore_ascii_case(text);
    }
    if pattern.is_ascii() && text.is_ascii() {
        return match_bytes(pattern.as_bytes(), text.as_bytes(), |a, b| a.eq_ignore_ascii_case(&b));
    }
    Pattern::glob(pattern).matches_ignore_case(text)
}

/// The same two-cursor algorithm as [`matches_tokens`], on ASCII bytes
/// where `*` and `?` are the wildcards.
fn match_bytes(p: &[u8], t: &[u8], eq: impl Fn(u8, u8) -> bool) -> bool {
    // After a `*` followed by a literal byte, the text can only resume at an
    // occurrence of that byte: jump there, and past it, instead of trying
    // every position. Gives the text position the star at `sp` now
    // swallows up to, and the two cursors.
    let resume = |sp: usize, from: usize| -> Option<(usize, usize, usize)> {
        match p.get(sp) {
            Some(&c) if c != b'?' && c != b'*' => {
                let at = from + t.get(from..)?.iter().position(|&x| eq(c, x))?;
                Some((at, sp + 1, at + 1))
            }
            _ => Some((from, sp, from)),
        }
    };
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match (p.get(pi), t.get(ti)) {
            (Some(b'*'), _) => {
                while p.get(pi) == Some(&b'*') {
                    pi += 1;
                }
                if pi == p.len() {
                    return true;
                }
                let Some((st, npi, nti)) = resume(pi, ti) else { return false };
                star = Some((pi, st));
                (pi, ti) = (npi, nti);
            }
            (Some(b'?'), Some(_)) => {
                pi += 1;
                ti += 1;
            }
            (Some(pc), Some(c)) if eq(*pc, *c) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    let Some((st, npi, nti)) = resume(sp, st + 1) else { return false };
                    star = Some((sp, st));
                    (pi, ti) = (npi, nti);
                }
                None => return false,
            },
        }
    }
    p.iter().skip(pi).all(|b| *b == b'*')
}

fn matches_tokens(p: &[Token], t: &[char], eq: impl Fn(char, char) -> bool) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    // Position after the last `*` in the pattern and the text position it
    // is currently assumed to have swallowed up to.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        let tc = t.get(ti).copied();
        match (p.get(pi), tc) {
            (Some(Token::Any), _) => {
                star = Some((pi + 1, ti));
                pi += 1;
            }
            (Some(Token::One), Some(_)) => {
                pi += 1;
                ti += 1;
            }
            (Some(Token::Char(pc)), Some(c)) if eq(*pc, c) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    // Let the last star swallow one more character.
                    pi = sp;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.iter().skip(pi).all(|tok| *tok == Token::Any)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn documented_examples() {
        assert!(glob_match("bucket/*/test/*", "bucket/1/2/test/3/x"));
        assert!(glob_match("bucket/*/test/*", "bucket//test/x"));
        assert!(!glob_match("bucket/*/test/*", "bucket/test/x"));
        assert!(glob_match("b*", "b"));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("a?c", "ac"));
        assert!(glob_match_ignore_case("s3:get*", "s3:GetObject"));
        assert!(!glob_match("Key", "key"));
    }

    #[test]
    fn literal_patterns_do_not_expand() {
        let mut p = Pattern::glob("a");
        p.push_literal("*");
        assert!(p.matches("a*"));
        assert!(!p.matches("ab"));
    }

    #[test]
    fn adversarial_input_finishes() {
        let pat = format!("{}b", "*a".repeat(200));
        let text = "a".repeat(5000);
        assert!(!glob_match(&pat, &text));
    }

    fn to_regex(p: &str) -> regex::Regex {
        let mut r = String::from("^");
        for c in p.chars() {
            match c {
                '*' => r.push_str(".*"),
                '?' => r.push('.'),
                c => r.push_str(&regex::escape(&c.to_string())),
            }
        }
        r.push('$');
        regex::RegexBuilder::new(&r).dot_matches_new_line(true).build().unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn first_wildcard_agrees_with_a_byte_scan(p in "[ab*?é+>:]{0,40}") {
            prop_assert_eq!(first_wildcard(&p), p.bytes().position(|b| b == b'*' || b == b'?'));
        }

        #[test]
        fn long_patterns_agree_with_regex(p in "[ab]{0,20}[ab*?]{0,20}", t in "[ab]{0,40}") {
            prop_assert_eq!(glob_match(&p, &t), to_regex(&p).is_match(&t));
        }

        #[test]
        fn agrees_with_regex(p in "[ab*?/:]{0,12}", t in "[ab/:]{0,16}") {
            prop_assert_eq!(glob_match(&p, &t), to_regex(&p).is_match(&t));
        }

        #[test]
        fn pattern_and_str_matchers_agree(p in "[aB*?/:]{0,12}", t in "[abAB/:]{0,16}") {
            prop_assert_eq!(glob_match(&p, &t), Pattern::glob(&p).matches(&t));
            prop_assert_eq!(glob_match_ignore_case(&p, &t), Pattern::glob(&p).matches_ignore_case(&t));
        }

        #[test]
        fn agrees_with_regex_unicode(p in "[aé*?]{0,8}", t in "[aé]{0,10}") {
            prop_assert_eq!(glob_match(&p, &t), to_regex(&p).is_match(&t));
        }
    }
}
