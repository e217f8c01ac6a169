//! Just enough HTTP/1.1 for one page and its event stream: GET and HEAD, one request per
//! connection, a thread per connection.
//!
//! Written here rather than taken from tiny_http: tiny_http hands connections to a thread
//! pool that can lose a wake-up when two connections arrive together, and with event streams
//! holding pool threads for hours the lost connection waits until some other one closes. The
//! fifty-viewer browser test hit this in most runs (a page load hung for minutes). Owning the
//! socket also lets a closed tab be noticed within a second (a peek sees end of file) and lets
//! shutdown close every stream at once.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

/// The longest request head accepted; browsers send well under 2 KiB.
pub const MAX_HEAD: usize = 16 * 1024;

/// How long a client may take to send its whole request head. A deadline on the head, not a
/// timeout on each read: a client trickling one byte every few seconds (slowloris) would
/// otherwise hold its thread and its connection slot for as long as it liked.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(10);

/// How long one write may block before the client is given up on (a sleeping laptop's stream
/// fills its socket buffer and then blocks).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// A parsed request head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `HEAD`, …
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string without `?`; empty when absent.
    pub query: String,
    /// The `Host` header, lower-cased; a request has exactly one.
    pub host: String,
    /// The `Content-Length` header, if any.
    pub content_length: Option<usize>,
}

/// Why a request could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The connection failed or timed out, or closed before a full head arrived.
    Io(io::Error),
    /// The head is larger than [`MAX_HEAD`].
    TooLarge,
    /// The head is not HTTP, or not a request elmo answers (no `Host`, or two); says which.
    Malformed(&'static str),
}

/// Reads and parses a request head from `r`.
pub fn read_request(r: &mut impl Read) -> Result<Request, ReadError> {
    read_request_noting(r, || {})
}

/// [`read_request`], calling `partial` each time part of a head has arrived and the rest is
/// still awaited. A browser sends its whole head at once, so a head that arrives in pieces
/// is unusual, and under attack it is the first to give way.
pub fn read_request_noting(
    r: &mut impl Read,
    mut partial: impl FnMut(),
) -> Result<Request, ReadError> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    // Byte-wise search for the blank line, reading in chunks; anything after it (a body) is
    // left in the buffer, which is fine: only GET and HEAD are served.
    loop {
        if let Some(end) = find_blank_line(&head) {
            if end > MAX_HEAD {
                return Err(ReadError::TooLarge);
            }
            head.truncate(end);
            break;
        }
        if head.len() > MAX_HEAD {
            return Err(ReadError::TooLarge);
        }
        if !head.is_empty() {
            partial();
        }
        let n = r.read(&mut buf).map_err(ReadError::Io)?;
        if n == 0 {
            return Err(ReadError::Io(io::ErrorKind::UnexpectedEof.into()));
        }
        head.extend_from_slice(&buf[..n]);
    }
    parse_head(&head).map_err(ReadError::Malformed)
}

/// Reads from a socket until a fixed moment, however the bytes trickle in: each read may
/// wait only for what is left of the time.
pub struct Deadline<'a> {
    stream: &'a TcpStream,
    until: Instant,
}

impl<'a> Deadline<'a> {
    /// Reads from `stream` for at most `within` from now.
    pub fn new(stream: &'a TcpStream, within: Duration) -> Self {
        Deadline {
            stream,
            until: Instant::now() + within,
        }
    }
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        let mut s = self.stream;
        s.read(buf)
    }
}

fn find_blank_line(b: &[u8]) -> Option<usize> {
    b.windows(4).position(|w| w == b"\r\n\r\n")
}

fn parse_head(head: &[u8]) -> Result<Request, &'static str> {
    const NOT_HTTP: &str = "bad request\n";
    let text = std::str::from_utf8(head).map_err(|_| NOT_HTTP)?;
    let mut lines = text.split("\r\n");
    let mut first = lines.next().ok_or(NOT_HTTP)?.split(' ');
    let method = first
        .next()
        .filter(|m| !m.is_empty())
        .ok_or(NOT_HTTP)?
        .to_string();
    let target = first.next().ok_or(NOT_HTTP)?;
    let version = first.next().ok_or(NOT_HTTP)?;
    if !version.starts_with("HTTP/1.") || first.next().is_some() || !target.starts_with('/') {
        return Err(NOT_HTTP);
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut host = None;
    let mut content_length = None;
    for line in lines {
        let (name, value) = line.split_once(':').ok_or(NOT_HTTP)?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("host") {
            // Two Host headers could be read differently by a proxy in front and by the Host
            // check here, so the request is refused rather than one of them picked.
            if host.is_some() {
                return Err("more than one Host header\n");
            }
            host = Some(value.to_ascii_lowercase());
        } else if name.eq_ignore_ascii_case("content-length") {
            content_length = value.parse().ok();
        }
    }
    // Without a Host the check against DNS rebinding has nothing to check.
    let host = host.ok_or("no Host header\n")?;
    Ok(Request {
        method,
        path: path.to_string(),
        query: query.to_string(),
        host,
        content_length,
    })
}

