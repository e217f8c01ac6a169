//! Writing output files: drawings, reports, schemas, manual pages and new models.
//!
//! A regular file is replaced whole: the bytes go to a temporary file beside it, created
//! exclusively under an unpredictable name (so nobody can plant a link there first), which is
//! then renamed over the target, so a reader never sees half a file. What the user named is
//! respected rather than replaced:
//!
//! - a symbolic link is written through: the file it points to is replaced, and the link
//!   stays; a link to nothing is refused, since following it would create a file somewhere
//!   the user never named;
//! - a device, named pipe or socket (`/dev/null`, `/dev/stdout`, a pipe to another program)
//!   is written to directly, as the shell's `>` would;
//! - a folder is refused.

use std::fs::{self, Permissions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::Error;

/// Writes `bytes` to `path` as set out above; `-` writes to standard output.
pub(super) fn write_output(path: &Path, bytes: &[u8], out: &mut dyn Write) -> Result<(), Error> {
    if path.as_os_str() == "-" {
        // A failed write to standard output is caught once, by `cli::run`.
        let _ = out.write_all(bytes);
        return Ok(());
    }
    write_file(path, bytes).map_err(|e| Error::write(path, e))
}

/// Writes `bytes` to the file `path`, replacing a regular file atomically.
pub(super) fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = through_links(path)?;
    match fs::metadata(&target) {
        Ok(m) if m.is_dir() => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is a folder",
        )),
        Ok(m) if !m.is_file() => {
            let mut f = fs::OpenOptions::new().write(true).open(&target)?;
            f.write_all(bytes)?;
            f.flush()
        }
        Ok(m) => replace(&target, bytes, Some(m.permissions())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => replace(&target, bytes, None),
        Err(e) => Err(e),
    }
}

/// Writes a new file at `path`, failing when anything at all is there, a link to nothing
/// included; the file appears whole or not at all.
pub(super) fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Ok(m) = fs::symlink_metadata(path)
        && m.file_type().is_symlink()
        && fs::metadata(path).is_err()
    {
        return Err(dangling());
    }
    let tmp = temp_beside(path, None)?;
    write_temp(&tmp, bytes)?;
    // Never replaces: a file (or link) that appeared meanwhile makes this fail, not vanish.
    tmp.persist_noclobber(path).map(drop).map_err(|e| e.error)
}

/// The file that writing to `path` should replace: `path` itself, or for a symbolic link
/// the file it finally points to.
fn through_links(path: &Path) -> io::Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                dangling()
            } else {
                e
            }
        }),
        _ => Ok(path.to_path_buf()),
    }
}

fn dangling() -> io::Error {
    io::Error::new(
        io::ErrorKind::NotFound,
        "it is a symbolic link to a file that does not exist; elmo writes through links but \
         does not create files at their far end",
    )
}

/// Replaces the regular file (or nothing) at `target` with `bytes`, keeping an existing
/// file's permissions.
fn replace(target: &Path, bytes: &[u8], keep: Option<Permissions>) -> io::Result<()> {
    let tmp = temp_beside(target, keep.clone())?;
    write_temp(&tmp, bytes)?;
    if let Some(p) = keep {
        // Created with these less the umask, so never more open than the file it replaces;
        // now exactly them.
        fs::set_permissions(tmp.path(), p)?;
    }
    tmp.persist(target).map(drop).map_err(|e| e.error)
}

/// An empty temporary file in `target`'s folder (a rename only stays atomic within one file
/// system), named `.NAME.RANDOM.elmo-tmp`, removed again if it is never persisted. It is
/// created with `mode` (or what the shell's `>` would give a new file) less the umask.
fn temp_beside(target: &Path, mode: Option<Permissions>) -> io::Result<tempfile::NamedTempFile> {
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".elmo-tmp");
    if let Some(p) = mode.or_else(new_file_permissions) {
        builder.permissions(p);
    }
    builder.tempfile_in(dir)
}

fn write_temp(tmp: &tempfile::NamedTempFile, bytes: &[u8]) -> io::Result<()> {
    let mut f = tmp.as_file();
    f.write_all(bytes)?;
    f.sync_all()
}

/// Read and write for everyone, which the umask then narrows (tempfile's own default is
/// owner-only, which would make every drawing private).
#[cfg(unix)]
fn new_file_permissions() -> Option<Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(Permissions::from_mode(0o666))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<Permissions> {
    None
}
