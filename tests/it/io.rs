//! Reading models and writing outputs as a careless or hostile user meets them: one reader
//! with one size limit for every command, no waiting on pipes or devices, output files that
//! are replaced safely and never through a planted link, standard input and output that
//! behave as in any other Unix tool, and file names that are not UTF-8.

use crate::common::{command, root, scratch, stderr};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const CLEAN: &str = "tests/fixtures/diagnostics/clean.yaml";

/// Waits for `child`, killing it and failing the test if it takes longer than `secs`: the
/// bugs these tests guard against are hangs and runaway reads, which must fail, not stall.
fn finish(mut child: Child, secs: u64, what: &str) -> Output {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        match child.try_wait().expect("wait") {
            Some(_) => return child.wait_with_output().expect("output"),
            None if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{what}: still running after {secs} s");
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

fn run(mut cmd: Command, secs: u64) -> Output {
    let what = format!("{cmd:?}");
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("elmo starts");
    finish(child, secs, &what)
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs")
        .success();
    assert!(ok, "mkfifo {}", path.display());
}

/// Every command that reads a model, given `file` (and an output in `dir` where one is needed).
fn readers(file: &Path, dir: &Path) -> Vec<Command> {
    let out = dir.join("out.svg");
    let mut v = Vec::new();
    for args in [
        vec!["check"],
        vec!["render"],
        vec!["report"],
        vec!["diff", CLEAN],
        vec!["serve", "--port", "0"],
        vec!["watch", "-o", out.to_str().expect("utf-8")],
    ] {
        let mut c = command();
        c.args(&args[..1]).arg(file).args(&args[1..]);
        v.push(c);
    }
    v
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_at_once_by_every_command_that_reads_a_model() {
    let dir = scratch("io/fifo");
    let fifo = dir.join("live.yaml");
    mkfifo(&fifo);
    for cmd in readers(&fifo, &dir) {
        let what = format!("{cmd:?}");
        let o = run(cmd, 20);
        assert_eq!(o.status.code(), Some(2), "{what}: {}", stderr(&o));
        assert!(stderr(&o).contains("named pipe"), "{what}: {}", stderr(&o));
    }
}

#[cfg(unix)]
#[test]
fn a_named_pipe_inside_a_checked_folder_is_reported_and_the_rest_is_checked() {
    let dir = scratch("io/fifo-folder");
    std::fs::copy(root().join(CLEAN), dir.join("a.yaml")).expect("copy");
    mkfifo(&dir.join("b.yaml"));
    let mut cmd = command();
    cmd.arg("check").arg(&dir);
    let o = run(cmd, 20);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("b.yaml: it is a named pipe (FIFO)"));
    assert!(String::from_utf8_lossy(&o.stdout).contains("in 1 file"));
}

#[cfg(unix)]
#[test]
fn an_endless_device_is_refused_by_every_command_that_reads_a_model() {
    let dir = scratch("io/device");
    for cmd in readers(Path::new("/dev/zero"), &dir) {
        let what = format!("{cmd:?}");
        let o = run(cmd, 20);
        assert_eq!(o.status.code(), Some(2), "{what}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("it is a device, not a regular file"),
            "{what}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn every_command_applies_the_same_size_limit() {
    let dir = scratch("io/size");
    let big = dir.join("big.yaml");
    let mut text = String::from("title: big\n");
    while text.len() <= 10 * 1024 * 1024 {
        text.push_str("# a comment line that only makes the file larger than the limit\n");
    }
    std::fs::write(&big, &text).expect("write");
    for args in [
        vec!["check"],
        vec!["render"],
        vec!["report"],
        vec!["diff", CLEAN],
    ] {
        let mut cmd = command();
        cmd.args(&args[..1]).arg(&big).args(&args[1..]);
        let o = run(cmd, 60);
        let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
        assert_eq!(o.status.code(), Some(1), "{args:?}: {all}");
        assert!(all.contains("limit-exceeded"), "{args:?}: {all}");
    }
}

#[test]
fn the_largest_max_file_size_means_no_limit_not_an_empty_file() {
    let mut cmd = command();
    cmd.args(["check", "--max-file-size", &usize::MAX.to_string(), CLEAN]);
    let o = run(cmd, 30);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("0 errors, 0 warnings in 1 file"));
}

#[test]
fn a_png_beyond_the_pixel_budget_is_refused_with_exit_1_and_nothing_written() {
    let dir = scratch("io/png-budget");
    let out = dir.join("huge.png");
    let mut cmd = command();
    cmd.args([
        "render",
        "models/alcohol-treatment.yaml",
        "--scale",
        "16",
        "-o",
    ])
    .arg(&out);
    let o = run(cmd, 60);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    // The largest scale that fits, which depends on the drawing's size.
    let most: f64 = e
        .split("use --scale ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(f64::NAN);
    assert!(
        e.contains("over the limit of 100 million") && most > 1.0 && most < 16.0,
        "{e}"
    );
    assert!(!out.exists());
}

#[test]
fn check_and_render_read_the_model_from_standard_input_given_as_dash() {
    let model = std::fs::read(root().join(CLEAN)).expect("fixture");
    let piped = |args: &[&str], input: &[u8]| {
        let mut child = command()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        let mut stdin = child.stdin.take().expect("stdin");
        // A command refused before it reads (`check - -`) may be gone before this write.
        if let Err(e) = stdin.write_all(input) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "feed: {e}");
        }
        drop(stdin);
        finish(child, 30, &format!("{args:?}"))
    };
    let o = piped(&["check", "-"], &model);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("0 errors, 0 warnings in 1 file"));
    let o = piped(&["render", "-"], &model);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.starts_with(b"<svg"));
    let o = piped(&["report", "-", "--format", "csv"], &model);
    assert!(o.stdout.starts_with(b"stage,node_id"));
    // Diagnostics name standard input as such.
    let o = piped(&["check", "--format", "json", "-"], b"title: [oops\n");
    assert_eq!(o.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(json["files"][0]["path"], "<stdin>");
    // Standard input is read once.
    let o = piped(&["check", "-", "-"], &model);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn render_without_output_writes_to_standard_output() {
    let mut cmd = command();
    cmd.args(["render", CLEAN]);
    let o = run(cmd, 30);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.starts_with(b"<svg"));
    let mut cmd = command();
    cmd.args(["render", CLEAN, "--format", "mermaid"]);
    assert!(run(cmd, 30).stdout.starts_with(b"---\ntitle:"));
}

#[cfg(target_os = "linux")]
#[test]
fn a_write_error_on_standard_output_exits_2() {
    for args in [
        vec!["render", CLEAN, "-o", "-"],
        vec!["render", CLEAN],
        vec!["check", CLEAN],
        vec!["report", CLEAN],
        vec!["schema"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let child = command()
            .args(&args)
            .stdout(full)
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        let o = finish(child, 30, &format!("{args:?}"));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("cannot write to standard output"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn a_closed_pipe_on_standard_output_ends_quietly() {
    // `elmo render … | head -c 1`: the reader leaves early, which is not an error.
    let mut child = command()
        .args(["render", "models/alcohol-treatment.yaml"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut first = [0u8; 1];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("a first byte");
    let o = finish(child, 30, "render into a closed pipe");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

#[cfg(unix)]
#[test]
fn a_planted_link_at_the_old_temporary_name_is_never_followed() {
    let dir = scratch("io/planted");
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "precious").expect("write");
    // The name the temporary file used to have, planted as a link to the victim.
    std::os::unix::fs::symlink(&victim, dir.join(".out.svg.elmo-tmp")).expect("link");
    let out = dir.join("out.svg");
    let mut cmd = command();
    cmd.args(["render", CLEAN, "-o"]).arg(&out);
    let o = run(cmd, 30);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&victim).expect("read"), "precious");
    assert!(std::fs::read(&out).expect("written").starts_with(b"<svg"));
    let left: Vec<String> = std::fs::read_dir(&dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".elmo-tmp") && n != ".out.svg.elmo-tmp")
        .collect();
    assert_eq!(left, Vec::<String>::new(), "temporary files left behind");
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_link_is_written_through_and_stays_a_link() {
    let dir = scratch("io/link-out");
    let real = dir.join("real.svg");
    std::fs::write(&real, "old").expect("write");
    let link = dir.join("link.svg");
    std::os::unix::fs::symlink("real.svg", &link).expect("link");
    let mut cmd = command();
    cmd.args(["render", CLEAN, "-o"]).arg(&link);
    let o = run(cmd, 30);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let meta = std::fs::symlink_metadata(&link).expect("link");
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    assert!(std::fs::read(&real).expect("read").starts_with(b"<svg"));
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_link_to_nothing_is_refused() {
    let dir = scratch("io/dangling-out");
    let link = dir.join("link.svg");
    std::os::unix::fs::symlink("elsewhere/nothing.svg", &link).expect("link");
    std::fs::create_dir(dir.join("elsewhere")).expect("dir");
    for args in [vec!["render", CLEAN], vec!["report", CLEAN], vec!["schema"]] {
        let mut cmd = command();
        cmd.args(&args).arg("-o").arg(&link);
        let o = run(cmd, 30);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("symbolic link to a file that does not exist"));
        assert!(!dir.join("elsewhere/nothing.svg").exists(), "{args:?}");
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("still there")
                .file_type()
                .is_symlink(),
            "{args:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_named_pipe_is_written_into_not_replaced() {
    let dir = scratch("io/fifo-out");
    let fifo = dir.join("drawing.svg");
    mkfifo(&fifo);
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = fifo.clone();
    std::thread::spawn(move || {
        let mut text = Vec::new();
        let read = std::fs::File::open(&reader).and_then(|mut f| f.read_to_end(&mut text));
        let _ = tx.send(read.map(|_| text));
    });
    let mut cmd = command();
    cmd.args(["render", CLEAN, "-o"]).arg(&fifo);
    let o = run(cmd, 30);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    use std::os::unix::fs::FileTypeExt;
    let kind = std::fs::symlink_metadata(&fifo).expect("there").file_type();
    assert!(kind.is_fifo(), "the named pipe was replaced by a file");
    let got = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the reader got the drawing")
        .expect("read");
    assert!(got.starts_with(b"<svg"));
}

#[test]
fn a_new_output_file_gets_the_usual_permissions_and_a_replaced_one_keeps_its_own() {
    let dir = scratch("io/modes");
    let out = dir.join("new.svg");
    let mut cmd = command();
    cmd.args(["render", CLEAN, "-o"]).arg(&out);
    assert_eq!(run(cmd, 30).status.code(), Some(0));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Not the owner-only mode temporary files are made with.
        let mode = std::fs::metadata(&out)
            .expect("written")
            .permissions()
            .mode();
        assert_ne!(mode & 0o077, 0, "a new drawing is private: {mode:o}");
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        let mut cmd = command();
        cmd.args(["render", CLEAN, "--format", "dot", "-o"])
            .arg(&out);
        assert_eq!(run(cmd, 30).status.code(), Some(0));
        let mode = std::fs::metadata(&out)
            .expect("written")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
        assert!(std::fs::read(&out).expect("read").starts_with(b"digraph"));
    }
}

#[cfg(unix)]
#[test]
fn init_refuses_a_link_to_nothing_with_or_without_force() {
    let dir = scratch("io/init-dangling");
    let link = dir.join("model.yaml");
    std::os::unix::fs::symlink("target.yaml", &link).expect("link");
    for force in [false, true] {
        let mut cmd = command();
        cmd.arg("init").arg(&link);
        if force {
            cmd.arg("--force");
        }
        let o = run(cmd, 30);
        assert_eq!(o.status.code(), Some(2), "force {force}: {}", stderr(&o));
        assert!(
            !dir.join("target.yaml").exists(),
            "written through the link"
        );
    }
    // A link to nothing where the schema goes is left alone too.
    let dir = scratch("io/init-schema-link");
    std::os::unix::fs::symlink("planted.json", dir.join("elmo.schema.json")).expect("link");
    let mut cmd = command();
    cmd.arg("init").arg(dir.join("model.yaml"));
    let o = run(cmd, 30);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!dir.join("planted.json").exists());
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_read_as_they_are() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("io/non-utf8");
    let name = OsStr::from_bytes(b"mod\xe8le.yaml");
    let file = dir.join(name);
    std::fs::copy(root().join(CLEAN), &file).expect("copy");
    for args in [
        vec!["check"],
        vec!["render"],
        vec!["report"],
        vec!["diff", CLEAN],
    ] {
        let mut cmd = command();
        cmd.arg(args[0]).arg(&file).args(&args[1..]);
        let o = run(cmd, 30);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    }
    let out = dir.join(OsStr::from_bytes(b"dessin-\xe9.svg"));
    let mut cmd = command();
    cmd.args(["render", CLEAN, "-o"]).arg(&out);
    assert_eq!(run(cmd, 30).status.code(), Some(0));
    assert!(std::fs::read(&out).expect("written").starts_with(b"<svg"));
}
