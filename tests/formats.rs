//! The export and annotation formats, each checked by the tool that will read it: GitHub
//! workflow commands, SARIF (validated against the published schema with check-jsonschema),
//! Mermaid (parsed by Mermaid itself under node), PNG (decoded), DOT.
//!
//! External tools come from `.ci/deps`. Under `CI=true` a missing tool fails the test;
//! elsewhere the test prints a loud SKIPPED line and passes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn elmo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_elmo"))
        .args(args)
        .current_dir(ROOT)
        .output()
        .expect("elmo runs")
}

fn tmp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).expect("tmp dir");
    dir
}

/// Whether `tool` can run; under CI=true its absence fails the test, elsewhere it is skipped.
fn require(tool: &str, probe: &[&str], test: &str) -> bool {
    let ok = Command::new(tool)
        .args(probe)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{tool} is required under CI=true (run .ci/deps)"
        );
        eprintln!("SKIPPED {test}: {tool} not found (run .ci/deps)");
    }
    ok
}

fn models() -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(Path::new(ROOT).join("models"))
        .expect("models/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| {
            let name = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, p)
        })
        .collect();
    out.sort();
    out
}

/// Ids and labels that break naive exporters: quotes, brackets, markup, Mermaid keywords,
/// comment and directive marks, entity look-alikes, other scripts.
const HOSTILE: &str = r#"title: "Hostile \"title\" # <script>alert(1)</script> --- end"
inputs:
  - id: end
    label: "end"
    leads_to: [graph]
activities:
  - id: graph
    label: "subgraph x [\"quoted\"] (paren) {brace} <b>bold</b> #35; %%{init: {}}%% ; A-->B"
    leads_to: [style]
outputs:
  - id: style
    label: "click n0 call alert() | pipe ` tick \\ backslash & amp; &lt;"
    measures: [m]
    leads_to: [класс]
systemic_impacts:
  - id: класс
    label: "Ünïcödé 社区 — end; classDef x fill:red"
    measures: [m]
measures:
  - id: m
    label: M
    kind: qualitative
    source: s
    frequency: yearly
sources:
  - id: s
    label: S
"#;

#[test]
fn github_annotations_snapshot_and_exit_codes() {
    let o = elmo(&[
        "check",
        "--format",
        "github",
        "tests/fixtures/ci/mixed.yaml",
    ]);
    assert_eq!(o.status.code(), Some(1), "errors keep exit status 1");
    let text = String::from_utf8_lossy(&o.stdout);
    insta::assert_snapshot!("github-mixed", text);
    for line in text.lines().filter(|l| l.starts_with("::")) {
        assert!(
            line.starts_with("::error file=") || line.starts_with("::warning file="),
            "{line}"
        );
        let (props, message) = line[2..]
            .split_once("::")
            .expect("command, properties and message");
        assert!(!message.contains('\n') && !message.contains('\r'));
        // The message's help is on a second line of the annotation.
        assert!(message.contains("%0Ahelp: "), "{message}");
        // Every property is key=value, separated by unescaped commas only.
        let props = props.split_once(' ').expect("level and properties").1;
        for p in props.split(',') {
            assert!(p.contains('='), "{p}");
        }
    }
    let clean = elmo(&["check", "--format", "github", "models"]);
    assert_eq!(clean.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&clean.stdout).contains("::"));
}

#[test]
fn github_escapes_properties_and_data() {
    let dir = tmp_dir("github-escape");
    let path = dir.join("odd, name: 100%.yaml");
    std::fs::write(
        &path,
        "title: t\noutputs:\n  - id: o\n    label: o\n    leads_to: [\"x%y\"]\n",
    )
    .expect("write");
    let o = elmo(&["check", "--format", "github", &path.display().to_string()]);
    let text = String::from_utf8_lossy(&o.stdout);
    let line = text
        .lines()
        .find(|l| l.contains("unknown-reference"))
        .expect("annotation");
    assert!(line.contains("odd%2C name%3A 100%25.yaml,line="), "{line}");
    assert!(line.contains("x%25y"), "{line}");
}

