//! Calendar dates and reporting periods: years, UK financial years, quarters, months and days.
//!
//! elmo needs only whole days in the proleptic Gregorian calendar, so it counts them itself
//! rather than pulling in a date library.

use std::fmt;

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year, e.g. 2024.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, 1 to 31.
    pub day: u8,
}

impl Date {
    /// The date, when it exists in the calendar.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let ok = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        ok.then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days((secs / 86_400) as i64)
    }

    /// Reads `2024-03-31` (ISO) or `31/03/2024` (the UK's day-first order).
    pub fn parse(text: &str) -> Option<Date> {
        let t = text.trim();
        // A timestamp's time of day does not change its reporting period.
        let t = t.split(['T', ' ']).next().unwrap_or(t);
        let num = |s: &str, len: std::ops::RangeInclusive<usize>| {
            (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<i32>().ok())
                .flatten()
        };
        let parts: Vec<&str> = t.split(['-', '/']).collect();
        let [a, b, c] = parts.as_slice() else {
            return None;
        };
        if t.contains('-') && !t.contains('/') {
            Date::new(num(a, 4..=4)?, num(b, 1..=2)? as u8, num(c, 1..=2)? as u8)
        } else if t.contains('/') && !t.contains('-') {
            Date::new(num(c, 4..=4)?, num(b, 1..=2)? as u8, num(a, 1..=2)? as u8)
        } else {
            None
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A reporting period as written in a results file or a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// A calendar year: `2024`.
    Year(i32),
    /// A UK financial year, April to March, by the year it starts: `2023-24`.
    FinancialYear(i32),
    /// A calendar quarter: `2024-Q1` (January to March).
    Quarter(i32, u8),
    /// A month: `2024-03`.
    Month(i32, u8),
    /// A single day: `2024-03-31`.
    Day(Date),
}

/// How `compute:` groups records into periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PeriodBy {
    /// Calendar years.
    Year,
    /// UK financial years, April to March.
    FinancialYear,
    /// Calendar quarters.
    Quarter,
    /// Months.
    Month,
}

impl PeriodBy {
    /// Every grouping, with the word a model uses for it.
    pub const ALL: [(&'static str, PeriodBy); 4] = [
        ("year", PeriodBy::Year),
        ("financial-year", PeriodBy::FinancialYear),
        ("quarter", PeriodBy::Quarter),
        ("month", PeriodBy::Month),
    ];
}

impl Period {
    /// Reads a period, or says what forms are accepted.
    ///
    /// `YYYY-NN` is a month when `NN` is 01 to 12, otherwise a financial year whose `NN` must
    /// be the next year's last two digits. The years 2000 to 2011 fit both; there it is a
    /// month, and `2011/12` or `FY2011-12` writes the financial year.
    pub fn parse(text: &str) -> Option<Period> {
        let t = text.trim();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let fy = |a: &str, b: &str| -> Option<Period> {
            if !digits(a, 4) || !digits(b, 2) {
                return None;
            }
            let y: i32 = a.parse().ok()?;
            let next: i32 = b.parse().ok()?;
            ((y + 1) % 100 == next).then_some(Period::FinancialYear(y))
        };
        if let Some(rest) = t.strip_prefix("FY").or_else(|| t.strip_prefix("fy")) {
            let (a, b) = rest.trim().split_once(['-', '/'])?;
            return fy(a, b);
        }
        if digits(t, 4) {
            return t.parse().ok().map(Period::Year);
        }
        if let Some((a, b)) = t.split_once('/')
            && !b.contains('/')
        {
            return fy(a, b);
        }
        let parts: Vec<&str> = t.split('-').collect();
        match parts.as_slice() {
            [a, q] if digits(a, 4) && (q.starts_with('Q') || q.starts_with('q')) => {
                let n: u8 = q[1..].parse().ok()?;
                let y: i32 = a.parse().ok()?;
                ((1..=4).contains(&n) && q.len() == 2).then_some(Period::Quarter(y, n))
            }
            [a, b] if digits(a, 4) && digits(b, 2) => {
                let m: u8 = b.parse().ok()?;
                if (1..=12).contains(&m) {
                    Some(Period::Month(a.parse().ok()?, m))
                } else {
                    fy(a, b)
                }
            }
            [_, _, _] => Date::parse(t).filter(|_| !t.contains('/')).map(Period::Day),
            _ => None,
        }
    }

