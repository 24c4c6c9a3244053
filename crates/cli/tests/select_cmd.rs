//! `powerprune select` on synthetic table directories written by
//! `Tables::save`. Expected selections are worked out by hand below.

use std::path::Path;
use std::process::Command;

use tables::{LibraryInfo, Meta, PortInfo, Tables};

fn meta(vdd_v: f64, leakage_w: f64) -> Meta {
    let port = |name: &str, signed| PortInfo {
        name: name.into(),
        width: 4,
        signed,
    };
    Meta {
        netlist_hash: "cd".repeat(32),
        netlist_file: "mac.v".into(),
        top: "mac".into(),
        library: LibraryInfo {
            name: "synthetic".into(),
            voltage_v: vdd_v,
            file: "synthetic.lib".into(),
        },
        weight_port: port("w", true),
        act_port: port("a", false),
        psum_port: port("p", true),
        weights: vec![-1, 0, 1],
        acts: vec![0, 1, 2],
        psum_model: tables::PsumModel::Zero,
        psum_samples: 1,
        seed: 1,
        psum_trace_sha256: None,
        psum_trace_draw: None,
        clock_period_ns: 1.0,
        sta_worst_delay_ns: 1.0,
        leakage_w,
        units: Default::default(),
        tool_version: "test".into(),
        runtime_s: 0.0,
    }
}

/// Delay at 1.0 V: self-transitions 0; w = 0: 0.2 ns; w = 1: 0→2 0.7,
/// 1→2 0.9, 2→1 0.8, others 0.4; w = -1: 0↔1 0.3, 0↔2 0.6, 1↔2 0.5.
fn delay_1v(w: i64, a: i64, b: i64) -> f32 {
    match (w, a, b) {
        (_, a, b) if a == b => 0.0,
        (0, _, _) => 0.2,
        (1, 0, 2) => 0.7,
        (1, 1, 2) => 0.9,
        (1, 2, 1) => 0.8,
        (1, _, _) => 0.4,
        (-1, 0, 1) | (-1, 1, 0) => 0.3,
        (-1, 0, 2) | (-1, 2, 0) => 0.6,
        _ => 0.5,
    }
}

/// Energy base(w) + a + b fJ at 1.0 V (base 0, 2, 4 for w = 0, 1, -1);
/// at 0.6 V energy × 0.36 and delay × 2. Leakage 1 µW / 0.5 µW.
fn write_sets(root: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let mk = |vdd: f64, e_scale: f32, d_scale: f32, leak: f64| {
        let mut energy = Vec::new();
        let mut delay = Vec::new();
        for w in [-1i64, 0, 1] {
            let base = match w {
                0 => 0.0,
                1 => 2.0,
                _ => 4.0,
            };
            for a in 0..3i64 {
                for b in 0..3i64 {
                    energy.push(e_scale * (base + (a + b) as f32));
                    delay.push(d_scale * delay_1v(w, a, b));
                }
            }
        }
        Tables::new(meta(vdd, leak), energy, delay, None).unwrap()
    };
    let hi = root.join("t_1v0");
    let lo = root.join("t_0v6");
    mk(1.0, 1.0, 1.0, 1e-6).save(&hi).unwrap();
    mk(0.6, 0.36, 2.0, 0.5e-6).save(&lo).unwrap();
    (hi, lo)
}

fn powerprune(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_powerprune"))
        .args(args)
        .output()
        .expect("run powerprune")
}

