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
//! the contribution claimed beyond the accountability ceiling, the reasons given for links,
//! the assumptions register, the stakeholders and breakdowns, the unexpected changes and the
//! data sources. A new section goes in as a field of [`Report`] filled by [`Report::build`], plus
//! one function per format, called from that format's entry point in the order the sections
//! are printed.

pub mod build;
pub mod chart;
pub mod csv;
pub mod document;
pub mod docx;
pub mod html;
pub mod md;
pub mod results;
pub mod stamp;
pub mod xlsx;

use std::collections::HashMap;

use crate::Compiled;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::Code;
use crate::model::{
    Comparison, Direction, MeasureKind, Model, Role, SourceKind, Stage, Status, Target, Timing,
    UnexpectedKind,
};

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
    /// What the checks found but the team accepted (an item's `allow:` or a lint switched
    /// off), in source order, so a reader sees the gap and the reason instead of nothing.
    pub accepted: Vec<AcceptedGap>,
    /// Assumptions grouped by status: refuted, challenged, untested, holding (empty groups left out).
    pub assumptions: Vec<AssumptionGroup>,
    /// Every data source, in file order.
    pub sources: Vec<SourceRow>,
    /// How far the model can show its impact: three shares a board can track.
    pub readiness: crate::readiness::Readiness,
    /// Outcomes beyond the accountability ceiling, when the model sets one.
    pub contribution: Option<Contribution>,
    /// Links that say why they hold, in stage then file order.
    pub links: Vec<LinkRow>,
    /// The stakeholders, in file order.
    pub stakeholders: Vec<StakeholderRow>,
    /// The groups results will be split by.
    pub breakdowns: Vec<String>,
    /// Changes nobody planned, in file order.
    pub unexpected: Vec<UnexpectedRow>,
    /// When the report was made and from which version of the file; set by whoever knows
    /// the file (see [`stamp::Stamp::for_file`]).
    pub stamp: Option<stamp::Stamp>,
    /// The measures' results, when the model has any (see [`Report::with_results`]).
    pub results: Option<results::ResultsSection>,
}

/// The changes the programme shares with others: beyond its accountability ceiling, what it
/// claims, how the claim will be tested, and what else could explain the change.
#[derive(Debug, Clone)]
pub struct Contribution {
    /// The last stage the programme answers for alone.
    pub ceiling: Stage,
    /// Each outcome beyond it, in stage then file order.
    pub rows: Vec<ContributionRow>,
}

/// One outcome beyond the ceiling.
#[derive(Debug, Clone)]
pub struct ContributionRow {
    /// The outcome's label.
    pub node: String,
    /// Its stage.
    pub stage: Stage,
    /// What each of its measures claims.
    pub claims: Vec<Claim>,
    /// The external factors that could also explain the change.
    pub alternatives: Vec<String>,
    /// The reasons given for links into it, and the evidence of assumptions it rests on.
    pub evidence: Vec<String>,
}

/// What one measure claims for an outcome beyond the ceiling.
#[derive(Debug, Clone)]
pub struct Claim {
    /// The measure's label.
    pub measure: String,
    /// The change sought, from baseline to target, when the measure gives them.
    pub change: Option<String>,
    /// How the result will be compared, when the measure says.
    pub design: Option<Comparison>,
    /// What it is compared against: the source, and the people per group.
    pub comparison: Option<String>,
}

/// A link that says why it holds.
#[derive(Debug, Clone)]
pub struct LinkRow {
    /// The label of the node it leaves.
    pub from: String,
    /// The label of the node it reaches.
    pub to: String,
    /// Why this leads to that.
    pub because: Option<String>,
    /// What supports it.
    pub evidence: Option<String>,
    /// How strong the evidence is, in words.
    pub strength: Option<String>,
}

/// A stakeholder, and the boxes that concern them.
#[derive(Debug, Clone)]
pub struct StakeholderRow {
    /// Who they are.
    pub label: String,
    /// Their part in the programme.
    pub role: Option<Role>,
    /// Labels of the nodes that concern them.
    pub concerns: Vec<String>,
}