    /// The period of `by` that holds `date`.
    pub fn of(date: Date, by: PeriodBy) -> Period {
        match by {
            PeriodBy::Year => Period::Year(date.year),
            PeriodBy::FinancialYear if date.month >= 4 => Period::FinancialYear(date.year),
            PeriodBy::FinancialYear => Period::FinancialYear(date.year - 1),
            PeriodBy::Quarter => Period::Quarter(date.year, (date.month - 1) / 3 + 1),
            PeriodBy::Month => Period::Month(date.year, date.month),
        }
    }

    /// The first day of the period.
    pub fn start(self) -> Date {
        let d = |y, m, d| Date {
            year: y,
            month: m,
            day: d,
        };
        match self {
            Period::Year(y) => d(y, 1, 1),
            Period::FinancialYear(y) => d(y, 4, 1),
            Period::Quarter(y, q) => d(y, (q - 1) * 3 + 1, 1),
            Period::Month(y, m) => d(y, m, 1),
            Period::Day(day) => day,
        }
    }

    /// The last day of the period.
    pub fn end(self) -> Date {
        let d = |y, m| Date {
            year: y,
            month: m,
            day: days_in_month(y, m),
        };
        match self {
            Period::Year(y) => d(y, 12),
            Period::FinancialYear(y) => d(y + 1, 3),
            Period::Quarter(y, q) => d(y, q * 3),
            Period::Month(y, m) => d(y, m),
            Period::Day(day) => day,
        }
    }

    /// The order periods are reported in: by the day they end, then the longer first.
    pub fn sort_key(self) -> (i64, i64) {
        (self.end().days(), self.start().days())
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Period {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Year(y) => write!(f, "{y}"),
            Period::FinancialYear(y) if (y + 1) % 100 <= 12 && (2000..=2099).contains(&y) => {
                // The plain form would read back as a month.
                write!(f, "{y}/{:02}", (y + 1) % 100)
            }
            Period::FinancialYear(y) => write!(f, "{y}-{:02}", (y + 1).rem_euclid(100)),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
            Period::Day(d) => write!(f, "{d}"),
        }
    }
}

impl serde::Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl schemars::JsonSchema for Period {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Period".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A reporting period: a year (`2024`), a UK financial year, April to March (`2023-24`), a quarter (`2024-Q1`), a month (`2024-03`) or a day (`2024-03-31`).",
            "type": ["string", "integer"],
            "pattern": "^(FY)?[0-9]{4}([-/](Q[1-4]|[0-9]{2})(-[0-9]{2})?)?$",
            "examples": ["2023-24"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_form_reads_back_as_itself() {
        for text in [
            "2024",
            "2023-24",
            "2024-Q1",
            "2024-03",
            "2024-03-31",
            "2011/12",
        ] {
            let p = Period::parse(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(p.to_string(), text);
        }
    }

    #[test]
    fn financial_years_run_april_to_march() {
        let p = Period::parse("2023-24").expect("fy");
        assert_eq!(p.start().to_string(), "2023-04-01");
        assert_eq!(p.end().to_string(), "2024-03-31");
        let d = Date::new(2024, 3, 31).expect("date");
        assert_eq!(Period::of(d, PeriodBy::FinancialYear), p);
        let d = Date::new(2024, 4, 1).expect("date");
        assert_eq!(
            Period::of(d, PeriodBy::FinancialYear).to_string(),
            "2024-25"
        );
    }

    #[test]
    fn unreadable_periods_are_refused() {
        for text in [
            "2024-13-01",
            "2023-25",
            "24",
            "2024-Q5",
            "2024-02-30",
            "",
            "soon",
        ] {
            assert_eq!(Period::parse(text), None, "{text}");
        }
    }

    #[test]
    fn days_round_trip_through_the_day_count() {
        for days in [-1_000_000, -1, 0, 1, 19_000, 2_000_000] {
            assert_eq!(Date::from_days(days).days(), days);
        }
        assert_eq!(
            Date::new(2024, 2, 29).map(|d| d.days() + 1),
            Date::new(2024, 3, 1).map(Date::days)
        );
    }

    #[test]
    fn uk_and_iso_dates_read_the_same() {
        assert_eq!(Date::parse("31/03/2024"), Date::parse("2024-03-31"));
        assert_eq!(Date::parse("2024-03-31T10:00:00"), Date::new(2024, 3, 31));
        assert_eq!(Date::parse("2024/03/31"), None);
    }
}
