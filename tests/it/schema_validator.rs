//! `elmo schema` checked by a JSON Schema validator nobody here wrote (check-jsonschema):
//! every bundled model and `init` template validates, and common mistakes are rejected.
//! Under `CI=true` a missing validator fails the test; elsewhere it says loudly it skipped.

use crate::common::require;
use std::path::{Path, PathBuf};
use std::process::Command;

/// check-jsonschema, when it is here (see [`require`]).
fn validator() -> Option<PathBuf> {
    require("check-jsonschema", &["--version"], "schema validator tests")
        .then(|| PathBuf::from("check-jsonschema"))
}

fn dir() -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("schema-validator");
    std::fs::create_dir_all(&d).expect("dir");
    d
}

fn validate(v: &Path, schema: &Path, files: &[PathBuf]) -> std::process::Output {
    Command::new(v)
        .arg("--schemafile")
        .arg(schema)
        .args(files)
        .output()
        .expect("validator runs")
}

fn schema_file() -> PathBuf {
    let path = dir().join("elmo.schema.json");
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&elmo::model::schema()).expect("json"),
    )
    .expect("write");
    path
}

#[test]
fn models_and_templates_validate() {
    let Some(v) = validator() else { return };
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("models"))
            .expect("models")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
    for (name, t) in [
        ("blank", elmo::init::Template::Blank),
        ("reoffending", elmo::init::Template::Reoffending),
        ("cls", elmo::init::Template::CommunityLedSupport),
        ("alcohol", elmo::init::Template::AlcoholTreatment),
    ] {
        let p = dir().join(format!("template-{name}.yaml"));
        std::fs::write(&p, elmo::init::text(t)).expect("write");
        files.push(p);
    }
    let o = validate(&v, &schema_file(), &files);
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn mistakes_are_rejected() {
    let Some(v) = validator() else { return };
    let schema = schema_file();
    for (name, text, expect) in [
        (
            "misspelt-key",
            "title: t\ninputs:\n  - id: a\n    label: A\n    lead_to: [b]\n",
            "lead_to",
        ),
        (
            "wrong-enum",
            "title: t\nmeasures:\n  - id: m\n    label: M\n    kind: numeric\n",
            "numeric",
        ),
        ("missing-label", "title: t\noutputs:\n  - id: a\n", "label"),
    ] {
        let p = dir().join(format!("{name}.yaml"));
        std::fs::write(&p, text).expect("write");
        let o = validate(&v, &schema, &[p]);
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!o.status.success(), "{name} should be rejected");
        assert!(report.contains(expect), "{name}: {report}");
    }
}

#[test]
fn committed_schema_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("elmo.schema.json");
    let want = serde_json::to_string_pretty(&elmo::model::schema()).expect("json") + "\n";
    if std::env::var_os("ELMO_BLESS").is_some() {
        std::fs::write(&path, &want).expect("write");
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap_or_default(),
        want,
        "elmo.schema.json is stale: run `ELMO_BLESS=1 cargo test --test it schema_validator::`"
    );
}
