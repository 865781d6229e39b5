//! Epoch seconds ↔ ISO-8601 (UTC), without a clock: "now" always comes from
//! the caller, since `SystemTime::now()` panics on wasm32-unknown-unknown.
//!
//! Every time Trustwalk works with lies between [`MIN_EPOCH`]
//! (1970-01-01T00:00:00Z) and [`MAX_EPOCH`] (9999-12-31T23:59:59Z): enough
//! for IAM, printable as four-digit years and readable back, and far from
//! any overflow when two such times are subtracted or a session duration is
//! added. Values outside it are refused with a message, never clamped.

/// The earliest time accepted: 1970-01-01T00:00:00Z.
pub const MIN_EPOCH: i64 = 0;
/// The latest time accepted: 9999-12-31T23:59:59Z.
pub const MAX_EPOCH: i64 = 253_402_300_799;

/// The accepted range, in words (for messages and documentation).
pub const RANGE_TEXT: &str = "1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z (epoch seconds 0 to 253402300799)";

/// `2026-11-23T05:04:39Z`.
pub fn format_iso8601(epoch: i64) -> String {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, (secs % 3600) / 60, secs % 60)
}

/// Epoch seconds of an ISO-8601 date or epoch-seconds text (the forms the
/// Date condition operators accept), whatever its range.
pub fn parse_epoch(text: &str) -> Option<i64> {
    crate::values::parse_date(text).map(|i| i.epoch_seconds())
}

/// Checks that `secs` (seconds since 1970) lies in the accepted range.
///
/// ```
/// use trustwalk_core::time::check_epoch;
/// assert_eq!(check_epoch(1_768_478_400), Ok(1_768_478_400));
/// assert!(check_epoch(253_402_300_800).unwrap_err().contains("9999-12-31T23:59:59Z"));
/// ```
pub fn check_epoch(secs: i64) -> Result<i64, String> {
    if (MIN_EPOCH..=MAX_EPOCH).contains(&secs) {
        Ok(secs)
    } else {
        Err(format!("{secs} is outside the times Trustwalk handles: {RANGE_TEXT}"))
    }
}

/// Checks a "now" given as a floating-point number of seconds (as
/// JavaScript's `Date.now() / 1000` gives it): a fraction of a second is
/// dropped (rounded down); NaN, infinities and values outside the accepted
/// range are refused.
///
/// ```
/// use trustwalk_core::time::check_epoch_f64;
/// assert_eq!(check_epoch_f64(1_768_478_400.75), Ok(1_768_478_400));
/// assert!(check_epoch_f64(f64::NAN).is_err());
/// assert!(check_epoch_f64(-0.5).is_err());
/// ```
pub fn check_epoch_f64(secs: f64) -> Result<i64, String> {
    if !secs.is_finite() {
        return Err(format!("{secs} is not a number of seconds: expected a finite number from 0 to {MAX_EPOCH}"));
    }
    let whole = secs.floor();
    // Both bounds are exact in f64 (below 2^53), so the comparison is exact
    // and the conversion below cannot saturate.
    if whole < MIN_EPOCH as f64 || whole > MAX_EPOCH as f64 {
        return Err(format!("{secs} is outside the times Trustwalk handles: {RANGE_TEXT}"));
    }
    Ok(whole as i64)
}

/// Reads a time pinned in a document (`aws:CurrentTime`, `aws:EpochTime`,
/// `aws:TokenIssueTime`): an ISO-8601 time such as `2026-01-15T12:00:00Z`
/// (any form the Date operators accept) or whole epoch seconds, within the
/// accepted range. The message says what is wrong in plain words.
///
/// ```
/// use trustwalk_core::time::parse_time;
/// assert_eq!(parse_time("2026-01-15T12:00:00Z"), Ok(1_768_478_400));
/// assert_eq!(parse_time("1768478400"), Ok(1_768_478_400));
/// assert!(parse_time("soon").is_err());
/// assert!(parse_time("2016-12-31T23:59:60Z").unwrap_err().contains("leap second"));
/// ```
pub fn parse_time(text: &str) -> Result<i64, String> {
    match parse_epoch(text) {
        Some(secs) => check_epoch(secs).map_err(|_| format!("`{text}` is outside the times Trustwalk handles: {RANGE_TEXT}")),
        None => {
            let unsigned = text.strip_prefix('-').unwrap_or(text);
            if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
                // Whole seconds too large for 64 bits.
                return Err(format!("`{text}` is outside the times Trustwalk handles: {RANGE_TEXT}"));
            }
            let hint = if is_leap_second(text) {
                " (IAM times have no leap seconds: write `…T23:59:59Z` or the next day's `…T00:00:00Z`)"
            } else if looks_like_a_year_past_9999(text) {
                " (years have four digits: the last time accepted is 9999-12-31T23:59:59Z)"
            } else if unsigned.contains(['.', 'e', 'E']) && unsigned.bytes().all(|b| b.is_ascii_digit() || b".eE+-".contains(&b)) {
                " (epoch seconds are whole numbers)"
            } else {
                ""
            };
            Err(format!(
                "`{text}` is not a time: expected an ISO-8601 time such as `2026-01-15T12:00:00Z`, or whole seconds since 1970 such as `1768478400`{hint}"
            ))
        }
    }
}

