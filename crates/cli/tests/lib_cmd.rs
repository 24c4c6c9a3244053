//! `powerprune lib`: summary JSON, rewriting, and located errors.

use std::process::Command;

/// The in-repository copy of a library named as in shared/liberty.
fn repo_lib(name: &str) -> String {
    testdata::liberty(name).display().to_string()
}

fn powerprune(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_powerprune"))
        .args(args)
        .output()
        .unwrap()
}

/// `lib --json` of a NanGate45 file with `cells` cells.
fn check_nangate45_json(path: &str, cells: usize) {
    let out = powerprune(&["lib", path, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // library (NangateOpenCellLibrary) {  nom_voltage : 1.10;  time_unit : "1ns";  capacitive_load_unit (1,ff);
    assert_eq!(v["name"], "NangateOpenCellLibrary");
    assert_eq!(v["nom_voltage"], 1.1);
    assert_eq!(v["time_unit"], "1 ns");
    assert_eq!(v["capacitance_unit"], "0.001 pF");
    assert_eq!(v["units"]["capacitance_pf"], 0.001);
    // AND2_X1 first in the file.
    assert_eq!(v["cells"], cells);
    assert_eq!(v["cell_names"].as_array().unwrap().len(), cells);
    assert_eq!(v["cell_names"][0], "AND2_X1");
}

#[test]
fn json_summary_of_a_shared_library() {
    // The subset in tests/fixtures keeps 27 cells (make_fixtures.sh).
    check_nangate45_json(&repo_lib("nangate45_typ.lib.gz"), 27);
    // 134 cells (shared/README.md).
    if let Some(full) = testdata::shared("liberty/nangate45_typ.lib.gz", "lib --json") {
        check_nangate45_json(full.to_str().unwrap(), 134);
    }
}

/// The `--cells` line of `cell` in `path`.
fn cells_line(path: &str, cell: &str) -> String {
    let out = powerprune(&["lib", path, "--cells"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines()
        .find(|l| l.trim_start().starts_with(cell))
        .unwrap_or_else(|| panic!("no line for {cell}:\n{text}"))
        .to_string()
}

#[test]
fn cells_lines_show_area_pins_and_function() {
    // cell (AND2_X1) { area : 1.064000; ... pin (ZN) { function : "(A1 & A2)";
    let line = cells_line(&repo_lib("nangate45_typ.lib.gz"), "AND2_X1 ");
    assert!(line.contains("area    1.0640"), "{line}");
    assert!(line.contains("in A1,A2 "), "{line}");
    assert!(line.contains("ZN = A1 & A2"), "{line}");
    let Some(asap7) = testdata::shared("liberty/asap7_small_ff.lib.gz", "lib --cells") else {
        return;
    };
    // cell (BUFx2_ASAP7_75t_R) { area : 0.0729 ... pin (Y) { function : "A";
    let line = cells_line(asap7.to_str().unwrap(), "BUFx2_ASAP7_75t_R");
    assert!(line.contains("area    0.0729"), "{line}");
    assert!(line.contains("Y = A"), "{line}");
}

#[test]
fn write_subset_then_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("two.lib");
    let out_str = out_path.to_str().unwrap();
    let src = repo_lib("sg13g2_stdcell_typ_1p20V_25C.lib");
    let out = powerprune(&[
        "lib",
        &src,
        "--write",
        out_str,
        "--subset",
        "sg13g2_inv_1,sg13g2_nand2_1",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = powerprune(&["lib", out_str, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["cells"], 2);
    assert_eq!(
        v["cell_names"],
        serde_json::json!(["sg13g2_inv_1", "sg13g2_nand2_1"])
    );

    let out = powerprune(&["lib", &src, "--write", out_str, "--subset", "sg13g2_inv_3"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean"));
}

#[test]
fn malformed_file_fails_with_its_location() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.lib");
    // Line 3 (`    area 1.0;`) misses the `:`: the error points at `1.0`, column 10.
    std::fs::write(
        &path,
        "library (x) {\n  cell (c) {\n    area 1.0;\n  }\n}\n",
    )
    .unwrap();
    let out = powerprune(&["lib", path.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:3:10:", path.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains("expected `:` or `(` after `area`"),
        "{stderr}"
    );
}
