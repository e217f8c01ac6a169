//! The export and annotation formats, each checked by the tool that will read it: GitHub
//! workflow commands, SARIF (validated against the published schema with check-jsonschema),
//! Mermaid (parsed by Mermaid itself under node), PNG (decoded), DOT.
//!
//! External tools come from `.ci/deps`. Under `CI=true` a missing tool fails the test;
//! elsewhere the test prints a loud SKIPPED line and passes.

use crate::common::{ROOT, elmo, model_paths, require, tmp_dir};
use std::path::{Path, PathBuf};
use std::process::Command;

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

/// Every finding the exports carry, on one small model: an unmeasured output and outcome, a
/// disconnected node, one node both unmeasured and disconnected, assumptions on nodes and on
/// links (two on one link, one on a node and a link), and ids Mermaid cannot take as they are.
const FINDINGS: &str = r#"title: Findings on show
inputs:
  - id: funding
    label: Funding
    leads_to: [run-sessions]
activities:
  - id: run-sessions
    label: Run weekly sessions
    leads_to: [sessions-held, end]
  - id: newsletter
    label: Newsletter nobody reads
outputs:
  - id: sessions-held
    label: Sessions held
    measures: [count, stories]
    leads_to: [confidence]
  - id: end
    label: An output whose id is a Mermaid keyword
    leads_to: [confidence]
direct_impacts:
  - id: confidence
    label: People feel more confident
    leads_to: [класс]
  - id: orphan-outcome
    label: An outcome on no chain and with no measure
systemic_impacts:
  - id: класс
    label: Lasting change
    measures: [stories]
measures:
  - id: count
    label: Sessions held per quarter, counted from the register
    kind: qualitative
    source: register
    frequency: quarterly
  - id: stories
    label: Stories of change
    kind: qualitative
    source: register
    frequency: yearly
sources:
  - id: register
    label: Attendance register
assumptions:
  - id: people-come
    text: People come back week after week once they have been twice
    applies_to: ["run-sessions -> sessions-held", confidence]
    status: challenged
  - id: confidence-lasts
    text: Confidence gained in sessions lasts beyond them
    applies_to: ["run-sessions -> sessions-held"]
    status: untested
  - id: funding-holds
    text: Funding holds for three years
    applies_to: [funding]
    status: holding
"#;

/// What the checks found about one node, worked out here from the diagnostics and the model
/// so the exports are checked against something they did not compute.
struct Expected {
    id: String,
    label: String,
    measures: usize,
    unmeasured: bool,
    disconnected: bool,
}

fn expected(c: &elmo::Compiled) -> Vec<Expected> {
    let (m, g) = (
        c.model.as_ref().expect("model"),
        c.graph.as_ref().expect("graph"),
    );
    let about = |id: &str, codes: &[&str]| {
        c.diagnostics
            .iter()
            .any(|d| d.subject.as_deref() == Some(id) && codes.contains(&d.code.as_str()))
    };
    g.graph
        .node_indices()
        .map(|ix| {
            let n = g.model_node(m, ix);
            let id = n.id.value.clone();
            Expected {
                measures: n
                    .measures
                    .iter()
                    .filter(|x| m.measures.iter().any(|d| d.id.value == x.value))
                    .count(),
                unmeasured: about(&id, &["unmeasured-outcome", "unmeasured-output"]),
                disconnected: about(&id, &["disconnected-node"]),
                label: n.label.value.clone(),
                id,
            }
        })
        .collect()
}