/// A change nobody planned.
#[derive(Debug, Clone)]
pub struct UnexpectedRow {
    /// What changed.
    pub text: String,
    /// For the better or the worse.
    pub kind: Option<UnexpectedKind>,
    /// What shows it.
    pub evidence: Option<String>,
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
    /// Ids of the stakeholders it concerns.
    pub concerns: Vec<String>,
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
    /// The groups its results will be split by.
    pub breakdowns: Vec<String>,
    /// For a rate: what is counted on top.
    pub numerator: Option<String>,
    /// For a rate: what it is counted out of, and what is left out.
    pub denominator: Option<String>,
    /// Which way counts as progress.
    pub direction: Option<Direction>,
    /// Whether it moves early (leading) or once the outcome has happened (lagging).
    pub timing: Option<Timing>,
    /// The period the baseline was measured in.
    pub baseline_period: Option<String>,
    /// The period by whose end the target is due.
    pub target_by: Option<String>,
    /// People per group whose results will be compared.
    pub cohort: Option<u32>,
    /// How the result will be compared.
    pub comparison: Option<Comparison>,
    /// What the programme contributes to a shared target, and who else works towards it.
    pub contribution: Option<String>,
    /// How the figure is worked out from case records, in words, when the model says.
    pub computed: Option<String>,
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
    /// The label of the node, measure, source or assumption it is about, when there is one.
    pub about: Option<String>,
    /// What exactly is missing, in plain words, where the report can say (the `{detail}` of
    /// the lint's funder sentence).
    pub detail: Option<String>,
}

/// A finding the team accepted instead of fixing.
#[derive(Debug, Clone)]
pub struct AcceptedGap {
    /// The code.
    pub code: Code,
    /// What the check says.
    pub message: String,
    /// The label of the node, measure, source or assumption it is about, when there is one.
    pub about: Option<String>,
    /// Why, from the item's `allow:`; `None` when the lint is off for the whole model.
    pub reason: Option<String>,
    /// What exactly is missing, as in [`Gap::detail`].
    pub detail: Option<String>,
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
    /// How strong that evidence is, in words.
    pub strength: Option<String>,
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
    /// Whose records these are: the programme's own, a partner's, published figures.
    pub kind: Option<SourceKind>,
    /// Organisations outside the programme the data passes to or comes from.
    pub shared_with: Vec<String>,
    /// The lawful basis and the agreement under which the data is shared.
    pub sharing: Option<String>,
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
            gaps: gaps(&compiled.diagnostics, model, true),
            accepted: compiled
                .accepted
                .iter()
                .map(|a| AcceptedGap {
                    code: a.diagnostic.code,
                    message: a.diagnostic.message.clone(),
                    about: match &a.diagnostic.subject {
                        Some(id) => label_of(model, id),
                        None => label_at(model, a.diagnostic.span),
                    },
                    reason: a.reason.clone(),
                    detail: detail(model, &a.diagnostic),
                })
                .collect(),
            assumptions: assumptions(model),
            sources: sources(model),
            readiness: crate::readiness::assess(model, compiled.graph.as_ref()?),
            contribution: contribution(model),
            links: links(model),
            stakeholders: stakeholders(model),
            breakdowns: model.breakdowns.iter().map(|b| b.value.clone()).collect(),
            unexpected: model
                .unexpected
                .iter()
                .map(|u| UnexpectedRow {
                    text: u.text.value.clone(),
                    kind: u.kind.as_ref().map(|k| k.value),
                    evidence: u.evidence.as_ref().map(|e| e.value.clone()),
                })
                .collect(),
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
        for g in gaps(&found, model, false) {
            match self.gaps.iter_mut().find(|x| x.code == g.code) {
                Some(x) => x.items.extend(g.items),
                None => self.gaps.push(g),
            }
        }
        self.gaps
            .sort_by_key(|g| Code::ALL.iter().position(|c| *c == g.code));
        // Results files have no items to fall inside, so only a subject names what it is about.
        self.accepted.extend(res.accepted.iter().map(|a| {
            AcceptedGap {
                code: a.diagnostic.code,
                message: a.diagnostic.message.clone(),
                about: a
                    .diagnostic
                    .subject
                    .as_deref()
                    .and_then(|id| label_of(model, id)),
                reason: a.reason.clone(),
                detail: detail(model, &a.diagnostic),
            }
        }));
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
    let labels = node_labels(model);
    let sources = source_labels(model);
    let rows = model
        .nodes()
        .filter(|(stage, _)| *stage > ceiling)
        .map(|(stage, node)| {
            let id = node.id.value.as_str();
            let claims = node
                .measures
                .iter()
                .filter_map(|m| measures.get(m.value.as_str()))
                .map(|m| claim(m, &sources))
                .collect();
            let alternatives = model
                .external_factors
                .iter()
                .filter(|x| x.affects.iter().any(|a| a.value == id))
                .map(|x| x.text.value.clone())
                .collect();
            let mut evidence: Vec<String> = model
                .nodes()
                .flat_map(|(_, from)| from.leads_to.iter().map(move |l| (from, l)))
                .filter(|(_, l)| l.to.value == id && l.has_rationale())
                .map(|(from, l)| {
                    let mut parts = Vec::new();
                    if let Some(b) = &l.because {
                        parts.push(b.value.clone());
                    }
                    if let Some(e) = &l.evidence {
                        parts.push(format!("evidence: {}", e.value));
                    }
                    if let Some(st) = &l.strength {
                        parts.push(format!("strength: {}", st.value));
                    }
                    format!("From {}: {}", from.label.value, parts.join("; "))
                })
                .collect();
            for a in &model.assumptions {
                let rests_on_it = a.applies_to.iter().any(|t| match &t.target {
                    Target::Node(n) => n.trim() == id,
                    Target::Link { to, .. } => to == id,
                });
                if let (true, Some(e)) = (rests_on_it, &a.evidence) {
                    let status = a.status.as_ref().map(|s| s.value).unwrap_or_default();
                    evidence.push(format!("{} ({status}): {}", a.text.value, e.value));
                }
            }
            ContributionRow {
                node: node_label(&labels, id).to_string(),
                stage,
                claims,
                alternatives,
                evidence,
            }
        })
        .collect();
    Some(Contribution { ceiling, rows })
}

