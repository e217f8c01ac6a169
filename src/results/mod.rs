//! Results: actual values of measures, read from CSV files or computed from case-level
//! records, with their statistics and a status per measure.
//!
//! [`evaluate`] is the one entry point: it reads every results file and records file a model
//! names, checks them, and sums each measure up as a [`MeasureResult`] (series, latest
//! reading, comparison, progress, status). `elmo status` prints it; the diagram, report,
//! serve and diff read the same [`Results`].

pub mod compute;
pub mod config;
pub mod period;
pub mod show;
pub mod table;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use config::{Compute, Condition, PeriodSpec, Test};
pub use period::{Date, Period, PeriodBy};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Comparison, Direction, Measure, MeasureKind, Model, Quantity};
use crate::span::Span;
use crate::stats::inference;
use crate::unit::Unit;

use crate::lint::{Level, Lint};
/// The `stale-result` lint.
pub(crate) static STALE_RESULT: Lint = Lint {
    code: Code::StaleResult,
    name: "stale-result",
    default: Level::Warn,
    configurable: true,
    label: "out of date",
    summary: "a measure's latest reading is older than its `frequency` allows",
    why: "A measure collected monthly whose last reading is from last year is no longer steering anything: the leading indicators that should warn of trouble have gone quiet. elmo allows one period for the next reading to happen and one for it to be reported, so a monthly measure is stale two months after its latest period ended, as of `--as-of` (today by default). Frequencies elmo reads: weekly, fortnightly, monthly, quarterly, termly, six-monthly, annually or yearly. A programme that has ended can record that with `allow:` and a reason.",
    example: "measures:\n  - id: engaged-1m\n    frequency: monthly\n# results.csv: the latest row is for 2024-01\n",
    fix: "measures:\n  - id: engaged-1m\n    frequency: monthly\n    allow:\n      - code: stale-result\n        reason: The programme closed in February 2024\n",
    funder: "The latest result for {label} is out of date.",
};

/// The `missing-result` lint.
pub(crate) static MISSING_RESULT: Lint = Lint {
    code: Code::MissingResult,
    name: "missing-result",
    default: Level::Warn,
    configurable: true,
    label: "never reported",
    summary: "a measure with no reading at all once reporting has begun",
    why: "A measure that is planned but never reported is a gap a funder will find. Once the model has results (or its `baseline_period` and one period of its `frequency` have passed), every quantitative or proxy measure is expected to have a reading in a results file or from `compute:`.",
    example: "results: [results.csv]\nmeasures:\n  - id: engaged-3m\n    label: Engaged for over three months\n# results.csv has rows for other measures only\n",
    fix: "# results.csv:\n#   measure,period,numerator,denominator\n#   engaged-3m,2024-Q1,22,100\n",
    funder: "No result has been reported yet for {label}.",
};

/// The `comparison-not-reported` lint.
pub(crate) static COMPARISON_NOT_REPORTED: Lint = Lint {
    code: Code::ComparisonNotReported,
    name: "comparison-not-reported",
    default: Level::Warn,
    configurable: true,
    label: "no comparison rows",
    summary: "a measure with `comparison: matched` or `randomised` whose results have no comparison rows",
    why: "A change in a programme's own figures can come from many things besides the programme. The model promises a comparison group, which is what lets the result be read as the programme's effect, but the results report only the programme's side. Add rows with `arm: comparison` for the same periods.",
    example: "measures:\n  - id: proven-rate\n    comparison: matched\n# results.csv:\n#   measure,period,numerator,denominator\n#   proven-rate,2023-24,30,120\n",
    fix: "# results.csv:\n#   measure,period,numerator,denominator,arm\n#   proven-rate,2023-24,30,120,programme\n#   proven-rate,2023-24,52,120,comparison\n",
    funder: "{label} is meant to be compared with another group, but no figures for that group are reported yet.",
};

