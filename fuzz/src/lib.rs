//! The fuzz target's checks: the same file that `tests/it/fuzz_corpus.rs` replays the corpus
//! through, so the fuzzer and `cargo test` can never disagree on what counts as a bug.

#[path = "../../tests/it/invariants/mod.rs"]
mod invariants;

pub use invariants::check;
