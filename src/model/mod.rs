//! Stage 2: the typed model, decoded from the YAML tree with every value's span kept.
//!
//! These types are the file format: `elmo schema` is generated from them, and the decoder
//! takes the list of keys each item may have from that same generated schema, so the schema
//! an editor validates against and the keys elmo accepts cannot drift apart.
//!
//! The types live here; [`decode`](decode()) reads them from YAML and [`schema`](schema())
//! writes the JSON Schema they define.

mod decode;
mod schema;

pub use decode::decode;
pub use schema::schema;

use schemars::JsonSchema;
use serde::Serialize;

use crate::diagnostic::Code;
use crate::lint::Level;
use crate::span::{Span, Spanned};
use crate::unit::Unit;
use crate::vocab::vocab;

vocab! {
    /// The six stages of a logic model, in causal order.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Stage: "stage", fn key {
        /// Resources the programme has.
        Inputs = "inputs" { title: "Inputs", noun: "input" },
        /// What the programme does.
        Activities = "activities" { title: "Activities", noun: "activity" },
        /// The countable products of activities.
        Outputs = "outputs" { title: "Outputs", noun: "output" },
        /// Immediate, recognisable changes.
        DirectImpacts = "direct_impacts" { title: "Direct impacts", noun: "direct impact" },
        /// Medium-term ripple effects.
        IndirectImpacts = "indirect_impacts" { title: "Indirect impacts", noun: "indirect impact" },
        /// Long-term shifts that speak to the vision.
        SystemicImpacts = "systemic_impacts" { title: "Systemic impacts", noun: "systemic impact" },
    }
    columns StageColumns {
        /// The heading shown to people (`Direct impacts`).
        title,
        /// The singular noun for a node of this stage, for messages.
        noun,
    }
}

impl Stage {
    /// Whether nodes of this stage are outcomes (direct, indirect or systemic impacts).
    pub fn is_outcome(self) -> bool {
        self >= Stage::DirectImpacts
    }
}

