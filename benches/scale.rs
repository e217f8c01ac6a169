//! Scale: time and peak memory for a 1 000- and a 10 000-node model through every stage a
//! user meets (check, draw, report, serve). Run with `cargo bench --bench scale`.
//!
//! Peak memory in process is the high-water mark of live heap bytes, counted by a wrapping
//! allocator, so it is exact and the same on every machine. `elmo serve` runs as its own
//! process; its figure is the kernel's peak resident size (VmHWM, Linux only).
//!
//! Targets: a 10 000-node model checks in under a second, draws in under ten, and no stage
//! needs more than 1 GiB.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{measure, mib};

/// `elmo serve` on the file: time from start to the first page fully loaded, and the
/// server's peak resident memory after that page and one event.
fn serve(file: &std::path::Path) -> (Duration, Option<u64>) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_elmo"))
        .args(["serve", "--port", "0"])
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("elmo serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("URL line");
    let addr = line
        .trim()
        .trim_start_matches("Serving http://")
        .trim_end_matches('/')
        .to_string();
    let mut page = Vec::new();
    let mut s = TcpStream::connect(&addr).expect("connect");
    write!(
        s,
        "GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    s.read_to_end(&mut page).expect("page");
    let took = start.elapsed();
    assert!(
        String::from_utf8_lossy(&page).contains("data-version=\"1\""),
        "the page has no diagram"
    );
    let hwm = std::fs::read_to_string(format!("/proc/{}/status", child.id()))
        .ok()
        .and_then(|st| {
            st.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        });
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let _ = child.wait();
    (took, hwm)
}

fn main() {
    // `cargo bench` passes `--bench`; a filter, if any, picks sizes.
    let filter: Option<usize> = std::env::args().skip(1).find_map(|a| a.parse().ok());
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("scale");
    std::fs::create_dir_all(&dir).expect("scratch folder");
    println!(
        "{:>6} {:>9} | {:>9} {:>9} | {:>9} {:>9} | {:>9} {:>9} | {:>9} {:>9}",
        "nodes", "file", "check", "heap", "draw", "heap", "report", "heap", "serve", "RSS"
    );
    for n in [1_000, 10_000] {
        if filter.is_some_and(|f| f != n) {
            continue;
        }
        let src = elmo::generate::layered_model(n, 7);
        let file = dir.join(format!("model-{n}.yaml"));
        std::fs::write(&file, &src).expect("write the model");
        let (compiled, check_t, check_m) = measure(|| elmo::compile(&src));
        assert!(!compiled.has_errors(), "{:?}", compiled.diagnostics.first());
        let (svg, draw_t, draw_m) =
            measure(|| elmo::render::svg(&compiled, &elmo::render::theme::LIGHT));
        let svg = svg.expect("drawn");
        let (html, report_t, report_m) = measure(|| {
            elmo::report::Report::build(&compiled).map(|r| {
                elmo::report::html::html(&elmo::report::build::document(
                    &r,
                    elmo::report::document::Audience::Funder,
                    Some(&svg),
                ))
            })
        });
        assert!(html.is_some_and(|h| h.len() > svg.len()));
        let (serve_t, serve_rss) = serve(&file);
        println!(
            "{:>6} {:>7.1}MB | {:>7.0}ms {:>7.1}MB | {:>7.0}ms {:>7.1}MB | {:>7.0}ms {:>7.1}MB | {:>7.0}ms {:>9}",
            n,
            mib(src.len()),
            check_t.as_secs_f64() * 1e3,
            mib(check_m),
            draw_t.as_secs_f64() * 1e3,
            mib(draw_m),
            report_t.as_secs_f64() * 1e3,
            mib(report_m),
            serve_t.as_secs_f64() * 1e3,
            serve_rss.map_or("n/a".to_string(), |k| format!("{:.1}MB", k as f64 / 1024.0)),
        );
    }
}
