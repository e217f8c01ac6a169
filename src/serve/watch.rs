//! Watching one model file the way editors really save it, and absorbing bursts of events.
//!
//! Editors save in many ways: writing in place, writing a temporary file and renaming it over
//! the model (vim, JetBrains, VS Code's safe write), or deleting and recreating it. A watch on
//! the file itself dies with the first rename or delete, so the *parent folder* is watched
//! (not recursively) and events are kept when they name the model's file. One save produces a
//! burst of events; [`Debouncer`] turns each burst into one rebuild.

use std::ffi::{OsStr, OsString};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

/// How long the file must be quiet before a rebuild: long enough to absorb one save's burst
/// (truncate, write, close, rename), short enough that the redraw feels instant.
pub const QUIET: Duration = Duration::from_millis(16);

/// How long to wait after an event that completes a save (a writer closing the file, a
/// rename onto it): just enough to gather the events the kernel reported at the same moment.
pub const SETTLE: Duration = Duration::from_millis(2);

/// The longest a rebuild waits while events keep coming, so a file rewritten continuously
/// (a generator, a sync tool) still redraws.
pub const MAX_WAIT: Duration = Duration::from_millis(100);

/// Turns bursts of events into single rebuilds: fires once the events have been quiet for
/// `quiet`, [`SETTLE`] after an event that completes a save, or `max_wait` after the first
/// event of a burst, whichever is soonest.
///
/// It never reads a clock itself, so tests drive it with made-up instants.
#[derive(Debug, Clone)]
pub struct Debouncer {
    quiet: Duration,
    max_wait: Duration,
    first: Option<Instant>,
    last: Option<Instant>,
    settled: Option<Instant>,
}

impl Debouncer {
    /// A debouncer with the given quiet period and longest wait.
    pub fn new(quiet: Duration, max_wait: Duration) -> Self {
        Debouncer {
            quiet,
            max_wait,
            first: None,
            last: None,
            settled: None,
        }
    }

    /// Records an event that happened at `now` and may be followed by more (a write).
    pub fn event(&mut self, now: Instant) {
        self.first.get_or_insert(now);
        self.last = Some(now);
        // A save that goes on after it seemed complete must be waited for again.
        self.settled = None;
    }

    /// Records an event that completes a save (the writer closed the file, or a finished
    /// file was renamed onto it), so the burst can fire almost at once.
    pub fn settled(&mut self, now: Instant) {
        self.first.get_or_insert(now);
        self.last = Some(now);
        self.settled = Some(now);
    }

    /// When the pending burst should fire, if one is pending.
    pub fn deadline(&self) -> Option<Instant> {
        let (first, last) = (self.first?, self.last?);
        let mut d = (last + self.quiet).min(first + self.max_wait);
        if let Some(s) = self.settled {
            d = d.min(s + SETTLE);
        }
        Some(d)
    }

    /// Whether the pending burst is due at `now`; if so, it is consumed.
    pub fn fire(&mut self, now: Instant) -> bool {
        match self.deadline() {
            Some(d) if d <= now => {
                self.first = None;
                self.last = None;
                self.settled = None;
                true
            }
            _ => false,
        }
    }
}

impl Default for Debouncer {
    fn default() -> Self {
        Debouncer::new(QUIET, MAX_WAIT)
    }
}

/// Whether `event` may have changed the file called `name` in the watched folder.
///
/// Opening and reading are ignored (elmo's own reads would otherwise trigger rebuilds), as
/// are metadata changes; a finished write, a create, a delete and a rename to or from the
/// name all count. An event without paths (a rescan after the kernel queue overflowed) counts,
/// since anything may have happened.
pub fn concerns(event: &Event, name: &OsStr) -> bool {
    match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => {}
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => return false,
        _ => {}
    }
    if event.paths.is_empty() {
        return true;
    }
    event.paths.iter().any(|p| p.file_name() == Some(name))
}

/// Whether `event` completes a save of the file called `name`: a writer closed it, or a
/// rename put a finished file in its place. (A rename *away* from the name is the start of a
/// save, not its end.)
pub fn settles(event: &Event, name: &OsStr) -> bool {
    let named = |p: Option<&PathBuf>| p.and_then(|p| p.file_name()) == Some(name);
    match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write))
        | EventKind::Modify(ModifyKind::Name(RenameMode::To)) => named(event.paths.first()),
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => named(event.paths.get(1)),
        _ => false,
    }
}

enum Msg {
    Fs(notify::Result<Event>),
    Stop,
}

