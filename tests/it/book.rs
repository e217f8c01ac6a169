//! The book's lint pages are generated from the lint registry, so they cannot drift from
//! `elmo explain`. Run with `ELMO_BLESS=1` to rewrite them after changing a lint's docs.

use std::path::Path;

#[test]
fn lint_pages_match_the_registry() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src/lints");
    let bless = std::env::var_os("ELMO_BLESS").is_some();
    let summary = std::fs::read_to_string(dir.join("../SUMMARY.md")).expect("book/src/SUMMARY.md");
    for lint in elmo::lint::LINTS {
        let path = dir.join(format!("{}.md", lint.code));
        let want = lint.page();
        if bless {
            std::fs::create_dir_all(&dir).expect("lints dir");
            std::fs::write(&path, &want).expect("write page");
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            have,
            want,
            "{} is stale: run `ELMO_BLESS=1 cargo test --test it book::`",
            path.display()
        );
        assert!(
            summary.contains(&format!("(lints/{}.md)", lint.code)),
            "SUMMARY.md lacks {}",
            lint.code
        );
    }
}

/// The Diagnostics page's table of codes is generated from the registry like the pages it
/// links to, so a new lint's row cannot be forgotten.
#[test]
fn the_diagnostics_table_matches_the_registry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src/lints/README.md");
    let page = std::fs::read_to_string(&path).expect("book/src/lints/README.md");
    let table = elmo::lint::table();
    if std::env::var_os("ELMO_BLESS").is_some() {
        let start = page.find("| code |").expect("the page has a table");
        let end = page[start..]
            .find("\n\n")
            .map_or(page.len(), |i| start + i + 1);
        let blessed = format!("{}{table}{}", &page[..start], &page[end..]);
        std::fs::write(&path, blessed).expect("write page");
        return;
    }
    assert!(
        page.contains(&table),
        "{} is stale: run `ELMO_BLESS=1 cargo test --test it book::`",
        path.display()
    );
}

#[test]
fn explain_markdown_prints_the_same_page() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_elmo"))
        .args(["explain", "unmeasured-outcome", "--markdown"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        elmo::Code::UnmeasuredOutcome.lint().page()
    );
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_elmo"))
        .args(["explain", "unmeasured-outcom"])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("did you mean `unmeasured-outcome`?"));
}

#[test]
fn explain_prints_plain_text_for_a_terminal_not_markdown() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_elmo"))
        .args(["explain", "unmeasured-outcome"])
        .env("COLUMNS", "80")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let lint = elmo::Code::UnmeasuredOutcome.lint();
    assert!(text.starts_with("unmeasured-outcome: "), "{text}");
    for heading in ["WHY IT MATTERS", "EXAMPLE", "FIX"] {
        assert!(text.lines().any(|l| l == heading), "{heading}: {text}");
    }
    for markdown in ["# ", "**", "```"] {
        assert!(!text.contains(markdown), "Markdown `{markdown}` in: {text}");
    }
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    // The words are the page's, wrapped.
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words(&text).contains(&words(lint.why)), "{text}");
    assert!(
        text.contains(
            &lint
                .example
                .lines()
                .map(|l| format!("    {l}\n"))
                .collect::<String>()
        )
    );
}

#[test]
fn bare_explain_lists_every_code() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_elmo"))
            .args(args)
            .output()
            .expect("runs")
    };
    let bare = run(&["explain"]);
    assert_eq!(bare.status.code(), Some(0));
    assert_eq!(bare.stdout, run(&["explain", "--list"]).stdout);
    let text = String::from_utf8_lossy(&bare.stdout);
    for code in elmo::Code::ALL {
        assert!(
            text.lines().any(|l| l.starts_with(&format!("{code} "))),
            "{code} missing: {text}"
        );
    }
}

#[test]
fn explain_list_lines_up_every_code() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_elmo"))
        .args(["explain", "--list"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), elmo::lint::LINTS.len());
    // The level column starts at the same place on every line, however long the code.
    let columns: Vec<usize> = lines
        .iter()
        .filter_map(|l| l.find(" warning ").or_else(|| l.find(" error ")))
        .collect();
    assert_eq!(columns.len(), lines.len(), "{text}");
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{text}");
}

/// The tutorial's prose says what each step's check finds; the transcripts are generated at
/// build time, so this pins the claims the prose makes about them.
#[test]
fn tutorial_steps_find_what_the_tutorial_says() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src/tutorial");
    let cases: [(&str, &[&str]); 6] = [
        ("step-1.yaml", &["missing-stage"]),
        (
            "step-2.yaml",
            &[
                "unmeasured-output",
                "unmeasured-outcome",
                "unmeasured-outcome",
                "unmeasured-outcome",
            ],
        ),
        (
            "step-3a.yaml",
            &["no-qualitative-measure", "undefined-rate", "undefined-rate"],
        ),
        ("step-3.yaml", &[]),
        ("step-4.yaml", &[]),
        ("typo.yaml", &["unknown-reference"]),
    ];
    for (file, want) in cases {
        let src = std::fs::read_to_string(dir.join(file)).expect(file);
        let compiled = elmo::compile(&src);
        let codes: Vec<String> = compiled
            .diagnostics
            .iter()
            .map(|d| d.code.to_string())
            .collect();
        assert_eq!(codes, want, "{file}");
    }
    let step4 = elmo::compile(&std::fs::read_to_string(dir.join("step-4.yaml")).expect("step 4"));
    let r = step4.readiness().expect("readiness");
    assert!(
        r.summary()
            .contains("1 assumption: 0 holding, 0 challenged, 0 refuted, 1 untested"),
        "{}",
        r.summary()
    );
}

/// The book's limits are written in by the preprocessor (`{{#elmo-limit NAME}}`, see
/// `examples/mdbook_elmo.rs`) from `elmo::Limits`, so they cannot drift from the code again
/// (the book once said 2,000,000 where the code had 1,000,000 and 100,000).
#[test]
fn the_book_takes_its_limits_from_the_code() {
    let limits = elmo::Limits::default().named();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src");
    let mut pages = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("book folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(&path).expect("page");
                pages.push((path, text));
            }
        }
    }
    for (path, text) in &pages {
        for (i, _) in text.match_indices("{{#elmo-limit ") {
            let inside = text[i + 14..].split("}}").next().unwrap_or_default();
            let name = inside.split_whitespace().next().unwrap_or_default();
            assert!(
                limits.iter().any(|(n, _)| *n == name),
                "{}: no limit `{name}`",
                path.display()
            );
        }
        // A limit written out by hand would go stale with the next change to the code.
        for (name, value) in limits.iter().filter(|(_, v)| *v >= 1_000) {
            for written in [elmo::emit::human::thousands(*value), value.to_string()] {
                for (i, _) in text.match_indices(&written) {
                    assert!(
                        text[..i].ends_with("per "),
                        "{} writes {name} as {written}: use {{{{#elmo-limit {name}}}}}",
                        path.display()
                    );
                }
            }
        }
    }
    // The page that sets out the limits names every one of them.
    let (_, parser) = pages
        .iter()
        .find(|(p, _)| p.ends_with("design/yaml-parser.md"))
        .expect("design/yaml-parser.md");
    for (name, _) in limits {
        assert!(
            parser.contains(&format!("{{{{#elmo-limit {name}")),
            "design/yaml-parser.md does not state {name}"
        );
    }
}
