//! The rebuild state machine: what the page shows after each save.
//!
//! A good save draws a new diagram and bumps the version. A broken save keeps the last good
//! diagram (marked stale) and shows the errors; the version stays, because nothing new was
//! drawn. A file broken from the start has no diagram to keep: the page shows its errors in
//! place of the diagram, under the model's title when that much can be read. A missing or unreadable file keeps everything as it was: editors delete and
//! recreate files while saving, and a blank screen in front of a room helps nobody.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde_json::{Value, json};

use crate::emit::FileReport;
use crate::emit::json::FileJson;
use crate::layout::{Choice, Layout, ResultMarks};
use crate::model::{Fit, Model, Target};
use crate::render::theme::{THEMES, Theme};
use crate::results::{Date, Results};
use crate::{Compiled, Options};

/// What one update did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new diagram was drawn.
    Rebuilt {
        /// The new version.
        version: u64,
        /// Warnings drawn on it.
        warnings: usize,
    },
    /// The file has errors; the last good diagram, if there is one, stays.
    Broken {
        /// How many errors.
        errors: usize,
        /// The version still shown; `None` when nothing has been drawn yet.
        kept: Option<u64>,
    },
    /// The file is byte for byte what was last read: nothing to do.
    Unchanged,
    /// The file is not there (mid-save, or deleted); the last state stays.
    Missing,
    /// The file could not be read for another reason; the last state stays.
    Unreadable(String),
}

/// The last good build: a model that compiled without errors, drawn on demand per theme.
#[derive(Debug)]
pub struct Good {
    version: u64,
    title: String,
    compiled: Compiled,
    details: Value,
    // The frame asked for on the command line, if any.
    fit: Option<Fit>,
    // The choices of the drawing this one replaces, kept unless fresh ones read clearly
    // better, so the diagram does not reshuffle as people type.
    hint: Option<Choice>,
    // Each measure's latest result, when the model names results.
    results: Option<ResultMarks>,
    // Laid out once, the first time a theme is drawn.
    layout: OnceLock<Option<Layout>>,
    // Each theme is drawn the first time someone asks for it, then kept until the next build.
    svgs: [OnceLock<String>; 3],
}

impl Good {
    /// The version this build was given.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The model's title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The diagram drawn in `theme`.
    pub fn svg(&self, theme: &Theme) -> &str {
        let i = theme_index(theme);
        self.svgs[i].get_or_init(|| {
            self.laid_out()
                .and_then(|l| crate::render::svg_of(&self.compiled, l, &THEMES[i]))
                .unwrap_or_default()
        })
    }

    /// The diagram's layout, made the first time it is needed.
    fn laid_out(&self) -> Option<&Layout> {
        self.layout
            .get_or_init(|| {
                crate::render::layout_for_results(
                    &self.compiled,
                    self.fit,
                    self.hint.as_ref(),
                    self.results.as_ref(),
                )
            })
            .as_ref()
    }

    /// What the page shows when a node is hovered: id → label, stage, description, measures
    /// and assumptions.
    pub fn details(&self) -> &Value {
        &self.details
    }
}

/// Everything a viewer needs at one moment, shared by every connected page.
#[derive(Debug)]
pub struct Snapshot {
    seq: u64,
    version: u64,
    errors: usize,
    warnings: usize,
    report: FileJson,
    // The results files' diagnostics, one entry each, in the model's order.
    result_files: Vec<FileJson>,
    good: Option<Arc<Good>>,
    // The title as far as it could be read from the file as last read.
    file_title: Option<String>,
    // The server-sent event per theme, built once and written to every client.
    events: [OnceLock<String>; 3],
}

impl Snapshot {
    /// Increases with every change of what viewers should see (builds and broken saves).
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// The version of the diagram shown: how many successful builds there have been.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Errors in the file and its results as last read.
    pub fn errors(&self) -> usize {
        self.errors
    }

    /// Warnings in the file and its results as last read.
    pub fn warnings(&self) -> usize {
        self.warnings
    }

    /// Whether the diagram shown is older than the file (the file has errors).
    pub fn stale(&self) -> bool {
        self.errors > 0 && self.good.is_some()
    }