/// Stops a [`FileWatcher`] from another thread (a Ctrl-C handler, a server shutting down).
#[derive(Clone)]
pub struct Stopper(Sender<Msg>);

impl Stopper {
    /// Makes the watcher's [`FileWatcher::next_change`] return `None`.
    pub fn stop(&self) {
        let _ = self.0.send(Msg::Stop);
    }
}

/// Watches one file through its parent folder and reports debounced changes.
pub struct FileWatcher {
    // Kept alive for as long as events are wanted; dropping it ends the watch.
    _watcher: RecommendedWatcher,
    rx: Receiver<Msg>,
    tx: Sender<Msg>,
    name: OsString,
    debouncer: Debouncer,
}

impl FileWatcher {
    /// Starts watching `file`'s folder. The file itself need not exist.
    pub fn new(file: &Path, debouncer: Debouncer) -> io::Result<Self> {
        let name = file
            .file_name()
            .ok_or_else(|| io::Error::other(format!("{} is not a file name", file.display())))?
            .to_os_string();
        let parent = parent_of(file).canonicalize()?;
        let (tx, rx) = mpsc::channel();
        let events = tx.clone();
        let mut watcher = notify::recommended_watcher(move |e| {
            let _ = events.send(Msg::Fs(e));
        })
        .map_err(io::Error::other)?;
        watcher
            .watch(&parent, RecursiveMode::NonRecursive)
            .map_err(io::Error::other)?;
        Ok(FileWatcher {
            _watcher: watcher,
            rx,
            tx,
            name,
            debouncer,
        })
    }

    /// A handle that stops this watcher.
    pub fn stopper(&self) -> Stopper {
        Stopper(self.tx.clone())
    }

    /// Blocks until the file may have changed and the burst of events has settled. Returns
    /// `Err` with the watcher's complaint when it reports an error (the caller decides whether
    /// to go on), and `None` once stopped.
    pub fn next_change(&mut self) -> Option<Result<(), String>> {
        loop {
            let msg = match self.debouncer.deadline() {
                None => self.rx.recv().ok()?,
                Some(deadline) => {
                    let wait = deadline.saturating_duration_since(Instant::now());
                    match self.rx.recv_timeout(wait) {
                        Ok(m) => m,
                        Err(RecvTimeoutError::Timeout) => {
                            if self.debouncer.fire(Instant::now()) {
                                return Some(Ok(()));
                            }
                            continue;
                        }
                        Err(RecvTimeoutError::Disconnected) => return None,
                    }
                }
            };
            match msg {
                Msg::Stop => return None,
                Msg::Fs(Ok(event)) => {
                    if settles(&event, &self.name) {
                        self.debouncer.settled(Instant::now());
                    } else if concerns(&event, &self.name) {
                        self.debouncer.event(Instant::now());
                    }
                }
                Msg::Fs(Err(e)) => return Some(Err(e.to_string())),
            }
        }
    }
}

