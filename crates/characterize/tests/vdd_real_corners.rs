//! The delay-vs-VDD fit on real libraries of one process corner at several
//! supply voltages: SkyWater SKY130 HD, ss -40 C, shipped as cell subsets in
//! `liberty/` (re-emitted by the project's Liberty writer from the SkyWater
//! PDK figures; `liberty/sky130_subset.sh`) at 1.28, 1.44, 1.60 and 1.76 V,
//! with `netlists/mac8u_sky130.v` (the project's Yosys flow against the
//! 1.76 V subset). The reference for each voltage is STA with that
//! voltage's own library; the tool sees only the others.
//!
//! With `../shared` present, also the full ss libraries and the ff -40 C
//! corner (1.56, 1.76, 1.95 V); without it those cases print a skip line.

use std::path::{Path, PathBuf};

use characterize::voltage::{sweep_voltage, VoltageRequest};
use characterize::{Design, PortRoles};
use tables::vdd_model::{AlphaPower, FitOptions};

fn root() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).to_path_buf()
}

fn netlist() -> PathBuf {
    root().join("netlists/mac8u_sky130.v")
}

fn ss_subset(v: &str) -> PathBuf {
    root().join(format!(
        "liberty/sky130_fd_sc_hd__ss_n40C_{v}.subset.lib.gz"
    ))
}

fn shared_lib(name: &str) -> Option<PathBuf> {
    let p = root().join("../shared/liberty/sky130hd_vdd").join(name);
    p.exists().then_some(p)
}

fn sta(lib: &Path) -> (f64, f64) {
    let d = Design::load(&netlist(), lib, None).unwrap();
    (d.lib.nom_voltage_v, d.sta_worst_delay_ns())
}

/// A sweep that fits on `libs`, checks `check`, with a token simulation
/// (two weights, four transitions) since only the STA delays matter here.
fn sweep(libs: Vec<PathBuf>, check: Vec<PathBuf>) -> characterize::voltage::VoltageReport {
    sweep_voltage(&VoltageRequest {
        netlist: netlist(),
        libs,
        top: None,
        roles: PortRoles::default(),
        weights: Some("0,1".into()),
        sample: Some(4),
        seed: 1,
        clock_period_ns: 50.0,
        vdd_v: vec![1.2],
        fit: FitOptions::default(),
        check_libs: check,
        threads: Some(1),
        progress: false,
    })
    .unwrap()
}

/// Fitted on 1.44/1.60/1.76 V (α and Vt free), the 1.28 V delay is
/// predicted within 5 % of STA with the 1.28 V library: 160 mV of
/// extrapolation.
#[test]
fn ss_extrapolation_within_5_percent() {
    let r = sweep(
        vec![ss_subset("1v44"), ss_subset("1v60"), ss_subset("1v76")],
        vec![ss_subset("1v28")],
    );
    let fit = r.fit.unwrap();
    assert_eq!(fit.free_parameters, 3);
    let v = &r.validation[0];
    assert_eq!(v.vdd_v, 1.28);
    assert_eq!(v.kind, "extrapolation");
    let err = v.error_pct.unwrap();
    println!(
        "ss 1.28 V from 1.44/1.60/1.76 V: STA {:.4} ns, predicted {:.4} ns, {err:+.2} %",
        v.sta_worst_delay_ns,
        v.predicted_ns.unwrap()
    );
    assert!(err.abs() < 5.0, "{err} %");
    // A requested 1.20 V is 240 mV below the lowest library: said, with the
    // α band around the fitted delay.
    let p = &r.predictions[0];
    assert!((p.below_lowest_mv - 240.0).abs() < 1e-6, "{p:?}");
    let (lo, hi) = p.delay_band_ns.unwrap();
    let (a_lo, a_hi) = p.band_alpha.unwrap();
    println!(
        "ss 1.20 V: fitted {:.3} ns, alpha {a_lo}..{a_hi} gives {lo:.3}..{hi:.3} ns",
        p.sta_worst_delay_ns.unwrap()
    );
    assert!(
        lo <= p.sta_worst_delay_ns.unwrap() && p.sta_worst_delay_ns.unwrap() <= hi * (1.0 + 1e-9)
    );
    // Three points rule out much of α = 1..2.
    assert!(a_hi - a_lo < 1.0, "{a_lo}..{a_hi}");
}

/// Leaving out an inner voltage, the fit through the other three predicts
/// it within 2 %.
#[test]
fn ss_interpolation_within_2_percent() {
    let all = ["1v28", "1v44", "1v60", "1v76"];
    for left_out in ["1v44", "1v60"] {
        let fit_on: Vec<PathBuf> = all
            .iter()
            .filter(|v| **v != left_out)
            .map(|v| ss_subset(v))
            .collect();
        let r = sweep(fit_on, vec![ss_subset(left_out)]);
        let v = &r.validation[0];
        assert_eq!(v.kind, "interpolation");
        let err = v.error_pct.unwrap();
        println!("ss {} V from the other three: {err:+.3} %", v.vdd_v);
        assert!(err.abs() < 2.0, "{left_out}: {err} %");
    }
}

/// The shipped subsets carry the same figures as the full SkyWater
/// libraries: the STA delay of the MAC agrees to 1e-9.
#[test]
fn ss_subsets_match_the_full_libraries_when_shared_is_present() {
    for v in ["1v28", "1v44", "1v60", "1v76"] {
        let name = format!("sky130_fd_sc_hd__ss_n40C_{v}.lib.gz");
        let Some(full) = shared_lib(&name) else {
            println!(
                "skip: ../shared/liberty/sky130hd_vdd/{name} absent (a clone without ../shared)"
            );
            return;
        };
        let (a, b) = (sta(&full), sta(&ss_subset(v)));
        assert_eq!(a.0, b.0);
        assert!((a.1 - b.1).abs() < 1e-9, "{v}: {a:?} vs {b:?}");
    }
}

/// The ff -40 C corner: three voltages fit with small residuals and a
/// velocity-saturation index between the long- and short-channel limits;
/// fitted on 1.76/1.95 V with α = 1.3 fixed (the two-point default), the
/// 1.56 V delay is still within 5 %.
#[test]
fn ff_corner_when_shared_is_present() {
    let names = ["1v56", "1v76", "1v95"].map(|v| format!("sky130_fd_sc_hd__ff_n40C_{v}.lib.gz"));
    let libs: Option<Vec<PathBuf>> = names.iter().map(|n| shared_lib(n)).collect();
    let Some(libs) = libs else {
        println!(
            "skip: ../shared/liberty/sky130hd_vdd/ ff libraries absent (a clone without ../shared)"
        );
        return;
    };
    let points: Vec<(f64, f64)> = libs.iter().map(|l| sta(l)).collect();
    let fit = AlphaPower::fit(&points, FitOptions::default()).unwrap();
    println!("ff fit: {fit:?}");
    assert!((1.0..=2.0).contains(&fit.model.alpha), "{fit:?}");
    let two = AlphaPower::fit(
        &points[1..],
        FitOptions {
            alpha: Some(1.3),
            vt_v: None,
        },
    )
    .unwrap();
    let err = two.model.delay_ns(points[0].0).unwrap() / points[0].1 - 1.0;
    println!(
        "ff 1.56 V from 1.76/1.95 V, alpha 1.3: {:+.2} %",
        100.0 * err
    );
    assert!(err.abs() < 0.05, "{err}");
}