    /// The diagnostics of the file as last read, as one file entry of `elmo check --format
    /// json` (`path`, `errors`, `warnings`, `diagnostics`). Problems with its results that
    /// point into the model (a `compute:` naming a missing column, a stale measure) are here.
    pub fn report(&self) -> &FileJson {
        &self.report
    }

    /// The diagnostics of each results file the model lists, pointing into that file.
    pub fn result_files(&self) -> &[FileJson] {
        &self.result_files
    }

    /// The model's report, then each results file's.
    pub fn reports(&self) -> impl Iterator<Item = &FileJson> {
        std::iter::once(&self.report).chain(&self.result_files)
    }

    /// The last good build, if there has been one.
    pub fn good(&self) -> Option<&Arc<Good>> {
        self.good.as_ref()
    }

    /// The title to show: the drawn model's, or when nothing is drawn, whatever title could
    /// be read from the broken file.
    pub fn title(&self) -> Option<&str> {
        match &self.good {
            Some(g) => Some(g.title()),
            None => self.file_title.as_deref(),
        }
    }

    /// The state as one JSON object, with the diagram drawn in `theme`; `style_nonce` is put
    /// on the diagram's `<style>` element so the page's Content-Security-Policy admits it.
    pub fn json(&self, theme: &Theme, style_nonce: &str) -> Value {
        let svg = self
            .good
            .as_ref()
            .map(|g| with_nonce(g.svg(theme), style_nonce));
        json!({
            "version": self.version,
            "theme": theme.name,
            "stale": self.stale(),
            "title": self.title(),
            "svg": svg,
            "report": self.report,
            "result_files": self.result_files,
            "panels": super::page::Panels::of(self),
            "details": self.good.as_ref().map_or(Value::Null, |g| g.details.clone()),
        })
    }

    /// [`Snapshot::json`] as a server-sent event, built once per theme.
    pub fn event(&self, theme: &Theme, style_nonce: &str) -> &str {
        self.events[theme_index(theme)].get_or_init(|| {
            // Compact JSON has no raw newlines, so it fits on one `data:` line.
            format!("data: {}\n\n", self.json(theme, style_nonce))
        })
    }
}

/// Adds `nonce` to the diagram's `<style>` element. Model text is escaped in the SVG, so the
/// first `<style>` is always the renderer's own.
pub fn with_nonce(svg: &str, nonce: &str) -> String {
    svg.replacen("<style>", &format!("<style nonce=\"{nonce}\">"), 1)
}

/// The model file and what has been built from it.
#[derive(Debug)]
pub struct Live {
    path: String,
    options: Options,
    fit: Option<Fit>,
    // Where the model's results are read from (its folder), when they are followed, and the
    // day they are judged on (today when `None`).
    results_base: Option<PathBuf>,
    as_of: Option<Date>,
    bytes: Option<Vec<u8>>,
    text: String,
    compiled: Option<Compiled>,
    // The results as last read, when the model names any.
    results: Option<Results>,
    // Every results and records file last read, for the watcher to follow.
    inputs: Vec<PathBuf>,
    version: u64,
    current: Arc<Snapshot>,
}

impl Live {
    /// Nothing read yet; `path` is how the file is named in diagnostics.
    pub fn new(path: &str, options: Options) -> Self {
        let report = FileJson::empty(path);
        Live {
            path: path.to_string(),
            options,
            fit: None,
            results_base: None,
            as_of: None,
            bytes: None,
            text: String::new(),
            compiled: None,
            results: None,
            inputs: Vec::new(),
            version: 0,
            current: Arc::new(Snapshot {
                seq: 0,
                version: 0,
                errors: 0,
                warnings: 0,
                report,
                result_files: Vec::new(),
                good: None,
                file_title: None,
                events: Default::default(),
            }),
        }
    }

    /// Draws for `fit` instead of the model's own `fit:`.
    pub fn with_fit(mut self, fit: Option<Fit>) -> Self {
        self.fit = fit;
        self
    }

    /// Also reads the results the model lists (relative to `base`, its folder) and draws
    /// them, judged as of `as_of` (today when `None`); a change to a results or records file
    /// then counts as a change, and errors in them stop a redraw as errors in the model do.
    pub fn with_results(mut self, base: &Path, as_of: Option<Date>) -> Self {
        self.results_base = Some(base.to_path_buf());
        self.as_of = as_of;
        self
    }

