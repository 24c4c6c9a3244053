//! Voltage choice on two synthetic table sets whose worst delays follow the
//! alpha-power law m(V) = V / (V − 0.25)^1.3 (k = 1, Vt = 0.25 V, α = 1.3,
//! chosen here). Every transition of a set has that delay, so the selection's
//! worst delay is m(V):
//!   m(1.0) = 1 / 0.75^1.3 ≈ 1.4541 ns,  m(0.6) = 0.6 / 0.35^1.3 ≈ 2.3494 ns.
//! With two points the fit fixes α = 1.3 and solves Vt = 0.25 again.

use super::*;
use crate::testutil;

fn m(v: f64) -> f64 {
    v / (v - 0.25f64).powf(1.3)
}

/// 1.0 V: 10 fJ per transition, 1 µW leakage; 0.6 V: 4 fJ, 0.5 µW.
fn sets() -> Vec<(f64, Tables)> {
    let at = |v: f64, e: f32, leak: f64| {
        testutil::tables(&[0, 1], &[0, 1], 1.5, leak, v, move |_, _, _| {
            (e, m(v) as f32)
        })
    };
    vec![(1.0, at(1.0, 10.0, 1e-6)), (0.6, at(0.6, 4.0, 0.5e-6))]
}

fn run(clock_ns: f64, opts: &VoltageOptions) -> VoltageScaling {
    let owned = sets();
    let refs: Vec<(f64, &Tables)> = owned.iter().map(|(v, t)| (*v, t)).collect();
    scale(
        &refs,
        0,
        &[0, 1],
        &[0, 1],
        &ActWeights::Uniform,
        clock_ns,
        opts,
    )
}

/// Clock 2 ns. m(0.70) = 0.7 / 0.45^1.3 = 0.7 / 0.35407 ≈ 1.977 ≤ 2, while
/// m(0.69) = 0.69 / 0.44^1.3 = 0.69 / 0.34393 ≈ 2.006 > 2, so the walk down
/// the 10 mV grid stops at 0.70 V (modelled, referenced to the 1.0 V set).
/// Power there: 10 fJ · (0.7/1.0)² = 4.9 fJ per 2 ns = 2.45 µW switching,
/// leakage 1 µW · 0.7 = 0.7 µW; total 3.15 µW.
#[test]
fn modelled_voltage_between_tables() {
    let s = run(2.0, &VoltageOptions::default());
    assert!((s.vdd_v - 0.70).abs() < 1e-9, "{s:?}");
    assert_eq!(s.source, Source::Model);
    assert!(s.timing_met);
    assert!((s.max_delay_ns - m(0.7)).abs() < 1e-5, "{}", s.max_delay_ns);
    let fit = s.model.unwrap();
    assert!((fit.model.vt_v - 0.25).abs() < 1e-5, "{fit:?}");
    assert!((s.power.dynamic_w - 2.45e-6).abs() < 1e-12);
    assert!((s.power.leakage_w - 0.7e-6).abs() < 1e-12);
    assert!((s.power.total_w - 3.15e-6).abs() < 1e-12);
    // Points: both table sets plus the modelled choice, ascending.
    let vs: Vec<f64> = s.points.iter().map(|p| p.vdd_v).collect();
    assert_eq!(vs.len(), 3);
    assert!(vs[0] == 0.6 && (vs[1] - 0.7).abs() < 1e-9 && vs[2] == 1.0);
    assert!(!s.points[0].fits_clock && s.points[2].fits_clock);
}

/// Clock 2.5 ns: the 0.6 V set fits (2.349), and the model continues below
/// it, anchored at 0.6 V: m(0.58) = 0.58 / 0.33^1.3 ≈ 0.58 / 0.23664 ≈ 2.451
/// fits, m(0.57) = 0.57 / 0.32^1.3 ≈ 0.57 / 0.22735 ≈ 2.507 does not.
/// Power references the 0.6 V set: 4 fJ · (0.58/0.6)² = 3.73778 fJ per
/// 2.5 ns ≈ 1.49511 µW, leakage 0.5 µW · 0.58/0.6 ≈ 0.48333 µW.
#[test]
fn extrapolates_below_lowest_table() {
    let s = run(2.5, &VoltageOptions::default());
    assert!((s.vdd_v - 0.58).abs() < 1e-9, "{s:?}");
    assert_eq!(s.source, Source::Model);
    assert!((s.power.dynamic_w - 4.0 * (0.58f64 / 0.6).powi(2) / 2.5 * 1e-6).abs() < 1e-15);
    assert!((s.power.dynamic_w - 1.49511e-6).abs() < 1e-11);
    assert!((s.power.leakage_w - 0.483333e-6).abs() < 1e-11);
}

/// Without the grid only table voltages are tried: clock 2.5 ns → 0.6 V,
/// measured: 4 fJ / 2.5 ns = 1.6 µW switching + 0.5 µW leakage.
#[test]
fn table_voltage_uses_its_own_tables() {
    let opts = VoltageOptions {
        vdd_step_v: 0.0,
        ..VoltageOptions::default()
    };
    let s = run(2.5, &opts);
    assert_eq!(s.vdd_v, 0.6);
    assert_eq!(s.source, Source::Tables);
    assert!((s.power.dynamic_w - 1.6e-6).abs() < 1e-15);
    assert_eq!(s.power.leakage_w, 0.5e-6);
}

/// A floor at 0.75 V: with a 2 ns clock the model would allow 0.70 V, but
/// grid voltages stop at the floor; the next candidate below is the 0.6 V
/// table set, which fails (2.349 > 2 ns), so 0.75 V is the lowest.
#[test]
fn floor_limits_model_voltages() {
    let opts = VoltageOptions {
        min_vdd_v: Some(0.75),
        ..VoltageOptions::default()
    };
    let s = run(2.0, &opts);
    assert!((s.vdd_v - 0.75).abs() < 1e-9, "{s:?}");
}

/// Clock 1 ns is below even the nominal delay 1.454 ns: VDD stays nominal
/// and timing is reported as not met.
#[test]
fn too_fast_clock_keeps_nominal() {
    let s = run(1.0, &VoltageOptions::default());
    assert_eq!(s.vdd_v, 1.0);
    assert!(!s.timing_met);
    assert_eq!(s.source, Source::Tables);
    // 10 fJ / 1 ns = 10 µW + 1 µW leakage.
    assert!((s.power.total_w - 11e-6).abs() < 1e-15);
}

/// One table set and no Vt: no model, so nominal is the only candidate.
#[test]
fn single_voltage_has_no_model() {
    let owned = sets();
    let refs = vec![(1.0, &owned[0].1)];
    let s = scale(
        &refs,
        0,
        &[0, 1],
        &[0, 1],
        &ActWeights::Uniform,
        2.0,
        &VoltageOptions::default(),
    );
    assert_eq!(s.vdd_v, 1.0);
    assert!(s.model.is_none());
    assert!(s.model_note.unwrap().contains("Vt"));
}
