//! Every bundled model is clean: no errors and no warnings.

#[test]
fn bundled_models_are_clean() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).expect("models/ exists") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        count += 1;
        let src = std::fs::read_to_string(&path).expect("readable");
        let c = elmo::compile(&src);
        assert_eq!(c.diagnostics, vec![], "{} is not clean", path.display());
        let model = c.model.expect("model");
        assert!(
            model.nodes().count() >= 12,
            "{} is too small to be a real model",
            path.display()
        );
        assert!(!model.assumptions.is_empty());
    }
    assert!(
        count >= 4,
        "expected at least four bundled models, found {count}"
    );
}

#[test]
fn the_pooled_cohort_is_what_keeps_the_reoffending_model_clean() {
    // One year's custody leavers cannot show 42.5% -> 34%; the model pools three years.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("models/reoffending-nine-dimensions.yaml");
    let src = std::fs::read_to_string(path).expect("readable");
    assert!(src.contains("    cohort: 540"));
    let one_year = src.replacen("    cohort: 540", "    cohort: 180", 1);
    let d = elmo::compile(&one_year).diagnostics;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, elmo::Code::UnderpoweredCohort);
    assert!(
        d[0].message
            .contains("detecting 42.5 % → 34 % needs about 512 people per group; the plan has 180"),
        "{}",
        d[0].message
    );
}

/// Where `text` names one of the project's internal source documents by its number (the word
/// "seed", an optional space, underscore, hyphen or line break, then 0 and two digits).
/// Users never see those files, so a citation must give the source's title and publisher.
fn internal_source_number(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    lower.match_indices("seed").map(|(i, _)| i).find(|&i| {
        let rest = lower[i + 4..].trim_start_matches([' ', '\t', '\n', '\r']);
        let rest = rest.strip_prefix(['_', '-']).unwrap_or(rest);
        let b = rest.as_bytes();
        b.len() >= 3 && b[0] == b'0' && b[1].is_ascii_digit() && b[2].is_ascii_digit()
    })
}

#[test]
fn nothing_users_see_cites_a_source_document_by_its_number() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    let mut dirs = vec![
        root.join("models"),
        root.join("templates"),
        root.join("book/src"),
        root.join("src"),
    ];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 20, "too few files found: {}", files.len());
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if let Some(at) = internal_source_number(&text) {
            let line = text[..at].lines().count().max(1);
            panic!(
                "{}:{line} names a source document by number; cite its title and publisher",
                path.display()
            );
        }
    }
    // The check itself finds the forms it is meant to catch.
    assert!(internal_source_number("(Seed 003)").is_some());
    assert!(internal_source_number("target (seed\n      002), though").is_some());
    assert!(internal_source_number("seed_004").is_some());
    assert!(internal_source_number("a fixed seed, so 001").is_none());
    assert!(internal_source_number("let mut seed = 0x9e37").is_none());
}
