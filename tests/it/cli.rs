//! The command line as a user runs it: exit codes, formats, lint levels and hostile input.

use crate::common::{elmo, stdout};
use std::path::{Path, PathBuf};
use std::process::Output;

fn tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).expect("valid JSON on stdout")
}

const FIX: &str = "tests/fixtures/diagnostics";

#[test]
fn bundled_models_pass_and_a_folder_expands() {
    let o = elmo(&["check", "models"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let text = stdout(&o);
    let files = std::fs::read_dir("models")
        .map(|d| {
            d.filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "yaml"))
            })
            .count()
        })
        .unwrap_or(0);
    // Each model's results files are checked with it, and counted in the summary.
    let results: usize = crate::common::models()
        .iter()
        .filter_map(|(_, src)| elmo::compile(src).model)
        .map(|m| m.results.len())
        .sum();
    // The summary line, then one readiness line per model.
    let summary = format!("0 errors, 0 warnings in {} files\n", files + results);
    let tail = text
        .split_once(&summary)
        .map(|(_, t)| t)
        .unwrap_or_default();
    assert_eq!(
        tail.lines()
            .filter(|l| l.starts_with("readiness of models/"))
            .count(),
        files,
        "{text}"
    );
}

#[test]
fn errors_exit_one_and_warnings_exit_zero() {
    assert_eq!(
        elmo(&["check", &format!("{FIX}/cycle.yaml")]).status.code(),
        Some(1)
    );
    let o = elmo(&["check", &format!("{FIX}/unmeasured-output.yaml")]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("0 errors, 1 warning in 1 file"));
}

