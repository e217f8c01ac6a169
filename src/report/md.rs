//! The report as Markdown (GitHub flavour): headings, one table per stage, lists.
//!
//! Model text is escaped so that a label can never become a link, emphasis, HTML or a broken
//! table: every Markdown punctuation character gets a backslash and line breaks become spaces.

use std::fmt::Write;

use super::{Report, STATUS_ORDER, capitalised, status_heading, status_note};
use crate::model::MeasureKind;
use crate::model::Stage;

/// Escapes `s` for a table cell or inline text.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&'
            | '!' => {
                out.push('\\');
                out.push(c);
            }
            // A line break would end the table row or the list item.
            '\n' | '\r' => out.push(' '),
            c if c.is_control() || crate::escape::is_noncharacter(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escapes `s` for the start of a paragraph: also the marks that would open a list,
/// a heading or a quote there.
fn escape_block(s: &str) -> String {
    let e = escape(s.trim());
    let digits = e.chars().take_while(|c| c.is_ascii_digit()).count();
    let after = e[digits..].chars().next();
    if digits > 0 && matches!(after, Some('.' | ')')) {
        format!("{}\\{}", &e[..digits], &e[digits..])
    } else if e.starts_with(['-', '+', '=']) {
        format!("\\{e}")
    } else {
        e
    }
}

/// A backtick-quoted `code` span from diagnostics messages kept as code, the rest escaped.
fn message(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 && !part.is_empty() {
            // Inside a code span only backticks matter, and `split` removed them.
            let _ = write!(out, "`{}`", part.replace(['\n', '\r', '|'], " "));
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

fn cell(v: &Option<String>) -> String {
    v.as_deref().map(escape).unwrap_or_default()
}

/// The report as a Markdown document.
pub fn markdown(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Measurement framework: {}\n", escape(&r.title));
    if let Some(st) = &r.stamp {
        let _ = writeln!(
            s,
            "*Made {}, {}.*\n",
            st.date,
            escape(&st.version.to_string())
        );
    }
    if let Some(v) = &r.vision {
        let _ = writeln!(s, "**Vision:** {}\n", escape(v));
    }
    if let Some(c) = &r.context {
        let _ = writeln!(s, "{}\n", escape_block(c));
    }
    let _ = writeln!(s, "**Readiness:** {}\n", message(&r.readiness.summary()));
    results(&mut s, r);
    measures(&mut s, r);
    gaps(&mut s, r);
    contribution(&mut s, r);
    links(&mut s, r);
    assumptions(&mut s, r);
    stakeholders(&mut s, r);
    unexpected(&mut s, r);
    sources(&mut s, r);
    s
}

fn results(s: &mut String, r: &Report) {
    use super::results::{HOW_TO_READ, SYNTHETIC, arm_word, counts};
    let Some(res) = &r.results else {
        return;
    };
    let _ = writeln!(
        s,
        "## Results\n\nAs of {}: {}.\n\n{}\n",
        res.as_of,
        escape(&res.summary),
        escape(HOW_TO_READ)
    );
    if res.any_synthetic() {
        let _ = writeln!(s, "> **⚠ {}**\n", escape(SYNTHETIC));
    }
    if !res.measures.is_empty() {
        let _ = writeln!(
            s,
            "| Measure | Status | Latest | 95% CI | Baseline | Target | Progress | Trend | Comparison |\n|---|---|---|---|---|---|---|---|---|"
        );
        for e in &res.measures {
            let m = &e.result;
            let _ = writeln!(
                s,
                "| {}{} | {} | {} | {} | {} | {} | {} | {} | {} |",
                escape(&m.label),
                if e.synthetic {
                    " **(synthetic data)**"
                } else {
                    ""
                },
                escape(&e.status()),
                escape(&e.latest()),
                escape(&e.latest_interval()),
                escape(&e.maybe(m.baseline)),
                escape(&e.maybe(m.target)),
                escape(&e.progress()),
                crate::results::show::sparkline(m),
                escape(&e.comparison_text()),
            );
        }
        s.push('\n');
    }
    for e in &res.measures {
        let m = &e.result;
        let _ = writeln!(
            s,
            "### {}\n\n{}: {}\n",
            escape(&m.label),
            escape(&e.status()),
            escape(&m.reason)
        );
        if e.synthetic {
            let _ = writeln!(s, "**⚠ {}**\n", escape(SYNTHETIC));
        }
        if let Some(b) = e.baseline_text() {
            let _ = writeln!(s, "Against the baseline: {}.\n", escape(&b));
        }
        let _ = writeln!(
            s,
            "| Period | Group | Arm | Value | 95% CI | Counted | Note |\n|---|---|---|---|---|---|---|"
        );
        for p in &m.series {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} |",
                p.period,
                escape(&p.group),
                arm_word(p.arm),
                escape(&e.value(p.value)),
                escape(&e.interval(p)),
                escape(&counts(p)),
                cell(&p.note)
            );
        }
        s.push('\n');
    }
    if !res.unreported.is_empty() {
        let _ = writeln!(s, "### No reading yet\n");
        for l in &res.unreported {
            let _ = writeln!(s, "- {}", escape(l));
        }
        s.push('\n');
    }
}

fn measures(s: &mut String, r: &Report) {
    let _ = writeln!(s, "## Measures\n");
    if r.framework.is_empty() {
        let _ = writeln!(s, "The model has no outputs or impacts yet.\n");
    }
    for stage in Stage::ALL {
        let nodes: Vec<_> = r.stage(stage).collect();
        if nodes.is_empty() {
            continue;
        }
        let _ = writeln!(s, "### {}\n", stage.title());
        let _ = writeln!(
            s,
            "| {} | Measure | Kind | Unit | Baseline | Target | Source | Frequency | Owner |",
            capitalised(stage.noun())
        );
        let _ = writeln!(s, "|---|---|---|---|---|---|---|---|---|");
        for node in nodes {
            if node.measures.is_empty() {
                let _ = writeln!(
                    s,
                    "| {} | *no measure yet* |  |  |  |  |  |  |  |",
                    escape(&node.label)
                );
            }
            for (i, m) in node.measures.iter().enumerate() {
                let who = if i == 0 {
                    escape(&node.label)
                } else {
                    String::new()
                };
                let _ = writeln!(s, "| {who} | {} |", measure_cells(m));
            }
        }
        s.push('\n');
    }
    if !r.unused_measures.is_empty() {
        let _ = writeln!(s, "### Measures no box uses\n");
        let _ = writeln!(
            s,
            "| Measure | Kind | Unit | Baseline | Target | Source | Frequency | Owner |"
        );
        let _ = writeln!(s, "|---|---|---|---|---|---|---|---|");
        for m in &r.unused_measures {
            let _ = writeln!(s, "| {} |", measure_cells(m));
        }
        s.push('\n');
    }
}

/// A measure's kind, with what a proxy stands in for.
fn kind(m: &super::MeasureRow) -> String {
    match &m.proxy_for {
        Some(p) if m.kind == MeasureKind::Proxy => format!("proxy for {}", escape(p)),
        _ => m.kind.to_string(),
    }
}

fn contribution(s: &mut String, r: &Report) {
    let Some(c) = &r.contribution else {
        return;
    };
    let _ = writeln!(s, "## Contribution beyond the accountability ceiling\n");
    let _ = writeln!(
        s,
        "The programme answers alone for changes up to {}. Changes beyond that are shared with other services and circumstances: for each, what the programme claims, how the claim will be tested, and what else could explain the change.\n",
        c.ceiling.title().to_lowercase()
    );
    if c.rows.is_empty() {
        let _ = writeln!(s, "No outcomes lie beyond the ceiling.\n");
        return;
    }
    let _ = writeln!(
        s,
        "| Outcome | Claim | Design | Compared against | Other explanations | Evidence |\n|---|---|---|---|---|---|"
    );
    for row in &c.rows {
        let others = listed(&row.alternatives, "none recorded");
        let evidence = listed(&row.evidence, "none recorded");
        if row.claims.is_empty() {
            let _ = writeln!(
                s,
                "| {} | *no measure* |  |  | {others} | {evidence} |",
                escape(&row.node)
            );
        }
        for (i, claim) in row.claims.iter().enumerate() {
            let (who, others, evidence) = if i == 0 {
                (escape(&row.node), others.as_str(), evidence.as_str())
            } else {
                (String::new(), "", "")
            };
            let what = match &claim.change {
                Some(ch) => format!("{}: {}", escape(&claim.measure), escape(ch)),
                None => escape(&claim.measure),
            };
            let _ = writeln!(
                s,
                "| {who} | {what} | {} | {} | {others} | {evidence} |",
                escape(&super::design_words(claim.design)),
                cell(&claim.comparison)
            );
        }
    }
    s.push('\n');
}

/// Items joined with `; `, or `none` when there are none.
fn listed(items: &[String], none: &str) -> String {
    if items.is_empty() {
        return format!("*{none}*");
    }
    items
        .iter()
        .map(|i| escape(i))
        .collect::<Vec<_>>()
        .join("; ")
}

fn links(s: &mut String, r: &Report) {
    if r.links.is_empty() {
        return;
    }
    let _ = writeln!(s, "## Why each step leads to the next\n");
    let _ = writeln!(
        s,
        "| From | To | Because | Evidence | Strength |\n|---|---|---|---|---|"
    );
    for l in &r.links {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            escape(&l.from),
            escape(&l.to),
            cell(&l.because),
            cell(&l.evidence),
            cell(&l.strength)
        );
    }
    s.push('\n');
}