/// A logic model: the vision, the six stages of nodes, and the measures, sources and
/// assumptions that go with them.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields, title = "elmo logic model")]
pub struct Model {
    /// Format version. Optional; the only version is 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1))]
    #[schemars(example = 1)]
    pub elmo: Option<Spanned<u32>>,
    /// The programme's name, shown at the top of the diagram.
    #[schemars(example = "Peterborough Social Impact Bond")]
    pub title: Spanned<String>,
    /// The long-term change the programme seeks.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "People leaving short prison sentences stop cycling back into custody")]
    pub vision: Option<Spanned<String>>,
    /// Why the change is needed and where things stand now.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        example = "Men released from short sentences had no statutory supervision after release."
    )]
    pub context: Option<Spanned<String>>,
    /// Resources the programme has: money, people, partnerships, data.
    #[serde(default)]
    #[schemars(example = serde_json::json!([{"id": "investment", "label": "Capital from social investors", "leads_to": ["through-the-gate"]}]))]
    pub inputs: Vec<Node>,
    /// What the programme does with its inputs.
    #[serde(default)]
    #[schemars(example = serde_json::json!([{"id": "through-the-gate", "label": "Support before and after release", "leads_to": ["engaged-1m"]}]))]
    pub activities: Vec<Node>,
    /// The countable products of activities: sessions held, people reached.
    #[serde(default)]
    #[schemars(example = serde_json::json!([{"id": "engaged-1m", "label": "Service users engaged for over a month", "measures": ["engagement-1m"], "leads_to": ["stable-housing"]}]))]
    pub outputs: Vec<Node>,
    /// Immediate, recognisable and measurable changes for people.
    #[serde(default)]
    #[schemars(example = serde_json::json!([{"id": "stable-housing", "label": "Settled accommodation on release", "measures": ["housed-at-release"], "leads_to": ["fewer-reconvictions"]}]))]
    pub direct_impacts: Vec<Node>,
    /// Medium-term ripple effects of the direct impacts.
    #[serde(default)]
    #[schemars(example = serde_json::json!([{"id": "fewer-reconvictions", "label": "Fewer reconviction events", "measures": ["reconviction-events"], "leads_to": ["safer-communities"]}]))]
    pub indirect_impacts: Vec<Node>,
    /// Long-term shifts in systems and lives that speak to the vision.
    #[serde(default)]
    #[schemars(example = serde_json::json!([{"id": "safer-communities", "label": "Safer communities and fewer victims", "measures": ["victim-survey"]}]))]
    pub systemic_impacts: Vec<Node>,
    /// Measures that show whether a change happened.
    #[serde(default)]
    #[schemars(example = serde_json::json!([{"id": "engagement-1m", "label": "Share engaged beyond one month", "unit": "percent", "numerator": "service users engaged beyond one month", "denominator": "service users released", "baseline": 37, "target": 60, "direction": Direction::Increase, "source": "case-records", "frequency": "quarterly"}]))]
    pub measures: Vec<Measure>,
    /// Where the data for measures comes from.
    #[serde(default)]
    #[schemars(example = serde_json::json!([{"id": "case-records", "label": "Case management records", "kind": SourceKind::Internal, "personal_data": true, "storage": "Kept on the provider case system; reported as counts only"}]))]
    pub sources: Vec<Source>,
    /// What must hold for a link or a change to happen.
    #[serde(default)]
    #[schemars(example = serde_json::json!([{"id": "housing-available", "text": "Enough move-on housing exists locally", "applies_to": ["stable-housing"], "status": Status::Untested}]))]
    pub assumptions: Vec<Assumption>,
    /// The people and organisations the programme concerns: whom it serves, who pays, who
    /// works with it and who delivers it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = serde_json::json!([{"id": "short-sentence-leavers", "label": "Men leaving short prison sentences", "role": Role::Beneficiary}]))]
    pub stakeholders: Vec<Stakeholder>,
    /// The groups results will be split by, so that a change for some is not hidden by the
    /// average: gender, age, ethnicity, disability, area...
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = ["gender", "age", "ethnicity", "disability", "area"])]
    pub breakdowns: Vec<Spanned<String>>,
    /// Other things that could explain a change the programme hopes to see.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = serde_json::json!([{"id": "housing-supply", "text": "New supported housing opened in the city over the same years", "affects": ["stable-housing"]}]))]
    pub external_factors: Vec<ExternalFactor>,
    /// Changes nobody planned, for better or worse, recorded as they are found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = serde_json::json!([{"id": "peer-support", "text": "Former service users began meeting new releases at the gate", "kind": UnexpectedKind::Benefit, "evidence": "Caseworker notes, 2012"}]))]
    pub unexpected: Vec<Unexpected>,
    /// The last stage the programme answers for on its own, e.g. `direct_impacts`; beyond
    /// it the programme contributes to change alongside others.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = Stage::DirectImpacts)]
    pub accountability_ceiling: Option<Spanned<Stage>>,
    /// How boxes are ordered within columns: `stable` (default) keeps unrelated columns still
    /// when one part changes; `compact` searches the whole diagram for fewer crossing links.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = LayoutMode::Compact)]
    pub layout: Option<Spanned<LayoutMode>>,
    /// The frame the diagram is drawn for: `16:9` (default), `4:3`, `a4-landscape`,
    /// `a4-portrait`, or `none` for the unfitted drawing of earlier versions.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = Fit::A4Landscape)]
    pub fit: Option<Spanned<Fit>>,
    /// Lint levels for this file, e.g. `{ unmeasured-outcome: deny }`.
    #[serde(default, skip_serializing_if = "Lints::is_empty")]
    #[schemars(example = serde_json::json!({"unmeasured-output": Level::Deny}))]
    pub lints: Lints,
    /// CSV files of results (actual values) by measure and period, relative to the model file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = ["results.csv"])]
    pub results: Vec<Spanned<String>>,
    /// The span of the `measures:` key, where findings about the measures as a whole point.
    #[serde(skip)]
    pub measures_key: Option<Span>,
    /// The span of the whole document.
    #[serde(skip)]
    pub span: Span,
}

impl Model {
    /// The nodes of `stage`, in file order.
    pub fn stage(&self, stage: Stage) -> &[Node] {
        match stage {
            Stage::Inputs => &self.inputs,
            Stage::Activities => &self.activities,
            Stage::Outputs => &self.outputs,
            Stage::DirectImpacts => &self.direct_impacts,
            Stage::IndirectImpacts => &self.indirect_impacts,
            Stage::SystemicImpacts => &self.systemic_impacts,
        }
    }

    fn stage_mut(&mut self, stage: Stage) -> &mut Vec<Node> {
        match stage {
            Stage::Inputs => &mut self.inputs,
            Stage::Activities => &mut self.activities,
            Stage::Outputs => &mut self.outputs,
            Stage::DirectImpacts => &mut self.direct_impacts,
            Stage::IndirectImpacts => &mut self.indirect_impacts,
            Stage::SystemicImpacts => &mut self.systemic_impacts,
        }
    }

