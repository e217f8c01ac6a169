//! The measurement framework report: what a funder or board asks for, built from a compiled
//! model and printed as Markdown, HTML or CSV.
//!
//! [`Report::build`] gathers every section from the typed model and from the diagnostics the
//! checks already produced (gaps are read from them, never recomputed), so the report can
//! never disagree with `elmo check`. The formats in [`md`], [`html`] and [`csv`] only lay the
//! sections out.
//!
//! Sections, in order: the measures of each output and impact (and of any input or activity
//! that has some, and the measures no box uses, so every measure is listed in full), the gaps,
//! the measures beyond the accountability ceiling, the assumptions register and the data
//! sources. A new section goes in as a field of [`Report`] filled by [`Report::build`], plus
//! one function per format, called from that format's entry point in the order the sections
//! are printed.

pub mod chart;
pub mod csv;
pub mod html;
pub mod md;
pub mod results;
pub mod stamp;

use std::collections::HashMap;

use crate::Compiled;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::Code;
use crate::model::{MeasureKind, Model, Stage, Status, Target};

/// The report of one model, ready to format.
#[derive(Debug, Clone)]
pub struct Report {
    /// The model's title.
    pub title: String,
    /// The long-term change sought.
    pub vision: Option<String>,
    /// Why the change is needed.
    pub context: Option<String>,
    /// Every output and impact, and every input and activity with measures, in stage then
    /// file order, with its measures.
    pub framework: Vec<FrameworkNode>,
    /// Measures that no box lists, in file order.
    pub unused_measures: Vec<MeasureRow>,
    /// What the checks found, grouped by code in registry order.
    pub gaps: Vec<GapGroup>,
    /// Assumptions grouped by status: refuted, challenged, untested, holding (empty groups left out).
    pub assumptions: Vec<AssumptionGroup>,
    /// Every data source, in file order.
    pub sources: Vec<SourceRow>,
    /// How far the model can show its impact: three shares a board can track.
    pub readiness: crate::readiness::Readiness,
    /// Measures beyond the accountability ceiling, when the model sets one.
    pub contribution: Option<Contribution>,
    /// When the report was made and from which version of the file; set by whoever knows
    /// the file (see [`stamp::Stamp::for_file`]).
    pub stamp: Option<stamp::Stamp>,
    /// The measures' results, when the model has any (see [`Report::with_results`]).
    pub results: Option<results::ResultsSection>,
}

/// The measures of changes the programme shares with others: beyond its accountability
/// ceiling, only a comparison group can show the programme's part.
#[derive(Debug, Clone)]
pub struct Contribution {
    /// The last stage the programme answers for alone.
    pub ceiling: Stage,
    /// Each measure beyond it, with the node it shows.
    pub rows: Vec<ContributionRow>,
}

/// One measure beyond the ceiling.
#[derive(Debug, Clone)]
pub struct ContributionRow {
    /// The node's label.
    pub node: String,
    /// The measure's label.
    pub measure: String,
    /// Whether a matched comparison group is planned.
    pub matched: bool,
}

/// An output or impact and the measures that show it.
#[derive(Debug, Clone)]
pub struct FrameworkNode {
    /// The node's id.
    pub id: String,
    /// Its stage (outputs or one of the impacts).
    pub stage: Stage,
    /// Its label.
    pub label: String,
    /// Its measures, in the order the node lists them.
    pub measures: Vec<MeasureRow>,
}

/// One measure as the report shows it: every field as text, the source by its label.
#[derive(Debug, Clone)]
pub struct MeasureRow {
    /// The measure's id.
    pub id: String,
    /// What is measured.
    pub label: String,
    /// How it shows change.
    pub kind: MeasureKind,
    /// What a proxy stands in for.
    pub proxy_for: Option<String>,
    /// The unit.
    pub unit: Option<String>,
    /// The baseline, as written.
    pub baseline: Option<String>,
    /// The target, as written.
    pub target: Option<String>,
    /// The source's id.
    pub source_id: Option<String>,
    /// The source's label (its id when the source is not defined).
    pub source: Option<String>,
    /// How often it is collected.
    pub frequency: Option<String>,
    /// Who collects it.
    pub owner: Option<String>,
}

/// The findings of one check code.
#[derive(Debug, Clone)]
pub struct GapGroup {
    /// The code.
    pub code: Code,
    /// The code's one-line summary from the lint registry.
    pub summary: &'static str,
    /// Each finding.
    pub items: Vec<Gap>,
}

