//! Live workshop mode: a small HTTP server that shows one model file and redraws it on every
//! save.
//!
//! Plain threads, no async runtime: one thread accepts connections, each connection (and so
//! each viewer's event stream) has its own thread, and one more thread watches the file. The
//! watcher owns the [`live::Live`] state machine (read, compile, keep the last good diagram)
//! and publishes each new [`live::Snapshot`] to a hub; the stream threads wake on the hub's
//! condition variable and push the snapshot as a server-sent event. The page swaps the SVG in
//! place, so viewers keep their zoom and scroll.
//!
//! Routes: `/` (the page), `/events` (the event stream), `/diagram.svg` and `/state.json`.
//! Nothing is ever served from disk, and the model file is only ever read.

pub mod hosts;
pub mod http;
pub mod live;
pub mod page;
pub mod slots;
pub mod watch;

use std::io::{self, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use hosts::HostCheck;
use http::{ReadError, Request, Response};
use slots::{Admit, Limits, Slots};

use crate::Options;
use crate::render::Theme;
use crate::render::theme::LIGHT;
use live::{Live, Outcome, Snapshot};
use watch::{Debouncer, FileWatcher};

/// How often an idle event stream sends a comment, so that a dead connection is noticed (the
/// write fails) and proxies do not time the stream out.
pub const HEARTBEAT: Duration = Duration::from_secs(15);

/// How often an idle event stream checks whether its tab was closed.
pub const CLIENT_CHECK: Duration = Duration::from_secs(1);

/// How `elmo serve` runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The address to listen on; loopback unless the user asks otherwise.
    pub host: IpAddr,
    /// Host names (or addresses) accepted in `Host` besides the machine's own.
    pub allow_hosts: Vec<String>,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// The theme of a page requested without `?theme=`.
    pub theme: Theme,
    /// Interval between keep-alive comments on idle event streams.
    pub heartbeat: Duration,
    /// How file events are grouped into rebuilds.
    pub debouncer: Debouncer,
    /// Compilation settings.
    pub options: Options,
    /// The frame the diagram is fitted to, overriding the model's `fit:`.
    pub fit: Option<crate::model::Fit>,
    /// The day results are judged on; today (at each redraw) when `None`.
    pub as_of: Option<crate::results::Date>,
    /// How long a client may take to send its whole request head.
    pub head_deadline: Duration,
    /// How many connections are served at once, and from one client.
    pub limits: Limits,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: IpAddr::from([127, 0, 0, 1]),
            allow_hosts: Vec::new(),
            port: 0,
            theme: LIGHT,
            heartbeat: HEARTBEAT,
            debouncer: Debouncer::default(),
            options: Options::default(),
            fit: None,
            as_of: None,
            head_deadline: http::HEAD_DEADLINE,
            limits: Limits::default(),
        }
    }
}

/// Something the command line may want to tell the person running the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A save was read and handled.
    Update(Outcome),
    /// The file watcher reported a problem; watching goes on.
    WatchError(String),
    /// The server has stopped.
    Stopped,
}

/// A running server.
pub struct Server {
    addr: SocketAddr,
    hub: Arc<Hub>,
    handle: Handle,
    notices: Receiver<Notice>,
    threads: Vec<JoinHandle<()>>,
}

/// Stops a running server from any thread (a Ctrl-C handler, a test).
#[derive(Clone)]
pub struct Handle {
    hub: Arc<Hub>,
    addr: SocketAddr,
    stopper: watch::Stopper,
    notices: Sender<Notice>,
}

impl Handle {
    /// Stops accepting connections, closes every event stream and stops the watcher.
    pub fn stop(&self) {
        if self.hub.stopping.swap(true, Ordering::SeqCst) {
            return;
        }
        self.hub.lock().shutdown = true;
        self.hub.changed.notify_all();
        // The accept loop is blocked in accept(); a connection of our own wakes it.
        let _ = TcpStream::connect_timeout(&wake_addr(self.addr), Duration::from_secs(1));
        self.stopper.stop();
        let _ = self.notices.send(Notice::Stopped);
    }
}