/// What a measure claims: the change it seeks, its design and what it compares against.
fn claim(m: &crate::model::Measure, sources: &HashMap<&str, &str>) -> Claim {
    let change = match (&m.baseline, &m.target) {
        (Some(b), Some(t)) => Some(format!("from {} to {}", b.value, t.value)),
        (None, Some(t)) => Some(format!("to {}", t.value)),
        _ => None,
    }
    .map(|c| match &m.unit {
        Some(u) => format!("{c} ({})", u.value),
        None => c,
    });
    let source = m.source.as_ref().map(|s| {
        sources
            .get(s.value.as_str())
            .map_or_else(|| s.value.clone(), |l| l.to_string())
    });
    let cohort = m.cohort.as_ref().map(|c| format!("{} per group", c.value));
    let comparison = match (source, cohort) {
        (Some(s), Some(c)) => Some(format!("{s}, {c}")),
        (s, c) => s.or(c),
    };
    Claim {
        measure: m.label.value.clone(),
        change,
        design: m.comparison.as_ref().map(|c| c.value),
        comparison,
    }
}

fn links(model: &Model) -> Vec<LinkRow> {
    let labels = node_labels(model);
    model
        .nodes()
        .flat_map(|(_, from)| from.leads_to.iter().map(move |l| (from, l)))
        .filter(|(_, l)| l.has_rationale())
        .map(|(from, l)| LinkRow {
            from: from.label.value.clone(),
            to: node_label(&labels, &l.to.value).to_string(),
            because: l.because.as_ref().map(|b| b.value.clone()),
            evidence: l.evidence.as_ref().map(|e| e.value.clone()),
            strength: l.strength.as_ref().map(|st| st.value.to_string()),
        })
        .collect()
}