/// The `too-few-to-tell` lint.
pub(crate) static TOO_FEW_TO_TELL: Lint = Lint {
    code: Code::TooFewToTell,
    name: "too-few-to-tell",
    default: Level::Warn,
    configurable: true,
    label: "too few people",
    summary: "a latest reading counted over fewer people than can show a change",
    why: "With few people, a rate moves a long way by chance: 6 of 40 and 12 of 40 are both consistent with the same underlying rate. The Justice Data Lab will not report on fewer than 60 people, and for a measure in percent with a numeric baseline and target elmo also asks whether the reading counts enough people to tell the target apart from the baseline (5% significance, 80% power). Pool periods, or report the figure with its interval and say it could be chance.",
    example: "measures:\n  - id: proven-rate\n    unit: percent\n    baseline: 42.5\n    target: 35\n# results.csv:\n#   measure,period,numerator,denominator\n#   proven-rate,2024-25,12,40\n",
    fix: "# results.csv: pooled over three years\n#   measure,period,numerator,denominator\n#   proven-rate,2024-25,171,540\n",
    funder: "The latest result for {label} rests on too few people to tell whether anything changed.",
};

/// The diagnostic codes about results, each tested with a model and CSV fixture rather than a
/// model alone.
pub const CODES: [Code; 11] = [
    Code::ResultUnknownMeasure,
    Code::ResultUnreadable,
    Code::ResultNumeratorAboveDenominator,
    Code::ResultPercentageOutOfRange,
    Code::ResultDuplicate,
    Code::ResultMissingColumn,
    Code::ComputeUnknownColumn,
    Code::StaleResult,
    Code::MissingResult,
    Code::ComparisonNotReported,
    Code::TooFewToTell,
];

/// The fewest people the Justice Data Lab reports on; fewer is `too-few-to-tell`.
pub const DATA_LAB_MINIMUM: f64 = 60.0;

/// The largest results file read, in bytes. Records files are streamed and have no limit.
pub const MAX_RESULTS_FILE: usize = 64 * 1024 * 1024;

/// Which group a reading is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Arm {
    /// The people the programme works with.
    Programme,
    /// A comparison group (matched or randomised).
    Comparison,
}

/// Where a reading came from, for diagnostics about it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Place {
    /// A row of results file number `file`.
    Csv {
        /// The index into [`Results::files`].
        file: usize,
        /// The row.
        row: Span,
        /// The denominator cell, or the row when there is none.
        n: Span,
    },
    /// A `compute:` block in the model.
    Model(Span),
}

/// One reading, as read or computed, before statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The measure's id.
    pub measure: String,
    /// When.
    pub period: Period,
    /// `all`, or a breakdown `name=value`.
    pub group: String,
    /// Programme or comparison.
    pub arm: Arm,
    /// The value, in the measure's unit, when given or computed.
    pub value: Option<f64>,
    /// The count on top of a rate.
    pub numerator: Option<f64>,
    /// What it is counted out of.
    pub denominator: Option<f64>,
    /// The note column.
    pub note: Option<String>,
    /// Where it came from.
    pub place: Place,
}

/// A reading with its value and 95% interval worked out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// When.
    pub period: Period,
    /// Programme or comparison.
    pub arm: Arm,
    /// `all`, or a breakdown `name=value`.
    pub group: String,
    /// The value in the measure's unit.
    pub value: f64,
    /// The count on top of a rate, when known.
    pub numerator: Option<f64>,
    /// What it is counted out of, when known.
    pub denominator: Option<f64>,
    /// The 95% interval (Wilson, or exact Poisson for a rate per population); `None`
    /// without counts.
    pub ci: Option<(f64, f64)>,
    /// The note column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The latest programme reading against the comparison arm in the same period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VsComparison {
    /// The comparison's period (the latest reading's).
    pub period: Period,
    /// The comparison arm's value.
    pub value: f64,
    /// Programme minus comparison, in the measure's unit.
    pub difference: f64,
    /// Newcombe's 95% interval for the difference; `None` without counts on both sides.
    pub ci: Option<(f64, f64)>,
    /// The two-proportion z-test's two-sided p-value; `None` without counts.
    pub p_value: Option<f64>,
    /// Whether the difference is significant at the 5% level; false without a test.
    pub significant: bool,
}

/// The latest reading against the baseline, taken as a fixed benchmark.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VsBaseline {
    /// Latest minus baseline, in the measure's unit.
    pub difference: f64,
    /// The one-sample test's two-sided p-value: the score test for a proportion, the
    /// normal approximation for a Poisson count.
    pub p_value: f64,
    /// Whether the change is significant at the 5% level.
    pub significant: bool,
}

