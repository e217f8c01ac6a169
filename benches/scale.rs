//! Scale: time and peak memory for a 1 000- and a 10 000-node model through every stage a
//! user meets (check, draw, report, serve). Run with `cargo bench --bench scale`.
//!
//! Peak memory in process is the high-water mark of live heap bytes, counted by a wrapping
//! allocator, so it is exact and the same on every machine. `elmo serve` runs as its own
//! process; its figure is the kernel's peak resident size (VmHWM, Linux only).
//!
//! Targets: a 10 000-node model checks in under a second, draws in under ten, and no stage
//! needs more than 1 GiB.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Counts live heap bytes and their high-water mark.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counters are only
// statistics and never affect what is returned.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            let live = if new_size >= layout.size() {
                LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                    - layout.size()
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed) - layout.size()
                    + new_size
            };
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Runs `f`, returning its result, the time it took and the heap it needed above what was
/// live before it started.
fn measure<T>(f: impl FnOnce() -> T) -> (T, Duration, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    (out, took, PEAK.load(Ordering::Relaxed) - before)
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

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
            elmo::report::Report::build(&compiled).map(|r| elmo::report::html::html(&r, Some(&svg)))
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
