//! The typed values that condition operators compare (docs/evaluation.md §3.2):
//! numbers, dates, booleans, base64 text, IP ranges and ARNs. Parsing never
//! allocates and never panics; `None` means "not a value of that type".

use std::cmp::Ordering;
use std::net::IpAddr;

// ---------------------------------------------------------------- numbers

/// A decimal number, compared exactly (no floating-point rounding):
/// `0.<digits> × 10^magnitude`, with a sign.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Decimal<'a> {
    negative: bool,
    /// The significant digits are `head` followed by `tail`, with no leading
    /// zero; both are empty for zero. Trailing zeros may remain.
    head: &'a str,
    tail: &'a str,
    magnitude: i64,
}

/// Parses an integer or decimal: `42`, `-3`, `+0.5`, `.5`, `5.`, `1e3`,
/// `2.5E-2`. No spaces, no hexadecimal.
pub(crate) fn parse_decimal(s: &str) -> Option<Decimal<'_>> {
    let (negative, rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (mantissa, exponent) = match rest.split_once(['e', 'E']) {
        Some((m, e)) => (m, parse_exponent(e)?),
        None => (rest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    let int = int.trim_start_matches('0');
    let (head, tail, magnitude) = if int.is_empty() {
        let significant = frac.trim_start_matches('0');
        let zeros = i64::try_from(frac.len().checked_sub(significant.len())?).ok()?;
        (significant, "", exponent.checked_sub(zeros)?)
    } else {
        (int, frac, exponent.checked_add(i64::try_from(int.len()).ok()?)?)
    };
    Some(Decimal { negative, head, tail, magnitude })
}

fn parse_exponent(e: &str) -> Option<i64> {
    let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
    if digits.is_empty() || !all_digits(digits) {
        return None;
    }
    // An i32 keeps the magnitude arithmetic far from overflow.
    e.parse::<i32>().ok().map(i64::from)
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

impl Decimal<'_> {
    fn is_zero(&self) -> bool {
        self.head.bytes().chain(self.tail.bytes()).all(|b| b == b'0')
    }

    fn signum(&self) -> i8 {
        match (self.is_zero(), self.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        }
    }

    /// Compares absolute values of two non-zero numbers.
    fn cmp_abs(&self, other: &Self) -> Ordering {
        match self.magnitude.cmp(&other.magnitude) {
            Ordering::Equal => {}
            o => return o,
        }
        let mut a = self.head.bytes().chain(self.tail.bytes());
        let mut b = other.head.bytes().chain(other.tail.bytes());
        loop {
            match (a.next(), b.next()) {
                (None, None) => return Ordering::Equal,
                (x, y) => match x.unwrap_or(b'0').cmp(&y.unwrap_or(b'0')) {
                    Ordering::Equal => {}
                    o => return o,
                },
            }
        }
    }

    pub(crate) fn compare(&self, other: &Self) -> Ordering {
        let (a, b) = (self.signum(), other.signum());
        match a.cmp(&b) {
            Ordering::Equal if a == 0 => Ordering::Equal,
            Ordering::Equal if a < 0 => other.cmp_abs(self),
            Ordering::Equal => self.cmp_abs(other),
            o => o,
        }
    }
}

// ------------------------------------------------------------------ dates

/// A point in time: seconds since 1970-01-01T00:00:00Z and nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Instant {
    secs: i64,
    nanos: u32,
}

impl Instant {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    pub(crate) fn epoch_seconds(self) -> i64 {
        self.secs
    }
}

/// Parses epoch seconds (`1700000000`, an integer, possibly negative) or a
/// W3C ISO-8601 form: `2020`‑style years alone are epoch seconds; otherwise
/// `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDThh:mm`, `…:ss`, `…:ss.s…`, each time
/// followed by `Z`, `+hh:mm`, `-hh:mm` (or `+hhmm`). A time without a zone
/// designator is taken as UTC. Fractions finer than nanoseconds are cut.
pub(crate) fn parse_date(s: &str) -> Option<Instant> {
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    if !unsigned.is_empty() && all_digits(unsigned) {
        return s.parse::<i64>().ok().map(|secs| Instant { secs, nanos: 0 });
    }
    let mut c = Cursor { rest: s.as_bytes() };
    let year = c.digits(4)?;
    let (mut month, mut day) = (1, 1);
    if c.eat(b'-') {
        month = c.digits(2)?;
        if c.eat(b'-') {
            day = c.digits(2)?;
        }
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut secs = days_from_civil(i64::from(year), month, day).checked_mul(86_400)?;
    let mut nanos = 0;
    if c.is_empty() {
        return Some(Instant { secs, nanos });
    }
    if !(c.eat(b'T') || c.eat(b't')) || day_missing(s) {
        return None;
    }
    let hour = c.digits(2)?;
    if !c.eat(b':') {
        return None;
    }
    let minute = c.digits(2)?;
    let mut second = 0;
    if c.eat(b':') {
        second = c.digits(2)?;
        if c.eat(b'.') {
            nanos = c.fraction_nanos()?;
        }
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    secs = secs.checked_add(i64::from(hour * 3600 + minute * 60 + second))?;
    let offset: i64 = if c.is_empty() || c.eat(b'Z') || c.eat(b'z') {
        0
    } else {
        let sign = if c.eat(b'+') {
            1
        } else if c.eat(b'-') {
            -1
        } else {
            return None;
        };
        let oh = c.digits(2)?;
        c.eat(b':');
        let om = c.digits(2)?;
        if oh > 23 || om > 59 {
            return None;
        }
        sign * i64::from(oh * 3600 + om * 60)
    };
    if !c.is_empty() {
        return None;
    }
    Some(Instant { secs: secs.checked_sub(offset)?, nanos })
}

/// `YYYY-MM` followed by a time is not a W3C form.
fn day_missing(s: &str) -> bool {
    s.as_bytes().get(7) != Some(&b'-')
}

struct Cursor<'a> {
    rest: &'a [u8],
}

impl Cursor<'_> {
    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    fn eat(&mut self, b: u8) -> bool {
        match self.rest.split_first() {
            Some((first, tail)) if *first == b => {
                self.rest = tail;
                true
            }
            _ => false,
        }
    }

    /// Exactly `n` (at most 4) ASCII digits.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let (head, tail) = self.rest.split_at_checked(n)?;
        if !head.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.rest = tail;
        Some(head.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')))
    }

    /// One or more digits of a fraction of a second, as nanoseconds.
    fn fraction_nanos(&mut self) -> Option<u32> {
        let len = self.rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let (digits, tail) = self.rest.split_at_checked(len)?;
        if digits.is_empty() {
            return None;
        }
        self.rest = tail;
        let mut nanos = 0u32;
        for i in 0..9 {
            let d = digits.get(i).map_or(0, |d| u32::from(d - b'0'));
            nanos = nanos * 10 + d;
        }
        Some(nanos)
    }
}

fn is_leap(year: u32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given proleptic Gregorian date (Howard
/// Hinnant's `days_from_civil`). `month` is 1..=12; years here are 0..=9999,
/// far from any overflow.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

// --------------------------------------------------------------- booleans

/// `true` or `false`, without regard to case (as iam-simulate does).
pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

// ----------------------------------------------------------------- base64

/// The base64 text without its `=` padding, if `s` is base64 (standard
/// alphabet; padding optional, but when present it must complete a group
/// of four).
pub(crate) fn base64_body(s: &str) -> Option<&str> {
    let body = s.trim_end_matches('=');
    let padding = s.len().checked_sub(body.len())?;
    let valid_chars = body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
    let valid_length = body.len() % 4 != 1 && (padding == 0 || (padding <= 2 && s.len() % 4 == 0));
    (valid_chars && valid_length).then_some(body)
}

// -------------------------------------------------------------------- IPs

/// An address range from a policy: `203.0.113.0/24`, `2001:db8::/32`, or a
/// bare address (a /32 or /128). Host bits set below the prefix are ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Network {
    V4 { bits: u32, mask: u32 },
    V6 { bits: u128, mask: u128 },
}

pub(crate) fn parse_network(s: &str) -> Option<Network> {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => {
            if p.is_empty() || p.len() > 3 || !all_digits(p) {
                return None;
            }
            (a, Some(p.parse::<u32>().ok()?))
        }
        None => (s, None),
    };
    match addr.parse::<IpAddr>().ok()? {
        IpAddr::V4(a) => {
            let prefix = prefix.unwrap_or(32);
            if prefix > 32 {
                return None;
            }
            let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
            Some(Network::V4 { bits: u32::from(a) & mask, mask })
        }
        IpAddr::V6(a) => {
            let prefix = prefix.unwrap_or(128);
            if prefix > 128 {
                return None;
            }
            let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
            Some(Network::V6 { bits: u128::from(a) & mask, mask })
        }
    }
}

/// A request's address: a bare IPv4 or IPv6 address (no prefix).
pub(crate) fn parse_ip(s: &str) -> Option<IpAddr> {
    s.parse().ok()
}

impl Network {
    /// An IPv4 address is never inside an IPv6 range, and the reverse.
    pub(crate) fn contains(&self, ip: IpAddr) -> bool {
        match (self, ip) {
            (Network::V4 { bits, mask }, IpAddr::V4(a)) => u32::from(a) & mask == *bits,
            (Network::V6 { bits, mask }, IpAddr::V6(a)) => u128::from(a) & mask == *bits,
            _ => false,
        }
    }
}

// ------------------------------------------------------------------- ARNs

/// Splits on the first five colons: partition… resource. `None` when there
/// are fewer than five.
pub(crate) fn arn_parts(s: &str) -> Option<[&str; 6]> {
    crate::arn::split(s)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn num_cmp(a: &str, b: &str) -> Ordering {
        parse_decimal(a).unwrap().compare(&parse_decimal(b).unwrap())
    }

    #[test]
    fn decimals_compare_exactly() {
        assert_eq!(num_cmp("1", "1.0"), Ordering::Equal);
        assert_eq!(num_cmp("0.1", "0.10000"), Ordering::Equal);
        assert_eq!(num_cmp("-0", "0.0"), Ordering::Equal);
        assert_eq!(num_cmp("10", "9.99"), Ordering::Greater);
        assert_eq!(num_cmp("-10", "-9.99"), Ordering::Less);
        assert_eq!(num_cmp("-1", "0"), Ordering::Less);
        assert_eq!(num_cmp("0.001", "0.01"), Ordering::Less);
        assert_eq!(num_cmp("1e3", "1000"), Ordering::Equal);
        assert_eq!(num_cmp("2.5E-2", "0.025"), Ordering::Equal);
        assert_eq!(num_cmp(".5", "0.5"), Ordering::Equal);
        assert_eq!(num_cmp("5.", "5"), Ordering::Equal);
        assert_eq!(num_cmp("+7", "007"), Ordering::Equal);
        // Beyond f64 precision.
        assert_eq!(num_cmp("9007199254740993", "9007199254740992"), Ordering::Greater);
        assert_eq!(num_cmp("0.30000000000000001", "0.3"), Ordering::Greater);
        for bad in ["", "-", ".", "abc", "1.2.3", "1e", "1e+", "0x10", " 1", "1 ", "1e99999999999", "--1", "١"] {
            assert!(parse_decimal(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn dates_parse_to_instants() {
        let d = |s: &str| parse_date(s).unwrap();
        assert_eq!(d("1970-01-01"), Instant { secs: 0, nanos: 0 });
        assert_eq!(d("1970-01-01T00:00:00Z"), d("0"));
        assert_eq!(d("2020-01-01"), d("1577836800"));
        assert_eq!(d("2020-01-01T00:00:00Z"), d("2020-01-01"));
        assert_eq!(d("2020-01-01T02:00:00+02:00"), d("2020-01-01"));
        assert_eq!(d("2019-12-31T22:00:00-02:00"), d("2020-01-01"));
        assert_eq!(d("2020-01-01T02:00:00+0200"), d("2020-01-01"));
        assert_eq!(d("2020-01-01T00:00Z"), d("2020-01-01"));
        assert_eq!(d("2020-01-01T00:00:00"), d("2020-01-01"));
        assert_eq!(d("2020-01"), d("2020-01-01"));
        assert_eq!(d("2020-01-01T00:00:00.5Z"), Instant { secs: 1_577_836_800, nanos: 500_000_000 });
        assert_eq!(d("2020-01-01T00:00:00.123456789123Z").nanos, 123_456_789);
        assert_eq!(d("2024-02-29"), d("1709164800"));
        assert_eq!(d("1969-12-31T23:59:59Z"), d("-1"));
        assert_eq!(d("2000-03-01"), d("951868800"));
        assert!(d("2020-01-01T00:00:01Z") > d("2020-01-01"));
        for bad in [
            "",
            "-",
            "abc",
            "2020-13-01",
            "2023-02-29",
            "2020-01-32",
            "2020-00-10",
            "2020-1-1",
            "20-01-01",
            "2020-01-01T",
            "2020-01-01T24:00:00Z",
            "2020-01-01T10:60Z",
            "2020-01-01T10:00:00.Z",
            "2020-01-01T10:00:00+25:00",
            "2020-01-01T10:00:00Zjunk",
            "2020-01T10:00Z",
            "2020-01-01 10:00:00Z",
            "99999999999999999999",
        ] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn days_from_civil_matches_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2000, 1, 1), 10_957);
        assert_eq!(days_from_civil(0, 3, 1), -719_468);
    }

    #[test]
    fn booleans_and_base64() {
        assert_eq!(parse_bool("TRUE"), Some(true));
        assert_eq!(parse_bool("False"), Some(false));
        assert_eq!(parse_bool("yes"), None);
        assert_eq!(base64_body("QQ=="), Some("QQ"));
        assert_eq!(base64_body("QQ"), Some("QQ"));
        assert_eq!(base64_body("aGVsbG8="), Some("aGVsbG8"));
        assert_eq!(base64_body(""), Some(""));
        assert_eq!(base64_body("Q"), None);
        assert_eq!(base64_body("QQ="), None);
        assert_eq!(base64_body("Q==="), None);
        assert_eq!(base64_body("a b="), None);
        assert_eq!(base64_body("a=bc"), None);
    }

    #[test]
    fn networks_hold_addresses_of_their_family() {
        let n = |s: &str| parse_network(s).unwrap();
        let ip = |s: &str| parse_ip(s).unwrap();
        assert!(n("203.0.113.0/24").contains(ip("203.0.113.7")));
        assert!(!n("203.0.113.0/24").contains(ip("203.0.114.7")));
        assert!(n("203.0.113.7").contains(ip("203.0.113.7")));
        assert!(!n("203.0.113.7").contains(ip("203.0.113.8")));
        assert!(n("203.0.113.9/24").contains(ip("203.0.113.200")));
        assert!(n("0.0.0.0/0").contains(ip("8.8.8.8")));
        assert!(!n("0.0.0.0/0").contains(ip("::1")));
        assert!(n("2001:db8::/32").contains(ip("2001:db8:1::5")));
        assert!(!n("2001:db8::/32").contains(ip("2001:db9::5")));
        assert!(!n("2001:db8::/32").contains(ip("203.0.113.7")));
        assert!(n("::/0").contains(ip("2001:db8::1")));
        assert!(n("2001:db8::1").contains(ip("2001:db8::1")));
        assert!(!n("::ffff:0:0/96").contains(ip("1.2.3.4")));
        for bad in ["", "1.2.3.4/33", "::/129", "1.2.3/24", "1.2.3.4/", "1.2.3.4/+8", "1.2.3.4/24/1", "x", "1.2.3.4 "] {
            assert!(parse_network(bad).is_none(), "{bad}");
        }
        assert!(parse_ip("1.2.3.0/24").is_none());
    }

    #[test]
    fn arns_split_on_the_first_five_colons() {
        assert_eq!(arn_parts("arn:aws:s3:::b/k:x"), Some(["arn", "aws", "s3", "", "", "b/k:x"]));
        assert_eq!(arn_parts("arn:aws:s3::"), None);
    }
}
