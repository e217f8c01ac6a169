//! Slowloris against `elmo serve`: 516 connections that each send one byte of a request head
//! every 4 seconds once held all 512 connection slots, and every real page load got 503 for as
//! long as the attack went on. A real page must load while the attack runs.
//!
//! The attack is the one reported: 516 connections, a byte each every 4 s. The server's head
//! deadline is shortened (a setting of the library) so that the deadline and the attacker's
//! reconnections happen within a few seconds rather than a minute.

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv6Addr, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use elmo::serve::{Config, Server};

use crate::common::MENTORING as MODEL;

/// The attack as reported.
const ATTACKERS: usize = 516;
const BYTE_EVERY: Duration = Duration::from_secs(4);

fn model_in(name: &str) -> PathBuf {
    let dir = crate::common::scratch(&format!("slowloris/{name}"));
    let file = dir.join("model.yaml");
    std::fs::write(&file, MODEL).expect("write");
    file
}

/// One slow client: its socket, when it last sent a byte, and how far into its endless head
/// it has got.
struct Slow {
    stream: Option<TcpStream>,
    next_byte: Instant,
    sent: usize,
}

/// The byte a slow client sends after `sent` bytes: a real request line, then a header that
/// never ends.
fn byte(sent: usize) -> u8 {
    const START: &[u8] = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";
    START.get(sent).copied().unwrap_or(b'a')
}

fn open(addr: SocketAddr) -> Option<TcpStream> {
    let s = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()?;
    s.set_nonblocking(true).ok()?;
    Some(s)
}

/// Whether the server has closed this connection (or answered it, which it only does to
/// refuse it).
fn closed(mut s: &TcpStream) -> bool {
    let mut b = [0u8; 256];
    match s.read(&mut b) {
        // End of file, or the 503 that comes just before it.
        Ok(0) | Ok(_) => true,
        Err(e) => e.kind() != ErrorKind::WouldBlock,
    }
}

/// Runs the attack until `stop`: every connection sends a byte every [`BYTE_EVERY`]
/// (staggered, so the server sees a steady trickle), and one the server closes is opened
/// again a moment later, as a persistent attacker would. Returns how many connections were
/// open at the attack's height.
fn attack(addr: SocketAddr, stop: Arc<AtomicBool>, open_now: Arc<AtomicUsize>) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let t0 = Instant::now();
        let mut clients: Vec<Slow> = (0..ATTACKERS)
            .map(|i| Slow {
                stream: None,
                next_byte: t0 + BYTE_EVERY.mul_f64(i as f64 / ATTACKERS as f64),
                sent: 0,
            })
            .collect();
        while !stop.load(Ordering::SeqCst) {
            let now = Instant::now();
            let mut n = 0;
            for c in &mut clients {
                match &mut c.stream {
                    Some(s) if closed(s) => c.stream = None,
                    Some(s) => {
                        if now >= c.next_byte {
                            if s.write_all(&[byte(c.sent)]).is_err() {
                                c.stream = None;
                                continue;
                            }
                            c.sent += 1;
                            c.next_byte = now + BYTE_EVERY;
                        }
                        n += 1;
                    }
                    None => {
                        c.stream = open(addr);
                        c.sent = 0;
                        if let Some(s) = &mut c.stream
                            && s.write_all(&[byte(0)]).is_ok()
                        {
                            c.sent = 1;
                            c.next_byte = now + BYTE_EVERY;
                            n += 1;
                        }
                    }
                }
            }
            open_now.fetch_max(n, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(250));
        }
    })
}

