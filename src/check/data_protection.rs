//! `undocumented-storage` and `undocumented-sharing`: personal data handled on the record.

use crate::diagnostic::{Code, Diagnostic};
use crate::lint::{Level, Lint};
use crate::model::Model;
use crate::span::Span;

/// The `undocumented-storage` lint.
pub(crate) static UNDOCUMENTED_STORAGE: Lint = Lint {
    code: Code::UndocumentedStorage,
    name: "undocumented-storage",
    default: Level::Warn,
    configurable: true,
    label: "storage not recorded",
    summary: "a source of personal data that does not say how it is stored",
    why: "Data about identifiable people brings duties: it must be kept securely and seen only by those who need it. Criminal history and reoffending data are treated as especially sensitive. Writing down where the data lives and who may open it shows that the question was asked, and tells the next person what the rules are.",
    example: "sources:\n  - id: case-records\n    label: Case management system\n    personal_data: true\n",
    fix: "sources:\n  - id: case-records\n    label: Case management system\n    personal_data: true\n    storage: Encrypted case system; named caseworkers only; extracts pseudonymised\n",
};

/// The `undocumented-sharing` lint.
pub(crate) static UNDOCUMENTED_SHARING: Lint = Lint {
    code: Code::UndocumentedSharing,
    name: "undocumented-sharing",
    default: Level::Warn,
    configurable: true,
    label: "no basis for sharing",
    summary: "personal data shared with another organisation without a recorded lawful basis or agreement",
    why: "Passing personal data between organisations needs a lawful and proportionate reason and, usually, a data-sharing agreement; each organisation holding the data must satisfy itself that the sharing is lawful. Some providers held back from the Justice Data Lab while they took legal advice. A source with `personal_data: true` and a `shared_with` list should say in `sharing` what the sharing rests on.",
    example: "sources:\n  - id: partner-records\n    label: Police and prison contact records\n    personal_data: true\n    storage: Counts per person copied into the case system\n    shared_with: [Police, Prison]\n",
    fix: "sources:\n  - id: partner-records\n    label: Police and prison contact records\n    personal_data: true\n    storage: Counts per person copied into the case system\n    shared_with: [Police, Prison]\n    sharing: Data-sharing agreement with each agency, reviewed yearly\n",
};

pub(super) fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    for s in &model.sources {
        let Some(personal) = s.personal_data.as_ref().filter(|p| p.value) else {
            continue;
        };
        let id = &s.id.value;
        if s.storage.is_none() {
            out.push(
                Diagnostic::new(
                    Code::UndocumentedStorage,
                    format!("`{id}` holds personal data but does not say how it is stored"),
                    personal.span,
                )
                .with_help(format!(
                    "add `storage:` to `{id}`: where the data is kept, how it is secured, and who may see it"
                ))
                .about(id),
            );
        }
        if let (Some(first), Some(last), None) =
            (s.shared_with.first(), s.shared_with.last(), &s.sharing)
        {
            let bodies = s
                .shared_with
                .iter()
                .map(|b| b.value.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                Diagnostic::new(
                    Code::UndocumentedSharing,
                    format!(
                        "personal data in `{id}` is shared with {bodies}, but no lawful basis or agreement is recorded"
                    ),
                    Span::new(first.span.start, last.span.end),
                )
                .with_related(personal.span, "personal data")
                .with_help(format!(
                    "add `sharing:` to `{id}`: the lawful basis for sharing and the data-sharing agreement it runs under"
                ))
                .about(id),
            );
        }
    }
}
