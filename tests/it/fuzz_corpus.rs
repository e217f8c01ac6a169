//! Replays the fuzz corpus (`fuzz/corpus/compile_render/`) through the fuzz target's checks,
//! so every input the fuzzer once found interesting stays a regression test without
//! cargo-fuzz or a nightly toolchain.

use crate::invariants;

use std::path::Path;

#[test]
fn every_corpus_input_keeps_the_invariants() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/compile_render");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("corpus entry").path())
        .collect();
    files.sort();
    assert!(files.len() > 20, "the corpus is missing: {}", dir.display());
    for path in files {
        let bytes = std::fs::read(&path).expect("corpus file");
        let run = std::panic::catch_unwind(|| invariants::check(&bytes));
        assert!(run.is_ok(), "{} breaks an invariant", path.display());
    }
}
