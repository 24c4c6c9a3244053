//! Shared helpers for the netlist integration tests.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::PathBuf;
use std::sync::OnceLock;

use liberty::Library;
use netlist::Netlist;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A file of a reference case, e.g. `reference("ref_small_ng45", "netlist.v")`
/// (in the repository: see `testdata::reference`).
pub fn reference(case: &str, file: &str) -> PathBuf {
    testdata::reference(case, file)
}

fn load(cache: &'static OnceLock<Library>, file: &str) -> &'static Library {
    cache.get_or_init(|| read(&testdata::liberty(file)))
}

fn read(path: &std::path::Path) -> Library {
    liberty::read_library(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// NanGate45 typical (the in-repository subset of the cells tests use).
pub fn nangate45() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    load(&LIB, "nangate45_typ.lib.gz")
}

/// IHP SG13G2 typical 1.20 V.
pub fn sg13g2() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    load(&LIB, "sg13g2_stdcell_typ_1p20V_25C.lib")
}

/// SKY130 HD typical, the in-repository subset (two cells).
pub fn sky130hd() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    load(&LIB, "sky130hd_tt.lib.gz")
}

/// The full SKY130 HD typical library and the placed gcd netlist from
/// ../shared, or `None` (with a skip notice) when they are not there.
pub fn gcd_sky130hd() -> Option<(&'static Library, PathBuf)> {
    static LIB: OnceLock<Library> = OnceLock::new();
    let lib = testdata::shared("liberty/sky130hd_tt.lib.gz", "gcd_sky130hd")?;
    let netlist = testdata::shared("reference/gcd_sky130hd/gcd_sky130hd.v", "gcd_sky130hd")?;
    Some((LIB.get_or_init(|| read(&lib)), netlist))
}

/// Elaborate Verilog text (named `file` in messages).
pub fn elaborate_text(text: &str, file: &str, lib: &Library) -> netlist::Result<Netlist> {
    let source = verilog::parse::parse_source(text, file)?;
    Netlist::elaborate(&source, lib, None)
}

/// Mask of the low `width` bits.
pub fn mask(width: usize) -> u64 {
    if width >= 64 {
        !0
    } else {
        (1u64 << width) - 1
    }
}

/// Sign-extend the low `width` bits of `v`.
pub fn sign_extend(v: u64, width: usize) -> i64 {
    let shift = 64 - width as u32;
    ((v << shift) as i64) >> shift
}

/// Rows of a decimal CSV file with a header line: (header, rows).
pub fn read_csv(path: &std::path::Path) -> (Vec<String>, Vec<Vec<i64>>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header = lines
        .next()
        .expect("header")
        .split(',')
        .map(|s| s.trim().to_string())
        .collect();
    let rows = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            l.split(',')
                .map(|v| v.trim().parse::<i64>().expect("decimal"))
                .collect()
        })
        .collect();
    (header, rows)
}

/// Index of input port `name`.
pub fn input_index(n: &Netlist, name: &str) -> usize {
    n.inputs
        .iter()
        .position(|p| p.name == name)
        .unwrap_or_else(|| panic!("no input {name}"))
}

/// Index of output port `name`.
pub fn output_index(n: &Netlist, name: &str) -> usize {
    n.outputs
        .iter()
        .position(|p| p.name == name)
        .unwrap_or_else(|| panic!("no output {name}"))
}