/// How a measure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The latest reading has reached the target.
    Met,
    /// Moving towards the target at least as fast as the straight line from the baseline.
    OnTrack,
    /// Moving towards the target, but behind the straight line, or by no more than chance.
    AtRisk,
    /// Not moving towards the target, or moving away.
    OffTrack,
    /// No reading, or nothing numeric to judge it by.
    NoData,
    /// The latest reading is older than the measure's frequency allows.
    Stale,
}

impl Status {
    /// The word used in every output.
    pub fn word(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::OnTrack => "on-track",
            Status::AtRisk => "at-risk",
            Status::OffTrack => "off-track",
            Status::NoData => "no-data",
            Status::Stale => "stale",
        }
    }

    /// A shape that tells the statuses apart without colour.
    pub fn shape(self) -> &'static str {
        match self {
            Status::Met => "★",
            Status::OnTrack => "▲",
            Status::AtRisk => "◆",
            Status::OffTrack => "▼",
            Status::NoData => "○",
            Status::Stale => "◌",
        }
    }
}

/// Everything known about one measure's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureResult {
    /// The measure's id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Its unit as written.
    pub unit: Option<String>,
    /// Where it stands.
    pub status: Status,
    /// Why, in a few words.
    pub reason: String,
    /// The latest programme reading for the whole group.
    pub latest: Option<Point>,
    /// The numeric baseline.
    pub baseline: Option<f64>,
    /// The numeric target.
    pub target: Option<f64>,
    /// The share of the way from baseline to target (1 at the target; negative when moving
    /// away), direction-aware.
    pub progress: Option<f64>,
    /// Where the straight line from `baseline_period` to `target_by` says progress should be
    /// at the latest reading.
    pub expected_progress: Option<f64>,
    /// Against the comparison arm in the latest period.
    pub comparison: Option<VsComparison>,
    /// Against the baseline as a fixed benchmark.
    pub vs_baseline: Option<VsBaseline>,
    /// Every reading, by period, then group, then arm.
    pub series: Vec<Point>,
}

/// One results file as read: its text is kept so diagnostics can show the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultFile {
    /// The path as written in the model.
    pub name: String,
    /// The path on disk.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
    /// Problems in the file, with spans into `text`.
    pub diagnostics: Vec<Diagnostic>,
}

/// The results of one model.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// The day staleness is judged on.
    pub as_of: Date,
    /// Each results file the model lists, in order.
    pub files: Vec<ResultFile>,
    /// Problems whose place is in the model file (spans into the model's text).
    pub model_diagnostics: Vec<Diagnostic>,
    /// One entry per quantitative or proxy measure, in model order.
    pub measures: Vec<MeasureResult>,
    /// The records files read by `compute:`, for watchers to follow.
    pub records: Vec<PathBuf>,
    /// Findings an `allow:` or a lint level silenced, so a report can show them with their
    /// reason instead of as no finding.
    pub accepted: Vec<crate::check::Accepted>,
}

impl Results {
    /// Whether any results diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .chain(&self.model_diagnostics)
            .any(|d| d.severity == crate::Severity::Error)
    }

    /// The diagnostics with the command line's lint levels (`-A`, `-W`, `-D`) applied over
    /// the model's own.
    pub fn apply_levels(&mut self, model: &Model, flags: &[crate::check::LevelFlag]) {
        let mut accepted = Vec::new();
        let mut levels = |d| {
            let (kept, silenced) = crate::check::apply_levels_keeping(Some(model), flags, d);
            accepted.extend(silenced);
            sorted(kept)
        };
        self.model_diagnostics = levels(std::mem::take(&mut self.model_diagnostics));
        for f in &mut self.files {
            f.diagnostics = levels(std::mem::take(&mut f.diagnostics));
        }
        self.accepted.extend(accepted);
    }

    /// The result for measure `id`.
    pub fn measure(&self, id: &str) -> Option<&MeasureResult> {
        self.measures.iter().find(|m| m.id == id)
    }

    /// Every file results were read from: results files, then records files.
    pub fn inputs(&self) -> Vec<&Path> {
        self.files
            .iter()
            .map(|f| f.path.as_path())
            .chain(self.records.iter().map(PathBuf::as_path))
            .collect()
    }
}

/// What one unit of a measure's value is: 100 for percent, N for "per N", otherwise 1.
pub fn scale(m: &Measure) -> f64 {
    match m.unit.as_ref().map(|u| Unit::parse(&u.value)) {
        Some(Unit::Proportion { scale }) => scale,
        _ => 1.0,
    }
}

