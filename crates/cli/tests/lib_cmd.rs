//! `powerprune lib`: summary JSON, rewriting, and located errors.

use std::process::Command;

fn shared(name: &str) -> String {
    format!(
        "{}/../../../shared/liberty/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn powerprune(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_powerprune"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn json_summary_of_a_shared_library() {
    let out = powerprune(&["lib", &shared("nangate45_typ.lib.gz"), "--json"]);
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
    // 134 cells (shared/README.md), AND2_X1 first in the file.
    assert_eq!(v["cells"], 134);
    assert_eq!(v["cell_names"].as_array().unwrap().len(), 134);
    assert_eq!(v["cell_names"][0], "AND2_X1");
}

#[test]
fn cells_lines_show_area_pins_and_function() {
    let out = powerprune(&["lib", &shared("asap7_small_ff.lib.gz"), "--cells"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    // cell (BUFx2_ASAP7_75t_R) { area : 0.0729 ... pin (Y) { function : "A";
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("BUFx2_ASAP7_75t_R"))
        .unwrap();
    assert!(line.contains("area    0.0729"), "{line}");
    assert!(line.contains("Y = A"), "{line}");
}

#[test]
fn write_subset_then_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("two.lib");
    let out_str = out_path.to_str().unwrap();
    let src = shared("sg13g2_stdcell_typ_1p20V_25C.lib");
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
