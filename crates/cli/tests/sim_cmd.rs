//! `powerprune sim` on the small reference case: JSON against OpenSTA's power
//! report, the text table, the VCD file, and line-numbered stimulus errors.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

/// A file of the ref_small_ng45 case (see `testdata::reference`).
fn small(file: &str) -> PathBuf {
    testdata::reference("ref_small_ng45", file)
}

fn powerprune(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_powerprune"))
        .args(args)
        .output()
        .unwrap()
}

/// `sim` on ref_small_ng45 with `stimulus` and extra arguments.
fn sim(stimulus: &str, extra: &[&str]) -> std::process::Output {
    let netlist = small("netlist.v");
    let lib = testdata::liberty("nangate45_typ.lib.gz");
    let mut args = vec![
        "sim",
        netlist.to_str().unwrap(),
        "--lib",
        lib.to_str().unwrap(),
        "--stimulus",
        stimulus,
    ];
    args.extend(extra);
    powerprune(&args)
}

fn json(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn zero_delay_json_matches_opensta_power() {
    let stimulus = small("stimulus.csv");
    let got = json(&sim(
        stimulus.to_str().unwrap(),
        &["--delay-model", "zero", "--json"],
    ));
    let reference: Value =
        serde_json::from_str(&std::fs::read_to_string(small("opensta.json")).unwrap()).unwrap();
    let theirs = &reference["power_zero_delay_vcd"];
    assert_eq!(got["steps"], theirs["steps"]);
    assert_eq!(got["period_ns"].as_f64(), Some(10.0));
    let total = got["power_w"]["total"].as_f64().unwrap();
    let expected = theirs["total_w"].as_f64().unwrap();
    assert!(
        (total - expected).abs() <= 0.05 * expected,
        "{total} vs {expected}"
    );
    for (ours, theirs) in [
        ("internal", "internal_w"),
        ("switching", "switching_w"),
        ("leakage", "leakage_w"),
    ] {
        let (a, b) = (
            got["power_w"][ours].as_f64().unwrap(),
            theirs_f64(theirs, &reference),
        );
        assert!((a - b).abs() <= 0.10 * b, "{ours}: {a} vs {b}");
    }
    // Energy and power are the same figures: E = P · steps · period.
    let energy = got["energy_fj_total"].as_f64().unwrap();
    assert!((energy * 1e-15 / (200.0 * 10e-9) - total).abs() <= 1e-9 * total);
    let steps = got["per_step"].as_array().unwrap();
    assert_eq!(steps.len(), 200);
    // Zero delay: no glitches, no delay; row 0 is the settled state.
    assert!(steps
        .iter()
        .all(|s| s["glitches"] == 0 && s["delay_ns"] == 0.0));
    assert_eq!(steps[0]["toggles"], 0);
    let sum: f64 = steps.iter().map(|s| s["energy_fj"].as_f64().unwrap()).sum();
    assert!((sum - energy).abs() <= 1e-9 * energy);
}

fn theirs_f64(key: &str, reference: &Value) -> f64 {
    reference["power_zero_delay_vcd"][key].as_f64().unwrap()
}

#[test]
fn sdf_summary_and_outputs() {
    let stimulus = small("stimulus.csv");
    let summary = json(&sim(stimulus.to_str().unwrap(), &["--json", "--summary"]));
    assert!(summary.get("per_step").is_none());
    assert_eq!(summary["delay_model"], "sdf");
    // Sensitized delays exist and stay within the STA worst arrival (0.230876 ns).
    let max_delay = summary["max_delay_ns"].as_f64().unwrap();
    assert!(
        max_delay > 0.05 && max_delay <= 0.230876 + 1e-4,
        "{max_delay}"
    );
    assert!(summary["glitches_total"].as_u64().unwrap() > 0);

    // Settled outputs are p_in + w*a for every row.
    let got = json(&sim(stimulus.to_str().unwrap(), &["--json", "--outputs"]));
    let text = std::fs::read_to_string(&stimulus).unwrap();
    for (k, line) in text.lines().skip(1).enumerate() {
        let v: Vec<u64> = line.split(',').map(|x| x.parse().unwrap()).collect();
        assert_eq!(
            got["per_step"][k]["outputs"]["p_out"].as_u64(),
            Some(v[2] + v[0] * v[1]),
            "row {k}"
        );
    }

    // The text form is a table with a header and the power line.
    let out = sim(stimulus.to_str().unwrap(), &["--period", "5"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().nth(1).unwrap().contains("delay_ns"));
    assert!(text
        .lines()
        .last()
        .unwrap()
        .starts_with("power (W): internal"));
    assert_eq!(text.lines().count(), 1 + 1 + 200 + 2);
}

#[test]
fn writes_a_vcd() {
    let dir = tempfile::tempdir().unwrap();
    let stimulus = dir.path().join("s.csv");
    std::fs::write(&stimulus, "w,a,p_in\n0,0,0\n3,3,15\n0x1,0b10,-1\n").unwrap();
    let vcd = dir.path().join("out.vcd");
    let out = sim(
        stimulus.to_str().unwrap(),
        &["--vcd", vcd.to_str().unwrap(), "--summary"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&vcd).unwrap();
    assert!(text.contains("$timescale 1ps $end"));
    assert!(text.contains("$scope module tb $end\n$scope module dut $end"));
    assert!(text.contains(" p_out [4] $end"));
    assert!(
        text.trim_end().ends_with("#30000"),
        "ends at 3 rows x 10 ns"
    );
    // Only the VCD is left in the directory (no temporary file).
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn failed_vcd_write_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let stimulus = dir.path().join("s.csv");
    std::fs::write(&stimulus, "w,a,p_in\n0,0,0\n3,3,15\n").unwrap();
    // A directory in the way: the run fails naming it, it stays, no temporary is left.
    let busy = dir.path().join("busy.vcd");
    std::fs::create_dir_all(busy.join("old")).unwrap();
    let out = sim(
        stimulus.to_str().unwrap(),
        &["--vcd", busy.to_str().unwrap()],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&busy.display().to_string()), "{err}");
    assert!(busy.join("old").is_dir());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn bad_stimulus_rows_are_line_numbered_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "w,a,p_in\n1,1,1\n1,1\n",
            "s.csv:3: expected 3 values, found 2",
        ),
        ("w,a,q\n", "s.csv:1: unknown input port `q` (inputs: "),
        (
            "w,a,p_in\n\n4,0,0\n",
            "s.csv:3: port `w`: `4` is out of range (2-bit port takes -2..=3)",
        ),
        (
            "w,a,p_in\n1,0x2z,0\n",
            "s.csv:2: port `a`: `0x2z` is not a hexadecimal number",
        ),
    ];
    for (text, message) in cases {
        let path = dir.path().join("s.csv");
        std::fs::write(&path, text).unwrap();
        let out = sim(path.to_str().unwrap(), &[]);
        assert!(!out.status.success());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(message), "{stderr}");
    }
    let out = sim(
        small("stimulus.csv").to_str().unwrap(),
        &["--clock-period", "0"],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--clock-period must be a positive number")
    );
}
