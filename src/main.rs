//! The `elmo` binary: everything lives in the library.

fn main() {
    // Arguments stay `OsString`s: a file name that is not UTF-8 is still a file name.
    // Neither stream is locked for the whole run: `elmo serve` runs for hours, and a
    // message from another thread (a panic's, say) must not wait for it forever; `elmo lsp`
    // writes its messages to standard output from a thread of its own.
    let code = elmo::cli::run(
        std::env::args_os(),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    std::process::exit(code);
}
