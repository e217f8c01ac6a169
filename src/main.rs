//! The `elmo` binary: everything lives in the library.

fn main() {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    // Standard error is not locked for the whole run: `elmo serve` runs for hours, and a
    // message from another thread (a panic's, say) must not wait for it forever.
    let code = elmo::cli::run(args, &mut std::io::stdout().lock(), &mut std::io::stderr());
    std::process::exit(code);
}