    /// Every node with its stage, stage by stage in file order.
    pub fn nodes(&self) -> impl Iterator<Item = (Stage, &Node)> {
        Stage::ALL
            .into_iter()
            .flat_map(move |s| self.stage(s).iter().map(move |n| (s, n)))
    }

    /// Appends `node` to the end of `stage` (for models built in code, such as a diff's overlay).
    pub fn push_node(&mut self, stage: Stage, node: Node) {
        self.stage_mut(stage).push(node);
    }

    /// The first node with id `id`, to edit.
    pub fn node_mut(&mut self, id: &str) -> Option<&mut Node> {
        Stage::ALL
            .into_iter()
            .find(|s| self.stage(*s).iter().any(|n| n.id.value == id))
            .and_then(|s| self.stage_mut(s).iter_mut().find(|n| n.id.value == id))
    }
}

/// A box in the diagram: one input, activity, output or impact.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Node {
    /// Unique id across the whole file: letters, digits, `-` and `_`.
    #[schemars(example = &"engaged-1m")]
    pub id: Spanned<String>,
    /// Short text shown in the box.
    #[schemars(example = "Service users engaged for over a month")]
    pub label: Spanned<String>,
    /// Longer text, shown on hover and in reports.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "Counted from the first to the last contact in the case record.")]
    pub description: Option<Spanned<String>>,
    /// The nodes this one feeds (later stages, or the same stage for outcome chains): each an
    /// id, or a mapping `{to, because, evidence, strength}` that records why the link holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "leads_to_schema")]
    #[schemars(example = serde_json::json!(["stable-housing", {"to": "fewer-reconvictions", "because": "A settled address makes keeping appointments possible", "strength": 2}]))]
    pub leads_to: Vec<Link>,
    /// Ids of the measures that show this change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = ["engagement-1m"])]
    pub measures: Vec<Spanned<String>>,
    /// Ids of the stakeholders this node is about: whose change it is, or who does it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = ["short-sentence-leavers"])]
    pub concerns: Vec<Spanned<String>>,
    /// Lint codes deliberately silenced for this node, each optionally with a reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = serde_json::json!([{"code": "unmeasured-outcome", "reason": "No data on community safety exists yet"}]))]
    pub allow: Vec<Allow>,
    /// The span of the node's mapping.
    #[serde(skip)]
    pub span: Span,
}

vocab! {
    /// How a measure shows change.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum MeasureKind: "measure kind", fn as_str {
        /// A count, rate or score measured directly.
        #[default]
        Quantitative = "quantitative",
        /// An indirect indicator that stands in for something hard to measure.
        Proxy = "proxy",
        /// Stories, interviews, case studies: what the numbers cannot say.
        Qualitative = "qualitative",
    }
}

vocab! {
    /// Which way a measure should move for the change to count as progress.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Direction: "direction", fn as_str {
        /// Higher is better: engagement, completion.
        Increase = "increase",
        /// Lower is better: reoffending, waiting times.
        Decrease = "decrease",
        /// Holding steady is the aim: keeping a completion rate up while the service grows.
        Maintain = "maintain",
    }
}

vocab! {
    /// When a measure can show change, relative to the outcome it tracks.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Timing: "timing", fn as_str {
        /// Moves early, while there is still time to steer: engagement, attendance, risk scores.
        Leading = "leading",
        /// Moves only once the outcome has happened: proven reoffending a year on.
        Lagging = "lagging",
    }
}

vocab! {
    /// How a measure's result will be compared, to tell the programme's share of a change.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Comparison: "comparison", fn as_str {
        /// Against a control group chosen at random from the same people.
        Randomised = "randomised",
        /// Against a comparison group matched on the people's characteristics.
        Matched = "matched",
        /// The same people, or the same service, before and after.
        PrePost = "pre-post",
        /// Against a published figure for a similar population, such as a national rate.
        Benchmark = "benchmark",
        /// No test of the programme's own effect: a reasoned case for its contribution
        /// alongside other causes.
        Contribution = "contribution",
        /// Against nothing but the baseline.
        None = "none",
    }
}

/// A baseline or target: a number, or text such as "to be set in year 1".
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Quantity {
    /// A number.
    Number(f64),
    /// Free text.
    Text(String),
}

impl std::fmt::Display for Quantity {
    /// A number as written (`37`, `7.5`, no trailing `.0`), or the text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Quantity::Number(n) => write!(f, "{n}"),
            Quantity::Text(t) => f.write_str(t),
        }
    }
}

