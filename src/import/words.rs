//! Reading the words people head their columns with: which column holds what, and which
//! stage a heading or a cell names, forgiving case, plurals, punctuation and small typos.

use crate::model::Stage;

/// What a column of a logic-model table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The stage of the row's box.
    Stage,
    /// The box's id.
    Id,
    /// The box's text.
    Label,
    /// Longer text about the box.
    Description,
    /// The boxes this one leads to.
    LeadsTo,
    /// A measure of the box.
    Measure,
    /// The measure's unit.
    Unit,
    /// The measure's baseline.
    Baseline,
    /// The measure's target.
    Target,
    /// Where the measure's data comes from.
    Source,
    /// What must hold for the box.
    Assumption,
}

impl Field {
    /// What the field is called in notes.
    pub fn name(self) -> &'static str {
        match self {
            Field::Stage => "stage",
            Field::Id => "id",
            Field::Label => "label",
            Field::Description => "description",
            Field::LeadsTo => "leads to",
            Field::Measure => "measure",
            Field::Unit => "unit",
            Field::Baseline => "baseline",
            Field::Target => "target",
            Field::Source => "source",
            Field::Assumption => "assumption",
        }
    }
}

/// The headings each field is known by, normalised (see [`normalise`]).
pub const FIELDS: &[(Field, &[&str])] = &[
    (
        Field::Stage,
        &[
            "stage",
            "level",
            "type",
            "category",
            "component",
            "element",
            "step",
            "logic model stage",
            "box type",
        ],
    ),
    (Field::Id, &["id", "identifier", "ref", "reference", "key"]),
    (
        Field::Label,
        &[
            "label",
            "name",
            "item",
            "box",
            "text",
            "title",
            "statement",
            "what",
            "summary",
        ],
    ),
    (
        Field::Description,
        &["description", "detail", "note", "comment", "explanation"],
    ),
    (
        Field::LeadsTo,
        &[
            "lead to",
            "leads to",
            "lead into",
            "link",
            "links to",
            "linked to",
            "next",
            "cause",
            "contributes to",
            "contribute to",
            "feed",
            "feeds into",
            "feed into",
            "results in",
            "result in",
            "goes to",
            "connects to",
            "arrow to",
            "then",
        ],
    ),
    (
        Field::Measure,
        &[
            "measure",
            "indicator",
            "kpi",
            "metric",
            "how measured",
            "how will we measure",
            "how we will measure",
            "measure of success",
            "performance indicator",
            "key performance indicator",
            "success measure",
        ],
    ),
    (Field::Unit, &["unit", "unit of measure", "measured in"]),
    (
        Field::Baseline,
        &[
            "baseline",
            "starting point",
            "current",
            "current value",
            "baseline value",
            "start",
        ],
    ),
    (
        Field::Target,
        &["target", "goal value", "target value", "aim", "milestone"],
    ),
    (
        Field::Source,
        &[
            "source",
            "data source",
            "source of data",
            "means of verification",
            "evidence source",
            "data",
            "data collection",
            "collected from",
        ],
    ),
    (
        Field::Assumption,
        &[
            "assumption",
            "assume",
            "risk and assumption",
            "assumption and risk",
            "key assumption",
        ],
    ),
];

/// The names each stage is known by, as a heading or in a stage column, normalised.
pub const STAGES: &[(Stage, &[&str])] = &[
    (
        Stage::Inputs,
        &[
            "input",
            "resource",
            "investment",
            "what we invest",
            "ingredient",
        ],
    ),
    (
        Stage::Activities,
        &[
            "activity",
            "action",
            "what we do",
            "intervention",
            "process",
            "service",
        ],
    ),
    (
        Stage::Outputs,
        &[
            "output",
            "product",
            "deliverable",
            "participation",
            "who we reach",
            "reach",
        ],
    ),
    (
        Stage::DirectImpacts,
        &[
            "outcome",
            "short term outcome",
            "short term",
            "immediate outcome",
            "initial outcome",
            "early outcome",
            "direct outcome",
            "direct impact",
            "direct_impact",
        ],
    ),
    (
        Stage::IndirectImpacts,
        &[
            "medium term outcome",
            "medium term",
            "mid term outcome",
            "intermediate outcome",
            "intermediate",
            "indirect outcome",
            "indirect impact",
            "indirect_impact",
        ],
    ),
    (
        Stage::SystemicImpacts,
        &[
            "long term outcome",
            "long term",
            "impact",
            "long term impact",
            "ultimate outcome",
            "final outcome",
            "systemic impact",
            "systemic_impact",
            "systemic outcome",
        ],
    ),
];

/// A heading or cell reduced to what matters for matching: lower case, a number or text in
/// brackets dropped (`Outcomes (0-1 year)`), punctuation as spaces, each word's plural `s`
/// dropped (`Outcomes` → `outcome`, `Activities` → `activity`).
pub fn normalise(text: &str) -> String {
    let mut t = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = (depth - 1).max(0),
            _ if depth > 0 => {}
            c if c.is_alphanumeric() || c == '_' => t.extend(c.to_lowercase()),
            _ => t.push(' '),
        }
    }
    t.split_whitespace()
        .map(singular)
        .collect::<Vec<_>>()
        .join(" ")
}

fn singular(w: &str) -> String {
    if let Some(stem) = w.strip_suffix("ies").filter(|s| s.len() > 2) {
        format!("{stem}y")
    } else if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

/// How many edits a word of `len` characters may be from a known one and still match it:
/// one for short words, two from ten characters up; none under four, where a typo is as
/// likely another word.
fn allowed_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=9 => 1,
        _ => 2,
    }
}

