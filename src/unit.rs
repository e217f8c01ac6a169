//! Reading a measure's free-text `unit` for what its numbers mean, and reading numbers as
//! people write them in a cell (`70%`, `1,200`, `£5,000`).
//!
//! Units are written by people (`percent of new starters`, `per 100,000 adults`), so this
//! looks for the words that matter rather than expecting a fixed vocabulary.

/// What a measure's unit says about its numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unit {
    /// A share of people, on a scale where `scale` means all of them: 100 for a percentage,
    /// 1 for a proportion.
    Proportion {
        /// The value that stands for everyone.
        scale: f64,
    },
    /// A count of events per `per` people, such as A&E attendances per 1,000: it can exceed
    /// `per`, since one person can be counted many times.
    CountRate {
        /// The population the count is given for.
        per: f64,
    },
    /// Some other ratio, or a relative change such as a percentage reduction: it still needs
    /// a numerator and a denominator, but its values are not shares of one group.
    Ratio,
    /// A count, score, amount or anything else.
    Other,
}

/// The words of a unit, lower-cased, split at anything but letters, digits, `%` and `,`.
fn words(lower: &str) -> Vec<&str> {
    lower
        .split(|c: char| !c.is_alphanumeric() && c != '%' && c != ',')
        .map(|w| w.trim_matches(','))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether a unit speaks of percentages (`percent`, `%`, `per cent`), percentage points
/// included.
fn mentions_percent(lower: &str) -> bool {
    let words = words(lower);
    lower.contains('%')
        || words
            .iter()
            .any(|w| ["percent", "percentage", "pct"].contains(w))
        || words.windows(2).any(|w| w == ["per", "cent"])
}

/// Whether a unit is an amount of money: a currency sign or name, or a cost, saving or budget.
fn mentions_money(lower: &str) -> bool {
    // A currency sign on a unit naming any of these is read as money; the list is generous
    // because a figure it misses is reported as an error.
    const MONEY: &[&str] = &[
        "pound",
        "pounds",
        "gbp",
        "usd",
        "eur",
        "euro",
        "euros",
        "dollar",
        "dollars",
        "pence",
        "cost",
        "costs",
        "spend",
        "spending",
        "expenditure",
        "saving",
        "savings",
        "budget",
        "income",
        "earnings",
        "wage",
        "wages",
        "salary",
        "salaries",
        "pay",
        "price",
        "prices",
        "money",
        "cash",
        "funding",
        "grant",
        "grants",
        "fee",
        "fees",
        "rent",
        "arrears",
        "debt",
        "debts",
        "payment",
        "payments",
        "benefit",
        "benefits",
        "revenue",
        "investment",
        "value",
        "sroi",
        "return",
        "returns",
    ];
    lower.contains(['£', '$', '€']) || words(lower).iter().any(|w| MONEY.contains(w))
}

/// Whether a unit is a score or rating, which may be given as a percentage of its maximum.
fn is_scale(lower: &str) -> bool {
    const SCALES: &[&str] = &[
        "score", "scores", "mark", "marks", "rating", "ratings", "index", "grade", "grades",
        "level", "levels",
    ];
    words(lower).iter().any(|w| SCALES.contains(w))
}

impl Unit {
    /// Classifies a unit as written in a model.
    pub fn parse(unit: &str) -> Unit {
        let lower = unit.to_lowercase();
        let words = words(&lower);
        let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
        // Percentage points and score points are differences or scores, not shares.
        if has(&["point", "points", "pts"]) {
            return Unit::Other;
        }
        let per_n = words
            .windows(2)
            .filter(|w| w[0] == "per")
            .find_map(|w| w[1].replace(',', "").parse::<f64>().ok())
            .filter(|n| n.is_finite() && *n >= 1.0);
        // A percentage change is relative to something else, so it is no share of a group.
        let change = has(&[
            "reduction",
            "change",
            "increase",
            "decrease",
            "difference",
            "gap",
            "growth",
            "fall",
            "rise",
        ]);
        if change && (mentions_percent(&lower) || per_n.is_some()) {
            return Unit::Ratio;
        }
        if mentions_percent(&lower) {
            Unit::Proportion { scale: 100.0 }
        } else if let Some(per) = per_n {
            Unit::CountRate { per }
        } else if has(&["proportion", "fraction"]) {
            Unit::Proportion { scale: 1.0 }
        } else if has(&["rate", "rates", "ratio", "share"]) {
            Unit::Ratio
        } else {
            Unit::Other
        }
    }

    /// Whether numbers in this unit are one count divided by another.
    pub fn is_rate(self) -> bool {
        !matches!(self, Unit::Other)
    }
}

/// The sign a number was written with, which says what unit the writer had in mind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    /// No sign: `1200`, `1,200`.
    Plain,
    /// A percent sign or the words `percent`/`per cent`: `70%`.
    Percent,
    /// A currency sign: `£5,000`.
    Currency,
}

