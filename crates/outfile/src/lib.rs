//! Atomic output files: every file PowerPrune writes appears whole or not
//! at all.
//!
//! A file is written to a temporary name in its destination's directory,
//! flushed to disk, renamed over the destination, and the directory is
//! flushed so that the rename itself survives a crash. A reader (or a
//! rerun after a killed run) therefore sees the old file or the new one,
//! never a partial one; on any error the temporary file is removed and the
//! old file is left as it was.
//!
//! Every writer of the workspace goes through [`AtomicFile`] (or [`write()`]
//! for bytes already in memory): Liberty and SDF text, table arrays and
//! metadata, reports, plots and VCD dumps. It is a crate of its own, at the
//! left end of the dependency order, because the writers span the whole
//! pipeline, from `liberty` to the CLI.
//!
//! Two properties of these files are relied on elsewhere:
//! - temporary files are named [`TEMP_PREFIX`]`…` (plus an optional
//!   suffix), so that a run holding a directory's lock can recognize and
//!   remove what a killed run left there;
//! - the finished file gets the mode a plain `File::create` would give
//!   (0o666 less the umask), not the owner-only mode of temporary files:
//!   tables, reports and plots are meant to be shared.
//!
//! # Example
//! ```
//! use std::io::Write as _;
//!
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("report.txt");
//!
//! // Streamed: nothing is at `path` until `commit`.
//! let mut file = outfile::AtomicFile::create(&path)?;
//! writeln!(file, "worst delay 1.23 ns")?;
//! assert!(!path.exists());
//! file.commit()?;
//! assert_eq!(std::fs::read_to_string(&path)?, "worst delay 1.23 ns\n");
//!
//! // In one go: the old contents are replaced whole.
//! outfile::write(&path, b"worst delay 1.20 ns\n")?;
//! assert_eq!(std::fs::read_to_string(&path)?, "worst delay 1.20 ns\n");
//! # Ok::<(), std::io::Error>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::io::Write;
use std::path::{Path, PathBuf};

/// Prefix of the temporary files [`AtomicFile`] creates.
pub const TEMP_PREFIX: &str = ".tmp";

/// An output file being written under a temporary name beside its
/// destination; [`AtomicFile::commit`] puts it in place. Dropped without a
/// commit (an error on the way), the temporary file is deleted.
#[derive(Debug)]
pub struct AtomicFile {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
}

impl AtomicFile {
    /// Starts writing `path`.
    pub fn create(path: impl AsRef<Path>) -> std::io::Result<AtomicFile> {
        AtomicFile::with_suffix(path, "")
    }

    /// Starts writing `path` through a temporary file whose name ends in
    /// `suffix`: for writers that choose the format from the extension of
    /// the path they are given (an image encoder needs `.png`).
    pub fn with_suffix(path: impl AsRef<Path>, suffix: &str) -> std::io::Result<AtomicFile> {
        let path = path.as_ref().to_path_buf();
        let mut builder = tempfile::Builder::new();
        builder.prefix(TEMP_PREFIX).suffix(suffix);
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let tmp = builder.tempfile_in(directory(&path))?;
        Ok(AtomicFile { tmp, path })
    }

    /// The temporary file's path, for writers that open the file by name;
    /// it is only valid until [`AtomicFile::commit`].
    pub fn temp_path(&self) -> &Path {
        self.tmp.path()
    }

    /// The destination.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes the contents to disk, renames the file to its destination
    /// (replacing what was there) and flushes the directory entry.
    pub fn commit(self) -> std::io::Result<()> {
        let AtomicFile { mut tmp, path } = self;
        tmp.flush()?;
        tmp.as_file().sync_all()?;
        tmp.persist(&path).map_err(|e| e.error)?;
        sync_directory(directory(&path))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.tmp.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.tmp.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.tmp.flush()
    }
}

/// Writes `bytes` to `path` atomically: [`AtomicFile::create`], the bytes,
/// [`AtomicFile::commit`].
pub fn write(path: impl AsRef<Path>, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    file.commit()
}

/// The directory a file at `path` lives in (`.` for a bare name).
fn directory(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Makes a rename in `dir` durable. Only Unix can open a directory to sync
/// it; elsewhere the rename is left to the file system.
fn sync_directory(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_commit_keeps_the_old_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        // A directory in the way: the rename fails, it stays, no temporary
        // is left beside it.
        let busy = dir.path().join("busy");
        std::fs::create_dir(&busy).unwrap();
        std::fs::write(busy.join("old"), "old").unwrap();
        assert!(write(&busy, b"new").is_err());
        assert_eq!(std::fs::read_to_string(busy.join("old")).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn dropped_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.png");
        let mut f = AtomicFile::with_suffix(&path, ".png").unwrap();
        let tmp = f.temp_path().to_path_buf();
        let name = tmp.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with(TEMP_PREFIX) && name.ends_with(".png"),
            "{name}"
        );
        f.write_all(b"partial").unwrap();
        drop(f);
        assert!(!tmp.exists() && !path.exists());
    }

    /// Outputs are shared: a committed file gets the same mode as one made
    /// by `File::create` in the same place (0o666 less the umask).
    #[cfg(unix)]
    #[test]
    fn committed_file_has_the_mode_of_a_created_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain");
        std::fs::File::create(&plain).unwrap();
        let atomic = dir.path().join("atomic");
        write(&atomic, b"x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&atomic), mode(&plain));
    }

    #[test]
    fn a_bare_file_name_is_written_in_the_current_directory() {
        assert_eq!(directory(Path::new("x.sdf")), Path::new("."));
        assert_eq!(directory(Path::new("out/x.sdf")), Path::new("out"));
    }
}