    /// Reads the file at `path` as every command does ([`crate::input::read_file`]: a
    /// regular file, at most one byte past the size limit) and updates.
    pub fn reload(&mut self, path: &Path) -> Outcome {
        let read = crate::input::read_file(path, self.options.limits.max_file_size);
        self.update(read)
    }

    /// Updates from the result of reading the file (and, when followed, reads its results).
    pub fn update(&mut self, read: io::Result<Vec<u8>>) -> Outcome {
        let bytes = match read {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Outcome::Missing,
            Err(e) => return Outcome::Unreadable(e.to_string()),
        };
        let same_model = self.bytes.as_deref() == Some(&bytes[..]);
        let (text, compiled) = match (&self.compiled, same_model) {
            (Some(c), true) => (self.text.clone(), c.clone()),
            _ => crate::compile_bytes(&bytes, &self.options),
        };
        let results = self.evaluate(&compiled);
        if same_model {
            if results == self.results {
                return Outcome::Unchanged;
            }
            if let (Some(old), Some(new)) = (&self.results, &results)
                && vanished(old, new)
            {
                // Mid-save (deleted before being written again), as for the model itself.
                return Outcome::Missing;
            }
        }
        self.bytes = Some(bytes);
        if let Some(r) = &results {
            self.inputs = r.inputs().into_iter().map(Path::to_path_buf).collect();
        }
        let readiness = compiled.readiness();
        let mut diagnostics = compiled.diagnostics.clone();
        if let Some(r) = &results {
            diagnostics.extend(r.model_diagnostics.iter().cloned());
        }
        let report = FileReport {
            path: &self.path,
            source: &text,
            diagnostics: &diagnostics,
            readiness: readiness.as_ref(),
        };
        let (mut errors, mut warnings) = (report.errors(), report.warnings());
        let report = FileJson::new(&report);
        let result_files: Vec<FileJson> = results
            .iter()
            .flat_map(|r| &r.files)
            .map(|f| {
                let path = f.path.display().to_string();
                let file = FileReport {
                    path: &path,
                    source: &f.text,
                    diagnostics: &f.diagnostics,
                    readiness: None,
                };
                errors += file.errors();
                warnings += file.warnings();
                FileJson::new(&file)
            })
            .collect();
        let drawable = errors == 0 && compiled.model.is_some() && compiled.graph.is_some();
        let file_title = match &compiled.model {
            Some(m) => Some(m.title.value.clone()).filter(|t| !t.trim().is_empty()),
            None => readable_title(&text),
        };
        let good = if drawable {
            self.version += 1;
            let model = compiled.model.as_ref().map(details).unwrap_or_default();
            let title = compiled
                .model
                .as_ref()
                .map(|m| m.title.value.clone())
                .unwrap_or_default();
            let hint = self
                .current
                .good
                .as_ref()
                .and_then(|g| g.laid_out())
                .map(|l| l.choice);
            Some(Arc::new(Good {
                version: self.version,
                title,
                compiled: compiled.clone(),
                details: model,
                fit: self.fit,
                hint,
                results: results.as_ref().map(ResultMarks::of),
                layout: OnceLock::new(),
                svgs: Default::default(),
            }))
        } else {
            self.current.good.clone()
        };
        self.current = Arc::new(Snapshot {
            seq: self.current.seq + 1,
            version: self.version,
            errors,
            warnings,
            report,
            result_files,
            good,
            file_title,
            events: Default::default(),
        });
        self.text = text;
        self.compiled = Some(compiled);
        self.results = results;
        if drawable {
            Outcome::Rebuilt {
                version: self.version,
                warnings,
            }
        } else {
            Outcome::Broken {
                errors: errors.max(1),
                kept: self.current.good.as_ref().map(|g| g.version),
            }
        }
    }

    /// The results of `compiled`'s model, when results are followed, the model names some,
    /// and it has no errors (a broken model's paths may be half typed).
    fn evaluate(&self, compiled: &Compiled) -> Option<Results> {
        let base = self.results_base.as_ref()?;
        let model = compiled.model.as_ref().filter(|_| !compiled.has_errors())?;
        if !crate::results::named(model) {
            return None;
        }
        let as_of = self.as_of.unwrap_or_else(Date::today);
        Some(crate::results::evaluate(model, base, as_of))
    }

