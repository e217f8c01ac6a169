//! `undocumented-storage` and `undocumented-sharing`: personal data handled on the record.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Model;
use crate::span::Span;

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