impl Sign {
    /// What a number with this sign is, for messages: `a percentage`.
    pub fn what(self) -> &'static str {
        match self {
            Sign::Plain => "a number",
            Sign::Percent => "a percentage",
            Sign::Currency => "an amount of money",
        }
    }
}

/// A number read from text, with the sign it was written with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Written {
    /// The number, signs and separators removed.
    pub value: f64,
    /// The sign it carried.
    pub sign: Sign,
}

/// Reads a number written with a percent sign, a currency sign or thousands separators
/// (`70%`, `12.5 per cent`, `£5,000`, `-1,200`); `None` for anything else, including
/// commas that are not thousands separators (`1,5`), so that no text is misread.
pub fn read_number(text: &str) -> Option<Written> {
    let mut s = text.trim();
    let mut negative = false;
    let mut sign = Sign::Plain;
    // A sign and a currency symbol may come in either order: `-£5` and `£-5`.
    for _ in 0..2 {
        if let Some(rest) = s.strip_prefix(['-', '−']) {
            negative = !negative;
            s = rest.trim_start();
        } else if let Some(rest) = s.strip_prefix('+') {
            s = rest.trim_start();
        } else if let Some(rest) = s.strip_prefix(['£', '$', '€']) {
            if sign != Sign::Plain {
                return None;
            }
            sign = Sign::Currency;
            s = rest.trim_start();
        }
    }
    for suffix in ["%", "percent", "per cent"] {
        let Some(cut) = s.len().checked_sub(suffix.len()) else {
            continue;
        };
        if s.is_char_boundary(cut) && s[cut..].eq_ignore_ascii_case(suffix) {
            if sign != Sign::Plain {
                return None;
            }
            sign = Sign::Percent;
            s = s[..cut].trim_end();
            break;
        }
    }
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    let groups: Vec<&str> = whole.split(',').collect();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let grouped =
        groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    let fraction_ok = fraction.is_empty() && !s.ends_with('.') || digits(fraction);
    if !(groups.iter().all(|g| digits(g)) && grouped && fraction_ok) {
        return None;
    }
    let plain: String = s.chars().filter(|c| *c != ',').collect();
    let value = plain.parse::<f64>().ok().filter(|v| v.is_finite())?;
    Some(Written {
        value: if negative { -value } else { value },
        sign,
    })
}

/// Reads a baseline or target written as text, in a measure's `unit` (as written, or `None`):
/// a number with signs or separators ([`read_number`]), or a number followed by the unit
/// itself (`7 days` in days, `1,200 households` in households). `None` when the text is not
/// a number; `Err` when its sign contradicts the unit (see [`value_in`]).
pub fn read_figure(text: &str, unit: Option<&str>) -> Option<Result<f64, Sign>> {
    let written = read_number(text).or_else(|| {
        let unit = unit?.trim();
        let text = text.trim();
        let cut = text.len().checked_sub(unit.len())?;
        let tail_matches = !unit.is_empty()
            && text.is_char_boundary(cut)
            && text[cut..].to_lowercase() == unit.to_lowercase();
        // The unit must stand as words of its own: `7 days`, not `7days` read as `7d` + `ays`.
        let before = text[..cut].trim_end();
        (tail_matches && before.len() < cut)
            .then(|| read_number(before))
            .flatten()
    })?;
    Some(value_in(unit, written))
}

