//! The model keys for results: `results:` on the model, and `baseline_period`, `target_by`
//! and `compute:` on a measure, decoded from the YAML tree with their spans.

use schemars::JsonSchema;
use serde::Serialize;

use super::period::{Period, PeriodBy};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::parse::{Yaml, YamlKind};
use crate::span::{Span, Spanned};

/// How a measure is computed from case-level records, one row per case.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Compute {
    /// The records CSV, relative to the model file. Read a row at a time, never held whole.
    #[schemars(example = &"atr-cases.csv")]
    pub records: Spanned<String>,
    /// The date column and the period its rows are grouped by.
    #[schemars(example = serde_json::json!({"column": "end_date", "by": "quarter"}))]
    pub period: PeriodSpec,
    /// The rows counted: the numerator, or the value itself without `out_of`.
    #[schemars(example = serde_json::json!({"column": "termination_code", "in": [50, 51]}))]
    pub count: Condition,
    /// The rows counted out of: the denominator. Rows outside it count in neither.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(example = serde_json::json!({"column": "termination_code", "in": [50, 51, 52, 53, 55, 57]}))]
    pub out_of: Option<Condition>,
    /// Columns to break the results down by, as well as the whole (`group: all`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = ["gender"])]
    pub group_by: Vec<Spanned<String>>,
    /// The span of the `compute:` mapping.
    #[serde(skip)]
    pub span: Span,
}

/// The date column of a records file and the period its rows fall in.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PeriodSpec {
    /// The column holding each case's date (`2024-03-31` or `31/03/2024`).
    #[schemars(example = &"end_date")]
    pub column: Spanned<String>,
    /// year, financial-year (April to March), quarter or month.
    #[schemars(example = &"quarter")]
    pub by: Spanned<PeriodBy>,
}

/// A test on one column of a records row.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// The cell is one of these values.
    In(Vec<String>),
    /// The cell is none of these values.
    NotIn(Vec<String>),
    /// The cell is this value.
    Equals(String),
    /// The cell is a number at least this.
    Min(f64),
    /// The cell is a number at most this.
    Max(f64),
    /// The cell is empty (`true`) or not (`false`).
    IsEmpty(bool),
}

/// Which records rows a count takes: tests on a named column, or `all:`/`any:` of conditions.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// Every test holds for the cell in `column`.
    Column {
        /// The column tested.
        column: Spanned<String>,
        /// The tests, all of which must hold.
        tests: Vec<Test>,
    },
    /// Every condition holds.
    All(Vec<Condition>),
    /// At least one condition holds.
    Any(Vec<Condition>),
}

impl Condition {
    /// Every column the condition reads, with where it is named.
    pub fn columns(&self) -> Vec<&Spanned<String>> {
        match self {
            Condition::Column { column, .. } => vec![column],
            Condition::All(cs) | Condition::Any(cs) => {
                cs.iter().flat_map(|c| c.columns()).collect()
            }
        }
    }

    fn to_json(&self) -> serde_json::Value {
        match self {
            Condition::All(cs) => {
                serde_json::json!({"all": cs.iter().map(Condition::to_json).collect::<Vec<_>>()})
            }
            Condition::Any(cs) => {
                serde_json::json!({"any": cs.iter().map(Condition::to_json).collect::<Vec<_>>()})
            }
            Condition::Column { column, tests } => {
                let mut m = serde_json::Map::new();
                m.insert("column".into(), column.value.clone().into());
                for t in tests {
                    let (k, v) = match t {
                        Test::In(vs) => ("in", serde_json::json!(vs)),
                        Test::NotIn(vs) => ("not_in", serde_json::json!(vs)),
                        Test::Equals(v) => ("equals", serde_json::json!(v)),
                        Test::Min(n) => ("min", serde_json::json!(n)),
                        Test::Max(n) => ("max", serde_json::json!(n)),
                        Test::IsEmpty(b) => ("is_empty", serde_json::json!(b)),
                    };
                    m.insert(k.into(), v);
                }
                serde_json::Value::Object(m)
            }
        }
    }
}

