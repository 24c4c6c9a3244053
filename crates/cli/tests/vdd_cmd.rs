//! Supply-voltage scaling through the command line: `run` with full tables
//! at the nominal library only and sampled corners elsewhere, `select
//! --corners`, and `sweep-voltage --check-lib`. Only files shipped in the
//! repository are used.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn ok(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_powerprune"))
        .args(args)
        .output()
        .expect("run powerprune");
    assert!(
        out.status.success(),
        "powerprune {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// mac3u on SG13G2: tables at 1.2 V (the first library, nominal), a
/// sampled corner at 1.5 V. The clock is the 1.2 V STA worst delay, so
/// any VDD below 1.2 V is an extrapolation below the lowest library: the
/// report says so and, with no --alpha, takes the safe end of the band.
#[test]
fn run_samples_further_voltages_and_extrapolates_safely() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let n = repo().join("netlists/mac3u_sg13g2.v");
    let l12 = repo().join("liberty/sg13g2_stdcell_typ_1p20V_25C.lib");
    let l15 = repo().join("liberty/sg13g2_stdcell_typ_1p50V_25C.lib");
    let base = [
        "run",
        "--netlist",
        s(&n),
        "--lib",
        s(&l12),
        "--lib",
        s(&l15),
        "--keep",
        "4",
        "--quiet",
        "--out",
        s(&out),
    ];
    let text = ok(&base);
    assert!(out.join("tables_1.2V/meta.json").exists());
    assert!(
        !out.join("tables_1.5V").exists(),
        "only nominal has full tables"
    );
    let corners = json(&out.join("voltage_corners.json"));
    let c = &corners[0];
    assert_eq!(c["vdd_v"], 1.5);
    // Physics, not our numbers: a higher supply is faster and switches
    // more energy, close to (1.5/1.2)² = 1.5625 for the same capacitance.
    assert!(c["delay_ratio"].as_f64().unwrap() < 1.0, "{c}");
    let e = c["energy_ratio"].as_f64().unwrap();
    assert!((e / 1.5625 - 1.0).abs() < 0.15, "{c}");
    // The sample's own scaling, which measures those two ratios: 8 weights
    // × the 256 transitions per weight `run` draws (with replacement).
    let x = &c["sampled"];
    assert_eq!(x["transitions"], 8 * 256, "{c}");
    let worst = x["worst_delay_ratio"].as_f64().unwrap();
    let (lo, hi) = (
        x["delay_ratio_range"][0].as_f64().unwrap(),
        x["delay_ratio_range"][1].as_f64().unwrap(),
    );
    assert!(lo <= worst && worst <= hi, "{c}");
    // A full sweep of this MAC sensitizes its critical path, so the worst
    // sensitized delay scales as STA's worst path does (within 5 %).
    let sta = c["delay_ratio"].as_f64().unwrap();
    assert!((worst / sta - 1.0).abs() < 0.05, "{c}");
    let (elo, ehi) = (
        x["energy_ratio_range"][0].as_f64().unwrap(),
        x["energy_ratio_range"][1].as_f64().unwrap(),
    );
    assert!(elo <= e && e <= ehi, "{c}");
    assert!(
        text.contains("  - 1.5 V from STA and a sample, not full tables"),
        "{text}"
    );

    let report = json(&out.join("report.json"));
    assert_eq!(report["nominal_vdd_v"], 1.2);
    let v = &report["voltage"];
    assert!(v["points"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["source"] == "sampled" && p["vdd_v"] == 1.5));
    let x = &v["extrapolation"];
    assert_eq!(x["pick"], "safe_end", "{v}");
    let vdd = report["vdd_v"].as_f64().unwrap();
    assert!(vdd < 1.2, "{vdd}");
    assert_eq!(x["vdd_band_v"][1].as_f64().unwrap(), vdd);
    assert!((x["below_lowest_mv"].as_f64().unwrap() - (1.2 - vdd) * 1e3).abs() < 1e-6);
    assert!(
        text.contains("mV below the lowest characterized 1.2 V"),
        "{text}"
    );
    assert!(text.contains("exact by construction"), "{text}");

    // --alpha 1.3 chooses the model instead: no higher than the safe end.
    ok(&[&base[..], &["--alpha", "1.3"]].concat());
    let given = json(&out.join("report.json"));
    assert_eq!(given["voltage"]["extrapolation"]["pick"], "given_alpha");
    assert!(given["vdd_v"].as_f64().unwrap() <= vdd);

    // `select` on the same tables and corners gives the same VDD as `run`.
    let tables = format!("1.2={}", s(&out.join("tables_1.2V")));
    let sel = ok(&[
        "select",
        "--tables",
        &tables,
        "--corners",
        s(&out.join("voltage_corners.json")),
        "--keep",
        "4",
        "--json",
    ]);
    let sel: serde_json::Value = serde_json::from_str(&sel).unwrap();
    assert_eq!(sel["vdd_v"].as_f64().unwrap(), vdd);

    // --delay-target is accepted by `run` like `select`.
    ok(&[&base[..], &["--delay-target", "0.5"]].concat());
    assert!(json(&out.join("report.json"))["delay_target_ns"]
        .as_f64()
        .is_some());
}

/// sweep-voltage with three SKY130 ss libraries fitted and the fourth
/// checked: the validation row is printed with its error.
#[test]
fn sweep_voltage_validates_a_left_out_library() {
    let n = repo().join("netlists/mac8u_sky130.v");
    let lib = |v: &str| {
        repo().join(format!(
            "liberty/sky130_fd_sc_hd__ss_n40C_{v}.subset.lib.gz"
        ))
    };
    let (l44, l60, l76, l28) = (lib("1v44"), lib("1v60"), lib("1v76"), lib("1v28"));
    let args = [
        "sweep-voltage",
        s(&n),
        "--lib",
        s(&l44),
        "--lib",
        s(&l60),
        "--lib",
        s(&l76),
        "--check-lib",
        s(&l28),
        "--weights",
        "0",
        "--sample",
        "2",
        "--quiet",
    ];
    let text = ok(&args);
    assert!(
        text.contains("validation (libraries left out of the fit)"),
        "{text}"
    );
    assert!(text.contains("extrapolation"), "{text}");
    let j: serde_json::Value =
        serde_json::from_str(&ok(&[&args[..], &["--json"]].concat())).unwrap();
    let err = j["validation"][0]["error_pct"].as_f64().unwrap();
    assert!(err.abs() < 5.0, "{err}");
    assert_eq!(j["fit"]["free_parameters"], 3);
}
