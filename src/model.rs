//! Stage 2: the typed model, decoded from the YAML tree with every value's span kept.
//!
//! These types are the file format: `elmo schema` is generated from them, and the decoder
//! takes the list of keys each item may have from that same generated schema, so the schema
//! an editor validates against and the keys elmo accepts cannot drift apart.

use std::collections::HashMap;
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::lint::Level;
use crate::parse::{Yaml, YamlKind};
use crate::span::{Span, Spanned};
use crate::unit::Unit;

/// The six stages of a logic model, in causal order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Resources the programme has.
    Inputs,
    /// What the programme does.
    Activities,
    /// The countable products of activities.
    Outputs,
    /// Immediate, recognisable changes.
    DirectImpacts,
    /// Medium-term ripple effects.
    IndirectImpacts,
    /// Long-term shifts that speak to the vision.
    SystemicImpacts,
}

impl Stage {
    /// All stages, left to right.
    pub const ALL: [Stage; 6] = [
        Stage::Inputs,
        Stage::Activities,
        Stage::Outputs,
        Stage::DirectImpacts,
        Stage::IndirectImpacts,
        Stage::SystemicImpacts,
    ];

    /// The key used in the file and in SVG classes (`direct_impacts`).
    pub fn key(self) -> &'static str {
        match self {
            Stage::Inputs => "inputs",
            Stage::Activities => "activities",
            Stage::Outputs => "outputs",
            Stage::DirectImpacts => "direct_impacts",
            Stage::IndirectImpacts => "indirect_impacts",
            Stage::SystemicImpacts => "systemic_impacts",
        }
    }

    /// The heading shown to people (`Direct impacts`).
    pub fn title(self) -> &'static str {
        match self {
            Stage::Inputs => "Inputs",
            Stage::Activities => "Activities",
            Stage::Outputs => "Outputs",
            Stage::DirectImpacts => "Direct impacts",
            Stage::IndirectImpacts => "Indirect impacts",
            Stage::SystemicImpacts => "Systemic impacts",
        }
    }

    /// The singular noun for a node of this stage, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Stage::Inputs => "input",
            Stage::Activities => "activity",
            Stage::Outputs => "output",
            Stage::DirectImpacts => "direct impact",
            Stage::IndirectImpacts => "indirect impact",
            Stage::SystemicImpacts => "systemic impact",
        }
    }

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
    #[schemars(example = serde_json::json!([{"id": "engagement-1m", "label": "Share engaged beyond one month", "unit": "percent", "numerator": "service users engaged beyond one month", "denominator": "service users released", "baseline": 37, "target": 60, "direction": "increase", "source": "case-records", "frequency": "quarterly"}]))]
    pub measures: Vec<Measure>,
    /// Where the data for measures comes from.
    #[serde(default)]
    #[schemars(example = serde_json::json!([{"id": "case-records", "label": "Case management records", "kind": "internal", "personal_data": true, "storage": "Kept on the provider case system; reported as counts only"}]))]
    pub sources: Vec<Source>,
    /// What must hold for a link or a change to happen.
    #[serde(default)]
    #[schemars(example = serde_json::json!([{"id": "housing-available", "text": "Enough move-on housing exists locally", "applies_to": ["stable-housing"], "status": "untested"}]))]
    pub assumptions: Vec<Assumption>,
    /// The last stage the programme answers for on its own, e.g. `direct_impacts`; beyond
    /// it the programme contributes to change alongside others.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"direct_impacts")]
    pub accountability_ceiling: Option<Spanned<Stage>>,
    /// How boxes are ordered within columns: `stable` (default) keeps unrelated columns still
    /// when one part changes; `compact` searches the whole diagram for fewer crossing links.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"compact")]
    pub layout: Option<Spanned<LayoutMode>>,
    /// The frame the diagram is drawn for: `16:9` (default), `4:3`, `a4-landscape`,
    /// `a4-portrait`, or `none` for the unfitted drawing of earlier versions.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"a4-landscape")]
    pub fit: Option<Spanned<Fit>>,
    /// Lint levels for this file, e.g. `{ unmeasured-outcome: deny }`.
    #[serde(default, skip_serializing_if = "Lints::is_empty")]
    #[schemars(example = serde_json::json!({"unmeasured-output": "deny"}))]
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
    /// Ids of the nodes this one feeds: later stages, or the same stage for outcome chains.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = ["stable-housing", "fewer-reconvictions"])]
    pub leads_to: Vec<Spanned<String>>,
    /// Ids of the measures that show this change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = ["engagement-1m"])]
    pub measures: Vec<Spanned<String>>,
    /// Lint codes deliberately silenced for this node, each optionally with a reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = serde_json::json!([{"code": "unmeasured-outcome", "reason": "No data on community safety exists yet"}]))]
    pub allow: Vec<Allow>,
    /// The span of the node's mapping.
    #[serde(skip)]
    pub span: Span,
}

