//! Where the workspace's tests find their data (a dev-dependency only).
//!
//! Core cases read files that live in the repository: the shipped libraries
//! in `liberty/`, the netlists in `netlists/` and the fixtures in
//! `tests/fixtures/` (a NanGate45 subset written by our own Liberty writer,
//! OpenSTA figures and stimuli; `tests/fixtures/README.md` says where each
//! came from). They always run, so a fresh clone passes its tests.
//!
//! Extra cases also read `../shared` (or `$POWERPRUNE_SHARED`) when it is
//! there: other corners and libraries, the full NanGate45 library, the big
//! VCDs, the SKY130 GCD. When it is not, [`shared`] prints one
//! `skipped: ... not present` line to the real stderr (not captured by the
//! test harness, so it shows in `cargo test` output) with a running count,
//! and the test returns without asserting anything about it.

#![forbid(unsafe_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

/// A committed file under `tests/fixtures/`; panics if it is missing, since
/// a missing fixture is a broken checkout, not an optional case.
pub fn fixture(rel: &str) -> PathBuf {
    let path = repo().join("tests/fixtures").join(rel);
    assert!(path.exists(), "fixture {} is missing", path.display());
    path
}

/// A library the core cases use, by its name in `shared/liberty`: the
/// shipped SG13G2 files in `liberty/` (identical models), or for
/// `nangate45_typ.lib.gz` and `sky130hd_tt.lib.gz` the in-repository subsets
/// `tests/fixtures/liberty/*_subset.lib.gz` (only the cells the core cases
/// use). Other libraries, and the full ones, are only in `../shared`: use
/// [`shared`].
pub fn liberty(name: &str) -> PathBuf {
    match name {
        "sg13g2_stdcell_typ_1p20V_25C.lib" | "sg13g2_stdcell_typ_1p50V_25C.lib" => {
            repo().join("liberty").join(name)
        }
        "nangate45_typ.lib.gz" => fixture("liberty/nangate45_typ_subset.lib.gz"),
        "sky130hd_tt.lib.gz" => fixture("liberty/sky130hd_tt_subset.lib.gz"),
        other => panic!("{other} is not in the repository; read it with testdata::shared"),
    }
}

/// A file of a reference case (`ref_small_ng45`, `ref_mac8u_ng45`,
/// `ref_mac8u_sg13g2`) by its name in `shared/reference/CASE/`:
/// `netlist.v` is the byte-identical netlist in `netlists/`, the others
/// (`opensta.json`, `opensta_1p50V.json`, `stimulus.csv`, `sim_outputs.csv`,
/// and `sim.vcd.gz` of `ref_small_ng45`) are in `tests/fixtures/reference/`.
pub fn reference(case: &str, file: &str) -> PathBuf {
    if file == "netlist.v" {
        let netlist = match case {
            "ref_mac8u_sg13g2" => "mac8u_sg13g2.v".to_string(),
            other => format!("{other}.v"),
        };
        let path = repo().join("netlists").join(netlist);
        assert!(path.exists(), "{case} has no netlist {}", path.display());
        return path;
    }
    fixture(&format!("reference/{case}/{file}"))
}

/// The shared data directory: `$POWERPRUNE_SHARED` when set, else
/// `../shared` beside the repository.
pub fn shared_root() -> PathBuf {
    match std::env::var_os("POWERPRUNE_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => repo().join("../shared"),
    }
}

static SKIPPED: AtomicUsize = AtomicUsize::new(0);

/// `rel` (e.g. `liberty/sky130hd_tt.lib.gz`) in the shared data directory
/// if it exists. If not, prints `skipped: ../shared/REL not present (CASE)`
/// with the number of cases skipped so far in this test binary, and returns
/// `None`; the caller skips that case.
pub fn shared(rel: &str, case: &str) -> Option<PathBuf> {
    let path = shared_root().join(rel);
    if path.exists() {
        return Some(path);
    }
    let shown = match std::env::var_os("POWERPRUNE_SHARED") {
        Some(_) => path.display().to_string(),
        None => format!("../shared/{rel}"),
    };
    let n = SKIPPED.fetch_add(1, Ordering::Relaxed) + 1;
    let line = format!("skipped: {shown} not present ({case}; {n} skipped in this test binary)\n");
    // Straight to the process's stderr, in one write: the harness captures
    // eprintln! of passing tests, and a skip must be visible.
    let _ = std::io::stderr().write_all(line.as_bytes());
    None
}

/// The names of the entries of `dir`, sorted: what a test compares with the
/// files a run should leave (and no temporaries). Panics if `dir` cannot be
/// listed, which fails the test that asked.
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
        .map(|e| {
            e.unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}
