//! Watching one model file the way editors really save it, and absorbing bursts of events.
//!
//! Editors save in many ways: writing in place, writing a temporary file and renaming it over
//! the model (vim, JetBrains, VS Code's safe write), or deleting and recreating it. A watch on
//! the file itself dies with the first rename or delete, so the *parent folder* is watched
//! (not recursively) and events are kept when they name the model's file. One save produces a
//! burst of events; [`Debouncer`] turns each burst into one rebuild.
//!
//! The model may be a symbolic link (a shared folder, a dotfiles manager, a "current" link
//! switched between versions). Saves then happen to the file it points at, in another
//! folder, so every hop of the chain of links is watched, each in its own folder, and the
//! chain is followed again after each change, so that a link swapped to point elsewhere is
//! followed there.

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

/// Whether `event` may have changed one of the `watched` paths (the model and each link on
/// the way to it, each in its real folder).
///
/// Opening and reading are ignored (elmo's own reads would otherwise trigger rebuilds), as
/// are metadata changes; a finished write, a create, a delete and a rename to or from a
/// watched path all count. An event without paths (a rescan after the kernel queue
/// overflowed) counts, since anything may have happened.
pub fn concerns(event: &Event, watched: &[PathBuf]) -> bool {
    match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => {}
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => return false,
        _ => {}
    }
    if event.paths.is_empty() {
        return true;
    }
    event.paths.iter().any(|p| watched.contains(p))
}