/// How a measure shows change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MeasureKind {
    /// A count, rate or score measured directly.
    #[default]
    Quantitative,
    /// An indirect indicator that stands in for something hard to measure.
    Proxy,
    /// Stories, interviews, case studies: what the numbers cannot say.
    Qualitative,
}

/// Which way a measure should move for the change to count as progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Higher is better: engagement, completion.
    Increase,
    /// Lower is better: reoffending, waiting times.
    Decrease,
}

/// When a measure can show change, relative to the outcome it tracks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Timing {
    /// Moves early, while there is still time to steer: engagement, attendance, risk scores.
    Leading,
    /// Moves only once the outcome has happened: proven reoffending a year on.
    Lagging,
}

/// How a measure's result will be compared, to tell the programme's share of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Comparison {
    /// Against a comparison group matched on the people's characteristics.
    Matched,
    /// Against nothing but the baseline.
    None,
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
    #[schemars(example = &"quantitative")]
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
    /// increase or decrease: which way counts as progress.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"increase")]
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
    #[schemars(example = &"lagging")]
    pub timing: Option<Spanned<Timing>>,
    /// People per group whose results will be compared.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    #[schemars(example = 120)]
    pub cohort: Option<Spanned<u32>>,
    /// matched (against a matched comparison group) or none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"matched")]
    pub comparison: Option<Spanned<Comparison>>,
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

    /// The keys the `incomplete-measure` rule still wants: a quantitative measure's baseline,
    /// target, source and frequency, or a proxy's `proxy_for`.
    pub fn missing(&self) -> Vec<&'static str> {
        match self.kind() {
            MeasureKind::Quantitative => [
                ("baseline", self.baseline.is_none()),
                ("target", self.target.is_none()),
                ("source", self.source.is_none()),
                ("frequency", self.frequency.is_none()),
            ]
            .into_iter()
            .filter_map(|(k, absent)| absent.then_some(k))
            .collect(),
            MeasureKind::Proxy if self.proxy_for.is_none() => vec!["proxy_for"],
            _ => Vec::new(),
        }
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

    /// The baseline and target when both are numbers.
    pub fn numeric_change(&self) -> Option<(f64, f64)> {
        match (self.baseline.as_deref(), self.target.as_deref()) {
            (Some(Quantity::Number(b)), Some(Quantity::Number(t))) => Some((*b, *t)),
            _ => None,
        }
    }

    /// Whether the numeric target fails to move from the numeric baseline in the stated
    /// direction (the `target-against-direction` rule).
    pub fn against_direction(&self) -> bool {
        match (self.direction.as_deref(), self.numeric_change()) {
            (Some(Direction::Increase), Some((b, t))) => t <= b,
            (Some(Direction::Decrease), Some((b, t))) => t >= b,
            _ => false,
        }
    }

    /// Whether the measure says all it needs to show change: nothing missing for its kind,
    /// a rate defined, and a target that moves the stated way.
    pub fn is_complete(&self) -> bool {
        self.missing().is_empty() && self.undefined_rate().is_empty() && !self.against_direction()
    }
}

/// What sort of place a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// Records the programme keeps itself: case files, session logs, its own surveys.
    Internal,
    /// Records another organisation keeps and shares: probation, police, the NHS.
    Partner,
    /// Published or open statistics.
    Published,
    /// The Ministry of Justice's Justice Data Lab, which reports reoffending for a cohort
    /// against a matched comparison group.
    JusticeDataLab,
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
    #[schemars(example = &"internal")]
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

/// How the diagram orders boxes within each column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LayoutMode {
    /// Inputs, outputs and indirect impacts keep file order; an edit moves only the columns
    /// it touches.
    #[default]
    Stable,
    /// Every column may move to remove crossings; an edit can reorder distant columns.
    Compact,
}

/// The two ends of a link written `"from -> to"` (as in `applies_to`), trimmed, or `None`
/// when the text names a node instead.
pub fn link_ends(target: &str) -> Option<(&str, &str)> {
    let (from, to) = target.split_once("->")?;
    Some((from.trim(), to.trim()))
}

/// The frame a diagram is arranged to fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, JsonSchema)]
pub enum Fit {
    /// A widescreen projector or screen.
    #[default]
    #[serde(rename = "16:9")]
    Widescreen,
    /// An older projector.
    #[serde(rename = "4:3")]
    Standard,
    /// An A4 page on its side.
    #[serde(rename = "a4-landscape")]
    A4Landscape,
    /// An upright A4 page.
    #[serde(rename = "a4-portrait")]
    A4Portrait,
    /// No frame: every chain inside a stage steps right, at the text sizes of earlier versions.
    #[serde(rename = "none")]
    None,
}

