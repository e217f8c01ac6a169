//! `elmo serve` under a room's worth of load, on loopback: 200 page loads at once and 100
//! open event streams while the model is saved 100 times, with misbehaving clients mixed in.
//! Every stream must end on the last version, no request may fail, and when the clients
//! leave the server's threads and memory must come back to where they were.
//!
//! Bounded: every socket has a timeout and the whole test a deadline. Memory and threads are
//! read from /proc, so that part runs on Linux only.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const PAGE_LOADS: usize = 200;
const STREAMS: usize = 100;
const SAVES: usize = 100;
const MISBEHAVING: usize = 30;
const DEADLINE: Duration = Duration::from_secs(120);

fn model(save: usize) -> String {
    let mut s = format!(
        "title: Load test\ninputs:\n  - id: mentors\n    label: Mentors_save_{save}\n    leads_to: [sessions]\nactivities:\n  - id: sessions\n    label: Weekly sessions\n"
    );
    // Enough nodes that a rebuild is real work, not an empty diagram.
    for i in 0..40 {
        s.push_str(&format!(
            "  - id: extra-{i}\n    label: Extra activity {i}\n"
        ));
    }
    s
}

/// Stops `elmo serve` with Ctrl-C even when an assertion fails.
struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

fn start(file: &Path) -> (Serve, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_elmo"))
        .args(["serve", "--port", "0"])
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("elmo serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("URL line");
    let addr = line
        .trim()
        .strip_prefix("Serving http://")
        .and_then(|a| a.strip_suffix('/'))
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no URL in {line:?}"));
    (Serve(child), addr)
}

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect_timeout(&addr, Duration::from_secs(10)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    s.set_write_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    s
}

/// One whole page load: the status line and the body.
fn load_page(addr: SocketAddr) -> Result<(String, String), String> {
    let mut s = connect(addr);
    write!(
        s,
        "GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").ok_or("no head")?;
    let status = head.lines().next().unwrap_or_default().to_string();
    Ok((status, body.to_string()))
}

/// Reads an event stream until `stop` is set, returning every version seen and the label of
/// the last event's diagram.
fn stream(addr: SocketAddr, go: Arc<Barrier>) -> JoinHandle<Result<Vec<u64>, String>> {
    std::thread::spawn(move || {
        let mut s = connect(addr);
        write!(s, "GET /events HTTP/1.1\r\nHost: {addr}\r\n\r\n").map_err(|e| e.to_string())?;
        let mut r = BufReader::new(s);
        let mut status = String::new();
        r.read_line(&mut status).map_err(|e| e.to_string())?;
        if !status.starts_with("HTTP/1.1 200") {
            return Err(format!("stream refused: {status}"));
        }
        go.wait();
        let mut versions = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            match r.read_line(&mut line) {
                Ok(0) => return Ok(versions),
                Ok(_) => {}
                Err(e) => return Err(format!("after {versions:?}: {e}")),
            }
            if let Some(data) = line.strip_prefix("data: ") {
                let v: serde_json::Value =
                    serde_json::from_str(data.trim_end()).map_err(|e| e.to_string())?;
                let version = v["version"].as_u64().unwrap_or_default();
                let svg = v["svg"].as_str().unwrap_or_default();
                if svg.contains(&format!("Mentors_save_{}", SAVES - 1)) {
                    versions.push(version);
                    // The last save is in: this client has seen the last version.
                    return Ok(versions);
                }
                versions.push(version);
            }
        }
    })
}

/// Clients that open a connection and then do something a browser would not.
fn misbehave(addr: SocketAddr, kind: usize) -> Result<(), String> {
    let mut s = connect(addr);
    s.set_read_timeout(Some(Duration::from_secs(15)))
        .map_err(|e| e.to_string())?;
    match kind % 5 {
        // Connects and says nothing; the server's read timeout must let it go.
        0 => std::thread::sleep(Duration::from_millis(200)),
        // Half a request line, then gone.
        1 => s.write_all(b"GET /ev").map_err(|e| e.to_string())?,
        // Not HTTP at all.
        2 => {
            s.write_all(b"\x16\x03\x01\x02\x00garbage\r\n\r\n")
                .map_err(|e| e.to_string())?;
            let _ = s.read_to_end(&mut Vec::new());
        }
        // A head far over the size limit.
        3 => {
            let big = format!(
                "GET / HTTP/1.1\r\nHost: {addr}\r\nX: {}\r\n\r\n",
                "a".repeat(64 * 1024)
            );
            let _ = s.write_all(big.as_bytes());
            let _ = s.read_to_end(&mut Vec::new());
        }
        // Path traversal: must be refused, not served from disk.
        _ => {
            write!(
                s,
                "GET /../../etc/passwd HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
            )
            .map_err(|e| e.to_string())?;
            let mut body = String::new();
            let _ = s.read_to_string(&mut body);
            if body.contains("root:") || body.starts_with("HTTP/1.1 200") {
                return Err(format!("traversal answered: {body}"));
            }
        }
    }
    Ok(())
}

/// The server's resident memory in KiB and its thread count, from /proc.
#[cfg(target_os = "linux")]
fn usage(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("Threads:"))
}

#[cfg(not(target_os = "linux"))]
fn usage(_: u32) -> (u64, u64) {
    (0, 0)
}