impl Serialize for Condition {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

impl JsonSchema for Condition {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Condition".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let me = generator.subschema_for::<Condition>();
        let values = serde_json::json!({"type": "array", "items": {"type": ["string", "number"]}});
        schemars::json_schema!({
            "description": "Which records rows to count: tests on one column, or `all:`/`any:` lists of conditions.",
            "oneOf": [
                {"type": "object", "additionalProperties": false, "required": ["column"],
                 "properties": {
                    "column": {"type": "string", "description": "The column tested.", "examples": ["termination_code"]},
                    "in": {"description": "The cell is one of these values.", "examples": [[50, 51]], "type": values["type"], "items": values["items"]},
                    "not_in": {"description": "The cell is none of these values.", "examples": [[54, 56]], "type": values["type"], "items": values["items"]},
                    "equals": {"type": ["string", "number"], "description": "The cell is this value.", "examples": ["female"]},
                    "min": {"type": "number", "description": "The cell is a number at least this.", "examples": [18]},
                    "max": {"type": "number", "description": "The cell is a number at most this.", "examples": [24]},
                    "is_empty": {"type": "boolean", "description": "The cell is empty (true) or filled (false).", "examples": [false]}
                 }},
                {"type": "object", "additionalProperties": false, "required": ["all"],
                 "properties": {"all": {"type": "array", "items": me, "description": "Every condition holds.",
                    "examples": [[{"column": "termination_code", "in": [50, 51]}, {"column": "age", "min": 18}]]}}},
                {"type": "object", "additionalProperties": false, "required": ["any"],
                 "properties": {"any": {"type": "array", "items": me, "description": "At least one condition holds.",
                    "examples": [[{"column": "outcome", "equals": "completed"}, {"column": "code", "in": [50, 51]}]]}}}
            ]
        })
    }
}

/// Nesting beyond this in `all:`/`any:` is refused, so a hostile model cannot exhaust the stack.
const MAX_CONDITION_DEPTH: usize = 16;

fn invalid(diags: &mut Vec<Diagnostic>, v: &Yaml, msg: impl Into<String>, help: &str) {
    diags.push(Diagnostic::new(Code::InvalidValue, msg, v.span).with_help(help));
}

fn text(v: &Yaml, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<String>> {
    match &v.kind {
        YamlKind::Scalar { text, .. } if !v.is_null() => Some(Spanned::new(text.clone(), v.span)),
        _ => {
            invalid(
                diags,
                v,
                format!("`{key}` must be text, found {}", v.describe()),
                "write a single word or line of text",
            );
            None
        }
    }
}

/// The keys of one mapping, with unknown and repeated keys reported.
fn fields<'y>(
    v: &'y Yaml,
    what: &str,
    known: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<(&'y str, Span, &'y Yaml)>> {
    let YamlKind::Map(pairs) = &v.kind else {
        invalid(
            diags,
            v,
            format!(
                "expected {what} as a mapping of keys, found {}",
                v.describe()
            ),
            "write it as `key: value` lines, or `{key: value, ...}`",
        );
        return None;
    };
    let mut out: Vec<(&str, Span, &Yaml)> = Vec::new();
    for (k, val) in pairs {
        let YamlKind::Scalar { text, .. } = &k.kind else {
            invalid(
                diags,
                k,
                "a key must be a plain word",
                "write keys as `name: value`",
            );
            continue;
        };
        if let Some((_, first, _)) = out.iter().find(|(n, _, _)| *n == text.as_str()) {
            diags.push(
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
        if !known.contains(&text.as_str()) {
            let help = did_you_mean(text, known.iter().copied())
                .unwrap_or_else(|| format!("the keys of {what} are: {}", known.join(", ")));
            diags.push(
                Diagnostic::new(
                    Code::UnknownField,
                    format!("{what} has no key `{text}`"),
                    k.span,
                )
                .with_help(help),
            );
            continue;
        }
        out.push((text.as_str(), k.span, val));
    }
    Some(out)
}

fn get<'y>(f: &[(&str, Span, &'y Yaml)], key: &str) -> Option<&'y Yaml> {
    f.iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, _, v)| *v)
        .filter(|v| !v.is_null())
}

fn missing(diags: &mut Vec<Diagnostic>, span: Span, what: &str, key: &str, example: &str) {
    diags.push(
        Diagnostic::new(Code::MissingField, format!("{what} has no `{key}`"), span)
            .with_help(format!("add `{key}: {example}`")),
    );
}