/// A measure: what will be counted or heard to show that a change happened.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Measure {
    /// Unique id across the whole file.
    #[schemars(example = &"completion-rate")]
    pub id: Spanned<String>,
    /// What is measured, in a few words.
    #[schemars(example = "Successful treatment completions")]
    pub label: Spanned<String>,
    /// quantitative (default), proxy or qualitative.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = MeasureKind::Quantitative)]
    pub kind: Option<Spanned<MeasureKind>>,
    /// What a proxy stands in for (expected when `kind: proxy`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "reduced drinking")]
    pub proxy_for: Option<Spanned<String>>,
    /// Unit of the number: percent, people, score...
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"percent")]
    pub unit: Option<Spanned<String>>,
    /// For a rate or percentage: what is counted on top.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "successful completions")]
    pub numerator: Option<Spanned<String>>,
    /// For a rate or percentage: what it is counted out of, and what is left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        example = "successful plus unsuccessful completions (neutral terminations excluded)"
    )]
    pub denominator: Option<Spanned<String>>,
    /// increase, decrease or maintain: which way counts as progress.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = Direction::Increase)]
    pub direction: Option<Spanned<Direction>>,
    /// Where things stand before the programme.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = 33.6)]
    pub baseline: Option<Spanned<Quantity>>,
    /// What the programme aims for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = 40)]
    pub target: Option<Spanned<Quantity>>,
    /// leading (moves early, to steer by) or lagging (moves once the outcome has happened).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = Timing::Lagging)]
    pub timing: Option<Spanned<Timing>>,
    /// People per group whose results will be compared.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    #[schemars(example = 120)]
    pub cohort: Option<Spanned<u32>>,
    /// How the result will be compared: randomised, matched, pre-post, benchmark,
    /// contribution or none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = Comparison::Matched)]
    pub comparison: Option<Spanned<Comparison>>,
    /// For a shared target the programme cannot reach alone: what it contributes, and who
    /// else works towards the same figure.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        example = "One of five services in the city rough sleeping strategy; we run the outreach"
    )]
    pub contribution: Option<Spanned<String>>,
    /// Id of the source the data comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"treatment-returns")]
    pub source: Option<Spanned<String>>,
    /// How often it is collected: monthly, quarterly...
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"quarterly")]
    pub frequency: Option<Spanned<String>>,
    /// Who is responsible for collecting it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "Service manager")]
    pub owner: Option<Spanned<String>>,
    /// The groups (from the model's `breakdowns`) this measure's results will be split by.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = ["gender", "age"])]
    pub breakdowns: Vec<Spanned<String>>,
    /// Lint codes deliberately silenced for this measure.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = serde_json::json!(["undefined-rate"]))]
    pub allow: Vec<Allow>,
    /// The period the baseline was measured in; with `target_by`, gives the trajectory.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"2023-24")]
    pub baseline_period: Option<Spanned<crate::results::Period>>,
    /// The period by whose end the target should be reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"2025-26")]
    pub target_by: Option<Spanned<crate::results::Period>>,
    /// How to compute the measure from case-level records instead of a results file.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"records": "atr-cases.csv", "period": {"column": "end_date", "by": "quarter"}, "count": {"column": "termination_code", "in": [50, 51]}, "out_of": {"column": "termination_code", "in": [50, 51, 52, 53, 55, 57]}, "group_by": ["gender"]}))]
    pub compute: Option<crate::results::Compute>,
    /// The span of the measure's mapping.
    #[serde(skip)]
    pub span: Span,
}

impl Measure {
    /// The kind, defaulting to quantitative.
    pub fn kind(&self) -> MeasureKind {
        self.kind.as_ref().map(|k| k.value).unwrap_or_default()
    }

