//! An exclusive lock on an output directory, so two runs never write into
//! one directory at once (their temporary files, partial results and final
//! renames would interleave).
//!
//! The lock is an advisory file lock ([`File::try_lock`]: `flock(2)` on
//! Unix; no lock where the platform has none) on `DIR/.lock`, held
//! while the [`DirLock`] lives and released by the operating system when the
//! process ends, killed or not, so a crash never leaves a stale lock. The
//! file holds the owner's process id for the error message; it is left in
//! place when the lock is released (removing it would race with a waiting
//! run that already opened it).

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// Name of the lock file inside a locked directory.
pub const LOCK_FILE: &str = ".lock";

/// A held lock on a directory; dropping it releases the lock.
#[derive(Debug)]
pub struct DirLock {
    _file: File,
    path: PathBuf,
}

impl DirLock {
    /// Creates `dir` if needed and takes its lock without waiting. Fails
    /// with "locked by another run (pid N)" when another process holds it.
    pub fn acquire(dir: &Path) -> Result<DirLock> {
        std::fs::create_dir_all(dir).map_err(|e| Error::Io(located::FileError::of_path(dir, e)))?;
        let path = dir.join(LOCK_FILE);
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            // A lock file replaced by a symbolic link is not followed.
            use std::os::unix::fs::OpenOptionsExt as _;
            options.custom_flags(libc::O_NOFOLLOW);
        }
        let mut file = options
            .open(&path)
            .map_err(|e| Error::Io(located::FileError::of_path(&path, e)))?;
        match try_lock(&file) {
            Ok(true) => {}
            Ok(false) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                let pid = text.trim();
                let owner = if pid.is_empty() {
                    String::new()
                } else {
                    format!(" (pid {pid})")
                };
                return Err(Error::Input(format!(
                    "{} is locked by another run{owner}: wait for it to finish, or give another output directory",
                    dir.display()
                )));
            }
            Err(e) => return Err(Error::Io(located::FileError::of_path(&path, e))),
        }
        let record = (|| -> std::io::Result<()> {
            file.set_len(0)?;
            file.rewind()?;
            writeln!(file, "{}", std::process::id())?;
            file.flush()
        })();
        record.map_err(|e| Error::Io(located::FileError::of_path(&path, e)))?;
        Ok(DirLock { _file: file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Takes an exclusive lock on `file` without waiting: `Ok(false)` when
/// another open file description holds it. Where the platform has no file
/// locks, runs go unlocked as before rather than failing.
fn try_lock(file: &File) -> std::io::Result<bool> {
    match file.try_lock() {
        Ok(()) => Ok(true),
        Err(TryLockError::WouldBlock) => Ok(false),
        Err(TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => Ok(true),
        Err(TryLockError::Error(e)) => Err(e),
    }
}