impl Fit {
    /// Every frame, with the word a model file and `--fit` use for it.
    pub const ALL: [(&'static str, Fit); 5] = [
        ("16:9", Fit::Widescreen),
        ("4:3", Fit::Standard),
        ("a4-landscape", Fit::A4Landscape),
        ("a4-portrait", Fit::A4Portrait),
        ("none", Fit::None),
    ];

    /// The word for this frame.
    pub fn word(self) -> &'static str {
        Fit::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("16:9", |(w, _)| w)
    }

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

impl std::str::FromStr for Fit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Fit::ALL
            .iter()
            .find(|(w, _)| *w == s)
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                let words: Vec<&str> = Fit::ALL.iter().map(|(w, _)| *w).collect();
                format!("`{s}` is not a frame; expected one of {}", words.join(", "))
            })
    }
}

/// Whether an assumption has been tested, and how it fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Not yet tested.
    #[default]
    Untested,
    /// Tested and holding so far.
    Holding,
    /// Evidence casts doubt on it.
    Challenged,
    /// Evidence shows it does not hold.
    Refuted,
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
    pub applies_to: Vec<Spanned<String>>,
    /// untested (default), holding, challenged or refuted.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"challenged")]
    pub status: Option<Spanned<Status>>,
    /// What the status rests on.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = "Two of five hostels closed in 2025")]
    pub evidence: Option<Spanned<String>>,
    /// Lint codes deliberately silenced for this assumption.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = serde_json::json!(["unused-assumption"]))]
    pub allow: Vec<Allow>,
    /// The span of the assumption's mapping.
    #[serde(skip)]
    pub span: Span,
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

impl JsonSchema for Allow {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Allow".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let codes = configurable_codes();
        schemars::json_schema!({
            "description": "A lint code to silence here, or `{code, reason}` to record why.",
            "oneOf": [
                {"type": "string", "enum": codes},
                {"type": "object", "additionalProperties": false, "required": ["code"],
                 "properties": {
                    "code": {"type": "string", "enum": codes, "description": "The lint code.",
                             "examples": ["unmeasured-outcome"]},
                    "reason": {"type": "string", "description": "Why this exception is deliberate.",
                               "examples": ["No local data on community safety exists yet"]}
                 }}
            ]
        })
    }
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

impl JsonSchema for Lints {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Lints".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let props: serde_json::Map<String, serde_json::Value> = configurable_codes()
            .into_iter()
            .map(|c| {
                let summary = c
                    .parse::<Code>()
                    .map(|c| c.lint().summary)
                    .unwrap_or_default();
                (
                    c.to_string(),
                    serde_json::json!({
                        "enum": ["allow", "warn", "deny"],
                        "description": summary,
                        "examples": ["deny"],
                    }),
                )
            })
            .collect();
        schemars::json_schema!({
            "type": "object",
            "description": "Lint levels for this file.",
            "additionalProperties": false,
            "properties": props,
        })
    }
}

fn configurable_codes() -> Vec<&'static str> {
    Code::ALL
        .iter()
        .filter(|c| c.lint().configurable)
        .map(|c| c.as_str())
        .collect()
}

/// The keys each item may have, read from the schema generated from the types above.
fn known_keys(item: &str) -> &'static [String] {
    static KEYS: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        let schema = serde_json::to_value(schemars::schema_for!(Model)).unwrap_or_default();
        // An item written either as a word or as a mapping (`allow`) lists its keys under `oneOf`.
        fn props(v: &serde_json::Value) -> Vec<String> {
            let own = v.get("properties").and_then(|p| p.as_object());
            let alternatives = v.get("oneOf").and_then(|o| o.as_array());
            match (own, alternatives) {
                (Some(p), _) => p.keys().cloned().collect(),
                (None, Some(alts)) => alts.iter().flat_map(props).collect(),
                (None, None) => Vec::new(),
            }
        }
        let mut map = HashMap::new();
        map.insert("Model".to_string(), props(&schema));
        if let Some(defs) = schema.get("$defs").and_then(|d| d.as_object()) {
            for (name, def) in defs {
                map.insert(name.clone(), props(def));
            }
        }
        map
    });
    keys.get(item).map_or(&[], Vec::as_slice)
}

/// The JSON Schema of the file format.
pub fn schema() -> serde_json::Value {
    let mut value = serde_json::to_value(schemars::schema_for!(Model)).unwrap_or_default();
    if let Some(obj) = value.as_object_mut() {
        obj.insert(
            "$id".into(),
            "https://elmo.invalid/schema/elmo-1.json".into(),
        );
        obj.insert(
            "description".into(),
            "A logic model (theory of change) checked and drawn by elmo.".into(),
        );
    }
    value
}

