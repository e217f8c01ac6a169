//! Closed vocabularies: enums whose variants each have one word, written once.
//!
//! A file, the JSON output, SVG classes, the schema, messages and the served page all spell
//! stages, statuses, kinds and levels the same way. [`vocab!`] declares such an enum from one
//! table of words and derives everything else from that table: the word itself, `ALL`,
//! parsing, `Display`, serde's `Serialize` and the JSON Schema's enum (serde's `rename` feeds
//! schemars). A word added to the table is accepted, written and documented everywhere.

use serde_json::Value;

/// An enum declared with [`vocab!`]: every variant and its word, for code generic over them.
pub trait Vocab:
    Copy + PartialEq + std::fmt::Display + std::str::FromStr<Err = String> + serde::Serialize + 'static
{
    /// What one of these is called in messages (`frame`, `status`).
    const WHAT: &'static str;
    /// Every variant, in the table's order.
    fn all() -> &'static [Self];
    /// The word of each variant, in the table's order.
    fn words() -> &'static [&'static str];
    /// The variants' names in Rust (`DirectImpacts`), for code outside Rust to refer to a word
    /// without spelling it.
    fn names() -> &'static [&'static str];
    /// The word for this variant.
    fn word(self) -> &'static str;
}

/// The words of `T` as a JSON object from variant name to word (`{"Error": "error"}`), for
/// the served page's script.
pub fn json<T: Vocab>() -> Value {
    T::names()
        .iter()
        .zip(T::words())
        .map(|(name, word)| (name.to_string(), Value::from(*word)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// The message for a word that is not in a vocabulary, listing the words that are.
pub fn unknown<T: Vocab>(found: &str) -> String {
    format!(
        "`{found}` is not a {}; expected one of {}",
        T::WHAT,
        T::words().join(", ")
    )
}

/// Declares an enum from a table of words; see the module documentation.
///
/// ```text
/// vocab! {
///     /// Docs.
///     #[derive(Debug, Clone, Copy, PartialEq, Eq)]
///     pub enum Direction: "direction", fn as_str {
///         /// Higher is better.
///         Increase = "increase",
///         Decrease = "decrease",
///     }
/// }
/// ```
///
/// `fn as_str` names the method that returns the word. More columns of text go in braces after
/// each word, named in a `columns` block after the enum, each becoming a method:
/// `Inputs = "inputs" { title: "Inputs" }` with `columns StageColumns { title }`.
macro_rules! vocab {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $what:literal, fn $word_fn:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $word:literal { $($col:ident : $cval:literal),+ $(,)? } ),+ $(,)?
        }
        columns $columns:ident { $( $(#[$cmeta:meta])* $colname:ident ),+ $(,)? }
    ) => {
        $crate::vocab::vocab! {
            $(#[$meta])*
            $vis enum $name : $what, fn $word_fn {
                $( $(#[$vmeta])* $variant = $word, )+
            }
        }

        // One row of the table's further columns.
        struct $columns {
            $( $colname: &'static str, )+
        }

        impl $name {
            const fn columns(self) -> $columns {
                match self {
                    $( $name::$variant => $columns { $($col: $cval),+ }, )+
                }
            }

            $(
                $(#[$cmeta])*
                pub const fn $colname(self) -> &'static str {
                    self.columns().$colname
                }
            )+
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $what:literal, fn $word_fn:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $word:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(serde::Serialize, schemars::JsonSchema)]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                #[serde(rename = $word)]
                $variant,
            )+
        }

        impl $name {
            /// Every variant, in the table's order.
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];

            /// The word used in files, JSON output and SVG classes.
            pub const fn $word_fn(self) -> &'static str {
                match self {
                    $( $name::$variant => $word, )+
                }
            }
        }

        impl $crate::vocab::Vocab for $name {
            const WHAT: &'static str = $what;
            fn all() -> &'static [Self] {
                &$name::ALL
            }
            fn words() -> &'static [&'static str] {
                &[$($word),+]
            }
            fn names() -> &'static [&'static str] {
                &[$(stringify!($variant)),+]
            }
            fn word(self) -> &'static str {
                self.$word_fn()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.$word_fn())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                $name::ALL
                    .into_iter()
                    .find(|v| v.$word_fn() == s)
                    .ok_or_else(|| $crate::vocab::unknown::<$name>(s))
            }
        }
    };
}

