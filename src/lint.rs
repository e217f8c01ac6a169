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
    TargetAgainstDirection => "target-against-direction",
    UndefinedRate => "undefined-rate",
    OnlyLaggingMeasures => "only-lagging-measures",
    NoQualitativeMeasure => "no-qualitative-measure",
    UnderpoweredCohort => "underpowered-cohort",
    DataLabCohort => "data-lab-cohort",
    UndocumentedStorage => "undocumented-storage",
    UndocumentedSharing => "undocumented-sharing",
    RefutedAssumption => "refuted-assumption",
    UnusedAssumption => "unused-assumption",
    TargetBeyondCeiling => "target-beyond-ceiling",
    CommentInText => "comment-in-text",
    ResultUnknownMeasure => "result-unknown-measure",
    ResultUnreadable => "result-unreadable",
    ResultNumeratorAboveDenominator => "result-numerator-above-denominator",
    ResultPercentageOutOfRange => "result-percentage-out-of-range",
    ResultDuplicate => "result-duplicate",
    ResultMissingColumn => "result-missing-column",
    ComputeUnknownColumn => "compute-unknown-column",
    StaleResult => "stale-result",
    MissingResult => "missing-result",
    ComparisonNotReported => "comparison-not-reported",
    TooFewToTell => "too-few-to-tell",
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
    /// The default level as a word, and whether it can be changed, as a clause.
    fn level_words(&self) -> (&'static str, &'static str) {
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
    Lint {
        code: Code::TargetAgainstDirection,
        default: Level::Warn,
        configurable: true,
        summary: "a numeric target on the wrong side of its numeric baseline, or equal to it, for the measure's `direction`",
        why: "A measure that says `direction: decrease` (reoffending, waiting times) and then sets a target above its baseline is promising the opposite of what the programme wants, and a target equal to the baseline promises no change at all. Usually the baseline and target were swapped, or a figure was copied from the wrong row. Only measures that state their `direction` and give both baseline and target as numbers are checked.",
        example: "measures:\n  - id: reoffending-rate\n    label: One-year proven reoffending rate\n    unit: percent\n    direction: decrease\n    baseline: 35\n    target: 42.5\n",
        fix: "measures:\n  - id: reoffending-rate\n    label: One-year proven reoffending rate\n    unit: percent\n    direction: decrease\n    baseline: 42.5\n    target: 35\n",
    },
    Lint {
        code: Code::UndefinedRate,
        default: Level::Warn,
        configurable: true,
        summary: "a percentage or rate without its `numerator` and `denominator`",
        why: "The same words can hide very different sums. A completion rate can count every order that ended, or leave out those ended for reasons nobody controls; the ATR completion rate is successful terminations divided by successful plus unsuccessful ones, times 100, with neutral endings left out of both. Unless the model says what is counted on top and what it is counted out of, two teams will report different figures under one name, and a change in the rate may only be a change in the sum. The check applies to any measure whose `unit` is a percentage, proportion, rate, ratio, share or a rate per 100, 1,000 and so on; percentage points are differences and are not checked.",
        example: "measures:\n  - id: completion-rate\n    label: ATR completion rate\n    unit: percent\n    baseline: 35\n    target: 40\n",
        fix: "measures:\n  - id: completion-rate\n    label: ATR completion rate\n    unit: percent\n    numerator: successful terminations (Form 20 codes 50 and 51)\n    denominator: successful plus unsuccessful terminations; neutral endings left out\n    baseline: 35\n    target: 40\n",
    },
    Lint {
        code: Code::OnlyLaggingMeasures,
        default: Level::Warn,
        configurable: true,
        summary: "a systemic impact whose chain is measured only by lagging measures",
        why: "Lagging measures, such as proven reoffending a year after release, only move once the outcome has happened; leading measures, such as engagement, attendance or falling risk scores, move early enough to change course. A chain with nothing but lagging measures gives the programme nothing to steer by until it is over. elmo takes each systemic impact, gathers the measures of the impact itself and of every output, direct impact and indirect impact with a path of links into it, and reports the impact when there is at least one such measure and every one of them says `timing: lagging`. A measure that does not state its `timing` is given the benefit of the doubt, so the check only speaks once timings are written down.",
        example: "outputs:\n  - id: engaged\n    label: People engaged for three months\n    measures: [proven-rate]\n    leads_to: [less-reoffending]\nsystemic_impacts:\n  - id: less-reoffending\n    label: Less reoffending\n    measures: [proven-rate]\nmeasures:\n  - id: proven-rate\n    label: One-year proven reoffending rate\n    timing: lagging\n",
        fix: "outputs:\n  - id: engaged\n    label: People engaged for three months\n    measures: [engaged-3m]\n    leads_to: [less-reoffending]\nmeasures:\n  - id: engaged-3m\n    label: Share in contact for over three months\n    timing: leading\n",
    },
    Lint {
        code: Code::NoQualitativeMeasure,
        default: Level::Warn,
        configurable: true,
        summary: "a model with measures but no qualitative measure at all",
        why: "Numbers say how much changed; stories, interviews and feedback say why, for whom, and what it felt like. A framework built only on counts cannot explain its own results, misses effects nobody thought to count, and leaves out the voice of the people it serves. One qualitative measure, such as case studies or user feedback, is enough to stop this warning. It is not raised for a model with no measures yet.",
        example: "measures:\n  - id: sessions\n    label: Sessions held\n  - id: attendance\n    label: School attendance of mentees\n",
        fix: "measures:\n  - id: sessions\n    label: Sessions held\n  - id: attendance\n    label: School attendance of mentees\n  - id: mentee-stories\n    label: Mentees' own accounts of what changed\n    kind: qualitative\n",
    },
    Lint {
        code: Code::UnderpoweredCohort,
        default: Level::Warn,
        configurable: true,
        summary: "a cohort too small to show the targeted change in a proportion",
        why: "A real change can look like chance when too few people are counted; the Justice Data Lab found most of its small-sample reports inconclusive. For a measure in percent, a proportion or a rate per N that gives a numeric baseline and target and a `cohort` (people per group), elmo works out how many people each of two equal groups would need for a two-sided test at 5% significance to detect the change from baseline to target with 80% power, using the normal approximation (the formula of R's `power.prop.test`), and reports a cohort below that. A comparison group much larger than the cohort, as the Justice Data Lab builds, lowers the need to as little as about half, so treat the figure as a cautious guide. The fixes are a larger cohort (pool several years of people), a comparison design with more people, or a target the programme can show.",
        example: "measures:\n  - id: proven-rate\n    label: One-year proven reoffending rate\n    unit: percent\n    baseline: 42.5\n    target: 35\n    cohort: 120\n",
        fix: "measures:\n  - id: proven-rate\n    label: One-year proven reoffending rate\n    unit: percent\n    baseline: 42.5\n    target: 35\n    cohort: 700        # three yearly cohorts pooled\n",
    },
    Lint {
        code: Code::DataLabCohort,
        default: Level::Warn,
        configurable: true,
        summary: "a Justice Data Lab source whose cohort is under the Data Lab's minimum of 60 people, or not stated",
        why: "The Justice Data Lab only reports on a cohort of at least 60 people, and it found that samples of more than 500 were far likelier to give a statistically significant result than smaller ones. A source with `kind: justice-data-lab` takes its cohort from the `cohort` of the measures drawing on it: a measure with fewer than 60 people is reported, and so is a source none of whose measures states a cohort, since nobody can then tell whether a report is possible.",
        example: "sources:\n  - id: jdl\n    label: Justice Data Lab\n    kind: justice-data-lab\nmeasures:\n  - id: proven-rate\n    label: One-year proven reoffending rate\n    source: jdl\n    cohort: 45\n",
        fix: "measures:\n  - id: proven-rate\n    label: One-year proven reoffending rate\n    source: jdl\n    cohort: 140        # two years of starters pooled\n",
    },
    Lint {
        code: Code::UndocumentedStorage,
        default: Level::Warn,
        configurable: true,
        summary: "a source of personal data that does not say how it is stored",
        why: "Data about identifiable people brings duties: it must be kept securely and seen only by those who need it. Criminal history and reoffending data are treated as especially sensitive. Writing down where the data lives and who may open it shows that the question was asked, and tells the next person what the rules are.",
        example: "sources:\n  - id: case-records\n    label: Case management system\n    personal_data: true\n",
        fix: "sources:\n  - id: case-records\n    label: Case management system\n    personal_data: true\n    storage: Encrypted case system; named caseworkers only; extracts pseudonymised\n",
    },
    Lint {
        code: Code::UndocumentedSharing,
        default: Level::Warn,
        configurable: true,
        summary: "personal data shared with another organisation without a recorded lawful basis or agreement",
        why: "Passing personal data between organisations needs a lawful and proportionate reason and, usually, a data-sharing agreement; each organisation holding the data must satisfy itself that the sharing is lawful. Some providers held back from the Justice Data Lab while they took legal advice. A source with `personal_data: true` and a `shared_with` list should say in `sharing` what the sharing rests on.",
        example: "sources:\n  - id: partner-records\n    label: Police and prison contact records\n    personal_data: true\n    storage: Counts per person copied into the case system\n    shared_with: [Police, Prison]\n",
        fix: "sources:\n  - id: partner-records\n    label: Police and prison contact records\n    personal_data: true\n    storage: Counts per person copied into the case system\n    shared_with: [Police, Prison]\n    sharing: Data-sharing agreement with each agency, reviewed yearly\n",
    },
    Lint {
        code: Code::RefutedAssumption,
        default: Level::Warn,
        configurable: true,
        summary: "a link or node that rests on an assumption marked `refuted`",
        why: "Testing assumptions is only useful if the model changes when one fails. A refuted assumption under a link means the evidence says that step of the chain does not work as drawn: rework the link or the activity, or find another route. If the design has already changed and the assumption is kept as a record of what was learned, say so with an `allow:` entry and a reason on the assumption.",
        example: "assumptions:\n  - id: national-data-covers-all\n    text: National monitoring counts every treatment start\n    applies_to: [treatment-starts]\n    status: refuted\n",
        fix: "assumptions:\n  - id: national-data-covers-all\n    text: National monitoring counts every treatment start\n    applies_to: [treatment-starts]\n    status: refuted\n    allow:\n      - code: refuted-assumption\n        reason: Starts are now counted from the specialist team's own returns\n",
    },
    Lint {
        code: Code::UnusedAssumption,
        default: Level::Warn,
        configurable: true,
        summary: "an assumption that applies to no link or node",
        why: "An assumption is worth writing down because something rests on it. One that names nothing in `applies_to` cannot be traced to the part of the chain that fails if it is wrong, and cannot be shown on the diagram.",
        example: "assumptions:\n  - id: trust-first\n    text: Mentees attend long enough to build trust\n",
        fix: "assumptions:\n  - id: trust-first\n    text: Mentees attend long enough to build trust\n    applies_to: [\"sessions -> confidence\"]\n",
    },
    Lint {
        code: Code::TargetBeyondCeiling,
        default: Level::Warn,
        configurable: true,
        summary: "a numeric target beyond the accountability ceiling without a matched comparison group",
        why: "Past its first changes, a programme contributes to outcomes alongside many other people and services; it rarely causes them alone. A model can mark the last stage it answers for on its own with `accountability_ceiling:` (for example `direct_impacts`). A measure on a node beyond that stage that promises a number is claiming attribution: the only way to show the programme's share of such a change is against a comparison group matched on the people's characteristics, so elmo asks for `comparison: matched`. Targets written as text, such as \"below the matched comparison group\", are not checked. The check is silent until a model sets a ceiling, so it is a warning: whoever sees it asked for it.",
        example: "accountability_ceiling: direct_impacts\nsystemic_impacts:\n  - id: less-reoffending\n    label: Less reoffending\n    measures: [proven-rate]\nmeasures:\n  - id: proven-rate\n    label: One-year proven reoffending rate\n    baseline: 42.5\n    target: 35\n",
        fix: "measures:\n  - id: proven-rate\n    label: One-year proven reoffending rate\n    baseline: 42.5\n    target: 35\n    comparison: matched\n    source: jdl\n",
    },
    Lint {
        code: Code::CommentInText,
        default: Level::Warn,
        configurable: true,
        summary: "a `#` in unquoted text that YAML reads as the start of a comment, cutting the text short",
        why: "In YAML, a `#` after a space starts a comment, even in the middle of a sentence, so `label: Step #1 of many` gives the label `Step` and the rest is silently dropped: the diagram, the report and the funder see half a label, and nothing fails. elmo warns when unquoted text is followed on its line by a comment that looks like part of it: one with a single space before the `#`, or with no space after it (`#1`). Quote the whole value to keep the `#`. A comment that is meant as one reads best, and is left alone, with two spaces before the `#` and one after, as most YAML style guides ask.",
        example: "outputs:\n  - id: sessions\n    label: Weekly sessions #1 priority\n",
        fix: "outputs:\n  - id: sessions\n    label: \"Weekly sessions #1 priority\"\n",
    },
    Lint {
        code: Code::ResultUnknownMeasure,
        default: Level::Deny,
        configurable: false,
        summary: "a results row names a measure the model does not have",
        why: "A reading that belongs to no measure is shown nowhere: not in `elmo status`, not on the diagram, not in the report. It is usually a typing slip or a measure renamed in the model but not in the results file, and the figure a funder is waiting for silently goes missing.",
        example: "results: [results.csv]\nmeasures:\n  - id: engaged-1m\n    label: Engaged for over a month\n# results.csv:\n#   measure,period,value\n#   engaged-1n,2024-Q1,41\n",
        fix: "# results.csv:\n#   measure,period,value\n#   engaged-1m,2024-Q1,41\n",
    },
    Lint {
        code: Code::ResultUnreadable,
        default: Level::Deny,
        configurable: false,
        summary: "a period, number or arm in a results file that cannot be read, or a results or records file that cannot be opened",
        why: "A reading whose period or number cannot be read cannot be placed on the series or compared with anything; guessing would put a wrong figure in front of a funder. Periods are written `2024`, `2023-24` (UK financial year), `2024-Q1`, `2024-03` or `2024-03-31`; numbers are plain, without `%` or thousands separators; `arm` is `programme` or `comparison`.",
        example: "# results.csv:\n#   measure,period,value\n#   engaged-1m,Q1 2024,41%\n",
        fix: "# results.csv:\n#   measure,period,value\n#   engaged-1m,2024-Q1,41\n",
    },
    Lint {
        code: Code::ResultNumeratorAboveDenominator,
        default: Level::Deny,
        configurable: false,
        summary: "a results row counts more people than it counts them out of",
        why: "A rate's numerator is part of its denominator: 55 people engaged out of 100 released. A numerator above the denominator means the two columns are swapped, or were counted from different groups, and the rate above 100% that follows is meaningless.",
        example: "# results.csv:\n#   measure,period,numerator,denominator\n#   engaged-1m,2024-Q1,100,55\n",
        fix: "# results.csv:\n#   measure,period,numerator,denominator\n#   engaged-1m,2024-Q1,55,100\n",
    },
    Lint {
        code: Code::ResultPercentageOutOfRange,
        default: Level::Deny,
        configurable: false,
        summary: "a value below 0 or above 100 for a measure in percent",
        why: "A share of people cannot be below none or above all of them. A value such as 0.55 for 55% is caught only when it goes out of range, so check the scale of the whole column: a percentage is written 55, not 0.55. A relative change, such as a percentage reduction, is not a share: give it a unit such as `percent reduction`.",
        example: "measures:\n  - id: engaged-1m\n    unit: percent\n# results.csv:\n#   measure,period,value\n#   engaged-1m,2024-Q1,155\n",
        fix: "# results.csv:\n#   measure,period,value\n#   engaged-1m,2024-Q1,55\n",
    },
    Lint {
        code: Code::ResultDuplicate,
        default: Level::Deny,
        configurable: false,
        summary: "two readings for the same measure, period, group and arm",
        why: "When two rows disagree, there is no telling which is the figure to report, and choosing one silently could hide a correction. Keep the right one, or tell them apart with `group` (a breakdown) or `arm` (the comparison group).",
        example: "# results.csv:\n#   measure,period,value\n#   engaged-1m,2024-Q1,41\n#   engaged-1m,2024-Q1,44\n",
        fix: "# results.csv:\n#   measure,period,value\n#   engaged-1m,2024-Q1,44\n",
    },
    Lint {
        code: Code::ResultMissingColumn,
        default: Level::Deny,
        configurable: false,
        summary: "a results file without a `measure` or `period` column, or with neither `value` nor `numerator` and `denominator`",
        why: "Every reading needs to say what was measured, when, and what was found. Without those columns no row of the file can be read, so elmo reports the header once rather than every row.",
        example: "# results.csv:\n#   measure,when,value\n#   engaged-1m,2024-Q1,41\n",
        fix: "# results.csv:\n#   measure,period,value\n#   engaged-1m,2024-Q1,41\n",
    },
    Lint {
        code: Code::ComputeUnknownColumn,
        default: Level::Deny,
        configurable: false,
        summary: "a `compute:` names a column the records file does not have",
        why: "A condition on a column that is not there would match no row, and the measure would report zero completions with full confidence. Column names must match the records file's header exactly, including case.",
        example: "measures:\n  - id: completion-rate\n    compute:\n      records: atr-cases.csv\n      period: {column: end_date, by: quarter}\n      count: {column: termination, in: [50, 51]}\n",
        fix: "measures:\n  - id: completion-rate\n    compute:\n      records: atr-cases.csv\n      period: {column: end_date, by: quarter}\n      count: {column: termination_code, in: [50, 51]}\n",
    },
    Lint {
        code: Code::StaleResult,
        default: Level::Warn,
        configurable: true,
        summary: "a measure's latest reading is older than its `frequency` allows",
        why: "A measure collected monthly whose last reading is from last year is no longer steering anything: the leading indicators that should warn of trouble have gone quiet. elmo allows one period for the next reading to happen and one for it to be reported, so a monthly measure is stale two months after its latest period ended, as of `--as-of` (today by default). Frequencies elmo reads: weekly, fortnightly, monthly, quarterly, termly, six-monthly, annually or yearly. A programme that has ended can record that with `allow:` and a reason.",
        example: "measures:\n  - id: engaged-1m\n    frequency: monthly\n# results.csv: the latest row is for 2024-01\n",
        fix: "measures:\n  - id: engaged-1m\n    frequency: monthly\n    allow:\n      - code: stale-result\n        reason: The programme closed in February 2024\n",
    },
    Lint {
        code: Code::MissingResult,
        default: Level::Warn,
        configurable: true,
        summary: "a measure with no reading at all once reporting has begun",
        why: "A measure that is planned but never reported is a gap a funder will find. Once the model has results (or its `baseline_period` and one period of its `frequency` have passed), every quantitative or proxy measure is expected to have a reading in a results file or from `compute:`.",
        example: "results: [results.csv]\nmeasures:\n  - id: engaged-3m\n    label: Engaged for over three months\n# results.csv has rows for other measures only\n",
        fix: "# results.csv:\n#   measure,period,numerator,denominator\n#   engaged-3m,2024-Q1,22,100\n",
    },
    Lint {
        code: Code::ComparisonNotReported,
        default: Level::Warn,
        configurable: true,
        summary: "a measure with `comparison: matched` whose results have no comparison rows",
        why: "A change in a programme's own figures can come from many things besides the programme. The model promises a comparison group, which is what lets the result be read as the programme's effect, but the results report only the programme's side. Add rows with `arm: comparison` for the same periods.",
        example: "measures:\n  - id: proven-rate\n    comparison: matched\n# results.csv:\n#   measure,period,numerator,denominator\n#   proven-rate,2023-24,30,120\n",
        fix: "# results.csv:\n#   measure,period,numerator,denominator,arm\n#   proven-rate,2023-24,30,120,programme\n#   proven-rate,2023-24,52,120,comparison\n",
    },
    Lint {
        code: Code::TooFewToTell,
        default: Level::Warn,
        configurable: true,
        summary: "a latest reading counted over fewer people than can show a change",
        why: "With few people, a rate moves a long way by chance: 6 of 40 and 12 of 40 are both consistent with the same underlying rate. The Justice Data Lab will not report on fewer than 60 people, and for a measure in percent with a numeric baseline and target elmo also asks whether the reading counts enough people to tell the target apart from the baseline (5% significance, 80% power). Pool periods, or report the figure with its interval and say it could be chance.",
        example: "measures:\n  - id: proven-rate\n    unit: percent\n    baseline: 42.5\n    target: 35\n# results.csv:\n#   measure,period,numerator,denominator\n#   proven-rate,2024-25,12,40\n",
        fix: "# results.csv: pooled over three years\n#   measure,period,numerator,denominator\n#   proven-rate,2024-25,171,540\n",
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