    /// The keys the `incomplete-measure` rule still wants: the baseline, target, source and
    /// frequency of a quantitative or proxy measure, and a proxy's `proxy_for`.
    pub fn missing(&self) -> Vec<&'static str> {
        if self.kind() == MeasureKind::Qualitative {
            return Vec::new();
        }
        [
            (
                "proxy_for",
                self.kind() == MeasureKind::Proxy && self.proxy_for.is_none(),
            ),
            ("baseline", self.baseline.is_none()),
            ("target", self.target.is_none()),
            ("source", self.source.is_none()),
            ("frequency", self.frequency.is_none()),
        ]
        .into_iter()
        .filter_map(|(k, absent)| absent.then_some(k))
        .collect()
    }

    /// The keys the `undefined-rate` rule still wants: a rate's `numerator` and `denominator`.
    pub fn undefined_rate(&self) -> Vec<&'static str> {
        let is_rate = self
            .unit
            .as_ref()
            .is_some_and(|u| Unit::parse(&u.value).is_rate());
        if !is_rate {
            return Vec::new();
        }
        [
            ("numerator", self.numerator.is_none()),
            ("denominator", self.denominator.is_none()),
        ]
        .into_iter()
        .filter_map(|(k, absent)| absent.then_some(k))
        .collect()
    }

    /// A baseline or target as a number in the measure's unit: a number, or text that
    /// writes one with a sign or separators the unit agrees with (`"70%"` in percent,
    /// `"£5,000"` in pounds, `"1,200"` in anything).
    pub fn number(&self, q: &Quantity) -> Option<f64> {
        match q {
            Quantity::Number(n) => Some(*n),
            Quantity::Text(t) => self.read(t)?.ok(),
        }
    }

    /// Text read as a figure in the measure's unit: `None` for text that is not a number,
    /// `Err` with what the figure's sign says it is when that contradicts the unit.
    fn read(&self, text: &str) -> Option<Result<f64, crate::unit::Sign>> {
        crate::unit::read_figure(text, self.unit.as_ref().map(|u| u.value.as_str()))
    }

    /// The baseline and target written in another unit than the measure's (the
    /// `unit-mismatch` rule): the key, the value, and what its sign says it is.
    pub fn mismatched(&self) -> Vec<(&'static str, &Spanned<Quantity>, crate::unit::Sign)> {
        [("baseline", &self.baseline), ("target", &self.target)]
            .into_iter()
            .filter_map(|(key, q)| {
                let q = q.as_ref()?;
                let Quantity::Text(t) = &q.value else {
                    return None;
                };
                self.read(t)?.err().map(|sign| (key, q, sign))
            })
            .collect()
    }

    /// The baseline and target when both are numbers in the measure's unit.
    pub fn numeric_change(&self) -> Option<(f64, f64)> {
        let b = self.number(self.baseline.as_deref()?)?;
        let t = self.number(self.target.as_deref()?)?;
        Some((b, t))
    }

    /// Whether the numeric target fails to move from the numeric baseline in the stated
    /// direction (the `target-against-direction` rule).
    pub fn against_direction(&self) -> bool {
        match (self.direction.as_deref(), self.numeric_change()) {
            (Some(Direction::Increase), Some((b, t))) => t <= b,
            (Some(Direction::Decrease), Some((b, t))) => t >= b,
            // Holding steady may keep the figure where it is or set a floor below it.
            _ => false,
        }
    }

    /// Whether the measure says all it needs to show change: nothing missing for its kind,
    /// a rate defined, figures in its own unit, and a target that moves the stated way.
    pub fn is_complete(&self) -> bool {
        self.missing().is_empty()
            && self.undefined_rate().is_empty()
            && self.mismatched().is_empty()
            && !self.against_direction()
    }
}

vocab! {
    /// What sort of place a source is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum SourceKind: "source kind", fn as_str {
        /// Records the programme keeps itself: case files, session logs, its own surveys.
        Internal = "internal",
        /// Records another organisation keeps and shares: probation, police, the NHS.
        Partner = "partner",
        /// Published or open statistics.
        Published = "published",
        /// The Ministry of Justice's Justice Data Lab, which reports reoffending for a cohort
        /// against a matched comparison group.
        JusticeDataLab = "justice-data-lab",
    }
}

/// A place measure data comes from.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Source {
    /// Unique id across the whole file.
    #[schemars(example = &"treatment-returns")]
    pub id: Spanned<String>,
    /// The name of the system, survey or dataset.
    #[schemars(example = "Monthly returns from the specialist team")]
    pub label: Spanned<String>,
    /// internal, partner, published or justice-data-lab.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = SourceKind::Internal)]
    pub kind: Option<Spanned<SourceKind>>,
    /// Whether it holds data about identifiable people.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = true)]
    pub personal_data: Option<Spanned<bool>>,
    /// How the data is stored and who may see it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "Held on the probation case system; access limited to the team")]
    pub storage: Option<Spanned<String>>,
    /// Organisations outside the programme the data passes to or comes from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = ["Justice Data Lab"])]
    pub shared_with: Vec<Spanned<String>>,
    /// The lawful basis and the agreement under which the data is shared.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "Data-sharing agreement with the Ministry of Justice")]
    pub sharing: Option<Spanned<String>>,
    /// Lint codes deliberately silenced for this source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = serde_json::json!(["unused-source"]))]
    pub allow: Vec<Allow>,
    /// The span of the source's mapping.
    #[serde(skip)]
    pub span: Span,
}

