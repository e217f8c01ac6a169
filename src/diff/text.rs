//! The diff as text for people.

use super::items::word;
use super::{ChangeKind, Diff, Summary};

/// Model text made safe for a terminal: quoted as a JSON string, so line breaks and quotes
/// are shown, and with the controls JSON leaves as they are (DEL, C1) made visible too.
fn quoted(v: &Option<String>) -> String {
    match v {
        Some(t) => plain(&serde_json::to_string(t).unwrap_or_default()),
        None => "(not set)".to_string(),
    }
}

/// A message or id with control characters shown as visible symbols, for a terminal.
fn plain(s: &str) -> String {
    crate::escape::terminal(s).into_owned()
}

/// `3 added, 1 removed, …`: the summary line of the text format.
pub fn summary_line(s: &Summary) -> String {
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {many}")
        }
    };
    format!(
        "{} added, {} removed, {} changed, {} renamed; {}, {} fixed",
        s.added,
        s.removed,
        s.changed,
        s.renamed,
        plural(s.new_diagnostics, "new diagnostic", "new diagnostics"),
        s.fixed_diagnostics
    )
}

/// The diff as text for people: grouped by kind, one line per item with a `+` (added), `-`
/// (removed), `~` (changed) or `>` (renamed) marker, changed fields indented under it as
/// `field: old → new`, and a summary line.
pub fn text(diff: &Diff, old_name: &str, new_name: &str) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "--- {}\n+++ {}", plain(old_name), plain(new_name));
    if diff.is_empty() {
        let _ = writeln!(s, "\nNo semantic differences.");
        return s;
    }
    if !diff.model.is_empty() {
        let _ = writeln!(s, "\nModel");
        for f in &diff.model {
            let _ = writeln!(
                s,
                "  ~ {}: {} → {}",
                f.field,
                quoted(&f.old),
                quoted(&f.new)
            );
        }
    }
    let groups = [
        ("Nodes", &diff.nodes),
        ("Measures", &diff.measures),
        ("Sources", &diff.sources),
        ("Assumptions", &diff.assumptions),
        ("Stakeholders", &diff.stakeholders),
        ("External factors", &diff.external_factors),
        ("Unexpected changes", &diff.unexpected),
    ];
    for (i, (title, list)) in groups.into_iter().enumerate() {
        if !list.is_empty() {
            let _ = writeln!(s, "\n{title}");
            for c in list {
                let stage = c
                    .stage
                    .filter(|_| matches!(c.change, ChangeKind::Added | ChangeKind::Removed))
                    .map(|st| format!(" ({})", word(st)))
                    .unwrap_or_default();
                let id = match &c.old_id {
                    Some(old) => format!("{} → {} (renamed)", plain(old), plain(&c.id)),
                    None => plain(&c.id),
                };
                let _ = writeln!(
                    s,
                    "  {} {id}{stage} {}",
                    c.change.marker(),
                    quoted(&Some(c.label.clone()))
                );
                for f in &c.fields {
                    let _ = writeln!(
                        s,
                        "      {}: {} → {}",
                        f.field,
                        quoted(&f.old),
                        quoted(&f.new)
                    );
                }
            }
        }
        // Links read best right after the nodes they join.
        if i == 0 && !diff.links.is_empty() {
            let _ = writeln!(s, "\nLinks");
            for l in &diff.links {
                let _ = writeln!(
                    s,
                    "  {} {} → {}",
                    l.change.marker(),
                    plain(&l.from),
                    plain(&l.to)
                );
            }
        }
    }
    if !diff.checks.new.is_empty() || !diff.checks.fixed.is_empty() {
        let _ = writeln!(s, "\nChecks");
        for (marker, what, list) in [
            ('+', "new", &diff.checks.new),
            ('-', "fixed", &diff.checks.fixed),
        ] {
            for c in list {
                let severity = word(c.severity);
                let _ = writeln!(
                    s,
                    "  {marker} {what} {severity} [{}] {}",
                    c.code,
                    plain(&c.message)
                );
            }
        }
    }
    let _ = writeln!(s, "\n{}", summary_line(&diff.summary()));
    s
}