/// The folder a model's results paths are relative to: its own.
pub fn folder_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Where to connect to reach a listener bound to `addr` (an unspecified address is reached
/// through loopback).
fn wake_addr(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

impl Server {
    /// Reads `file`, binds the address and starts serving and watching.
    ///
    /// Fails when the file cannot be read at start (a typo in the path is likelier than a
    /// file that will appear later), when the address cannot be bound, or when the folder
    /// cannot be watched.
    pub fn start(file: &Path, config: Config) -> io::Result<Server> {
        let display = file.display().to_string();
        let mut live = Live::new(&display, config.options.clone())
            .with_fit(config.fit)
            .with_results(&folder_of(file), config.as_of);
        let first = live.reload(file);
        match &first {
            Outcome::Missing => {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("cannot read {display}: no such file"),
                ));
            }
            Outcome::Unreadable(e) => {
                return Err(io::Error::other(format!("cannot read {display}: {e}")));
            }
            _ => {}
        }
        let mut watcher = FileWatcher::new(file, config.debouncer.clone())
            .map_err(|e| io::Error::new(e.kind(), format!("cannot watch {display}: {e}")))?;
        // Results files were read before their watches began: read them again once they are
        // followed, so a save in between is not missed.
        let first = match watcher.follow_also(live.inputs()) {
            Ok(true) => match live.reload(file) {
                Outcome::Unchanged => first,
                again => again,
            },
            _ => first,
        };
        let listener = TcpListener::bind((config.host.to_canonical(), config.port))?;
        let addr = listener.local_addr()?;
        let hub = Arc::new(Hub {
            state: Mutex::new(HubState {
                snapshot: live.snapshot(),
                shutdown: false,
            }),
            changed: Condvar::new(),
            stopping: AtomicBool::new(false),
            clients: AtomicUsize::new(0),
            slots: Mutex::new(Slots::new(config.limits)),
            nonce: nonce()?,
            path: display,
            theme: config.theme,
            heartbeat: config.heartbeat,
            head_deadline: config.head_deadline,
            hosts: HostCheck::new(addr.ip(), &config.allow_hosts),
        });
        let (tx, notices) = mpsc::channel();
        let handle = Handle {
            hub: hub.clone(),
            addr,
            stopper: watcher.stopper(),
            notices: tx.clone(),
        };
        let _ = tx.send(Notice::Update(first));

        let watch_hub = hub.clone();
        let file: PathBuf = file.to_path_buf();
        let watching = std::thread::Builder::new()
            .name("elmo-watch".into())
            .spawn(move || {
                while let Some(change) = watcher.next_change() {
                    if let Err(e) = change {
                        let _ = tx.send(Notice::WatchError(e));
                        continue;
                    }
                    let mut outcome = live.reload(&file);
                    // A save that names new results files: follow them, then read again in
                    // case they changed before their watch began.
                    match watcher.follow_also(live.inputs()) {
                        Ok(true) => {
                            if matches!(outcome, Outcome::Rebuilt { .. } | Outcome::Broken { .. }) {
                                watch_hub.publish(live.snapshot());
                                let _ = tx.send(Notice::Update(outcome));
                            }
                            outcome = live.reload(&file);
                        }
                        Ok(false) => {}
                        Err(e) => {
                            let _ = tx.send(Notice::WatchError(e));
                        }
                    }
                    if matches!(outcome, Outcome::Rebuilt { .. } | Outcome::Broken { .. }) {
                        watch_hub.publish(live.snapshot());
                    }
                    let _ = tx.send(Notice::Update(outcome));
                }
            })?;
        let accept_hub = hub.clone();
        let accepting = std::thread::Builder::new()
            .name("elmo-accept".into())
            .spawn(move || accept(&listener, &accept_hub))?;
        Ok(Server {
            addr,
            hub,
            handle,
            notices,
            threads: vec![watching, accepting],
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The page's address, `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// A handle that stops the server.
    pub fn handle(&self) -> Handle {
        self.handle.clone()
    }

    /// What happened since the last call: each save's outcome, watcher trouble, and
    /// [`Notice::Stopped`] last. Blocks until there is something.
    pub fn notices(&self) -> &Receiver<Notice> {
        &self.notices
    }

    /// How many event streams are open.
    pub fn clients(&self) -> usize {
        self.hub.clients.load(Ordering::SeqCst)
    }

    /// How many connections hold a slot (event streams included).
    pub fn connections(&self) -> usize {
        self.hub.slots().len()
    }

    /// The names accepted in `Host` besides loopback and the machine's addresses.
    pub fn host_names(&self) -> &[String] {
        self.hub.hosts.names()
    }

    /// What viewers see now.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.hub.lock().snapshot.clone()
    }

    /// Stops the server (if not already stopped) and waits for the accepting and watching
    /// threads. Every event stream is closed at once.
    pub fn shutdown(self) {
        self.handle.stop();
        for t in self.threads {
            let _ = t.join();
        }
    }
}

struct HubState {
    snapshot: Arc<Snapshot>,
    shutdown: bool,
}

/// What every thread shares: the current snapshot and the means to wait for the next.
struct Hub {
    state: Mutex<HubState>,
    changed: Condvar,
    stopping: AtomicBool,
    clients: AtomicUsize,
    slots: Mutex<Slots<TcpStream>>,
    nonce: String,
    path: String,
    theme: Theme,
    heartbeat: Duration,
    head_deadline: Duration,
    hosts: HostCheck,
}

enum Next {
    Snapshot(Arc<Snapshot>),
    Idle,
    Shutdown,
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, HubState> {
        // A panicking thread cannot leave the state half-updated (it is one Arc swap), so a
        // poisoned lock is still good to use.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn slots(&self) -> MutexGuard<'_, Slots<TcpStream>> {
        // Every update leaves the bookkeeping whole, so a poisoned lock is still good.
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn publish(&self, snapshot: Arc<Snapshot>) {
        self.lock().snapshot = snapshot;
        self.changed.notify_all();
    }

    /// Waits up to `timeout` for a snapshot newer than `seen`.
    fn next(&self, seen: Option<u64>, timeout: Duration) -> Next {
        let deadline = Instant::now() + timeout;
        let mut state = self.lock();
        loop {
            if state.shutdown {
                return Next::Shutdown;
            }
            if seen != Some(state.snapshot.seq()) {
                return Next::Snapshot(state.snapshot.clone());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Next::Idle;
            }
            state = self
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }
}

/// Counts something open (a connection, an event stream) for as long as it lives.
struct Counted<'a>(&'a AtomicUsize);

impl<'a> Counted<'a> {
    fn new(n: &'a AtomicUsize) -> Self {
        n.fetch_add(1, Ordering::SeqCst);
        Counted(n)
    }
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A fresh random nonce per process for the Content-Security-Policy.
fn nonce() -> io::Result<String> {
    let mut bytes = [0u8; 18];
    getrandom::fill(&mut bytes).map_err(|e| io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn accept(listener: &TcpListener, hub: &Arc<Hub>) {
    for conn in listener.incoming() {
        if hub.stopping.load(Ordering::SeqCst) {
            break;
        }
        let mut stream = match conn {
            Ok(s) => s,
            Err(_) => {
                // Out of file descriptors, or a connection reset before it was accepted:
                // pause briefly rather than spin.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        let Some(slot) = Slot::take(hub, &stream) else {
            let busy = Response::new(503, "text/plain; charset=utf-8", "too many connections\n");
            let _ = busy.write_to(&mut stream, false);
            continue;
        };
        let spawned = std::thread::Builder::new()
            .name("elmo-conn".into())
            .spawn(move || serve_connection(stream, slot));
        // Without a thread the connection is dropped (and its slot with it), which the
        // browser retries.
        drop(spawned);
    }
}

/// A connection's place in [`Hub::slots`], given back when the connection ends.
struct Slot {
    hub: Arc<Hub>,
    id: u64,
}

impl Slot {
    /// A slot for `stream`, if the limits allow; a slow connection may be closed to make room.
    fn take(hub: &Arc<Hub>, stream: &TcpStream) -> Option<Slot> {
        let client = stream.peer_addr().ok()?.ip().to_canonical();
        // The copy lets the accept thread close the connection while its own thread is
        // blocked reading; without one the connection simply cannot be evicted.
        let handle = stream.try_clone().ok()?;
        let admitted = hub.slots().admit(client, Instant::now(), handle);
        match admitted {
            Admit::Yes { id, evicted } => {
                if let Some(slow) = evicted {
                    // Its thread's read ends at once and the thread finishes.
                    let _ = slow.shutdown(std::net::Shutdown::Both);
                }
                Some(Slot {
                    hub: hub.clone(),
                    id,
                })
            }
            Admit::No => None,
        }
    }

    /// The request head has arrived: the connection is being served and keeps its slot.
    fn headed(&self) {
        let handle = self.hub.slots().headed(self.id);
        drop(handle);
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.hub.slots().release(self.id);
    }
}

fn serve_connection(mut stream: TcpStream, slot: Slot) {
    let hub = &slot.hub;
    let _ = stream.set_write_timeout(Some(http::WRITE_TIMEOUT));
    // Events are small writes that should leave at once, not wait for more.
    let _ = stream.set_nodelay(true);
    let mut noted = false;
    let read =
        http::read_request_noting(&mut http::Deadline::new(&stream, hub.head_deadline), || {
            if !std::mem::replace(&mut noted, true) {
                hub.slots().trickling(slot.id);
            }
        });
    slot.headed();
    let (reply, head_only) = match read {
        Ok(request) => (route(&request, hub), request.method == "HEAD"),
        Err(ReadError::TooLarge) => (Reply::Page(text(413, "request head too large\n")), false),
        Err(ReadError::Malformed(why)) => (Reply::Page(text(400, why)), false),
        Err(ReadError::Io(_)) => return,
    };
    match reply {
        Reply::Page(response) => {
            let _ = response.write_to(&mut stream, head_only);
            http::close(stream);
        }
        Reply::Events(theme) => {
            let _ = stream_events(&mut stream, hub, &theme);
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// What a request gets.
enum Reply {
    /// A complete response.
    Page(Response),
    /// The event stream, with the diagram drawn in this theme.
    Events(Box<Theme>),
}

/// Headers every response carries.
fn hardened(response: Response) -> Response {
    response
        .with("Cache-Control", "no-store")
        .with("X-Content-Type-Options", "nosniff")
        .with("Referrer-Policy", "no-referrer")
        .with("Cross-Origin-Resource-Policy", "same-origin")
}

fn text(status: u16, body: &str) -> Response {
    hardened(Response::new(status, "text/plain; charset=utf-8", body))
}

/// The page's policy: only the inline blocks carrying this process's nonce may run or
/// style, and the page may talk only to this server.
fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; \
         connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; \
         frame-ancestors 'none'"
    )
}

/// The value of `key` in a query string, if present.
fn query_param<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query
        .split('&')
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

fn route(request: &Request, hub: &Hub) -> Reply {
    if request.method != "GET" && request.method != "HEAD" {
        return Reply::Page(text(405, "method not allowed\n").with("Allow", "GET, HEAD"));
    }
    if !hub.hosts.allows(&request.host) {
        return Reply::Page(text(403, "unknown host\n"));
    }
    let theme = query_param(&request.query, "theme")
        .and_then(Theme::named)
        .unwrap_or(hub.theme);
    let snapshot = || hub.lock().snapshot.clone();
    let response = match request.path.as_str() {
        "/" => {
            let body = page::html(&snapshot(), &theme, &hub.nonce, &hub.path);
            Response::new(200, "text/html; charset=utf-8", body)
                .with("Content-Security-Policy", page_csp(&hub.nonce))
                .with("X-Frame-Options", "DENY")
        }
        "/events" if request.method == "GET" => return Reply::Events(Box::new(theme)),
        "/diagram.svg" => match snapshot().good() {
            Some(good) => Response::new(200, "image/svg+xml; charset=utf-8", good.svg(&theme))
                .with(
                    "Content-Security-Policy",
                    "default-src 'none'; style-src 'unsafe-inline'",
                ),
            None => return Reply::Page(text(404, "nothing drawn yet: the model has errors\n")),
        },
        "/state.json" => {
            let mut state = snapshot().json(&theme, &hub.nonce);
            state["viewers"] = hub.clients.load(Ordering::SeqCst).into();
            Response::new(200, "application/json", state.to_string())
        }
        _ => return Reply::Page(text(404, "not found\n")),
    };
    Reply::Page(hardened(response))
}

/// Streams snapshots to one viewer until the tab closes (end of file, or a write fails) or
/// the server stops. The current state goes first, so a new or reconnecting page is up to
/// date at once.
fn stream_events(stream: &mut TcpStream, hub: &Hub, theme: &Theme) -> io::Result<()> {
    let _client = Counted::new(&hub.clients);
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
          X-Content-Type-Options: nosniff\r\nConnection: keep-alive\r\n\r\nretry: 1000\n\n",
    )?;
    let mut seen = None;
    let mut last_write = Instant::now();
    loop {
        match hub.next(seen, CLIENT_CHECK) {
            Next::Snapshot(s) => {
                stream.write_all(s.event(theme, &hub.nonce).as_bytes())?;
                seen = Some(s.seq());
                last_write = Instant::now();
            }
            Next::Idle => {
                if http::peer_closed(stream) {
                    return Ok(());
                }
                if last_write.elapsed() >= hub.heartbeat {
                    stream.write_all(b": keep-alive\n\n")?;
                    last_write = Instant::now();
                }
            }
            Next::Shutdown => return Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_params_are_found_by_name() {
        assert_eq!(query_param("theme=dark&present", "theme"), Some("dark"));
        assert_eq!(
            query_param("present&theme=contrast", "theme"),
            Some("contrast")
        );
        assert_eq!(query_param("present", "present"), Some(""));
        assert_eq!(query_param("", "theme"), None);
    }

    #[test]
    fn the_policy_allows_only_nonced_inline_code() {
        let csp = page_csp("abc");
        assert!(csp.starts_with("default-src 'none'"));
        assert!(csp.contains("script-src 'nonce-abc'"));
        assert!(csp.contains("style-src 'nonce-abc'"));
        assert!(!csp.contains("unsafe"));
    }

    #[test]
    fn nonces_differ() {
        let (a, b) = (nonce().expect("random"), nonce().expect("random"));
        assert_eq!(a.len(), 36);
        assert_ne!(a, b);
    }
}