impl Expected {
    /// The line under the label: measure count or its absence, and the chain finding.
    fn note(&self) -> Option<String> {
        let mut parts = Vec::new();
        match self.measures {
            0 if self.unmeasured => parts.push("no measure yet".to_string()),
            0 => {}
            1 => parts.push("1 measure".into()),
            n => parts.push(format!("{n} measures")),
        }
        if self.disconnected {
            parts.push("not on a full chain".into());
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    }
}

/// The bundled models, the findings model, the hostile one and the check fixtures that draw
/// (warnings only), by name.
fn export_cases() -> Vec<(String, String)> {
    let mut cases: Vec<(String, String)> = model_paths()
        .into_iter()
        .map(|(n, p)| (n, std::fs::read_to_string(p).expect("read")))
        .collect();
    cases.push(("findings".into(), FINDINGS.into()));
    cases.push(("hostile".into(), HOSTILE.into()));
    for f in [
        "unmeasured-outcome",
        "unmeasured-output",
        "disconnected-node",
        "refuted-assumption",
        "unused-assumption",
    ] {
        let src = std::fs::read_to_string(
            Path::new(ROOT).join(format!("tests/fixtures/diagnostics/{f}.yaml")),
        )
        .expect("fixture");
        cases.push((format!("fixture-{f}"), src));
    }
    cases
}

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
    // Cargo.toml's `repository`, which changes on publishing.
    assert_eq!(
        shown["runs"][0]["tool"]["driver"]["informationUri"],
        env!("CARGO_PKG_REPOSITORY")
    );
    shown["runs"][0]["tool"]["driver"]["informationUri"] = "REPOSITORY".into();
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
    assert_eq!(results.len(), 8);
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

/// Runs Mermaid's own parser (tests/mermaid/parse.mjs) on `files`, or says why it cannot.
fn mermaid_parse(files: &[PathBuf], test: &str) -> Option<Vec<serde_json::Value>> {
    if !require("node", &["--version"], test) {
        return None;
    }
    if !Path::new(ROOT)
        .join("tests/mermaid/node_modules/mermaid")
        .exists()
    {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "tests/mermaid/node_modules is required under CI=true (run .ci/deps)"
        );
        eprintln!("SKIPPED {test}: run `npm ci --prefix tests/mermaid` (or .ci/deps)");
        return None;
    }
    let o = Command::new("node")
        .arg(Path::new(ROOT).join("tests/mermaid/parse.mjs"))
        .args(files)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "Mermaid rejected the export:\n{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let results: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON line per file"))
        .collect();
    assert_eq!(results.len(), files.len());
    Some(results)
}

/// The Mermaid id each node got, read back from the export: the model id where Mermaid takes
/// it as it is, otherwise the `_nI` that a `%% _nI = model-id` comment names.
fn mermaid_ids(text: &str, nodes: &[Expected]) -> Vec<String> {
    nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            if elmo::render::mermaid::usable_as_is(&n.id) {
                n.id.clone()
            } else {
                let mapped = format!("_n{i}");
                assert!(
                    text.contains(&format!("    %% {mapped} = {}\n", n.id)),
                    "{}: no comment tracing {mapped}",
                    n.id
                );
                mapped
            }
        })
        .collect()
}

