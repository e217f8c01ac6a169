//! Reading a measure's free-text `unit` for what its numbers mean.
//!
//! Units are written by people (`percent of new starters`, `per 100,000 adults`), so this
//! looks for the words that matter rather than expecting a fixed vocabulary.

/// What a measure's unit says about its numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unit {
    /// A share of people or events, on a scale where `scale` means all of them: 100 for a
    /// percentage, 1 for a proportion, 1000 for a rate per 1,000.
    Proportion {
        /// The value that stands for everyone.
        scale: f64,
    },
    /// Some other ratio, or a relative change such as a percentage reduction: it still needs
    /// a numerator and a denominator, but its values are not shares of one group.
    Ratio,
    /// A count, score, amount or anything else.
    Other,
}

impl Unit {
    /// Classifies a unit as written in a model.
    pub fn parse(unit: &str) -> Unit {
        let lower = unit.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric() && c != '%' && c != ',')
            .map(|w| w.trim_matches(','))
            .filter(|w| !w.is_empty())
            .collect();
        let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
        // Percentage points and score points are differences or scores, not shares.
        if has(&["point", "points", "pts"]) {
            return Unit::Other;
        }
        let percent = lower.contains('%')
            || has(&["percent", "percentage", "pct"])
            || words.windows(2).any(|w| w == ["per", "cent"]);
        let per_n = words
            .windows(2)
            .filter(|w| w[0] == "per")
            .find_map(|w| w[1].replace(',', "").parse::<f64>().ok())
            .filter(|n| n.is_finite() && *n >= 1.0);
        let scale = if percent {
            Some(100.0)
        } else if let Some(n) = per_n {
            Some(n)
        } else if has(&["proportion", "fraction"]) {
            Some(1.0)
        } else {
            None
        };
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
        match scale {
            Some(scale) if !change => Unit::Proportion { scale },
            Some(_) => Unit::Ratio,
            None if has(&["rate", "rates", "ratio", "share"]) => Unit::Ratio,
            None => Unit::Other,
        }
    }

    /// Whether numbers in this unit are one count divided by another.
    pub fn is_rate(self) -> bool {
        !matches!(self, Unit::Other)
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
                Unit::Proportion { scale: 100_000.0 },
            ),
            ("per 1000", Unit::Proportion { scale: 1000.0 }),
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
}