/// A page load as a browser makes it: the whole head at once, then the response.
fn load_page(addr: SocketAddr) -> Result<(), String> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
        .map_err(|e| format!("connect: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    // In one write, as browsers send it.
    let head = format!(
        "GET / HTTP/1.1\r\nHost: localhost:{}\r\nConnection: close\r\n\r\n",
        addr.port()
    );
    s.write_all(head.as_bytes())
        .map_err(|e| format!("send: {e}"))?;
    let mut body = Vec::new();
    s.read_to_end(&mut body).map_err(|e| format!("read: {e}"))?;
    let text = String::from_utf8_lossy(&body);
    let status = text.lines().next().unwrap_or("").to_string();
    if !status.starts_with("HTTP/1.1 200") {
        return Err(status);
    }
    if !text.contains(r#"data-id="mentors""#) || !text.trim_end().ends_with("</html>") {
        return Err(format!("incomplete page ({} bytes)", body.len()));
    }
    Ok(())
}

/// Loads the page every `every` until `until`, from `addr`; returns every failure, with when
/// it happened.
fn load_repeatedly(
    addr: SocketAddr,
    start: Instant,
    until: Instant,
    every: Duration,
) -> (usize, Vec<String>) {
    let mut loads = 0;
    let mut failures = Vec::new();
    while Instant::now() < until {
        let at = start.elapsed();
        loads += 1;
        if let Err(e) = load_page(addr) {
            failures.push(format!("at {:.1} s: {e}", at.as_secs_f64()));
        }
        std::thread::sleep(every);
    }
    (loads, failures)
}

/// The attacker holds every connection its address may have and keeps reopening them; a
/// viewer at another address loads the page throughout, including as the deadline drops the
/// attacker's connections and they come back.
#[test]
fn a_page_loads_for_another_viewer_while_516_slow_clients_trickle_their_heads() {
    let file = model_in("slowloris-other");
    let config = Config {
        host: IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        head_deadline: Duration::from_secs(3),
        ..Config::default()
    };
    // Two loopback addresses stand for two machines: IPv4 for the attacker and IPv6 for the
    // viewer, both reaching one server that listens on both.
    let server = match Server::start(&file, config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("\n*** SKIPPED: cannot listen on [::] ({e}) ***\n");
            return;
        }
    };
    let port = server.addr().port();
    let attacker_addr = SocketAddr::from(([127, 0, 0, 1], port));
    let viewer_addr = SocketAddr::from((Ipv6Addr::LOCALHOST, port));
    if TcpStream::connect_timeout(&viewer_addr, Duration::from_secs(2)).is_err() {
        eprintln!("\n*** SKIPPED: no IPv6 loopback here ***\n");
        server.shutdown();
        return;
    }
    let stop = Arc::new(AtomicBool::new(false));
    let height = Arc::new(AtomicUsize::new(0));
    let attacker = attack(attacker_addr, stop.clone(), height.clone());
    // Let every attacking connection open and start trickling.
    let start = Instant::now();
    let held = filled(&server, start);
    // Past the 3 s deadline twice over, so the viewer also loads while connections are being
    // dropped and reopened.
    let (loads, failures) = load_repeatedly(
        viewer_addr,
        start,
        start + Duration::from_secs(8),
        Duration::from_millis(400),
    );
    stop.store(true, Ordering::SeqCst);
    let _ = attacker.join();
    assert!(
        held >= 300 && height.load(Ordering::SeqCst) >= 300,
        "the attack must fill the server to mean anything: {held} held, {} open at most",
        height.load(Ordering::SeqCst)
    );
    assert!(loads >= 10, "{loads} loads");
    assert!(
        failures.is_empty(),
        "{} of {loads} page loads failed during the attack:\n{}",
        failures.len(),
        failures.join("\n")
    );
    server.shutdown();
}

/// The viewer shares the attacker's address (both on this machine, or behind one router):
/// the connections that have trickled for longest give way to a request that arrives whole.
#[test]
fn a_page_loads_from_the_attackers_own_address_while_516_slow_clients_trickle() {
    let file = model_in("slowloris-same");
    let server = Server::start(&file, Config::default()).expect("server starts");
    let addr = server.addr();
    let stop = Arc::new(AtomicBool::new(false));
    let height = Arc::new(AtomicUsize::new(0));
    let attacker = attack(addr, stop.clone(), height.clone());
    let start = Instant::now();
    let held = filled(&server, start);
    let (loads, failures) = load_repeatedly(
        addr,
        start,
        start + Duration::from_secs(5),
        Duration::from_millis(400),
    );
    stop.store(true, Ordering::SeqCst);
    let _ = attacker.join();
    assert!(held >= 300, "the attack must fill the server: {held} held");
    assert!(loads >= 5, "{loads} loads");
    assert!(
        failures.is_empty(),
        "{} of {loads} page loads failed during the attack:\n{}",
        failures.len(),
        failures.join("\n")
    );
    server.shutdown();
}

/// How many connections the server holds once the attack has filled it: at least 1.5 s in,
/// and on a busy machine, where the attacker is slower to open its connections, until 300
/// are open or 10 s have passed, so the loads meet a full server, not one still filling.
fn filled(server: &Server, start: Instant) -> usize {
    let mut held = 0;
    while start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
        held = server.connections();
        if held >= 300 && start.elapsed() >= Duration::from_millis(1500) {
            break;
        }
    }
    held
}