/// One finding of the checks.
#[derive(Debug, Clone)]
pub struct Gap {
    /// Error or warning (a report is only made when there are no errors, so warning).
    pub severity: Severity,
    /// What the check says.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

/// The assumptions of one status.
#[derive(Debug, Clone)]
pub struct AssumptionGroup {
    /// The status.
    pub status: Status,
    /// Its assumptions, in file order.
    pub items: Vec<AssumptionRow>,
}

/// One assumption in the register.
#[derive(Debug, Clone)]
pub struct AssumptionRow {
    /// Its id.
    pub id: String,
    /// The statement.
    pub text: String,
    /// What rests on it: node labels, and links as `from label → to label`.
    pub applies_to: Vec<String>,
    /// What its status rests on.
    pub evidence: Option<String>,
}

/// One data source.
#[derive(Debug, Clone)]
pub struct SourceRow {
    /// Its id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Whether it holds personal data, when the model says.
    pub personal_data: Option<bool>,
    /// How the data is stored and who may see it.
    pub storage: Option<String>,
    /// Labels of the measures that draw on it.
    pub used_by: Vec<String>,
}

impl SourceRow {
    /// Holds personal data but does not say how it is stored: a data-protection gap.
    pub fn flagged(&self) -> bool {
        self.personal_data == Some(true) && self.storage.is_none()
    }
}

/// The statuses in register order: the ones that need attention first.
pub const STATUS_ORDER: [Status; 4] = [
    Status::Refuted,
    Status::Challenged,
    Status::Untested,
    Status::Holding,
];

/// The word for a status, capitalised for headings.
pub fn status_heading(s: Status) -> String {
    capitalised(s.as_str())
}

/// `s` with its first letter capitalised.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

impl Report {
    /// The report of `compiled`, or `None` when the model has errors (a report of a broken
    /// model would present guesses as a plan).
    pub fn build(compiled: &Compiled) -> Option<Report> {
        if compiled.has_errors() {
            return None;
        }
        let model = compiled.model.as_ref()?;
        Some(Report {
            title: model.title.value.clone(),
            vision: model.vision.as_ref().map(|v| v.value.clone()),
            context: model.context.as_ref().map(|c| c.value.clone()),
            framework: framework(model),
            unused_measures: unused_measures(model),
            gaps: gaps(&compiled.diagnostics),
            assumptions: assumptions(model),
            sources: sources(model),
            readiness: crate::readiness::assess(model, compiled.graph.as_ref()?),
            contribution: contribution(model),
            stamp: None,
            results: None,
        })
    }

    /// The report with the results of `model` in it: a Results section, the results
    /// warnings among the gaps, and the results in the readiness line.
    pub fn with_results(mut self, model: &Model, res: &crate::results::Results) -> Report {
        self.readiness = self.readiness.with_results(model, res);
        let found: Vec<Diagnostic> = res
            .model_diagnostics
            .iter()
            .chain(res.files.iter().flat_map(|f| &f.diagnostics))
            .cloned()
            .collect();
        for g in gaps(&found) {
            match self.gaps.iter_mut().find(|x| x.code == g.code) {
                Some(x) => x.items.extend(g.items),
                None => self.gaps.push(g),
            }
        }
        self.gaps
            .sort_by_key(|g| Code::ALL.iter().position(|c| *c == g.code));
        self.results = Some(results::ResultsSection::new(model, res));
        self
    }

    /// The report with `stamp` printed on it.
    pub fn with_stamp(mut self, stamp: stamp::Stamp) -> Report {
        self.stamp = Some(stamp);
        self
    }

