//! The served page: one self-contained HTML document with its CSS and script inline, filled
//! with the current diagram and diagnostics so it reads correctly before any script runs.

use serde::Serialize;

use super::live::{Snapshot, with_nonce};
use crate::diagnostic::Severity;
use serde_json::Value;

use crate::emit::json::{DiagnosticJson, FileJson};
use crate::emit::plural;
use crate::escape::xml as escape;
use crate::model::{MeasureKind, Stage};
use crate::render::Theme;
use crate::vocab;

const TEMPLATE: &str = include_str!("page.html");
const CSS: &str = include_str!("page.css");
const JS: &str = include_str!("page.js");

/// The page for `snapshot` in `theme`. `nonce` goes on every inline `<style>` and `<script>`
/// (the diagram's own `<style>` included) to match the Content-Security-Policy header.
pub fn html(snapshot: &Snapshot, theme: &Theme, nonce: &str, path: &str) -> String {
    let good = snapshot.good();
    // Without a readable title the file names the page: "elmo" is already the brand beside
    // it, and a header saying "elmo elmo" tells nobody anything.
    let title = snapshot.title().unwrap_or_else(|| file_name(path));
    let diagram = good.map_or(String::new(), |g| with_nonce(g.svg(theme), nonce));
    let panels = Panels::of(snapshot);
    let version = snapshot.version().to_string();
    fill(
        TEMPLATE,
        &[
            ("VERSION", &version),
            ("THEME", theme.name),
            ("STALE", if snapshot.stale() { " data-stale" } else { "" }),
            (
                "BROKEN_ATTR",
                if good.is_none() { " data-broken" } else { "" },
            ),
            ("BROKEN_HIDDEN", if good.is_none() { "" } else { " hidden" }),
            ("BROKEN", &panels.broken),
            ("NONCE", nonce),
            ("CSS", CSS),
            ("JS", JS),
            ("VOCAB", &escape(&vocabulary().to_string())),
            ("TITLE", &escape(title)),
            ("PATH", &escape(path)),
            (
                "BANNER_HIDDEN",
                if panels.banner.is_empty() {
                    " hidden"
                } else {
                    ""
                },
            ),
            ("BANNER", &panels.banner),
            ("DIAGRAM", &diagram),
            ("DIAGNOSTICS", &panels.diagnostics),
        ],
    )
}

/// The words the page's script compares and shows, from the vocabulary tables, so the script
/// spells none itself: `Stage.Inputs` is `"inputs"`, `MeasureKind.Proxy` is `"proxy"`, and
/// `stage_titles` gives each stage's heading. The page carries it in `data-vocab`.
pub fn vocabulary() -> Value {
    let titles: serde_json::Map<String, Value> = Stage::ALL
        .into_iter()
        .map(|s| (s.key().to_string(), Value::from(s.title())))
        .collect();
    serde_json::json!({
        "Stage": vocab::json::<Stage>(),
        "stage_titles": titles,
        "MeasureKind": vocab::json::<MeasureKind>(),
    })
}

/// The parts of the page drawn from the diagnostics, as HTML with every model string
/// escaped. They are made here only: the page carries them, and each server-sent event
/// carries them again for the script to put in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Panels {
    /// The line above the diagram when the file has errors; empty when all is well.
    pub banner: String,
    /// What takes the diagram's place when nothing has been drawn; empty once something has.
    pub broken: String,
    /// The diagnostics panel.
    pub diagnostics: String,
}

impl Panels {
    /// The panels for `snapshot`.
    pub fn of(snapshot: &Snapshot) -> Self {
        Panels {
            banner: banner_html(snapshot),
            broken: match snapshot.good() {
                Some(_) => String::new(),
                None => broken_html(snapshot),
            },
            diagnostics: diagnostics_html(snapshot.report(), snapshot.result_files()),
        }
    }
}

/// The line above the diagram when the file has errors, with the first error for
/// presentation mode, where the diagnostics panel is hidden; empty when all is well.
fn banner_html(snapshot: &Snapshot) -> String {
    let n = snapshot.errors();
    if n == 0 {
        return String::new();
    }
    let errors = plural(n, "error");
    // The file, unless the errors are all in one results file, which is then named.
    let broken: Vec<&FileJson> = snapshot.reports().filter(|r| r.errors > 0).collect();
    let which = match broken[..] {
        [only] if snapshot.report().errors == 0 => escape(file_name(&only.path)),
        [_] | [] => "the file".to_string(),
        _ => "the file and its results".to_string(),
    };
    let have = if which.starts_with("the file and") {
        "have"
    } else {
        "has"
    };
    let mut s = if snapshot.good().is_some() {
        format!("Showing the last good version — {which} {have} {errors}")
    } else {
        format!("Nothing to draw yet — {which} {have} {errors}")
    };
    if let Some((file, first)) = first_error(snapshot) {
        s.push_str(&format!(
            r#"<span class="banner-detail">{}, {}line {}: {}</span>"#,
            first.code,
            file.map(|f| format!("{} ", escape(file_name(f))))
                .unwrap_or_default(),
            first.line,
            escape(&first.message)
        ));
    }
    s
}