/// Whether a measure is a rate per population (per 1,000 or more), whose counts are Poisson.
fn per_population(m: &Measure) -> bool {
    scale(m) > 100.0
}

/// Whether a measure's values are shares, with an interval only from counts.
fn is_share(m: &Measure) -> bool {
    matches!(
        m.unit.as_ref().map(|u| Unit::parse(&u.value)),
        Some(Unit::Proportion { scale }) if scale <= 100.0
    )
}

/// How many days a measure's `frequency` allows between readings, when elmo can read it.
pub fn frequency_days(frequency: &str) -> Option<i64> {
    let f = frequency.to_lowercase();
    let has = |w: &str| f.contains(w);
    if has("fortnight") {
        Some(14)
    } else if has("week") {
        Some(7)
    } else if has("six-month") || has("six month") || has("half-year") || has("twice a year") {
        Some(183)
    } else if has("quarter") {
        Some(92)
    } else if has("term") {
        Some(122)
    } else if has("month") {
        Some(31)
    } else if has("annual") || has("year") {
        Some(366)
    } else {
        None
    }
}

/// Where a model's results and records files are read from: a folder on disk, or (for
/// `elmo diff`) a git revision.
pub trait Files {
    /// How the file `name` (as written in the model) is named to the user.
    fn path(&self, name: &str) -> PathBuf;
    /// The whole of results file `name`, at most [`MAX_RESULTS_FILE`] bytes and one more.
    fn read(&self, name: &str) -> std::io::Result<Vec<u8>>;
    /// Records file `name`, to be streamed.
    fn open(&self, name: &str) -> std::io::Result<Box<dyn std::io::Read>>;
}

/// The files beside a model on disk, relative to its folder.
#[derive(Debug, Clone, Copy)]
pub struct Dir<'a>(pub &'a Path);

impl Files for Dir<'_> {
    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
    fn read(&self, name: &str) -> std::io::Result<Vec<u8>> {
        crate::input::read_file(&self.0.join(name), MAX_RESULTS_FILE)
    }
    fn open(&self, name: &str) -> std::io::Result<Box<dyn std::io::Read>> {
        Ok(Box::new(std::fs::File::open(self.0.join(name))?))
    }
}

/// Whether `model` names any results: a file under `results:` or a measure with `compute:`.
/// Without any, there is nothing to evaluate and the diagram is drawn as it always was.
pub fn named(model: &Model) -> bool {
    !model.results.is_empty() || model.measures.iter().any(|m| m.compute.is_some())
}

/// Reads every results and records file `model` names, relative to `base_dir`, checks them
/// and works out each measure's statistics and status as of `as_of`.
///
/// Diagnostics carry the model's own `lints:` and `allow:` levels.
pub fn evaluate(model: &Model, base_dir: &Path, as_of: Date) -> Results {
    evaluate_in(model, &Dir(base_dir), as_of)
}

/// The results `elmo check` reports for a compiled model whose file is in `base_dir`: none
/// when the model has errors (its measures may be missing or misread, and every row naming
/// them would be reported again) or names no results; otherwise [`evaluate`]d with the
/// level flags `levels` applied over the model's own.
///
/// `elmo check` and `elmo lsp` both call this, so the editor shows what the command prints.
pub fn for_check(
    compiled: &crate::Compiled,
    diagnostics: &[Diagnostic],
    base_dir: &Path,
    levels: &[crate::check::LevelFlag],
    as_of: Date,
) -> Option<Results> {
    let errors = diagnostics
        .iter()
        .any(|d| d.severity == crate::Severity::Error);
    let model = compiled.model.as_ref().filter(|_| !errors)?;
    if !named(model) {
        return None;
    }
    let mut results = evaluate(model, base_dir, as_of);
    results.apply_levels(model, levels);
    Some(results)
}

