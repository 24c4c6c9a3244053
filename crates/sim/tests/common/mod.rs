//! Shared helpers for the reference tests: paths and case loading.

#![allow(dead_code)]

use std::path::PathBuf;

/// `shared/` next to the repository.
pub fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// A reference case directory.
pub fn case(name: &str) -> PathBuf {
    shared().join("reference").join(name)
}

/// A library in `shared/liberty`.
pub fn liberty(name: &str) -> PathBuf {
    shared().join("liberty").join(name)
}

/// Read a JSON file.
pub fn json(path: PathBuf) -> serde_json::Value {
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
