//! Starter models for `elmo init`: a blank one and three built from the bundled models.

/// A template `elmo init` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// A small, clean model to rename and extend.
    Blank,
    /// A reoffending programme across the nine evidence-based dimensions.
    Reoffending,
    /// A Community Led Support programme (the NDTi impact framework).
    CommunityLedSupport,
    /// An alcohol treatment requirement service.
    AlcoholTreatment,
}

const STEPS: &str = include_str!("../templates/steps.txt");
const BLANK: &str = include_str!("../templates/blank.yaml");
const REOFFENDING: &str = include_str!("../models/reoffending-nine-dimensions.yaml");
const COMMUNITY: &str = include_str!("../models/community-led-support.yaml");
const ALCOHOL: &str = include_str!("../models/alcohol-treatment.yaml");

/// The schema file a template's modeline names, written beside the model.
pub const SCHEMA_FILE: &str = "elmo.schema.json";

/// The data files a template's `results:` and `compute:` read, as (file name, text): written
/// beside the model so that the starter checks clean. Case-level records here are synthetic,
/// and their name says so.
pub fn data(template: Template) -> &'static [(&'static str, &'static str)] {
    match template {
        Template::AlcoholTreatment => &[(
            "alcohol-treatment-cases.synthetic.csv",
            include_str!("../models/alcohol-treatment-cases.synthetic.csv"),
        )],
        _ => &[],
    }
}

/// The full text of `template`: the editor's schema line, the four steps, then the model.
pub fn text(template: Template) -> String {
    let body = match template {
        Template::Blank => BLANK,
        Template::Reoffending => REOFFENDING,
        Template::CommunityLedSupport => COMMUNITY,
        Template::AlcoholTreatment => ALCOHOL,
    };
    // The bundled models name the schema in the repository's root; a new model has it
    // beside itself.
    let body = body
        .strip_prefix("# yaml-language-server: $schema=../elmo.schema.json\n")
        .unwrap_or(body);
    format!("# yaml-language-server: $schema={SCHEMA_FILE}\n#\n{STEPS}\n{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_is_clean() {
        for t in [
            Template::Blank,
            Template::Reoffending,
            Template::CommunityLedSupport,
            Template::AlcoholTreatment,
        ] {
            let src = text(t);
            assert!(src.starts_with("# yaml-language-server: $schema=elmo.schema.json\n"));
            assert_eq!(src.matches("$schema=").count(), 1, "{t:?}: one schema line");
            assert_eq!(crate::compile(&src).diagnostics, vec![], "{t:?}");
        }
    }
}