/// [`evaluate`], reading the files from `files`.
pub fn evaluate_in(model: &Model, files_in: &dyn Files, as_of: Date) -> Results {
    let mut readings = Vec::new();
    let mut files = Vec::new();
    let mut model_diags = Vec::new();
    for (i, name) in model.results.iter().enumerate() {
        let path = files_in.path(&name.value);
        let mut diagnostics = Vec::new();
        let (text, read) = match files_in.read(&name.value) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => (t, true),
                Err(e) => {
                    model_diags.push(cannot_read(name.span, &name.value, "it is not UTF-8 text"));
                    (String::from_utf8_lossy(e.as_bytes()).into_owned(), true)
                }
            },
            Err(e) => {
                model_diags.push(cannot_read(name.span, &name.value, &e.to_string()));
                (String::new(), false)
            }
        };
        if read {
            table::read(&text, i, model, &mut readings, &mut diagnostics);
        }
        files.push(ResultFile {
            name: name.value.clone(),
            path,
            text,
            diagnostics,
        });
    }
    let mut records = Vec::new();
    let mut by_file: Vec<(&str, Vec<&Measure>)> = Vec::new();
    for m in &model.measures {
        if let Some(c) = &m.compute {
            match by_file.iter_mut().find(|(r, _)| *r == c.records.value) {
                Some((_, ms)) => ms.push(m),
                None => by_file.push((&c.records.value, vec![m])),
            }
        }
    }
    for (name, measures) in by_file {
        let path = files_in.path(name);
        match files_in.open(name) {
            Ok(f) => compute::run(
                std::io::BufReader::with_capacity(1 << 16, f),
                name,
                &measures,
                &mut readings,
                &mut model_diags,
            ),
            Err(e) => {
                for m in &measures {
                    if let Some(c) = &m.compute {
                        model_diags.push(
                            cannot_read(c.records.span, name, &e.to_string()).about(&m.id.value),
                        );
                    }
                }
            }
        }
        records.push(path);
    }
    duplicates(&readings, &mut files, &mut model_diags);
    let mut measures = Vec::new();
    for m in &model.measures {
        if m.kind() == MeasureKind::Qualitative && !readings.iter().any(|r| r.measure == m.id.value)
        {
            continue;
        }
        let mine: Vec<&Reading> = readings
            .iter()
            .filter(|r| r.measure == m.id.value)
            .collect();
        let result = summarise(m, &mine, as_of);
        lints(
            model,
            m,
            &mine,
            &result,
            as_of,
            &readings,
            &mut files,
            &mut model_diags,
        );
        measures.push(result);
    }
    // Levels from the model's `lints:` and each item's `allow:`; the command line's come after.
    let (model_diagnostics, mut accepted) =
        crate::check::apply_levels_keeping(Some(model), &[], model_diags);
    let model_diagnostics = sorted(model_diagnostics);
    for f in &mut files {
        let d = std::mem::take(&mut f.diagnostics);
        let (kept, silenced) = crate::check::apply_levels_keeping(Some(model), &[], d);
        f.diagnostics = sorted(kept);
        accepted.extend(silenced);
    }
    // A measure whose staleness is allowed is judged on its latest reading instead.
    for r in &mut measures {
        if r.status == Status::Stale
            && !model_diagnostics
                .iter()
                .any(|d| d.code == Code::StaleResult && d.subject.as_deref() == Some(&r.id))
            && let Some(m) = model.measures.iter().find(|m| m.id.value == r.id)
        {
            r.status = judge(r);
            r.reason = reason(r, m);
        }
    }
    Results {
        as_of,
        files,
        model_diagnostics,
        measures,
        records,
        accepted,
    }
}

fn sorted(mut d: Vec<Diagnostic>) -> Vec<Diagnostic> {
    d.sort_by(|a, b| (a.span.start, a.code, &a.message).cmp(&(b.span.start, b.code, &b.message)));
    d
}

fn cannot_read(span: Span, name: &str, why: &str) -> Diagnostic {
    Diagnostic::new(
        Code::ResultUnreadable,
        format!("{name} cannot be read: {why}"),
        span,
    )
    .with_help("check the path: it is relative to the model file")
}

