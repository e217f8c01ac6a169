//! An mdBook preprocessor that draws and checks models with the library API while the book
//! is built, so the book's diagrams and `elmo check` transcripts cannot drift from elmo.
//!
//! In a chapter, paths relative to the chapter's own file:
//!
//! - `{{#elmo-render ../../models/x.yaml}}` becomes the model's diagram, inline;
//!   `theme=dark` or `theme=contrast` after the path picks another theme.
//! - `{{#elmo-check tutorial/step-2.yaml as mentoring.yaml}}` becomes a console block with
//!   `elmo check`'s output for that file, shown under the name after `as`; `limit=N` keeps
//!   the first N diagnostics and marks the cut with `...`; `format=json` shows
//!   `elmo check --format json` instead.
//!
//! - `{{#elmo-limit max_alias_values}}` becomes that default limit of `elmo::Limits`, as
//!   `100,000`; `plain` after the name writes `100000`, and `mib` writes bytes as `10 MiB`.
//!
//! A missing file, an unknown limit, or a model with errors asked to be drawn, fails the
//! build.
//!
//! `book/book.toml` runs it as `cargo run --quiet --example mdbook_elmo`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use elmo::emit::human::{Human, Style};
use elmo::emit::{FileReport, summary_line, to_json};
use elmo::{Severity, render};
use serde_json::Value;

/// The width, in CSS pixels, of mdBook's text column.
const DISPLAY_WIDTH: f64 = 750.0;

