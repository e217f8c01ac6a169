//! What navigation and quick fixes must keep for any input: every occurrence inside its token
//! and on character boundaries, renames that leave the new id in every place the old one was, and quick
//! fixes whose edits stay inside the text, do not overlap, and leave YAML that still parses.

use elmo::Compiled;
use elmo::lsp::actions::actions;
use elmo::lsp::nav::{Edit, Index};
use elmo::span::Span;

/// A name no input uses, so a rename to it is never refused as taken.
const NEW_NAME: &str = "renamed-by-the-fuzz-check";

pub fn navigation(src: &str, compiled: &Compiled) {
    if let Some(model) = &compiled.model {
        let index = Index::new(src, model);
        for o in index.occurrences() {
            assert!(
                o.token.start <= o.span.start
                    && o.span.end <= o.token.end
                    && o.token.end <= src.len(),
                "the occurrence of `{}` lies outside its token",
                o.id
            );
            assert!(
                src.is_char_boundary(o.span.start) && src.is_char_boundary(o.span.end),
                "the occurrence of `{}` splits a character",
                o.id
            );
        }
        // A rename of each of the first few ids, from its first occurrence (each recompiles).
        let mut seen = std::collections::HashSet::new();
        for o in index
            .occurrences()
            .iter()
            .filter(|o| seen.insert(o.id.clone()))
            .take(3)
        {
            let Ok(edits) = index.rename(src, o.span.start, NEW_NAME) else {
                continue;
            };
            let after = applied(src, &edits);
            let recompiled = elmo::compile(&after);
            let landed = recompiled.model.as_ref().map_or(0, |m| {
                Index::new(&after, m)
                    .occurrences()
                    .iter()
                    .filter(|n| n.id == NEW_NAME)
                    .count()
            });
            let places = index.occurrences().iter().filter(|n| n.id == o.id).count();
            assert_eq!(landed, places, "renaming `{}` missed a place", o.id);
        }
    }
    let parsed = elmo::parse::parse(src, &elmo::Limits::default()).is_ok();
    for action in actions(src, compiled, Span::new(0, src.len()))
        .into_iter()
        .take(12)
    {
        let after = applied(src, &action.edits);
        assert!(
            !parsed || elmo::parse::parse(&after, &elmo::Limits::default()).is_ok(),
            "the quick fix `{}` broke the YAML",
            action.title
        );
    }
}

/// `src` with `edits` applied, after checking they stay inside it and do not overlap.
fn applied(src: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<(usize, &Edit)> = edits.iter().enumerate().collect();
    sorted.sort_by_key(|(i, e)| (e.span.start, e.span.end, *i));
    for pair in sorted.windows(2) {
        assert!(pair[0].1.span.end <= pair[1].1.span.start, "edits overlap");
    }
    let mut out = src.to_string();
    for (_, e) in sorted.into_iter().rev() {
        assert!(
            e.span.end <= src.len()
                && src.is_char_boundary(e.span.start)
                && src.is_char_boundary(e.span.end),
            "an edit outside the text or inside a character"
        );
        out.replace_range(e.span.start..e.span.end, &e.new_text);
    }
    out
}