fn duplicates(readings: &[Reading], files: &mut [ResultFile], model_diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<(&str, Period, &str, Arm), &Place> = HashMap::new();
    for r in readings {
        let key = (r.measure.as_str(), r.period, r.group.as_str(), r.arm);
        let Some(first) = seen.get(&key) else {
            seen.insert(key, &r.place);
            continue;
        };
        let arm = match r.arm {
            Arm::Programme => "programme",
            Arm::Comparison => "comparison",
        };
        let msg = format!(
            "`{}` already has a {arm} reading for {} (group {})",
            r.measure, r.period, r.group
        );
        let help = "keep one row per measure, period, group and arm; tell breakdowns apart with `group` and comparison figures with `arm`";
        match (r.place, **first) {
            (
                Place::Csv { file, row, .. },
                Place::Csv {
                    file: f0, row: r0, ..
                },
            ) if file == f0 => {
                files[file].diagnostics.push(
                    Diagnostic::new(Code::ResultDuplicate, msg, row)
                        .with_related(r0, "first given here")
                        .with_help(help)
                        .about(&r.measure),
                );
            }
            (Place::Csv { file, row, .. }, other) => {
                let also = match other {
                    Place::Csv { file: f0, .. } => format!(" (first given in {})", files[f0].name),
                    Place::Model(_) => " (it is also computed by `compute:`)".to_string(),
                };
                files[file].diagnostics.push(
                    Diagnostic::new(Code::ResultDuplicate, format!("{msg}{also}"), row)
                        .with_help(help)
                        .about(&r.measure),
                );
            }
            (Place::Model(span), _) => model_diags.push(
                Diagnostic::new(Code::ResultDuplicate, msg, span)
                    .with_help(help)
                    .about(&r.measure),
            ),
        }
    }
}

fn point(m: &Measure, r: &Reading) -> Option<Point> {
    let scale = scale(m);
    let counts = r.numerator.zip(r.denominator);
    let value = r.value.or_else(|| counts.map(|(n, d)| n / d * scale))?;
    let ci = counts.and_then(|(n, d)| {
        if per_population(m) {
            inference::poisson_exact(n).map(|(lo, hi)| (lo / d * scale, hi / d * scale))
        } else if is_share(m) {
            inference::wilson(n, d).map(|(lo, hi)| (lo * scale, hi * scale))
        } else {
            None
        }
    });
    Some(Point {
        period: r.period,
        arm: r.arm,
        group: r.group.clone(),
        value,
        numerator: r.numerator,
        denominator: r.denominator,
        ci,
        note: r.note.clone(),
    })
}

fn number(q: Option<&Quantity>) -> Option<f64> {
    match q {
        Some(Quantity::Number(n)) => Some(*n),
        _ => None,
    }
}

/// The direction a measure should move: as stated, else from baseline to target.
fn direction(m: &Measure) -> Option<Direction> {
    if let Some(d) = m.direction.as_deref() {
        return Some(*d);
    }
    match m.numeric_change() {
        Some((b, t)) if t > b => Some(Direction::Increase),
        Some((b, t)) if t < b => Some(Direction::Decrease),
        _ => None,
    }
}

fn summarise(m: &Measure, readings: &[&Reading], as_of: Date) -> MeasureResult {
    let mut series: Vec<Point> = readings.iter().filter_map(|r| point(m, r)).collect();
    series.sort_by(|a, b| {
        (a.period, &a.group != "all", &a.group, a.arm).cmp(&(
            b.period,
            &b.group != "all",
            &b.group,
            b.arm,
        ))
    });
    let latest = series
        .iter()
        .rev()
        .find(|p| p.arm == Arm::Programme && p.group == "all")
        .cloned();
    let baseline = number(m.baseline.as_deref());
    let target = number(m.target.as_deref());
    let progress = match (&latest, baseline, target) {
        (Some(l), Some(b), Some(t)) if t != b => Some((l.value - b) / (t - b)),
        _ => None,
    };
    let expected_progress = match (&latest, &m.baseline_period, &m.target_by) {
        (Some(l), Some(bp), Some(tb)) => {
            let (start, end) = (bp.end().days(), tb.end().days());
            (end > start).then(|| {
                ((l.period.end().days() - start) as f64 / (end - start) as f64).clamp(0.0, 1.0)
            })
        }
        _ => None,
    };
    let comparison = latest.as_ref().and_then(|l| {
        let c = series
            .iter()
            .find(|p| p.arm == Arm::Comparison && p.group == "all" && p.period == l.period)?;
        let test = match (
            l.numerator.zip(l.denominator),
            c.numerator.zip(c.denominator),
        ) {
            (Some((x1, n1)), Some((x2, n2))) if is_share(m) => {
                inference::two_proportions(x1, n1, x2, n2)
            }
            _ => None,
        };
        let s = scale(m);
        Some(VsComparison {
            period: l.period,
            value: c.value,
            difference: l.value - c.value,
            ci: test.map(|t| (t.ci.0 * s, t.ci.1 * s)),
            p_value: test.map(|t| t.p_value),
            significant: test.is_some_and(|t| t.p_value < 0.05),
        })
    });
    let vs_baseline = match (&latest, baseline) {
        (Some(l), Some(b)) => {
            let s = scale(m);
            let test = match l.numerator.zip(l.denominator) {
                Some((x, n)) if is_share(m) => inference::one_proportion(x, n, b / s),
                Some((x, n)) if per_population(m) => inference::one_poisson(x, b / s * n),
                _ => None,
            };
            test.map(|(_, p)| VsBaseline {
                difference: l.value - b,
                p_value: p,
                significant: p < 0.05,
            })
        }
        _ => None,
    };
    let mut result = MeasureResult {
        id: m.id.value.clone(),
        label: m.label.value.clone(),
        unit: m.unit.as_ref().map(|u| u.value.clone()),
        status: Status::NoData,
        reason: String::new(),
        latest,
        baseline,
        target,
        progress,
        expected_progress,
        comparison,
        vs_baseline,
        series,
    };
    result.status = judge(&result);
    result.reason = reason(&result, m);
    if let (Some(l), Some(days)) = (
        &result.latest,
        m.frequency.as_ref().and_then(|f| frequency_days(&f.value)),
    ) && as_of.days() > l.period.end().days() + 2 * days
    {
        result.status = Status::Stale;
        result.reason = format!(
            "latest reading {} is older than `{}` allows as of {as_of}",
            l.period,
            m.frequency.as_ref().map_or("", |f| f.value.as_str())
        );
    }
    result
}