/// The value of `written` in the measure's unit (as written, or `None` when not stated):
/// `70%` is 70 in percent and 0.7 as a proportion. `Err` holds what the number's sign says
/// it is when that contradicts the unit: a percentage for a count of people, money for a
/// percentage.
pub fn value_in(unit: Option<&str>, written: Written) -> Result<f64, Sign> {
    let Some(unit) = unit else {
        return Ok(written.value);
    };
    let lower = unit.to_lowercase();
    let v = written.value;
    match written.sign {
        Sign::Plain => Ok(v),
        Sign::Currency if mentions_money(&lower) => Ok(v),
        Sign::Currency => Err(Sign::Currency),
        Sign::Percent if mentions_percent(&lower) || is_scale(&lower) => Ok(v),
        Sign::Percent => match Unit::parse(unit) {
            Unit::Proportion { scale } => Ok(v / 100.0 * scale),
            Unit::CountRate { per } => Ok(v / 100.0 * per),
            Unit::Ratio if !mentions_money(&lower) => Ok(v),
            _ => Err(Sign::Percent),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_rates_and_counts() {
        for (unit, want) in [
            ("percent", Unit::Proportion { scale: 100.0 }),
            ("%", Unit::Proportion { scale: 100.0 }),
            ("per cent of starters", Unit::Proportion { scale: 100.0 }),
            (
                "percent of recorded needs",
                Unit::Proportion { scale: 100.0 },
            ),
            (
                "packages per 100,000 adults",
                Unit::CountRate { per: 100_000.0 },
            ),
            ("per 1000", Unit::CountRate { per: 1000.0 }),
            ("A&E attendances per 1,000", Unit::CountRate { per: 1000.0 }),
            ("percentage change per 1,000", Unit::Ratio),
            ("proportion", Unit::Proportion { scale: 1.0 }),
            ("percent reduction", Unit::Ratio),
            ("ratio of admission rates", Unit::Ratio),
            ("rate", Unit::Ratio),
            ("share rated lower at review", Unit::Ratio),
            ("percentage points", Unit::Other),
            ("AUDIT points", Unit::Other),
            ("people per month", Unit::Other),
            ("contacts per person per year", Unit::Other),
            ("completions per year", Unit::Other),
            ("score", Unit::Other),
        ] {
            assert_eq!(Unit::parse(unit), want, "{unit}");
        }
    }

    #[test]
    fn numbers_are_read_through_their_signs_and_separators() {
        let read = |t: &str| read_number(t).map(|w| (w.value, w.sign));
        assert_eq!(read("70%"), Some((70.0, Sign::Percent)));
        assert_eq!(read(" 12.5 per cent "), Some((12.5, Sign::Percent)));
        assert_eq!(read("12.5 Percent"), Some((12.5, Sign::Percent)));
        assert_eq!(read("1,200"), Some((1200.0, Sign::Plain)));
        assert_eq!(read("1,234,567.5"), Some((1_234_567.5, Sign::Plain)));
        assert_eq!(read("£5,000"), Some((5000.0, Sign::Currency)));
        assert_eq!(read("-£5"), Some((-5.0, Sign::Currency)));
        assert_eq!(read("£-5"), Some((-5.0, Sign::Currency)));
        assert_eq!(read("35"), Some((35.0, Sign::Plain)));
        // Text that only looks like a number stays text.
        for text in [
            "1,5",
            "12,00",
            "1,2345",
            "£5%",
            "about 70%",
            "70%+",
            "five",
            "",
            "%",
            "£",
            "5.",
            ".5",
            "İ%",
            "double the starting rate",
        ] {
            assert_eq!(read(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_number_may_be_followed_by_its_unit() {
        assert_eq!(read_figure("7 days", Some("days")), Some(Ok(7.0)));
        assert_eq!(
            read_figure("1,200 Households", Some("households")),
            Some(Ok(1200.0))
        );
        assert_eq!(read_figure("70%", Some("percent")), Some(Ok(70.0)));
        assert_eq!(
            read_figure("70%", Some("households")),
            Some(Err(Sign::Percent))
        );
        // Another unit, the unit run into the number, or no number at all stay text.
        assert_eq!(read_figure("7 weeks", Some("days")), None);
        assert_eq!(read_figure("7days", Some("days")), None);
        assert_eq!(read_figure("days", Some("days")), None);
        assert_eq!(read_figure("7 days", None), None);
        assert_eq!(read_figure("double the rate", Some("percent")), None);
    }

    #[test]
    fn a_number_takes_its_unit_or_contradicts_it() {
        let pct = |v| Written {
            value: v,
            sign: Sign::Percent,
        };
        let money = |v| Written {
            value: v,
            sign: Sign::Currency,
        };
        assert_eq!(value_in(Some("percent"), pct(70.0)), Ok(70.0));
        assert_eq!(value_in(Some("% of starters"), pct(70.0)), Ok(70.0));
        assert_eq!(value_in(Some("percentage points"), pct(5.0)), Ok(5.0));
        assert_eq!(value_in(Some("proportion"), pct(70.0)), Ok(0.7));
        assert_eq!(value_in(Some("per 1,000"), pct(7.0)), Ok(70.0));
        assert_eq!(value_in(Some("rate"), pct(7.0)), Ok(7.0));
        assert_eq!(value_in(None, pct(70.0)), Ok(70.0));
        assert_eq!(value_in(Some("people"), pct(70.0)), Err(Sign::Percent));
        assert_eq!(value_in(Some("days"), pct(70.0)), Err(Sign::Percent));
        // A score may be given as a share of its maximum.
        assert_eq!(value_in(Some("exam score"), pct(70.0)), Ok(70.0));
        assert_eq!(value_in(Some("social value"), money(5.0)), Ok(5.0));
        assert_eq!(value_in(Some("rent arrears"), money(5.0)), Ok(5.0));
        assert_eq!(
            value_in(Some("AUDIT points"), pct(70.0)),
            Err(Sign::Percent)
        );
        assert_eq!(
            value_in(Some("£ per person"), pct(70.0)),
            Err(Sign::Percent)
        );
        assert_eq!(value_in(Some("£ per person"), money(5.0)), Ok(5.0));
        assert_eq!(value_in(Some("cost per place"), money(5.0)), Ok(5.0));
        assert_eq!(value_in(Some("pounds saved"), money(5.0)), Ok(5.0));
        assert_eq!(value_in(Some("percent"), money(5.0)), Err(Sign::Currency));
        assert_eq!(value_in(Some("people"), money(5.0)), Err(Sign::Currency));
        let plain = Written {
            value: 1200.0,
            sign: Sign::Plain,
        };
        assert_eq!(value_in(Some("people"), plain), Ok(1200.0));
    }
}