    /// Every results and records file the model's results were last read from: the files a
    /// watcher follows besides the model.
    pub fn inputs(&self) -> &[PathBuf] {
        &self.inputs
    }

    /// The model's results as last read, when it names any and has no errors.
    pub fn results(&self) -> Option<&Results> {
        self.results.as_ref()
    }

    /// What viewers should see now.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.clone()
    }

    /// The text and the compilation of the file as last read (for printing diagnostics).
    pub fn latest(&self) -> Option<(&str, &Compiled)> {
        self.compiled.as_ref().map(|c| (self.text.as_str(), c))
    }

    /// How the file is named in diagnostics.
    pub fn path(&self) -> &str {
        &self.path
    }
}

/// Whether a results file read last time is gone now: an editor deleting it to write it
/// again, which the next event completes.
fn vanished(old: &Results, new: &Results) -> bool {
    new.files.iter().any(|f| {
        !f.path.exists()
            && old
                .files
                .iter()
                .any(|o| o.path == f.path && !o.text.is_empty())
    })
}

/// The model's title from a file too broken to parse: a top-level `title:` line holding a
/// one-line plain or quoted value. Anything less certain is no title at all.
pub fn readable_title(text: &str) -> Option<String> {
    let line = text.lines().find_map(|l| l.strip_prefix("title:"))?;
    let value = line.trim();
    let title = match value.chars().next()? {
        '"' => {
            let inner = &value[1..];
            let t = &inner[..inner.find('"')?];
            // Escapes would need YAML's rules to read; better no title than a wrong one.
            if t.contains('\\') {
                return None;
            }
            t.to_string()
        }
        '\'' => {
            // In single quotes the only escape is a doubled quote.
            let mut t = String::new();
            let mut chars = value[1..].chars().peekable();
            loop {
                match chars.next()? {
                    '\'' if chars.peek() == Some(&'\'') => {
                        chars.next();
                        t.push('\'');
                    }
                    '\'' => break,
                    c => t.push(c),
                }
            }
            t
        }
        '[' | '{' | '&' | '*' | '!' | '|' | '>' | '#' | '%' | '@' | '`' => return None,
        _ => {
            let end = value.find(" #").unwrap_or(value.len());
            value[..end].trim_end().to_string()
        }
    };
    let title: String = title
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    (!title.trim().is_empty()).then_some(title)
}

fn theme_index(theme: &Theme) -> usize {
    THEMES
        .iter()
        .position(|t| t.name == theme.name)
        .unwrap_or(0)
}

