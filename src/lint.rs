//! The registry of diagnostic codes: it collects the lints, each declared once next to its check.
//!
//! A lint's declaration ([`Lint`]) holds its name, default level, docs and short label, in the
//! file in `src/check/` that raises it (codes raised while reading the file are declared in
//! `check/format_codes.rs`). `elmo explain`, the book's lint pages, the CLI's level flags and
//! the diagnostic's label all read from the declaration, so the explanation a user sees can
//! never disagree with what the checker does.

use serde::Serialize;

crate::vocab::vocab! {
    /// How a lint is treated: dropped, reported as a warning, or reported as an error.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Level: "level", fn as_str {
        /// Not reported.
        Allow = "allow",
        /// Reported as a warning; does not fail `elmo check` unless denied.
        Warn = "warn",
        /// Reported as an error; fails `elmo check`.
        Deny = "deny",
    }
}

impl Level {
    /// How a finding at this level is shown: its severity (`warning`, `error`), or `allow`.
    pub fn shown_as(self) -> &'static str {
        crate::diagnostic::Severity::of(self).map_or(self.as_str(), |s| s.as_str())
    }
}

// A new lint is declared next to its check, as a `static` [`Lint`], and collected here with one
// line at the end. The list's order is the order of `elmo explain --list`, the book and the SARIF
// rules, so existing codes keep their place; lookup goes through `match` and never depends on it.
macro_rules! registry {
    ($($variant:ident => $($path:ident)::+,)*) => {
        /// A stable diagnostic code; its kebab-case name never changes meaning or is reused.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $(
            #[doc = concat!("Declared in `", stringify!($($path)::+), "`.")]
            $variant,
        )* }

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The declaration of this code.
            pub fn lint(self) -> &'static Lint {
                match self { $(Code::$variant => &crate::$($path)::+,)* }
            }
        }

        /// Every lint, in the order of [`Code::ALL`].
        pub static LINTS: &[&Lint] = &[$(&crate::$($path)::+),*];
    };
}

registry! {
    YamlSyntax => check::format_codes::YAML_SYNTAX,
    LimitExceeded => check::format_codes::LIMIT_EXCEEDED,
    UnknownField => check::format_codes::UNKNOWN_FIELD,
    MissingField => check::format_codes::MISSING_FIELD,
    InvalidValue => check::format_codes::INVALID_VALUE,
    DuplicateKey => check::format_codes::DUPLICATE_KEY,
    DuplicateId => check::references::DUPLICATE_ID,
    UnknownReference => check::references::UNKNOWN_REFERENCE,
    BackwardLink => check::structure::BACKWARD_LINK,
    Cycle => check::structure::CYCLE,
    MissingStage => check::structure::MISSING_STAGE,
    DisconnectedNode => check::structure::DISCONNECTED_NODE,
    UnmeasuredOutcome => check::measures::UNMEASURED_OUTCOME,
    UnmeasuredOutput => check::measures::UNMEASURED_OUTPUT,
    UnusedMeasure => check::measures::UNUSED_MEASURE,
    UnusedSource => check::measures::UNUSED_SOURCE,
    IncompleteMeasure => check::measures::INCOMPLETE_MEASURE,
    TargetAgainstDirection => check::evaluation::TARGET_AGAINST_DIRECTION,
    UndefinedRate => check::evaluation::UNDEFINED_RATE,
    OnlyLaggingMeasures => check::evaluation::ONLY_LAGGING_MEASURES,
    NoQualitativeMeasure => check::evaluation::NO_QUALITATIVE_MEASURE,
    UnderpoweredCohort => check::power::UNDERPOWERED_COHORT,
    DataLabCohort => check::power::DATA_LAB_COHORT,
    UndocumentedStorage => check::data_protection::UNDOCUMENTED_STORAGE,
    UndocumentedSharing => check::data_protection::UNDOCUMENTED_SHARING,
    RefutedAssumption => check::assumptions::REFUTED_ASSUMPTION,
    UnusedAssumption => check::assumptions::UNUSED_ASSUMPTION,
    TargetBeyondCeiling => check::contribution::TARGET_BEYOND_CEILING,
    CommentInText => check::format_codes::COMMENT_IN_TEXT,
    ResultUnknownMeasure => results::table::RESULT_UNKNOWN_MEASURE,
    ResultUnreadable => results::table::RESULT_UNREADABLE,
    ResultNumeratorAboveDenominator => results::table::RESULT_NUMERATOR_ABOVE_DENOMINATOR,
    ResultPercentageOutOfRange => results::table::RESULT_PERCENTAGE_OUT_OF_RANGE,
    ResultDuplicate => results::table::RESULT_DUPLICATE,
    ResultMissingColumn => results::table::RESULT_MISSING_COLUMN,
    ComputeUnknownColumn => results::compute::COMPUTE_UNKNOWN_COLUMN,
    StaleResult => results::STALE_RESULT,
    MissingResult => results::MISSING_RESULT,
    ComparisonNotReported => results::COMPARISON_NOT_REPORTED,
    TooFewToTell => results::TOO_FEW_TO_TELL,
    MissingBreakdown => check::stakeholders::MISSING_BREAKDOWN,
    UnitMismatch => check::numbers::UNIT_MISMATCH,
    MatchedInternalSource => check::contribution::MATCHED_INTERNAL_SOURCE,
    UnstatedPersonalData => check::data_protection::UNSTATED_PERSONAL_DATA,
    StatusWithoutEvidence => check::assumptions::STATUS_WITHOUT_EVIDENCE,
}