/// The status from the figures alone, without staleness.
fn judge(r: &MeasureResult) -> Status {
    let (Some(_), Some(progress)) = (&r.latest, r.progress) else {
        return match (&r.latest, r.target, r.baseline) {
            (Some(l), Some(t), None) if l.value == t => Status::Met,
            _ => Status::NoData,
        };
    };
    if progress >= 1.0 {
        return Status::Met;
    }
    if progress <= 0.0 {
        return Status::OffTrack;
    }
    match r.expected_progress {
        Some(e) if progress + 1e-9 >= e => Status::OnTrack,
        Some(_) => Status::AtRisk,
        // Without a trajectory, a move that could be chance is not yet on track.
        None if r.vs_baseline.as_ref().is_some_and(|b| !b.significant) => Status::AtRisk,
        None => Status::OnTrack,
    }
}

fn reason(r: &MeasureResult, m: &Measure) -> String {
    let Some(l) = &r.latest else {
        return "no reading yet".to_string();
    };
    let Some(p) = r.progress else {
        return if r.target.is_none() || r.baseline.is_none() {
            "no numeric baseline and target to judge the reading against".to_string()
        } else {
            "the target equals the baseline".to_string()
        };
    };
    let pct = (p * 100.0).round();
    match (r.status, r.expected_progress) {
        (Status::Met, _) => {
            let unit = if scale(m) == 100.0 { "%" } else { "" };
            format!(
                "{}{unit} reached the target in {}",
                shown(l.value),
                l.period
            )
        }
        (Status::OffTrack, _) => format!(
            "{pct}% of the way from baseline to target: not moving {}",
            match direction(m) {
                Some(Direction::Decrease) => "down",
                _ => "up",
            }
        ),
        (_, Some(e)) => format!(
            "{pct}% of the way to the target; the straight line from {} to {} is at {}%",
            m.baseline_period
                .as_ref()
                .map_or(String::new(), |p| p.to_string()),
            m.target_by
                .as_ref()
                .map_or(String::new(), |p| p.to_string()),
            (e * 100.0).round()
        ),
        (Status::AtRisk, None) => {
            format!("{pct}% of the way to the target, but the change from baseline could be chance")
        }
        _ => format!("{pct}% of the way from baseline to target"),
    }
}

