//! Checks every writer makes before it opens an output path: it must not be
//! one of the command's own inputs (a typo such as `sdf -o LIB` would
//! otherwise replace the library with SDF), and `run`'s output folder must
//! hold only what `run` itself writes.

use std::path::{Path, PathBuf};

/// Where a `--plots [DIR]` option puts the plots: `None` without the option,
/// `default()` when it is given bare, else its DIR. One shape for
/// characterize, select and sweep-voltage.
pub fn plots_dir(
    arg: &Option<Option<PathBuf>>,
    default: impl FnOnce() -> PathBuf,
) -> Option<PathBuf> {
    arg.as_ref().map(|dir| dir.clone().unwrap_or_else(default))
}

/// The path with symbolic links and `..` resolved. An output that does not
/// exist yet is resolved through its parent directory; `None` when even that
/// does not exist (then it cannot be any existing input).
fn resolve(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let name = path.file_name()?;
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.canonicalize().ok().map(|p| p.join(name))
}

/// Same file by identity (device and inode), which also catches hard links.
#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false
}

/// Fails when `output` (given with option `flag`) is one of `inputs`, or lies
/// inside an input that is a directory. Paths are compared after resolving
/// symbolic links and `..`, and by file identity.
pub fn refuse_input_overwrite(flag: &str, output: &Path, inputs: &[&Path]) -> anyhow::Result<()> {
    let Some(out) = resolve(output) else {
        return Ok(());
    };
    for input in inputs {
        let Ok(inp) = input.canonicalize() else {
            continue;
        };
        let clash = if inp.is_dir() {
            out.starts_with(&inp)
        } else {
            out == inp || same_file(output, input)
        };
        if clash {
            anyhow::bail!(
                "{flag} {}: that is {} input {}; refusing to overwrite it (choose another output path)",
                output.display(),
                if inp.is_dir() { "inside the" } else { "the" },
                input.display()
            );
        }
    }
    Ok(())
}

/// Fails when `dir` exists and holds anything whose name `own` does not
/// accept, unless `force`: a command that writes several fixed file names
/// into a folder must not silently replace someone else's files there.
/// Names starting with `.` (the run's lock and temporary files) are ignored.
pub fn refuse_foreign_folder(
    dir: &Path,
    own: impl Fn(&str) -> bool,
    force: bool,
) -> anyhow::Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let mut foreign: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.') && !own(name))
        .collect();
    if foreign.is_empty() || force {
        return Ok(());
    }
    foreign.sort();
    let shown: Vec<&str> = foreign.iter().take(5).map(String::as_str).collect();
    anyhow::bail!(
        "{} is not empty and holds files this command did not write ({}{}); \
         give an empty or new folder, or --force to write into it anyway",
        dir.display(),
        shown.join(", "),
        if foreign.len() > shown.len() {
            ", ..."
        } else {
            ""
        }
    )
}