/// Decodes the YAML tree into a model, reporting every structural problem found.
///
/// Returns `None` only when the root is not a mapping; otherwise missing required values are
/// left empty so that later checks can still run.
pub fn decode(
    root: &Yaml,
    limits: &crate::parse::Limits,
    diags: &mut Vec<Diagnostic>,
) -> Option<Model> {
    if let Some(d) = over_limits(root, limits) {
        diags.push(d);
        return None;
    }
    let mut d = Decoder { diags };
    if !matches!(root.kind, YamlKind::Map(_)) {
        let msg = if root.is_null() {
            "the file is empty".to_string()
        } else {
            format!(
                "the top level is {}, but a model is a mapping of keys",
                root.describe()
            )
        };
        d.diags.push(
            Diagnostic::new(Code::YamlSyntax, msg, root.span)
                .with_help("start with `title: <the programme's name>`, then the stages: `inputs:`, `activities:`, ..."),
        );
        return None;
    }
    let mut f = d.fields(root, "Model", "the model")?;
    let mut model = Model {
        span: root.span,
        ..Model::default()
    };
    if let Some(v) = f.get("elmo") {
        match v.kind {
            YamlKind::Scalar {
                ref text,
                plain: true,
            } if text == "1" => {
                model.elmo = Some(Spanned::new(1, v.span));
            }
            _ => d.invalid(
                v,
                "`elmo` is the format version, and the only version is 1",
                "write `elmo: 1`, or leave it out",
            ),
        }
    }
    model.title = f.required(&mut d, "title", |d, v| d.text(v));
    model.vision = f.get("vision").and_then(|v| d.text(v));
    model.context = f.get("context").and_then(|v| d.text(v));
    for stage in Stage::ALL {
        if let Some(v) = f.get(stage.key()) {
            let nodes = d.list(v, stage.key(), |d, item| d.node(item));
            *model.stage_mut(stage) = nodes;
        }
    }
    if let Some(v) = f.get("measures") {
        model.measures = d.list(v, "measures", |d, item| d.measure(item));
    }
    model.measures_key = f.key_span("measures");
    if let Some(v) = f.get("sources") {
        model.sources = d.list(v, "sources", |d, item| d.source(item));
    }
    if let Some(v) = f.get("assumptions") {
        model.assumptions = d.list(v, "assumptions", |d, item| d.assumption(item));
    }
    if let Some(v) = f.get("accountability_ceiling") {
        let stages = Stage::ALL.map(|s| (s.key(), s));
        model.accountability_ceiling = d.choice(v, "accountability_ceiling", &stages);
    }
    if let Some(v) = f.get("layout") {
        let modes = [
            ("stable", LayoutMode::Stable),
            ("compact", LayoutMode::Compact),
        ];
        model.layout = d.choice(v, "layout", &modes);
    }
    if let Some(v) = f.get("fit") {
        model.fit = d.choice(v, "fit", &Fit::ALL);
    }
    if let Some(v) = f.get("lints") {
        model.lints = d.lints(v);
    }
    if let Some(v) = f.get("results") {
        model.results = crate::results::config::results(v, d.diags);
    }
    Some(model)
}

/// Counts nodes and links in the raw tree, before any is decoded, so an enormous model is
/// refused without building it.
fn over_limits(root: &Yaml, limits: &crate::parse::Limits) -> Option<Diagnostic> {
    let YamlKind::Map(pairs) = &root.kind else {
        return None;
    };
    let (mut nodes, mut links) = (0usize, 0usize);
    let mut at = root.span;
    for (k, v) in pairs {
        let is_stage = matches!(&k.kind, YamlKind::Scalar { text, .. } if Stage::ALL.iter().any(|s| s.key() == text));
        let (true, YamlKind::Seq(items)) = (is_stage, &v.kind) else {
            continue;
        };
        nodes += items.len();
        for item in items {
            if let YamlKind::Map(fields) = &item.kind {
                for (fk, fv) in fields {
                    if let (YamlKind::Scalar { text, .. }, YamlKind::Seq(targets)) =
                        (&fk.kind, &fv.kind)
                        && text == "leads_to"
                    {
                        links += targets.len();
                        if links > limits.max_links {
                            at = fv.span;
                        }
                    }
                }
            }
        }
        if nodes > limits.max_model_nodes {
            return Some(
                Diagnostic::new(
                    Code::LimitExceeded,
                    format!("the model has more than {} nodes", limits.max_model_nodes),
                    k.span,
                )
                .with_help("split it into linked models, or raise the limit with `--max-nodes`"),
            );
        }
        if links > limits.max_links {
            return Some(
                Diagnostic::new(
                    Code::LimitExceeded,
                    format!("the model has more than {} links", limits.max_links),
                    Span::new(at.start, at.start),
                )
                .with_help("split it into linked models, or raise the limit with `--max-links`"),
            );
        }
    }
    None
}

