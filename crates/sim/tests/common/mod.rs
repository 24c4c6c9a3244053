//! Shared helpers for the reference tests: paths and case loading.

#![allow(dead_code)]

use std::path::PathBuf;

/// A file of a reference case (named as in `shared/reference/CASE/`), from
/// the repository: see `testdata::reference`.
pub fn case_file(name: &str, file: &str) -> PathBuf {
    testdata::reference(name, file)
}

/// The in-repository copy of a library named as in `shared/liberty`.
pub fn liberty(name: &str) -> PathBuf {
    testdata::liberty(name)
}

/// Read a JSON file.
pub fn json(path: PathBuf) -> serde_json::Value {
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