impl Code {
    /// The kebab-case name used on the command line, in JSON and in the book.
    pub fn as_str(self) -> &'static str {
        self.lint().name
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::str::FromStr for Code {
    type Err = ();
    fn from_str(s: &str) -> Result<Code, ()> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or(())
    }
}

/// The documentation and default level of one code.
#[derive(Debug)]
pub struct Lint {
    /// The code documented.
    pub code: Code,
    /// The code's kebab-case name, stable for ever.
    pub name: &'static str,
    /// The level when nothing overrides it.
    pub default: Level,
    /// Whether `-A`/`-W`/`-D`, `lints:` and `allow:` may change the level. Codes that make the
    /// model unreadable or meaningless are always errors.
    pub configurable: bool,
    /// A few words printed under the highlighted span, such as "no measure".
    pub label: &'static str,
    /// One line: what the check finds.
    pub summary: &'static str,
    /// Why it matters for evaluation, in plain words.
    pub why: &'static str,
    /// A model fragment that triggers the check.
    pub example: &'static str,
    /// The same fragment, fixed.
    pub fix: &'static str,
    /// The finding as one plain-English sentence about the programme, for the funder's
    /// report: no codes, ids or keys; `{label}` stands for the quoted label of the node,
    /// measure, source or assumption it is about ("one part of the plan" when none), and
    /// `{detail}` for what exactly is missing, where the report can say.
    pub funder: &'static str,
}

impl Lint {
    /// The default level as a word, and whether it can be changed, as a clause.
    fn level_words(&self) -> (&'static str, &'static str) {
        let level = self.default.shown_as();
        let config = if self.configurable {
            "its level can be changed with `-A`/`-W`/`-D`, `lints:` or an item's `allow:`"
        } else {
            "it is always an error"
        };
        (level, config)
    }

    /// The long explanation, as Markdown: the book page, and `elmo explain --markdown`.
    pub fn page(&self) -> String {
        let (level, config) = self.level_words();
        format!(
            "# `{code}`\n\nDefault level: **{level}**; {config}.\n\n{summary}.\n\n## Why it matters\n\n{why}\n\n## Example\n\n```yaml\n{example}```\n\n## Fix\n\n```yaml\n{fix}```\n",
            code = self.code,
            summary = capitalise(self.summary),
            why = self.why,
            example = self.example,
            fix = self.fix,
        )
    }
}

impl Lint {
    /// The long explanation for a terminal (`elmo explain`): the page's words, with headings
    /// in capitals, paragraphs wrapped to `width` and the YAML indented, and no Markdown.
    pub fn text(&self, width: usize) -> String {
        let (level, config) = self.level_words();
        let width = width.clamp(40, 200);
        let para = |s: &str| {
            let opts = textwrap::Options::new(width)
                .initial_indent("  ")
                .subsequent_indent("  ");
            textwrap::fill(s, opts)
        };
        let code = |s: &str| -> String { s.lines().map(|l| format!("    {l}\n")).collect() };
        format!(
            "{code_name}: {summary}\n\n{level_line}\n\nWHY IT MATTERS\n{why}\n\nEXAMPLE\n{example}\nFIX\n{fix}",
            code_name = self.code,
            summary = self.summary,
            level_line = para(&format!("Default level: {level}; {config}.")),
            why = para(self.why),
            example = code(self.example),
            fix = code(self.fix),
        )
    }
}

