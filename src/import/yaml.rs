//! Writing a model, given in its serialised form, as tidy YAML: block lists of mappings,
//! short lists of ids on one line, plain scalars where YAML reads them back as the same
//! text, and double quotes (JSON's escapes, which YAML shares) everywhere else.

use serde_json::{Map, Value};

use crate::model::Stage;

/// The model's keys that hold a stage's boxes, with the stage.
fn stage_of(key: &str) -> Option<Stage> {
    Stage::ALL.into_iter().find(|s| s.key() == key)
}

/// `model` (a mapping) as YAML, after the lines of `header` written as comments; each stage
/// and each list of items is introduced by a comment naming it.
pub fn document(header: &[String], model: &Map<String, Value>) -> String {
    let mut out = String::new();
    for line in header {
        if line.is_empty() {
            out.push_str("#\n");
        } else {
            out.push_str(&format!("# {line}\n"));
        }
    }
    let mut first = true;
    for (k, v) in model {
        let list = matches!(v, Value::Array(a) if a.iter().any(Value::is_object)) || v.is_object();
        if list {
            out.push('\n');
            let what = stage_of(k).map_or_else(|| k.replace('_', " "), |s| s.title().to_string());
            let what = capitalise(&what);
            out.push_str(&format!("# {what}\n"));
        } else if first && !header.is_empty() {
            out.push('\n');
        }
        first = false;
        entry(&mut out, 0, k, v);
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn pad(n: usize) -> String {
    " ".repeat(n)
}

/// `key: value` at `indent`, and whatever the value holds below it.
fn entry(out: &mut String, indent: usize, key: &str, v: &Value) {
    match v {
        Value::Array(items) if items.is_empty() => {
            out.push_str(&format!("{}{key}: []\n", pad(indent)))
        }
        Value::Object(m) if m.is_empty() => out.push_str(&format!("{}{key}: {{}}\n", pad(indent))),
        Value::Array(items) => {
            if let Some(flow) = flow(items, indent + key.len() + 2) {
                out.push_str(&format!("{}{key}: {flow}\n", pad(indent)));
            } else {
                out.push_str(&format!("{}{key}:\n", pad(indent)));
                for item in items {
                    list_item(out, indent + 2, item);
                }
            }
        }
        Value::Object(m) => {
            out.push_str(&format!("{}{key}:\n", pad(indent)));
            for (k, v) in m {
                entry(out, indent + 2, k, v);
            }
        }
        scalar => out.push_str(&format!("{}{key}: {}\n", pad(indent), self::scalar(scalar))),
    }
}

/// `- item` at `indent`: a mapping's first key on the dash's line, the rest below it.
fn list_item(out: &mut String, indent: usize, v: &Value) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (i, (k, v)) in m.iter().enumerate() {
                let mut line = String::new();
                entry(&mut line, indent + 2, k, v);
                if i == 0 {
                    // `    key: …` becomes `  - key: …`.
                    line.replace_range(indent..indent + 2, "- ");
                }
                out.push_str(&line);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str(&format!("{}-\n", pad(indent)));
            for item in items {
                list_item(out, indent + 2, item);
            }
        }
        other => {
            let mut line = String::new();
            entry(&mut line, indent, "-", other);
            // `- : x` is not what is meant: the scalar follows the dash.
            out.push_str(&line.replacen("-: ", "- ", 1));
        }
    }
}

/// A list of scalars as `[a, b, c]`, when it fits on the line.
fn flow(items: &[Value], used: usize) -> Option<String> {
    let words: Option<Vec<String>> = items
        .iter()
        .map(|v| match v {
            Value::Object(_) | Value::Array(_) => None,
            v => Some(scalar_in(v, true)),
        })
        .collect();
    let text = format!("[{}]", words?.join(", "));
    (used + text.len() <= 96).then_some(text)
}

/// A scalar as YAML reads it back: the same string, number or boolean.
pub fn scalar(v: &Value) -> String {
    scalar_in(v, false)
}

/// A scalar as YAML reads it back in a flow list (`[a, b]`), where `,` and brackets are
/// syntax, or in a block.
fn scalar_in(v: &Value, in_flow: bool) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) => f.to_string(),
            _ => n.to_string(),
        },
        Value::String(s) if plain(s, in_flow) => s.clone(),
        Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
        Value::Array(_) | Value::Object(_) => serde_json::to_string(v).unwrap_or_default(),
    }
}

/// Whether `s` can be written without quotes and still read back as this string, in flow
/// lists as well as in block values. Anything that could be a number, a boolean, null, or
/// YAML syntax is quoted.
fn plain(s: &str, in_flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let reserved = [
        "true", "false", "null", "~", "yes", "no", "on", "off", "y", "n",
    ];
    !(first.is_ascii_digit()
        || "-?:,[]{}#&*!|>'\"%@`.+ \t".contains(first)
        || s.ends_with([' ', ':', '\t'])
        || s.contains(": ")
        || s.contains(" #")
        || (in_flow && s.contains([',', '[', ']', '{', '}', '"', '\'']))
        || s.chars()
            .any(|c| c.is_control() || c == '\u{feff}' || c == '\u{85}')
        || reserved.contains(&s.to_ascii_lowercase().as_str())
        || s.parse::<f64>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_that_yaml_would_read_as_something_else_is_quoted() {
        for s in [
            "",
            "37",
            "-5",
            "true",
            "No",
            "null",
            "~",
            "2024",
            "2023-24",
            "a: b",
            "x #y",
            "- dash",
            "@me",
            "line\nbreak",
            " lead",
            "trail ",
            "[list]",
            "{map}",
            ".5",
            "+1",
            "inf",
            "nan",
            ".inf",
        ] {
            let written = scalar(&json!(s));
            assert!(written.starts_with('"'), "{s:?} written as {written}");
        }
        for s in [
            "Volunteer mentors",
            "engaged-1m",
            "people_on_atr",
            "Outcome/impact",
            "a, b",
        ] {
            assert_eq!(scalar(&json!(s)), s);
        }
        assert_eq!(scalar_in(&json!("a, b"), true), "\"a, b\"");
    }

    #[test]
    fn whole_numbers_drop_the_point_and_fractions_keep_their_digits() {
        assert_eq!(scalar(&json!(37.0)), "37");
        assert_eq!(scalar(&json!(33.6)), "33.6");
        assert_eq!(scalar(&json!(120)), "120");
    }

    #[test]
    fn every_string_written_reads_back_as_the_same_string() {
        let tricky = [
            "plain",
            "a: b",
            "a #b",
            "#x",
            "- x",
            "? x",
            "x:",
            "'q'",
            "\"dq\"",
            "back\\slash",
            "tab\tin",
            "new\nline",
            "\r",
            "uni ✓ 中文",
            "=HYPERLINK(\"x\",\"y\")",
            "&a",
            "*a",
            "!tag",
            "|",
            ">",
            "%x",
            "@x",
            "`x",
            "{x}",
            "[x]",
            "a, b",
            "y",
            "on",
            "NULL",
            "1e5",
            "0x10",
            "0o7",
            "2024-03-31",
            " ",
            "end ",
            "\u{85}",
            "\u{feff}bom",
        ];
        for t in tricky {
            let doc = format!("title: {}\n", scalar(&json!(t)));
            let c = crate::compile(&doc);
            let title = c.model.as_ref().map(|m| m.title.value.clone());
            assert_eq!(title.as_deref(), Some(t), "{doc}");
        }
    }
}