vocab! {
    /// How the diagram orders boxes within each column.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum LayoutMode: "layout", fn as_str {
        /// Inputs, outputs and indirect impacts keep file order; an edit moves only the columns
        /// it touches.
        #[default]
        Stable = "stable",
        /// Every column may move to remove crossings; an edit can reorder distant columns.
        Compact = "compact",
    }
}

vocab! {
    /// The frame a diagram is arranged to fill.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum Fit: "frame", fn word {
        /// A widescreen projector or screen.
        #[default]
        Widescreen = "16:9",
        /// An older projector.
        Standard = "4:3",
        /// An A4 page on its side.
        A4Landscape = "a4-landscape",
        /// An upright A4 page.
        A4Portrait = "a4-portrait",
        /// No frame: every chain inside a stage steps right, at the text sizes of earlier versions.
        None = "none",
    }
}

impl Fit {
    /// The frame's width and height in its own units (pixels, or points for paper), or
    /// `None` for no frame.
    pub fn frame(self) -> Option<(f64, f64)> {
        match self {
            Fit::Widescreen => Some((1920.0, 1080.0)),
            Fit::Standard => Some((1600.0, 1200.0)),
            Fit::A4Landscape => Some((841.9, 595.3)),
            Fit::A4Portrait => Some((595.3, 841.9)),
            Fit::None => None,
        }
    }
}

impl Fit {
    /// The label size, in the frame's units, that reads well in it: 18 px from the back of a
    /// room, 8 pt on paper.
    pub fn readable_label(self) -> f64 {
        match self {
            Fit::A4Landscape | Fit::A4Portrait => 8.0,
            _ => 18.0,
        }
    }
}

vocab! {
    /// Whether an assumption has been tested, and how it fared.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum Status: "status", fn as_str {
        /// Not yet tested.
        #[default]
        Untested = "untested",
        /// Tested and holding so far.
        Holding = "holding",
        /// Evidence casts doubt on it.
        Challenged = "challenged",
        /// Evidence shows it does not hold.
        Refuted = "refuted",
    }
}

/// Something that must be true for a link or a change to happen.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Assumption {
    /// Unique id across the whole file.
    #[schemars(example = &"housing-available")]
    pub id: Spanned<String>,
    /// The assumption, as a statement that could turn out false.
    #[schemars(example = "Enough move-on housing exists locally")]
    pub text: Spanned<String>,
    /// Node ids and links (`"from -> to"`) that rest on it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = ["stable-housing", "engaged-1m -> stable-housing"])]
    pub applies_to: Vec<AppliesTo>,
    /// untested (default), holding, challenged or refuted.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = Status::Challenged)]
    pub status: Option<Spanned<Status>>,
    /// What the status rests on.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "Two of five hostels closed in 2025")]
    pub evidence: Option<Spanned<String>>,
    /// How strong that evidence is: a level of the Nesta standards of evidence (1 to 5), or
    /// the design that produced it (`pre-post`, `matched`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = 2)]
    pub strength: Option<Spanned<Strength>>,
    /// Lint codes deliberately silenced for this assumption.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = serde_json::json!(["unused-assumption"]))]
    pub allow: Vec<Allow>,
    /// The span of the assumption's mapping.
    #[serde(skip)]
    pub span: Span,
}

/// One entry of a node's `leads_to`: the node it feeds, and why.
///
/// Written as a plain id, or as a mapping that also says why the link holds; a link without
/// reasons is written back as a plain id, so files and JSON that never used the mapping are
/// unchanged.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Link {
    /// The id of the node this link reaches.
    #[schemars(example = &"fewer-reconvictions")]
    pub to: Spanned<String>,
    /// Why this leads to that: the mechanism the link rests on.
    #[schemars(example = "A settled address makes keeping probation appointments possible")]
    pub because: Option<Spanned<String>>,
    /// What supports the reasoning: research, past results, what people said.
    #[schemars(example = "Case reviews of the first cohort")]
    pub evidence: Option<Spanned<String>>,
    /// How strong that evidence is: a Nesta standards of evidence level (1 to 5), or a design.
    #[schemars(example = 2)]
    pub strength: Option<Spanned<Strength>>,
    /// The span of the whole entry.
    #[schemars(skip)]
    pub span: Span,
}