/// The first error, in the model and then in each results file, with the results file's
/// path (the model's errors need none: the page is about the model).
fn first_error(snapshot: &Snapshot) -> Option<(Option<&str>, &DiagnosticJson)> {
    errors(snapshot).next()
}

/// Every error, the model's first, each with the path of the results file it is in.
fn errors(snapshot: &Snapshot) -> impl Iterator<Item = (Option<&str>, &DiagnosticJson)> {
    snapshot.reports().enumerate().flat_map(|(i, r)| {
        let file = (i > 0).then_some(r.path.as_str());
        r.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(move |d| (file, d))
    })
}

/// The last part of `path`, for naming the page when the model's title cannot be read.
fn file_name(path: &str) -> &str {
    std::path::Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(path)
}

/// How many errors the page shows in large type in place of a diagram; the panel lists all.
pub const BROKEN_SHOWN: usize = 3;

/// What takes the diagram's place when nothing has been drawn yet: the title if it could be
/// read, what is wrong, and the first errors, in type large enough for the back of the room.
fn broken_html(snapshot: &Snapshot) -> String {
    let report = snapshot.report();
    let errors: Vec<(Option<&str>, &DiagnosticJson)> = errors(snapshot).collect();
    let mut s = String::new();
    if let Some(title) = snapshot.title() {
        s.push_str(&format!(r#"<p class="broken-title">{}</p>"#, escape(title)));
    }
    // The file named is the model, unless only its results have errors.
    let named = if report.errors > 0 {
        report.path.as_str()
    } else {
        errors.first().and_then(|(f, _)| *f).unwrap_or(&report.path)
    };
    s.push_str(&format!(
        r#"<p class="broken-lead">Nothing to draw yet: {} has {}</p>"#,
        escape(file_name(named)),
        plural(snapshot.errors(), "error")
    ));
    s.push_str(r#"<ol class="broken-list">"#);
    for (file, d) in errors.iter().take(BROKEN_SHOWN) {
        s.push_str(&format!(
            r#"<li><span class="broken-where">{file}line {line}, column {column} · <code>{code}</code></span><span class="broken-msg">{msg}</span>"#,
            file = file
                .map(|f| format!("{} ", escape(file_name(f))))
                .unwrap_or_default(),
            line = d.line,
            column = d.column,
            code = d.code,
            msg = escape(&d.message),
        ));
        if let Some(help) = &d.help {
            s.push_str(&format!(
                r#"<span class="broken-help">help: {}</span>"#,
                escape(help)
            ));
        }
        s.push_str("</li>");
    }
    s.push_str("</ol>");
    if errors.len() > BROKEN_SHOWN {
        s.push_str(&format!(
            r#"<p class="broken-more">and {} more in the diagnostics panel (d)</p>"#,
            errors.len() - BROKEN_SHOWN
        ));
    }
    s.push_str(r#"<p class="broken-next">The diagram appears here as soon as the file is saved without errors.</p>"#);
    s
}

/// The diagnostics of the model's entry of the JSON report and then of each results file
/// with any, as HTML; a results file's list is headed by its name.
fn diagnostics_html(report: &FileJson, result_files: &[FileJson]) -> String {
    let mut s = String::new();
    let all = || std::iter::once(report).chain(result_files);
    let (errors, warnings) = all().fold((0, 0), |(e, w), r| (e + r.errors, w + r.warnings));
    let summary = if all().all(|r| r.diagnostics.is_empty()) {
        "No problems found".to_string()
    } else {
        format!(
            "{}, {}",
            plural(errors, Severity::Error.as_str()),
            plural(warnings, Severity::Warning.as_str())
        )
    };
    s.push_str(&format!(r#"<p class="diag-summary">{summary}</p>"#));
    if result_files.iter().all(|r| r.diagnostics.is_empty()) {
        diagnostic_list(&mut s, &report.diagnostics);
        return s;
    }
    // Each file under its name, those with errors first, so that the error that stopped the
    // redraw is in view rather than below the model's warnings.
    let mut files: Vec<&FileJson> = all().filter(|r| !r.diagnostics.is_empty()).collect();
    files.sort_by_key(|r| r.errors == 0);
    for r in files {
        s.push_str(&format!(
            r#"<h3 class="diag-file">{}</h3>"#,
            escape(&r.path)
        ));
        diagnostic_list(&mut s, &r.diagnostics);
    }
    s
}

/// One file's diagnostics as a list, nothing when there are none.
fn diagnostic_list(s: &mut String, list: &[DiagnosticJson]) {
    if list.is_empty() {
        return;
    }
    s.push_str(r#"<ol class="diag-list">"#);
    for d in list {
        let severity = d.severity.as_str();
        s.push_str(&format!(
            r#"<li class="diag {severity}"><div class="diag-head"><span class="sev">{severity}</span> <code class="code">{code}</code> <span class="loc">line {line}, column {column}</span></div><p class="msg">{msg}</p>"#,
            code = d.code,
            line = d.line,
            column = d.column,
            msg = escape(&d.message),
        ));
        if let Some(help) = &d.help {
            s.push_str(&format!(r#"<p class="help">help: {}</p>"#, escape(help)));
        }
        for r in &d.related {
            s.push_str(&format!(
                r#"<p class="related">line {}, column {}: {}</p>"#,
                r.line,
                r.column,
                escape(&r.message)
            ));
        }
        s.push_str("</li>");
    }
    s.push_str("</ol>");
}

/// Replaces each `{{KEY}}` in `template` in one pass, so inserted text (a model title that
/// says `{{JS}}`, say) is never itself expanded.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 128 * 1024);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let key = &after[..end];
                match values.iter().find(|(k, _)| *k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Options;
    use crate::render::theme::LIGHT;
    use crate::serve::live::Live;

    /// The script compares and shows the vocabulary's words, but takes them from the page's
    /// data: a word typed into it would drift from the tables.
    #[test]
    fn the_script_spells_no_vocabulary_word() {
        use crate::vocab::Vocab;
        let words = [
            Stage::words(),
            Severity::words(),
            MeasureKind::words(),
            crate::model::Status::words(),
        ]
        .concat();
        let titles = Stage::ALL.map(Stage::title);
        for w in words.iter().chain(&titles) {
            for quoted in [format!("'{w}'"), format!("\"{w}\""), format!("`{w}`")] {
                assert!(!JS.contains(&quoted), "page.js spells {quoted}");
            }
        }
        let page = html(
            &Live::new("m.yaml", Options::default()).snapshot(),
            &LIGHT,
            "n",
            "m.yaml",
        );
        assert!(page.contains(&format!(
            r#"<main id="main" data-vocab="{}">"#,
            escape(&vocabulary().to_string())
        )));
    }

    #[test]
    fn fill_expands_each_placeholder_once() {
        let out = fill(
            "<a>{{X}}</a>{{Y}}{{UNKNOWN}}{{",
            &[("X", "{{Y}}"), ("Y", "y")],
        );
        assert_eq!(out, "<a>{{Y}}</a>y{{UNKNOWN}}{{");
    }

    #[test]
    fn the_page_escapes_model_text_and_nonces_every_inline_block() {
        let mut live = Live::new("m.yaml", Options::default());
        let src = "title: \"<script>alert(1)</script> {{JS}}\"\ninputs:\n  - id: a\n    label: \"<b>bold</b>\"\n";
        live.update(Ok(src.as_bytes().to_vec()));
        let page = html(&live.snapshot(), &LIGHT, "N0NCE", "<m>.yaml");
        assert!(!page.contains("<script>alert"));
        assert!(!page.contains("<b>bold"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; {{JS}}"));
        assert!(page.contains("&lt;m&gt;.yaml"));
        assert!(page.contains(r#"<html lang="en" data-version="1" data-theme="light">"#));
        assert_eq!(page.matches("<script").count(), 1);
        assert_eq!(page.matches(r#"<script nonce="N0NCE">"#).count(), 1);
        // The page's style and the diagram's style, nothing else.
        assert_eq!(page.matches("<style").count(), 2);
        assert_eq!(page.matches(r#"<style nonce="N0NCE">"#).count(), 2);
        assert!(page.contains(r#"<div id="diagram"><svg"#));
    }

    #[test]
    fn a_broken_save_shows_the_banner_and_the_errors() {
        let mut live = Live::new("m.yaml", Options::default());
        live.update(Ok(b"title: T\ninputs:\n  - id: a\n    label: A\n".to_vec()));
        live.update(Ok(
            b"title: T\ninputs:\n  - id: a\n    label: A\n    leads_to: [b]\n".to_vec(),
        ));
        let snap = live.snapshot();
        let page = html(&snap, &LIGHT, "n", "m.yaml");
        assert!(page.contains(" data-stale>"));
        assert!(page.contains("Showing the last good version — the file has 1 error"));
        assert!(page.contains(r#"<code class="code">unknown-reference</code>"#));
        assert!(page.contains("line 5, column 16"));
        assert!(
            page.contains(r#"data-id="a""#),
            "the last good diagram stays"
        );
    }

    #[test]
    fn a_file_broken_from_the_start_shows_its_errors_and_title_in_place_of_the_diagram() {
        let mut live = Live::new("models/m.yaml", Options::default());
        // Four errors (unknown references), and a title that can be read.
        live.update(Ok(
            b"title: Step <Up>\ninputs:\n  - id: a\n    label: A\n    leads_to: [b, c, d, e]\n"
                .to_vec(),
        ));
        let page = html(&live.snapshot(), &LIGHT, "n", "models/m.yaml");
        assert!(
            page.contains(" data-broken>"),
            "the page knows it has no diagram"
        );
        assert!(page.contains(r#"<div id="diagram"></div>"#));
        assert!(page.contains(r#"<div id="broken" class="broken" role="alert">"#));
        assert!(page.contains(r#"<h1 id="title">Step &lt;Up&gt;</h1>"#));
        assert!(page.contains("<title>Step &lt;Up&gt; · elmo</title>"));
        assert!(page.contains(r#"<p class="broken-title">Step &lt;Up&gt;</p>"#));
        assert!(page.contains("Nothing to draw yet: m.yaml has 4 errors"));
        assert_eq!(
            page.matches("<code>unknown-reference</code>").count(),
            BROKEN_SHOWN
        );
        assert!(page.contains("line 5, column 16"));
        assert!(page.contains("and 1 more in the diagnostics panel"));
        let body = markup(&page);
        assert!(!body.contains("elmo elmo"));
        assert!(!body.contains(r#"<h1 id="title">elmo</h1>"#));
        assert!(!body.contains("last good version"));
    }

    /// The page without its inline style and script, which name every class they handle.
    fn markup(page: &str) -> &str {
        let start = page.find("<body>").unwrap_or(0);
        let end = page.find("<script").unwrap_or(page.len());
        &page[start..end]
    }

    #[test]
    fn a_file_broken_from_the_start_without_a_title_is_named_by_its_file() {
        let mut live = Live::new("models/m.yaml", Options::default());
        live.update(Ok(b"title: [\n".to_vec()));
        let page = html(&live.snapshot(), &LIGHT, "n", "models/m.yaml");
        assert!(page.contains(r#"<h1 id="title">m.yaml</h1>"#));
        assert!(!markup(&page).contains("broken-title"));
        assert!(page.contains("Nothing to draw yet: m.yaml has 1 error"));
        assert!(page.contains("<code>yaml-syntax</code>"));
    }

    #[test]
    fn a_drawn_model_has_no_error_card() {
        let mut live = Live::new("m.yaml", Options::default());
        live.update(Ok(b"title: T\ninputs:\n  - id: a\n    label: A\n".to_vec()));
        let page = html(&live.snapshot(), &LIGHT, "n", "m.yaml");
        assert!(page.contains(r#"<html lang="en" data-version="1" data-theme="light">"#));
        assert!(page.contains(r#"<div id="broken" class="broken" role="alert" hidden></div>"#));
    }

    #[test]
    fn diagnostics_render_help_and_related_places() {
        let report = FileJson {
            errors: 1,
            diagnostics: vec![DiagnosticJson {
                code: crate::Code::DuplicateId,
                severity: Severity::Error,
                message: "the id `a` <again>".into(),
                line: 7,
                column: 9,
                end_line: 7,
                end_column: 10,
                help: Some("rename one".into()),
                related: vec![crate::emit::json::RelatedJson {
                    message: "first used here".into(),
                    line: 3,
                    column: 9,
                }],
            }],
            ..FileJson::empty("m.yaml")
        };
        let h = diagnostics_html(&report, &[]);
        assert!(h.contains("1 error, 0 warnings"));
        assert!(h.contains(r#"<li class="diag error">"#));
        assert!(h.contains("the id `a` &lt;again&gt;"));
        assert!(h.contains("help: rename one"));
        assert!(h.contains("line 3, column 9: first used here"));
        assert!(diagnostics_html(&FileJson::empty("m.yaml"), &[]).contains("No problems found"));
    }
}
