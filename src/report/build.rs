//! The [`Document`] of a [`Report`] for one [`Audience`]: what every page-shaped format says,
//! in reading order.
//!
//! Both audiences get the same sections. The funder's are in plain English only: each gap is
//! a sentence about the programme (the lint's [`funder`](crate::lint::Lint::funder) words),
//! and nothing shows a lint code, an id or the model's keys. The team's add the codes, the
//! checker's own messages and, on a line of their own, the fix for each.

use super::document::{Audience, Block, Document, Figure, Inline, Table};
use super::results::{HOW_TO_READ, ResultEntry, SYNTHETIC, arm_word, counts};
use super::{
    MeasureRow, Report, STATUS_ORDER, SourceRow, capitalised, status_heading, status_note,
};
use crate::diagnostic::word_list;
use crate::model::{Comparison, Direction, MeasureKind, Stage, Timing};

/// The caption under the diagram.
pub const DIAGRAM_CAPTION: &str =
    "Stages run left to right; numbered markers are the assumptions listed below.";

/// The document of `report` for `audience`, with `diagram_svg` (a standalone SVG document) on
/// a page of its own when given.
pub fn document(report: &Report, audience: Audience, diagram_svg: Option<&str>) -> Document {
    let mut b = Builder {
        r: report,
        audience,
        blocks: Vec::new(),
    };
    b.opening(diagram_svg);
    b.readiness();
    b.results();
    b.measures();
    b.definitions();
    b.gaps();
    b.contribution();
    b.links();
    b.assumptions();
    b.stakeholders();
    b.unexpected();
    b.sources();
    Document {
        title: report.title.clone(),
        audience,
        footer: report
            .stamp
            .as_ref()
            .map(|st| format!("Made {}, {}", st.date, st.version)),
        date: report.stamp.as_ref().map(|st| st.date.clone()),
        blocks: b.blocks,
    }
}

/// Plain text.
fn t(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

/// A paragraph of plain text.
fn para(s: impl Into<String>) -> Block {
    Block::Paragraph(vec![t(s)])
}

/// A table cell of plain text, empty when `v` is absent.
fn cell(v: &Option<String>) -> Vec<Inline> {
    v.as_deref().map(|s| vec![t(s)]).unwrap_or_default()
}

/// `s` with a full stop, unless it already ends a sentence.
fn sentence(s: &str) -> String {
    let s = s.trim_end();
    if s.ends_with(['.', '!', '?']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// Text from the checker with its backtick-quoted ids and keys as code runs, as one sentence.
fn checker_text(s: &str) -> Vec<Inline> {
    let s = sentence(&capitalised(s));
    s.split('`')
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(i, part)| {
            if i % 2 == 1 {
                Inline::Code(part.to_string())
            } else {
                t(part)
            }
        })
        .collect()
}

/// A label quoted as a name inside a sentence.
pub fn quoted(label: &str) -> String {
    format!("“{}”", label.trim())
}

/// The gap's sentence for a funder: the lint's words, with `{label}` replaced by the quoted
/// label of what the finding is about (or, when it is about the whole model, "one part of the
/// plan").
pub fn funder_sentence(template: &str, about: Option<&str>) -> String {
    gap_sentence(template, about, None)
}

/// [`funder_sentence`] with `{detail}` filled by what exactly is missing, when known.
pub fn gap_sentence(template: &str, about: Option<&str>, detail: Option<&str>) -> String {
    let label = about.map_or_else(|| "one part of the plan".to_string(), quoted);
    let detail = detail
        .unwrap_or("its starting figure, target, data source or how often it is collected is");
    let s = template
        .replace("{label}", &label)
        .replace("{detail}", detail);
    // A sentence that opens with the label starts with its opening quote: capitalise inside.
    let mut chars = s.chars();
    match chars.next() {
        Some('“') => {
            let mut out = String::from("“");
            let rest: String = chars.collect();
            out.push_str(&capitalised(&rest));
            out
        }
        _ => capitalised(&s),
    }
}

/// Words for which way counts as progress.
fn direction_words(d: Direction) -> &'static str {
    match d {
        Direction::Increase => "higher is better",
        Direction::Decrease => "lower is better",
        Direction::Maintain => "holding steady is the aim",
    }
}

/// Words for when a measure moves.
fn timing_words(t: Timing) -> &'static str {
    match t {
        Timing::Leading => "leading: it moves early, while there is still time to steer",
        Timing::Lagging => "lagging: it moves only once the change has happened",
    }
}