pub(crate) use vocab;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::lint::{Code, Level};
    use crate::model::{
        Comparison, Direction, Fit, LayoutMode, MeasureKind, SourceKind, Stage, Status, Timing,
    };

    /// Every variant of `T` reads back from its word, shows and serialises as it, and the
    /// words are distinct.
    fn round_trips<T: Vocab + std::fmt::Debug>() {
        for &v in T::all() {
            assert_eq!(v.word().parse::<T>(), Ok(v), "{v:?}");
            assert_eq!(v.to_string(), v.word());
            assert_eq!(
                serde_json::to_value(v).ok(),
                Some(Value::from(v.word())),
                "{v:?} serialises as its word"
            );
        }
        let words = T::words();
        assert_eq!(words.len(), T::all().len());
        assert_eq!(T::names().len(), T::all().len());
        for (i, w) in words.iter().enumerate() {
            assert!(!words[..i].contains(w), "{w} is given twice");
        }
        let err = "no-such-word".parse::<T>().err().unwrap_or_default();
        assert!(
            err.contains(T::WHAT) && err.contains(&words.join(", ")),
            "{err}"
        );
    }

    #[test]
    fn stage_round_trips_through_its_word() {
        round_trips::<Stage>();
    }

    #[test]
    fn status_round_trips_through_its_word() {
        round_trips::<Status>();
    }

    #[test]
    fn measure_kind_round_trips_through_its_word() {
        round_trips::<MeasureKind>();
    }

    #[test]
    fn direction_round_trips_through_its_word() {
        round_trips::<Direction>();
    }

    #[test]
    fn timing_round_trips_through_its_word() {
        round_trips::<Timing>();
    }

    #[test]
    fn comparison_round_trips_through_its_word() {
        round_trips::<Comparison>();
    }

    #[test]
    fn source_kind_round_trips_through_its_word() {
        round_trips::<SourceKind>();
    }

    #[test]
    fn layout_mode_round_trips_through_its_word() {
        round_trips::<LayoutMode>();
    }

    #[test]
    fn fit_round_trips_through_its_word() {
        round_trips::<Fit>();
    }

    #[test]
    fn level_round_trips_through_its_word() {
        round_trips::<Level>();
    }

    #[test]
    fn severity_round_trips_through_its_word() {
        round_trips::<Severity>();
    }

    #[test]
    fn stage_columns_come_from_one_row() {
        assert_eq!(Stage::DirectImpacts.key(), "direct_impacts");
        assert_eq!(Stage::DirectImpacts.title(), "Direct impacts");
        assert_eq!(Stage::DirectImpacts.noun(), "direct impact");
    }

    /// The words a definition of the generated schema allows: its `enum`, or the `const` of
    /// each `oneOf` alternative.
    fn schema_words(def: &Value) -> Vec<String> {
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|w| w.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        match (def.get("enum"), def.get("oneOf")) {
            (Some(e), _) => strings(e),
            (None, Some(alts)) => alts
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|alt| alt["const"].as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default(),
            (None, None) => Vec::new(),
        }
    }

    /// The words the decoder accepts for `T`, read from the help it gives for a word it does
    /// not know, after checking it accepts each of `T`'s own words in `template` (where
    /// `WORD` stands for the value).
    fn decoder_words<T: Vocab>(template: &str) -> Vec<String> {
        let invalid = |word: &str| -> Vec<String> {
            crate::compile(&template.replace("WORD", word))
                .diagnostics
                .into_iter()
                .filter(|d| d.code == Code::InvalidValue)
                .map(|d| d.message)
                .collect()
        };
        for w in T::words() {
            assert_eq!(
                invalid(w),
                Vec::<String>::new(),
                "the decoder refuses `{w}`"
            );
        }
        let refused = invalid("no-such-word");
        let listed = refused
            .first()
            .and_then(|m| m.split_once("expected one of "))
            .map(|(_, list)| list.split(", ").map(String::from).collect())
            .unwrap_or_default();
        assert!(
            !refused.is_empty(),
            "the decoder accepts anything for {}",
            T::WHAT
        );
        listed
    }

    /// The schema, the decoder and `T`'s table list the same words in the same order.
    fn agree<T: Vocab>(schema_name: &str, template: &str) {
        let schema = crate::model::schema();
        let words: Vec<String> = T::words().iter().map(|w| w.to_string()).collect();
        assert_eq!(schema_words(&schema["$defs"][schema_name]), words, "schema");
        assert_eq!(decoder_words::<T>(template), words, "decoder");
    }

    const MEASURE: &str = "title: t\nmeasures:\n  - id: m\n    label: m\n    KEY: \"WORD\"\n";

    #[test]
    fn the_schema_and_the_decoder_list_each_vocabulary_s_words() {
        agree::<Stage>("Stage", "title: t\naccountability_ceiling: \"WORD\"\n");
        agree::<MeasureKind>("MeasureKind", &MEASURE.replace("KEY", "kind"));
        agree::<Direction>("Direction", &MEASURE.replace("KEY", "direction"));
        agree::<Timing>("Timing", &MEASURE.replace("KEY", "timing"));
        agree::<Comparison>("Comparison", &MEASURE.replace("KEY", "comparison"));
        agree::<SourceKind>(
            "SourceKind",
            "title: t\nsources:\n  - id: s\n    label: s\n    kind: \"WORD\"\n",
        );
        agree::<Status>(
            "Status",
            "title: t\nassumptions:\n  - id: a\n    text: a\n    status: \"WORD\"\n",
        );
        agree::<LayoutMode>("LayoutMode", "title: t\nlayout: \"WORD\"\n");
        agree::<Fit>("Fit", "title: t\nfit: \"WORD\"\n");
        // Levels appear once per code in the schema's `lints` map.
        let schema = crate::model::schema();
        let words: Vec<String> = Level::words().iter().map(|w| w.to_string()).collect();
        let lints = schema["$defs"]["Lints"]["properties"]
            .as_object()
            .map(|p| p.values().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        assert!(!lints.is_empty());
        for def in &lints {
            assert_eq!(schema_words(def), words, "schema of a lint's level");
        }
        assert_eq!(
            decoder_words::<Level>("title: t\nlints: { unmeasured-outcome: \"WORD\" }\n"),
            words
        );
    }

    /// The served page's script reads its words from the page's data; they are the tables'.
    #[test]
    fn the_page_receives_each_vocabulary_s_words() {
        let data = crate::serve::page::vocabulary();
        let values = |v: &Value| -> Vec<String> {
            v.as_object()
                .map(|o| {
                    o.values()
                        .filter_map(|w| w.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        let words = |w: &[&str]| -> Vec<String> { w.iter().map(|w| w.to_string()).collect() };
        assert_eq!(values(&data["Stage"]), words(Stage::words()));
        assert_eq!(values(&data["MeasureKind"]), words(MeasureKind::words()));
        for s in Stage::ALL {
            assert_eq!(data["stage_titles"][s.key()], s.title());
        }
    }
}
