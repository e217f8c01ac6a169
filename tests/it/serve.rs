//! `elmo serve` and `elmo watch` without a browser: routes and headers over raw HTTP, every
//! way editors save seen through the event stream, and the commands' exit statuses.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{command, scratch};
use elmo::serve::{Config, Server};
use serde_json::Value;

use crate::common::MENTORING as MODEL;

fn with_extra(ids: &[&str]) -> String {
    let mut s = MODEL.to_string();
    for id in ids {
        s.push_str(&format!("  - id: {id}\n    label: Extra {id}\n"));
    }
    s
}

/// One request on a fresh connection; returns the status line, the headers and the body.
fn http(addr: SocketAddr, request: &str) -> (String, String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    s.write_all(request.as_bytes()).expect("send");
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let (status, headers) = head.split_once("\r\n").unwrap_or((head, ""));
    (status.to_string(), headers.to_string(), body.to_string())
}

fn get(addr: SocketAddr, path: &str) -> (String, String, String) {
    http(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
}

/// An open event stream.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(addr: SocketAddr, query: &str) -> Events {
        let mut s = TcpStream::connect(addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        write!(s, "GET /events{query} HTTP/1.1\r\nHost: {addr}\r\n\r\n").expect("send");
        let mut r = BufReader::new(s);
        let mut status = String::new();
        r.read_line(&mut status).expect("status");
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let mut headers = String::new();
        loop {
            let mut line = String::new();
            r.read_line(&mut line).expect("header");
            if line == "\r\n" {
                break;
            }
            headers.push_str(&line);
        }
        assert!(headers.contains("text/event-stream"), "{headers}");
        Events(r)
    }

    /// The next event's JSON, or `None` when the stream ends.
    fn next(&mut self) -> Option<Value> {
        loop {
            let mut line = String::new();
            if self.0.read_line(&mut line).ok()? == 0 {
                return None;
            }
            if let Some(data) = line.strip_prefix("data: ") {
                return Some(serde_json::from_str(data.trim_end()).expect("event JSON"));
            }
        }
    }
}

fn start(file: &Path) -> Server {
    Server::start(file, Config::default()).expect("server starts")
}