#[test]
fn sarif_snapshot_and_schema() {
    let o = elmo(&[
        "check",
        "--format",
        "sarif",
        "tests/fixtures/ci/mixed.yaml",
        "tests/fixtures/diagnostics/duplicate-id.yaml",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&o.stdout).expect("SARIF is JSON");
    let mut shown = log.clone();
    // The version changes with every release; the snapshot should not.
    shown["runs"][0]["tool"]["driver"]["version"] = "VERSION".into();
    shown["runs"][0]["tool"]["driver"]["semanticVersion"] = "VERSION".into();
    insta::assert_json_snapshot!("sarif-mixed", shown);

    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "elmo");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), elmo::Code::ALL.len());
    for r in rules {
        assert!(r["shortDescription"]["text"].is_string());
        assert!(r["fullDescription"]["text"].is_string());
        assert!(r["help"]["text"].is_string());
        assert!(r["defaultConfiguration"]["level"].is_string());
    }
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 7);
    for r in results {
        let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(
            loc["artifactLocation"]["uri"]
                .as_str()
                .is_some_and(|u| u.starts_with("tests/fixtures/")),
            "relative uri"
        );
        assert!(loc["region"]["startLine"].as_u64() >= Some(1));
        assert!(loc["region"]["endColumn"].as_u64() >= Some(1));
    }

    if !require(
        "check-jsonschema",
        &["--version"],
        "sarif_snapshot_and_schema (schema part)",
    ) {
        return;
    }
    let dir = tmp_dir("sarif");
    let file = dir.join("mixed.sarif");
    std::fs::write(&file, &o.stdout).expect("write");
    // A deliberately broken copy proves the validator is really looking.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    let bad = dir.join("broken.sarif");
    std::fs::write(&bad, broken.to_string()).expect("write");
    let validate = |f: &Path| {
        Command::new("check-jsonschema")
            // The schema's patterns are ECMAScript in non-unicode mode, as SARIF's authors wrote them.
            .args(["--regex-variant", "nonunicode", "--schemafile"])
            .arg(Path::new(ROOT).join("tests/schemas/sarif-2.1.0-rtm.5.json"))
            .arg(f)
            .output()
            .expect("check-jsonschema runs")
    };
    let good = validate(&file);
    assert!(
        good.status.success(),
        "SARIF does not validate: {}{}",
        String::from_utf8_lossy(&good.stdout),
        String::from_utf8_lossy(&good.stderr)
    );
    assert!(
        !validate(&bad).status.success(),
        "the validator accepted a broken log"
    );
}