/// A complete response, written in one go.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Headers other than `Content-Length` and `Connection`, which are added.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a body of the given type.
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body: body.into(),
        }
    }

    /// Adds a header.
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Writes the response; the body is left out for `HEAD`.
    pub fn write_to(&self, w: &mut impl Write, head_only: bool) -> io::Result<()> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.body.len()
        ));
        let mut bytes = out.into_bytes();
        if !head_only {
            bytes.extend_from_slice(&self.body);
        }
        w.write_all(&bytes)?;
        w.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Closes a connection gracefully: the client gets the whole response even when it sent
/// bytes that were never read (closing with unread input would reset the connection).
pub fn close(mut stream: TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut sink = [0u8; 4096];
    let mut left: usize = 64 * 1024;
    while left > 0 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

/// Whether the peer has closed its end: a non-blocking peek that finds end of file. An event
/// stream's client never sends anything after its request, so any end of file means the tab
/// is gone.
pub fn peer_closed(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let mut b = [0u8; 1];
    let closed = match stream.peek(&mut b) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != io::ErrorKind::WouldBlock,
    };
    let _ = stream.set_nonblocking(false);
    closed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Result<Request, ReadError> {
        read_request(&mut s.as_bytes())
    }

    #[test]
    fn a_browser_request_is_parsed() {
        let r = read("GET /events?theme=dark HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nAccept: text/event-stream\r\n\r\n")
            .expect("parsed");
        assert_eq!(r.method, "GET");
        assert_eq!(r.path, "/events");
        assert_eq!(r.query, "theme=dark");
        assert_eq!(r.host, "127.0.0.1:8000");
        assert_eq!(r.content_length, None);
    }

    #[test]
    fn bad_heads_are_refused() {
        for bad in [
            "GET /\r\n\r\n",
            "GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET / SPDY/3\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n",
        ] {
            assert!(
                matches!(read(bad), Err(ReadError::Malformed("bad request\n"))),
                "{bad:?}"
            );
        }
        assert!(matches!(
            read("GET / HTTP/1.1\r\nHost: x"),
            Err(ReadError::Io(_))
        ));
        let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD + 10));
        assert!(matches!(read(&huge), Err(ReadError::TooLarge)));
    }

    #[test]
    fn a_request_needs_exactly_one_host_header() {
        assert!(matches!(
            read("GET / HTTP/1.1\r\n\r\n"),
            Err(ReadError::Malformed("no Host header\n"))
        ));
        assert!(matches!(
            read("GET / HTTP/1.0\r\nAccept: */*\r\n\r\n"),
            Err(ReadError::Malformed("no Host header\n"))
        ));
        for twice in [
            "GET / HTTP/1.1\r\nHost: localhost:1\r\nHost: evil.example:1\r\n\r\n",
            "GET / HTTP/1.1\r\nhost: localhost:1\r\nX: y\r\nHOST: localhost:1\r\n\r\n",
        ] {
            assert!(
                matches!(
                    read(twice),
                    Err(ReadError::Malformed("more than one Host header\n"))
                ),
                "{twice:?}"
            );
        }
    }

    #[test]
    fn a_head_trickled_in_past_the_deadline_is_given_up() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        // One byte every 100 ms: each read is quick, the whole head is not.
        let client = std::thread::spawn(move || {
            let mut s = TcpStream::connect(addr).expect("connect");
            for b in b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" {
                if s.write_all(&[*b]).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let (server, _) = listener.accept().expect("accept");
        let started = Instant::now();
        let got = read_request(&mut Deadline::new(&server, Duration::from_millis(500)));
        let took = started.elapsed();
        assert!(
            matches!(&got, Err(ReadError::Io(e)) if e.kind() == io::ErrorKind::TimedOut || e.kind() == io::ErrorKind::WouldBlock),
            "{got:?}"
        );
        assert!(took < Duration::from_millis(900), "gave up after {took:?}");
        drop(server);
        let _ = client.join();
    }

    #[test]
    fn a_head_in_time_is_read_under_a_deadline() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mut c = TcpStream::connect(addr).expect("connect");
        c.write_all(b"GET /x HTTP/1.1\r\nHost: h\r\n\r\n")
            .expect("send");
        let (server, _) = listener.accept().expect("accept");
        let r = read_request(&mut Deadline::new(&server, Duration::from_secs(5))).expect("read");
        assert_eq!((r.path.as_str(), r.host.as_str()), ("/x", "h"));
    }

    #[test]
    fn responses_carry_length_and_close() {
        let mut out = Vec::new();
        Response::new(404, "text/plain", "not found\n")
            .with("X-Test", "1")
            .write_to(&mut out, false)
            .expect("written");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.starts_with("HTTP/1.1 404 Not Found\r\n"));
        assert!(text.contains("Content-Type: text/plain\r\nX-Test: 1\r\n"));
        assert!(text.contains("Content-Length: 10\r\nConnection: close\r\n\r\nnot found\n"));
        let mut head = Vec::new();
        Response::new(200, "text/plain", "body")
            .write_to(&mut head, true)
            .expect("written");
        assert!(
            String::from_utf8(head)
                .expect("utf-8")
                .ends_with("\r\n\r\n")
        );
    }
}
