//! SARIF 2.1.0, the format code-scanning services (GitHub code scanning, GitLab, Azure DevOps,
//! IDE viewers) read: the lint registry as the tool's rules, each diagnostic as a result.

use serde_json::{Value, json};

use super::FileReport;
use crate::diagnostic::Severity;
use crate::lint::{LINTS, Level};
use crate::span::LineIndex;

/// The schema the output conforms to.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// A path as a SARIF URI: relative paths stay relative (to the checkout, `%SRCROOT%`), with
/// `/` separators and everything outside RFC 3986's path characters percent-encoded.
pub fn artifact_uri(path: &str) -> (String, bool) {
    let mut p = path.replace('\\', "/");
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.to_string();
    }
    let absolute = p.starts_with('/');
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        let c = b as char;
        if c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/".contains(c) {
            out.push(c);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if absolute {
        (format!("file://{out}"), false)
    } else {
        (out, true)
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn rules() -> Vec<Value> {
    LINTS
        .iter()
        .map(|l| {
            let default = match l.default {
                Level::Deny => "error",
                Level::Warn => "warning",
                Level::Allow => "none",
            };
            json!({
                "id": l.code.as_str(),
                "shortDescription": {"text": l.summary},
                "fullDescription": {"text": l.why},
                "help": {"text": format!("{}\n\nRun `elmo explain {}` for an example and the fix.", l.why, l.code), "markdown": l.page()},
                "defaultConfiguration": {"level": default},
                "properties": {"configurable": l.configurable},
            })
        })
        .collect()
}

/// The SARIF log of `files`: one run, the registry's rules, one result per diagnostic.
pub fn sarif(files: &[FileReport<'_>]) -> Value {
    let rule_index = |code: crate::lint::Code| LINTS.iter().position(|l| l.code == code);
    let mut results = Vec::new();
    let mut artifacts = Vec::new();
    for f in files {
        let index = LineIndex::new(f.source);
        let (uri, relative) = artifact_uri(f.path);
        let mut location = json!({"uri": uri});
        if relative {
            location["uriBaseId"] = json!("%SRCROOT%");
        }
        artifacts.push(json!({"location": location.clone()}));
        let region = |span: crate::span::Span| {
            let (sl, sc) = index.line_col(f.source, span.start);
            let (el, ec) = index.line_col(f.source, span.end);
            json!({"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec})
        };
        for d in f.diagnostics {
            let mut text = d.message.clone();
            if let Some(h) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(h);
            }
            let mut result = json!({
                "ruleId": d.code.as_str(),
                "level": level(d.severity),
                "message": {"text": text},
                "locations": [{"physicalLocation": {
                    "artifactLocation": location.clone(),
                    "region": region(d.span),
                }}],
            });
            if let Some(i) = rule_index(d.code) {
                result["ruleIndex"] = json!(i);
            }
            if !d.related.is_empty() {
                result["relatedLocations"] = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, (span, note))| {
                        json!({
                            "id": i + 1,
                            "message": {"text": note},
                            "physicalLocation": {
                                "artifactLocation": location.clone(),
                                "region": region(*span),
                            },
                        })
                    })
                    .collect();
            }
            results.push(result);
        }
    }
    let mut driver = json!({
        "name": "elmo",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules(),
    });
    // The project has no public home yet; the link appears once Cargo.toml names one.
    if !env!("CARGO_PKG_REPOSITORY").is_empty() {
        driver["informationUri"] = json!(env!("CARGO_PKG_REPOSITORY"));
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(
            artifact_uri("./models/my model#1.yaml"),
            ("models/my%20model%231.yaml".to_string(), true)
        );
        assert_eq!(artifact_uri("models\\a.yaml").0, "models/a.yaml");
        assert_eq!(
            artifact_uri("/tmp/a.yaml"),
            ("file:///tmp/a.yaml".to_string(), false)
        );
        assert_eq!(artifact_uri("modèle.yaml").0, "mod%C3%A8le.yaml");
    }
}
