//! Text fits its box as a real browser draws it: each SVG is loaded in headless Chromium
//! and every label's `getBBox()` is compared with its node's box.
//!
//! Needs Debian's `chromium`. Under `CI=true` a missing browser fails the test; elsewhere the
//! test says loudly that it was skipped.

use crate::common::{chromium, models, ready};
use std::path::Path;
use std::process::Command;

const PROBE: &str = r#"<script>
const out = [];
for (const g of document.querySelectorAll('g.node')) {
  const box = g.querySelector('rect').getBBox();
  for (const t of g.querySelectorAll('text.label, text.measure')) {
    const b = t.getBBox();
    const fits = b.x >= box.x + 1 && b.y >= box.y + 1 && b.x + b.width <= box.x + box.width - 1 && b.y + b.height <= box.y + box.height - 1;
    if (!fits) out.push(g.dataset.id + ': ' + JSON.stringify([b.x, b.y, b.width, b.height]) + ' outside ' + JSON.stringify([box.x, box.y, box.width, box.height]));
  }
}
const fonts = [...new Set([...document.querySelectorAll('text')].map(t => getComputedStyle(t).fontFamily))];
document.getElementById('result').textContent = JSON.stringify({checked: document.querySelectorAll('g.node').length, problems: out, fonts});
</script>"#;

fn measure(browser: &Path, name: &str, svg: &str) -> serde_json::Value {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-svg");
    std::fs::create_dir_all(&dir).expect("dir");
    let page = dir.join(format!("{name}.html"));
    let html = format!(
        "<!doctype html><html><head><meta charset=utf-8></head><body>{svg}<pre id=result>not run</pre>{PROBE}</body></html>"
    );
    std::fs::write(&page, html).expect("write page");
    let profile = dir.join(format!("profile-{name}"));
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom
        .find("<pre id=\"result\">")
        .map(|i| i + "<pre id=\"result\">".len())
        .expect("result element in DOM");
    let end = start + dom[start..].find("</pre>").expect("end of result");
    let json = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("{name}: probe did not run ({e}): {json}"))
}

#[test]
fn every_label_fits_its_box_in_chromium() {
    let Some(browser) = chromium() else {
        ready(
            "every_label_fits_its_box_in_chromium",
            &["chromium".to_string()],
        );
        return;
    };
    let mut cases = models();
    cases.push((
        "generated-100".into(),
        elmo::generate::layered_model(100, 5),
    ));
    // Wide letters, accents, long words and scripts the width table only estimates.
    cases.push(("awkward".into(), "title: Awkward labels\ninputs:\n  - id: a\n    label: WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW MMMMMMMM\n    leads_to: [b]\nactivities:\n  - id: b\n    label: Ünïcödé façade naïve Ærøskøbing Łódź ĞÜŞİÖÇ résumé\n    leads_to: [c]\noutputs:\n  - id: c\n    label: 社区支持 服务 使用者 参与 一个月以上 的 比例\n    measures: [m]\n    leads_to: [d]\nsystemic_impacts:\n  - id: d\n    label: Ελληνικά και Кириллица — смешанный текст with English words\n    measures: [m]\nmeasures:\n  - id: m\n    label: WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW\n    kind: qualitative\n    source: s\n    frequency: yearly\nsources:\n  - id: s\n    label: S\n".into()));
    for (name, src) in cases {
        let compiled = elmo::compile(&src);
        assert!(!compiled.has_errors(), "{name}: {:?}", compiled.diagnostics);
        let svg = elmo::render::svg(&compiled, &elmo::render::theme::LIGHT).expect("svg");
        let result = measure(&browser, &name, &svg);
        let nodes = compiled.model.as_ref().map_or(0, |m| m.nodes().count());
        assert_eq!(result["checked"], nodes, "{name}: every node measured");
        assert_eq!(
            result["problems"],
            serde_json::json!([]),
            "{name}: text overflows"
        );
        let fonts = result["fonts"].to_string();
        assert!(
            fonts.contains("DejaVu Sans"),
            "{name}: font stack applied: {fonts}"
        );
    }
}
