//! The broken-netlist corpus (tests/broken/*.v): each file gives an error
//! that names its file and line and says what is wrong, and none panics.

mod common;

use common::*;
use netlist::{Error, Netlist};

/// (file, expected line, substrings the message must contain).
const CASES: &[(&str, u32, &[&str])] = &[
    (
        "unknown_cell.v",
        5,
        &["unknown cell or module `NAND2_X9`", "`NAND2_X1`", "u1"],
    ),
    (
        "unknown_pin.v",
        5,
        &["cell `NAND2_X1` has no pin `B`", "`A1`", "`A2`"],
    ),
    (
        "missing_module.v",
        5,
        &["unknown cell or module `half_adder`", "ha"],
    ),
    (
        "width_mismatch.v",
        5,
        &["width mismatch", "pin `A`", "has 1 bit", "`a` with 2"],
    ),
    (
        "width_mismatch_port.v",
        12,
        &["width mismatch", "port `a`", "2 bit(s)", "with 3"],
    ),
    ("undriven.v", 7, &["net `n` has no driver", "`u2/A`"]),
    ("undriven_output.v", 4, &["output `y[1]` has no driver"]),
    (
        "multiply_driven.v",
        6,
        &["net `y` is driven by both", "`u1/ZN`", "line 5", "`u2/ZN`"],
    ),
    (
        "const_conflict.v",
        6,
        &["driven by both constant 0 (line 5)", "`u1/ZN`"],
    ),
    ("comb_loop.v", 0, &["combinational loop", "u1", "u2"]),
    ("bad_select.v", 5, &["bit select `a[4]`", "[3:0]"]),
    ("behavioural.v", 4, &["not a structural netlist"]),
];

fn broken(file: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/broken")
        .join(file)
}

#[test]
fn every_broken_file_gives_a_located_error() {
    let lib = nangate45();
    for &(file, want_line, needles) in CASES {
        let path = broken(file);
        let result = std::panic::catch_unwind(|| Netlist::read(&path, lib, None));
        let err = match result {
            Ok(Ok(_)) => panic!("{file}: elaborated without error"),
            Ok(Err(e)) => e,
            Err(_) => panic!("{file}: panicked"),
        };
        let text = err.to_string();
        let (err_file, line) = match &err {
            Error::At { file, line, .. } => (file.clone(), *line),
            Error::Verilog(verilog::Error::At { file, line, .. }) => (file.clone(), *line),
            other => panic!("{file}: error without a location: {other}"),
        };
        assert!(err_file.ends_with(file), "{file}: located in {err_file}");
        if want_line == 0 {
            // The loop error points at one of the loop's instances (lines 6, 7).
            assert!(line == 6 || line == 7, "{file}: line {line}: {text}");
            assert!(
                !text.contains("u3"),
                "{file}: u3 is not in the loop: {text}"
            );
        } else {
            assert_eq!(line, want_line, "{file}: {text}");
        }
        for needle in needles {
            assert!(
                text.contains(needle),
                "{file}: `{needle}` missing from: {text}"
            );
        }
        assert!(text.contains(&format!("{file}:{line}")), "{file}: {text}");
    }
}

#[test]
fn corpus_is_complete() {
    // Every file in the directory is covered by a case above.
    let mut files: Vec<String> = std::fs::read_dir(broken(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".v"))
        .collect();
    files.sort();
    let mut listed: Vec<String> = CASES.iter().map(|c| c.0.to_string()).collect();
    listed.sort();
    assert_eq!(files, listed);
}
