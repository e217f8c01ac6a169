//! The registry of diagnostic codes: each declared once with its default level and its docs.
//!
//! `elmo explain`, the book's lint pages and the CLI's level flags all read from here, so the
//! explanation a user sees can never disagree with what the checker does.

use serde::Serialize;

/// How a lint is treated: dropped, reported as a warning, or reported as an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported as a warning; does not fail `elmo check` unless denied.
    Warn,
    /// Reported as an error; fails `elmo check`.
    Deny,
}

macro_rules! codes {
    ($($variant:ident => $name:literal,)*) => {
        /// A stable diagnostic code; its kebab-case name never changes meaning or is reused.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $(
            #[doc = concat!("`", $name, "`")]
            $variant,
        )* }

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The kebab-case name used on the command line, in JSON and in the book.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }
        }
    };
}

codes! {
    YamlSyntax => "yaml-syntax",
    LimitExceeded => "limit-exceeded",
    UnknownField => "unknown-field",
    MissingField => "missing-field",
    InvalidValue => "invalid-value",
    DuplicateKey => "duplicate-key",
    DuplicateId => "duplicate-id",
    UnknownReference => "unknown-reference",
    BackwardLink => "backward-link",
    Cycle => "cycle",
    MissingStage => "missing-stage",
    DisconnectedNode => "disconnected-node",
    UnmeasuredOutcome => "unmeasured-outcome",
    UnmeasuredOutput => "unmeasured-output",
    UnusedMeasure => "unused-measure",
    UnusedSource => "unused-source",
    IncompleteMeasure => "incomplete-measure",
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
    /// The level when nothing overrides it.
    pub default: Level,
    /// Whether `-A`/`-W`/`-D`, `lints:` and `allow:` may change the level. Codes that make the
    /// model unreadable or meaningless are always errors.
    pub configurable: bool,
    /// One line: what the check finds.
    pub summary: &'static str,
    /// Why it matters for evaluation, in plain words.
    pub why: &'static str,
    /// A model fragment that triggers the check.
    pub example: &'static str,
    /// The same fragment, fixed.
    pub fix: &'static str,
}

impl Code {
    /// The registry entry for this code.
    pub fn lint(self) -> &'static Lint {
        // The table is declared in the same order as the enum; a test pins that.
        &LINTS[self as usize]
    }
}

