//! Durations as apps write them: bare numbers in a known unit, Go-style
//! (`1h30m`, `500ms`), Spring-style (`30m`, `2d`) and ISO 8601 (`PT30M`).

use std::fmt;

/// A unit a setting is read in.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Deserialize,
    serde::Serialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    Milliseconds,
    Seconds,
    Minutes,
    Hours,
    Days,
    /// A duration string with its own unit suffix (`5m`, `6h`, `PT30M`);
    /// a bare number is read as `bare`.
    Duration,
    /// A .NET `TimeSpan` as configuration binding parses it:
    /// `[d.]hh:mm[:ss[.fffffff]]`, and a bare number is days.
    Timespan,
}

impl Unit {
    pub fn millis(self) -> u128 {
        match self {
            Unit::Milliseconds => 1,
            Unit::Seconds | Unit::Duration => 1_000,
            Unit::Minutes => 60_000,
            Unit::Hours => 3_600_000,
            Unit::Days => 86_400_000,
            Unit::Timespan => 86_400_000,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Unit::Milliseconds => "milliseconds",
            Unit::Seconds => "seconds",
            Unit::Minutes => "minutes",
            Unit::Hours => "hours",
            Unit::Days => "days",
            Unit::Duration => "seconds unless a unit (30m, 8h) is written",
            Unit::Timespan => "a .NET TimeSpan (d.hh:mm:ss; a bare number is days)",
        }
    }

    /// Unit implied by a key name suffix such as `_MS`, `_SECONDS`, `_HOURS`.
    pub fn from_key_suffix(key: &str) -> Option<Unit> {
        let k = key.to_ascii_uppercase();
        let ends = |s: &[&str]| s.iter().any(|x| k.ends_with(x));
        if ends(&["_MS", "_MILLIS", "_MILLISECONDS", "MAXAGE_MS", "_IN_MS"]) {
            Some(Unit::Milliseconds)
        } else if ends(&["_SECONDS", "_SECS", "_SEC", "_S", "_IN_SECONDS"]) {
            Some(Unit::Seconds)
        } else if ends(&["_MINUTES", "_MINS", "_MIN", "_IN_MINUTES"]) {
            Some(Unit::Minutes)
        } else if ends(&["_HOURS", "_HRS", "_H", "_IN_HOURS"]) {
            Some(Unit::Hours)
        } else if ends(&["_DAYS", "_D", "_IN_DAYS"]) {
            Some(Unit::Days)
        } else {
            None
        }
    }
}

/// A length of time, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(pub u128);

impl Duration {
    pub fn from_secs(s: u128) -> Self {
        Duration(s.saturating_mul(1000))
    }

    pub fn millis(self) -> u128 {
        self.0
    }

    /// Parse a setting's value read in `unit`. Negative numbers and
    /// anything that is not a duration give `None`.
    pub fn parse_in(value: &str, unit: Unit) -> Option<Duration> {
        let v = value.trim();
        if let Some(n) = parse_number(v) {
            return Some(Duration((n * unit.millis() as f64) as u128));
        }
        if unit == Unit::Duration {
            return parse_duration_string(v);
        }
        if unit == Unit::Timespan {
            return parse_timespan(v);
        }
        None
    }

    /// Parse a threshold written in rule or config files (`8h`, `30m`, `90d`).
    pub fn parse_threshold(value: &str) -> Option<Duration> {
        parse_duration_string(value.trim())
    }
}

