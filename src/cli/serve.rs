//! `elmo serve`: the live workshop page.

use std::io::{self, Write};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use clap::ArgMatches;

use super::compile::CompileArgs;
use super::render::ThemeName;
use super::{Error, ExitCode};
use crate::serve::hosts::parse_allowed;
use crate::serve::live::Outcome;
use crate::serve::{Config, Notice, Server};

/// The port used when none is given; when it is taken, a free one is picked instead.
const DEFAULT_PORT: u16 = 7474;

#[derive(Debug, clap::Args)]
pub(super) struct ServeArgs {
    /// The model file. It is only ever read.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Port to listen on; 0 picks a free one. [default: 7474, or a free port when taken]
    #[arg(long, value_name = "N")]
    port: Option<u16>,
    /// Address to listen on. Anything but loopback lets others on the network see the model.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    host: String,
    /// Also answer requests that name this host (a name or address the machine is reached
    /// by, such as a DNS alias or a proxy's name). The machine's own names and addresses are
    /// always answered. Repeat for more.
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_host: Vec<String>,
    /// Open the page in the default browser.
    #[arg(long)]
    open: bool,
    /// Theme of a page opened without `?theme=`.
    #[arg(long, value_enum, default_value_t = ThemeName::Light)]
    theme: ThemeName,
    /// The frame to fit the diagram to: 16:9, 4:3, a4-landscape, a4-portrait, or none for the
    /// unfitted drawing. Overrides the model's `fit:`; 16:9 when neither says.
    #[arg(long, value_name = "FRAME", value_parser = super::parse_fit)]
    fit: Option<crate::model::Fit>,
    /// The day results are judged on (staleness), as YYYY-MM-DD; today by default.
    #[arg(long, value_name = "DATE", value_parser = super::status::parse_date)]
    as_of: Option<crate::results::Date>,
    #[command(flatten)]
    compile: CompileArgs,
}

pub(super) fn run(
    args: &ServeArgs,
    matches: Option<&ArgMatches>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitCode, Error> {
    if super::is_stdin(&args.file) {
        return Err(Error::Usage(
            "`elmo serve` needs a model file to watch; standard input cannot be watched".into(),
        ));
    }
    let options = args.compile.options(matches)?;
    let host: IpAddr = match args.host.as_str() {
        "localhost" => IpAddr::from([127, 0, 0, 1]),
        h => h
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse()
            .map_err(|_| {
                Error::Usage(format!(
                    "`{h}` is not an IP address (try 127.0.0.1, ::1 or 0.0.0.0)"
                ))
            })?,
    };
    // An IPv4 address written as IPv6 (`::ffff:127.0.0.1`) is the IPv4 address: it is bound
    // as one, and loopback is loopback however it is written.
    let host = host.to_canonical();
    let mut allow_hosts = Vec::new();
    for value in &args.allow_host {
        let h = parse_allowed(value).map_err(|e| Error::Usage(format!("--allow-host: {e}")))?;
        allow_hosts.push(h);
    }
    let config = Config {
        host,
        allow_hosts,
        port: args.port.unwrap_or(DEFAULT_PORT),
        theme: args.theme.theme(),
        fit: args.fit,
        as_of: args.as_of,
        options,
        ..Config::default()
    };
    let started = match Server::start(&args.file, config.clone()) {
        Err(e) if e.kind() == io::ErrorKind::AddrInUse && args.port.is_none() => {
            Server::start(&args.file, Config { port: 0, ..config })
        }
        other => other,
    };
    let server = started.map_err(|e| Error::Usage(e.to_string()))?;
    if !host.is_loopback() {
        let _ = writeln!(
            err,
            "warning: listening on {host}: anyone who can reach this machine can see the model"
        );
        let _ = writeln!(
            err,
            "note: only requests for this machine's addresses or for {} are answered; add other names with --allow-host",
            server.host_names().join(", ")
        );
    }
    // Before the URL is printed: whoever reads it may stop the server at once.
    let handle = server.handle();
    if let Err(e) = ctrlc::set_handler(move || handle.stop()) {
        let _ = writeln!(err, "warning: Ctrl-C will not stop the server cleanly: {e}");
    }
    let url = server.url();
    // Scripts and tests read this line to find the port, so it is flushed at once.
    let _ = writeln!(out, "Serving {url}");
    let _ = out.flush();
    if args.open
        && let Err(e) = open_browser(&url)
    {
        let _ = writeln!(err, "warning: could not open a browser ({e}); open {url}");
    }
    let path = args.file.display().to_string();
    for notice in server.notices().iter() {
        let line = match notice {
            Notice::Stopped => break,
            Notice::Update(Outcome::Rebuilt { version, warnings }) => match warnings {
                0 => format!("{path}: drawn (version {version})"),
                1 => format!("{path}: drawn with 1 warning (version {version})"),
                n => format!("{path}: drawn with {n} warnings (version {version})"),
            },
            Notice::Update(Outcome::Broken { errors, kept }) => {
                let errors = match errors {
                    1 => "1 error".to_string(),
                    n => format!("{n} errors"),
                };
                match kept {
                    Some(v) => format!(
                        "{path}: {errors}; the page keeps showing version {v} until the file is fixed"
                    ),
                    None => format!(
                        "{path}: {errors}; nothing drawn yet: the page shows the errors until the file is fixed"
                    ),
                }
            }
            Notice::Update(Outcome::Missing) => {
                format!("{path}: missing; the page stays as it is until the file is back")
            }
            Notice::Update(Outcome::Unreadable(e)) => format!("{path}: cannot read: {e}"),
            Notice::Update(Outcome::Unchanged) => continue,
            Notice::WatchError(e) => format!("warning: watching {path}: {e}"),
        };
        let _ = writeln!(err, "{line}");
    }
    server.shutdown();
    let _ = writeln!(err, "stopped");
    Ok(ExitCode::Ok)
}

/// Opens `url` in the desktop's browser. The opener runs on a helper thread: some openers
/// stay until the browser closes, and the server must not wait for that.
fn open_browser(url: &str) -> io::Result<()> {
    let mut cmd = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        Command::new("xdg-open")
    };
    let mut child = cmd
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    match rx.recv_timeout(Duration::from_secs(3)) {
        Ok(Ok(status)) if !status.success() => Err(io::Error::other(format!("opener {status}"))),
        Ok(Err(e)) => Err(e),
        // Still running (or finished well): the browser is on its way.
        _ => Ok(()),
    }
}
