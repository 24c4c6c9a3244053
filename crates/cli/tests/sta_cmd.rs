//! `powerprune sta` and `powerprune sdf` end to end.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn powerprune(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_powerprune"))
        .args(args)
        .output()
        .unwrap()
}

fn path(p: PathBuf) -> String {
    p.display().to_string()
}

/// `sta --json` on the reference MAC gives OpenSTA's worst arrival, path
/// endpoints and per-output arrivals (10 fF load: `--output-load 0.01`).
#[test]
fn sta_json_matches_the_opensta_reference() {
    let json = std::fs::read_to_string(testdata::reference("ref_mac8u_ng45", "opensta.json"));
    let reference: Value = serde_json::from_str(&json.unwrap()).unwrap();
    let lib = path(testdata::liberty("nangate45_typ.lib.gz"));
    let netlist = path(testdata::reference("ref_mac8u_ng45", "netlist.v"));
    for (load, want) in [("0", &reference), ("0.01", &reference["with_load_10ff"])] {
        let out = powerprune(&[
            "sta",
            &netlist,
            "--lib",
            &lib,
            "--clock-period",
            "10",
            "--output-load",
            load,
            "--json",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got: Value = serde_json::from_slice(&out.stdout).unwrap();
        let worst = want["worst_arrival_ns"].as_f64().unwrap();
        assert!((got["worst_arrival_ns"].as_f64().unwrap() - worst).abs() < 0.01 * worst);
        assert!((got["worst_slack_ns"].as_f64().unwrap() - (10.0 - worst)).abs() < 0.01 * worst);
        assert_eq!(got["worst_startpoint"], want["worst_startpoint"]);
        assert_eq!(got["worst_endpoint"], want["worst_endpoint"]);
        let outputs = got["output_arrival_ns"].as_object().unwrap();
        let want_outputs = want["output_arrival_ns"].as_object().unwrap();
        assert_eq!(outputs.len(), want_outputs.len());
        for (name, w) in want_outputs {
            let (g, w) = (outputs[name].as_f64().unwrap(), w.as_f64().unwrap());
            assert!((g - w).abs() < 0.02 * w, "{name}: {g} vs {w}");
        }
        // The path lists start, drivers and end with OpenSTA's fields.
        let path = got["worst_path"].as_array().unwrap();
        let want_path = want["worst_path"].as_array();
        assert_eq!(path[0]["pin"], want["worst_startpoint"]);
        assert_eq!(path.last().unwrap()["cell"], "out");
        if let Some(want_path) = want_path {
            let pins = |p: &[Value]| {
                p.iter()
                    .map(|x| x["pin"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            };
            assert_eq!(pins(path), pins(want_path));
        }
    }
}

/// Without a clock the text report is an unconstrained report_checks path;
/// with `--sdc` on gcd it has a clocked path and a slack line.
#[test]
fn sta_text_reports() {
    let small = path(testdata::reference("ref_small_ng45", "netlist.v"));
    let ng45 = path(testdata::liberty("nangate45_typ.lib.gz"));
    let out = powerprune(&["sta", &small, "--lib", &ng45, "--digits", "6"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("Startpoint: p_in[1] (input port)\nEndpoint: p_out[3] (output port)\n"),
        "{text}"
    );
    // OpenSTA's figure for this path (sta_timing.rpt): 0.230876.
    assert!(
        text.contains("   0.039671    0.230876 ^ _44_/ZN (XNOR2_X1)\n"),
        "{text}"
    );
    assert!(text.contains("(Path is unconstrained)"), "{text}");

    let (Some(gcd), Some(sky)) = (
        testdata::shared("reference/gcd_sky130hd", "sta on gcd_sky130hd"),
        testdata::shared("liberty/sky130hd_tt.lib.gz", "sta on gcd_sky130hd"),
    ) else {
        return;
    };
    let sky = path(sky);
    let out = powerprune(&[
        "sta",
        &path(gcd.join("gcd_sky130hd.v")),
        "--lib",
        &sky,
        "--sdc",
        &path(gcd.join("gcd_sky130hd.sdc")),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Path Group: clk"), "{text}");
    assert!(text.contains("clock clk (rise edge)"), "{text}");
    assert!(
        text.contains("slack (MET)") || text.contains("slack (VIOLATED)"),
        "{text}"
    );
    // Tap cells are reported, not silently dropped.
    assert!(String::from_utf8_lossy(&out.stderr).contains("tapvpwrvgnd"));

    // --clock-period alone finds the clock port of a sequential design.
    let out = powerprune(&[
        "sta",
        &path(gcd.join("gcd_sky130hd.v")),
        "--lib",
        &sky,
        "--clock-period",
        "5",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    let arrival = got["worst_arrival_ns"].as_f64().unwrap();
    let slack = got["worst_slack_ns"].as_f64().unwrap();
    assert!(arrival > 0.0 && slack < 5.0 - arrival + 1e-9, "{got}");
}

#[test]
fn sta_rejects_bad_input_with_located_errors() {
    let small = path(testdata::reference("ref_small_ng45", "netlist.v"));
    let ng45 = path(testdata::liberty("nangate45_typ.lib.gz"));
    let out = powerprune(&["sta", &small, "--lib", &ng45, "--clock-period=-1"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--clock-period must be a positive number")
    );

    let dir = tempfile::tempdir().unwrap();
    let sdc = dir.path().join("bad.sdc");
    std::fs::write(
        &sdc,
        "create_clock -name c -period 10\nset_output_delay x -clock c [all_outputs]\n",
    )
    .unwrap();
    let out = powerprune(&["sta", &small, "--lib", &ng45, "--sdc", &path(sdc.clone())]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.sdc:2:18: expected a number for the delay, found \"x\""),
        "{err}"
    );

    std::fs::write(
        &sdc,
        "create_clock -name c -period 10\nset_max_fanout 8 [current_design]\n",
    )
    .unwrap();
    let out = powerprune(&["sta", &small, "--lib", &ng45, "--sdc", &path(sdc)]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.sdc:2:1: set_max_fanout ignored"), "{err}");
    assert!(
        err.contains("bad.sdc:2:19: current_design ignored"),
        "{err}"
    );
}

/// `sdf` writes SDF 3.0 with one CELL per instance and IOPATHs whose
/// delays are the arcs of the worst path in `sta`.
#[test]
fn sdf_writes_iopaths_from_the_delay_calculation() {
    let small = path(testdata::reference("ref_small_ng45", "netlist.v"));
    let ng45 = path(testdata::liberty("nangate45_typ.lib.gz"));
    let dir = tempfile::tempdir().unwrap();
    let sdf = dir.path().join("mac.sdf");
    let models = dir.path().join("cells.v");
    let out = powerprune(&[
        "sdf",
        &small,
        "--lib",
        &ng45,
        "-o",
        &path(sdf.clone()),
        "--models",
        &path(models.clone()),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&sdf).unwrap();
    assert!(text.starts_with("(DELAYFILE\n  (SDFVERSION \"3.0\")"));
    assert!(text.contains("(TIMESCALE 1ns)"));
    assert_eq!(text.matches("(CELL\n").count(), 26, "one CELL per instance");
    assert!(
        !text.contains("COND"),
        "conditional arcs are merged by default"
    );
    // OpenSTA's _44_ XNOR2_X1 stage on the worst path: A rising → ZN rising
    // in 0.039671 ns (worst_path_detail). The IOPATH's rise is the worst over
    // input edges, so at least that.
    let cell = text.split("(INSTANCE _44_)").nth(1).unwrap();
    let line = cell.lines().find(|l| l.contains("(IOPATH A ZN")).unwrap();
    let rise: f64 = line
        .split('(')
        .nth(2)
        .unwrap()
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((0.039671 - 1e-6..0.06).contains(&rise), "{line}");
    assert!(std::fs::read_to_string(&models)
        .unwrap()
        .contains("module XNOR2_X1"));

    let out = powerprune(&[
        "sdf",
        &small,
        "--lib",
        &ng45,
        "-o",
        &path(sdf.clone()),
        "--cond",
    ]);
    assert!(out.status.success());
    assert!(std::fs::read_to_string(&sdf)
        .unwrap()
        .contains("(COND (B1 == 1'b0) && (B2 == 1'b0) (IOPATH A ZN"));

    let missing = dir.path().join("no/such/dir/x.sdf");
    let out = powerprune(&["sdf", &small, "--lib", &ng45, "-o", &path(missing)]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/dir"));
}
