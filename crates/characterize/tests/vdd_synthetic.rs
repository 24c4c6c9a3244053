//! The alpha-power fit on libraries whose delays follow a known law.
//!
//! The shipped SG13G2 1.20 V library is copied in memory at several
//! voltages with every delay and output-transition table, and the
//! input-slew axis they are indexed by, multiplied by
//! s(V) = law(V) / law(1.2 V) for law(V) = V / (V − 0.35)^1.6 (Vt and α
//! chosen here). Each stage's slew then lands at the same relative position
//! in its scaled axis, so every arc delay — and the STA worst delay — is
//! the original times s(V) (inputs switch with zero slew, loads are
//! unchanged). The fit through those STA delays must give back Vt and α;
//! the netlist, binding and STA are the project's, the law is not.

use std::path::Path;

use characterize::Design;
use liberty::table::Variable;
use liberty::Library;
use tables::vdd_model::{alpha_band, AlphaPower, FitOptions, PLAUSIBLE_ALPHA};

const VT: f64 = 0.35;
const ALPHA: f64 = 1.6;

fn law(v: f64) -> f64 {
    v / (v - VT).powf(ALPHA)
}

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// `base` with delays scaled to `vdd_v` by the law.
fn scaled(base: &Library, vdd_v: f64) -> Library {
    let s = law(vdd_v) / law(base.nom_voltage_v);
    let mut lib = base.clone();
    lib.nom_voltage_v = vdd_v;
    for cell in &mut lib.cells {
        for pin in &mut cell.pins {
            for arc in &mut pin.timing {
                for table in [
                    &mut arc.cell_rise,
                    &mut arc.cell_fall,
                    &mut arc.rise_transition,
                    &mut arc.fall_transition,
                ]
                .into_iter()
                .flatten()
                {
                    table.values.iter_mut().for_each(|x| *x *= s);
                    for (var, axis) in &mut table.axes {
                        if matches!(var, Variable::InputNetTransition) {
                            axis.iter_mut().for_each(|x| *x *= s);
                        }
                    }
                }
            }
        }
    }
    lib
}

fn sta_ns(lib: Library, netlist: &Path) -> f64 {
    let netlist_graph = netlist::Netlist::read(netlist, &lib, None).unwrap();
    Design {
        netlist: netlist_graph,
        lib,
        netlist_file: netlist.to_path_buf(),
        lib_file: "in memory".into(),
        netlist_hash: String::new(),
        lib_hash: String::new(),
    }
    .sta_worst_delay_ns()
}

#[test]
fn fit_recovers_alpha_and_vt_from_scaled_libraries() {
    let base =
        liberty::read_library(root().join("liberty/sg13g2_stdcell_typ_1p20V_25C.lib")).unwrap();
    let netlist = root().join("netlists/mac3u_sg13g2.v");
    let d0 = sta_ns(base.clone(), &netlist);
    assert!(d0 > 0.1, "{d0}");
    let volts = [0.8, 0.9, 1.0, 1.1, 1.2, 1.35, 1.5];
    let points: Vec<(f64, f64)> = volts
        .iter()
        .map(|&v| (v, sta_ns(scaled(&base, v), &netlist)))
        .collect();
    // The scaling went through the STA unchanged.
    for &(v, d) in &points {
        let want = d0 * law(v) / law(1.2);
        assert!((d / want - 1.0).abs() < 1e-9, "{v} V: {d} vs {want}");
    }
    let fit = AlphaPower::fit(&points, FitOptions::default()).unwrap();
    assert!(!fit.exact_by_construction());
    assert!((fit.model.alpha - ALPHA).abs() < 1e-3, "{fit:?}");
    assert!((fit.model.vt_v - VT).abs() < 1e-3, "{fit:?}");
    assert!(fit.rms_log_error < 1e-6, "{fit:?}");

    // From the three highest voltages only: Vt and α both fitted, and the
    // extrapolation 300 mV down still lands on the law.
    let high = &points[4..];
    let fit3 = AlphaPower::fit(high, FitOptions::default()).unwrap();
    assert!(fit3.exact_by_construction());
    let d08 = fit3.model.delay_ns(0.8).unwrap();
    assert!(
        (d08 / points[0].1 - 1.0).abs() < 0.01,
        "{d08} vs {}",
        points[0].1
    );

    // From two voltages α is unknown: the band over α = 1..2 brackets the
    // true delay at 1.0 V, and its highest delay (α = 1) is the safe side.
    let two = [points[4], points[6]];
    let band = alpha_band(&two, None, PLAUSIBLE_ALPHA, 10);
    let at: Vec<f64> = band.iter().filter_map(|f| f.model.delay_ns(1.0)).collect();
    let (lo, hi) = at
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(l, h), &d| (l.min(d), h.max(d)));
    let truth = points[2].1;
    assert!(lo <= truth && truth <= hi, "{lo}..{hi} vs {truth}");
    assert!(
        (band[0].model.delay_ns(1.0).unwrap() - hi).abs() < 1e-12,
        "{band:?}"
    );
}
