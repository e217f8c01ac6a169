//! `undocumented-storage`, `undocumented-sharing` and `unstated-personal-data`: personal
//! data handled on the record.

use crate::diagnostic::{Code, Diagnostic, article};
use crate::lint::{Level, Lint};
use crate::model::{Model, SourceKind};
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
    funder: "The data source {label} holds personal data but does not yet say how it is stored or who may see it.",
};

/// The `undocumented-sharing` lint.
pub(crate) static UNDOCUMENTED_SHARING: Lint = Lint {
    code: Code::UndocumentedSharing,
    name: "undocumented-sharing",
    default: Level::Warn,
    configurable: true,
    label: "no basis for sharing",
    summary: "personal data shared with another organisation, or held by a partner, without a recorded lawful basis or agreement",
    why: "Passing personal data between organisations needs a lawful and proportionate reason and, usually, a data-sharing agreement; each organisation holding the data must satisfy itself that the sharing is lawful. Some providers held back from the Justice Data Lab while they took legal advice. A source with `personal_data: true` and a `shared_with` list should say in `sharing` what the sharing rests on. A `partner` or `justice-data-lab` source holding personal data crosses between organisations by its nature, so it is reported when it gives neither `shared_with` nor `sharing`.",
    example: "sources:\n  - id: partner-records\n    label: Police and prison contact records\n    personal_data: true\n    storage: Counts per person copied into the case system\n    shared_with: [Police, Prison]\n",
    fix: "sources:\n  - id: partner-records\n    label: Police and prison contact records\n    personal_data: true\n    storage: Counts per person copied into the case system\n    shared_with: [Police, Prison]\n    sharing: Data-sharing agreement with each agency, reviewed yearly\n",
    funder: "Personal data in {label} passes between organisations, but the plan does not yet record the lawful basis or agreement for it.",
};

/// The `unstated-personal-data` lint.
pub(crate) static UNSTATED_PERSONAL_DATA: Lint = Lint {
    code: Code::UnstatedPersonalData,
    name: "unstated-personal-data",
    default: Level::Warn,
    configurable: true,
    label: "personal data?",
    summary: "a source that does not say whether it holds personal data",
    why: "Whether a source holds data about identifiable people decides what must be written down about it: how it is stored, who may see it, and on what basis it is shared. A source that says nothing is not the same as one that holds none; case files, attendance registers and partner records nearly always do. Say `personal_data: true` or `personal_data: false` on every source; published statistics (`kind: published`) are taken to hold none.",
    example: "sources:\n  - id: attendance\n    label: Session attendance register\n",
    fix: "sources:\n  - id: attendance\n    label: Session attendance register\n    personal_data: true\n    storage: Paper registers typed up weekly into the encrypted case system\n",
    funder: "The data source {label} does not say whether it holds personal data.",
};

pub(super) fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    for s in &model.sources {
        let id = &s.id.value;
        let kind = s.kind.as_ref().map(|k| k.value);
        if s.personal_data.is_none() && kind != Some(SourceKind::Published) {
            out.push(
                Diagnostic::new(
                    Code::UnstatedPersonalData,
                    format!("`{id}` does not say whether it holds personal data"),
                    s.id.span,
                )
                .with_help(format!(
                    "add `personal_data: true` to `{id}` if it holds data about identifiable people (then say how it is stored and shared), or `personal_data: false` if it does not"
                ))
                .about(id),
            );
        }
        let Some(personal) = s.personal_data.as_ref().filter(|p| p.value) else {
            continue;
        };
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
        // Data from a partner or sent to the Data Lab crosses between organisations even when
        // nobody listed the other side.
        let crossing = s
            .kind
            .as_ref()
            .filter(|k| matches!(k.value, SourceKind::Partner | SourceKind::JusticeDataLab));
        if let Some(k) = crossing
            && s.shared_with.is_empty()
            && s.sharing.is_none()
        {
            let what = k.value.as_str();
            out.push(
                Diagnostic::new(
                    Code::UndocumentedSharing,
                    format!(
                        "`{id}` is {} {what} source holding personal data, but it records no basis for sharing it",
                        article(what)
                    ),
                    k.span,
                )
                .with_related(personal.span, "personal data")
                .with_help(format!(
                    "add `shared_with:` (the organisations the data passes between) and `sharing:` (the lawful basis and the data-sharing agreement) to `{id}`"
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
