//! What keeps a characterization run's output whole besides the table
//! format (`tables`' own tests): the directory lock, the partial-results
//! directory and the run time summed over resumed runs.

use testdata::file_names;

use characterize::lock::DirLock;
use characterize::resume::PartialDir;

#[test]
fn a_second_lock_names_the_owner() {
    let dir = tempfile::tempdir().unwrap();
    let held = DirLock::acquire(dir.path()).unwrap();
    let err = DirLock::acquire(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains(&format!(
            "locked by another run (pid {})",
            std::process::id()
        )),
        "{err}"
    );
    drop(held);
    DirLock::acquire(dir.path()).unwrap();
}

#[cfg(unix)]
#[test]
fn a_symlinked_partial_directory_is_not_followed() {
    let out = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), out.path().join(".partial")).unwrap();
    let err = PartialDir::open(out.path(), &"00".repeat(32))
        .unwrap_err()
        .to_string();
    assert!(err.contains("symbolic link"), "{err}");
    assert!(file_names(elsewhere.path()).is_empty());
}

/// The run time recorded by an interrupted run is carried into the next
/// one; stale temporaries in `.partial` are removed on resume.
#[test]
fn run_time_of_earlier_runs_is_kept() {
    let out = tempfile::tempdir().unwrap();
    let fp = "11".repeat(32);
    let first = PartialDir::open(out.path(), &fp).unwrap();
    assert_eq!(first.earlier_runtime_s(), 0.0);
    first.record_runtime(12.5).unwrap();
    drop(first);
    std::fs::write(out.path().join(".partial/.tmpABC"), b"half").unwrap();
    let again = PartialDir::open(out.path(), &fp).unwrap();
    assert_eq!(again.earlier_runtime_s(), 12.5);
    assert!(!out.path().join(".partial/.tmpABC").exists());
}