/// A number as people write it: up to two decimals, no trailing zeros.
pub fn shown(v: f64) -> String {
    let s = format!("{:.2}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

fn people(n: f64) -> String {
    if n == 1.0 {
        "1 person".to_string()
    } else {
        format!("{} people", shown(n))
    }
}

#[allow(clippy::too_many_arguments)]
fn lints(
    model: &Model,
    m: &Measure,
    mine: &[&Reading],
    r: &MeasureResult,
    as_of: Date,
    all: &[Reading],
    files: &mut [ResultFile],
    diags: &mut Vec<Diagnostic>,
) {
    let id = m.id.value.as_str();
    let at = m.id.span;
    if m.kind() == MeasureKind::Qualitative {
        return;
    }
    if r.status == Status::Stale
        && let Some(l) = &r.latest
    {
        let freq = m.frequency.as_ref().map_or("", |f| f.value.as_str());
        let due = l.period.end().days()
            + 2 * m
                .frequency
                .as_ref()
                .and_then(|f| frequency_days(f))
                .unwrap_or(0);
        diags.push(
            Diagnostic::new(
                Code::StaleResult,
                format!(
                    "the latest reading of `{id}` is for {}, but it is collected {freq}; as of {as_of} a newer one was due by {}",
                    l.period,
                    Date::from_days(due)
                ),
                m.frequency.as_ref().map_or(at, |f| f.span),
            )
            .with_help("add the newer readings to the results file, or record why there are none with `allow: [stale-result]` and a reason")
            .about(id),
        );
    }
    // A row rejected by another check, or a file that could not be read, is not a
    // missing reading: the error already says what to fix.
    let rejected = files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .chain(diags.iter())
        .any(|d| d.subject.is_none() || d.subject.as_deref() == Some(id));
    if mine.is_empty() && rejected {
        return;
    }
    if mine.is_empty() {
        let begun = match (
            &m.baseline_period,
            m.frequency.as_ref().and_then(|f| frequency_days(f)),
        ) {
            (Some(bp), Some(days)) => as_of.days() > bp.end().days() + 2 * days,
            _ => !all.is_empty() && (!model.results.is_empty() || m.compute.is_some()),
        };
        if begun {
            diags.push(
                Diagnostic::new(
                    Code::MissingResult,
                    format!("`{id}` has no reading in any results file"),
                    at,
                )
                .with_help(format!(
                    "add rows with `measure` `{id}` to a results file, or compute it from records with `compute:`"
                ))
                .about(id),
            );
        }
        return;
    }
    if let Some(c) = &m.comparison
        && matches!(c.value, Comparison::Matched | Comparison::Randomised)
        && !mine.iter().any(|x| x.arm == Arm::Comparison)
    {
        diags.push(
            Diagnostic::new(
                Code::ComparisonNotReported,
                format!(
                    "`{id}` is compared with a {} group, but its results have no comparison rows",
                    c.value
                ),
                c.span,
            )
            .with_help("add the comparison group's readings as rows with `arm: comparison`, for the same periods")
            .about(id),
        );
    }
    let Some(l) = &r.latest else { return };
    let needed = match (is_share(m), m.numeric_change()) {
        (true, Some((b, t))) => {
            let s = scale(m);
            crate::stats::cohort_needed(
                crate::stats::Scale::Proportion,
                crate::stats::Groups::Two,
                b / s,
                t / s,
            )
        }
        _ => None,
    };
    for arm in [Arm::Programme, Arm::Comparison] {
        let Some(reading) = mine
            .iter()
            .find(|x| x.arm == arm && x.group == "all" && x.period == l.period)
        else {
            continue;
        };
        let Some(n) = reading.denominator else {
            continue;
        };
        let arm_word = match arm {
            Arm::Programme => "",
            Arm::Comparison => " comparison",
        };
        let msg = if n < DATA_LAB_MINIMUM {
            format!(
                "the latest{arm_word} reading of `{id}` ({}) counts {}, fewer than the Justice Data Lab's minimum of 60",
                l.period,
                people(n)
            )
        } else if let Some(need) = needed.filter(|need| n < *need as f64) {
            format!(
                "the latest{arm_word} reading of `{id}` ({}) counts {}; telling {} from {} needs about {need} per group",
                l.period,
                people(n),
                shown(r.baseline.unwrap_or_default()),
                shown(r.target.unwrap_or_default()),
            )
        } else {
            continue;
        };
        let d = |span| {
            Diagnostic::new(Code::TooFewToTell, msg.clone(), span)
                .with_help("pool several periods into one reading, and report the interval: a change this size could be chance")
                .about(id)
        };
        match reading.place {
            Place::Csv { file, n, .. } => files[file].diagnostics.push(d(n)),
            Place::Model(span) => diags.push(d(span)),
        }
    }
}