/// The schema of a `leads_to` list: each entry an id, or a [`Link`] mapping.
fn leads_to_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let link = generator.subschema_for::<Link>();
    schemars::json_schema!({
        "type": "array",
        "items": {"oneOf": [{"type": "string"}, link]},
    })
}

impl Link {
    /// A link to `to` with no reasons given.
    pub fn to(to: Spanned<String>) -> Link {
        Link {
            span: to.span,
            to,
            because: None,
            evidence: None,
            strength: None,
        }
    }

    /// Whether the link says anything beyond where it goes.
    pub fn has_rationale(&self) -> bool {
        self.because.is_some() || self.evidence.is_some() || self.strength.is_some()
    }
}

impl Serialize for Link {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if !self.has_rationale() {
            return self.to.serialize(s);
        }
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("to", &self.to)?;
        if let Some(b) = &self.because {
            map.serialize_entry("because", b)?;
        }
        if let Some(e) = &self.evidence {
            map.serialize_entry("evidence", e)?;
        }
        if let Some(st) = &self.strength {
            map.serialize_entry("strength", st)?;
        }
        map.end()
    }
}

vocab! {
    /// The design of a study, named as evidence for a link or an assumption; each sits at a
    /// level of the Nesta standards of evidence.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Design: "design", fn as_str {
        /// A reasoned account of why it should hold, from research or experience (level 1).
        Theory = "theory",
        /// Change measured before and after, with nothing to compare against (level 2).
        PrePost = "pre-post",
        /// Against a comparison group matched on the people's characteristics (level 3).
        Matched = "matched",
        /// A randomised controlled trial (level 3).
        Randomised = "randomised",
        /// Confirmed by one or more independent evaluations elsewhere (level 4).
        Replicated = "replicated",
        /// Delivered at scale from manuals and systems with consistent results (level 5).
        Scaled = "scaled",
    }
}

impl Design {
    /// The level of the Nesta standards of evidence the design can reach.
    pub fn level(self) -> u8 {
        match self {
            Design::Theory => 1,
            Design::PrePost => 2,
            Design::Matched | Design::Randomised => 3,
            Design::Replicated => 4,
            Design::Scaled => 5,
        }
    }
}

/// How strong the evidence for a link or an assumption is: a level of the Nesta standards of
/// evidence, or the design of the study it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strength {
    /// A level from 1 (a reasoned account of why) to 5 (replicated at scale).
    Level(u8),
    /// The design of the study.
    Design(Design),
}

impl Strength {
    /// The highest level of the scale.
    pub const MAX: u8 = 5;

    /// The level on the Nesta scale, given or implied by the design.
    pub fn level(self) -> u8 {
        match self {
            Strength::Level(l) => l,
            Strength::Design(d) => d.level(),
        }
    }
}

impl std::fmt::Display for Strength {
    /// `level 3 of 5`, or the design with its level: `matched (level 3 of 5)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let max = Strength::MAX;
        match self {
            Strength::Level(l) => write!(f, "level {l} of {max}"),
            Strength::Design(d) => write!(f, "{d} (level {} of {max})", d.level()),
        }
    }
}

impl Serialize for Strength {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Strength::Level(l) => s.serialize_u8(*l),
            Strength::Design(d) => d.serialize(s),
        }
    }
}

impl JsonSchema for Strength {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Strength".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let design = generator.subschema_for::<Design>();
        schemars::json_schema!({
            "description": "A level of the Nesta standards of evidence, from 1 (a reasoned account of why) to 5 (replicated at scale), or the design of the study the evidence comes from.",
            "oneOf": [
                {"type": "integer", "minimum": 1, "maximum": Strength::MAX},
                design
            ],
            "examples": [3, Design::PrePost],
        })
    }
}

vocab! {
    /// What part a stakeholder plays in the programme.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Role: "role", fn as_str {
        /// The people whose lives the programme sets out to change.
        Beneficiary = "beneficiary",
        /// Who pays for it, or for its results.
        Funder = "funder",
        /// An organisation that works alongside it: refers, shares data, delivers part.
        Partner = "partner",
        /// The people who deliver it.
        Staff = "staff",
        /// Anyone else with a stake in it.
        Other = "other",
    }
}

/// Someone with a stake in the programme: a group it serves, a funder, a partner, its staff.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Stakeholder {
    /// Unique id across the whole file.
    #[schemars(example = &"short-sentence-leavers")]
    pub id: Spanned<String>,
    /// Who they are, in a few words.
    #[schemars(example = "Men leaving short prison sentences")]
    pub label: Spanned<String>,
    /// beneficiary, funder, partner, staff or other.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = Role::Beneficiary)]
    pub role: Option<Spanned<Role>>,
    /// The span of the stakeholder's mapping.
    #[serde(skip)]
    pub span: Span,
}

