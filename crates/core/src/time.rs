//! Epoch seconds ↔ ISO-8601 (UTC), without a clock: "now" always comes from
//! the caller, since `SystemTime::now()` panics on wasm32-unknown-unknown.

/// `2026-11-23T05:04:39Z`.
pub fn format_iso8601(epoch: i64) -> String {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, (secs % 3600) / 60, secs % 60)
}

/// Epoch seconds of an ISO-8601 date or epoch-seconds text (the forms the
/// Date condition operators accept).
pub fn parse_epoch(text: &str) -> Option<i64> {
    crate::condition::epoch_seconds(text)
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
}