/// The model's `results:` list of CSV files.
pub fn results(v: &Yaml, diags: &mut Vec<Diagnostic>) -> Vec<Spanned<String>> {
    match &v.kind {
        YamlKind::Seq(items) => items
            .iter()
            .filter_map(|i| text(i, "results", diags))
            .collect(),
        YamlKind::Scalar { text, .. } => {
            invalid(
                diags,
                v,
                "`results` must be a list of CSV files",
                &format!("write `results: [{text}]`"),
            );
            Vec::new()
        }
        YamlKind::Map(_) => {
            invalid(
                diags,
                v,
                "`results` must be a list of CSV files, found a mapping",
                "write `results: [results.csv]`",
            );
            Vec::new()
        }
    }
}

/// A period key of a measure (`baseline_period`, `target_by`).
pub fn period(v: &Yaml, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<Period>> {
    let s = text(v, key, diags)?;
    match Period::parse(&s.value) {
        Some(p) => Some(Spanned::new(p, s.span)),
        None => {
            invalid(
                diags,
                v,
                format!("`{}` is not a period", s.value),
                "write a year (`2024`), a financial year (`2023-24`), a quarter (`2024-Q1`), a month (`2024-03`) or a day (`2024-03-31`)",
            );
            None
        }
    }
}

/// A measure's `compute:` block.
pub fn compute(v: &Yaml, diags: &mut Vec<Diagnostic>) -> Option<Compute> {
    let known = ["records", "period", "count", "out_of", "group_by"];
    let f = fields(v, "`compute`", &known, diags)?;
    let records = match get(&f, "records") {
        Some(r) => text(r, "records", diags),
        None => {
            missing(diags, v.span, "`compute`", "records", "cases.csv");
            None
        }
    };
    let period = match get(&f, "period") {
        Some(p) => period_spec(p, diags),
        None => {
            missing(
                diags,
                v.span,
                "`compute`",
                "period",
                "{column: end_date, by: quarter}",
            );
            None
        }
    };
    let count = match get(&f, "count") {
        Some(c) => condition(c, 0, diags),
        None => {
            missing(
                diags,
                v.span,
                "`compute`",
                "count",
                "{column: outcome, equals: completed}",
            );
            None
        }
    };
    let out_of = get(&f, "out_of").and_then(|c| condition(c, 0, diags));
    let group_by = match get(&f, "group_by") {
        Some(g) => match &g.kind {
            YamlKind::Seq(items) => items
                .iter()
                .filter_map(|i| text(i, "group_by", diags))
                .collect(),
            _ => {
                invalid(
                    diags,
                    g,
                    "`group_by` must be a list of columns",
                    "write `group_by: [gender]`",
                );
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    Some(Compute {
        records: records?,
        period: period?,
        count: count?,
        out_of,
        group_by,
        span: v.span,
    })
}

fn period_spec(v: &Yaml, diags: &mut Vec<Diagnostic>) -> Option<PeriodSpec> {
    let f = fields(v, "`period`", &["column", "by"], diags)?;
    let column = match get(&f, "column") {
        Some(c) => text(c, "column", diags),
        None => {
            missing(diags, v.span, "`period`", "column", "end_date");
            None
        }
    };
    let by = match get(&f, "by") {
        Some(b) => {
            let s = text(b, "by", diags)?;
            match PeriodBy::ALL.iter().find(|(w, _)| *w == s.value) {
                Some((_, p)) => Some(Spanned::new(*p, s.span)),
                None => {
                    let words = PeriodBy::ALL.map(|(w, _)| w);
                    let help = did_you_mean(&s.value, words)
                        .unwrap_or_else(|| format!("use one of: {}", words.join(", ")));
                    invalid(
                        diags,
                        b,
                        format!(
                            "`{}` is not a valid `by`; expected one of {}",
                            s.value,
                            words.join(", ")
                        ),
                        &help,
                    );
                    None
                }
            }
        }
        None => {
            missing(diags, v.span, "`period`", "by", "quarter");
            None
        }
    };
    Some(PeriodSpec {
        column: column?,
        by: by?,
    })
}

fn scalar_values(v: &Yaml, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Vec<String>> {
    match &v.kind {
        YamlKind::Seq(items) => items
            .iter()
            .map(|i| text(i, key, diags).map(|s| s.value))
            .collect(),
        YamlKind::Scalar { text, .. } => {
            invalid(
                diags,
                v,
                format!("`{key}` must be a list of values"),
                &format!("write `{key}: [{text}]`"),
            );
            None
        }
        YamlKind::Map(_) => {
            invalid(
                diags,
                v,
                format!("`{key}` must be a list of values"),
                &format!("write `{key}: [50, 51]`"),
            );
            None
        }
    }
}

fn number(v: &Yaml, key: &str, diags: &mut Vec<Diagnostic>) -> Option<f64> {
    let s = text(v, key, diags)?;
    match s.value.trim().parse::<f64>() {
        Ok(n) if n.is_finite() => Some(n),
        _ => {
            invalid(
                diags,
                v,
                format!("`{key}` must be a number, not `{}`", s.value),
                &format!("write `{key}: 18`"),
            );
            None
        }
    }
}

fn condition(v: &Yaml, depth: usize, diags: &mut Vec<Diagnostic>) -> Option<Condition> {
    if depth > MAX_CONDITION_DEPTH {
        diags.push(
            Diagnostic::new(
                Code::LimitExceeded,
                format!("conditions are nested more than {MAX_CONDITION_DEPTH} deep"),
                v.span,
            )
            .with_help("flatten the `all:` and `any:` lists"),
        );
        return None;
    }
    let known = [
        "column", "in", "not_in", "equals", "min", "max", "is_empty", "all", "any",
    ];
    let f = fields(v, "a condition", &known, diags)?;
    let list = |key: &str, diags: &mut Vec<Diagnostic>| -> Option<Vec<Condition>> {
        let l = get(&f, key)?;
        match &l.kind {
            YamlKind::Seq(items) => items
                .iter()
                .map(|i| condition(i, depth + 1, diags))
                .collect(),
            _ => {
                invalid(
                    diags,
                    l,
                    format!("`{key}` must be a list of conditions"),
                    &format!("write `{key}: [{{column: code, in: [50, 51]}}, ...]`"),
                );
                None
            }
        }
    };
    let has = |k: &str| f.iter().any(|(n, _, _)| *n == k);
    let tests_named = ["in", "not_in", "equals", "min", "max", "is_empty"];
    let combined = usize::from(has("all")) + usize::from(has("any")) + usize::from(has("column"));
    if combined != 1 {
        invalid(
            diags,
            v,
            "a condition is one of: a `column` with tests, an `all:` list or an `any:` list",
            "write `{column: code, in: [50, 51]}`, or `all: [...]` or `any: [...]` on its own",
        );
        return None;
    }
    if has("all") {
        return list("all", diags).map(Condition::All);
    }
    if has("any") {
        return list("any", diags).map(Condition::Any);
    }
    let column = text(get(&f, "column")?, "column", diags)?;
    let mut tests = Vec::new();
    for (k, _, val) in &f {
        let t = match *k {
            "in" => Test::In(scalar_values(val, k, diags)?),
            "not_in" => Test::NotIn(scalar_values(val, k, diags)?),
            "equals" => Test::Equals(text(val, k, diags)?.value),
            "min" => Test::Min(number(val, k, diags)?),
            "max" => Test::Max(number(val, k, diags)?),
            "is_empty" => match &val.kind {
                YamlKind::Scalar { text, plain: true } if text == "true" || text == "false" => {
                    Test::IsEmpty(text == "true")
                }
                _ => {
                    invalid(
                        diags,
                        val,
                        "`is_empty` must be true or false",
                        "write `is_empty: true`",
                    );
                    return None;
                }
            },
            _ => continue,
        };
        tests.push(t);
    }
    if tests.is_empty() {
        diags.push(
            Diagnostic::new(
                Code::MissingField,
                format!("the condition on `{}` has no test", column.value),
                v.span,
            )
            .with_help(format!("add one of: {}", tests_named.join(", "))),
        );
        return None;
    }
    Some(Condition::Column { column, tests })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure(compute: &str) -> (Option<crate::Model>, Vec<Diagnostic>) {
        let src = format!(
            "title: t\nmeasures:\n  - id: rate\n    label: Rate\n    baseline_period: 2023-24\n    target_by: 2025-26\n    compute:\n{compute}"
        );
        let c = crate::compile(&src);
        (c.model, c.diagnostics)
    }

    #[test]
    fn the_completion_rate_block_decodes_exactly() {
        let (model, diags) = measure(
            "      records: atr-cases.csv\n      period: {column: end_date, by: quarter}\n      count: {column: termination_code, in: [50, 51]}\n      out_of: {column: termination_code, in: [50, 51, 52, 53, 55, 57]}\n      group_by: [gender]\n",
        );
        assert!(
            diags.iter().all(|d| !matches!(
                d.code,
                Code::UnknownField | Code::InvalidValue | Code::MissingField
            )),
            "{diags:?}"
        );
        let m = &model.expect("model").measures[0];
        let c = m.compute.as_ref().expect("compute");
        assert_eq!(c.records.value, "atr-cases.csv");
        assert_eq!(c.period.by.value, PeriodBy::Quarter);
        let Some(Condition::Column { column, tests }) = &c.out_of else {
            panic!("{:?}", c.out_of)
        };
        assert_eq!(column.value, "termination_code");
        let codes = ["50", "51", "52", "53", "55", "57"]
            .map(String::from)
            .to_vec();
        assert_eq!(tests, &vec![Test::In(codes)]);
        assert_eq!(
            m.baseline_period.as_ref().map(|p| p.to_string()),
            Some("2023-24".into())
        );
        assert_eq!(c.group_by.len(), 1);
    }

    #[test]
    fn nested_conditions_and_every_test_decode() {
        let (model, diags) = measure(
            "      records: r.csv\n      period: {column: d, by: financial-year}\n      count:\n        all:\n          - {column: age, min: 18, max: 24}\n          - any: [{column: g, equals: f}, {column: note, is_empty: true}]\n          - {column: code, not_in: [54, 56]}\n",
        );
        assert!(
            diags.iter().all(|d| d.code != Code::InvalidValue),
            "{diags:?}"
        );
        let c = model.expect("model").measures[0]
            .compute
            .clone()
            .expect("compute");
        let Condition::All(parts) = &c.count else {
            panic!("{:?}", c.count)
        };
        assert_eq!(parts.len(), 3);
        assert_eq!(c.count.columns().len(), 4);
    }

    #[test]
    fn misspelt_and_missing_compute_keys_are_reported_with_a_suggestion() {
        let (_, diags) = measure(
            "      record: r.csv\n      period: {column: d, by: quartr}\n      count: {column: c, inn: [1]}\n",
        );
        let codes: Vec<Code> = diags.iter().map(|d| d.code).collect();
        assert!(codes.contains(&Code::UnknownField), "{diags:?}");
        assert!(codes.contains(&Code::MissingField), "{diags:?}");
        assert!(
            diags
                .iter()
                .any(|d| d.help.as_deref() == Some("did you mean `quarter`?")),
            "{diags:?}"
        );
        assert!(
            diags
                .iter()
                .any(|d| d.help.as_deref() == Some("did you mean `in`?")),
            "{diags:?}"
        );
    }

    #[test]
    fn an_unreadable_period_key_is_an_invalid_value() {
        let src = "title: t\nmeasures:\n  - id: m\n    label: M\n    target_by: next year\n";
        let d = crate::compile(src).diagnostics;
        let bad = d
            .iter()
            .find(|d| d.code == Code::InvalidValue)
            .expect("invalid");
        assert_eq!(&src[bad.span.start..bad.span.end], "next year");
    }

    #[test]
    fn results_must_be_a_list() {
        let src = "title: t\nresults: results.csv\n";
        let d = crate::compile(src).diagnostics;
        assert!(
            d.iter().any(|d| d.code == Code::InvalidValue
                && d.help.as_deref() == Some("write `results: [results.csv]`")),
            "{d:?}"
        );
        let ok = crate::compile("title: t\nresults: [a.csv, b.csv]\n");
        assert_eq!(ok.model.expect("model").results.len(), 2);
    }
}