/// Something outside the programme that could also explain a change.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ExternalFactor {
    /// Unique id across the whole file.
    #[schemars(example = &"housing-supply")]
    pub id: Spanned<String>,
    /// What else is happening, as a statement.
    #[schemars(example = "New supported housing opened in the city over the same years")]
    pub text: Spanned<String>,
    /// Ids of the outcomes it could move.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = ["stable-housing"])]
    pub affects: Vec<Spanned<String>>,
    /// The span of the factor's mapping.
    #[serde(skip)]
    pub span: Span,
}

vocab! {
    /// Whether an unplanned change was for the better or the worse.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum UnexpectedKind: "kind of unexpected change", fn as_str {
        /// A change for the better.
        Benefit = "benefit",
        /// A change for the worse.
        Harm = "harm",
    }
}

/// A change nobody planned, found while the programme runs.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Unexpected {
    /// Unique id across the whole file.
    #[schemars(example = &"peer-support")]
    pub id: Spanned<String>,
    /// What changed.
    #[schemars(example = "Former service users began meeting new releases at the gate")]
    pub text: Spanned<String>,
    /// benefit or harm.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = UnexpectedKind::Benefit)]
    pub kind: Option<Spanned<UnexpectedKind>>,
    /// How it came to light and what shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "Caseworker notes from the second cohort")]
    pub evidence: Option<Spanned<String>>,
    /// The span of the change's mapping.
    #[serde(skip)]
    pub span: Span,
}

/// One entry of an assumption's `applies_to`: the node or link it names, and the entry as
/// written, which messages quote.
#[derive(Debug, Clone, PartialEq)]
pub struct AppliesTo {
    /// What the entry names.
    pub target: Target,
    /// The entry as written, and where.
    pub written: Spanned<String>,
}

/// A link's two ends, trimmed, from `"from -> to"`; `None` when the text names a node.
fn link_ends(text: &str) -> Option<(&str, &str)> {
    let (from, to) = text.split_once("->")?;
    Some((from.trim(), to.trim()))
}

/// What an assumption rests on: a node, or the link between two nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A node, by its id as written.
    Node(String),
    /// The link written `"from -> to"`, by the ids of its ends.
    Link {
        /// The id of the node the link leaves.
        from: String,
        /// The id of the node the link reaches.
        to: String,
    },
}

impl From<Spanned<String>> for AppliesTo {
    /// Reads an entry: `"from -> to"` (spaces around the ids are not part of them) names a
    /// link, anything else a node.
    fn from(written: Spanned<String>) -> Self {
        AppliesTo {
            target: Target::read(&written.value),
            written,
        }
    }
}

impl Target {
    /// The one reading of an `applies_to` entry: `"from -> to"` (spaces around the ids are not
    /// part of them) names a link, anything else a node.
    pub fn read(text: &str) -> Target {
        match link_ends(text) {
            Some((from, to)) => Target::Link {
                from: from.to_string(),
                to: to.to_string(),
            },
            None => Target::Node(text.to_string()),
        }
    }

    /// The ids an entry written as `text` names, trimmed: a link's two ends, or one node.
    pub fn ids_in(text: &str) -> Vec<&str> {
        match link_ends(text) {
            Some((from, to)) => vec![from, to],
            None => vec![text.trim()],
        }
    }

    /// The ids the target names: one node, or a link's two ends.
    pub fn ids(&self) -> Vec<&str> {
        match self {
            Target::Node(id) => vec![id],
            Target::Link { from, to } => vec![from, to],
        }
    }
}

impl Serialize for AppliesTo {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.written.serialize(s)
    }
}

impl JsonSchema for AppliesTo {
    fn inline_schema() -> bool {
        String::inline_schema()
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        String::schema_name()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

/// One lint code silenced for one item, with an optional reason.
#[derive(Debug, Clone, Serialize)]
pub struct Allow {
    /// The silenced code.
    pub code: Spanned<Code>,
    /// Why the exception is deliberate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The `lints:` map: a level for each named code.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Lints(pub Vec<(Spanned<Code>, Spanned<Level>)>);

impl Lints {
    /// Whether no level is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Whether `c` may appear in an id: letters and digits of any script, `-` and `_`.
pub fn is_id_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}
