//! Diagnostics: what a check found, where, and how to fix it. How they are printed is
//! [`crate::emit`]'s business; this module knows only spans and the lint codes.

pub use crate::lint::{Code, Level};
use crate::span::Span;

crate::vocab::vocab! {
    /// How serious a reported diagnostic is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    pub enum Severity: "severity", fn as_str {
        /// Fails `elmo check`.
        Error = "error",
        /// Reported, but does not fail `elmo check`.
        Warning = "warning",
    }
}

impl Severity {
    /// The severity a finding at `level` is reported with; `None` when it is not reported.
    pub fn of(level: Level) -> Option<Severity> {
        match level {
            Level::Allow => None,
            Level::Warn => Some(Severity::Warning),
            Level::Deny => Some(Severity::Error),
        }
    }
}

/// One finding about a model, tied to the token it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// The stable code.
    pub code: Code,
    /// Set when levels are applied; until then the code's default.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The offending token.
    pub span: Span,
    /// What to do about it.
    pub help: Option<String>,
    /// Other places that explain the finding (the first use of a duplicate id, say).
    pub related: Vec<(Span, String)>,
    /// The id of the node, measure, source or assumption the finding is about, so that its
    /// `allow:` list can silence it.
    pub subject: Option<String>,
    /// The "did you mean" replacement, for editors to apply.
    pub fix: Option<Fix>,
}

/// A replacement a tool can apply: in the token at `span`, the text `wrong` becomes
/// `replacement` (the token may hold more, such as both ends of `"a -> b"`, or quotes).
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    /// The token the wrong text is written in.
    pub span: Span,
    /// The text as written, after unquoting.
    pub wrong: String,
    /// What to write instead.
    pub replacement: String,
}

impl Diagnostic {
    /// A diagnostic with `code`'s default severity.
    pub fn new(code: Code, message: impl Into<String>, span: Span) -> Self {
        let severity = Severity::of(code.lint().default).unwrap_or(Severity::Warning);
        Diagnostic {
            code,
            severity,
            message: message.into(),
            span,
            help: None,
            related: Vec::new(),
            subject: None,
            fix: None,
        }
    }

    /// Adds advice on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary location with a short note.
    pub fn with_related(mut self, span: Span, note: impl Into<String>) -> Self {
        self.related.push((span, note.into()));
        self
    }

    /// Suggests `replacement` for `wrong`, written in the token at `span`: as the help
    /// (`did you mean`) and as a fix an editor can apply.
    pub fn did_you_mean(mut self, span: Span, wrong: &str, replacement: &str) -> Self {
        self.help = Some(suggestion(replacement));
        self.fix = Some(Fix {
            span,
            wrong: wrong.to_string(),
            replacement: replacement.to_string(),
        });
        self
    }

    /// Names the item whose `allow:` list may silence this diagnostic.
    pub fn about(mut self, id: &str) -> Self {
        self.subject = Some(id.to_string());
        self
    }
}

/// `did you mean `x`?` for the candidate nearest to `wrong`, when one is near enough.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    nearest(wrong, candidates).map(suggestion)
}

/// The help that suggests `c`.
fn suggestion(c: &str) -> String {
    format!("did you mean `{c}`?")
}

/// The candidate nearest to `wrong`, when one is near enough to be a likely slip.
pub fn nearest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_l = wrong.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&wrong_l, &c.to_lowercase());
        // Ties go to the earlier candidate, which keeps suggestions deterministic.
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.8).map(|(_, c)| c)
}

/// Items joined as a person lists them, with `conjunction` (`and`, `or`) before the last:
/// `a`, `a and b`, `a, b and c`.
pub fn word_list(items: impl IntoIterator<Item = String>, conjunction: &str) -> String {
    let mut items: Vec<String> = items.into_iter().collect();
    match items.pop() {
        None => String::new(),
        Some(last) if items.is_empty() => last,
        Some(last) => format!("{} {conjunction} {last}", items.join(", ")),
    }
}

/// The indefinite article for `word` in a message: `an` before a vowel sound (`an indirect
/// impact`), `a` otherwise (`a direct impact`, `a user`, `a one-year rate`).
pub fn article(word: &str) -> &'static str {
    let lower = word.trim_start_matches('`').to_lowercase();
    // Words spelt with a vowel but said with a consonant, and the reverse.
    const SAID_WITH_A_CONSONANT: &[&str] = &["uni", "use", "usu", "uti", "eu", "one", "once"];
    const SAID_WITH_A_VOWEL: &[&str] = &["hour", "honest", "honour"];
    if SAID_WITH_A_VOWEL.iter().any(|p| lower.starts_with(p)) {
        return "an";
    }
    if SAID_WITH_A_CONSONANT.iter().any(|p| lower.starts_with(p)) {
        return "a";
    }
    match lower.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

#[cfg(test)]
mod tests {
    use super::{article, word_list};

    #[test]
    fn lists_read_as_sentences() {
        let list = |xs: &[&str]| word_list(xs.iter().map(|x| x.to_string()), "and");
        assert_eq!(list(&[]), "");
        assert_eq!(list(&["a"]), "a");
        assert_eq!(list(&["a", "b"]), "a and b");
        assert_eq!(list(&["a", "b", "c"]), "a, b and c");
        assert_eq!(word_list(["x".into(), "y".into()], "or"), "x or y");
    }

    #[test]
    fn the_article_follows_the_sound() {
        for (word, want) in [
            ("indirect impact", "an"),
            ("direct impact", "a"),
            ("input", "an"),
            ("activity", "an"),
            ("output", "an"),
            ("systemic impact", "a"),
            ("user", "a"),
            ("one-year rate", "a"),
            ("hour", "an"),
            ("`engagement`", "an"),
        ] {
            assert_eq!(article(word), want, "{word}");
        }
    }
}
