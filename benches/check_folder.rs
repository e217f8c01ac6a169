//! Peak memory of `elmo check` on a folder of ten large models (about 1.4 MB each), run in
//! process through `elmo::cli::run` under the counting allocator. Run with
//! `cargo bench --bench check_folder`.
//!
//! `check` reads, checks and reports one file at a time, so its peak should be that of the
//! largest single file, not the sum of all ten. For comparison the bench also keeps all ten
//! compiled models at once, which is what `check` used to do.
//!
//! Target: every format's peak is under 1.5 times the peak of compiling one file.

mod common;

use common::{measure, mib};

fn main() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("check-folder");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let mut files = Vec::new();
    for seed in 0..10u64 {
        let src = elmo::generate::layered_model(7_000, seed);
        let path = dir.join(format!("model-{seed}.yaml"));
        std::fs::write(&path, &src).expect("write");
        files.push(src);
    }
    let total: usize = files.iter().map(String::len).sum();
    println!(
        "check a folder of {} files, {:.1} MB each, {:.1} MB in all",
        files.len(),
        mib(files[0].len()),
        mib(total)
    );
    let options = elmo::Options::default();
    let (_, one_t, one) = measure(|| elmo::compile_bytes(files[0].as_bytes(), &options));
    println!(
        "{:<34} {:>7.0} ms {:>8.1} MB",
        "one file compiled",
        one_t.as_secs_f64() * 1e3,
        mib(one)
    );
    let (_, all_t, all) = measure(|| {
        files
            .iter()
            .map(|f| elmo::compile_bytes(f.as_bytes(), &options))
            .collect::<Vec<_>>()
    });
    println!(
        "{:<34} {:>7.0} ms {:>8.1} MB",
        "all ten kept at once (the old way)",
        all_t.as_secs_f64() * 1e3,
        mib(all)
    );
    let folder = dir.to_string_lossy().into_owned();
    let mut worst: f64 = 0.0;
    for format in ["human", "json", "github", "sarif"] {
        let args = ["elmo", "check", "--format", format, folder.as_str()];
        let (status, took, peak) = measure(|| {
            let (mut out, mut err) = (std::io::sink(), std::io::sink());
            elmo::cli::run(args, &mut out, &mut err)
        });
        assert_eq!(status, 0, "{format}: the generated models are clean");
        worst = worst.max(peak as f64 / one as f64);
        println!(
            "{:<34} {:>7.0} ms {:>8.1} MB",
            format!("elmo check --format {format} DIR"),
            took.as_secs_f64() * 1e3,
            mib(peak)
        );
    }
    println!(
        "worst peak / one file: {worst:.2} (target under 1.5): {}",
        if worst < 1.5 { "met" } else { "MISSED" }
    );
}
