//! The install routes people are told about: the README's first screen and the book's Install
//! page download from the one address in Cargo.toml's `repository`, and the crate package holds
//! every file the build embeds. .ci/packaging builds and installs the packages themselves.

use crate::common::{read, root};

/// The project's address, from Cargo.toml's `repository`: the one line to change on publishing.
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The no-Rust install lines, by what each downloads from the latest release.
fn install_lines() -> [String; 3] {
    let download = format!("{REPOSITORY}/releases/latest/download");
    [
        format!("curl --proto '=https' --tlsv1.2 -LsSf {download}/elmo-installer.sh | sh"),
        format!(
            "powershell -ExecutionPolicy Bypass -c \"irm {download}/elmo-installer.ps1 | iex\""
        ),
        format!("curl -LO {download}/elmo_amd64.deb && sudo apt install ./elmo_amd64.deb"),
    ]
}

#[test]
fn the_readme_leads_with_the_installs_that_need_no_rust() {
    let readme = read(&root().join("README.md"));
    // About one screen: the title, the summary and the install section.
    let first_screen: String = readme.lines().take(45).collect::<Vec<_>>().join("\n");
    for line in install_lines() {
        assert!(
            first_screen.lines().any(|l| l == line),
            "the README's first 45 lines lack `{line}`"
        );
    }
    // Working on elmo from a clone: these two commands are what the project's own set-up and
    // .ci/run rely on, word for word.
    let clone = "```console\ncargo run --release -- render models/peterborough-sib.yaml -o peterborough.svg\n.ci/deps && cargo test --all-targets\n```";
    assert!(readme.contains(clone), "the README lost the clone commands");
    assert!(
        readme.find(clone) > readme.find(&install_lines()[0]),
        "the install that needs Rust comes before the ones that do not"
    );
}

#[test]
fn the_install_page_gives_every_route() {
    let page = read(&root().join("book/src/install.md"));
    for line in install_lines() {
        assert!(page.lines().any(|l| l == line), "install.md lacks `{line}`");
    }
    for route in [
        "elmo_arm64.deb",
        "sha256sum -c",
        "Get-FileHash",
        &format!("cargo install --locked --git {REPOSITORY}"),
        "cargo install --locked --path .",
    ] {
        assert!(page.contains(route), "install.md lacks `{route}`");
    }
    let summary = read(&root().join("book/src/SUMMARY.md"));
    assert!(
        summary.lines().take(6).any(|l| l.contains("(install.md)")),
        "SUMMARY.md should link the Install page early"
    );
}

/// Every GitHub address in the pages that tell people how to install is the repository's, so
/// changing Cargo.toml's `repository` without them fails here instead of sending people to an
/// address that is not the project's.
#[test]
fn every_download_address_is_the_repository_in_cargo_toml() {
    assert!(
        REPOSITORY.starts_with("https://github.com/"),
        "{REPOSITORY}"
    );
    let placeholder = REPOSITORY.contains("_OWNER_");
    for page in [
        "README.md",
        "book/src/install.md",
        "book/src/getting-started.md",
    ] {
        let text = read(&root().join(page));
        for (at, _) in text.match_indices("github.com/") {
            let url_start = text[..at].rfind("https://").unwrap_or(at);
            assert!(
                text[url_start..].starts_with(REPOSITORY),
                "{page} links to {}, not to {REPOSITORY}",
                text[url_start..]
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
            );
        }
        assert!(
            placeholder || !text.contains("_OWNER_"),
            "{page} still names the placeholder `_OWNER_`"
        );
    }
    let readme = read(&root().join("README.md"));
    assert_eq!(
        readme.contains("No release has been published yet"),
        placeholder,
        "the README's note on the placeholder address should be there exactly while it is"
    );
}

/// `cargo package` keeps only Cargo.toml's `include` list, and builds the crate from that: a
/// file the build embeds from anywhere else breaks `cargo install` for everyone.
#[test]
fn the_crate_package_holds_every_file_the_build_embeds() {
    let manifest = read(&root().join("Cargo.toml"));
    let list = manifest
        .split_once("\ninclude = [")
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(list, _)| list)
        .expect("Cargo.toml has an `include` list");
    let folders: Vec<&str> = list
        .split('"')
        .skip(1)
        .step_by(2)
        .filter_map(|p| p.strip_prefix('/')?.strip_suffix("/**"))
        .collect();
    assert!(folders.contains(&"src"), "{folders:?}");
    let mut embedded = 0;
    let mut dirs = vec![root().join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let text = read(&path);
            for mac in ["include_str!(\"", "include_bytes!(\""] {
                for (at, _) in text.match_indices(mac) {
                    let rest = &text[at + mac.len()..];
                    let relative = &rest[..rest.find('"').expect("closing quote")];
                    let file = dir.join(relative);
                    let file = file.canonicalize().unwrap_or(file);
                    let inside = file
                        .strip_prefix(root().canonicalize().expect("root"))
                        .expect("an embedded file inside the repository");
                    let top = inside.components().next().expect("a path");
                    let top = top.as_os_str().to_str().expect("UTF-8 folder");
                    assert!(
                        folders.contains(&top),
                        "{} embeds {}, which Cargo.toml's `include` leaves out of the package",
                        path.display(),
                        inside.display()
                    );
                    embedded += 1;
                }
            }
        }
    }
    assert!(embedded >= 5, "found only {embedded} embedded files");
}