#[test]
fn many_files_summarise_together() {
    let o = elmo(&[
        "check",
        &format!("{FIX}/cycle.yaml"),
        &format!("{FIX}/unmeasured-output.yaml"),
        &format!("{FIX}/clean.yaml"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    let (_, tail) = text
        .split_once("1 error, 1 warning in 3 files\n")
        .unwrap_or_default();
    let files: Vec<&str> = tail
        .lines()
        .filter_map(|l| l.strip_prefix("readiness of "))
        .filter_map(|l| l.split_once(": ").map(|(path, _)| path))
        .collect();
    assert_eq!(
        files,
        [
            format!("{FIX}/cycle.yaml"),
            format!("{FIX}/unmeasured-output.yaml"),
            format!("{FIX}/clean.yaml")
        ],
        "{text}"
    );
}

#[test]
fn readiness_follows_the_summary_and_extends_the_json() {
    let f = format!("{FIX}/refuted-assumption.yaml");
    let text = stdout(&elmo(&["check", &f]));
    assert!(
        text.ends_with(
            "0 errors, 1 warning in 1 file\nreadiness: 2/2 outcomes measured (100%), 4/4 measures complete (100%), 1 assumption: 0 holding, 0 challenged, 1 refuted, 0 untested\n"
        ),
        "{text}"
    );
    let j = json(&elmo(&["check", "--format", "json", &f]));
    assert_eq!(
        j["files"][0]["readiness"],
        serde_json::json!({
            "outcomes_measured": {"count": 2, "total": 2},
            "measures_complete": {"count": 4, "total": 4},
            "assumptions_tested": {"count": 1, "total": 1},
            "assumptions": {"holding": 0, "challenged": 0, "refuted": 1, "untested": 0},
            "challenged": []
        })
    );
    // A file with no model has nothing to be ready.
    let broken = tmp("not-a-model.yaml", b"- a list\n");
    let j = json(&elmo(&[
        "check",
        "--format",
        "json",
        broken.to_str().unwrap_or_default(),
    ]));
    assert!(j["files"][0].get("readiness").is_none(), "{j}");
}

#[test]
fn usage_and_io_problems_exit_two() {
    let o = elmo(&["check", "no/such/file.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read no/such/file.yaml"));
    let o = elmo(&[
        "check",
        "-D",
        "unmeasured-outcom",
        &format!("{FIX}/clean.yaml"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `unmeasured-outcome`?"));
    assert_eq!(
        elmo(&["check", "-A", "cycle", &format!("{FIX}/clean.yaml")])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(elmo(&["check"]).status.code(), Some(2));
    assert_eq!(elmo(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn lint_levels_from_flags_and_file() {
    let f = format!("{FIX}/unmeasured-output.yaml");
    assert_eq!(
        elmo(&["check", "-D", "warnings", &f]).status.code(),
        Some(1)
    );
    assert_eq!(
        elmo(&["check", "-D", "unmeasured-output", &f])
            .status
            .code(),
        Some(1)
    );
    let o = elmo(&["check", "-A", "unmeasured-output", &f]);
    assert!(
        stdout(&o).contains("0 errors, 0 warnings"),
        "{}",
        stdout(&o)
    );
    // A later flag overrides an earlier one.
    assert_eq!(
        elmo(&[
            "check",
            "-D",
            "unmeasured-output",
            "-W",
            "unmeasured-output",
            &f
        ])
        .status
        .code(),
        Some(0)
    );
    assert_eq!(
        elmo(&[
            "check",
            "-W",
            "unmeasured-output",
            "-D",
            "unmeasured-output",
            &f
        ])
        .status
        .code(),
        Some(1)
    );

    let src = std::fs::read_to_string(&f).expect("fixture");
    let denied = tmp(
        "lints-deny.yaml",
        format!("{src}lints:\n  unmeasured-output: deny\n").as_bytes(),
    );
    assert_eq!(
        elmo(&["check", denied.to_str().unwrap_or_default()])
            .status
            .code(),
        Some(1)
    );
    // The command line outranks the file.
    assert_eq!(
        elmo(&[
            "check",
            "-W",
            "unmeasured-output",
            denied.to_str().unwrap_or_default()
        ])
        .status
        .code(),
        Some(0)
    );
}

#[test]
fn allow_on_a_node_silences_only_that_node() {
    let src = std::fs::read_to_string(format!("{FIX}/clean.yaml")).expect("fixture");
    let src = src
        .replace(
            "    measures: [leavers-stories]\n",
            "    allow: [{code: unmeasured-outcome, reason: a generation away}]\n",
        )
        .replace("    measures: [confidence-score]\n", "")
        .replace(
            "    frequency: yearly\n",
            "    frequency: yearly\n    allow: [unused-measure]\n",
        );
    let f = tmp("allow.yaml", src.as_bytes());
    let o = elmo(&[
        "check",
        "--format",
        "json",
        "-D",
        "warnings",
        f.to_str().unwrap_or_default(),
    ]);
    let j = json(&o);
    let codes: Vec<&str> = j["files"][0]["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(
        codes,
        ["unmeasured-outcome", "unused-measure"],
        "confidence is still unmeasured; qualifications is allowed"
    );
    assert_eq!(
        j["files"][0]["diagnostics"][0]["message"]
            .as_str()
            .map(|m| m.contains("`confidence`")),
        Some(true)
    );
}

#[test]
fn json_matches_the_contract() {
    let o = elmo(&[
        "check",
        "--format",
        "json",
        &format!("{FIX}/unknown-reference.yaml"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let j = json(&o);
    assert_eq!(j["errors"], 1);
    assert_eq!(j["warnings"], 0);
    let d = &j["files"][0]["diagnostics"][0];
    assert_eq!(
        j["files"][0]["path"],
        format!("{FIX}/unknown-reference.yaml")
    );
    assert_eq!(d["code"], "unknown-reference");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        (
            d["line"].as_u64(),
            d["column"].as_u64(),
            d["end_line"].as_u64(),
            d["end_column"].as_u64()
        ),
        (Some(15), Some(16), Some(15), Some(26))
    );
    assert_eq!(d["help"], "did you mean `confidence`?");
}

#[test]
fn human_report_has_snippet_code_and_help_without_colour_off_a_terminal() {
    let o = elmo(&["check", &format!("{FIX}/unknown-reference.yaml")]);
    let text = stdout(&o);
    assert!(!text.contains('\u{1b}'), "no colour when piped");
    for want in [
        "unknown-reference",
        "leads_to: [confidance]",
        "did you mean `confidence`?",
        "unknown-reference.yaml:15:16",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    assert!(
        stdout(&elmo(&[
            "check",
            "--color",
            "always",
            &format!("{FIX}/cycle.yaml")
        ]))
        .contains('\u{1b}')
    );
}

fn one_error(name: &str, bytes: &[u8], code: &str) {
    let f = tmp(name, bytes);
    let o = elmo(&["check", "--format", "json", f.to_str().unwrap_or_default()]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{name}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let j = json(&o);
    let diags = j["files"][0]["diagnostics"]
        .as_array()
        .expect("array")
        .clone();
    assert_eq!(diags.len(), 1, "{name}: {diags:?}");
    assert_eq!(diags[0]["code"], code, "{name}");
}

#[test]
fn hostile_and_broken_input_gets_one_clear_error() {
    one_error("empty.yaml", b"", "yaml-syntax");
    one_error("comments-only.yaml", b"# nothing yet\n", "yaml-syntax");
    one_error("list-root.yaml", b"- a\n- b\n", "yaml-syntax");
    one_error("scalar-root.yaml", b"just some words\n", "yaml-syntax");
    one_error("latin1.yaml", b"title: caf\xe9\n", "yaml-syntax");
    one_error(
        "tabs.yaml",
        b"title: t\ninputs:\n\t- id: a\n",
        "yaml-syntax",
    );
    one_error("two-docs.yaml", b"title: a\n---\ntitle: b\n", "yaml-syntax");
    one_error(
        "deep-block.yaml",
        (String::from("title: t\ncontext:\n") + &"- ".repeat(100_000) + "x\n").as_bytes(),
        "limit-exceeded",
    );
    one_error(
        "deep-flow.yaml",
        (String::from("title: t\ncontext: ") + &"[".repeat(100_000) + &"]".repeat(100_000) + "\n")
            .as_bytes(),
        "limit-exceeded",
    );
    let mut bomb = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (prev, c) in ('a'..='h').zip('b'..='i') {
        bomb.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    one_error("alias-bomb.yaml", bomb.as_bytes(), "limit-exceeded");
    let big = "title: big\ncontext: \"".to_string() + &"x".repeat(11 * 1024 * 1024) + "\"\n";
    one_error("big.yaml", big.as_bytes(), "limit-exceeded");
}

#[test]
fn a_ten_megabyte_model_gets_one_diagnostic_in_bounded_time() {
    // Under the byte limit but with a quarter of a million nodes: the value limit refuses it early.
    let mut src = String::from("title: Many inputs\ninputs:\n");
    let mut i = 0;
    while src.len() < 10_000_000 {
        src.push_str(&format!("  - id: n{i}\n    label: Input number {i}\n"));
        i += 1;
    }
    let f = tmp("ten-mb.yaml", src.as_bytes());
    let o = elmo(&["check", "--format", "json", f.to_str().unwrap_or_default()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        json(&o)["files"][0]["diagnostics"][0]["code"],
        "limit-exceeded"
    );
}

#[test]
fn schema_is_json_schema_for_the_format() {
    let o = elmo(&["schema"]);
    assert_eq!(o.status.code(), Some(0));
    let s = json(&o);
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(s["required"], serde_json::json!(["title"]));
    assert_eq!(s["additionalProperties"], false);
    for key in [
        "title",
        "vision",
        "inputs",
        "systemic_impacts",
        "measures",
        "sources",
        "assumptions",
        "lints",
    ] {
        assert!(s["properties"][key].is_object(), "schema lacks {key}");
    }
    let node = &s["$defs"]["Node"];
    assert_eq!(node["required"], serde_json::json!(["id", "label"]));
    assert!(node["properties"]["leads_to"]["description"].is_string());
    let kinds: Vec<&str> = s["$defs"]["MeasureKind"]["oneOf"]
        .as_array()
        .expect("oneOf")
        .iter()
        .filter_map(|k| k["const"].as_str())
        .collect();
    assert_eq!(kinds, ["quantitative", "proxy", "qualitative"]);
    let f = tmp("schema.json", b"");
    assert_eq!(
        elmo(&["schema", "-o", f.to_str().unwrap_or_default()])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(std::fs::read(&f).expect("written"), o.stdout);
}

/// Hover and completion in an editor are only as good as the schema's words: every key has
/// a description, and an example or a closed list of values.
#[test]
fn every_schema_key_has_a_description_and_an_example() {
    fn walk(node: &serde_json::Value, path: &str, missing: &mut Vec<String>) {
        match node {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::Object(props)) = map.get("properties") {
                    for (key, p) in props {
                        if p.get("description").is_none() && p.get("$ref").is_none() {
                            missing.push(format!("{path}.{key}: description"));
                        }
                        if p.get("examples").is_none() && p.get("enum").is_none() {
                            missing.push(format!("{path}.{key}: examples"));
                        }
                    }
                }
                for (k, v) in map {
                    walk(v, &format!("{path}/{k}"), missing);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, path, missing)),
            _ => {}
        }
    }
    let s = json(&elmo(&["schema"]));
    let mut missing = Vec::new();
    walk(&s, "", &mut missing);
    assert!(missing.is_empty(), "{missing:#?}");
    assert_eq!(
        s["$defs"]["Measure"]["properties"]["direction"]["examples"],
        serde_json::json!(["increase"])
    );
}

#[test]
fn render_writes_svg_or_dot_and_refuses_models_with_errors() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli")
        .join("drawn.svg");
    let _ = std::fs::remove_file(&out);
    let o = elmo(&[
        "render",
        &format!("{FIX}/cycle.yaml"),
        "-o",
        out.to_str().unwrap_or_default(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists(), "nothing written for a model with errors");
    assert!(String::from_utf8_lossy(&o.stderr).contains("cycle"));

    let o = elmo(&[
        "render",
        &format!("{FIX}/clean.yaml"),
        "-o",
        out.to_str().unwrap_or_default(),
        "--theme",
        "dark",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let svg = std::fs::read_to_string(&out).expect("written");
    assert!(svg.starts_with("<svg") && svg.contains(r#"data-theme="dark""#));

    let o = elmo(&["render", &format!("{FIX}/clean.yaml"), "-o", "-"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("<svg"));
    let o = elmo(&[
        "render",
        &format!("{FIX}/clean.yaml"),
        "-o",
        "-",
        "--format",
        "dot",
    ]);
    assert!(stdout(&o).starts_with("digraph elmo {"));
    assert!(stdout(&o).contains("\"volunteers\" -> \"mentoring\";"));
}

#[test]
fn init_writes_clean_templates_and_never_overwrites() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("init");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    for t in [
        "blank",
        "reoffending",
        "community-led-support",
        "alcohol-treatment",
    ] {
        let f = dir.join(format!("{t}.yaml"));
        let o = elmo(&["init", f.to_str().unwrap_or_default(), "--template", t]);
        assert_eq!(o.status.code(), Some(0), "{t}");
        assert!(stdout(&o).contains("elmo check"));
        let c = elmo(&["check", "--format", "json", f.to_str().unwrap_or_default()]);
        assert_eq!(json(&c)["errors"], 0, "{t} checks without errors");
        assert_eq!(json(&c)["warnings"], 0, "{t} checks without warnings");
        let text = std::fs::read_to_string(&f).expect("written");
        assert!(text.starts_with("# yaml-language-server: $schema=elmo.schema.json"));
        for step in ["Surface", "Shape", "Sharpen", "Share"] {
            assert!(text.contains(step), "{t}: step {step} explained");
        }
    }
    assert!(
        dir.join("elmo.schema.json").exists(),
        "schema written beside the model"
    );
    let reoffending = std::fs::read_to_string(dir.join("reoffending.yaml")).expect("read");
    for dimension in [
        "ccommodation",
        "mployab",
        "rug",
        "lcohol",
        "elationships",
        "ttitudes",
    ] {
        assert!(
            reoffending.contains(dimension),
            "nine dimensions scaffold: {dimension}"
        );
    }
    // An existing file stays byte-identical without --force.
    let f = dir.join("blank.yaml");
    std::fs::write(&f, b"title: mine\n").expect("write");
    let o = elmo(&["init", f.to_str().unwrap_or_default()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(&f).expect("read"), b"title: mine\n");
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(
        elmo(&["init", f.to_str().unwrap_or_default(), "--force"])
            .status
            .code(),
        Some(0)
    );
    assert_ne!(std::fs::read(&f).expect("read"), b"title: mine\n");
    // A folder gets model.yaml inside it.
    assert_eq!(
        elmo(&["init", dir.to_str().unwrap_or_default()])
            .status
            .code(),
        Some(0)
    );
    assert!(dir.join("model.yaml").exists());
}

#[test]
fn node_and_link_limits_give_one_diagnostic() {
    let src = elmo::generate::layered_model(600, 1);
    let f = tmp("six-hundred.yaml", src.as_bytes());
    let o = elmo(&[
        "check",
        "--format",
        "json",
        "--max-nodes",
        "500",
        f.to_str().unwrap_or_default(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let j = json(&o);
    assert_eq!(
        j["files"][0]["diagnostics"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(j["files"][0]["diagnostics"][0]["code"], "limit-exceeded");
    assert!(
        j["files"][0]["diagnostics"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("more than 500 nodes"))
    );
    let o = elmo(&[
        "check",
        "--format",
        "json",
        "--max-links",
        "100",
        f.to_str().unwrap_or_default(),
    ]);
    assert!(
        json(&o)["files"][0]["diagnostics"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("more than 100 links"))
    );
    assert_eq!(
        elmo(&["check", f.to_str().unwrap_or_default()])
            .status
            .code(),
        Some(0)
    );
}

/// Every command that compiles a model takes `check`'s limits, so the help of a
/// `limit-exceeded` diagnostic ("raise the limit with `--max-nodes`") is true whichever
/// command printed it.
#[test]
fn render_report_and_diff_honour_the_limits() {
    let m = "models/peterborough-sib.yaml";
    let commands: [&[&str]; 3] = [&["render", m], &["report", m], &["diff", m, m]];
    for command in commands {
        assert_eq!(elmo(command).status.code(), Some(0), "{command:?}");
        // The help of the size limit wraps inside its flag's name, so its message is matched.
        for (flag, value, said) in [
            ("--max-nodes", "3", "`--max-nodes`"),
            ("--max-links", "2", "`--max-links`"),
            ("--max-file-size", "100", "over the limit of 100 bytes"),
        ] {
            let args: Vec<&str> = command.iter().copied().chain([flag, value]).collect();
            let o = elmo(&args);
            assert_eq!(o.status.code(), Some(1), "{args:?}");
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(
                err.contains("limit-exceeded") && err.contains(said),
                "{args:?}: {err}"
            );
            assert!(o.stdout.is_empty(), "{args:?}: nothing written");
        }
    }
}

/// `-D`, `-W` and `-A` mean for `render`, `report` and `diff` what they mean for `check`,
/// a later flag overriding an earlier one.
#[test]
fn render_report_and_diff_honour_lint_levels() {
    let warned = format!("{FIX}/unmeasured-output.yaml");
    let clean = format!("{FIX}/clean.yaml");
    let out = |args: &[&str]| {
        let o = elmo(args);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        (o.status.code(), stdout(&o), err)
    };

    let (code, svg, _) = out(&["render", &warned]);
    assert_eq!(code, Some(0));
    assert!(svg.contains("unmeasured-output"), "the warning is drawn");
    for deny in ["unmeasured-output", "warnings"] {
        let (code, svg, err) = out(&["render", &warned, "-D", deny]);
        assert_eq!(code, Some(1), "-D {deny}");
        assert!(svg.is_empty() && err.contains("nothing written"), "{err}");
    }
    let (code, svg, err) = out(&["render", &warned, "-A", "unmeasured-output"]);
    assert_eq!(code, Some(0));
    assert!(svg.contains("<svg") && !svg.contains("unmeasured-output"));
    assert!(!err.contains("warning"), "{err}");
    let (code, _, _) = out(&[
        "render",
        &warned,
        "-D",
        "unmeasured-output",
        "-A",
        "unmeasured-output",
    ]);
    assert_eq!(code, Some(0), "the later flag wins");
    let (code, _, _) = out(&[
        "render",
        &warned,
        "-A",
        "unmeasured-output",
        "-D",
        "unmeasured-output",
    ]);
    assert_eq!(code, Some(1), "the later flag wins");

    let (code, md, _) = out(&["report", &warned, "--audience", "team"]);
    assert_eq!(code, Some(0));
    assert!(md.contains("unmeasured-output"));
    let (code, md, _) = out(&["report", &warned, "-D", "unmeasured-output"]);
    assert_eq!((code, md.as_str()), (Some(1), ""));
    let (code, md, _) = out(&[
        "report",
        &warned,
        "--allow",
        "unmeasured-output",
        "--audience",
        "team",
    ]);
    assert_eq!(code, Some(0));
    // Allowed: no longer a finding, but listed as accepted so the report cannot read as clean.
    assert!(!md.contains("### unmeasured-output"), "{md}");
    assert!(
        md.contains("| `unmeasured-output` |") && md.contains("switched off for the whole model"),
        "{md}"
    );

    let (_, text, _) = out(&["diff", &clean, &warned]);
    assert!(text.contains("+ new warning [unmeasured-output]"), "{text}");
    let (_, text, _) = out(&["diff", &clean, &warned, "-D", "unmeasured-output"]);
    assert!(text.contains("+ new error [unmeasured-output]"), "{text}");
    let (_, text, _) = out(&["diff", &clean, &warned, "-A", "unmeasured-output"]);
    assert!(
        !text.contains("[unmeasured-output]") && text.contains("0 new diagnostics"),
        "{text}"
    );
    let (_, text, _) = out(&["diff", &clean, &warned, "-W", "warnings"]);
    assert!(text.contains("+ new warning [unmeasured-output]"), "{text}");
}

/// A level flag naming no configurable code stops every compiling command before it reads
/// or watches anything, as it stops `check`.
#[test]
fn every_compiling_command_refuses_an_unknown_lint_code() {
    let m = format!("{FIX}/clean.yaml");
    let commands: [&[&str]; 6] = [
        &["check", &m],
        &["render", &m],
        &["report", &m],
        &["diff", &m, &m],
        &["watch", &m, "-o", "never.svg"],
        &["serve", "--port", "0", &m],
    ];
    for command in commands {
        let args: Vec<&str> = command
            .iter()
            .copied()
            .chain(["-D", "unmeasured-outpt"])
            .collect();
        let o = elmo(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&o.stderr),
            "error: unknown lint code `unmeasured-outpt`: did you mean `unmeasured-output`?\n",
            "{args:?}"
        );
        let args: Vec<&str> = command.iter().copied().chain(["-A", "cycle"]).collect();
        assert_eq!(elmo(&args).status.code(), Some(2), "{args:?}");
    }
    assert!(!Path::new("never.svg").exists());
}
