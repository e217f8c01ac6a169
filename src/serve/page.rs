//! The served page: one self-contained HTML document with its CSS and script inline, filled
//! with the current diagram and diagnostics so it reads correctly before any script runs.

use serde_json::Value;

use super::live::{Snapshot, with_nonce};
use crate::render::Theme;
use crate::render::svg::escape;

const TEMPLATE: &str = include_str!("page.html");
const CSS: &str = include_str!("page.css");
const JS: &str = include_str!("page.js");

/// The page for `snapshot` in `theme`. `nonce` goes on every inline `<style>` and `<script>`
/// (the diagram's own `<style>` included) to match the Content-Security-Policy header.
pub fn html(snapshot: &Snapshot, theme: &Theme, nonce: &str, path: &str) -> String {
    let good = snapshot.good();
    let title = good.map_or("elmo", |g| g.title());
    let diagram = good.map_or(String::new(), |g| with_nonce(g.svg(theme), nonce));
    let banner = banner(snapshot);
    let version = snapshot.version().to_string();
    fill(
        TEMPLATE,
        &[
            ("VERSION", &version),
            ("THEME", theme.name),
            ("STALE", if snapshot.stale() { " data-stale" } else { "" }),
            ("NONCE", nonce),
            ("CSS", CSS),
            ("JS", JS),
            ("TITLE", &escape(title)),
            ("PATH", &escape(path)),
            (
                "BANNER_HIDDEN",
                if banner.is_empty() { " hidden" } else { "" },
            ),
            ("BANNER", &escape(&banner)),
            ("DIAGRAM", &diagram),
            ("DIAGNOSTICS", &diagnostics_html(snapshot.report())),
        ],
    )
}

/// The line above the diagram when the file has errors; empty when all is well. The page's
/// script words it the same way.
pub fn banner(snapshot: &Snapshot) -> String {
    let n = snapshot.errors();
    if n == 0 {
        return String::new();
    }
    let errors = if n == 1 {
        "1 error".to_string()
    } else {
        format!("{n} errors")
    };
    if snapshot.good().is_some() {
        format!("Showing the last good version — the file has {errors}")
    } else {
        format!("Nothing to draw yet — the file has {errors}")
    }
}

/// The diagnostics of one file entry of the JSON report, as HTML. The page's script builds
/// the same structure from the same JSON with `textContent`.
pub fn diagnostics_html(report: &Value) -> String {
    let mut s = String::new();
    let list = report["diagnostics"].as_array().map_or(&[][..], |v| v);
    let count = |n: u64, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    let summary = if list.is_empty() {
        "No problems found".to_string()
    } else {
        format!(
            "{}, {}",
            count(report["errors"].as_u64().unwrap_or(0), "error"),
            count(report["warnings"].as_u64().unwrap_or(0), "warning")
        )
    };
    s.push_str(&format!(r#"<p class="diag-summary">{summary}</p>"#));
    if list.is_empty() {
        return s;
    }
    s.push_str(r#"<ol class="diag-list">"#);
    for d in list {
        let text = |k: &str| escape(d[k].as_str().unwrap_or(""));
        let num = |k: &str| d[k].as_u64().unwrap_or(0);
        let severity = text("severity");
        s.push_str(&format!(
            r#"<li class="diag {severity}"><div class="diag-head"><span class="sev">{severity}</span> <code class="code">{code}</code> <span class="loc">line {line}, column {column}</span></div><p class="msg">{msg}</p>"#,
            code = text("code"),
            line = num("line"),
            column = num("column"),
            msg = text("message"),
        ));
        if let Some(help) = d["help"].as_str() {
            s.push_str(&format!(r#"<p class="help">help: {}</p>"#, escape(help)));
        }
        for r in d["related"].as_array().map_or(&[][..], |v| v) {
            s.push_str(&format!(
                r#"<p class="related">line {}, column {}: {}</p>"#,
                r["line"].as_u64().unwrap_or(0),
                r["column"].as_u64().unwrap_or(0),
                escape(r["message"].as_str().unwrap_or(""))
            ));
        }
        s.push_str("</li>");
    }
    s.push_str("</ol>");
    s
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
    fn diagnostics_render_help_and_related_places() {
        let report = serde_json::json!({
            "errors": 1, "warnings": 0,
            "diagnostics": [{
                "code": "duplicate-id", "severity": "error", "message": "the id `a` <again>",
                "line": 7, "column": 9, "help": "rename one",
                "related": [{"message": "first used here", "line": 3, "column": 9}]
            }]
        });
        let h = diagnostics_html(&report);
        assert!(h.contains("1 error, 0 warnings"));
        assert!(h.contains(r#"<li class="diag error">"#));
        assert!(h.contains("the id `a` &lt;again&gt;"));
        assert!(h.contains("help: rename one"));
        assert!(h.contains("line 3, column 9: first used here"));
        let empty = serde_json::json!({"errors": 0, "warnings": 0, "diagnostics": []});
        assert!(diagnostics_html(&empty).contains("No problems found"));
    }
}