#[test]
fn the_page_and_its_routes() {
    let dir = scratch("serve/routes");
    let file = dir.join("model.yaml");
    std::fs::write(&file, MODEL).expect("write");
    let server = start(&file);
    let addr = server.addr();
    assert_eq!(server.url(), format!("http://127.0.0.1:{}/", addr.port()));

    let (status, headers, body) = get(addr, "/");
    assert!(status.contains("200"), "{status}");
    assert!(headers.contains("Content-Type: text/html; charset=utf-8"));
    let csp = headers
        .lines()
        .find(|l| l.starts_with("Content-Security-Policy:"))
        .expect("CSP header");
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'nonce-"));
    assert!(body.contains(r#"<html lang="en" data-version="1""#));
    assert!(body.contains(r#"<div id="diagram"><svg"#));
    assert!(body.contains(r#"<div id="diagnostics">"#));
    for outside in ["src=\"http", "href=\"http", "url(http", "@import"] {
        assert!(
            !body.contains(outside),
            "the page fetches nothing from elsewhere: {outside}"
        );
    }

    let (status, headers, body) = get(addr, "/diagram.svg?theme=dark");
    assert!(status.contains("200"), "{status}");
    assert!(headers.contains("image/svg+xml"));
    assert!(body.contains(r#"data-theme="dark""#));

    let (_, _, body) = get(addr, "/state.json");
    let state: Value = serde_json::from_str(&body).expect("state JSON");
    assert_eq!(state["version"], 1);
    assert_eq!(state["stale"], false);

    for path in [
        "/nope",
        "/model.yaml",
        "/../model.yaml",
        "/events/x",
        "/index.html",
    ] {
        let (status, _, _) = get(addr, path);
        assert!(status.contains("404"), "{path}: {status}");
    }
    let (status, _, _) = http(
        addr,
        &format!(
            "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
    );
    assert!(status.contains("405"), "{status}");
    // A page elsewhere that points its own name at 127.0.0.1 gets nothing.
    let (status, _, _) = http(
        addr,
        "GET / HTTP/1.1\r\nHost: attacker.example:80\r\nConnection: close\r\n\r\n",
    );
    assert!(status.contains("403"), "{status}");
    server.shutdown();
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        MODEL,
        "never written"
    );
}

fn wait_for(events: &mut Events, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        match events.next() {
            Some(e) if ok(&e) => return e,
            Some(_) => continue,
            None => break,
        }
    }
    panic!("no event: {what}");
}

#[test]
fn every_way_of_saving_reaches_the_event_stream() {
    let dir = scratch("serve/saves");
    let file = dir.join("model.yaml");
    std::fs::write(&file, MODEL).expect("write");
    let server = start(&file);
    let mut events = Events::open(server.addr(), "");
    let first = events.next().expect("the current state on connect");
    assert_eq!(first["version"], 1);
    assert!(
        first["svg"]
            .as_str()
            .is_some_and(|s| s.contains(r#"data-id="mentors""#))
    );
    assert_eq!(first["details"]["mentors"]["label"], "Volunteer mentors");

    let mut ids: Vec<&str> = Vec::new();
    let mut version = 1;
    for style in ["in-place", "rename", "recreate", "half"] {
        let id = match style {
            "in-place" => "in-place",
            "rename" => "renamed",
            "recreate" => "recreated",
            _ => "halved",
        };
        ids.push(id);
        let text = with_extra(&ids);
        match style {
            "in-place" => std::fs::write(&file, &text).expect("write"),
            "rename" => {
                let tmp = dir.join(".model.yaml.swp");
                std::fs::write(&tmp, &text).expect("write temp");
                std::fs::rename(&tmp, &file).expect("rename over");
            }
            "recreate" => {
                std::fs::remove_file(&file).expect("delete");
                std::thread::sleep(Duration::from_millis(60));
                std::fs::write(&file, &text).expect("recreate");
            }
            _ => {
                let mut f = std::fs::File::create(&file).expect("open");
                let half = text.len() / 2;
                f.write_all(&text.as_bytes()[..half]).expect("first half");
                f.sync_all().expect("sync");
                std::thread::sleep(Duration::from_millis(120));
                f.write_all(&text.as_bytes()[half..]).expect("second half");
            }
        }
        let needle = format!(r#"data-id="{id}""#);
        let e = wait_for(&mut events, style, |e| {
            e["svg"].as_str().is_some_and(|s| s.contains(&needle))
        });
        assert!(e["version"].as_u64().unwrap_or(0) > version, "{style}");
        assert_eq!(e["stale"], false, "{style}");
        version = e["version"].as_u64().unwrap_or(0);
    }

    // Broken: the same diagram, marked stale, with the error as `elmo check` reports it.
    let broken = with_extra(&ids).replace("leads_to: [sessions]", "leads_to: [sesions]");
    std::fs::write(&file, &broken).expect("write");
    let e = wait_for(&mut events, "broken", |e| e["stale"] == true);
    assert_eq!(e["version"].as_u64(), Some(version), "no new version");
    assert!(
        e["svg"]
            .as_str()
            .is_some_and(|s| s.contains(r#"data-id="halved""#))
    );
    let d = &e["report"]["diagnostics"][0];
    assert_eq!(d["code"], "unknown-reference");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(5), Some(16))
    );
    assert_eq!(e["report"]["errors"], 1);

    // Fixed: a new version, not stale.
    std::fs::write(&file, with_extra(&ids).replace("Weekly", "Fortnightly")).expect("write");
    let e = wait_for(&mut events, "fixed", |e| e["stale"] == false);
    assert_eq!(e["version"].as_u64(), Some(version + 1));
    assert!(e["svg"].as_str().is_some_and(|s| s.contains("Fortnightly")));
    assert_eq!(server.snapshot().version(), version + 1);
    server.shutdown();
}

#[test]
fn a_stream_in_another_theme_gets_that_theme() {
    let dir = scratch("serve/theme");
    let file = dir.join("model.yaml");
    std::fs::write(&file, MODEL).expect("write");
    let server = start(&file);
    let mut events = Events::open(server.addr(), "?theme=contrast");
    let e = events.next().expect("first event");
    assert_eq!(e["theme"], "contrast");
    assert!(
        e["svg"]
            .as_str()
            .is_some_and(|s| s.contains(r#"data-theme="contrast""#))
    );
    server.shutdown();
}

#[test]
fn stopping_ends_every_stream() {
    let dir = scratch("serve/shutdown");
    let file = dir.join("model.yaml");
    std::fs::write(&file, MODEL).expect("write");
    let server = start(&file);
    let mut streams: Vec<Events> = (0..5).map(|_| Events::open(server.addr(), "")).collect();
    for s in &mut streams {
        s.next().expect("first event");
    }
    assert_eq!(server.clients(), 5);
    server.handle().stop();
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.clients() > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(server.clients(), 0, "every stream's thread has ended");
    // Saves after the stop reach nobody.
    std::fs::write(&file, with_extra(&["late"])).expect("write");
    server.shutdown();
    for s in &mut streams {
        s.0.get_ref()
            .set_read_timeout(Some(Duration::from_millis(300)))
            .expect("timeout");
        assert!(s.next().is_none(), "nothing more is sent");
    }
}

#[test]
fn a_missing_file_is_an_error_at_start() {
    let dir = scratch("serve/missing");
    let err = Server::start(&dir.join("nothere.yaml"), Config::default())
        .err()
        .expect("no server");
    assert!(err.to_string().contains("nothere.yaml"), "{err}");
}

#[cfg(unix)]
fn interrupt(child: &mut Child) -> Option<i32> {
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    None
}

#[cfg(unix)]
#[test]
fn elmo_serve_prints_its_url_and_stops_on_ctrl_c() {
    let dir = scratch("serve/serve-cli");
    let file = dir.join("model.yaml");
    std::fs::write(&file, MODEL).expect("write");
    let mut child = command()
        .args(["serve", "--port", "0"])
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("a line");
    let url = line.trim_end().strip_prefix("Serving ").expect("Serving …");
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .and_then(|r| r.strip_suffix('/'))
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("exactly `Serving http://127.0.0.1:PORT/`: {line:?}"));
    let (status, _, _) = get(SocketAddr::from(([127, 0, 0, 1], port)), "/");
    assert!(status.contains("200"));
    assert_eq!(interrupt(&mut child), Some(0), "Ctrl-C exits 0");
}

#[test]
fn elmo_serve_refuses_a_missing_file() {
    let out = command()
        .args(["serve", "--port", "0", "no/such/model.yaml"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("model.yaml"));
}

#[cfg(unix)]
#[test]
fn elmo_watch_rewrites_the_svg_on_good_saves_only() {
    let dir = scratch("serve/watch-cli");
    let file = dir.join("model.yaml");
    let out = dir.join("model.svg");
    std::fs::write(&file, MODEL).expect("write");
    let mut child = command()
        .arg("watch")
        .arg(&file)
        .arg("-o")
        .arg(&out)
        .args(["--theme", "dark"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let lines = Lines::of(&mut child);
    lines.wait("watching");
    let first = std::fs::read_to_string(&out).expect("written at start");
    assert!(first.contains(r#"data-theme="dark""#));

    std::fs::write(&file, with_extra(&["added"])).expect("write");
    lines.wait("version 2");
    let second = std::fs::read_to_string(&out).expect("rewritten");
    assert!(second.contains(r#"data-id="added""#));

    std::fs::write(&file, MODEL.replace("[sessions]", "[sesions]")).expect("write");
    let said = lines.wait("left as it was");
    assert!(said.contains("unknown-reference"), "{said}");
    assert_eq!(
        std::fs::read_to_string(&out).expect("read"),
        second,
        "untouched"
    );
    assert!(
        std::fs::read_dir(&dir).expect("list").all(|e| !e
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .contains("elmo-tmp")),
        "no temporary file left behind"
    );
    assert_eq!(interrupt(&mut child), Some(0), "Ctrl-C exits 0");
}

#[test]
fn elmo_watch_never_writes_over_the_model() {
    let dir = scratch("serve/watch-self");
    let file = dir.join("model.yaml");
    std::fs::write(&file, MODEL).expect("write");
    let out = command()
        .arg("watch")
        .arg(&file)
        .arg("-o")
        .arg(&file)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&file).expect("read"), MODEL);
}

#[test]
fn a_request_without_exactly_one_host_header_gets_400() {
    let dir = scratch("serve/hosts-count");
    let file = dir.join("model.yaml");
    std::fs::write(&file, MODEL).expect("write");
    let server = start(&file);
    let addr = server.addr();
    for request in [
        "GET / HTTP/1.1\r\nConnection: close\r\n\r\n".to_string(),
        "GET / HTTP/1.0\r\n\r\n".to_string(),
        format!(
            "GET / HTTP/1.1\r\nHost: {addr}\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
        ),
        format!("GET / HTTP/1.1\r\nHost: {addr}\r\nhost: {addr}\r\nConnection: close\r\n\r\n"),
    ] {
        let (status, _, body) = http(addr, &request);
        assert!(status.contains("400"), "{request:?}: {status}");
        assert!(body.contains("Host"), "{body}");
    }
    server.shutdown();
}

/// Listening on every address must not switch the DNS-rebinding check off: the machine's own
/// names and addresses, and names added with `--allow-host`, are answered; others are not.
#[test]
fn a_server_on_every_address_still_refuses_foreign_host_names() {
    let dir = scratch("serve/hosts-any");
    let file = dir.join("model.yaml");
    std::fs::write(&file, MODEL).expect("write");
    let config = Config {
        host: "0.0.0.0".parse().expect("ip"),
        allow_hosts: vec!["workshop.lan".to_string()],
        ..Config::default()
    };
    let server = Server::start(&file, config).expect("server starts");
    let port = server.addr().port();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let ask = |host: &str| {
        http(
            addr,
            &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
        .0
    };
    for foreign in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("0.0.0.0:{port}"),
    ] {
        assert!(ask(&foreign).contains("403"), "{foreign}");
    }
    let mut own = vec![
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("workshop.lan:{port}"),
    ];
    own.extend(server.host_names().iter().map(|n| format!("{n}:{port}")));
    for host in own {
        assert!(ask(&host).contains("200"), "{host}");
    }
    server.shutdown();
}

#[cfg(unix)]
#[test]
fn elmo_serve_on_a_mapped_loopback_address_gives_no_network_warning() {
    let dir = scratch("serve/mapped-loopback");
    let file = dir.join("model.yaml");
    std::fs::write(&file, MODEL).expect("write");
    let run = |host: &str| {
        let mut child = command()
            .args(["serve", "--port", "0", "--host", host])
            .arg(&file)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("a line");
        assert_eq!(interrupt(&mut child), Some(0));
        let mut stderr = String::new();
        let _ = child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut stderr);
        (line, stderr)
    };
    for loopback in ["::ffff:127.0.0.1", "[::ffff:127.0.0.1]", "127.0.0.1"] {
        let (line, stderr) = run(loopback);
        assert!(line.starts_with("Serving http://127.0.0.1:"), "{line}");
        assert!(!stderr.contains("anyone"), "{loopback}: {stderr}");
    }
    let (_, stderr) = run("0.0.0.0");
    assert!(
        stderr.contains("anyone who can reach this machine"),
        "{stderr}"
    );
    assert!(stderr.contains("--allow-host"), "{stderr}");
}

#[test]
fn elmo_serve_refuses_an_allowed_host_that_is_no_host_name() {
    let dir = scratch("serve/allow-host-bad");
    let file = dir.join("model.yaml");
    std::fs::write(&file, MODEL).expect("write");
    for bad in ["*", "http://x/", "a b"] {
        let out = command()
            .args(["serve", "--port", "0", "--allow-host", bad])
            .arg(&file)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--allow-host"),
            "{bad}"
        );
    }
}

/// A model that is a symbolic link redraws when the file it points at is saved, and when the
/// link is swapped to another file (in another folder), and then when that file is saved.
#[cfg(unix)]
#[test]
fn a_symlinked_model_redraws_on_saves_to_its_target_and_follows_a_swapped_link() {
    use std::os::unix::fs::symlink;
    let dir = scratch("serve/symlink-serve");
    for d in ["models", "store", "store2"] {
        std::fs::create_dir_all(dir.join(d)).expect("folder");
    }
    let v1 = dir.join("store/v1.yaml");
    let v2 = dir.join("store2/v2.yaml");
    std::fs::write(&v1, MODEL).expect("write");
    let link = dir.join("models/model.yaml");
    symlink("../store/v1.yaml", &link).expect("link");
    let server = start(&link);
    let mut events = Events::open(server.addr(), "");
    assert_eq!(events.next().expect("first")["version"], 1);
    let has = |id: &str| {
        let needle = format!(r#"data-id="{id}""#);
        move |e: &Value| e["svg"].as_str().is_some_and(|s| s.contains(&needle))
    };

    // Saved in place, and then the editor's way, through the target's own folder.
    std::fs::write(&v1, with_extra(&["in-target"])).expect("write");
    wait_for(&mut events, "a save to the target", has("in-target"));
    let tmp = dir.join("store/.v1.yaml.swp");
    std::fs::write(&tmp, with_extra(&["renamed-in-target"])).expect("write");
    std::fs::rename(&tmp, &v1).expect("rename");
    wait_for(
        &mut events,
        "a rename onto the target",
        has("renamed-in-target"),
    );

    // `ln -sfn`: a new link renamed over the old one.
    std::fs::write(&v2, with_extra(&["second-file"])).expect("write");
    let new_link = dir.join("models/.model.yaml.new");
    symlink("../store2/v2.yaml", &new_link).expect("link");
    std::fs::rename(&new_link, &link).expect("swap");
    wait_for(&mut events, "the swapped link", has("second-file"));

    // Saves now go to the new target, in a folder that was not watched at the start.
    std::fs::write(&v2, with_extra(&["second-file", "after-swap"])).expect("write");
    let e = wait_for(&mut events, "a save to the new target", has("after-swap"));
    assert_eq!(e["stale"], false);
    server.shutdown();
    assert_eq!(
        std::fs::read_to_string(&v2).expect("read"),
        with_extra(&["second-file", "after-swap"]),
        "never written"
    );
}

#[cfg(unix)]
#[test]
fn elmo_watch_follows_a_chain_of_links_to_the_model() {
    use std::os::unix::fs::symlink;
    let dir = scratch("serve/symlink-watch");
    for d in ["a", "b", "c"] {
        std::fs::create_dir_all(dir.join(d)).expect("folder");
    }
    let model = dir.join("c/model.yaml");
    std::fs::write(&model, MODEL).expect("write");
    symlink("../c/model.yaml", dir.join("b/link2.yaml")).expect("link");
    symlink("../b/link2.yaml", dir.join("a/link1.yaml")).expect("link");
    let out = dir.join("model.svg");
    let mut child = command()
        .arg("watch")
        .arg(dir.join("a/link1.yaml"))
        .arg("-o")
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let lines = Lines::of(&mut child);
    lines.wait("watching");
    std::fs::write(&model, with_extra(&["through-two-links"])).expect("write");
    lines.wait("version 2");
    assert!(
        std::fs::read_to_string(&out)
            .expect("read")
            .contains(r#"data-id="through-two-links""#)
    );
    assert_eq!(interrupt(&mut child), Some(0), "Ctrl-C exits 0");
}

/// Collects a child's stderr lines on a thread; `wait` returns every line up to the first
/// that contains `what`.
struct Lines(std::sync::mpsc::Receiver<String>);

impl Lines {
    fn of(child: &mut Child) -> Lines {
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Lines(rx)
    }

    fn wait(&self, what: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            if let Ok(l) = self.0.recv_timeout(Duration::from_millis(100)) {
                let hit = l.contains(what);
                seen.push(l);
                if hit {
                    return seen.join("\n");
                }
            }
        }
        panic!("no `{what}` on stderr: {seen:#?}");
    }
}

/// Started on a broken file there is no last good version to keep, and the terminal must not
/// say there is.
#[cfg(unix)]
#[test]
fn elmo_serve_started_on_a_broken_file_says_nothing_is_drawn_yet() {
    let dir = scratch("serve/broken-start-cli");
    let file = dir.join("model.yaml");
    std::fs::write(&file, MODEL.replace("[sessions]", "[sesions]")).expect("write");
    let mut child = command()
        .args(["serve", "--port", "0"])
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let lines = Lines::of(&mut child);
    let mut url = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut url)
        .expect("the URL");
    let said = lines.wait("error");
    assert!(said.contains("1 error; nothing drawn yet"), "{said}");
    assert!(!said.contains("keep"), "{said}");
    std::fs::write(&file, MODEL).expect("write");
    lines.wait("(version 1)");
    std::fs::write(&file, MODEL.replace("[sessions]", "[sesions]")).expect("write");
    let said = lines.wait("error");
    assert!(said.contains("keeps showing version 1"), "{said}");
    assert_eq!(interrupt(&mut child), Some(0));
}

#[cfg(unix)]
#[test]
fn elmo_watch_started_on_a_broken_file_says_nothing_is_drawn_yet() {
    let dir = scratch("serve/broken-start-watch");
    let file = dir.join("model.yaml");
    let out = dir.join("model.svg");
    std::fs::write(&file, MODEL.replace("[sessions]", "[sesions]")).expect("write");
    let mut child = command()
        .arg("watch")
        .arg(&file)
        .arg("-o")
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let lines = Lines::of(&mut child);
    let said = lines.wait("watching");
    assert!(said.contains("unknown-reference"), "{said}");
    assert!(
        said.contains("nothing drawn yet") && !said.contains("left as it was"),
        "{said}"
    );
    assert!(!out.exists());
    std::fs::write(&file, MODEL).expect("write");
    lines.wait("(version 1)");
    assert!(out.exists());
    assert_eq!(interrupt(&mut child), Some(0));
}

/// `elmo watch` compiles with `check`'s levels and limits: a denied warning or a model over
/// `--max-nodes` is an error that leaves nothing drawn, and an allowed one is not drawn.
#[cfg(unix)]
#[test]
fn elmo_watch_honours_lint_levels_and_limits() {
    let dir = scratch("serve/watch-flags");
    let file = dir.join("model.yaml");
    let out = dir.join("model.svg");
    std::fs::write(&file, MODEL).expect("write");
    for (flags, said) in [
        (["--max-nodes", "1"], "`--max-nodes`"),
        (["-D", "missing-stage"], "missing-stage"),
    ] {
        let mut child = command()
            .arg("watch")
            .arg(&file)
            .arg("-o")
            .arg(&out)
            .args(flags)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let lines = Lines::of(&mut child);
        let text = lines.wait("watching");
        assert!(
            text.contains(said)
                && text.contains("1 error, 0 warnings in 1 file; nothing drawn yet"),
            "{flags:?}: {text}"
        );
        assert!(!out.exists(), "{flags:?}");
        assert_eq!(interrupt(&mut child), Some(0));
    }

    let warned = std::fs::read_to_string("tests/fixtures/diagnostics/unmeasured-output.yaml")
        .expect("fixture");
    std::fs::write(&file, warned).expect("write");
    let mut child = command()
        .arg("watch")
        .arg(&file)
        .arg("-o")
        .arg(&out)
        .args(["-A", "unmeasured-output"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    Lines::of(&mut child).wait("watching");
    let svg = std::fs::read_to_string(&out).expect("drawn");
    assert!(svg.contains("<svg") && !svg.contains("unmeasured-output"));
    assert_eq!(interrupt(&mut child), Some(0));
}

/// `elmo serve` compiles with `check`'s limits: the page shows the model over `--max-nodes`
/// as broken, with the diagnostic that names the flag.
#[cfg(unix)]
#[test]
fn elmo_serve_honours_the_limits() {
    let dir = scratch("serve/serve-flags");
    let file = dir.join("model.yaml");
    std::fs::write(&file, MODEL).expect("write");
    let mut child = command()
        .args(["serve", "--port", "0", "--max-nodes", "1"])
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let lines = Lines::of(&mut child);
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the URL");
    let port: u16 = line
        .trim_end()
        .rsplit(':')
        .next()
        .and_then(|p| p.trim_end_matches('/').parse().ok())
        .unwrap_or_else(|| panic!("a port in {line:?}"));
    let said = lines.wait("error");
    assert!(said.contains("1 error; nothing drawn yet"), "{said}");
    let (_, _, body) = get(SocketAddr::from(([127, 0, 0, 1], port)), "/");
    assert!(body.contains(r#"<code class="code">limit-exceeded</code>"#));
    assert!(body.contains("raise the limit with `--max-nodes`"));
    assert_eq!(interrupt(&mut child), Some(0));
}

/// A model with one measure and a results file for it, as results tests share.
const RESULTS_MODEL: &str = "title: Mentoring
results: [results.csv]
inputs:
  - id: mentors
    label: Volunteer mentors
    leads_to: [sessions]
activities:
  - id: sessions
    label: Weekly sessions
    measures: [attended]
measures:
  - id: attended
    label: Attended
    unit: percent
    baseline: 40
    target: 60
    frequency: quarterly
";

fn results_csv(attended: u32) -> String {
    format!("measure,period,numerator,denominator\nattended,2025-Q2,{attended},100\n")
}

/// A save to a results file reaches viewers like a save to the model; a broken one keeps the
/// diagram and shows its diagnostics pointing into the CSV; and a results file the model
/// names only after starting is followed from then on.
#[test]
fn a_save_to_a_results_file_reaches_the_event_stream_like_a_save_to_the_model() {
    let dir = scratch("serve/results");
    let file = dir.join("model.yaml");
    std::fs::write(&file, RESULTS_MODEL).expect("write");
    std::fs::write(dir.join("results.csv"), results_csv(45)).expect("write");
    let config = Config {
        as_of: elmo::results::Date::parse("2025-09-30"),
        ..Config::default()
    };
    let server = Server::start(&file, config).expect("server starts");
    let mut events = Events::open(server.addr(), "");
    let first = events.next().expect("the current state on connect");
    assert_eq!(first["version"], 1);
    assert!(first["svg"].as_str().is_some_and(|s| s.contains(">45% ◆<")));

    std::fs::write(dir.join("results.csv"), results_csv(61)).expect("write");
    let e = wait_for(&mut events, "results saved", |e| {
        e["svg"].as_str().is_some_and(|s| s.contains(">61% ★<"))
    });
    assert_eq!(e["version"], 2);
    assert!(
        e["svg"]
            .as_str()
            .is_some_and(|s| s.contains(r#"data-measure="attended" data-status="met""#))
    );

    // Broken: the diagram stays, stale, and the error points into the CSV.
    std::fs::write(dir.join("results.csv"), results_csv(161)).expect("write");
    let e = wait_for(&mut events, "broken results", |e| e["stale"] == true);
    assert_eq!(e["version"], 2, "no new version");
    assert!(e["svg"].as_str().is_some_and(|s| s.contains(">61% ★<")));
    let csv = &e["result_files"][0];
    assert!(
        csv["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("results.csv"))
    );
    assert_eq!(
        csv["diagnostics"][0]["code"],
        "result-numerator-above-denominator"
    );
    assert_eq!(csv["diagnostics"][0]["line"], 2);
    let panel = e["panels"]["diagnostics"].as_str().unwrap_or_default();
    assert!(panel.contains(r#"<h3 class="diag-file">"#), "{panel}");
    assert!(
        panel.contains("result-numerator-above-denominator"),
        "{panel}"
    );
    let banner = e["panels"]["banner"].as_str().unwrap_or_default();
    assert!(banner.contains("results.csv line 2"), "{banner}");
    assert!(
        banner.starts_with("Showing the last good version — results.csv has 1 error"),
        "{banner}"
    );

    // A second results file, named by a later save of the model, is followed too.
    std::fs::write(dir.join("results.csv"), results_csv(61)).expect("write");
    wait_for(&mut events, "fixed", |e| e["stale"] == false);
    std::fs::write(
        dir.join("later.csv"),
        "measure,period,value\nreach,2025-Q2,120\n",
    )
    .expect("write");
    let more = RESULTS_MODEL
        .replace(
            "results: [results.csv]",
            "results: [results.csv, later.csv]",
        )
        .replace("measures: [attended]", "measures: [attended, reach]")
        + "  - id: reach\n    label: Reach\n    unit: people\n    baseline: 100\n    target: 200\n    frequency: quarterly\n";
    std::fs::write(&file, more).expect("write");
    wait_for(&mut events, "second file read", |e| {
        e["svg"].as_str().is_some_and(|s| s.contains(">120 ▲<"))
    });
    std::fs::write(
        dir.join("later.csv"),
        "measure,period,value\nreach,2025-Q2,210\n",
    )
    .expect("write");
    wait_for(&mut events, "second file saved", |e| {
        e["svg"].as_str().is_some_and(|s| s.contains(">210 ★<"))
    });
    server.shutdown();
}

#[cfg(unix)]
#[test]
fn elmo_watch_rewrites_the_svg_when_only_the_results_file_changes() {
    let dir = scratch("serve/watch-results");
    let file = dir.join("model.yaml");
    let out = dir.join("model.svg");
    std::fs::write(&file, RESULTS_MODEL).expect("write");
    std::fs::write(dir.join("results.csv"), results_csv(45)).expect("write");
    let mut child = command()
        .arg("watch")
        .arg(&file)
        .arg("-o")
        .arg(&out)
        .args(["--as-of", "2025-09-30"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let lines = Lines::of(&mut child);
    lines.wait("watching");
    let first = std::fs::read_to_string(&out).expect("written at start");
    assert!(first.contains(">45% ◆<"));

    std::fs::write(dir.join("results.csv"), results_csv(61)).expect("write");
    lines.wait("version 2");
    let second = std::fs::read_to_string(&out).expect("rewritten");
    assert!(second.contains(">61% ★<"));
    assert_eq!(
        std::fs::read_to_string(&file).expect("model"),
        RESULTS_MODEL,
        "the model is never touched"
    );

    std::fs::write(dir.join("results.csv"), results_csv(161)).expect("write");
    let said = lines.wait("left as it was");
    assert!(
        said.contains("result-numerator-above-denominator"),
        "{said}"
    );
    assert!(
        said.contains("results.csv:2:"),
        "points into the CSV: {said}"
    );
    assert_eq!(
        std::fs::read_to_string(&out).expect("read"),
        second,
        "untouched"
    );
    assert_eq!(interrupt(&mut child), Some(0), "Ctrl-C exits 0");
}
