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
