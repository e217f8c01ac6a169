//! Shell completions and manual pages: generated from the same command definition as
//! `--help`, so every command and option appears in each.

use crate::common::elmo;
use std::path::Path;
use std::process::Command;

const COMMANDS: [&str; 11] = [
    "check",
    "render",
    "report",
    "diff",
    "init",
    "serve",
    "watch",
    "explain",
    "schema",
    "completions",
    "man",
];

#[test]
fn completions_for_every_shell_name_every_command_and_option() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = elmo(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&o.stdout);
        // fish writes long options without their dashes (`-l max-file-size`).
        for word in COMMANDS
            .iter()
            .chain(&["max-file-size", "theme", "exit-code"])
        {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    let o = elmo(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    // The bash script is valid bash.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("completions");
    std::fs::create_dir_all(&dir).expect("dir");
    let script = dir.join("elmo.bash");
    std::fs::write(&script, elmo(&["completions", "bash"]).stdout).expect("write");
    if let Ok(o) = Command::new("bash").arg("-n").arg(&script).output() {
        assert!(
            o.status.success(),
            "bash -n: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn the_manual_page_lists_every_command_and_a_folder_gets_one_page_each() {
    let o = elmo(&["man"]);
    assert_eq!(o.status.code(), Some(0));
    let page = String::from_utf8_lossy(&o.stdout);
    assert!(page.contains(".TH elmo 1"), "{page:.200}");
    for c in COMMANDS {
        assert!(page.contains(&format!("elmo\\-{c}(1)")), "elmo.1 lacks {c}");
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("man");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let o = elmo(&["man", "--dir", dir.to_str().expect("utf-8")]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for name in std::iter::once("elmo".to_string()).chain(COMMANDS.map(|c| format!("elmo-{c}"))) {
        let file = dir.join(format!("{name}.1"));
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{name}.1: {e}"));
        assert!(text.starts_with(".ie"), "{name}.1 is not roff");
        // groff reads it without a warning, where groff is installed (`-k`: the page is
        // UTF-8, as `man` tells groff too).
        if let Ok(g) = Command::new("groff")
            .args(["-k", "-man", "-Tutf8", "-ww", "-z"])
            .arg(&file)
            .output()
        {
            assert!(
                g.stderr.is_empty(),
                "groff on {name}.1: {}",
                String::from_utf8_lossy(&g.stderr)
            );
        }
    }
    let check = std::fs::read_to_string(dir.join("elmo-check.1")).expect("page");
    assert!(check.contains("max\\-file\\-size"));
}
