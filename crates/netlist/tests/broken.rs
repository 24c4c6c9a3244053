//! The broken-netlist corpus (tests/broken/*.v): each file gives an error
//! that names its file, line and column and says what is wrong, and none
//! panics. The columns are counted by hand in the files: the instance's cell
//! name, the pin name of the connection at fault, the declared port name.

mod common;

use common::*;
use netlist::{Error, Netlist};

/// (file, expected line and column, substrings the message must contain).
const CASES: &[(&str, (u32, u32), &[&str])] = &[
    (
        "unknown_cell.v",
        (5, 3),
        &["unknown cell or module `NAND2_X9`", "`NAND2_X1`", "u1"],
    ),
    // `.B(b),` on the instance's third line.
    (
        "unknown_pin.v",
        (7, 6),
        &["cell `NAND2_X1` has no pin `B`", "`A1`", "`A2`"],
    ),
    (
        "missing_module.v",
        (5, 3),
        &["unknown cell or module `half_adder`", "ha"],
    ),
    (
        "width_mismatch.v",
        (5, 15),
        &["width mismatch", "pin `A`", "has 1 bit", "`a` with 2"],
    ),
    (
        "width_mismatch_port.v",
        (12, 12),
        &["width mismatch", "port `a`", "2 bit(s)", "with 3"],
    ),
    // At the load: `.A(n)` of u2.
    ("undriven.v", (7, 15), &["net `n` has no driver", "`u2/A`"]),
    (
        "undriven_output.v",
        (4, 16),
        &["output `y[1]` has no driver"],
    ),
    // At the second driver's `.ZN`, naming the first's.
    (
        "multiply_driven.v",
        (6, 22),
        &[
            "net `y` is driven by both",
            "`u1/ZN` (INV_X1) (line 5, column 22)",
            "`u2/ZN`",
        ],
    ),
    (
        "const_conflict.v",
        (6, 22),
        &["driven by both constant 0 (line 5, column 3)", "`u1/ZN`"],
    ),
    // Either instance of the loop, at its cell name.
    ("comb_loop.v", (0, 3), &["combinational loop", "u1", "u2"]),
    ("bad_select.v", (5, 15), &["bit select `a[4]`", "[3:0]"]),
    // The parser's error, at `reg`.
    ("behavioural.v", (4, 10), &["not a structural netlist"]),
];

fn broken(file: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/broken")
        .join(file)
}

#[test]
fn every_broken_file_gives_a_located_error() {
    let lib = nangate45();
    for &(file, (want_line, want_col), needles) in CASES {
        let path = broken(file);
        let result = std::panic::catch_unwind(|| Netlist::read(&path, lib, None));
        let err = match result {
            Ok(Ok(_)) => panic!("{file}: elaborated without error"),
            Ok(Err(e)) => e,
            Err(_) => panic!("{file}: panicked"),
        };
        let text = err.to_string();
        let (err_file, line, col) = match &err {
            Error::At(at) | Error::Verilog(verilog::Error::At(at)) => {
                (at.file.clone(), at.pos.line, at.pos.col)
            }
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
        assert_eq!(col, want_col, "{file}: {text}");
        for needle in needles {
            assert!(
                text.contains(needle),
                "{file}: `{needle}` missing from: {text}"
            );
        }
        assert!(
            text.contains(&format!("{file}:{line}:{col}: ")),
            "{file}: {text}"
        );
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