fn parse_number(v: &str) -> Option<f64> {
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    v.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// `1h30m`, `500ms`, `30m`, `7d`, `2w`, `1M`, `1y`, `PT30M`, `P1DT2H`.
fn parse_duration_string(v: &str) -> Option<Duration> {
    if v.is_empty() {
        return None;
    }
    if let Some(rest) = v.strip_prefix(['P', 'p']) {
        return parse_iso(rest);
    }
    let mut total: f64 = 0.0;
    let mut rest = v;
    let mut any = false;
    while !rest.is_empty() {
        let num_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        if num_len == 0 {
            return None;
        }
        let (num, tail) = rest.split_at(num_len);
        let n: f64 = num.parse().ok()?;
        let unit_len = tail.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
        let (unit, tail) = tail.split_at(unit_len);
        let ms: f64 = match unit {
            "ns" => 0.000_001,
            "us" | "µs" => 0.001,
            "ms" => 1.0,
            "s" | "S" | "sec" | "secs" => 1000.0,
            "m" | "min" | "mins" => 60_000.0,
            "h" | "H" | "hr" | "hrs" => 3_600_000.0,
            "d" | "D" => 86_400_000.0,
            "w" | "W" => 604_800_000.0,
            "M" => 2_592_000_000.0,
            "y" | "Y" => 31_536_000_000.0,
            _ => return None,
        };
        total += n * ms;
        any = true;
        rest = tail.trim_start();
    }
    any.then_some(Duration(total as u128))
}

/// `[d.]hh:mm[:ss[.fffffff]]`, as .NET's invariant `TimeSpan.Parse` reads
/// it (hours below 24, minutes and seconds below 60).
fn parse_timespan(v: &str) -> Option<Duration> {
    let (days, rest) = match v.split_once('.') {
        Some((d, r)) if !d.contains(':') => (d.parse::<u64>().ok()?, r),
        _ => (0, v),
    };
    let mut parts = rest.split(':');
    let h: u64 = parts.next()?.parse().ok()?;
    let m: u64 = parts.next()?.parse().ok()?;
    let s: f64 = match parts.next() {
        Some(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.') => {
            s.parse().ok()?
        }
        Some(_) => return None,
        None => 0.0,
    };
    if parts.next().is_some() || h >= 24 || m >= 60 || s >= 60.0 {
        return None;
    }
    let ms = ((days * 24 + h) * 60 + m) as f64 * 60_000.0 + s * 1000.0;
    Some(Duration(ms as u128))
}

fn parse_iso(v: &str) -> Option<Duration> {
    let mut total = 0f64;
    let mut in_time = false;
    let mut num = String::new();
    let mut any = false;
    for c in v.chars() {
        match c {
            'T' | 't' => in_time = true,
            '0'..='9' | '.' => num.push(c),
            _ => {
                let n: f64 = num.parse().ok()?;
                num.clear();
                let ms = match (c.to_ascii_uppercase(), in_time) {
                    ('D', false) => 86_400_000.0,
                    ('W', false) => 604_800_000.0,
                    ('H', true) => 3_600_000.0,
                    ('M', true) => 60_000.0,
                    ('S', true) => 1000.0,
                    _ => return None,
                };
                total += n * ms;
                any = true;
            }
        }
    }
    (any && num.is_empty()).then_some(Duration(total as u128))
}

/// A hundred years (of 365.25 days), in milliseconds: longer durations
/// are shown as "more than 100 years".
const CENTURY_MS: u128 = 100 * 36_525 * 86_400_000 / 100;

impl fmt::Display for Duration {
    /// Human form: the largest unit that shows the value in whole numbers
    /// or one decimal (`2 h`, `24 min`, `3.6 s`, `150 days`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0;
        // (a value that large is "never" in practice, and was computed in
        // floating point: its digits mean nothing)
        if ms > CENTURY_MS {
            return f.write_str("more than 100 years");
        }
        const UNITS: [(u128, &str, &str); 5] = [
            (86_400_000, "day", "days"),
            (3_600_000, "hour", "hours"),
            (60_000, "minute", "minutes"),
            (1000, "second", "seconds"),
            (1, "millisecond", "milliseconds"),
        ];
        for (size, one, many) in UNITS {
            if ms >= size {
                if ms.is_multiple_of(size) {
                    let n = ms / size;
                    return write!(f, "{n} {}", if n == 1 { one } else { many });
                }
                if size > 1 && ms.checked_mul(10).is_some_and(|t| t % size == 0) {
                    return write!(f, "{:.1} {many}", ms as f64 / size as f64);
                }
            }
        }
        if ms == 0 {
            return f.write_str("0 seconds");
        }
        write!(f, "{ms} milliseconds")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_apps_use() {
        assert_eq!(
            Duration::parse_in("2", Unit::Hours),
            Some(Duration(7_200_000))
        );
        assert_eq!(
            Duration::parse_in("3600", Unit::Milliseconds),
            Some(Duration(3600))
        );
        assert_eq!(
            Duration::parse_in("1h30m", Unit::Duration),
            Some(Duration(5_400_000))
        );
        assert_eq!(
            Duration::parse_in("PT30M", Unit::Duration),
            Some(Duration(1_800_000))
        );
        assert_eq!(
            Duration::parse_in("30", Unit::Duration),
            Some(Duration(30_000))
        );
        assert_eq!(Duration::parse_in("-1", Unit::Hours), None);
        assert_eq!(Duration::parse_in("abc", Unit::Hours), None);
        assert_eq!(Duration::parse_in("5x", Unit::Duration), None);
        assert_eq!(Duration::parse_threshold("8h"), Some(Duration(28_800_000)));
        assert_eq!(
            Duration::parse_in("00:20:00", Unit::Timespan),
            Some(Duration(1_200_000))
        );
        assert_eq!(
            Duration::parse_in("14.00:00:00", Unit::Timespan),
            Some(Duration(14 * 86_400_000))
        );
        assert_eq!(
            Duration::parse_in("14", Unit::Timespan),
            Some(Duration(14 * 86_400_000))
        );
        assert_eq!(
            Duration::parse_in("01:30", Unit::Timespan),
            Some(Duration(5_400_000))
        );
        assert_eq!(Duration::parse_in("25:00:00", Unit::Timespan), None);
        assert_eq!(Duration::parse_in("1h", Unit::Timespan), None);
    }

    #[test]
    fn displays_in_the_largest_whole_unit() {
        assert_eq!(Duration(7_200_000).to_string(), "2 hours");
        assert_eq!(Duration(1_440_000).to_string(), "24 minutes");
        assert_eq!(Duration(3600).to_string(), "3.6 seconds");
        assert_eq!(Duration(86_400_000 * 150).to_string(), "150 days");
        // found by fuzzing (ini): a huge value must not overflow
        assert_eq!(Duration(u128::MAX).to_string(), "more than 100 years");
        let huge = Duration::parse_in("999999999999999999h", Unit::Duration).map(|d| d.to_string());
        assert_eq!(huge.as_deref(), Some("more than 100 years"));
        assert_eq!(
            Duration::from_secs(100 * 365 * 86_400).to_string(),
            "36500 days"
        );
        assert!(!Duration(u128::MAX - 1).to_string().is_empty());
        assert_eq!(Duration::from_secs(u128::MAX), Duration(u128::MAX));
        assert_eq!(Duration(0).to_string(), "0 seconds");
    }

    #[test]
    fn key_suffixes_give_units() {
        assert_eq!(
            Unit::from_key_suffix("SESSION_MAX_AGE_MS"),
            Some(Unit::Milliseconds)
        );
        assert_eq!(
            Unit::from_key_suffix("jwt_duration_hours"),
            Some(Unit::Hours)
        );
        assert_eq!(Unit::from_key_suffix("SESSION_TIMEOUT"), None);
    }
}