impl Lint {
    /// The long explanation, as Markdown: the text of `elmo explain` and of the book page.
    pub fn page(&self) -> String {
        let level = match self.default {
            Level::Allow => "allow",
            Level::Warn => "warning",
            Level::Deny => "error",
        };
        let config = if self.configurable {
            "its level can be changed with `-A`/`-W`/`-D`, `lints:` or an item's `allow:`"
        } else {
            "it is always an error"
        };
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

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Every lint, in the order of [`Code::ALL`].
pub static LINTS: &[Lint] = &[
    Lint {
        code: Code::YamlSyntax,
        default: Level::Deny,
        configurable: false,
        summary: "the file is not a single valid YAML mapping",
        why: "Nothing else can be checked until the file can be read. This also covers empty files, a list or plain text at the top level, text that is not UTF-8, and tabs used for indentation.",
        example: "title: Youth mentoring\ninputs:\n\t- id: funding\n",
        fix: "title: Youth mentoring\ninputs:\n  - id: funding\n    label: Lottery grant\n",
    },
    Lint {
        code: Code::LimitExceeded,
        default: Level::Deny,
        configurable: false,
        summary: "the file breaks a resource limit: size, nesting depth, or alias expansion",
        why: "Models are shared between organisations and opened in public rooms. A file that is enormous, nested thousands of levels deep or built from self-multiplying aliases is refused quickly instead of freezing the projector.",
        example: "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n# ...and so on, each line nine times the last\n",
        fix: "# Write values out, or keep aliases shallow.\n",
    },
    Lint {
        code: Code::UnknownField,
        default: Level::Deny,
        configurable: false,
        summary: "a key the format does not have",
        why: "A misspelt key is silently ignored by most tools, so a measure's target or a node's links vanish without anyone noticing. elmo refuses it and suggests the nearest key it knows.",
        example: "outputs:\n  - id: sessions\n    label: Mentoring sessions held\n    lead_to: [confidence]\n",
        fix: "outputs:\n  - id: sessions\n    label: Mentoring sessions held\n    leads_to: [confidence]\n",
    },
    Lint {
        code: Code::MissingField,
        default: Level::Deny,
        configurable: false,
        summary: "a required key is absent",
        why: "Every node needs an id to be linked and a label to be drawn; the model needs a title. Without them the diagram and the report cannot say what the box is.",
        example: "inputs:\n  - id: funding\n",
        fix: "inputs:\n  - id: funding\n    label: Lottery grant of £250k\n",
    },
    Lint {
        code: Code::InvalidValue,
        default: Level::Deny,
        configurable: false,
        summary: "a value of the wrong type or outside its allowed set",
        why: "A measure's kind, an assumption's status or a list of links has a fixed shape. A value outside it means the model says something elmo cannot interpret, so it says so rather than guess.",
        example: "measures:\n  - id: wellbeing\n    label: Wellbeing score\n    kind: numeric\n",
        fix: "measures:\n  - id: wellbeing\n    label: Wellbeing score\n    kind: quantitative\n",
    },
    Lint {
        code: Code::DuplicateKey,
        default: Level::Deny,
        configurable: false,
        summary: "the same key appears twice in one mapping",
        why: "YAML tools disagree about which of two equal keys wins, so the model would mean different things in different tools. One of them is almost always a copy-paste slip.",
        example: "  - id: sessions\n    label: Sessions held\n    label: Mentoring sessions\n",
        fix: "  - id: sessions\n    label: Mentoring sessions held\n",
    },
    Lint {
        code: Code::DuplicateId,
        default: Level::Deny,
        configurable: false,
        summary: "an id is used twice (nodes, measures, sources and assumptions share one namespace)",
        why: "Links, measures and assumptions refer to things by id. Two things with one id make every reference to it ambiguous.",
        example: "outputs:\n  - id: attendance\n    label: Sessions attended\nmeasures:\n  - id: attendance\n    label: Attendance rate\n",
        fix: "outputs:\n  - id: attendance\n    label: Sessions attended\nmeasures:\n  - id: attendance-rate\n    label: Attendance rate\n",
    },
    Lint {
        code: Code::UnknownReference,
        default: Level::Deny,
        configurable: false,
        summary: "`leads_to`, `measures`, `source` or `applies_to` names nothing",
        why: "A link to a node that does not exist is a broken chain: the diagram would silently drop it and the theory of change would have a gap nobody sees.",
        example: "activities:\n  - id: mentoring\n    label: Weekly mentoring\n    leads_to: [sesions]\n",
        fix: "activities:\n  - id: mentoring\n    label: Weekly mentoring\n    leads_to: [sessions]\n",
    },
    Lint {
        code: Code::BackwardLink,
        default: Level::Deny,
        configurable: false,
        summary: "a link into an earlier stage",
        why: "A logic model reads from resources to lasting change. A link from an impact back to an activity is usually a feedback loop that belongs in an assumption or in the programme's learning cycle, not in the causal chain.",
        example: "activities:\n  - id: mentoring\n    label: Weekly mentoring\ndirect_impacts:\n  - id: confidence\n    label: Young people feel more confident\n    leads_to: [mentoring]\n",
        fix: "assumptions:\n  - id: confidence-feeds-back\n    text: Growing confidence keeps young people coming to mentoring\n    applies_to: [confidence]\n",
    },
    Lint {
        code: Code::Cycle,
        default: Level::Deny,
        configurable: false,
        summary: "links that form a loop",
        why: "A chain of outcomes that leads back to itself has no beginning and no end: nothing in it can be shown to come first, so no measure can show progress along it.",
        example: "direct_impacts:\n  - id: confidence\n    label: More confident\n    leads_to: [attendance]\n  - id: attendance\n    label: Better attendance\n    leads_to: [confidence]\n",
        fix: "direct_impacts:\n  - id: confidence\n    label: More confident\n    leads_to: [attendance]\n  - id: attendance\n    label: Better attendance\n",
    },
    Lint {
        code: Code::MissingStage,
        default: Level::Warn,
        configurable: true,
        summary: "the model has no inputs, or no systemic impacts, so no chain can be complete",
        why: "Every chain should start from the resources the programme has and end in the long-term change it seeks. Without either end there is nothing to connect, so elmo reports this once instead of flagging every node.",
        example: "title: Youth mentoring\nactivities:\n  - id: mentoring\n    label: Weekly mentoring\n",
        fix: "title: Youth mentoring\ninputs:\n  - id: volunteers\n    label: Trained volunteer mentors\n    leads_to: [mentoring]\n",
    },
    Lint {
        code: Code::DisconnectedNode,
        default: Level::Warn,
        configurable: true,
        summary: "a node not on any path from an input to a systemic impact",
        why: "Each box should be part of a chain from resources to lasting change. A node nothing leads to is an outcome with no activity producing it; a node that leads nowhere is effort that, on paper, changes nothing. Either is a gap in the theory of change. It is not judged while the file has errors, since a misspelt link or key is then the likelier cause.",
        example: "activities:\n  - id: newsletter\n    label: Quarterly newsletter\n",
        fix: "activities:\n  - id: newsletter\n    label: Quarterly newsletter\n    leads_to: [families-informed]\n",
    },
    Lint {
        code: Code::UnmeasuredOutcome,
        default: Level::Warn,
        configurable: true,
        summary: "a direct, indirect or systemic impact with no measure",
        why: "An outcome nobody measures cannot be shown to have happened. Funders and evaluators will ask how you know; name at least one quantitative, proxy or qualitative measure. For a long-term impact that truly cannot be measured yet, say so with `allow:` and a reason.",
        example: "direct_impacts:\n  - id: confidence\n    label: Young people feel more confident\n",
        fix: "direct_impacts:\n  - id: confidence\n    label: Young people feel more confident\n    measures: [confidence-score]\n",
    },
    Lint {
        code: Code::UnmeasuredOutput,
        default: Level::Warn,
        configurable: true,
        summary: "an output with no measure",
        why: "Outputs are the countable products of activities: sessions held, people reached. They are the easiest things to measure and the first evidence that the programme is running as planned.",
        example: "outputs:\n  - id: sessions\n    label: Mentoring sessions held\n",
        fix: "outputs:\n  - id: sessions\n    label: Mentoring sessions held\n    measures: [sessions-count]\n",
    },
    Lint {
        code: Code::UnusedMeasure,
        default: Level::Warn,
        configurable: true,
        summary: "a measure no node uses",
        why: "Data collected for nothing costs staff time and participants' patience, and may hold personal data without a purpose. Attach it to the change it shows, or drop it.",
        example: "measures:\n  - id: newsletter-opens\n    label: Newsletter open rate\n",
        fix: "outputs:\n  - id: families-informed\n    label: Families informed\n    measures: [newsletter-opens]\n",
    },
    Lint {
        code: Code::UnusedSource,
        default: Level::Warn,
        configurable: true,
        summary: "a data source no measure uses",
        why: "A source listed but not used is either a measure that was forgotten or data held without a purpose.",
        example: "sources:\n  - id: survey\n    label: Annual survey\n",
        fix: "measures:\n  - id: confidence-score\n    label: Self-rated confidence\n    source: survey\n",
    },
    Lint {
        code: Code::IncompleteMeasure,
        default: Level::Warn,
        configurable: true,
        summary: "a quantitative measure without baseline, target, source or frequency; a proxy without `proxy_for`",
        why: "A number with no baseline cannot show change; with no target there is no way to say whether the change was enough; with no source or frequency nobody knows who collects it or when. A proxy must say what it stands in for, or readers will take it for the real thing.",
        example: "measures:\n  - id: reoffending-rate\n    label: One-year proven reoffending rate\n    kind: quantitative\n    unit: percent\n",
        fix: "measures:\n  - id: reoffending-rate\n    label: One-year proven reoffending rate\n    kind: quantitative\n    unit: percent\n    baseline: 42.5\n    target: 38\n    source: justice-data-lab\n    frequency: yearly\n",
    },
];

#[cfg(test)]
mod tests {
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
}