#[test]
fn mermaid_snapshots_and_the_real_parser_accepts_every_model() {
    let dir = tmp_dir("mermaid");
    let mut files = Vec::new();
    let mut cases = export_cases();
    cases.push(("generated-60".into(), elmo::generate::layered_model(60, 2)));
    let mut expected_all = Vec::new();
    for (name, src) in &cases {
        let c = elmo::compile(src);
        assert!(!c.has_errors(), "{name}: {:?}", c.diagnostics);
        let (m, g) = (
            c.model.as_ref().expect("model"),
            c.graph.as_ref().expect("graph"),
        );
        let text = elmo::render::mermaid::mermaid(m, g, &c.diagnostics);
        assert_eq!(
            text,
            elmo::render::mermaid::mermaid(m, g, &c.diagnostics),
            "{name}: deterministic"
        );
        if !name.starts_with("generated") {
            insta::assert_snapshot!(format!("mermaid-{name}"), text);
        }
        assert!(!text.contains("<script"), "{name}: markup escaped");
        let path = dir.join(format!("{name}.mmd"));
        std::fs::write(&path, &text).expect("write");
        files.push(path);
        let nodes = expected(&c);
        let ids = mermaid_ids(&text, &nodes);
        let edges: Vec<(String, String)> = g
            .graph
            .edge_indices()
            .filter_map(|e| g.graph.edge_endpoints(e))
            .map(|(a, b)| (ids[a.index()].clone(), ids[b.index()].clone()))
            .collect();
        expected_all.push((name.clone(), m.title.value.clone(), nodes, ids, edges, text));
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

    let Some(results) = mermaid_parse(&files, "mermaid parser") else {
        return;
    };
    for (r, (name, title, nodes, ids, edges, text)) in results.iter().zip(&expected_all) {
        assert_eq!(r["ok"], true, "{name}: {r}");
        assert_eq!(r["type"], "flowchart-v2", "{name}");
        // The title line is front matter that Mermaid reads as YAML; a JSON string is YAML.
        let line = text.lines().nth(1).and_then(|l| l.strip_prefix("title: "));
        let read: String = serde_json::from_str(line.expect("title line")).expect("JSON string");
        assert_eq!(&read, title, "{name}: title");
        for (n, id) in nodes.iter().zip(ids) {
            // Every label survives Mermaid's parsing character for character, with the
            // findings on a line of their own under it.
            let mut want: String = n
                .label
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            if let Some(note) = n.note() {
                want = format!("{want}<br>{note}");
            }
            assert_eq!(r["labels"][id], want.as_str(), "{name}: {id}");
            let classes: Vec<&str> = r["classes"][id]
                .as_array()
                .expect("classes")
                .iter()
                .filter_map(|c| c.as_str())
                .collect();
            assert_eq!(
                classes.contains(&"disconnected"),
                n.disconnected,
                "{name}: {id} {classes:?}"
            );
            assert_eq!(
                classes.contains(&"unmeasured"),
                n.unmeasured && !n.disconnected,
                "{name}: {id} {classes:?}"
            );
        }
        // The model's links are the solid arrows, each once; notes add only dotted and
        // invisible lines.
        let arrows: Vec<(String, String)> = r["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .filter(|e| e[2] == "normal")
            .map(|e| {
                (
                    e[0].as_str().unwrap_or("").into(),
                    e[1].as_str().unwrap_or("").into(),
                )
            })
            .collect();
        assert_eq!(&arrows, edges, "{name}: edges");
        for e in r["edges"].as_array().expect("edges") {
            if e[2] != "normal" {
                assert!(
                    e[0].as_str().is_some_and(|s| s.starts_with("_a")),
                    "{name}: only notes draw other lines: {e}"
                );
            }
        }
    }
}

/// The assumptions reach the Mermaid reader: a note per assumption with its number, status
/// and full text, a dotted line to each node it applies to, and its number on each link.
#[test]
fn mermaid_notes_show_every_assumption_where_it_applies() {
    let dir = tmp_dir("mermaid-notes");
    let mut files = Vec::new();
    let mut cases = Vec::new();
    for (name, src) in export_cases() {
        let c = elmo::compile(&src);
        let text = elmo::render::mermaid::mermaid(
            c.model.as_ref().expect("model"),
            c.graph.as_ref().expect("graph"),
            &c.diagnostics,
        );
        let path = dir.join(format!("{name}.mmd"));
        std::fs::write(&path, &text).expect("write");
        files.push(path);
        cases.push((name, c, text));
    }
    let Some(results) = mermaid_parse(&files, "mermaid notes") else {
        return;
    };
    let mut seen_link_labels = 0;
    for (r, (name, c, text)) in results.iter().zip(&cases) {
        let m = c.model.as_ref().expect("model");
        let nodes = expected(c);
        let ids = mermaid_ids(text, &nodes);
        let mermaid_of = |model_id: &str| {
            nodes
                .iter()
                .position(|n| n.id == model_id)
                .map(|i| ids[i].clone())
        };
        let edges = r["edges"].as_array().expect("edges");
        for (i, a) in m.assumptions.iter().enumerate() {
            let note = format!("_a{}", i + 1);
            let status = a.status.as_ref().map(|s| s.value).unwrap_or_default();
            let word = status.as_str();
            assert_eq!(
                r["labels"][&note],
                format!("A{} · {word}<br>{}", i + 1, a.text.value).as_str(),
                "{name}: {note}"
            );
            assert_eq!(r["shapes"][&note], "odd", "{name}: {note} is a flag");
            assert_eq!(
                r["classes"][&note][0],
                format!("assumption_{word}").as_str(),
                "{name}: {note}"
            );
            for t in &a.applies_to {
                let t = &t.written;
                match t.value.split_once("->") {
                    Some((from, to)) => {
                        let (f, t) = (
                            mermaid_of(from.trim()).expect("from"),
                            mermaid_of(to.trim()).expect("to"),
                        );
                        let link = edges
                            .iter()
                            .find(|e| e[0] == f.as_str() && e[1] == t.as_str() && e[2] == "normal")
                            .expect("the link");
                        let label = link[3].as_str().unwrap_or_default();
                        assert!(
                            label.split(", ").any(|x| x == format!("A{}", i + 1)),
                            "{name}: {f} -> {t} labelled {label:?}"
                        );
                        seen_link_labels += 1;
                    }
                    None => {
                        let n = mermaid_of(t.value.trim()).expect("node");
                        assert!(
                            edges.iter().any(|e| e[0] == note.as_str()
                                && e[1] == n.as_str()
                                && e[2] == "dotted"),
                            "{name}: {note} -.- {n}"
                        );
                    }
                }
            }
        }
    }
    assert!(seen_link_labels > 5, "links with assumptions were checked");
}

/// The id rule is checked against Mermaid's own parser: every id it keeps comes back from the
/// parser as that very node, and the ids it maps include every keyword-led form the parser
/// refuses.
#[test]
fn mermaid_keeps_every_id_it_can_and_maps_the_rest() {
    let keywords = [
        "end",
        "graph",
        "subgraph",
        "flowchart",
        "style",
        "linkStyle",
        "classDef",
        "class",
        "click",
        "call",
        "href",
        "interpolate",
        "direction",
        "default",
        "accTitle",
        "accDescr",
    ];
    let mut ids: Vec<String> = Vec::new();
    for k in keywords {
        for form in [
            k.to_string(),
            k.to_uppercase(),
            format!("{k}-x"),
            format!("x-{k}"),
            format!("{k}x"),
            format!("{k}_x"),
        ] {
            ids.push(form);
        }
    }
    for id in [
        "o",
        "x",
        "ox",
        "xo",
        "o-x",
        "x-o",
        "A",
        "LR",
        "TB",
        "TD",
        "RL",
        "BT",
        "v",
        "a-b-c",
        "step-1",
        "s0-n3",
        "n0",
        "_n0",
        "_a1",
        "_inputs",
        "1m",
        "42",
        "a--b",
        "trailing-",
        "класс",
        "社区",
        "Ünï",
        "mixed-класс",
        "under_score",
        "CamelCase",
    ] {
        ids.push(id.to_string());
    }
    ids.sort();
    ids.dedup();
    // One chain through every id, so each is used in a node, a link and a class statement.
    let mut src = String::from("title: Ids\nactivities:\n");
    for (i, id) in ids.iter().enumerate() {
        src.push_str(&format!("  - id: \"{id}\"\n    label: L{i}\n"));
        if let Some(next) = ids.get(i + 1) {
            src.push_str(&format!("    leads_to: [\"{next}\"]\n"));
        }
    }
    let c = elmo::compile(&src);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    let (m, g) = (
        c.model.as_ref().expect("model"),
        c.graph.as_ref().expect("graph"),
    );
    let text = elmo::render::mermaid::mermaid(m, g, &c.diagnostics);
    let nodes = expected(&c);
    let mapped = mermaid_ids(&text, &nodes);
    let kept = nodes
        .iter()
        .filter(|n| elmo::render::mermaid::usable_as_is(&n.id))
        .count();
    assert!(kept > 40, "only {kept} ids kept");
    for k in keywords {
        assert!(!elmo::render::mermaid::usable_as_is(k), "{k}");
        assert!(
            !elmo::render::mermaid::usable_as_is(&format!("{k}-x")),
            "{k}-x"
        );
    }
    let path = tmp_dir("mermaid-ids").join("ids.mmd");
    std::fs::write(&path, &text).expect("write");
    let Some(results) = mermaid_parse(&[path], "mermaid ids") else {
        return;
    };
    let r = &results[0];
    for (i, (n, id)) in nodes.iter().zip(&mapped).enumerate() {
        assert_eq!(
            r["labels"][id],
            format!("L{i}").as_str(),
            "{} as {id}",
            n.id
        );
    }
    let labelled = r["labels"].as_object().expect("labels").len();
    assert_eq!(labelled, nodes.len(), "no id split into two nodes");
    assert_eq!(
        r["edges"].as_array().map(Vec::len),
        Some(nodes.len() - 1),
        "every link parsed"
    );
}

#[test]
fn png_decodes_at_svg_size_times_scale() {
    let dir = tmp_dir("png");
    let src = std::fs::read_to_string(Path::new(ROOT).join("models/alcohol-treatment.yaml"))
        .expect("model");
    // The picture's drawing: the diagram with every measure listed below it, and the model's
    // results on its measure lines as `elmo render` reads them.
    let compiled = elmo::compile(&src);
    let results = elmo::results::evaluate(
        compiled.model.as_ref().expect("model"),
        &Path::new(ROOT).join("models"),
        elmo::results::Date::parse("2025-09-30").expect("date"),
    );
    let svg = elmo::render::picture_svg_results(
        &compiled,
        &elmo::render::theme::LIGHT,
        None,
        Some(&results),
    )
    .expect("svg");
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
            "--as-of",
            "2025-09-30",
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
    for (name, path) in model_paths() {
        let c = elmo::compile(&std::fs::read_to_string(path).expect("read"));
        let dot = elmo::render::dot::dot(
            c.model.as_ref().expect("model"),
            c.graph.as_ref().expect("graph"),
            &c.diagnostics,
        );
        insta::assert_snapshot!(format!("dot-{name}"), dot);
    }
    let c = elmo::compile(FINDINGS);
    let dot = elmo::render::dot::dot(
        c.model.as_ref().expect("model"),
        c.graph.as_ref().expect("graph"),
        &c.diagnostics,
    );
    insta::assert_snapshot!("dot-findings", dot);
}

/// The text of every `<text>` under `node`, in order.
fn texts(node: roxmltree::Node) -> Vec<String> {
    node.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

/// Graphviz draws the DOT of every bundled model, fixture and hostile model, and its SVG
/// shows the findings: flagged nodes classed with their codes and outlined dashed
/// (unmeasured) or dotted (disconnected), measure counts under the labels, and each
/// assumption as a note joined to its nodes, its number on its links.
#[test]
fn dot_renders_with_graphviz_and_shows_the_findings() {
    let dir = tmp_dir("dot");
    let graphviz = require(
        "dot",
        &["-V"],
        "dot_renders_with_graphviz_and_shows_the_findings",
    );
    let mut flagged = 0;
    for (name, src) in export_cases() {
        let c = elmo::compile(&src);
        let (m, g) = (
            c.model.as_ref().expect("model"),
            c.graph.as_ref().expect("graph"),
        );
        let text = elmo::render::dot::dot(m, g, &c.diagnostics);
        assert_eq!(
            text,
            elmo::render::dot::dot(m, g, &c.diagnostics),
            "{name}: deterministic"
        );
        let path = dir.join(format!("{name}.dot"));
        std::fs::write(&path, &text).expect("write");
        if !graphviz {
            continue;
        }
        let o = Command::new("dot")
            .arg("-Tsvg")
            .arg(&path)
            .output()
            .expect("dot runs");
        assert!(
            o.status.success() && o.stderr.is_empty(),
            "{name}: dot says {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let svg = String::from_utf8(o.stdout).expect("utf-8");
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc =
            roxmltree::Document::parse_with_options(&svg, options).expect("Graphviz SVG is XML");
        let groups: Vec<roxmltree::Node> =
            doc.descendants().filter(|n| n.has_tag_name("g")).collect();
        let titled = |class: &str, title: &str| {
            groups
                .iter()
                .find(|n| {
                    n.attribute("class")
                        .is_some_and(|c| c.split(' ').next() == Some(class))
                        && n.children()
                            .find(|t| t.has_tag_name("title"))
                            .and_then(|t| t.text())
                            == Some(title)
                })
                .copied()
        };
        for n in expected(&c) {
            let node = titled("node", &n.id).unwrap_or_else(|| panic!("{name}: node {}", n.id));
            let class = node.attribute("class").unwrap_or_default();
            let outline = node
                .children()
                .find(|x| x.has_tag_name("path") || x.has_tag_name("polygon"))
                .expect("outline");
            let dash = outline.attribute("stroke-dasharray");
            if n.disconnected {
                assert!(
                    class.contains("flagged") && class.contains("disconnected-node"),
                    "{name}: {class}"
                );
                assert_eq!(dash, Some("1,5"), "{name}: {} dotted", n.id);
                flagged += 1;
            } else if n.unmeasured {
                assert!(
                    class.contains("flagged") && class.contains("unmeasured-"),
                    "{name}: {class}"
                );
                assert_eq!(dash, Some("5,2"), "{name}: {} dashed", n.id);
                flagged += 1;
            } else {
                assert_eq!(dash, None, "{name}: {} plain", n.id);
            }
            // The whole label (wrapped), then the findings on a line of their own.
            let mut lines = texts(node);
            if let Some(note) = n.note() {
                assert_eq!(lines.pop(), Some(note), "{name}: {}", n.id);
            }
            assert_eq!(
                lines.join(" "),
                n.label.split_whitespace().collect::<Vec<_>>().join(" "),
                "{name}: {}",
                n.id
            );
        }
        for (i, a) in m.assumptions.iter().enumerate() {
            let id = format!("assumption:{}", a.id.value);
            let note = titled("node", &id).unwrap_or_else(|| panic!("{name}: {id}"));
            let status = a
                .status
                .as_ref()
                .map(|s| s.value)
                .unwrap_or_default()
                .as_str();
            let lines = texts(note);
            assert_eq!(lines[0], format!("A{} · {status}", i + 1), "{name}");
            assert_eq!(
                lines[1..].join(" "),
                a.text
                    .value
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                "{name}: the whole text"
            );
            for t in &a.applies_to {
                let t = &t.written;
                match t.value.split_once("->") {
                    Some((from, to)) => {
                        let edge =
                            titled("edge", &format!("{}&#45;&gt;{}", from.trim(), to.trim()))
                                .or_else(|| {
                                    titled("edge", &format!("{}->{}", from.trim(), to.trim()))
                                })
                                .unwrap_or_else(|| panic!("{name}: edge {}", t.value));
                        let label = texts(edge).join(" ");
                        assert!(
                            label.split(", ").any(|x| x == format!("A{}", i + 1)),
                            "{name}: {} labelled {label:?}",
                            t.value
                        );
                    }
                    None => {
                        let join = format!("{id}->{}", t.value.trim());
                        let edge =
                            titled("edge", &join).unwrap_or_else(|| panic!("{name}: {join}"));
                        let line = edge
                            .children()
                            .find(|x| x.has_tag_name("path"))
                            .expect("path");
                        assert_eq!(
                            line.attribute("stroke-dasharray"),
                            Some("5,2"),
                            "{name}: dashed join"
                        );
                    }
                }
            }
        }
    }
    if graphviz {
        assert!(flagged >= 6, "only {flagged} flagged nodes were checked");
    }
}

/// Graphviz decodes HTML entities in every string, so a label that reads `&lt;` or `&#60;`
/// must reach the drawing as those characters, not as `<`.
#[test]
fn dot_labels_survive_graphviz_entity_decoding() {
    if !require(
        "dot",
        &["-V"],
        "dot_labels_survive_graphviz_entity_decoding",
    ) {
        return;
    }
    let label = r#"Fish &amp; chips &lt;b&gt; &#60; &#x3c; & \N \G "q""#;
    let src = format!(
        "title: \"T &amp; U\"\noutputs:\n  - id: o\n    label: '{}'\n",
        label.replace('\'', "''")
    );
    let c = elmo::compile(&src);
    let text = elmo::render::dot::dot(
        c.model.as_ref().expect("model"),
        c.graph.as_ref().expect("graph"),
        &c.diagnostics,
    );
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("dot runs");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), text.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("dot finishes");
    let svg = String::from_utf8(out.stdout).expect("utf-8");
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(&svg, options).expect("XML");
    let title = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name("g"))
        .expect("graph");
    assert_eq!(texts(title).first().map(String::as_str), Some("T &amp; U"));
    let node = doc
        .descendants()
        .find(|n| {
            n.attribute("class").is_some_and(|c| c.starts_with("node"))
                && n.children()
                    .any(|t| t.has_tag_name("title") && t.text() == Some("o"))
        })
        .expect("the node");
    let mut lines = texts(node);
    assert_eq!(lines.pop().as_deref(), Some("no measure yet"));
    let want = label.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(lines.join(" "), want);
}
