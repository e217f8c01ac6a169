//! Reading a model's bytes: the one way every command (check, render, report, diff, serve,
//! watch) reads its input, so all of them have the same limits.
//!
//! At most one byte past the size limit is read, so an oversized file is reported as
//! `limit-exceeded` by [`crate::compile_bytes`] without being loaded whole. Only regular
//! files are read: a named pipe blocks its reader until someone writes to it, and a device
//! such as `/dev/zero` never ends, so both are refused before a byte is read.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// Reads the regular file at `path`, at most `max_file_size + 1` bytes.
///
/// Anything that is not a regular file once links are followed (a folder, a named pipe, a
/// device, a socket) is refused with an [`io::ErrorKind::InvalidInput`] error.
pub fn read_file(path: &Path, max_file_size: usize) -> io::Result<Vec<u8>> {
    // A look before opening: opening a device can have effects of its own.
    regular(&std::fs::metadata(path)?)?;
    let file = open(path)?;
    // And a look at what was opened, in case the path was swapped in between.
    let meta = file.metadata()?;
    regular(&meta)?;
    let expected = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    read_limited(file, max_file_size, expected)
}

/// Reads standard input, at most `max_file_size + 1` bytes.
pub fn read_stdin(max_file_size: usize) -> io::Result<Vec<u8>> {
    read_limited(io::stdin().lock(), max_file_size, 0)
}

/// Reads `r` to its end or to one byte past `max_file_size`, whichever comes first.
pub fn read_limited(r: impl Read, max_file_size: usize, expected: usize) -> io::Result<Vec<u8>> {
    // Saturating: a limit of `usize::MAX` means no limit, not a limit of zero bytes.
    let cap = max_file_size.saturating_add(1);
    let mut buf = Vec::with_capacity(expected.min(cap));
    r.take(u64::try_from(cap).unwrap_or(u64::MAX))
        .read_to_end(&mut buf)?;
    Ok(buf)
}

#[cfg(unix)]
fn open(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // Non-blocking, so that a named pipe swapped in after the first look is opened at once
    // (and then refused) rather than waiting for a writer; regular files ignore the flag.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Refuses anything but a regular file, saying what it is instead.
fn regular(meta: &Metadata) -> io::Result<()> {
    let t = meta.file_type();
    if t.is_file() {
        return Ok(());
    }
    let what = if t.is_dir() {
        "a folder"
    } else {
        special_kind(&t)
    };
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("it is {what}, not a regular file"),
    ))
}

#[cfg(unix)]
fn special_kind(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_limit_reads_everything_rather_than_nothing() {
        let text = b"title: t\n";
        assert_eq!(
            read_limited(&text[..], usize::MAX, 0).ok(),
            Some(text.to_vec())
        );
        assert_eq!(read_limited(&text[..], 3, 0).ok(), Some(b"titl".to_vec()));
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_refused_before_reading() {
        for path in ["/dev/zero", "/dev/null", "/"] {
            let e = read_file(Path::new(path), 1024).expect_err(path);
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{path}: {e}");
        }
    }
}
