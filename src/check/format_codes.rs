//! The codes raised while reading the file, before any check runs: by the parser
//! (`yaml-syntax`, `limit-exceeded`, `comment-in-text`) and by the decoder (`unknown-field`,
//! `missing-field`, `invalid-value`, `duplicate-key`). They have no check of their own, so they
//! are declared together here.

use crate::lint::{Code, Level, Lint};

/// The `yaml-syntax` lint.
pub(crate) static YAML_SYNTAX: Lint = Lint {
    code: Code::YamlSyntax,
    name: "yaml-syntax",
    default: Level::Deny,
    configurable: false,
    label: "here",
    summary: "the file is not a single valid YAML mapping",
    why: "Nothing else can be checked until the file can be read. This also covers empty files, a list or plain text at the top level, text that is not UTF-8, and tabs used for indentation.",
    example: "title: Youth mentoring\ninputs:\n\t- id: funding\n",
    fix: "title: Youth mentoring\ninputs:\n  - id: funding\n    label: Lottery grant\n",
    funder: "Part of the plan could not be read, so this report may be incomplete.",
};

/// The `limit-exceeded` lint.
pub(crate) static LIMIT_EXCEEDED: Lint = Lint {
    code: Code::LimitExceeded,
    name: "limit-exceeded",
    default: Level::Deny,
    configurable: false,
    label: "limit reached here",
    summary: "the file breaks a resource limit: size, nesting depth, or alias expansion",
    why: "Models are shared between organisations and opened in public rooms. A file that is enormous, nested thousands of levels deep or built from self-multiplying aliases is refused quickly instead of freezing the projector.",
    example: "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n# ...and so on, each line nine times the last\n",
    fix: "# Write values out, or keep aliases shallow.\n",
    funder: "The plan is larger than can be read in one go, so this report may be incomplete.",
};

/// The `unknown-field` lint.
pub(crate) static UNKNOWN_FIELD: Lint = Lint {
    code: Code::UnknownField,
    name: "unknown-field",
    default: Level::Deny,
    configurable: false,
    label: "unknown key",
    summary: "a key the format does not have",
    why: "A misspelt key is silently ignored by most tools, so a measure's target or a node's links vanish without anyone noticing. elmo refuses it and suggests the nearest key it knows.",
    example: "outputs:\n  - id: sessions\n    label: Mentoring sessions held\n    lead_to: [confidence]\n",
    fix: "outputs:\n  - id: sessions\n    label: Mentoring sessions held\n    leads_to: [confidence]\n",
    funder: "A detail given for {label} was not recognised, so it is left out of this report.",
};

/// The `missing-field` lint.
pub(crate) static MISSING_FIELD: Lint = Lint {
    code: Code::MissingField,
    name: "missing-field",
    default: Level::Deny,
    configurable: false,
    label: "in this item",
    summary: "a required key is absent",
    why: "Every node needs an id to be linked and a label to be drawn; the model needs a title. Without them the diagram and the report cannot say what the box is.",
    example: "inputs:\n  - id: funding\n",
    fix: "inputs:\n  - id: funding\n    label: Lottery grant of £250k\n",
    funder: "{label} lacks a detail it needs, so it may be shown incompletely.",
};

/// The `invalid-value` lint.
pub(crate) static INVALID_VALUE: Lint = Lint {
    code: Code::InvalidValue,
    name: "invalid-value",
    default: Level::Deny,
    configurable: false,
    label: "invalid value",
    summary: "a value of the wrong type or outside its allowed set",
    why: "A measure's kind, an assumption's status or a list of links has a fixed shape. A value outside it means the model says something elmo cannot interpret, so it says so rather than guess.",
    example: "measures:\n  - id: wellbeing\n    label: Wellbeing score\n    kind: numeric\n",
    fix: "measures:\n  - id: wellbeing\n    label: Wellbeing score\n    kind: quantitative\n",
    funder: "A detail of {label} could not be understood, so it is left out of this report.",
};

/// The `duplicate-key` lint.
pub(crate) static DUPLICATE_KEY: Lint = Lint {
    code: Code::DuplicateKey,
    name: "duplicate-key",
    default: Level::Deny,
    configurable: false,
    label: "repeated key",
    summary: "the same key appears twice in one mapping",
    why: "YAML tools disagree about which of two equal keys wins, so the model would mean different things in different tools. One of them is almost always a copy-paste slip.",
    example: "  - id: sessions\n    label: Sessions held\n    label: Mentoring sessions\n",
    fix: "  - id: sessions\n    label: Mentoring sessions held\n",
    funder: "A detail of {label} is given twice, so only one of the two is shown.",
};

/// The `comment-in-text` lint.
pub(crate) static COMMENT_IN_TEXT: Lint = Lint {
    code: Code::CommentInText,
    name: "comment-in-text",
    default: Level::Warn,
    configurable: true,
    label: "read as a comment",
    summary: "a `#` in unquoted text that YAML reads as the start of a comment, cutting the text short",
    why: "In YAML, a `#` after a space starts a comment, even in the middle of a sentence, so `label: Step #1 of many` gives the label `Step` and the rest is silently dropped: the diagram, the report and the funder see half a label, and nothing fails. elmo warns when unquoted text is followed on its line by a comment that looks like part of it: one with a single space before the `#`, or with no space after it (`#1`). Quote the whole value to keep the `#`. A comment that is meant as one reads best, and is left alone, with two spaces before the `#` and one after, as most YAML style guides ask.",
    example: "outputs:\n  - id: sessions\n    label: Weekly sessions #1 priority\n",
    fix: "outputs:\n  - id: sessions\n    label: \"Weekly sessions #1 priority\"\n",
    funder: "The text of {label} may be cut short where a note was left in it.",
};
