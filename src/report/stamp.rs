//! Where a report came from: the day it was made and the version of the model file, printed on
//! every page so that two printouts can be told apart and traced back to the file.
//!
//! The version is the git commit that last changed the file, asked of git in the file's own
//! folder, so it works wherever the file lives. The date is today's, or the day of
//! `SOURCE_DATE_EPOCH` when that is set, so reports can be made reproducibly.

use std::path::Path;
use std::process::Command;

/// The environment variable that fixes the date, as reproducible-builds.org defines it.
pub const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// The version of a model file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    /// The last commit that changed the file (abbreviated hash), and whether the file has
    /// changed since.
    Commit {
        /// The abbreviated commit hash.
        hash: String,
        /// Whether the file differs from that commit.
        modified: bool,
    },
    /// The file is in a git repository but has never been committed.
    Uncommitted,
    /// The file is not in a git repository, or git could not be run.
    NotInGit,
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Version::Commit {
                hash,
                modified: false,
            } => write!(f, "model version {hash}"),
            Version::Commit {
                hash,
                modified: true,
            } => write!(f, "model version {hash} with uncommitted changes"),
            Version::Uncommitted => f.write_str("model not yet committed"),
            Version::NotInGit => f.write_str("model not in git"),
        }
    }
}

/// The date and version printed on a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The day the report was made, `YYYY-MM-DD` (UTC).
    pub date: String,
    /// The model file's version.
    pub version: Version,
}

impl Stamp {
    /// The stamp of a report of the model file at `path`, made now (or at
    /// `SOURCE_DATE_EPOCH`). Fails only when `SOURCE_DATE_EPOCH` is set but is not a whole
    /// number of seconds, which reproducible-builds.org asks tools to refuse.
    pub fn for_file(path: &Path) -> Result<Stamp, String> {
        let secs = match std::env::var(SOURCE_DATE_EPOCH) {
            Ok(v) => v.trim().parse::<i64>().map_err(|_| {
                format!("{SOURCE_DATE_EPOCH} must be a whole number of seconds, not {v:?}")
            })?,
            Err(_) => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        };
        Ok(Stamp {
            date: date(secs),
            version: version(path),
        })
    }
}

/// The UTC calendar day of `secs` seconds after 1970-01-01, as `YYYY-MM-DD`.
pub fn date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    // Howard Hinnant's civil-from-days: eras of 400 years, March-based years.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The git version of the file at `path`. Git runs in the file's folder with the file's
/// name after `--end-of-options` and `--`, so no file name can be read as an option or a
/// revision; no git, or a folder outside any work tree, means [`Version::NotInGit`].
pub fn version(path: &Path) -> Version {
    let (Some(name), dir) = (path.file_name(), path.parent()) else {
        return Version::NotInGit;
    };
    let dir = match dir {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let git = |args: &[&str], with_file: bool| {
        let mut cmd = Command::new("git");
        // Set by git hooks, these would point git at another repository than the file's.
        for var in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"] {
            cmd.env_remove(var);
        }
        cmd.arg("-C").arg(dir).args(args);
        if with_file {
            cmd.args(["--end-of-options", "--"]).arg(name);
        }
        cmd.output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    if git(&["rev-parse", "--is-inside-work-tree"], false).as_deref() != Some("true") {
        return Version::NotInGit;
    }
    // A repository without any commit makes `git log` fail: the file is not committed either way.
    match git(&["log", "-1", "--format=%h"], true) {
        Some(hash) if !hash.is_empty() => {
            let modified = git(&["status", "--porcelain"], true).is_some_and(|s| !s.is_empty());
            Version::Commit { hash, modified }
        }
        _ => Version::Uncommitted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_calendar_days() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(86_399), "1970-01-01");
        assert_eq!(date(-1), "1969-12-31");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(date(1_709_164_800), "2024-02-29");
        assert_eq!(date(1_735_689_599), "2024-12-31");
        assert_eq!(date(4_107_542_400), "2100-03-01");
    }

    #[test]
    fn versions_read_as_words() {
        let c = |modified| Version::Commit {
            hash: "abc1234".into(),
            modified,
        };
        assert_eq!(c(false).to_string(), "model version abc1234");
        assert_eq!(
            c(true).to_string(),
            "model version abc1234 with uncommitted changes"
        );
        assert_eq!(Version::NotInGit.to_string(), "model not in git");
    }
}