/// The folder holding `file`; `.` for a bare file name.
fn parent_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, MetadataKind, RemoveKind};

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn nothing_pending_never_fires() {
        let mut d = Debouncer::default();
        let t0 = Instant::now();
        assert_eq!(d.deadline(), None);
        assert!(!d.fire(t0 + ms(1000)));
    }

    #[test]
    fn a_burst_fires_once_after_it_goes_quiet() {
        let mut d = Debouncer::new(ms(16), ms(100));
        let t0 = Instant::now();
        // One save: truncate, write, close, each a few milliseconds apart.
        d.event(t0);
        d.event(t0 + ms(3));
        d.event(t0 + ms(5));
        assert!(!d.fire(t0 + ms(10)), "still inside the quiet period");
        assert_eq!(d.deadline(), Some(t0 + ms(21)));
        assert!(!d.fire(t0 + ms(20)));
        assert!(d.fire(t0 + ms(21)));
        assert!(!d.fire(t0 + ms(40)), "the burst was consumed");
        assert_eq!(d.deadline(), None);
    }

    #[test]
    fn a_new_event_restarts_the_quiet_period() {
        let mut d = Debouncer::new(ms(16), ms(100));
        let t0 = Instant::now();
        d.event(t0);
        d.event(t0 + ms(15));
        assert!(!d.fire(t0 + ms(16)));
        assert!(d.fire(t0 + ms(31)));
    }

    #[test]
    fn a_steady_stream_still_fires_at_the_longest_wait() {
        let mut d = Debouncer::new(ms(16), ms(100));
        let t0 = Instant::now();
        let mut fired = Vec::new();
        // An event every 10 ms for 300 ms never goes quiet for 16 ms.
        for i in 0..30 {
            let now = t0 + ms(10 * i);
            if d.fire(now) {
                fired.push(10 * i);
            }
            d.event(now);
        }
        assert_eq!(fired, vec![100, 200]);
    }

    #[test]
    fn separate_saves_fire_separately() {
        let mut d = Debouncer::new(ms(16), ms(100));
        let t0 = Instant::now();
        d.event(t0);
        assert!(d.fire(t0 + ms(16)));
        d.event(t0 + ms(500));
        assert_eq!(d.deadline(), Some(t0 + ms(516)));
        assert!(d.fire(t0 + ms(516)));
    }

    #[test]
    fn a_completed_save_fires_almost_at_once() {
        let mut d = Debouncer::new(ms(16), ms(100));
        let t0 = Instant::now();
        d.event(t0);
        d.event(t0 + ms(1));
        d.settled(t0 + ms(2));
        assert_eq!(d.deadline(), Some(t0 + ms(2) + SETTLE));
        assert!(d.fire(t0 + ms(2) + SETTLE));
    }

    #[test]
    fn writing_again_after_a_close_waits_for_quiet() {
        let mut d = Debouncer::new(ms(16), ms(100));
        let t0 = Instant::now();
        d.settled(t0);
        d.event(t0 + ms(1));
        assert_eq!(d.deadline(), Some(t0 + ms(17)));
    }

    fn ev(kind: EventKind, paths: &[&str]) -> Event {
        let mut e = Event::new(kind);
        for p in paths {
            e = e.add_path(PathBuf::from(p));
        }
        e
    }

    #[test]
    fn events_are_kept_by_file_name_and_kind() {
        let name = OsStr::new("model.yaml");
        let keep = [
            ev(
                EventKind::Modify(ModifyKind::Data(DataChange::Any)),
                &["/d/model.yaml"],
            ),
            ev(
                EventKind::Access(AccessKind::Close(AccessMode::Write)),
                &["/d/model.yaml"],
            ),
            ev(EventKind::Create(CreateKind::File), &["/d/model.yaml"]),
            ev(EventKind::Remove(RemoveKind::File), &["/d/model.yaml"]),
            // A safe write: the temporary file renamed over the model.
            ev(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["/d/.model.yaml.tmp", "/d/model.yaml"],
            ),
            ev(
                EventKind::Modify(ModifyKind::Name(RenameMode::To)),
                &["/d/model.yaml"],
            ),
            // A rescan names no path: anything may have changed.
            ev(EventKind::Other, &[]),
        ];
        for e in &keep {
            assert!(concerns(e, name), "{e:?}");
        }
        let drop = [
            ev(
                EventKind::Modify(ModifyKind::Data(DataChange::Any)),
                &["/d/other.yaml"],
            ),
            ev(EventKind::Create(CreateKind::File), &["/d/.model.yaml.swp"]),
            ev(
                EventKind::Access(AccessKind::Open(AccessMode::Any)),
                &["/d/model.yaml"],
            ),
            ev(
                EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any)),
                &["/d/model.yaml"],
            ),
            ev(
                EventKind::Modify(ModifyKind::Data(DataChange::Any)),
                &["/d/model.yaml.bak"],
            ),
        ];
        for e in &drop {
            assert!(!concerns(e, name), "{e:?}");
        }
    }

    #[test]
    fn closes_and_renames_onto_the_file_settle_a_save() {
        let name = OsStr::new("model.yaml");
        let close = ev(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            &["/d/model.yaml"],
        );
        let onto = ev(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["/d/.model.yaml.tmp", "/d/model.yaml"],
        );
        let to = ev(
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            &["/d/model.yaml"],
        );
        for e in [&close, &onto, &to] {
            assert!(settles(e, name), "{e:?}");
        }
        let away = ev(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["/d/model.yaml", "/d/model.yaml~"],
        );
        let write = ev(
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            &["/d/model.yaml"],
        );
        let other = ev(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            &["/d/other.yaml"],
        );
        for e in [&away, &write, &other] {
            assert!(!settles(e, name), "{e:?}");
        }
    }

    #[test]
    fn a_bare_file_name_is_watched_in_the_current_folder() {
        assert_eq!(parent_of(Path::new("model.yaml")), PathBuf::from("."));
        assert_eq!(parent_of(Path::new("a/model.yaml")), PathBuf::from("a"));
    }
}
