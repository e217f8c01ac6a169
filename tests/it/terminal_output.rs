//! What people and CI runners read: diagnostics on any line length and in any number, drawn
//! in time linear in their count, with nothing from the model able to drive the terminal or
//! pass for a workflow command.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use elmo::emit::human::{Human, Style};

fn elmo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_elmo"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR")
        .output()
        .expect("elmo runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("terminal_output");
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

/// A model written on one line, as JSON, with a title of `pad` characters and `nodes` nodes
/// whose every link names a missing node.
fn one_line_model(pad: usize, nodes: usize) -> String {
    let items: Vec<String> = (0..nodes)
        .map(|i| format!(r#"{{"id": "n{i}", "label": "Node {i}", "leads_to": ["gone{i}"]}}"#))
        .collect();
    format!(
        r#"{{"title": "{}", "inputs": [{}]}}"#,
        "é".repeat(pad),
        items.join(", ")
    )
}

#[test]
fn a_diagnostic_past_column_65535_is_drawn_as_an_excerpt_with_its_real_column() {
    let src = one_line_model(70_000, 3);
    let compiled = elmo::compile(&src);
    let last = compiled.diagnostics.last().expect("diagnostics");
    let column = src[..last.span.start].chars().count() + 1;
    assert!(column > 65_535);
    let human = Human::new("one-line.yaml", &src, Style::plain(100));
    let report = human.diagnostic(last);
    assert!(
        report.contains(&format!("╭─[one-line.yaml:1:{column}]")),
        "{report}"
    );
    assert!(
        report.contains(" 1 │ …"),
        "an excerpt, marked as one: {report}"
    );
    assert!(
        report.lines().all(|l| l.chars().count() < 200),
        "no line is drawn whole: {report}"
    );

    // Every command that prints diagnostics, on the same file.
    let path = tmp("one-line.yaml", src.as_bytes());
    let path = path.to_str().expect("utf-8 path");
    for args in [
        vec!["check", path],
        vec!["check", "--color", "always", path],
        vec!["render", path, "-o", "-"],
        vec!["report", path],
    ] {
        let o = elmo(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", text(&o.stderr));
        let shown = text(&o.stdout) + &text(&o.stderr);
        assert!(shown.contains("unknown-reference"), "{args:?}: {shown}");
    }
}

#[test]
fn a_related_label_far_away_gets_its_own_snippet() {
    let filler = "# filler\n".repeat(5_000);
    let src = format!(
        "title: T\nmeasures:\n  - id: m\n    label: M\n{filler}sources:\n  - id: m\n    label: S\n"
    );
    let compiled = elmo::compile(&src);
    let d = compiled
        .diagnostics
        .iter()
        .find(|d| d.code == elmo::Code::DuplicateId)
        .expect("duplicate id");
    let report = Human::new("far.yaml", &src, Style::plain(100)).diagnostic(d);
    assert_eq!(report.matches("╭─[far.yaml:").count(), 2, "{report}");
    assert!(report.lines().count() < 30, "{report}");
    assert!(report.contains("5006 │   - id: m"), "{report}");
}

#[test]
fn human_output_is_capped_per_code_with_a_count_of_the_rest() {
    let src = one_line_model(0, 500);
    let path = tmp("many.yaml", src.as_bytes());
    let o = elmo(&["check", path.to_str().expect("utf-8 path")]);
    let out = text(&o.stdout);
    assert_eq!(
        out.matches("× `leads_to` names").count(),
        elmo::emit::human::PER_CODE
    );
    assert!(
        out.contains(
            "… and 480 more `unknown-reference` like this; `elmo check --format json` lists them all"
        ),
        "{out}"
    );
    assert!(out.contains("500 errors, 0 warnings in 1 file"), "{out}");
    let json = elmo(&["check", "--format", "json", path.to_str().expect("path")]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(
        v["files"][0]["diagnostics"].as_array().map(Vec::len),
        Some(500)
    );
}

/// The bytes a terminal or a CI log acts on, other than line breaks.
fn controls(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| (c.is_control() && c != '\n') || matches!(c, '\u{2028}' | '\u{2029}'))
        .collect()
}

#[test]
fn control_characters_from_a_model_never_reach_the_terminal() {
    let evil = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\r\u{85}x";
    // Escapes decoded by YAML reach the messages; raw ones sit in the lines a snippet shows.
    let src = format!(
        "title: \"{t}\"\ninputs:\n  - id: a\n    label: \"{t}\"\n    leads_to: [\"{t}\", b{evil}]\n    \"{t}\": 1\n",
        t = "T \\e]0;pwned\\a \\e[2J \\x9b \\r\\N \\u2028"
    );
    let name = format!("evil{evil}.yaml").replace(['\r', '\u{85}'], "");
    let path = tmp(&name, src.as_bytes());
    let path = path.to_str().expect("utf-8 path");
    for args in [
        vec!["check", "--color", "never", path],
        vec!["render", path, "-o", "-"],
        vec!["check", "--color", "never", "/no/such/dir/\u{1b}[2J.yaml"],
    ] {
        let o = elmo(&args);
        for (stream, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
            let shown = text(bytes);
            assert_eq!(
                controls(&shown),
                Vec::<char>::new(),
                "{args:?} {stream}: {shown}"
            );
        }
    }
    // With colour, the only escapes are elmo's own colour codes.
    let o = elmo(&["check", "--color", "always", path]);
    let shown = text(&o.stdout);
    for (i, _) in shown.match_indices('\u{1b}') {
        let rest = &shown[i + 1..];
        let sgr = rest.strip_prefix('[').is_some_and(|r| {
            let end = r.find(|c: char| !(c.is_ascii_digit() || c == ';'));
            end.is_some_and(|e| r[e..].starts_with('m'))
        });
        assert!(
            sgr,
            "a non-colour escape: {:?}",
            &rest[..rest.len().min(12)]
        );
    }
    assert!(!shown.contains("]0;pwned\u{7}"), "{shown}");
}

#[test]
fn no_line_of_output_starts_with_text_from_the_model() {
    // However the wrapping falls, a workflow command hidden in an id must not start a line,
    // even after the spaces a CI runner strips.
    let model = |pad: usize| {
        let id = format!("{}::error file=a,line=1::PWNED", "x".repeat(pad));
        format!(
            "title: T\ninputs:\n  - id: a\n    label: A\n    leads_to: [\"{id} ##[error]more ##vso[task.complete]\"]\n"
        )
    };
    let starts_a_command = |out: &str| {
        out.lines()
            .map(str::trim_start)
            .find(|l| l.starts_with("::") || l.starts_with("##"))
            .map(str::to_string)
    };
    for pad in 0..60 {
        let src = model(pad);
        let compiled = elmo::compile(&src);
        for width in [60, 80, 100] {
            let out = Human::new("wrap.yaml", &src, Style::plain(width))
                .diagnostics(&compiled.diagnostics);
            assert_eq!(starts_a_command(&out), None, "pad {pad}, width {width}");
        }
    }
    let path = tmp("wrap.yaml", model(25).as_bytes());
    let o = Command::new(env!("CARGO_BIN_EXE_elmo"))
        .args(["check", "--color", "never", path.to_str().expect("path")])
        .env("COLUMNS", "80")
        .output()
        .expect("elmo runs");
    assert_eq!(starts_a_command(&text(&o.stdout)), None);
}

#[test]
fn a_missing_file_is_reported_alone_without_a_summary() {
    for format in ["human", "json", "github", "sarif"] {
        let o = elmo(&["check", "--format", format, "no/such/model.yaml"]);
        assert_eq!(o.status.code(), Some(2), "{format}");
        assert_eq!(text(&o.stdout), "", "{format}: nothing reads like success");
        let err = text(&o.stderr);
        assert!(
            err.starts_with("error: cannot read no/such/model.yaml: ") && err.lines().count() == 1,
            "{format}: {err}"
        );
    }
    // Next to a file that was read, the summary counts only that one.
    let good = "tests/fixtures/diagnostics/clean.yaml";
    let o = elmo(&["check", "no/such/model.yaml", good]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stdout).contains("0 errors, 0 warnings in 1 file"));
}

#[test]
fn the_largest_max_file_size_reads_the_whole_file_instead_of_wrapping_to_nothing() {
    let good = "tests/fixtures/diagnostics/clean.yaml";
    for max in [u64::MAX.to_string(), usize::MAX.to_string()] {
        let o = elmo(&["check", "--max-file-size", &max, good]);
        assert_eq!(o.status.code(), Some(0), "{max}: {}", text(&o.stdout));
        assert!(!text(&o.stdout).contains("empty"), "{}", text(&o.stdout));
    }
    let limits = elmo::Limits {
        max_file_size: usize::MAX,
        ..elmo::Limits::default()
    };
    assert_eq!(limits.read_cap(), u64::MAX);
    assert_eq!(elmo::Limits::default().read_cap(), 10 * 1024 * 1024 + 1);
}

#[test]
fn diff_text_shows_control_characters_from_either_model_as_symbols() {
    let model = |label: &str| {
        format!(
            "title: T\ninputs:\n  - id: a\n    label: \"{label}\"\n    leads_to: [b]\nsystemic_impacts:\n  - id: b\n    label: B\n"
        )
    };
    let old = tmp("diff-old.yaml", model("plain").as_bytes());
    let new = tmp(
        "diff-new.yaml",
        model("x \\e[2J \\x9b31m \\x7f \\u2028 \\e]0;t\\a").as_bytes(),
    );
    let o = elmo(&[
        "diff",
        old.to_str().expect("path"),
        new.to_str().expect("path"),
    ]);
    let shown = text(&o.stdout);
    assert!(shown.contains("label"), "{shown}");
    assert_eq!(controls(&shown), Vec::<char>::new(), "{shown}");
}