/// Words for a comparison design.
fn comparison_words(c: Comparison) -> &'static str {
    match c {
        Comparison::Randomised => "against a control group chosen at random from the same people",
        Comparison::Matched => "against a comparison group matched on the people's characteristics",
        Comparison::PrePost => "the same people or service, before and after",
        Comparison::Benchmark => "against a published figure for a similar population",
        Comparison::Contribution => {
            "no test of the programme's own effect: a reasoned case for its contribution alongside other causes"
        }
        Comparison::None => "against nothing but the baseline",
    }
}

/// A measure's kind in words, with what a proxy stands in for.
fn kind_words(m: &MeasureRow) -> String {
    match (&m.proxy_for, m.kind) {
        (Some(p), MeasureKind::Proxy) => format!("proxy for {p}"),
        _ => m.kind.to_string(),
    }
}

struct Builder<'r> {
    r: &'r Report,
    audience: Audience,
    blocks: Vec<Block>,
}

impl Builder<'_> {
    fn team(&self) -> bool {
        self.audience == Audience::Team
    }

    fn heading(&mut self, level: u8, text: impl Into<String>, anchor: &str) {
        self.blocks.push(Block::Heading {
            level,
            text: text.into(),
            anchor: anchor.to_string(),
        });
    }

    fn table(&mut self, caption: Option<String>, header: &[&str], rows: Vec<Vec<Vec<Inline>>>) {
        self.blocks.push(Block::Table(Table {
            caption,
            header: header.iter().map(|h| h.to_string()).collect(),
            rows,
        }));
    }

    /// The vision, the diagram on its own page, and the context.
    fn opening(&mut self, diagram: Option<&str>) {
        let r = self.r;
        if let Some(v) = &r.vision {
            self.blocks.push(Block::Paragraph(vec![
                Inline::Strong("Vision:".into()),
                t(" "),
                t(v),
            ]));
        }
        if let Some(svg) = diagram {
            self.blocks.push(Block::Figure(Figure {
                svg: svg.to_string(),
                alt: self.diagram_alt(),
                caption: Some(DIAGRAM_CAPTION.to_string()),
                own_page: true,
            }));
        }
        if let Some(c) = &r.context {
            self.heading(1, "Context", "context");
            self.blocks.push(para(c));
        }
    }

    /// The diagram in words: what each stage holds.
    fn diagram_alt(&self) -> String {
        let r = self.r;
        let stages = Stage::ALL.iter().filter_map(|&s| {
            let n = r.stage(s).count();
            (n > 0).then(|| {
                format!(
                    "{}: {}",
                    s.title(),
                    word_list(r.stage(s).map(|n| n.label.clone()), "and")
                )
            })
        });
        let listed: Vec<String> = stages.collect();
        if listed.is_empty() {
            "The logic model, drawn as boxes in stages from left to right.".to_string()
        } else {
            format!(
                "The logic model, drawn as boxes in stages from left to right. {}.",
                listed.join(". ")
            )
        }
    }

    fn readiness(&mut self) {
        let rd = &self.r.readiness;
        self.heading(1, "Readiness", "readiness");
        self.blocks
            .push(para("How far the plan can show its impact today."));
        let share = |f: crate::readiness::Fraction, what: &str| match f.percent() {
            Some(p) => format!("{} of {} {what} ({p}%)", f.count, f.total),
            None => format!("No {what} yet"),
        };
        let a = rd.assumptions;
        let total = a.holding + a.challenged + a.refuted + a.untested;
        let mut items = vec![
            vec![t(share(rd.outcomes_measured, "outcomes have a measure"))],
            vec![t(share(rd.measures_complete, "measures are fully defined"))],
            vec![t(if total == 0 {
                "The plan states no assumptions".to_string()
            } else {
                format!(
                    "{total} assumption{}: {} holding, {} challenged, {} refuted, {} untested",
                    if total == 1 { "" } else { "s" },
                    a.holding,
                    a.challenged,
                    a.refuted,
                    a.untested
                )
            })],
        ];
        if !rd.challenged.is_empty() {
            let texts = rd.challenged.iter().map(|id| {
                let text = self
                    .r
                    .assumptions
                    .iter()
                    .flat_map(|g| &g.items)
                    .find(|a| &a.id == id)
                    .map_or(id.as_str(), |a| a.text.as_str());
                quoted(text)
            });
            items.push(vec![t(format!("Challenged: {}", word_list(texts, "and")))]);
        }
        if let Some(res) = &rd.results {
            items.push(vec![t(format!("Results: {}", res.summary()))]);
        }
        self.blocks.push(Block::List {
            ordered: false,
            items,
        });
    }

    fn results(&mut self) {
        let Some(res) = &self.r.results else {
            return;
        };
        self.heading(1, "Results", "results");
        self.blocks
            .push(para(format!("As of {}: {}.", res.as_of, res.summary)));
        self.blocks.push(para(HOW_TO_READ));
        if res.any_synthetic() {
            self.blocks
                .push(Block::Paragraph(vec![Inline::Strong(format!(
                    "⚠ {SYNTHETIC}"
                ))]));
        }
        if !res.measures.is_empty() {
            let rows = res
                .measures
                .iter()
                .map(|e| {
                    let m = &e.result;
                    let mut label = vec![t(&m.label)];
                    if e.synthetic {
                        label.push(t(" "));
                        label.push(Inline::Strong("(synthetic data)".into()));
                    }
                    vec![
                        label,
                        vec![t(e.status())],
                        vec![t(e.latest())],
                        vec![t(e.latest_interval())],
                        vec![t(e.maybe(m.baseline))],
                        vec![t(e.maybe(m.target))],
                        vec![t(e.progress())],
                        vec![t(e.comparison_text())],
                    ]
                })
                .collect();
            self.table(
                Some("Each measure's latest reading".into()),
                &[
                    "Measure",
                    "Status",
                    "Latest",
                    "95% CI",
                    "Baseline",
                    "Target",
                    "Progress",
                    "Comparison",
                ],
                rows,
            );
        }
        for (i, e) in res.measures.iter().enumerate() {
            self.result(i, e);
        }
        if !res.unreported.is_empty() {
            self.heading(2, "No reading yet", "no-reading-yet");
            self.blocks.push(Block::List {
                ordered: false,
                items: res.unreported.iter().map(|l| vec![t(l)]).collect(),
            });
        }
    }

    fn result(&mut self, i: usize, e: &ResultEntry) {
        let m = &e.result;
        self.heading(2, &m.label, &format!("result-{}", i + 1));
        self.blocks.push(Block::Paragraph(vec![
            Inline::Strong(e.status()),
            t(format!(": {}", sentence(&m.reason))),
        ]));
        if e.synthetic {
            self.blocks
                .push(Block::Paragraph(vec![Inline::Strong(format!(
                    "⚠ {SYNTHETIC}"
                ))]));
        }
        let caption = super::chart::caption(e);
        self.blocks.push(Block::Figure(Figure {
            svg: super::chart::svg(e, &format!("chart{}", i + 1)),
            alt: format!("Chart of {} over time. {}", m.label, sentence(&caption)),
            caption: Some(caption),
            own_page: false,
        }));
        if let Some(b) = e.baseline_text() {
            self.blocks
                .push(para(format!("Against the baseline: {b}.")));
        }
        if m.comparison.is_some() {
            self.blocks.push(para(format!(
                "Against the comparison group: {}.",
                e.comparison_text()
            )));
        }
        let rows = m
            .series
            .iter()
            .map(|p| {
                vec![
                    vec![t(p.period.to_string())],
                    vec![t(if p.group == "all" {
                        "everyone"
                    } else {
                        &p.group
                    })],
                    vec![t(arm_word(p.arm))],
                    vec![Inline::Strong(e.value(p.value))],
                    vec![t(e.interval(p))],
                    vec![t(counts(p))],
                    cell(&p.note),
                ]
            })
            .collect();
        self.table(
            Some(format!("Every reading of {}", m.label)),
            &[
                "Period", "Group", "Arm", "Value", "95% CI", "Counted", "Note",
            ],
            rows,
        );
    }

    /// One table per stage: each box and the measures that show it.
    fn measures(&mut self) {
        let r = self.r;
        self.heading(1, "Measures", "measures");
        if r.framework.is_empty() {
            self.blocks
                .push(para("The model has no outputs or impacts yet."));
        } else {
            self.blocks.push(para(
                "Each box of the logic model and the measures that show it; every measure's full definition follows.",
            ));
        }
        // The funder's tables stay narrow enough to read: the rest of each measure is in its
        // definition below. The team's keep every column, as the CSV does.
        let team = self.team();
        let columns: &[&str] = if team {
            &[
                "Measure",
                "Kind",
                "Unit",
                "Baseline",
                "Target",
                "Source",
                "Frequency",
                "Owner",
            ]
        } else {
            &["Measure", "Baseline", "Target", "Source"]
        };
        for stage in Stage::ALL {
            let nodes: Vec<_> = r.stage(stage).collect();
            if nodes.is_empty() {
                continue;
            }
            self.heading(2, stage.title(), stage.key());
            let mut rows = Vec::new();
            for node in nodes {
                if node.measures.is_empty() {
                    let mut row = vec![
                        vec![t(&node.label)],
                        vec![Inline::Emphasis("No measure yet".into())],
                    ];
                    row.resize(columns.len() + 1, Vec::new());
                    rows.push(row);
                }
                for (i, m) in node.measures.iter().enumerate() {
                    let who = if i == 0 {
                        vec![t(&node.label)]
                    } else {
                        Vec::new()
                    };
                    let mut row = vec![who];
                    row.extend(measure_cells(m, team));
                    rows.push(row);
                }
            }
            let mut header = vec![capitalised(stage.noun())];
            header.extend(columns.iter().map(|c| c.to_string()));
            self.blocks.push(Block::Table(Table {
                caption: Some(format!("{} and their measures", stage.title())),
                header,
                rows,
            }));
        }
        if !r.unused_measures.is_empty() {
            self.heading(2, "Measures no box uses", "unused-measures");
            let rows = r
                .unused_measures
                .iter()
                .map(|m| measure_cells(m, team))
                .collect();
            self.table(Some("Measures no box uses".into()), columns, rows);
        }
    }

    /// Each measure once, with every field of its definition.
    fn definitions(&mut self) {
        let r = self.r;
        let mut seen = std::collections::HashSet::new();
        let measures: Vec<&MeasureRow> = r
            .framework
            .iter()
            .flat_map(|n| &n.measures)
            .chain(&r.unused_measures)
            .filter(|m| seen.insert(m.id.as_str()))
            .collect();
        if measures.is_empty() {
            return;
        }
        self.heading(1, "Measure definitions", "definitions");
        self.blocks.push(para(
            "What each measure counts and out of what, which way is better, when it moves, where it starts and what it aims for, how the result will be compared, and where the data comes from and on what basis it is held.",
        ));
        for (i, m) in measures.into_iter().enumerate() {
            self.heading(2, &m.label, &format!("measure-{}", i + 1));
            let defs = self.definition(m);
            self.blocks.push(Block::Definitions(defs));
        }
    }

    fn definition(&self, m: &MeasureRow) -> Vec<(String, Vec<Inline>)> {
        let r = self.r;
        let mut d: Vec<(String, Vec<Inline>)> = Vec::new();
        let mut add = |term: &str, text: String| d.push((term.to_string(), vec![t(text)]));
        let shows: Vec<String> = r
            .framework
            .iter()
            .filter(|n| n.measures.iter().any(|x| x.id == m.id))
            .map(|n| format!("{} ({})", n.label, n.stage.noun()))
            .collect();
        add(
            "Shows",
            if shows.is_empty() {
                "no box of the logic model yet".to_string()
            } else {
                word_list(shows, "and")
            },
        );
        add("Kind", capitalised(&kind_words(m)));
        let numeric = m.kind != MeasureKind::Qualitative;
        if let Some(u) = &m.unit {
            add("Unit", u.clone());
        }
        if let Some(n) = &m.numerator {
            add("Counts (numerator)", capitalised(n));
        }
        if let Some(n) = &m.denominator {
            add("Out of (denominator)", capitalised(n));
        }
        if let Some(c) = &m.computed {
            add("Worked out", capitalised(c));
        }
        match m.direction {
            Some(dir) => add("Direction", capitalised(direction_words(dir))),
            None if numeric => add("Direction", "Not stated".into()),
            None => {}
        }
        if let Some(tm) = m.timing {
            add("Timing", capitalised(timing_words(tm)));
        }
        match (&m.baseline, &m.baseline_period) {
            (Some(b), Some(p)) => add("Baseline", format!("{} (measured in {p})", capitalised(b))),
            (Some(b), None) => add("Baseline", capitalised(b)),
            (None, _) if numeric => add("Baseline", "Not yet set".into()),
            _ => {}
        }
        match (&m.target, &m.target_by) {
            (Some(tg), Some(p)) => add(
                "Target",
                format!("{}, due by the end of {p}", capitalised(tg)),
            ),
            (Some(tg), None) => add("Target", format!("{}; no date set", capitalised(tg))),
            (None, _) if numeric => add("Target", "Not yet set".into()),
            _ => {}
        }
        if let Some(c) = m.cohort {
            add("Cohort", format!("{c} people per group compared"));
        }
        match m.comparison {
            Some(c) => add("Compared", capitalised(comparison_words(c))),
            None if numeric => add("Compared", "Not stated".into()),
            None => {}
        }
        if let Some(c) = &m.contribution {
            add("Contribution", capitalised(c));
        }
        let source = m
            .source_id
            .as_ref()
            .and_then(|id| r.sources.iter().find(|s| &s.id == id));
        match (&m.source, source) {
            (_, Some(s)) => {
                let kind = s
                    .kind
                    .map(|k| format!(" ({})", source_kind_words(k)))
                    .unwrap_or_default();
                add("Source", format!("{}{kind}", s.label));
                add(
                    "Personal data",
                    match s.personal_data {
                        Some(true) => "Yes",
                        Some(false) => "No",
                        None => "Not stated",
                    }
                    .to_string(),
                );
                match (&s.storage, s.personal_data) {
                    (Some(st), _) => add("Held", capitalised(&sentence(st))),
                    (None, Some(true)) => add("Held", "Not stated".into()),
                    _ => {}
                }
                if !s.shared_with.is_empty() || s.sharing.is_some() {
                    add("Shared", sharing_words(s));
                }
            }
            (Some(label), None) => add("Source", label.clone()),
            (None, None) => add("Source", "Not yet named".into()),
        }
        match (&m.frequency, &m.owner) {
            (Some(f), Some(o)) => add("Collected", format!("{}, by {o}", capitalised(f))),
            (Some(f), None) => add("Collected", capitalised(f)),
            (None, Some(o)) => add("Collected", format!("By {o}; how often not stated")),
            (None, None) if numeric => add("Collected", "How often not stated".into()),
            _ => {}
        }
        if !m.breakdowns.is_empty() {
            add(
                "Split by",
                capitalised(&word_list(m.breakdowns.iter().cloned(), "and")),
            );
        }
        if self.team() {
            d.push(("Id".into(), vec![Inline::Code(m.id.clone())]));
        }
        d
    }

    fn gaps(&mut self) {
        let r = self.r;
        self.heading(1, "Gaps", "gaps");
        if r.gaps.is_empty() && r.accepted.is_empty() {
            self.blocks.push(para(
                "None: every output and impact is measured, every measure is fully defined and every box is on a full chain from resources to long-term change.",
            ));
            return;
        }
        if r.gaps.is_empty() {
            self.blocks.push(para(
                "None outstanding. The team has accepted the points below instead of closing them.",
            ));
        } else if self.team() {
            for g in &r.gaps {
                self.blocks.push(Block::Heading {
                    level: 2,
                    text: format!("{}: {}", g.code, g.summary.replace('`', "")),
                    anchor: format!("gap-{}", g.code),
                });
                let rows = g
                    .items
                    .iter()
                    .map(|item| {
                        vec![
                            checker_text(&item.message),
                            item.help.as_deref().map(checker_text).unwrap_or_default(),
                        ]
                    })
                    .collect();
                self.blocks.push(Block::Table(Table {
                    caption: Some(format!("Findings of {}", g.code)),
                    header: vec!["Finding".into(), "Fix".into()],
                    rows,
                }));
            }
        } else {
            self.blocks.push(para(
                "What the plan does not yet cover. Each point is something the programme cannot yet show, or a part of the plan still to be settled.",
            ));
            let mut items: Vec<String> = Vec::new();
            for g in &r.gaps {
                for item in &g.items {
                    let s = gap_sentence(
                        g.code.lint().funder,
                        item.about.as_deref(),
                        item.detail.as_deref(),
                    );
                    if !items.contains(&s) {
                        items.push(s);
                    }
                }
            }
            self.blocks.push(Block::List {
                ordered: false,
                items: items.into_iter().map(|s| vec![t(s)]).collect(),
            });
        }
        self.accepted();
    }

    /// The findings the team accepted, each with its reason: a silenced check is a decision a
    /// reader should see, not a gap that vanished.
    fn accepted(&mut self) {
        let r = self.r;
        if r.accepted.is_empty() {
            return;
        }
        self.heading(2, "Accepted by the team", "gaps-accepted");
        if self.team() {
            let rows = r
                .accepted
                .iter()
                .map(|a| {
                    vec![
                        vec![Inline::Code(a.code.to_string())],
                        checker_text(&a.message),
                        vec![t(a.reason.as_deref().map_or_else(
                            || "switched off for the whole model; no reason recorded".to_string(),
                            sentence,
                        ))],
                    ]
                })
                .collect();
            self.blocks.push(Block::Table(Table {
                caption: Some("Findings silenced by `allow:` or a lint level".into()),
                header: vec!["Code".into(), "Finding".into(), "Reason".into()],
                rows,
            }));
            return;
        }
        self.blocks.push(para(
            "Points the checks raise that the team has decided to leave as they are, with the reason given.",
        ));
        let mut items: Vec<String> = Vec::new();
        for a in &r.accepted {
            let gap = gap_sentence(
                a.code.lint().funder,
                a.about.as_deref(),
                a.detail.as_deref(),
            );
            let why = match &a.reason {
                Some(reason) => format!(
                    "{gap} The team accepts this: {}",
                    sentence(&capitalised(reason))
                ),
                None => format!(
                    "{gap} The team has switched this check off for the whole plan and recorded no reason."
                ),
            };
            if !items.contains(&why) {
                items.push(why);
            }
        }
        self.blocks.push(Block::List {
            ordered: false,
            items: items.into_iter().map(|s| vec![t(s)]).collect(),
        });
    }

    fn contribution(&mut self) {
        let Some(c) = &self.r.contribution else {
            return;
        };
        self.heading(
            1,
            "Contribution beyond the accountability ceiling",
            "contribution",
        );
        self.blocks.push(para(format!(
            "The programme answers alone for changes up to {}. Changes beyond that are shared with other services and circumstances: for each, what the programme claims, how the claim will be tested, and what else could explain the change.",
            c.ceiling.title().to_lowercase()
        )));
        if c.rows.is_empty() {
            self.blocks
                .push(para("No outcomes lie beyond the ceiling."));
            return;
        }
        let listed = |items: &[String]| -> Vec<Inline> {
            if items.is_empty() {
                vec![Inline::Emphasis("None recorded".into())]
            } else {
                // Each item is a sentence of its own, so they cannot run together.
                let sentences: Vec<String> = items.iter().map(|i| sentence(i)).collect();
                vec![t(sentences.join(" "))]
            }
        };
        let mut rows = Vec::new();
        for row in &c.rows {
            let others = listed(&row.alternatives);
            let evidence = listed(&row.evidence);
            if row.claims.is_empty() {
                rows.push(vec![
                    vec![t(&row.node)],
                    vec![Inline::Emphasis("No measure".into())],
                    Vec::new(),
                    Vec::new(),
                    others.clone(),
                    evidence.clone(),
                ]);
            }
            for (i, claim) in row.claims.iter().enumerate() {
                let first = i == 0;
                let what = match &claim.change {
                    Some(ch) => format!("{}: {ch}", claim.measure),
                    None => claim.measure.clone(),
                };
                rows.push(vec![
                    if first {
                        vec![t(&row.node)]
                    } else {
                        Vec::new()
                    },
                    vec![t(what)],
                    vec![t(super::design_words(claim.design))],
                    cell(&claim.comparison),
                    if first { others.clone() } else { Vec::new() },
                    if first { evidence.clone() } else { Vec::new() },
                ]);
            }
        }
        self.table(
            Some("What the programme claims beyond its ceiling".into()),
            &[
                "Outcome",
                "Claim",
                "Design",
                "Compared against",
                "Other explanations",
                "Evidence",
            ],
            rows,
        );
    }

    fn links(&mut self) {
        let r = self.r;
        if r.links.is_empty() {
            return;
        }
        self.heading(1, "Why each step leads to the next", "links");
        let rows = r
            .links
            .iter()
            .map(|l| {
                vec![
                    vec![t(&l.from)],
                    vec![t(&l.to)],
                    cell(&l.because),
                    cell(&l.evidence),
                    cell(&l.strength),
                ]
            })
            .collect();
        self.table(
            Some("The reasons given for links".into()),
            &["From", "To", "Because", "Evidence", "Strength"],
            rows,
        );
    }

    fn assumptions(&mut self) {
        let r = self.r;
        self.heading(1, "Assumptions", "assumptions");
        if r.assumptions.is_empty() {
            self.blocks.push(para("The model states no assumptions."));
            return;
        }
        for status in STATUS_ORDER {
            let Some(g) = r.assumptions.iter().find(|g| g.status == status) else {
                continue;
            };
            self.heading(
                2,
                format!("{} ({})", status_heading(status), g.items.len()),
                &format!("assumptions-{}", status.as_str()),
            );
            self.blocks.push(para(status_note(status)));
            let team = self.team();
            let rows = g
                .items
                .iter()
                .map(|a| {
                    let mut text = vec![t(&a.text)];
                    if team {
                        text.push(t(" "));
                        text.push(Inline::Code(a.id.clone()));
                    }
                    vec![
                        text,
                        vec![t(a.applies_to.join("; "))],
                        cell(&super::with_strength(&a.evidence, &a.strength)),
                    ]
                })
                .collect();
            self.table(
                Some(format!("{} assumptions", status_heading(status))),
                &["Assumption", "Applies to", "Evidence"],
                rows,
            );
        }
    }

    fn stakeholders(&mut self) {
        let r = self.r;
        if r.stakeholders.is_empty() && r.breakdowns.is_empty() {
            return;
        }
        self.heading(1, "Stakeholders", "stakeholders");
        if !r.stakeholders.is_empty() {
            let rows = r
                .stakeholders
                .iter()
                .map(|x| {
                    vec![
                        vec![t(&x.label)],
                        x.role.map(|r| vec![t(r.to_string())]).unwrap_or_default(),
                        vec![t(x.concerns.join("; "))],
                    ]
                })
                .collect();
            self.table(
                Some("Who the programme concerns".into()),
                &["Stakeholder", "Role", "Concerned by"],
                rows,
            );
        }
        if !r.breakdowns.is_empty() {
            self.blocks.push(para(format!(
                "Results will be split by: {}.",
                r.breakdowns.join(", ")
            )));
        }
    }

    fn unexpected(&mut self) {
        let r = self.r;
        if r.unexpected.is_empty() {
            return;
        }
        self.heading(1, "Unexpected changes", "unexpected");
        let rows = r
            .unexpected
            .iter()
            .map(|u| {
                vec![
                    vec![t(&u.text)],
                    u.kind.map(|k| vec![t(k.to_string())]).unwrap_or_default(),
                    cell(&u.evidence),
                ]
            })
            .collect();
        self.table(
            Some("Changes nobody planned".into()),
            &["Change", "Benefit or harm", "Evidence"],
            rows,
        );
    }

    fn sources(&mut self) {
        let r = self.r;
        self.heading(1, "Data sources", "sources");
        if r.sources.is_empty() {
            self.blocks.push(para("The model names no data sources."));
            return;
        }
        let flagged = r.sources.iter().filter(|x| x.flagged()).count();
        if flagged > 0 {
            self.blocks.push(Block::Paragraph(vec![Inline::Strong(format!(
                "⚠ {flagged} source{} hold{} personal data but do{} not say how it is stored and who may see it.",
                if flagged == 1 { "" } else { "s" },
                if flagged == 1 { "s" } else { "" },
                if flagged == 1 { "es" } else { "" },
            ))]));
        }
        let team = self.team();
        let rows = r
            .sources
            .iter()
            .map(|x| {
                let personal = match x.personal_data {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "not stated",
                };
                let storage = match (&x.storage, x.flagged()) {
                    (Some(s), _) => vec![t(s)],
                    (None, true) => vec![t("⚠ "), Inline::Strong("not stated".into())],
                    (None, false) => Vec::new(),
                };
                let mut label = vec![t(&x.label)];
                if team {
                    label.push(t(" "));
                    label.push(Inline::Code(x.id.clone()));
                }
                vec![
                    label,
                    vec![t(personal)],
                    storage,
                    vec![t(sharing_words(x))],
                    vec![t(x.used_by.join("; "))],
                ]
            })
            .collect();
        self.table(
            Some("Where the data comes from and who holds it".into()),
            &[
                "Source",
                "Personal data",
                "Storage and access",
                "Shared with, and on what basis",
                "Used by",
            ],
            rows,
        );
    }
}