/// --keep 2 --delay-target 0.55: weights {0, 1} (mean energies 2, 4, 6 fJ
/// for 0, 1, -1), activation 2 removed (every transition slower than
/// 0.55 ns under {0, 1} involves it). Baseline (2+4+6)/3 fJ / 1 ns + 1 µW
/// = 5 µW; weights (2+4)/2 → 4 µW (20 %); delay: mean a+b over {0,1}² is 1,
/// (1+3)/2 = 2 fJ → 3 µW (40 %). VDD: worst delay 0.4 ns at 1.0 V and
/// 0.8 ns at 0.6 V; α = 1.3 (given: the VDD lies below the lowest table,
/// so without it the safe end of α = 1..2 is taken) gives Vt ≈ 0.3377 V, and 0.55 V is the lowest
/// 10 mV step with 0.8 · m(V)/m(0.6) ≤ 1 ns (0.965 ns; 0.54 V gives
/// 1.009 ns). Power there: 0.36 · 2 · (0.55/0.6)² = 0.605 fJ → 0.605 µW,
/// plus 0.5 µW · 0.55/0.6 = 0.4583 µW → 1.0633 µW, 78.73 % below 5 µW.
#[test]
fn json_report_allowed_sets_and_plots() {
    let dir = tempfile::tempdir().unwrap();
    let (hi, lo) = write_sets(dir.path());
    let out = dir.path().join("report.json");
    let allowed = dir.path().join("allowed_sets.json");
    let plots = dir.path().join("plots");
    let o = powerprune(&[
        "select",
        "--tables",
        &format!("1.0={}", hi.display()),
        "--tables",
        &format!("0.6={}", lo.display()),
        "--keep",
        "2",
        "--delay-target",
        "0.55",
        "--alpha",
        "1.3",
        "--json",
        "--out",
        out.to_str().unwrap(),
        "--allowed-sets",
        allowed.to_str().unwrap(),
        "--plots",
        plots.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(r["kept_weights"], serde_json::json!([0, 1]));
    assert_eq!(r["allowed_activations"], serde_json::json!([0, 1]));
    assert_eq!(r["nominal_vdd_v"], 1.0);
    assert_eq!(r["clock_period_ns"], 1.0);
    let num = |k: &str| r[k].as_f64().unwrap();
    assert!((num("vdd_v") - 0.55).abs() < 1e-9);
    assert_eq!(r["voltage"]["extrapolation"]["pick"], "given_alpha");
    assert!((num("baseline_power_w") - 5e-6).abs() < 1e-12);
    assert!((num("final_power_w") - 1.063333e-6).abs() < 1e-11);
    assert!((num("reduction_pct") - 78.7333).abs() < 1e-3);
    assert!((num("max_delay_ns_before") - 0.9).abs() < 1e-6);
    assert!((num("max_delay_ns_after") - 0.4).abs() < 1e-6);
    let stages = r["stages"].as_array().unwrap();
    let names: Vec<&str> = stages.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["weight_selection", "delay_selection", "voltage_scaling"]
    );
    assert!((stages[0]["reduction_pct"].as_f64().unwrap() - 20.0).abs() < 1e-6);
    assert!((stages[1]["reduction_pct"].as_f64().unwrap() - 40.0).abs() < 1e-6);

    let sets: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&allowed).unwrap()).unwrap();
    assert_eq!(sets["weights"], serde_json::json!([0, 1]));
    assert_eq!(sets["activations"], serde_json::json!([0, 1]));
    assert!((sets["vdd_v"].as_f64().unwrap() - 0.55).abs() < 1e-9);

    for name in ["energy_per_weight", "power_by_stage", "delay_vs_vdd"] {
        for ext in ["png", "svg"] {
            let p = plots.join(format!("{name}.{ext}"));
            assert!(
                std::fs::metadata(&p).map(|m| m.len() > 0).unwrap_or(false),
                "{}",
                p.display()
            );
        }
    }
}

/// Text to stdout; a bare DIR takes its voltage from meta.json. Only one
/// voltage and no --vt: no model, so VDD stays at 1.0 V (noted).
#[test]
fn text_report_single_voltage() {
    let dir = tempfile::tempdir().unwrap();
    let (hi, _) = write_sets(dir.path());
    let o = powerprune(&["select", "--tables", hi.to_str().unwrap(), "--keep", "1"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("weights kept (1 of 3): 0"), "{text}");
    assert!(text.contains("voltage scaling"), "{text}");
    assert!(text.contains("VDD 1 V"), "{text}");
    assert!(text.contains("no delay model"), "{text}");
    // What the figures rest on, from the tables' meta.json.
    assert!(
        text.contains("assumptions:\n  - partial sums: held at 0"),
        "{text}"
    );
    assert!(text.contains("  - clock period: "), "{text}");
    // One weight left computes nothing: said on stderr, exit status 0.
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("warning: only 1 weight(s) and 3 of 3 activation values are left"),
        "{err}"
    );
}

/// --max-act-removed 1 finds the lowest target: with weights {0, 1} all
/// transitions above 0.4 ns involve activation 2, while reaching 0.2 ns
/// would need 0↔1 under w = 1 (0.4 ns) gone too. So 0.4 ns.
#[test]
fn lowest_target_search() {
    let dir = tempfile::tempdir().unwrap();
    let (hi, lo) = write_sets(dir.path());
    let o = powerprune(&[
        "select",
        "--tables",
        &format!("1.0={}", hi.display()),
        "--tables",
        &format!("0.6={}", lo.display()),
        "--keep",
        "2",
        "--max-act-removed",
        "1",
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!((r["delay_target_ns"].as_f64().unwrap() - 0.4).abs() < 1e-6);
    assert_eq!(r["allowed_activations"], serde_json::json!([0, 1]));
}

#[test]
fn errors_name_the_culprit() {
    let dir = tempfile::tempdir().unwrap();
    let (hi, _) = write_sets(dir.path());
    // Missing directory.
    let missing = dir.path().join("nope");
    let o = powerprune(&[
        "select",
        "--tables",
        missing.to_str().unwrap(),
        "--keep",
        "2",
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("nope") && err.contains("meta.json"), "{err}");
    // Bad V=DIR.
    let o = powerprune(&["select", "--tables", "abc=x", "--keep", "2"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("V=DIR"));
    // Activation histogram of the wrong length.
    let csv = dir.path().join("hist.csv");
    std::fs::write(&csv, "1,2\n").unwrap();
    let o = powerprune(&[
        "select",
        "--tables",
        hi.to_str().unwrap(),
        "--keep",
        "2",
        "--act-weights",
        csv.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("hist.csv") && err.contains("expected a histogram of 3"),
        "{err}"
    );
    // A corrupted array.
    std::fs::write(hi.join("delay_ns.npy"), b"garbage").unwrap();
    let o = powerprune(&["select", "--tables", hi.to_str().unwrap(), "--keep", "2"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("delay_ns.npy"));
}