fn stakeholders(s: &mut String, r: &Report) {
    if r.stakeholders.is_empty() && r.breakdowns.is_empty() {
        return;
    }
    let _ = writeln!(s, "## Stakeholders\n");
    if !r.stakeholders.is_empty() {
        let _ = writeln!(s, "| Stakeholder | Role | Concerned by |\n|---|---|---|");
        for x in &r.stakeholders {
            let role = x.role.map(|r| r.to_string()).unwrap_or_default();
            let _ = writeln!(
                s,
                "| {} | {role} | {} |",
                escape(&x.label),
                x.concerns
                    .iter()
                    .map(|c| escape(c))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
        s.push('\n');
    }
    if !r.breakdowns.is_empty() {
        let groups: Vec<String> = r.breakdowns.iter().map(|b| escape(b)).collect();
        let _ = writeln!(s, "Results will be split by: {}.\n", groups.join(", "));
    }
}

fn unexpected(s: &mut String, r: &Report) {
    if r.unexpected.is_empty() {
        return;
    }
    let _ = writeln!(s, "## Unexpected changes\n");
    let _ = writeln!(s, "| Change | Benefit or harm | Evidence |\n|---|---|---|");
    for u in &r.unexpected {
        let kind = u.kind.map(|k| k.to_string()).unwrap_or_default();
        let _ = writeln!(
            s,
            "| {} | {kind} | {} |",
            escape(&u.text),
            cell(&u.evidence)
        );
    }
    s.push('\n');
}

fn gaps(s: &mut String, r: &Report) {
    let _ = writeln!(s, "## Gaps\n");
    if r.gaps.is_empty() {
        let _ = writeln!(
            s,
            "None: `elmo check` finds every output and impact measured, every measure complete and every node on a full chain.\n"
        );
        return;
    }
    for g in &r.gaps {
        let _ = writeln!(s, "### `{}`: {}\n", g.code, message(g.summary));
        for item in &g.items {
            let _ = write!(s, "- {}", message(&item.message));
            if let Some(h) = &item.help {
                let _ = write!(s, " *Fix:* {}", message(h));
            }
            s.push('\n');
        }
        s.push('\n');
    }
}

fn assumptions(s: &mut String, r: &Report) {
    let _ = writeln!(s, "## Assumptions\n");
    if r.assumptions.is_empty() {
        let _ = writeln!(s, "The model states no assumptions.\n");
        return;
    }
    for status in STATUS_ORDER {
        let Some(g) = r.assumptions.iter().find(|g| g.status == status) else {
            continue;
        };
        let _ = writeln!(s, "### {} ({})\n", status_heading(status), g.items.len());
        let _ = writeln!(s, "{}\n", status_note(status));
        let _ = writeln!(s, "| Assumption | Applies to | Evidence |");
        let _ = writeln!(s, "|---|---|---|");
        for a in &g.items {
            let applies: Vec<String> = a.applies_to.iter().map(|t| escape(t)).collect();
            let _ = writeln!(
                s,
                "| {} | {} | {} |",
                escape(&a.text),
                applies.join("; "),
                cell(&super::with_strength(&a.evidence, &a.strength))
            );
        }
        s.push('\n');
    }
}

fn sources(s: &mut String, r: &Report) {
    let _ = writeln!(s, "## Data sources\n");
    if r.sources.is_empty() {
        let _ = writeln!(s, "The model names no data sources.\n");
        return;
    }
    let flagged = r.sources.iter().filter(|x| x.flagged()).count();
    if flagged > 0 {
        let _ = writeln!(
            s,
            "**{flagged} source(s) hold personal data but do not say how it is stored and who may see it** (marked ⚠ below).\n"
        );
    }
    let _ = writeln!(
        s,
        "| Source | Personal data | Storage and access | Used by |"
    );
    let _ = writeln!(s, "|---|---|---|---|");
    for x in &r.sources {
        let personal = match x.personal_data {
            Some(true) => "yes",
            Some(false) => "no",
            None => "not stated",
        };
        let storage = match (&x.storage, x.flagged()) {
            (Some(t), _) => escape(t),
            (None, true) => "⚠ **not stated**".to_string(),
            (None, false) => String::new(),
        };
        let used: Vec<String> = x.used_by.iter().map(|u| escape(u)).collect();
        let _ = writeln!(
            s,
            "| {} | {personal} | {storage} | {} |",
            escape(&x.label),
            used.join("; ")
        );
    }
    s.push('\n');
}

/// A measure's cells in the framework tables, from its label to its owner.
fn measure_cells(m: &super::MeasureRow) -> String {
    [
        escape(&m.label),
        kind(m),
        cell(&m.unit),
        cell(&m.baseline),
        cell(&m.target),
        cell(&m.source),
        cell(&m.frequency),
        cell(&m.owner),
    ]
    .join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_marks_are_escaped() {
        assert_eq!(escape("a|b*c_d<e>"), r"a\|b\*c\_d\<e\>");
        assert_eq!(escape("[x](javascript:y)"), r"\[x\](javascript:y)");
        assert_eq!(escape("two\nlines"), "two lines");
        assert_eq!(escape_block("1. first"), r"1\. first");
        assert_eq!(escape_block("- item"), r"\- item");
    }
}