/// `…T23:59:60…`: a leap second, which ISO-8601 allows and IAM does not.
fn is_leap_second(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 19 && b.get(10).is_some_and(|c| c.eq_ignore_ascii_case(&b'T')) && b.get(16) == Some(&b':') && b.get(17..19) == Some(b"60")
}

/// `99999-01-01…`: more than four digits before the first `-`.
fn looks_like_a_year_past_9999(text: &str) -> bool {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    digits > 4 && text.as_bytes().get(digits) == Some(&b'-')
}

/// Howard Hinnant's `civil_from_days`.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    (y, u32::try_from(m).unwrap_or(1), u32::try_from(d).unwrap_or(1))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_back() {
        assert_eq!(format_iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_iso8601(1_795_410_279), "2026-11-23T05:04:39Z");
        assert_eq!(parse_epoch("2026-11-23T05:04:39Z"), Some(1_795_410_279));
        assert_eq!(format_iso8601(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn every_time_in_the_range_formats_as_a_time_that_reads_back() {
        for t in [MIN_EPOCH, 1, 86_399, 951_782_400, 4_102_444_800, MAX_EPOCH - 1, MAX_EPOCH] {
            let text = format_iso8601(t);
            assert_eq!(parse_time(&text), Ok(t), "{text}");
        }
        assert_eq!(format_iso8601(MAX_EPOCH), "9999-12-31T23:59:59Z");
        // One past the end formats as a year-10000 time that cannot be read back.
        assert_eq!(format_iso8601(MAX_EPOCH + 1), "10000-01-01T00:00:00Z");
        assert!(parse_epoch(&format_iso8601(MAX_EPOCH + 1)).is_none());
    }

    #[test]
    fn the_range_is_checked_for_integers_and_floats() {
        assert_eq!(check_epoch(0), Ok(0));
        assert_eq!(check_epoch(MAX_EPOCH), Ok(MAX_EPOCH));
        for bad in [-1, MAX_EPOCH + 1, i64::MIN, i64::MAX] {
            let e = check_epoch(bad).unwrap_err();
            assert!(e.contains("outside the times Trustwalk handles") && e.contains("1970-01-01T00:00:00Z"), "{e}");
        }
        assert_eq!(check_epoch_f64(0.0), Ok(0));
        assert_eq!(check_epoch_f64(1_768_478_400.999), Ok(1_768_478_400));
        assert_eq!(check_epoch_f64(MAX_EPOCH as f64 + 0.5), Ok(MAX_EPOCH));
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.001, -1.0, MAX_EPOCH as f64 + 1.0, 1.7e308, -1.7e308] {
            assert!(check_epoch_f64(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn pinned_times_must_be_readable_and_in_range() {
        assert_eq!(parse_time("2026-01-15T12:00:00Z"), Ok(1_768_478_400));
        assert_eq!(parse_time("2026-01-15T13:00:00+01:00"), Ok(1_768_478_400));
        assert_eq!(parse_time("2026-01-15"), Ok(1_768_435_200));
        assert_eq!(parse_time("0"), Ok(0));
        let cases = [
            ("soon", "is not a time"),
            ("", "is not a time"),
            ("99999-01-01T00:00:00Z", "years have four digits"),
            ("10000-01-01T00:00:00Z", "years have four digits"),
            ("2016-12-31T23:59:60Z", "leap second"),
            ("1768478400.5", "whole numbers"),
            ("1.7684784e9", "whole numbers"),
            ("-1", "outside"),
            ("1969-12-31T23:59:59Z", "outside"),
            ("1970-01-01T00:30:00+01:00", "outside"),
            ("253402300800", "outside"),
            ("99999999999999999999", "outside"),
            ("0000-01-01T00:00:00Z", "outside"),
        ];
        for (text, expected) in cases {
            let e = parse_time(text).unwrap_err();
            assert!(e.contains(expected), "{text}: {e}");
        }
    }
}