/// The table of every code on the book's Diagnostics page, as Markdown.
pub fn table() -> String {
    let mut out = String::from("| code | default | configurable | finds |\n|---|---|---|---|\n");
    for lint in LINTS {
        let (level, _) = lint.level_words();
        let configurable = if lint.configurable { "yes" } else { "no" };
        out.push_str(&format!(
            "| [`{code}`]({code}.md) | {level} | {configurable} | {summary} |\n",
            code = lint.name,
            summary = lint.summary,
        ));
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};

    use super::*;

    #[test]
    fn registry_matches_codes() {
        assert_eq!(LINTS.len(), Code::ALL.len());
        for (lint, code) in LINTS.iter().zip(Code::ALL) {
            assert_eq!(lint.code, *code);
            assert!(
                lint.configurable || lint.default == Level::Deny,
                "{code} is fixed but not an error"
            );
        }
    }

    /// Every `static NAME: Lint = Lint {` under `src/`, as (file, static, declared name).
    fn declarations_in_the_source() -> Vec<(PathBuf, String, String)> {
        let mut found = Vec::new();
        let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("src folder") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("source file");
                let lines: Vec<&str> = text.lines().collect();
                for (i, line) in lines.iter().enumerate() {
                    let Some(head) = line.strip_suffix(": Lint = Lint {") else {
                        continue;
                    };
                    let ident = head.rsplit(' ').next().unwrap_or_default().to_string();
                    let name = lines[i..]
                        .iter()
                        .find_map(|l| l.trim().strip_prefix("name: \""))
                        .and_then(|l| l.strip_suffix("\","))
                        .unwrap_or_else(|| panic!("{ident} in {} has no name", path.display()));
                    found.push((path.clone(), ident, name.to_string()));
                }
            }
        }
        found
    }

    #[test]
    fn every_code_has_exactly_one_declaration_and_every_declaration_is_collected() {
        // Each code is collected under its own variant, and each entry of the list is a
        // different declaration.
        for code in Code::ALL {
            assert_eq!(
                code.lint().code,
                *code,
                "{code:?} collects another code's lint"
            );
        }
        for (i, a) in LINTS.iter().enumerate() {
            for b in &LINTS[i + 1..] {
                assert!(!std::ptr::eq(*a, *b), "{} is collected twice", a.name);
                assert_ne!(a.name, b.name, "two lints are named {}", a.name);
            }
        }
        // The source declares each collected lint once, and nothing that is not collected.
        let declared = declarations_in_the_source();
        let mut count: HashMap<&str, Vec<String>> = HashMap::new();
        for (path, ident, name) in &declared {
            count
                .entry(name.as_str())
                .or_default()
                .push(format!("{} ({ident})", path.display()));
        }
        for lint in LINTS {
            let places = count.remove(lint.name).unwrap_or_default();
            assert_eq!(places.len(), 1, "`{}` is declared in {places:?}", lint.name);
            let wanted = lint.name.to_uppercase().replace('-', "_");
            assert!(places[0].ends_with(&format!("({wanted})")), "{places:?}");
        }
        assert!(
            count.is_empty(),
            "declared but not collected in lint.rs: {count:?}"
        );
    }

    #[test]
    fn names_are_kebab_case_and_name_the_variant() {
        for lint in LINTS {
            let kebab = lint
                .name
                .split('-')
                .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase()));
            assert!(kebab, "{:?} is not kebab-case", lint.name);
            let camel: String = lint
                .name
                .split('-')
                .map(|w| w[..1].to_uppercase() + &w[1..])
                .collect();
            assert_eq!(format!("{:?}", lint.code), camel);
            assert!(!lint.label.is_empty() && !lint.summary.is_empty());
        }
    }

    #[test]
    fn lookup_does_not_depend_on_declaration_order() {
        // Walk the registry backwards and by name: each way finds the same declaration.
        for lint in LINTS.iter().rev() {
            assert!(std::ptr::eq(lint.code.lint(), *lint), "{}", lint.name);
            assert_eq!(lint.name.parse::<Code>(), Ok(lint.code));
            assert_eq!(lint.code.as_str(), lint.name);
        }
        // The declarations sit in their check files in another order than the list, yet
        // each is found by its own name and code.
        let declared: Vec<String> = declarations_in_the_source()
            .into_iter()
            .map(|(_, _, name)| name)
            .collect();
        let listed: Vec<String> = LINTS.iter().map(|l| l.name.to_string()).collect();
        assert_ne!(declared, listed);
        for name in &declared {
            let code: Code = name.parse().unwrap_or_else(|()| panic!("{name} not found"));
            assert_eq!(code.lint().name, name);
        }
    }
}
