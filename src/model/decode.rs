//! The decoder: the YAML tree to the typed model, with a diagnostic for every value that does
//! not fit and every span kept.

use super::schema::{configurable_codes, known_keys};
use super::{
    Allow, AppliesTo, Assumption, Design, ExternalFactor, Link, Lints, Measure, Model, Node,
    Quantity, Source, Stage, Stakeholder, Strength, Unexpected, is_id_char,
};
use crate::diagnostic::{Diagnostic, did_you_mean, nearest};
use crate::lint::{Code, Level};
use crate::parse::{Yaml, YamlKind};
use crate::span::{Span, Spanned};
use crate::vocab::Vocab;
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
    d.model(root)
}

/// The finding for `key` (the token `k`), which `what` does not have.
fn unknown_key(k: &Yaml, key: &str, what: &str, known: &[String]) -> Diagnostic {
    let diag = Diagnostic::new(
        Code::UnknownField,
        format!("{what} has no key `{key}`"),
        k.span,
    );
    match nearest(key, known.iter().map(String::as_str)) {
        Some(c) => diag.did_you_mean(k.span, key, c),
        None => diag.with_help(format!("the keys of {what} are: {}", known.join(", "))),
    }
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
    /// The model's own keys, in a root already known to be a mapping.
    fn model(&mut self, root: &Yaml) -> Option<Model> {
        let mut f = self.fields(root, "Model", "the model")?;
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
                _ => self.invalid(
                    v,
                    "`elmo` is the format version, and the only version is 1",
                    "write `elmo: 1`, or leave it out",
                ),
            }
        }
        model.title = f.required(self, "title", |d, v| d.text(v));
        model.vision = f.get("vision").and_then(|v| self.text(v));
        model.context = f.get("context").and_then(|v| self.text(v));
        for stage in Stage::ALL {
            if let Some(v) = f.get(stage.key()) {
                let nodes = self.list(v, stage.key(), |d, item| d.node(item));
                *model.stage_mut(stage) = nodes;
            }
        }
        if let Some(v) = f.get("measures") {
            model.measures = self.list(v, "measures", |d, item| d.measure(item));
        }
        model.measures_key = f.key_span("measures");
        if let Some(v) = f.get("sources") {
            model.sources = self.list(v, "sources", |d, item| d.source(item));
        }
        if let Some(v) = f.get("assumptions") {
            model.assumptions = self.list(v, "assumptions", |d, item| d.assumption(item));
        }
        if let Some(v) = f.get("stakeholders") {
            model.stakeholders = self.list(v, "stakeholders", |d, item| d.stakeholder(item));
        }
        if let Some(v) = f.get("breakdowns") {
            model.breakdowns = self.text_list(
                v,
                "breakdowns",
                "[gender, age, ethnicity, disability, area]",
            );
        }
        if let Some(v) = f.get("external_factors") {
            model.external_factors =
                self.list(v, "external_factors", |d, item| d.external_factor(item));
        }
        if let Some(v) = f.get("unexpected") {
            model.unexpected = self.list(v, "unexpected", |d, item| d.unexpected(item));
        }
        if let Some(v) = f.get("accountability_ceiling") {
            model.accountability_ceiling = self.choice(v, "accountability_ceiling");
        }
        if let Some(v) = f.get("layout") {
            model.layout = self.choice(v, "layout");
        }
        if let Some(v) = f.get("fit") {
            model.fit = self.choice(v, "fit");
        }
        if let Some(v) = f.get("lints") {
            model.lints = self.lints(v);
        }
        if let Some(v) = f.get("results") {
            model.results = crate::results::config::results(v, self.diags);
        }
        Some(model)
    }

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
                self.diags.push(unknown_key(k, text, what, known));
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

    /// One word of the vocabulary `T`.
    fn choice<T: Vocab>(&mut self, v: &Yaml, key: &str) -> Option<Spanned<T>> {
        let s = self.text(v)?;
        if let Ok(t) = s.value.parse::<T>() {
            return Some(Spanned::new(t, s.span));
        }
        let names = T::words();
        let d = Diagnostic::new(
            Code::InvalidValue,
            format!(
                "`{}` is not a valid `{key}`; expected one of {}",
                s.value,
                names.join(", ")
            ),
            v.span,
        );
        self.diags
            .push(match nearest(&s.value, names.iter().copied()) {
                Some(c) => d.did_you_mean(v.span, &s.value, c),
                None => d.with_help(format!("use one of: {}", names.join(", "))),
            });
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
                let d = Diagnostic::new(
                    Code::InvalidValue,
                    format!("`{}` is not a lint code", s.value),
                    v.span,
                );
                self.diags
                    .push(match nearest(&s.value, configurable_codes()) {
                        Some(c) => d.did_you_mean(v.span, &s.value, c),
                        None => d.with_help("run `elmo explain --list` to see every code"),
                    });
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
            if let Some(level) = self.choice::<Level>(val, code.value.as_str()) {
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
            leads_to: f.get("leads_to").map(|v| self.links(v)).unwrap_or_default(),
            measures: f
                .get("measures")
                .map(|v| self.id_list(v, "measures"))
                .unwrap_or_default(),
            concerns: f
                .get("concerns")
                .map(|v| self.id_list(v, "concerns"))
                .unwrap_or_default(),
            allow: f.get("allow").map(|v| self.allow(v)).unwrap_or_default(),
            span: v.span,
            id,
        })
    }

    fn measure(&mut self, v: &Yaml) -> Option<Measure> {
        let mut f = self.fields(v, "Measure", "a measure")?;
        Some(Measure {
            id: f.required(self, "id", |d, v| d.id(v)),
            label: f.required(self, "label", |d, v| d.text(v)),
            kind: f.get("kind").and_then(|v| self.choice(v, "kind")),
            proxy_for: f.get("proxy_for").and_then(|v| self.text(v)),
            unit: f.get("unit").and_then(|v| self.text(v)),
            numerator: f.get("numerator").and_then(|v| self.text(v)),
            denominator: f.get("denominator").and_then(|v| self.text(v)),
            direction: f.get("direction").and_then(|v| self.choice(v, "direction")),
            baseline: f.get("baseline").and_then(|v| self.quantity(v, "baseline")),
            target: f.get("target").and_then(|v| self.quantity(v, "target")),
            timing: f.get("timing").and_then(|v| self.choice(v, "timing")),
            cohort: f.get("cohort").and_then(|v| self.cohort(v)),
            comparison: f
                .get("comparison")
                .and_then(|v| self.choice(v, "comparison")),
            contribution: f.get("contribution").and_then(|v| self.text(v)),
            source: f.get("source").and_then(|v| self.text(v)),
            frequency: f.get("frequency").and_then(|v| self.text(v)),
            owner: f.get("owner").and_then(|v| self.text(v)),
            breakdowns: f
                .get("breakdowns")
                .map(|v| self.text_list(v, "breakdowns", "[gender, age]"))
                .unwrap_or_default(),
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
        Some(Source {
            id: f.required(self, "id", |d, v| d.id(v)),
            label: f.required(self, "label", |d, v| d.text(v)),
            kind: f.get("kind").and_then(|v| self.choice(v, "kind")),
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
        Some(Assumption {
            id: f.required(self, "id", |d, v| d.id(v)),
            text: f.required(self, "text", |d, v| d.text(v)),
            applies_to: f
                .get("applies_to")
                .map(|v| {
                    let entries = self.id_list(v, "applies_to");
                    entries.into_iter().map(AppliesTo::from).collect()
                })
                .unwrap_or_default(),
            status: f.get("status").and_then(|v| self.choice(v, "status")),
            evidence: f.get("evidence").and_then(|v| self.text(v)),
            strength: f.get("strength").and_then(|v| self.strength(v)),
            allow: f.get("allow").map(|v| self.allow(v)).unwrap_or_default(),
            span: v.span,
        })
    }

    /// A `leads_to` list: each entry an id, or a mapping that also says why.
    fn links(&mut self, v: &Yaml) -> Vec<Link> {
        if !matches!(v.kind, YamlKind::Seq(_)) {
            return self
                .id_list(v, "leads_to")
                .into_iter()
                .map(Link::to)
                .collect();
        }
        self.list(v, "leads_to", |d, item| match item.kind {
            YamlKind::Map(_) => d.link(item),
            _ => d.text(item).map(Link::to),
        })
    }

    fn link(&mut self, v: &Yaml) -> Option<Link> {
        let mut f = self.fields(v, "Link", "a link")?;
        Some(Link {
            to: f.required(self, "to", |d, v| d.text(v)),
            because: f.get("because").and_then(|v| self.text(v)),
            evidence: f.get("evidence").and_then(|v| self.text(v)),
            strength: f.get("strength").and_then(|v| self.strength(v)),
            span: v.span,
        })
    }

    /// A level of the Nesta standards of evidence (1 to 5), or the name of a design.
    fn strength(&mut self, v: &Yaml) -> Option<Spanned<Strength>> {
        let s = self.text(v)?;
        let word = s.value.trim();
        let plain = matches!(v.kind, YamlKind::Scalar { plain: true, .. });
        let level = word.parse::<u8>().ok().filter(|_| plain);
        let strength = match level {
            Some(l) if (1..=Strength::MAX).contains(&l) => Some(Strength::Level(l)),
            Some(_) => None,
            None => word.parse::<Design>().ok().map(Strength::Design),
        };
        if let Some(st) = strength {
            return Some(Spanned::new(st, s.span));
        }
        let scale = "1 a reasoned account of why, 2 change measured before and after, 3 a comparison group, 4 independent replication, 5 replicated at scale";
        let help = did_you_mean(word, Design::words().iter().copied()).unwrap_or_else(|| {
            format!(
                "use a level of the Nesta standards of evidence ({scale}), or one of: {}",
                Design::words().join(", ")
            )
        });
        self.invalid(
            v,
            format!(
                "`{}` is not a `strength`: give a level from 1 to {} or a design ({})",
                s.value,
                Strength::MAX,
                Design::words().join(", ")
            ),
            help,
        );
        None
    }

    fn stakeholder(&mut self, v: &Yaml) -> Option<Stakeholder> {
        let mut f = self.fields(v, "Stakeholder", "a stakeholder")?;
        Some(Stakeholder {
            id: f.required(self, "id", |d, v| d.id(v)),
            label: f.required(self, "label", |d, v| d.text(v)),
            role: f.get("role").and_then(|v| self.choice(v, "role")),
            span: v.span,
        })
    }

    fn external_factor(&mut self, v: &Yaml) -> Option<ExternalFactor> {
        let mut f = self.fields(v, "ExternalFactor", "an external factor")?;
        Some(ExternalFactor {
            id: f.required(self, "id", |d, v| d.id(v)),
            text: f.required(self, "text", |d, v| d.text(v)),
            affects: f
                .get("affects")
                .map(|v| self.id_list(v, "affects"))
                .unwrap_or_default(),
            span: v.span,
        })
    }

    fn unexpected(&mut self, v: &Yaml) -> Option<Unexpected> {
        let mut f = self.fields(v, "Unexpected", "an unexpected change")?;
        Some(Unexpected {
            id: f.required(self, "id", |d, v| d.id(v)),
            text: f.required(self, "text", |d, v| d.text(v)),
            kind: f.get("kind").and_then(|v| self.choice(v, "kind")),
            evidence: f.get("evidence").and_then(|v| self.text(v)),
            span: v.span,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::Target;

    #[test]
    fn applies_to_entries_decode_into_nodes_and_links_keeping_what_was_written() {
        let src = "title: t\nassumptions:\n  - id: a\n    text: a\n    applies_to: [\"x->y\", \" x  ->  y \", x]\n";
        let compiled = crate::compile(src);
        let model = compiled.model.as_ref().expect("a model");
        let entries = &model.assumptions[0].applies_to;
        let link = Target::Link {
            from: "x".into(),
            to: "y".into(),
        };
        assert_eq!(entries[0].target, link);
        assert_eq!(entries[1].target, link);
        assert_eq!(entries[2].target, Target::Node("x".into()));
        assert_eq!(entries[1].written.value, " x  ->  y ");
        assert_eq!(
            &src[entries[1].written.span.start..entries[1].written.span.end],
            "\" x  ->  y \""
        );
        assert_eq!(
            serde_json::to_value(&model.assumptions[0].applies_to).ok(),
            Some(serde_json::json!(["x->y", " x  ->  y ", "x"])),
            "serialised as written"
        );
    }
}