    /// The framework nodes of `stage`.
    pub fn stage(&self, stage: Stage) -> impl Iterator<Item = &FrameworkNode> {
        self.framework.iter().filter(move |n| n.stage == stage)
    }
}

fn contribution(model: &Model) -> Option<Contribution> {
    let ceiling = model.accountability_ceiling.as_ref()?.value;
    let measures: HashMap<&str, &crate::model::Measure> = model
        .measures
        .iter()
        .map(|m| (m.id.value.as_str(), m))
        .collect();
    let rows = model
        .nodes()
        .filter(|(stage, _)| *stage > ceiling)
        .flat_map(|(_, node)| {
            node.measures
                .iter()
                .filter_map(|id| measures.get(id.value.as_str()))
                .map(|m| ContributionRow {
                    node: node.label.value.clone(),
                    measure: m.label.value.clone(),
                    matched: m
                        .comparison
                        .as_ref()
                        .is_some_and(|c| c.value == crate::model::Comparison::Matched),
                })
        })
        .collect();
    Some(Contribution { ceiling, rows })
}

/// A measure's fields as the report shows them, its source by label.
fn measure_row(m: &crate::model::Measure, sources: &HashMap<&str, &str>) -> MeasureRow {
    let text = |v: &Option<crate::span::Spanned<String>>| v.as_ref().map(|s| s.value.clone());
    MeasureRow {
        id: m.id.value.clone(),
        label: m.label.value.clone(),
        kind: m.kind(),
        proxy_for: text(&m.proxy_for),
        unit: text(&m.unit),
        baseline: m.baseline.as_ref().map(|q| q.value.to_string()),
        target: m.target.as_ref().map(|q| q.value.to_string()),
        source_id: text(&m.source),
        source: m.source.as_ref().map(|s| {
            sources
                .get(s.value.as_str())
                .map_or_else(|| s.value.clone(), |l| l.to_string())
        }),
        frequency: text(&m.frequency),
        owner: text(&m.owner),
    }
}

fn source_labels(model: &Model) -> HashMap<&str, &str> {
    model
        .sources
        .iter()
        .map(|s| (s.id.value.as_str(), s.label.value.as_str()))
        .collect()
}

fn framework(model: &Model) -> Vec<FrameworkNode> {
    let measures: HashMap<&str, &crate::model::Measure> = model
        .measures
        .iter()
        .map(|m| (m.id.value.as_str(), m))
        .collect();
    let sources = source_labels(model);
    model
        .nodes()
        // Inputs and activities need no measure, but one they have belongs in the framework.
        .filter(|(stage, node)| *stage >= Stage::Outputs || !node.measures.is_empty())
        .map(|(stage, node)| FrameworkNode {
            id: node.id.value.clone(),
            stage,
            label: node.label.value.clone(),
            measures: node
                .measures
                .iter()
                .filter_map(|id| measures.get(id.value.as_str()))
                .map(|m| measure_row(m, &sources))
                .collect(),
        })
        .collect()
}

fn unused_measures(model: &Model) -> Vec<MeasureRow> {
    let used: std::collections::HashSet<&str> = model
        .nodes()
        .flat_map(|(_, n)| n.measures.iter().map(|m| m.value.as_str()))
        .collect();
    let sources = source_labels(model);
    model
        .measures
        .iter()
        .filter(|m| !used.contains(m.id.value.as_str()))
        .map(|m| measure_row(m, &sources))
        .collect()
}

fn gaps(diagnostics: &[Diagnostic]) -> Vec<GapGroup> {
    Code::ALL
        .iter()
        .filter_map(|&code| {
            let items: Vec<Gap> = diagnostics
                .iter()
                .filter(|d| d.code == code)
                .map(|d| Gap {
                    severity: d.severity,
                    message: d.message.clone(),
                    help: d.help.clone(),
                })
                .collect();
            (!items.is_empty()).then(|| GapGroup {
                code,
                summary: code.lint().summary,
                items,
            })
        })
        .collect()
}

/// A node's label by id, falling back to the id for anything that is not a node.
fn node_label<'m>(labels: &HashMap<&str, &'m str>, id: &'m str) -> &'m str {
    labels.get(id).copied().unwrap_or(id)
}

fn assumptions(model: &Model) -> Vec<AssumptionGroup> {
    let labels: HashMap<&str, &str> = model
        .nodes()
        .map(|(_, n)| (n.id.value.as_str(), n.label.value.as_str()))
        .collect();
    STATUS_ORDER
        .into_iter()
        .filter_map(|status| {
            let items: Vec<AssumptionRow> = model
                .assumptions
                .iter()
                .filter(|a| a.status.as_ref().map(|s| s.value).unwrap_or_default() == status)
                .map(|a| AssumptionRow {
                    id: a.id.value.clone(),
                    text: a.text.value.clone(),
                    applies_to: a
                        .applies_to
                        .iter()
                        .map(|t| match &t.target {
                            Target::Link { from, to } => format!(
                                "{} → {}",
                                node_label(&labels, from),
                                node_label(&labels, to)
                            ),
                            Target::Node(id) => node_label(&labels, id.trim()).to_string(),
                        })
                        .collect(),
                    evidence: a.evidence.as_ref().map(|e| e.value.clone()),
                })
                .collect();
            (!items.is_empty()).then_some(AssumptionGroup { status, items })
        })
        .collect()
}

fn sources(model: &Model) -> Vec<SourceRow> {
    model
        .sources
        .iter()
        .map(|s| SourceRow {
            id: s.id.value.clone(),
            label: s.label.value.clone(),
            personal_data: s.personal_data.as_ref().map(|p| p.value),
            storage: s.storage.as_ref().map(|t| t.value.clone()),
            used_by: model
                .measures
                .iter()
                .filter(|m| m.source.as_ref().is_some_and(|x| x.value == s.id.value))
                .map(|m| m.label.value.clone())
                .collect(),
        })
        .collect()
}

/// The sentence under the assumptions heading of a status, for readers new to the register.
pub fn status_note(s: Status) -> &'static str {
    match s {
        Status::Refuted => {
            "Evidence shows these do not hold: the links resting on them need rethinking."
        }
        Status::Challenged => "Evidence casts doubt on these: plan how to test them further.",
        Status::Untested => "Not yet tested: plan how and when to test them.",
        Status::Holding => "Tested and holding so far.",
    }
}