fn stakeholders(model: &Model) -> Vec<StakeholderRow> {
    model
        .stakeholders
        .iter()
        .map(|x| StakeholderRow {
            label: x.label.value.clone(),
            role: x.role.as_ref().map(|r| r.value),
            concerns: model
                .nodes()
                .filter(|(_, n)| n.concerns.iter().any(|c| c.value == x.id.value))
                .map(|(_, n)| n.label.value.clone())
                .collect(),
        })
        .collect()
}

fn node_labels(model: &Model) -> HashMap<&str, &str> {
    model
        .nodes()
        .map(|(_, n)| (n.id.value.as_str(), n.label.value.as_str()))
        .collect()
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
        breakdowns: m.breakdowns.iter().map(|b| b.value.clone()).collect(),
        numerator: text(&m.numerator),
        denominator: text(&m.denominator),
        direction: m.direction.as_ref().map(|d| d.value),
        timing: m.timing.as_ref().map(|t| t.value),
        baseline_period: m.baseline_period.as_ref().map(|p| p.value.to_string()),
        target_by: m.target_by.as_ref().map(|p| p.value.to_string()),
        cohort: m.cohort.as_ref().map(|c| c.value),
        comparison: m.comparison.as_ref().map(|c| c.value),
        contribution: text(&m.contribution),
        computed: m.compute.as_ref().map(computed),
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
            concerns: node.concerns.iter().map(|c| c.value.clone()).collect(),
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

/// The findings of `diagnostics`, grouped by code. `in_model` says the spans point into the
/// model file, so a finding without a subject is about the item its span falls in.
fn gaps(diagnostics: &[Diagnostic], model: &Model, in_model: bool) -> Vec<GapGroup> {
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
                    about: match &d.subject {
                        Some(id) => label_of(model, id),
                        None if in_model => label_at(model, d.span),
                        None => None,
                    },
                    detail: detail(model, d),
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

/// What exactly a finding says is missing, in a funder's words, with its verb: "its target
/// is" or "its starting figure and its target are". Only incomplete measures have one.
fn detail(model: &Model, d: &Diagnostic) -> Option<String> {
    if d.code != Code::IncompleteMeasure {
        return None;
    }
    let id = d.subject.as_deref()?;
    let m = model.measures.iter().find(|m| m.id.value == id)?;
    let words: Vec<String> = m
        .missing()
        .into_iter()
        .map(|key| {
            match key {
                "proxy_for" => "what it stands in for",
                "baseline" => "its starting figure",
                "target" => "its target",
                "source" => "where its data comes from",
                _ => "how often it is collected",
            }
            .to_string()
        })
        .collect();
    let verb = if words.len() == 1 { "is" } else { "are" };
    (!words.is_empty()).then(|| format!("{} {verb}", crate::diagnostic::word_list(words, "and")))
}

/// The label of the node, measure, source, assumption or stakeholder with `id`.
fn label_of(model: &Model, id: &str) -> Option<String> {
    let id = id.trim();
    model
        .nodes()
        .map(|(_, n)| (&n.id.value, &n.label.value))
        .chain(model.measures.iter().map(|m| (&m.id.value, &m.label.value)))
        .chain(model.sources.iter().map(|s| (&s.id.value, &s.label.value)))
        .chain(
            model
                .assumptions
                .iter()
                .map(|a| (&a.id.value, &a.text.value)),
        )
        .chain(
            model
                .stakeholders
                .iter()
                .map(|x| (&x.id.value, &x.label.value)),
        )
        .find(|(i, _)| i.as_str() == id)
        .map(|(_, l)| l.clone())
}

/// The label of the innermost node, measure, source or assumption written around `span`.
fn label_at(model: &Model, span: crate::span::Span) -> Option<String> {
    let within = |s: crate::span::Span| s.start <= span.start && span.end <= s.end;
    model
        .nodes()
        .map(|(_, n)| (n.span, &n.label.value))
        .chain(model.measures.iter().map(|m| (m.span, &m.label.value)))
        .chain(model.sources.iter().map(|s| (s.span, &s.label.value)))
        .chain(model.assumptions.iter().map(|a| (a.span, &a.text.value)))
        .filter(|(s, _)| within(*s))
        .min_by_key(|(s, _)| s.end - s.start)
        .map(|(_, l)| l.clone())
}

/// How a measure is worked out from case records, in words.
fn computed(c: &crate::results::Compute) -> String {
    let by = match c.period.by.value {
        crate::results::PeriodBy::Year => "year",
        crate::results::PeriodBy::FinancialYear => "financial year",
        crate::results::PeriodBy::Quarter => "quarter",
        crate::results::PeriodBy::Month => "month",
    };
    let mut s = format!(
        "counted from the case records in {}, by {by} of {}: cases where {}",
        c.records.value,
        words(&c.period.column.value),
        condition(&c.count)
    );
    if let Some(o) = &c.out_of {
        s.push_str(&format!(", out of cases where {}", condition(o)));
    }
    if !c.group_by.is_empty() {
        let groups = c.group_by.iter().map(|g| words(&g.value));
        s.push_str(&format!(
            "; split by {}",
            crate::diagnostic::word_list(groups, "and")
        ));
    }
    s
}

/// A column name as words: `termination_code` is "termination code".
fn words(column: &str) -> String {
    column.replace(['_', '-'], " ")
}

/// A records condition in words: "termination code is 50 or 51".
fn condition(c: &crate::results::Condition) -> String {
    use crate::diagnostic::word_list;
    use crate::results::{Condition, Test};
    match c {
        Condition::All(cs) => word_list(cs.iter().map(condition), "and"),
        Condition::Any(cs) => word_list(cs.iter().map(condition), "or"),
        Condition::Column { column, tests } => {
            let tests = tests.iter().map(|t| match t {
                Test::In(vs) => format!("is {}", word_list(vs.iter().cloned(), "or")),
                Test::NotIn(vs) => format!("is not {}", word_list(vs.iter().cloned(), "or")),
                Test::Equals(v) => format!("is {v}"),
                Test::Min(n) => format!("is at least {n}"),
                Test::Max(n) => format!("is at most {n}"),
                Test::IsEmpty(true) => "is empty".to_string(),
                Test::IsEmpty(false) => "is filled in".to_string(),
            });
            format!("{} {}", words(&column.value), word_list(tests, "and"))
        }
    }
}

/// A node's label by id, falling back to the id for anything that is not a node.
fn node_label<'m>(labels: &HashMap<&str, &'m str>, id: &'m str) -> &'m str {
    labels.get(id).copied().unwrap_or(id)
}

fn assumptions(model: &Model) -> Vec<AssumptionGroup> {
    let labels = node_labels(model);
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
                    strength: a.strength.as_ref().map(|st| st.value.to_string()),
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
            kind: s.kind.as_ref().map(|k| k.value),
            shared_with: s.shared_with.iter().map(|w| w.value.clone()).collect(),
            sharing: s.sharing.as_ref().map(|t| t.value.clone()),
            used_by: model
                .measures
                .iter()
                .filter(|m| m.source.as_ref().is_some_and(|x| x.value == s.id.value))
                .map(|m| m.label.value.clone())
                .collect(),
        })
        .collect()
}

/// A claim's design as the report words it: the comparison named, or a warning that without
/// one the result shows contribution only.
pub fn design_words(design: Option<Comparison>) -> String {
    match design {
        Some(d) => d.to_string(),
        None => "not stated: shows contribution only".to_string(),
    }
}

/// Evidence followed by its strength in brackets, or the strength alone.
pub fn with_strength(evidence: &Option<String>, strength: &Option<String>) -> Option<String> {
    match (evidence, strength) {
        (Some(e), Some(st)) => Some(format!("{e} (strength: {st})")),
        (None, Some(st)) => Some(format!("strength: {st}")),
        (e, None) => e.clone(),
    }
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