/// The entry of `table` whose names `text` matches: exactly once normalised, or, failing
/// that, within a small edit distance of exactly one entry's name.
fn lookup<T: Copy + PartialEq>(table: &[(T, &[&str])], text: &str) -> Option<T> {
    exact(table, text).or_else(|| nearest(table, text))
}

/// The entry of `table` whose names `text` matches once normalised, typos not forgiven.
fn exact<T: Copy + PartialEq>(table: &[(T, &[&str])], text: &str) -> Option<T> {
    let n = normalise(text).replace('_', " ");
    if n.is_empty() {
        return None;
    }
    table
        .iter()
        .find(|(_, names)| names.iter().any(|name| name.replace('_', " ") == n))
        .map(|(v, _)| *v)
}

/// The one entry of `table` a name of which is within a small edit distance of `text`.
fn nearest<T: Copy + PartialEq>(table: &[(T, &[&str])], text: &str) -> Option<T> {
    let n = normalise(text).replace('_', " ");
    if n.is_empty() {
        return None;
    }
    let limit = allowed_edits(n.chars().count());
    let mut best: Option<(usize, T)> = None;
    let mut tie = false;
    for (v, names) in table {
        for name in *names {
            let d = strsim::levenshtein(&n, &name.replace('_', " "));
            if d > limit {
                continue;
            }
            match best {
                Some((bd, bv)) if d == bd && bv != *v => tie = true,
                Some((bd, _)) if d >= bd => {}
                _ => {
                    best = Some((d, *v));
                    tie = false;
                }
            }
        }
    }
    best.filter(|_| !tie).map(|(_, v)| v)
}

/// The field a column heading names, if any.
pub fn field(heading: &str) -> Option<Field> {
    lookup(FIELDS, heading)
}

/// Whether `text` names its stage only by forgiving a typo (`Outcomez`), so the reader should
/// be told which stage it was read as.
pub fn stage_is_a_guess(text: &str) -> bool {
    stage(text).is_some()
        && exact(STAGES, text).is_none()
        && text.trim().parse::<Stage>().is_err()
        && {
            let parts: Vec<&str> = text
                .split(['/', '&', '+', '|'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            parts.len() < 2 || parts.iter().any(|p| exact(STAGES, p).is_none())
        }
}

/// The stage a heading or cell names: `Short-term outcomes`, `Inputs/Resources`, `Outcoms`.
/// Text naming two stages at once, such as `Outputs / Outcomes`, names none.
pub fn stage(text: &str) -> Option<Stage> {
    if let Some(s) = lookup(STAGES, text) {
        return Some(s);
    }
    if let Ok(s) = text.trim().parse::<Stage>() {
        return Some(s);
    }
    // `Inputs/Resources`, `Activities & actions`: each part must name the same stage.
    let parts: Vec<&str> = text
        .split(['/', '&', '+', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return None;
    }
    let stages: Vec<Option<Stage>> = parts.iter().map(|p| lookup(STAGES, p)).collect();
    let first = stages.first().copied().flatten()?;
    stages
        .iter()
        .all(|s| s.is_none_or(|s| s == first))
        .then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_teams_write_name_the_stages_they_mean() {
        let cases = [
            ("Inputs", Stage::Inputs),
            ("Inputs/Resources", Stage::Inputs),
            ("RESOURCES", Stage::Inputs),
            ("Activities", Stage::Activities),
            ("Activites", Stage::Activities),
            ("Outputs", Stage::Outputs),
            ("Outcome", Stage::DirectImpacts),
            ("Outcoms", Stage::DirectImpacts),
            ("Short-term outcomes", Stage::DirectImpacts),
            ("Short term outcomes (0-1 year)", Stage::DirectImpacts),
            ("Medium-term outcomes", Stage::IndirectImpacts),
            ("Intermediate outcomes", Stage::IndirectImpacts),
            ("Long-term outcome", Stage::SystemicImpacts),
            ("Impact", Stage::SystemicImpacts),
            ("Impacts", Stage::SystemicImpacts),
            ("direct_impacts", Stage::DirectImpacts),
            ("Systemic impacts", Stage::SystemicImpacts),
        ];
        for (text, want) in cases {
            assert_eq!(stage(text), Some(want), "{text}");
        }
    }

    #[test]
    fn text_that_names_no_stage_or_two_names_none() {
        for text in ["", "Notes", "Outputs / Outcomes", "Budget", "Who"] {
            assert_eq!(stage(text), None, "{text}");
        }
    }

    #[test]
    fn column_headings_name_their_fields() {
        let cases = [
            ("Leads to", Field::LeadsTo),
            ("Leads to:", Field::LeadsTo),
            ("Linked to", Field::LeadsTo),
            ("Indicators", Field::Measure),
            ("KPI", Field::Measure),
            ("Data source", Field::Source),
            ("Means of verification", Field::Source),
            ("Assumptions", Field::Assumption),
            ("Baseline", Field::Baseline),
            ("Basline", Field::Baseline),
            ("Target", Field::Target),
            ("Stage", Field::Stage),
            ("Description", Field::Description),
            ("ID", Field::Id),
        ];
        for (text, want) in cases {
            assert_eq!(field(text), Some(want), "{text}");
        }
        assert_eq!(field("Budget code"), None);
    }
}
