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

/// Sets each diagnostic's severity from the levels in force, dropping allowed ones.
pub fn apply_levels(
    model: Option<&Model>,
    flags: &[LevelFlag],
    diags: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
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
    diags
        .into_iter()
        .filter_map(|mut d| {
            let lint = d.code.lint();
            if !lint.configurable {
                d.severity = Severity::Error;
                return Some(d);
            }
            if let Some(id) = &d.subject
                && allowed
                    .get(id.as_str())
                    .is_some_and(|codes| codes.iter().any(|a| a.code.value == d.code))
            {
                return None;
            }
            let mut level = levels.get(&d.code).copied().unwrap_or(lint.default);
            if level == Level::Warn
                && let Some(group) = warnings_group
            {
                level = group;
            }
            match level {
                Level::Allow => None,
                Level::Warn => {
                    d.severity = Severity::Warning;
                    Some(d)
                }
                Level::Deny => {
                    d.severity = Severity::Error;
                    Some(d)
                }
            }
        })
        .collect()
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
