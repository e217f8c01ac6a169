//! Lint levels: defaults, then the file's `lints:`, then command-line flags, then each
//! item's `allow:` list, which has the last word because it records a deliberate exception.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Code, Level};
use crate::model::{Allow, Model};

/// What a command-line level flag names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LintTarget {
    /// One code.
    Code(Code),
    /// Every lint whose level is otherwise `warn` (`-D warnings`).
    Warnings,
}

/// One `-A`/`-W`/`-D` flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelFlag {
    /// The code or group.
    pub target: LintTarget,
    /// The level to set.
    pub level: Level,
}

/// A finding the levels in force silenced on purpose, kept so that a report does not present
/// a silenced gap as no gap.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    /// The finding as the check made it.
    pub diagnostic: Diagnostic,
    /// The reason an item's `allow:` gives; `None` when the lint is off for the whole model
    /// (`lints:` or `-A`), which records no reason.
    pub reason: Option<String>,
}

/// Sets each diagnostic's severity from the levels in force, dropping allowed ones.
pub fn apply_levels(
    model: Option<&Model>,
    flags: &[LevelFlag],
    diags: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    apply_levels_keeping(model, flags, diags).0
}

/// As [`apply_levels`], also returning the findings it silenced.
pub fn apply_levels_keeping(
    model: Option<&Model>,
    flags: &[LevelFlag],
    diags: Vec<Diagnostic>,
) -> (Vec<Diagnostic>, Vec<Accepted>) {
    let mut levels: HashMap<Code, Level> = HashMap::new();
    if let Some(m) = model {
        for (code, level) in &m.lints.0 {
            levels.insert(code.value, level.value);
        }
    }
    let mut warnings_group = None;
    for f in flags {
        match f.target {
            LintTarget::Code(c) => {
                levels.insert(c, f.level);
            }
            LintTarget::Warnings => warnings_group = Some(f.level),
        }
    }
    let allowed = model.map(allow_lists).unwrap_or_default();
    let mut kept = Vec::new();
    let mut accepted = Vec::new();
    for mut d in diags {
        let lint = d.code.lint();
        if !lint.configurable {
            d.severity = Severity::Error;
            kept.push(d);
            continue;
        }
        if let Some(allow) = d.subject.as_ref().and_then(|id| {
            allowed
                .get(id.as_str())
                .and_then(|list| list.iter().find(|a| a.code.value == d.code))
        }) {
            let reason = allow.reason.clone();
            accepted.push(Accepted {
                diagnostic: d,
                reason,
            });
            continue;
        }
        let mut level = levels.get(&d.code).copied().unwrap_or(lint.default);
        if level == Level::Warn
            && let Some(group) = warnings_group
        {
            level = group;
        }
        match level {
            Level::Allow => accepted.push(Accepted {
                diagnostic: d,
                reason: None,
            }),
            Level::Warn => {
                d.severity = Severity::Warning;
                kept.push(d);
            }
            Level::Deny => {
                d.severity = Severity::Error;
                kept.push(d);
            }
        }
    }
    (kept, accepted)
}

fn allow_lists(model: &Model) -> HashMap<&str, &[Allow]> {
    let mut out: HashMap<&str, &[Allow]> = HashMap::new();
    let items = model
        .nodes()
        .map(|(_, n)| (&n.id.value, n.allow.as_slice()))
        .chain(
            model
                .measures
                .iter()
                .map(|m| (&m.id.value, m.allow.as_slice())),
        )
        .chain(
            model
                .sources
                .iter()
                .map(|s| (&s.id.value, s.allow.as_slice())),
        )
        .chain(
            model
                .assumptions
                .iter()
                .map(|a| (&a.id.value, a.allow.as_slice())),
        );
    for (id, allow) in items {
        if !allow.is_empty() {
            out.entry(id.as_str()).or_insert(allow);
        }
    }
    out
}