/// Waits until the server is back to `threads` threads (closed clients are noticed within a
/// second or two), or for 20 s, returning its usage then.
fn settle(pid: u32, threads: u64) -> (u64, u64) {
    let started = Instant::now();
    loop {
        let now = usage(pid);
        if now.1 <= threads || started.elapsed() > Duration::from_secs(20) {
            return now;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// One round of the room: streams open, page loads and misbehaving clients at once, the
/// model saved `SAVES` times; returns the versions each stream saw.
fn round(addr: SocketAddr, file: &Path) -> Vec<Vec<u64>> {
    std::fs::write(file, model(0)).expect("reset the model");
    std::thread::sleep(Duration::from_millis(300));
    let go = Arc::new(Barrier::new(STREAMS + PAGE_LOADS + 1));
    let streams: Vec<_> = (0..STREAMS).map(|_| stream(addr, go.clone())).collect();
    let pages: Vec<_> = (0..PAGE_LOADS)
        .map(|_| {
            let go = go.clone();
            std::thread::spawn(move || {
                go.wait();
                load_page(addr)
            })
        })
        .collect();
    let bad: Vec<_> = (0..MISBEHAVING)
        .map(|i| std::thread::spawn(move || misbehave(addr, i)))
        .collect();
    go.wait();
    for save in 1..SAVES {
        // Half in place, half through a rename, as editors do.
        if save % 2 == 0 {
            std::fs::write(file, model(save)).expect("save in place");
        } else {
            let tmp = file.with_extension("yaml.tmp");
            std::fs::write(&tmp, model(save)).expect("write temp");
            std::fs::rename(&tmp, file).expect("rename over");
        }
        std::thread::sleep(Duration::from_millis(15));
    }
    for (i, page) in pages.into_iter().enumerate() {
        let (status, body) = page
            .join()
            .expect("page thread")
            .unwrap_or_else(|e| panic!("page load {i} failed: {e}"));
        assert!(
            status.starts_with("HTTP/1.1 200"),
            "page load {i}: {status}"
        );
        assert!(
            body.contains("data-version") && body.contains("</html>"),
            "page load {i} got half a page ({} bytes)",
            body.len()
        );
    }
    for (i, b) in bad.into_iter().enumerate() {
        b.join()
            .expect("misbehaving thread")
            .unwrap_or_else(|e| panic!("misbehaving client {i}: {e}"));
    }
    streams
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            s.join()
                .expect("stream thread")
                .unwrap_or_else(|e| panic!("stream {i}: {e}"))
        })
        .collect()
}

#[test]
fn a_room_of_clients_all_see_the_last_save_and_leave_nothing_behind() {
    let started = Instant::now();
    let dir = std::env::temp_dir().join(format!("elmo-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let file = dir.join("model.yaml");
    std::fs::write(&file, model(0)).expect("model");
    let (server, addr) = start(&file);
    let pid = server.0.id();
    // At rest means after the first page load, with the watcher and its timers started.
    load_page(addr).expect("first page");
    std::thread::sleep(Duration::from_secs(1));
    let idle = usage(pid);

    // A first round warms the allocator's arenas and the diagram caches, so the baseline
    // is the server at rest after a workshop, not a server that has never been used.
    round(addr, &file);
    let baseline = settle(pid, idle.1);

    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut peak = (0, 0);
            while !done.load(Ordering::SeqCst) {
                let now = usage(pid);
                peak = (peak.0.max(now.0), peak.1.max(now.1));
                std::thread::sleep(Duration::from_millis(10));
            }
            peak
        })
    };
    let seen = round(addr, &file);
    done.store(true, Ordering::SeqCst);
    let peak = sampler.join().expect("sampler");
    let after = settle(pid, idle.1);
    eprintln!(
        "serve under load: idle {} KiB / {} threads; baseline {} KiB; after {} KiB / {} threads; peak during the round {} KiB / {} threads; {:.1} s",
        idle.0,
        idle.1,
        baseline.0,
        after.0,
        after.1,
        peak.0,
        peak.1,
        started.elapsed().as_secs_f64()
    );

    // Every stream ends on the version of the last save, and versions only grow.
    let last = seen
        .iter()
        .filter_map(|v| v.last())
        .max()
        .copied()
        .unwrap_or(0);
    assert!(last > 1, "no rebuild was seen: {seen:?}");
    for (i, versions) in seen.iter().enumerate() {
        assert_eq!(versions.last(), Some(&last), "stream {i} saw {versions:?}");
        assert!(
            // A save caught half-written repeats the version with its errors; never lower.
            versions.windows(2).all(|w| w[0] <= w[1]),
            "stream {i} went backwards: {versions:?}"
        );
    }

    if cfg!(target_os = "linux") {
        // Closed clients free their threads...
        assert!(
            after.1 <= idle.1,
            "threads left behind: {} at rest, {} after",
            idle.1,
            after.1
        );
        assert!(
            peak.1 > idle.1 + STREAMS as u64 / 2,
            "the streams were never open at once: peak {} threads",
            peak.1
        );
        // ...and their memory: within 10 MiB of the warmed-up baseline (allocator slack).
        assert!(
            after.0 <= baseline.0 + 10 * 1024,
            "memory grew from {} KiB to {} KiB",
            baseline.0,
            after.0
        );
    }
    assert!(started.elapsed() < DEADLINE, "took {:?}", started.elapsed());
    // The server is still well after all of that.
    let (status, _) = load_page(addr).expect("a page after the load");
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    drop(server);
    assert_eq!(
        std::fs::read_to_string(&file).expect("model"),
        model(SAVES - 1),
        "the server never writes the model"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