/// Width of the check transcripts: narrow enough for the book's text column.
const WIDTH: usize = 80;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // mdBook asks once per renderer; the directives make sense for every one of them.
    if args.first().map(String::as_str) == Some("supports") {
        return;
    }
    if let Err(e) = run() {
        eprintln!("mdbook_elmo: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| format!("reading mdBook's input: {e}"))?;
    let value: Value =
        serde_json::from_str(&input).map_err(|e| format!("mdBook's input is not JSON: {e}"))?;
    let Value::Array(mut parts) = value else {
        return Err("mdBook's input is not [context, book]".into());
    };
    if parts.len() != 2 {
        return Err("mdBook's input is not [context, book]".into());
    }
    let mut book = parts.pop().unwrap_or(Value::Null);
    let context = parts.pop().unwrap_or(Value::Null);
    let root = context["root"].as_str().unwrap_or(".");
    let src = context["config"]["book"]["src"].as_str().unwrap_or("src");
    let src_dir = Path::new(root).join(src);
    expand_chapters(&mut book, &src_dir)?;
    let out = serde_json::to_string(&book).map_err(|e| e.to_string())?;
    std::io::stdout()
        .write_all(out.as_bytes())
        .map_err(|e| format!("writing to mdBook: {e}"))
}

/// Walks the book without assuming its exact shape (mdBook 0.4 calls the top list
/// `sections`, 0.5 `items`): every object with `content` and `path` is a chapter.
fn expand_chapters(value: &mut Value, src_dir: &Path) -> Result<(), String> {
    match value {
        Value::Object(map) => {
            let chapter_dir = map
                .get("path")
                .and_then(Value::as_str)
                .map(|p| src_dir.join(p).parent().unwrap_or(src_dir).to_path_buf());
            if let (Some(dir), Some(Value::String(content))) = (chapter_dir, map.get_mut("content"))
            {
                *content = expand(content, &dir)?;
            }
            for v in map.values_mut() {
                expand_chapters(v, src_dir)?;
            }
        }
        Value::Array(items) => {
            for v in items {
                expand_chapters(v, src_dir)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Replaces every directive in one chapter.
fn expand(content: &str, dir: &Path) -> Result<String, String> {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(start) = rest.find("{{#elmo-") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        out.push_str(&rest[..start]);
        let directive = &rest[start + 3..start + len];
        out.push_str(&directive_output(directive.trim(), dir)?);
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

fn directive_output(directive: &str, dir: &Path) -> Result<String, String> {
    let mut words = directive.split_whitespace();
    let name = words.next().unwrap_or_default();
    if name == "elmo-limit" {
        return limit(directive, words.next(), words.next());
    }
    let path = words
        .next()
        .ok_or_else(|| format!("`{{{{{directive}}}}}` names no model file"))?;
    let file = dir.join(path);
    let mut shown = Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut theme = render::theme::LIGHT;
    let mut limit = usize::MAX;
    let mut json = false;
    while let Some(word) = words.next() {
        match word.split_once('=') {
            Some(("theme", "light")) => theme = render::theme::LIGHT,
            Some(("theme", "dark")) => theme = render::theme::DARK,
            Some(("theme", "contrast")) => theme = render::theme::CONTRAST,
            Some(("format", "json")) => json = true,
            Some(("limit", n)) => {
                limit = n
                    .parse()
                    .map_err(|_| format!("bad `limit={n}` in `{directive}`"))?;
            }
            _ if word == "as" => {
                shown = words
                    .next()
                    .ok_or_else(|| format!("`as` needs a name in `{directive}`"))?
                    .to_string();
            }
            _ => return Err(format!("unknown option `{word}` in `{directive}`")),
        }
    }
    let source = read(&file)?;
    let compiled = elmo::compile(&source);
    match name {
        "elmo-render" => {
            let svg = render::svg(&compiled, &theme)
                .ok_or_else(|| format!("{} has errors, so it cannot be drawn", file.display()))?;
            let title = compiled
                .model
                .as_ref()
                .map(|m| m.title.value.clone())
                .unwrap_or_default();
            // A six-column diagram shrunk to the text column's width has unreadable
            // labels, so a wide one keeps at least two thirds of its size and scrolls.
            let natural = svg_width(&svg).unwrap_or(DISPLAY_WIDTH);
            let width = if natural <= DISPLAY_WIDTH {
                natural
            } else {
                (natural * 2.0 / 3.0).max(DISPLAY_WIDTH)
            };
            Ok(format!(
                "<div class=\"elmo-diagram\" style=\"overflow-x:auto\"><img alt=\"{}\" \
                 width=\"{width:.0}\" style=\"max-width:none\" \
                 src=\"data:image/svg+xml;base64,{}\"></div>",
                elmo::escape::xml(&format!("Diagram of {title}, drawn by elmo")),
                base64(svg.as_bytes())
            ))
        }
        "elmo-check" if json => Ok(json_transcript(&shown, &source, &compiled)),
        "elmo-check" => Ok(transcript(&shown, &source, &compiled, limit)),
        _ => Err(format!("unknown directive `{name}`")),
    }
}

/// A default limit, written as `format` asks.
fn limit(directive: &str, name: Option<&str>, format: Option<&str>) -> Result<String, String> {
    let name = name.ok_or_else(|| format!("`{directive}` names no limit"))?;
    let value = elmo::Limits::default()
        .named()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
        .ok_or_else(|| format!("`{directive}`: elmo has no limit `{name}`"))?;
    match format {
        None => Ok(elmo::emit::human::thousands(value)),
        Some("plain") => Ok(value.to_string()),
        Some("mib") if value % (1024 * 1024) == 0 => Ok(format!("{} MiB", value / (1024 * 1024))),
        Some(other) => Err(format!("`{directive}`: cannot write `{name}` as `{other}`")),
    }
}

/// The `width` of the root `<svg>` element.
fn svg_width(svg: &str) -> Option<f64> {
    let root = &svg[..svg.find('>')?];
    let at = root.find(" width=\"")? + " width=\"".len();
    let len = root[at..].find('"')?;
    root[at..at + len].parse().ok()
}

fn read(file: &PathBuf) -> Result<String, String> {
    std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))
}

/// What `elmo check NAME` prints for the model, as a console block.
fn transcript(shown: &str, source: &str, compiled: &elmo::Compiled, limit: usize) -> String {
    let mut text = format!("```console\n$ elmo check {shown}\n");
    let human = Human::new(shown, source, Style::plain(WIDTH));
    text.push_str(&human.diagnostics(compiled.diagnostics.iter().take(limit)));
    if compiled.diagnostics.len() > limit {
        text.push_str("...\n\n");
    }
    let count = |s| {
        compiled
            .diagnostics
            .iter()
            .filter(|d| d.severity == s)
            .count()
    };
    text.push_str(&summary_line(
        count(Severity::Error),
        count(Severity::Warning),
        1,
    ));
    text.push('\n');
    if let Some(r) = compiled.readiness() {
        text.push_str(&format!("readiness: {}\n", r.summary()));
    }
    // miette pads some lines with spaces; trailing spaces in a code block only make noise.
    let mut tidy: String = text
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    tidy.push_str("\n```");
    tidy
}

/// What `elmo check --format json NAME` prints for the model, as a console block.
fn json_transcript(shown: &str, source: &str, compiled: &elmo::Compiled) -> String {
    let readiness = compiled.readiness();
    let report = FileReport {
        path: shown,
        source,
        diagnostics: &compiled.diagnostics,
        readiness: readiness.as_ref(),
    };
    let json = serde_json::to_string_pretty(&to_json(&[report])).unwrap_or_default();
    format!("```console\n$ elmo check --format json {shown}\n{json}\n```")
}

/// Standard base64 with padding, for the diagrams' data URLs.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