/// A measure's cells in the framework tables: for the team every column from its label to
/// its owner, for the funder its label, baseline, target and source.
fn measure_cells(m: &MeasureRow, team: bool) -> Vec<Vec<Inline>> {
    if !team {
        return vec![
            vec![t(&m.label)],
            cell(&m.baseline),
            cell(&m.target),
            cell(&m.source),
        ];
    }
    vec![
        vec![t(&m.label)],
        vec![t(kind_words(m))],
        cell(&m.unit),
        cell(&m.baseline),
        cell(&m.target),
        cell(&m.source),
        cell(&m.frequency),
        cell(&m.owner),
    ]
}

/// Whose records a source holds, in words.
fn source_kind_words(k: crate::model::SourceKind) -> &'static str {
    use crate::model::SourceKind;
    match k {
        SourceKind::Internal => "the programme's own records",
        SourceKind::Partner => "a partner's records",
        SourceKind::Published => "published figures",
        SourceKind::JusticeDataLab => "the Justice Data Lab",
    }
}

/// Who a source's data is shared with and on what basis, in words.
fn sharing_words(s: &SourceRow) -> String {
    match (s.shared_with.is_empty(), &s.sharing) {
        (true, None) => "None recorded".to_string(),
        (true, Some(b)) => capitalised(&sentence(b)),
        (false, None) => format!(
            "With {}; on what basis is not stated",
            word_list(s.shared_with.iter().cloned(), "and")
        ),
        (false, Some(b)) => format!(
            "With {}, under: {}",
            word_list(s.shared_with.iter().cloned(), "and"),
            sentence(b)
        ),
    }
}