struct Decoder<'a> {
    diags: &'a mut Vec<Diagnostic>,
}

/// The keys of one mapping, checked against the keys its item may have.
struct Fields<'y> {
    pairs: Vec<(&'y str, Span, &'y Yaml)>,
    span: Span,
    what: String,
}

impl<'y> Fields<'y> {
    /// The span of `key` itself, when it is written.
    fn key_span(&self, key: &str) -> Option<Span> {
        self.pairs
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, span, _)| *span)
    }

    /// The value of `key`, unless absent or null.
    fn get(&mut self, key: &str) -> Option<&'y Yaml> {
        self.pairs
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, _, v)| *v)
            .filter(|v| !v.is_null())
    }

    /// The decoded value of a required key, or a default after reporting it missing.
    fn required<T: Default>(
        &mut self,
        d: &mut Decoder<'_>,
        key: &str,
        decode: impl FnOnce(&mut Decoder<'_>, &'y Yaml) -> Option<Spanned<T>>,
    ) -> Spanned<T> {
        if let Some(v) = self.get(key) {
            return decode(d, v).unwrap_or_else(|| Spanned::new(T::default(), v.span));
        }
        let present = self.pairs.iter().find(|(k, _, _)| *k == key);
        let (msg, span) = match present {
            Some((_, kspan, _)) => (format!("`{key}` has no value"), *kspan),
            None => (format!("{} has no `{key}`", self.what), self.span),
        };
        d.diags.push(
            Diagnostic::new(Code::MissingField, msg, span)
                .with_help(format!("add `{key}: ...` to {}", self.what)),
        );
        Spanned::new(T::default(), span)
    }
}