/// The hover details of every node, from the model alone, so the page never parses YAML.
pub fn details(model: &Model) -> Value {
    let measures: HashMap<&str, &crate::model::Measure> = model
        .measures
        .iter()
        .map(|m| (m.id.value.as_str(), m))
        .collect();
    let labels: HashMap<&str, &str> = model
        .nodes()
        .map(|(_, n)| (n.id.value.as_str(), n.label.value.as_str()))
        .collect();
    let mut out = serde_json::Map::new();
    for (stage, node) in model.nodes() {
        let id = node.id.value.as_str();
        let node_measures: Vec<Value> = node
            .measures
            .iter()
            .filter_map(|m| measures.get(m.value.as_str()))
            .map(|m| {
                json!({
                    "id": m.id.value,
                    "label": m.label.value,
                    "kind": m.kind(),
                    "unit": m.unit.as_ref().map(|u| &u.value),
                    "baseline": m.baseline.as_ref().map(|b| &b.value),
                    "target": m.target.as_ref().map(|t| &t.value),
                    "frequency": m.frequency.as_ref().map(|f| &f.value),
                })
            })
            .collect();
        let mut assumptions = Vec::new();
        for (i, a) in model.assumptions.iter().enumerate() {
            for entry in &a.applies_to {
                // The number matches the diagram's key, which numbers assumptions in file order.
                let via = match &entry.target {
                    Target::Link { from, to } => {
                        let (from, to) = (from.as_str(), to.as_str());
                        if from != id && to != id {
                            continue;
                        }
                        let label = |x: &str| labels.get(x).copied().unwrap_or(x).to_string();
                        Some(format!("{} → {}", label(from), label(to)))
                    }
                    Target::Node(node) if node.trim() == id => None,
                    Target::Node(_) => continue,
                };
                assumptions.push(json!({
                    "number": i + 1,
                    "text": a.text.value,
                    "status": a.status.as_ref().map(|s| s.value).unwrap_or_default(),
                    "link": via,
                }));
            }
        }
        out.insert(
            id.to_string(),
            json!({
                "label": node.label.value,
                "stage": stage.key(),
                "stage_title": stage.title(),
                "description": node.description.as_ref().map(|d| &d.value),
                "measures": node_measures,
                "assumptions": assumptions,
            }),
        );
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::theme::{DARK, LIGHT};

    const GOOD: &str = "title: Mentoring
inputs:
  - id: mentors
    label: Volunteer mentors
    leads_to: [sessions]
activities:
  - id: sessions
    label: Weekly sessions
";

    const BROKEN: &str = "title: Mentoring
inputs:
  - id: mentors
    label: Volunteer mentors
    leads_to: [sesions]
activities:
  - id: sessions
    label: Weekly sessions
";

    fn live() -> Live {
        Live::new("model.yaml", Options::default())
    }

    fn ok(s: &str) -> io::Result<Vec<u8>> {
        Ok(s.as_bytes().to_vec())
    }

    /// An edit after which a drawing from scratch would be arranged differently: the live
    /// page keeps the arrangement on screen instead.
    #[test]
    fn an_edit_keeps_the_drawing_on_screen_arranged_as_it_was() {
        let choice = |src: &str| {
            let c = crate::compile(src);
            crate::render::layout_for(&c, None, None).map(|l| l.choice)
        };
        for seed in 0..40 {
            let src = crate::generate::varied_model(24, seed);
            let model = crate::compile(&src).model.expect("model");
            for (_, node) in model.nodes() {
                let label = &node.label.value;
                let edited = src.replacen(
                    &format!("label: {label}\n"),
                    &format!("label: {label} and a good deal more besides\n"),
                    1,
                );
                if choice(&src) == choice(&edited) {
                    continue;
                }
                let mut l = live();
                l.update(ok(&src));
                let before = l
                    .snapshot()
                    .good()
                    .and_then(|g| g.laid_out().map(|x| x.choice));
                l.update(ok(&edited));
                let after = l
                    .snapshot()
                    .good()
                    .and_then(|g| g.laid_out().map(|x| x.choice));
                assert!(before.is_some());
                assert_eq!(before, after, "seed {seed}, editing {}", node.id.value);
                return;
            }
        }
        panic!("no edit changed how a fresh drawing is arranged");
    }

    /// A folder holding a model with a results file, for one test.
    fn with_results(name: &str, csv: &str) -> (PathBuf, Live) {
        let dir = std::env::temp_dir().join(format!("elmo-live-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("folder");
        std::fs::write(dir.join("model.yaml"), RESULTS_MODEL).expect("model");
        std::fs::write(dir.join("results.csv"), csv).expect("results");
        let live = live().with_results(&dir, Date::parse("2025-09-30"));
        (dir, live)
    }

    const RESULTS_MODEL: &str = "title: Mentoring
results: [results.csv]
outputs:
  - id: sessions
    label: Weekly sessions
    measures: [attended]
measures:
  - id: attended
    label: Sessions attended
    unit: percent
    baseline: 40
    target: 60
    frequency: quarterly
";

    fn svg_of(l: &Live) -> String {
        l.snapshot()
            .good()
            .map(|g| g.svg(&LIGHT).to_string())
            .unwrap_or_default()
    }

    #[test]
    fn a_save_to_a_results_file_redraws_like_a_save_to_the_model() {
        let (dir, mut l) = with_results(
            "redraw",
            "measure,period,numerator,denominator\nattended,2025-Q2,45,100\n",
        );
        let model = dir.join("model.yaml");
        assert!(matches!(
            l.reload(&model),
            Outcome::Rebuilt { version: 1, .. }
        ));
        assert!(svg_of(&l).contains(r#"data-measure="attended" data-status="at-risk""#));
        assert!(svg_of(&l).contains(">45% ◆</tspan>"));
        assert_eq!(l.inputs(), [dir.join("results.csv")]);
        assert_eq!(l.reload(&model), Outcome::Unchanged, "nothing was saved");
        std::fs::write(
            dir.join("results.csv"),
            "measure,period,numerator,denominator\nattended,2025-Q2,61,100\n",
        )
        .expect("save");
        assert!(matches!(
            l.reload(&model),
            Outcome::Rebuilt { version: 2, .. }
        ));
        assert!(svg_of(&l).contains(r#"data-status="met""#));
        assert!(svg_of(&l).contains(">61% ★</tspan>"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_broken_results_file_keeps_the_last_diagram_and_points_into_the_csv() {
        let good = "measure,period,numerator,denominator\nattended,2025-Q2,45,100\n";
        let (dir, mut l) = with_results("broken", good);
        let model = dir.join("model.yaml");
        l.reload(&model);
        let before = l.snapshot();
        std::fs::write(
            dir.join("results.csv"),
            "measure,period,numerator,denominator\nattended,2025-Q2,145,100\n",
        )
        .expect("save");
        assert_eq!(
            l.reload(&model),
            Outcome::Broken {
                errors: 1,
                kept: Some(1)
            }
        );
        let after = l.snapshot();
        assert!(after.stale() && after.errors() == 1);
        assert!(Arc::ptr_eq(
            before.good().expect("good"),
            after.good().expect("kept")
        ));
        assert_eq!(after.report().errors, 0, "the model is fine");
        let csv = &after.result_files()[0];
        assert!(csv.path.ends_with("results.csv"));
        let d = &csv.diagnostics[0];
        assert_eq!(d.code.as_str(), "result-numerator-above-denominator");
        assert_eq!(d.line, 2, "the row in the CSV");
        // The fix draws again.
        std::fs::write(dir.join("results.csv"), good).expect("fix");
        assert!(matches!(
            l.reload(&model),
            Outcome::Rebuilt { version: 2, .. }
        ));
        assert!(!l.snapshot().stale());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_results_file_deleted_mid_save_keeps_everything() {
        let (dir, mut l) = with_results("deleted", "measure,period,value\nattended,2025-Q2,45\n");
        let model = dir.join("model.yaml");
        l.reload(&model);
        let seq = l.snapshot().seq();
        std::fs::remove_file(dir.join("results.csv")).expect("delete");
        assert_eq!(l.reload(&model), Outcome::Missing);
        assert_eq!(l.snapshot().seq(), seq);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_results_file_named_by_a_later_save_is_read_and_followed() {
        let (dir, mut l) = with_results("later", "measure,period,value\nattended,2025-Q2,45\n");
        let model = dir.join("model.yaml");
        std::fs::write(
            &model,
            RESULTS_MODEL.replace("results: [results.csv]\n", ""),
        )
        .expect("model");
        assert!(matches!(l.reload(&model), Outcome::Rebuilt { .. }));
        assert!(l.inputs().is_empty());
        assert!(!svg_of(&l).contains("data-status"), "no results, no marks");
        std::fs::write(&model, RESULTS_MODEL).expect("model");
        assert!(matches!(
            l.reload(&model),
            Outcome::Rebuilt { version: 2, .. }
        ));
        assert_eq!(l.inputs(), [dir.join("results.csv")]);
        // Without counts the rise cannot be tested against chance, so it is judged on its
        // direction alone.
        assert!(svg_of(&l).contains(">45% ▲</tspan>"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_good_file_builds_version_one() {
        let mut l = live();
        assert!(matches!(
            l.update(ok(GOOD)),
            Outcome::Rebuilt { version: 1, .. }
        ));
        let s = l.snapshot();
        assert_eq!((s.version(), s.seq(), s.stale()), (1, 1, false));
        let svg = s
            .good()
            .map(|g| g.svg(&LIGHT).to_string())
            .unwrap_or_default();
        assert!(svg.contains(r#"data-id="mentors""#));
    }

    #[test]
    fn a_broken_save_keeps_the_last_diagram_and_the_version() {
        let mut l = live();
        l.update(ok(GOOD));
        let before = l.snapshot();
        assert_eq!(
            l.update(ok(BROKEN)),
            Outcome::Broken {
                errors: 1,
                kept: Some(1)
            }
        );
        let after = l.snapshot();
        assert_eq!(after.version(), 1, "no new diagram, no new version");
        assert!(
            after.seq() > before.seq(),
            "viewers still hear about the errors"
        );
        assert!(after.stale());
        assert_eq!(after.errors(), 1);
        assert!(Arc::ptr_eq(
            before.good().expect("good"),
            after.good().expect("kept")
        ));
        let d = &after.report().diagnostics[0];
        assert_eq!(d.code.as_str(), "unknown-reference");
        assert_eq!((d.line, d.column), (5, 16));
        assert!(d.help.as_deref().is_some_and(|h| h.contains("sessions")));
    }

    #[test]
    fn a_broken_save_after_a_broken_start_keeps_nothing() {
        let mut l = live();
        l.update(ok("title: ["));
        assert_eq!(
            l.update(ok(BROKEN)),
            Outcome::Broken {
                errors: 1,
                kept: None
            }
        );
        assert!(matches!(
            l.update(ok(GOOD)),
            Outcome::Rebuilt { version: 1, .. }
        ));
        let s = l.snapshot();
        assert!(s.good().is_some() && !s.stale());
        assert_eq!(s.title(), Some("Mentoring"));
    }

    #[test]
    fn the_fix_bumps_the_version_and_clears_the_errors() {
        let mut l = live();
        l.update(ok(GOOD));
        l.update(ok(BROKEN));
        let fixed = GOOD.replace("Weekly", "Fortnightly");
        assert!(matches!(
            l.update(ok(&fixed)),
            Outcome::Rebuilt { version: 2, .. }
        ));
        let s = l.snapshot();
        assert!(!s.stale());
        assert_eq!(s.errors(), 0);
        assert!(
            s.good()
                .is_some_and(|g| g.svg(&LIGHT).contains("Fortnightly"))
        );
    }

    #[test]
    fn a_missing_or_unchanged_file_changes_nothing() {
        let mut l = live();
        l.update(ok(GOOD));
        let seq = l.snapshot().seq();
        let gone = Err(io::Error::from(io::ErrorKind::NotFound));
        assert_eq!(l.update(gone), Outcome::Missing);
        assert_eq!(l.update(ok(GOOD)), Outcome::Unchanged);
        let denied = Err(io::Error::from(io::ErrorKind::PermissionDenied));
        assert!(matches!(l.update(denied), Outcome::Unreadable(_)));
        assert_eq!(l.snapshot().seq(), seq);
        assert_eq!(l.snapshot().version(), 1);
    }

    #[test]
    fn a_half_written_file_shows_errors_until_the_rest_arrives() {
        let mut l = live();
        l.update(ok(GOOD));
        let half = &GOOD[..GOOD.len() / 2];
        assert!(matches!(l.update(ok(half)), Outcome::Broken { .. }));
        assert!(l.snapshot().stale());
        let more = format!("{GOOD}  - id: extra\n    label: Extra\n");
        assert!(matches!(
            l.update(ok(&more)),
            Outcome::Rebuilt { version: 2, .. }
        ));
    }

    #[test]
    fn a_file_broken_from_the_start_has_no_diagram() {
        let mut l = live();
        assert_eq!(
            l.update(ok("title: [")),
            Outcome::Broken {
                errors: 1,
                kept: None
            }
        );
        let s = l.snapshot();
        assert_eq!(s.version(), 0);
        assert!(s.good().is_none());
        assert!(!s.stale(), "nothing to be stale");
        let j = s.json(&LIGHT, "n");
        assert_eq!(j["svg"], Value::Null);
        assert_eq!(j["title"], Value::Null, "`[` is no title");
        assert_eq!(j["report"]["diagnostics"][0]["code"], "yaml-syntax");
    }

    #[test]
    fn a_file_broken_from_the_start_still_shows_its_title() {
        // Parsed, with an error in the links: the title comes from the model.
        let mut l = live();
        assert!(matches!(
            l.update(ok(BROKEN)),
            Outcome::Broken { kept: None, .. }
        ));
        assert_eq!(l.snapshot().title(), Some("Mentoring"));
        assert_eq!(l.snapshot().json(&LIGHT, "n")["title"], "Mentoring");
        // Not YAML at all further down: the title line is still read.
        let mut l = live();
        let text = "title: \"Step Up: mentoring\"  # the pilot\ninputs:\n  - id: a\n\tlabel: A\n";
        assert!(matches!(
            l.update(ok(text)),
            Outcome::Broken { kept: None, .. }
        ));
        assert!(l.snapshot().good().is_none());
        assert_eq!(l.snapshot().title(), Some("Step Up: mentoring"));
    }

    #[test]
    fn only_a_plain_title_line_is_read_from_a_broken_file() {
        let read = |t: &str| readable_title(t);
        assert_eq!(
            read("title: Mentoring # v2\n").as_deref(),
            Some("Mentoring")
        );
        assert_eq!(read("x: 1\ntitle: 'It''s'\n").as_deref(), Some("It's"));
        assert_eq!(read("title: 'unclosed\n"), None);
        assert_eq!(
            read("title: \"A \\\"B\\\"\"\n"),
            None,
            "escapes are not guessed"
        );
        assert_eq!(read("title: [a, b\n"), None);
        assert_eq!(read("title: |\n  block\n"), None);
        assert_eq!(read("  title: nested\n"), None);
        assert_eq!(read("title:\n"), None);
        assert_eq!(read("title: \"unclosed\n"), None);
        assert_eq!(
            read("title: a\u{1b}]0;x\u{7}b\n").as_deref(),
            Some("a]0;xb"),
            "no control characters"
        );
    }

    #[test]
    fn events_carry_the_theme_and_the_style_nonce() {
        let mut l = live();
        l.update(ok(GOOD));
        let s = l.snapshot();
        let e = s.event(&DARK, "abc123");
        assert!(e.starts_with("data: {") && e.ends_with("}\n\n"));
        assert_eq!(e.matches('\n').count(), 2, "one data line");
        let j: Value = serde_json::from_str(&e["data: ".len()..]).expect("json");
        assert_eq!(j["theme"], "dark");
        assert!(
            j["svg"]
                .as_str()
                .is_some_and(|svg| svg.contains(r#"<style nonce="abc123">"#))
        );
        assert_eq!(j["version"], 1);
    }

    #[test]
    fn details_hold_measures_and_assumptions_from_the_model() {
        let src = r#"title: T
outputs:
  - id: out
    label: Sessions held
    description: Counted weekly
    measures: [count]
    leads_to: [conf]
direct_impacts:
  - id: conf
    label: Confidence <grows>
    measures: [score]
measures:
  - id: count
    label: Sessions
    unit: sessions
    baseline: 0
    target: 40
    source: log
    frequency: weekly
  - id: score
    label: Confidence score
    kind: qualitative
sources:
  - id: log
    label: Log
assumptions:
  - id: a1
    text: People come back
    applies_to: [out]
    status: holding
  - id: a2
    text: Sessions build confidence
    applies_to: ["out -> conf"]
"#;
        let c = crate::compile(src);
        let d = details(c.model.as_ref().expect("model"));
        let out = &d["out"];
        assert_eq!(out["label"], "Sessions held");
        assert_eq!(out["stage"], "outputs");
        assert_eq!(out["description"], "Counted weekly");
        assert_eq!(out["measures"][0]["target"], 40.0);
        assert_eq!(out["measures"][0]["unit"], "sessions");
        assert_eq!(out["measures"][0]["kind"], "quantitative");
        assert_eq!(out["assumptions"][0]["number"], 1);
        assert_eq!(out["assumptions"][0]["status"], "holding");
        assert_eq!(out["assumptions"][0]["link"], Value::Null);
        assert_eq!(out["assumptions"][1]["number"], 2);
        assert_eq!(
            out["assumptions"][1]["link"],
            "Sessions held → Confidence <grows>"
        );
        // Raw text: the page inserts it with textContent, never as markup.
        assert_eq!(d["conf"]["label"], "Confidence <grows>");
        assert_eq!(d["conf"]["measures"][0]["kind"], "qualitative");
        assert_eq!(d["conf"]["assumptions"][0]["number"], 2);
    }
}