/// Whether `event` completes a save of one of the `watched` paths: a writer closed it, or a
/// rename put a finished file in its place. (A rename *away* from it is the start of a save,
/// not its end.)
pub fn settles(event: &Event, watched: &[PathBuf]) -> bool {
    let named = |p: Option<&PathBuf>| p.is_some_and(|p| watched.contains(p));
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

/// The most links followed from the model to its file, as the system itself allows.
const MAX_HOPS: usize = 40;

/// The model's path and, when it is a symbolic link, every link after it and the file at the
/// end, each as its real folder joined with its own name: the places whose changes can change
/// what reading the model gives. Stops at the first hop whose folder does not exist.
pub fn link_chain(file: &Path) -> Vec<PathBuf> {
    let mut chain: Vec<PathBuf> = Vec::new();
    let mut next = file.to_path_buf();
    for _ in 0..MAX_HOPS {
        let Some(name) = next.file_name() else { break };
        let Ok(folder) = parent_of(&next).canonicalize() else {
            break;
        };
        let at = folder.join(name);
        if chain.contains(&at) {
            // A loop of links: every place in it is already watched.
            break;
        }
        chain.push(at.clone());
        match std::fs::read_link(&at) {
            Ok(target) => next = folder.join(target),
            Err(_) => break,
        }
    }
    chain
}

/// Watches one file through its parent folder (and, for a symbolic link, the folders of
/// everything it leads to), and any files it names, and reports debounced changes.
pub struct FileWatcher {
    // Kept for as long as events are wanted; dropping it ends the watch.
    watcher: RecommendedWatcher,
    rx: Receiver<Msg>,
    tx: Sender<Msg>,
    file: PathBuf,
    // Files followed besides the model (its results and records), each through its folder.
    also: Vec<PathBuf>,
    // The model's path and every hop of its links, in their real folders, then the same for
    // each of `also`.
    watched: Vec<PathBuf>,
    // The folders being watched for them.
    folders: Vec<PathBuf>,
    debouncer: Debouncer,
}

impl FileWatcher {
    /// Starts watching `file`'s folder, and when `file` is a symbolic link, the folder of each
    /// link and file it leads to. The file itself need not exist.
    pub fn new(file: &Path, debouncer: Debouncer) -> io::Result<Self> {
        if file.file_name().is_none() {
            return Err(io::Error::other(format!(
                "{} is not a file name",
                file.display()
            )));
        }
        // The model's own folder must be watchable; it is checked first so that its error
        // is the one reported.
        parent_of(file).canonicalize()?;
        let (tx, rx) = mpsc::channel();
        let events = tx.clone();
        let watcher = notify::recommended_watcher(move |e| {
            let _ = events.send(Msg::Fs(e));
        })
        .map_err(io::Error::other)?;
        let mut w = FileWatcher {
            watcher,
            rx,
            tx,
            file: file.to_path_buf(),
            also: Vec::new(),
            watched: Vec::new(),
            folders: Vec::new(),
            debouncer,
        };
        w.follow().map_err(io::Error::other)?;
        Ok(w)
    }

    /// Follows the chain of links again and moves the folder watches to match. Fails only
    /// when the model's own folder cannot be watched; a folder further along that cannot be
    /// is skipped (its file is still read through the link on each change seen elsewhere).
    fn follow(&mut self) -> notify::Result<()> {
        let mut watched = link_chain(&self.file);
        for extra in &self.also {
            for p in link_chain(extra) {
                if !watched.contains(&p) {
                    watched.push(p);
                }
            }
        }
        let mut folders: Vec<PathBuf> = Vec::new();
        for p in &watched {
            if let Some(f) = p.parent()
                && !folders.iter().any(|g| g == f)
            {
                folders.push(f.to_path_buf());
            }
        }
        for (i, f) in folders.iter().enumerate() {
            if self.folders.contains(f) {
                continue;
            }
            if let Err(e) = self.watcher.watch(f, RecursiveMode::NonRecursive)
                && i == 0
            {
                return Err(e);
            }
        }
        for old in &self.folders {
            if !folders.contains(old) {
                let _ = self.watcher.unwatch(old);
            }
        }
        self.watched = watched;
        self.folders = folders;
        Ok(())
    }

    /// The paths whose changes are reported: the model and each hop of its links, then the
    /// same for each file followed with [`FileWatcher::follow_also`].
    pub fn watched(&self) -> &[PathBuf] {
        &self.watched
    }

    /// Follows `files` as well as the model (the results and records files it names, which
    /// change as the model is edited), each through its folder and links like the model.
    /// Returns whether the set changed: the caller reads again then, since a file newly
    /// followed may have changed before its watch began. A folder that cannot be watched
    /// (one not made yet) is skipped until the set is given again.
    pub fn follow_also(&mut self, files: &[PathBuf]) -> Result<bool, String> {
        if self.also == files {
            return Ok(false);
        }
        self.also = files.to_vec();
        self.follow().map_err(|e| e.to_string())?;
        Ok(true)
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
                                // A link may have been swapped: watch where it leads now
                                // before the caller reads through it, so no later save there
                                // is missed.
                                if let Err(e) = self.follow() {
                                    return Some(Err(e.to_string()));
                                }
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
                    if settles(&event, &self.watched) {
                        self.debouncer.settled(Instant::now());
                    } else if concerns(&event, &self.watched) {
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
    fn events_are_kept_by_path_and_kind() {
        let name = &[PathBuf::from("/d/model.yaml")][..];
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
            // The same name in another watched folder is another file.
            ev(
                EventKind::Modify(ModifyKind::Data(DataChange::Any)),
                &["/e/model.yaml"],
            ),
        ];
        for e in &drop {
            assert!(!concerns(e, name), "{e:?}");
        }
    }

    #[test]
    fn closes_and_renames_onto_the_file_settle_a_save() {
        let name = &[PathBuf::from("/d/model.yaml")][..];
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
    fn events_at_any_hop_of_a_link_count() {
        let chain = [
            PathBuf::from("/d/model.yaml"),
            PathBuf::from("/store/v2.yaml"),
        ];
        let target = ev(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            &["/store/v2.yaml"],
        );
        assert!(concerns(&target, &chain) && settles(&target, &chain));
        // `ln -sfn` makes a new link and renames it over the old one.
        let swap = ev(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["/d/.model.yaml.tmp", "/d/model.yaml"],
        );
        assert!(concerns(&swap, &chain) && settles(&swap, &chain));
        let neighbour = ev(
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            &["/store/v1.yaml"],
        );
        assert!(!concerns(&neighbour, &chain));
    }

    #[cfg(unix)]
    #[test]
    fn a_chain_of_links_is_followed_to_the_file() {
        use std::os::unix::fs::symlink;
        let root = std::env::temp_dir().join(format!("elmo-chain-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for d in ["a", "b", "c"] {
            std::fs::create_dir_all(root.join(d)).expect("folder");
        }
        std::fs::write(root.join("c/model.yaml"), "title: T\n").expect("write");
        symlink("../c/model.yaml", root.join("b/link2.yaml")).expect("link");
        symlink(root.join("b/link2.yaml"), root.join("a/link1.yaml")).expect("link");
        let real = root.canonicalize().expect("real root");
        assert_eq!(
            link_chain(&root.join("a/link1.yaml")),
            vec![
                real.join("a/link1.yaml"),
                real.join("b/link2.yaml"),
                real.join("c/model.yaml"),
            ]
        );
        // A dangling link: its target's folder is watched for the file to appear.
        symlink("../c/later.yaml", root.join("a/dangling.yaml")).expect("link");
        assert_eq!(
            link_chain(&root.join("a/dangling.yaml")),
            vec![real.join("a/dangling.yaml"), real.join("c/later.yaml")]
        );
        // A loop ends without hanging.
        symlink("loop2", root.join("a/loop1")).expect("link");
        symlink("loop1", root.join("a/loop2")).expect("link");
        assert_eq!(link_chain(&root.join("a/loop1")).len(), 2);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_bare_file_name_is_watched_in_the_current_folder() {
        assert_eq!(parent_of(Path::new("model.yaml")), PathBuf::from("."));
        assert_eq!(parent_of(Path::new("a/model.yaml")), PathBuf::from("a"));
    }
}