impl Decoder<'_> {
    fn invalid(&mut self, v: &Yaml, msg: impl Into<String>, help: impl Into<String>) {
        self.diags
            .push(Diagnostic::new(Code::InvalidValue, msg, v.span).with_help(help));
    }

    /// Opens a mapping of item type `ty`, reporting duplicate and unknown keys.
    fn fields<'y>(&mut self, v: &'y Yaml, ty: &str, what: &'static str) -> Option<Fields<'y>> {
        let YamlKind::Map(pairs) = &v.kind else {
            self.invalid(
                v,
                format!(
                    "expected {what} as a mapping of keys, found {}",
                    v.describe()
                ),
                "write it as `key: value` lines",
            );
            return None;
        };
        let known = known_keys(ty);
        let mut out: Vec<(&str, Span, &Yaml)> = Vec::with_capacity(pairs.len());
        for (k, val) in pairs {
            let YamlKind::Scalar { text, .. } = &k.kind else {
                self.invalid(
                    k,
                    "a key must be a plain word",
                    "write keys as `name: value`",
                );
                continue;
            };
            if let Some((_, first, _)) = out.iter().find(|(name, _, _)| *name == text.as_str()) {
                self.diags.push(
                    Diagnostic::new(
                        Code::DuplicateKey,
                        format!("`{text}` is given twice"),
                        k.span,
                    )
                    .with_related(*first, "first given here")
                    .with_help("keep one of them"),
                );
                continue;
            }
            if !known.iter().any(|n| n == text) {
                let mut diag = Diagnostic::new(
                    Code::UnknownField,
                    format!("{what} has no key `{text}`"),
                    k.span,
                );
                diag = match did_you_mean(text, known.iter().map(String::as_str)) {
                    Some(h) => diag.with_help(h),
                    None => diag.with_help(format!("the keys of {what} are: {}", known.join(", "))),
                };
                self.diags.push(diag);
                continue;
            }
            out.push((text.as_str(), k.span, val));
        }
        Some(Fields {
            pairs: out,
            span: v.span,
            what: what.to_string(),
        })
    }

    fn text(&mut self, v: &Yaml) -> Option<Spanned<String>> {
        match &v.kind {
            YamlKind::Scalar { text, .. } => Some(Spanned::new(text.clone(), v.span)),
            _ => {
                self.invalid(
                    v,
                    format!("expected text, found {}", v.describe()),
                    "write a single line of text; quote it if it contains `: ` or starts with `[` or `{`",
                );
                None
            }
        }
    }

    fn id(&mut self, v: &Yaml) -> Option<Spanned<String>> {
        let s = self.text(v)?;
        if s.value.is_empty() || !s.value.chars().all(is_id_char) {
            self.invalid(
                v,
                format!("`{}` is not a valid id", s.value),
                "ids use letters, digits, `-` and `_` only, e.g. `engaged-1m`",
            );
        }
        Some(s)
    }

    fn id_list(&mut self, v: &Yaml, key: &str) -> Vec<Spanned<String>> {
        let YamlKind::Seq(items) = &v.kind else {
            let example = match &v.kind {
                YamlKind::Scalar { text, .. } => format!("write `{key}: [{text}]`"),
                _ => format!("write `{key}: [first-id, second-id]`"),
            };
            self.invalid(
                v,
                format!("`{key}` must be a list of ids, found {}", v.describe()),
                example,
            );
            return Vec::new();
        };
        items.iter().filter_map(|i| self.text(i)).collect()
    }

    fn list<T>(
        &mut self,
        v: &Yaml,
        key: &str,
        mut item: impl FnMut(&mut Self, &Yaml) -> Option<T>,
    ) -> Vec<T> {
        match &v.kind {
            YamlKind::Seq(items) => items.iter().filter_map(|i| item(self, i)).collect(),
            _ => {
                self.invalid(
                    v,
                    format!("`{key}` must be a list, found {}", v.describe()),
                    format!(
                        "write each item on its own line under `{key}:`, starting with `- id: ...`"
                    ),
                );
                Vec::new()
            }
        }
    }

    fn choice<T: Copy>(
        &mut self,
        v: &Yaml,
        key: &str,
        options: &[(&str, T)],
    ) -> Option<Spanned<T>> {
        let s = self.text(v)?;
        if let Some((_, t)) = options.iter().find(|(name, _)| *name == s.value) {
            return Some(Spanned::new(*t, s.span));
        }
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        let help = did_you_mean(&s.value, names.iter().copied())
            .unwrap_or_else(|| format!("use one of: {}", names.join(", ")));
        self.invalid(
            v,
            format!(
                "`{}` is not a valid `{key}`; expected one of {}",
                s.value,
                names.join(", ")
            ),
            help,
        );
        None
    }

    fn quantity(&mut self, v: &Yaml, key: &str) -> Option<Spanned<Quantity>> {
        let s = self.text(v)?;
        let plain = matches!(v.kind, YamlKind::Scalar { plain: true, .. });
        let number = s
            .value
            .trim()
            .parse::<f64>()
            .ok()
            .or_else(|| crate::parse::non_finite(&s.value));
        let q = match number {
            Some(n) if plain && n.is_finite() => Quantity::Number(n),
            // Infinity, NaN and numbers too large for a float would turn every comparison
            // and every figure built on them into nonsense.
            Some(_) if plain => {
                self.invalid(
                    v,
                    format!("`{key}` must be a finite number, not `{}`", s.value),
                    format!(
                        "give a number such as `{key}: 35`, or text in quotes such as `{key}: \"to be set in year 1\"`"
                    ),
                );
                return None;
            }
            _ => Quantity::Text(s.value),
        };
        Some(Spanned::new(q, s.span))
    }

    fn boolean(&mut self, v: &Yaml, key: &str) -> Option<Spanned<bool>> {
        match &v.kind {
            YamlKind::Scalar { text, plain: true } if text == "true" => {
                Some(Spanned::new(true, v.span))
            }
            YamlKind::Scalar { text, plain: true } if text == "false" => {
                Some(Spanned::new(false, v.span))
            }
            _ => {
                self.invalid(
                    v,
                    format!("`{key}` must be true or false"),
                    format!("write `{key}: true` or `{key}: false`"),
                );
                None
            }
        }
    }

    /// A count of people: a plain whole number of at least 1.
    fn cohort(&mut self, v: &Yaml) -> Option<Spanned<u32>> {
        let n = match &v.kind {
            YamlKind::Scalar { text, plain: true } => text.trim().parse::<u32>().ok(),
            _ => None,
        };
        match n {
            Some(n) if n >= 1 => Some(Spanned::new(n, v.span)),
            _ => {
                self.invalid(
                    v,
                    "`cohort` must be a whole number of people, at least 1",
                    "write the number of people in each group, e.g. `cohort: 120`",
                );
                None
            }
        }
    }

    /// A list of free-text entries (names, not ids).
    fn text_list(&mut self, v: &Yaml, key: &str, example: &str) -> Vec<Spanned<String>> {
        let YamlKind::Seq(items) = &v.kind else {
            let help = match &v.kind {
                YamlKind::Scalar { text, .. } => format!("write `{key}: [{text}]`"),
                _ => format!("write `{key}: {example}`"),
            };
            self.invalid(
                v,
                format!("`{key}` must be a list, found {}", v.describe()),
                help,
            );
            return Vec::new();
        };
        items.iter().filter_map(|i| self.text(i)).collect()
    }

    fn allow(&mut self, v: &Yaml) -> Vec<Allow> {
        let YamlKind::Seq(items) = &v.kind else {
            self.invalid(
                v,
                "`allow` must be a list of lint codes",
                "write `allow: [unmeasured-outcome]`",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let (code_yaml, reason) = match &item.kind {
                YamlKind::Map(_) => {
                    let Some(mut f) = self.fields(item, "Allow", "an allow entry") else {
                        continue;
                    };
                    let code = f.get("code");
                    let reason = f.get("reason").and_then(|r| self.text(r)).map(|r| r.value);
                    match code {
                        Some(c) => (c, reason),
                        None => {
                            self.diags.push(
                                Diagnostic::new(
                                    Code::MissingField,
                                    "this allow entry has no `code`",
                                    item.span,
                                )
                                .with_help("write `{ code: unmeasured-outcome, reason: ... }`"),
                            );
                            continue;
                        }
                    }
                }
                _ => (item, None),
            };
            if let Some(code) = self.lint_code(code_yaml) {
                out.push(Allow { code, reason });
            }
        }
        out
    }

    fn lint_code(&mut self, v: &Yaml) -> Option<Spanned<Code>> {
        let s = self.text(v)?;
        match s.value.parse::<Code>() {
            Ok(code) if code.lint().configurable => Some(Spanned::new(code, s.span)),
            Ok(code) => {
                self.invalid(
                    v,
                    format!("`{code}` is always an error and cannot be allowed or changed"),
                    "fix the problem instead",
                );
                None
            }
            Err(()) => {
                let help = did_you_mean(&s.value, configurable_codes())
                    .unwrap_or_else(|| "run `elmo explain --list` to see every code".to_string());
                self.invalid(v, format!("`{}` is not a lint code", s.value), help);
                None
            }
        }
    }

    fn lints(&mut self, v: &Yaml) -> Lints {
        let YamlKind::Map(pairs) = &v.kind else {
            self.invalid(
                v,
                "`lints` must be a mapping of codes to levels",
                "write `lints: { unmeasured-outcome: deny }`",
            );
            return Lints::default();
        };
        let mut out: Vec<(Spanned<Code>, Spanned<Level>)> = Vec::new();
        for (k, val) in pairs {
            let Some(code) = self.lint_code(k) else {
                continue;
            };
            if let Some((first, _)) = out.iter().find(|(c, _)| c.value == code.value) {
                self.diags.push(
                    Diagnostic::new(
                        Code::DuplicateKey,
                        format!("`{}` is given twice", code.value),
                        code.span,
                    )
                    .with_related(first.span, "first given here")
                    .with_help("keep one of them"),
                );
                continue;
            }
            let levels = [
                ("allow", Level::Allow),
                ("warn", Level::Warn),
                ("deny", Level::Deny),
            ];
            if let Some(level) = self.choice(val, code.value.as_str(), &levels) {
                out.push((code, level));
            }
        }
        Lints(out)
    }

    fn node(&mut self, v: &Yaml) -> Option<Node> {
        let mut f = self.fields(v, "Node", "a node")?;
        let id = f.required(self, "id", |d, v| d.id(v));
        if !id.value.is_empty() {
            f.what = format!("node `{}`", id.value);
        }
        Some(Node {
            label: f.required(self, "label", |d, v| d.text(v)),
            description: f.get("description").and_then(|v| self.text(v)),
            leads_to: f
                .get("leads_to")
                .map(|v| self.id_list(v, "leads_to"))
                .unwrap_or_default(),
            measures: f
                .get("measures")
                .map(|v| self.id_list(v, "measures"))
                .unwrap_or_default(),
            allow: f.get("allow").map(|v| self.allow(v)).unwrap_or_default(),
            span: v.span,
            id,
        })
    }

    fn measure(&mut self, v: &Yaml) -> Option<Measure> {
        let mut f = self.fields(v, "Measure", "a measure")?;
        let kinds = [
            ("quantitative", MeasureKind::Quantitative),
            ("proxy", MeasureKind::Proxy),
            ("qualitative", MeasureKind::Qualitative),
        ];
        let directions = [
            ("increase", Direction::Increase),
            ("decrease", Direction::Decrease),
        ];
        let timings = [("leading", Timing::Leading), ("lagging", Timing::Lagging)];
        let comparisons = [("matched", Comparison::Matched), ("none", Comparison::None)];
        Some(Measure {
            id: f.required(self, "id", |d, v| d.id(v)),
            label: f.required(self, "label", |d, v| d.text(v)),
            kind: f.get("kind").and_then(|v| self.choice(v, "kind", &kinds)),
            proxy_for: f.get("proxy_for").and_then(|v| self.text(v)),
            unit: f.get("unit").and_then(|v| self.text(v)),
            numerator: f.get("numerator").and_then(|v| self.text(v)),
            denominator: f.get("denominator").and_then(|v| self.text(v)),
            direction: f
                .get("direction")
                .and_then(|v| self.choice(v, "direction", &directions)),
            baseline: f.get("baseline").and_then(|v| self.quantity(v, "baseline")),
            target: f.get("target").and_then(|v| self.quantity(v, "target")),
            timing: f
                .get("timing")
                .and_then(|v| self.choice(v, "timing", &timings)),
            cohort: f.get("cohort").and_then(|v| self.cohort(v)),
            comparison: f
                .get("comparison")
                .and_then(|v| self.choice(v, "comparison", &comparisons)),
            source: f.get("source").and_then(|v| self.text(v)),
            frequency: f.get("frequency").and_then(|v| self.text(v)),
            owner: f.get("owner").and_then(|v| self.text(v)),
            allow: f.get("allow").map(|v| self.allow(v)).unwrap_or_default(),
            baseline_period: f
                .get("baseline_period")
                .and_then(|v| crate::results::config::period(v, "baseline_period", self.diags)),
            target_by: f
                .get("target_by")
                .and_then(|v| crate::results::config::period(v, "target_by", self.diags)),
            compute: f
                .get("compute")
                .and_then(|v| crate::results::config::compute(v, self.diags)),
            span: v.span,
        })
    }

    fn source(&mut self, v: &Yaml) -> Option<Source> {
        let mut f = self.fields(v, "Source", "a source")?;
        let kinds = [
            ("internal", SourceKind::Internal),
            ("partner", SourceKind::Partner),
            ("published", SourceKind::Published),
            ("justice-data-lab", SourceKind::JusticeDataLab),
        ];
        Some(Source {
            id: f.required(self, "id", |d, v| d.id(v)),
            label: f.required(self, "label", |d, v| d.text(v)),
            kind: f.get("kind").and_then(|v| self.choice(v, "kind", &kinds)),
            personal_data: f
                .get("personal_data")
                .and_then(|v| self.boolean(v, "personal_data")),
            storage: f.get("storage").and_then(|v| self.text(v)),
            shared_with: f
                .get("shared_with")
                .map(|v| self.text_list(v, "shared_with", "[Probation Service, Police]"))
                .unwrap_or_default(),
            sharing: f.get("sharing").and_then(|v| self.text(v)),
            allow: f.get("allow").map(|v| self.allow(v)).unwrap_or_default(),
            span: v.span,
        })
    }

    fn assumption(&mut self, v: &Yaml) -> Option<Assumption> {
        let mut f = self.fields(v, "Assumption", "an assumption")?;
        let statuses = [
            ("untested", Status::Untested),
            ("holding", Status::Holding),
            ("challenged", Status::Challenged),
            ("refuted", Status::Refuted),
        ];
        Some(Assumption {
            id: f.required(self, "id", |d, v| d.id(v)),
            text: f.required(self, "text", |d, v| d.text(v)),
            applies_to: f
                .get("applies_to")
                .map(|v| self.id_list(v, "applies_to"))
                .unwrap_or_default(),
            status: f
                .get("status")
                .and_then(|v| self.choice(v, "status", &statuses)),
            evidence: f.get("evidence").and_then(|v| self.text(v)),
            allow: f.get("allow").map(|v| self.allow(v)).unwrap_or_default(),
            span: v.span,
        })
    }
}

/// Whether `c` may appear in an id: letters and digits of any script, `-` and `_`.
pub fn is_id_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keys_come_from_the_schema() {
        let node = known_keys("Node");
        for k in [
            "id",
            "label",
            "description",
            "leads_to",
            "measures",
            "allow",
        ] {
            assert!(node.iter().any(|n| n == k), "Node lacks {k}");
        }
        assert!(
            !node.iter().any(|n| n == "span"),
            "internal span leaked into schema"
        );
        assert!(known_keys("Model").iter().any(|k| k == "systemic_impacts"));
        assert!(known_keys("Measure").iter().any(|k| k == "proxy_for"));
        assert!(known_keys("Source").iter().any(|k| k == "personal_data"));
        for k in ["numerator", "direction", "timing", "cohort", "comparison"] {
            assert!(
                known_keys("Measure").iter().any(|n| n == k),
                "Measure lacks {k}"
            );
        }
        assert!(known_keys("Source").iter().any(|k| k == "shared_with"));
        assert!(
            known_keys("Model")
                .iter()
                .any(|k| k == "accountability_ceiling")
        );
        assert!(known_keys("Assumption").iter().any(|k| k == "applies_to"));
    }
}