#[test]
fn mermaid_snapshots_and_the_real_parser_accepts_every_model() {
    let dir = tmp_dir("mermaid");
    let mut files = Vec::new();
    let mut cases: Vec<(String, String)> = models()
        .into_iter()
        .map(|(n, p)| (n, std::fs::read_to_string(p).expect("read")))
        .collect();
    cases.push(("hostile".into(), HOSTILE.into()));
    cases.push(("generated-60".into(), elmo::generate::layered_model(60, 2)));
    let mut expected = Vec::new();
    for (name, src) in &cases {
        let c = elmo::compile(src);
        assert!(!c.has_errors(), "{name}: {:?}", c.diagnostics);
        let (m, g) = (
            c.model.as_ref().expect("model"),
            c.graph.as_ref().expect("graph"),
        );
        let text = elmo::render::mermaid::mermaid(m, g);
        if !name.starts_with("generated") {
            insta::assert_snapshot!(format!("mermaid-{name}"), text);
        }
        assert!(!text.contains("<script"), "{name}: markup escaped");
        let path = dir.join(format!("{name}.mmd"));
        std::fs::write(&path, &text).expect("write");
        files.push(path);
        let labels: Vec<String> = m.nodes().map(|(_, n)| n.label.value.clone()).collect();
        expected.push((
            name.clone(),
            m.title.value.clone(),
            labels,
            g.graph.edge_count(),
        ));
    }
    // The CLI infers the format from the extension.
    let out = dir.join("cli.mmd");
    let o = elmo(&[
        "render",
        "models/peterborough-sib.yaml",
        "-o",
        &out.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(&out)
            .expect("written")
            .starts_with("---\ntitle:")
    );

    let script = Path::new(ROOT).join("tests/mermaid/parse.mjs");
    let modules = Path::new(ROOT).join("tests/mermaid/node_modules/mermaid");
    if !require("node", &["--version"], "mermaid parser") {
        return;
    }
    if !modules.exists() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "tests/mermaid/node_modules is required under CI=true (run .ci/deps)"
        );
        eprintln!("SKIPPED mermaid parser: run `npm ci --prefix tests/mermaid` (or .ci/deps)");
        return;
    }
    let o = Command::new("node")
        .arg(&script)
        .args(&files)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "Mermaid rejected the export:\n{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for (line, (name, title, labels, edges)) in stdout.lines().zip(&expected) {
        let r: serde_json::Value = serde_json::from_str(line).expect("one JSON line per file");
        assert_eq!(r["ok"], true, "{name}: {line}");
        assert_eq!(r["type"], "flowchart-v2", "{name}");
        // The title line is front matter that Mermaid reads as YAML; a JSON string is YAML.
        let text = std::fs::read_to_string(r["file"].as_str().expect("file")).expect("read");
        let line = text.lines().nth(1).and_then(|l| l.strip_prefix("title: "));
        let read: String = serde_json::from_str(line.expect("title line")).expect("JSON string");
        assert_eq!(&read, title, "{name}: title");
        // Every label survives Mermaid's parsing character for character.
        for (i, label) in labels.iter().enumerate() {
            let want: String = label
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            assert_eq!(r["labels"][format!("n{i}")], want.as_str(), "{name}: n{i}");
        }
        assert_eq!(
            r["edges"].as_array().map(Vec::len),
            Some(*edges),
            "{name}: edges"
        );
    }
    assert_eq!(stdout.lines().count(), expected.len());
}

#[test]
fn png_decodes_at_svg_size_times_scale() {
    let dir = tmp_dir("png");
    let src = std::fs::read_to_string(Path::new(ROOT).join("models/alcohol-treatment.yaml"))
        .expect("model");
    let svg = elmo::render::svg(&elmo::compile(&src), &elmo::render::theme::LIGHT).expect("svg");
    let doc = roxmltree::Document::parse(&svg).expect("xml");
    let num = |a: &str| -> f64 {
        doc.root_element()
            .attribute(a)
            .and_then(|v| v.parse().ok())
            .expect("size attribute")
    };
    let (w, h) = (num("width"), num("height"));
    for (scale, args) in [
        (2.0, vec![]),
        (1.0, vec!["--scale", "1"]),
        (1.5, vec!["--scale", "1.5"]),
    ] {
        let out = dir.join(format!("alcohol-{scale}.png"));
        let mut a = vec![
            "render",
            "models/alcohol-treatment.yaml",
            "-o",
            out.to_str().expect("utf-8 path"),
        ];
        a.extend(args);
        let o = elmo(&a);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let bytes = std::fs::read(&out).expect("png written");
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "PNG signature");
        let pixmap = resvg::tiny_skia::Pixmap::decode_png(&bytes).expect("decodes");
        assert_eq!(
            pixmap.width(),
            (w * scale).ceil() as u32,
            "width at {scale}"
        );
        assert_eq!(
            pixmap.height(),
            (h * scale).ceil() as u32,
            "height at {scale}"
        );
        // Text is drawn: dark pixels appear in the title's band at the top left.
        let dark = pixmap
            .pixels()
            .iter()
            .take(pixmap.width() as usize * (60.0 * scale) as usize)
            .filter(|p| p.red() < 80 && p.alpha() > 200)
            .count();
        assert!(dark > 50, "no text drawn at scale {scale}");
    }
    let bad = elmo(&[
        "render",
        "models/alcohol-treatment.yaml",
        "-o",
        "-",
        "--format",
        "png",
        "--scale",
        "0",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn dot_snapshots() {
    for (name, path) in models() {
        let c = elmo::compile(&std::fs::read_to_string(path).expect("read"));
        let dot = elmo::render::dot::dot(
            c.model.as_ref().expect("model"),
            c.graph.as_ref().expect("graph"),
        );
        insta::assert_snapshot!(format!("dot-{name}"), dot);
    }
}
