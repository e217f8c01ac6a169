//! Keystroke-to-squiggle latency of `elmo lsp`: from a `didChange` written to the server's
//! standard input to the `publishDiagnostics` for that version read from its standard
//! output, on a generated 1,000-node model, through the protocol as an editor speaks it.
//! Each change edits one label (incremental sync, as Neovim and VS Code send it), and every
//! other change misspells a `leads_to` id, so the diagnostics alternate. Reports the median
//! and the 95th percentile; the target is p95 < 50 ms.
//!
//! ```console
//! $ cargo bench --bench lsp_latency
//! ```
//!
//! Under `cargo test` (no `--bench` argument) it runs a 100-node model a few times, so the
//! harness keeps working without the cost of a measurement.

#[allow(dead_code)]
#[path = "../tests/it/lsp_server/client.rs"]
mod client;

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let (nodes, changes) = if bench { (1_000, 100) } else { (100, 5) };
    let text = elmo::generate::layered_model(nodes, 7);
    let dir = std::env::temp_dir().join(format!("elmo-lsp-latency-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let uri = format!("file://{}/model.yaml", dir.display());
    let mut command = Command::new(env!("CARGO_BIN_EXE_elmo"));
    command.arg("lsp");
    let mut lsp = client::Client::start(command, json!({}));
    lsp.open(&uri, &text);
    let first = lsp.diagnostics_at(&uri, 1);
    let clean = first["diagnostics"].as_array().map_or(0, Vec::len);

    // The first `leads_to` target, to misspell and restore in turn.
    let link = text.find("leads_to: [").expect("a link") + "leads_to: [".len();
    let (line, character) = position(&text, link);
    let mut times = Vec::new();
    for version in 2..2 + changes {
        let broken = version % 2 == 0;
        // Insert an `x` into the id, or take it out again.
        let (end, new_text) = if broken {
            (character, "x")
        } else {
            (character + 1, "")
        };
        let start = Instant::now();
        lsp.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{
                    "range": {"start": {"line": line, "character": character},
                              "end": {"line": line, "character": end}},
                    "text": new_text,
                }],
            }),
        );
        let published = lsp.diagnostics_at(&uri, version as i64);
        times.push(start.elapsed());
        let found = published["diagnostics"].as_array().map_or(0, Vec::len);
        assert_eq!(
            found,
            clean + usize::from(broken),
            "version {version}: {published}"
        );
    }
    lsp.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = times[times.len() / 2];
    let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
    println!(
        "lsp_latency: {nodes} nodes, {changes} changes: didChange to publishDiagnostics median {:.1} ms, p95 {:.1} ms, max {:.1} ms (target p95 < 50 ms)",
        ms(median),
        ms(p95),
        ms(times[times.len() - 1]),
    );
}

/// The protocol's line and UTF-16 character of byte `offset` in `text`.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..offset].matches('\n').count();
    (line, text[line_start..offset].encode_utf16().count())
}
