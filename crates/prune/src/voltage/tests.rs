//! Voltage choice on two synthetic table sets whose worst delays follow the
//! alpha-power law m(V) = V / (V − 0.25)^1.3 (k = 1, Vt = 0.25 V, α = 1.3,
//! chosen here). Every transition of a set has that delay, so the selection's
//! worst delay is m(V):
//!   m(1.0) = 1 / 0.75^1.3 ≈ 1.45352 ns,  m(0.6) = 0.6 / 0.35^1.3 ≈ 2.34889 ns.
//! With two points the fit fixes α = 1.3 and solves Vt = 0.25 again.

use super::*;
use crate::testutil;
use tables::vdd_model::LeakageBasis;

fn m(v: f64) -> f64 {
    v / (v - 0.25f64).powf(1.3)
}

/// 1.0 V: 10 fJ per transition, 1 µW leakage; 0.6 V: 4 fJ, 0.5 µW.
fn sets() -> Vec<TableSet> {
    let at = |v: f64, e: f32, leak: f64| {
        testutil::tables(&[0, 1], &[0, 1], 1.5, leak, v, move |_, _, _| {
            (e, m(v) as f32)
        })
    };
    vec![
        testutil::set(1.0, at(1.0, 10.0, 1e-6)),
        testutil::set(0.6, at(0.6, 4.0, 0.5e-6)),
    ]
}

/// The selection {0, 1} × {0, 1} on `sets` (nominal first) and `corners`.
fn scale_on(
    sets: &[TableSet],
    corners: &[VoltageCorner],
    clock_ns: f64,
    opts: &VoltageOptions,
) -> VoltageScaling {
    scale(
        sets,
        0,
        corners,
        &[0, 1],
        &[0, 1],
        &ActWeights::Uniform,
        clock_ns,
        opts,
    )
}

fn run(clock_ns: f64, opts: &VoltageOptions) -> VoltageScaling {
    scale_on(&sets(), &[], clock_ns, opts)
}

/// Clock 2 ns. m(0.70) = 0.7 / 0.45^1.3 = 0.7 / 0.35407 ≈ 1.977 ≤ 2, while
/// m(0.69) = 0.69 / 0.44^1.3 = 0.69 / 0.34393 ≈ 2.006 > 2, so the walk down
/// the 10 mV grid stops at 0.70 V (modelled, referenced to the 1.0 V set).
/// Power there: 10 fJ · (0.7/1.0)² = 4.9 fJ per 2 ns = 2.45 µW switching;
/// leakage log-linear between 0.5 µW at 0.6 V and 1 µW at 1.0 V, a quarter
/// of the way: 0.5 µW · 2^0.25 ≈ 0.594604 µW; total ≈ 3.044604 µW.
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
    assert!((s.power.leakage_w - 0.594604e-6).abs() < 1e-12);
    assert_eq!(s.leakage_basis, LeakageBasis::Interpolated);
    assert!((s.power.total_w - 3.044604e-6).abs() < 1e-12);
    assert!(s.extrapolation.is_none());
    // Points: both table sets plus the modelled choice, ascending.
    let vs: Vec<f64> = s.points.iter().map(|p| p.vdd_v).collect();
    assert_eq!(vs.len(), 3);
    assert!(vs[0] == 0.6 && (vs[1] - 0.7).abs() < 1e-9 && vs[2] == 1.0);
    assert!(!s.points[0].fits_clock && s.points[2].fits_clock);
}

/// Clock 2.5 ns: the 0.6 V set fits (2.349), and with α = 1.3 given the
/// model continues below it, anchored at 0.6 V: m(0.58) = 0.58 / 0.33^1.3
/// ≈ 0.58 / 0.23664 ≈ 2.451 fits, m(0.57) = 0.57 / 0.32^1.3 ≈ 0.57 /
/// 0.22735 ≈ 2.507 does not. Power references the 0.6 V set: 4 fJ ·
/// (0.58/0.6)² = 3.73778 fJ per 2.5 ns ≈ 1.49511 µW, leakage I·V below the
/// lowest library: 0.5 µW · 0.58/0.6 ≈ 0.48333 µW.
#[test]
fn extrapolates_below_lowest_table_with_given_alpha() {
    let opts = VoltageOptions {
        fit: FitOptions {
            alpha: Some(1.3),
            vt_v: None,
        },
        ..VoltageOptions::default()
    };
    let s = run(2.5, &opts);
    assert!((s.vdd_v - 0.58).abs() < 1e-9, "{s:?}");
    assert_eq!(s.source, Source::Model);
    assert!((s.power.dynamic_w - 4.0 * (0.58f64 / 0.6).powi(2) / 2.5 * 1e-6).abs() < 1e-15);
    assert!((s.power.dynamic_w - 1.49511e-6).abs() < 1e-11);
    assert!((s.power.leakage_w - 0.483333e-6).abs() < 1e-11);
    assert_eq!(s.leakage_basis, LeakageBasis::CurrentTimesVdd);
    let x = s.extrapolation.unwrap();
    assert_eq!(x.pick, "given_alpha");
    assert!((x.below_lowest_mv - 20.0).abs() < 1e-6, "{x:?}");
    assert!(x.vdd_band_v.0 <= 0.58 && 0.58 <= x.vdd_band_v.1, "{x:?}");
}

/// The same without a given α: two points cannot tell α, so the band over
/// α = 1..2 is searched and its highest VDD is taken. With α = 1 the law
/// (Vt refitted through both points) grows fastest below 0.6 V, so it sets
/// the safe end, at or above the 0.58 V of α = 1.3. α = 2 is ruled out:
/// d(0.6)/d(1.0) = 0.6 · (0.75/0.35)^1.3 ≈ 1.616 is below the 1/0.6 ≈ 1.667
/// that α = 2 gives even with Vt = 0, so 1.9 goes lowest.
#[test]
fn extrapolation_defaults_to_the_safe_end() {
    let s = run(2.5, &VoltageOptions::default());
    let x = s.extrapolation.clone().unwrap();
    assert_eq!(x.pick, "safe_end");
    assert_eq!(x.band.len(), 10);
    assert!(x.band.iter().all(|b| b.alpha < 1.95));
    assert!((s.vdd_v - x.vdd_band_v.1).abs() < 1e-9, "{x:?}");
    let by_alpha = |a: f64| {
        x.band
            .iter()
            .find(|b| (b.alpha - a).abs() < 1e-9)
            .unwrap()
            .vdd_v
    };
    assert!((by_alpha(1.0) - x.vdd_band_v.1).abs() < 1e-9, "{x:?}");
    assert!((by_alpha(1.9) - x.vdd_band_v.0).abs() < 1e-9, "{x:?}");
    assert!(
        by_alpha(1.0) >= 0.58 - 1e-9 && by_alpha(1.9) <= 0.58 + 1e-9,
        "{x:?}"
    );
    assert!(s.max_delay_ns <= 2.5);
    assert!((x.below_lowest_mv - (0.6 - s.vdd_v) * 1e3).abs() < 1e-6);
    // The fit through two points says it is exact by construction.
    assert!(s.model.unwrap().exact_by_construction());
}

/// Three table sets from k = 1, Vt = 0.25, α = 1.3 (the law of [`m`]): the
/// fit frees both and recovers them, and the residuals are listed.
#[test]
fn three_sets_fit_alpha_and_vt() {
    let at = |v: f64| {
        testutil::tables(&[0, 1], &[0, 1], 1.5, 1e-6, v, move |_, _, _| {
            (10.0, m(v) as f32)
        })
    };
    let owned = [1.0, 0.8, 0.6].map(|v| testutil::set(v, at(v)));
    let s = scale_on(&owned, &[], 2.0, &VoltageOptions::default());
    let fit = s.model.unwrap();
    assert_eq!(fit.free_parameters, 3);
    // f32 tables: a few 1e-7 of relative noise, so a looser tolerance.
    assert!((fit.model.alpha - 1.3).abs() < 0.02, "{fit:?}");
    assert!((fit.model.vt_v - 0.25).abs() < 0.01, "{fit:?}");
    assert_eq!(s.residuals.len(), 3);
    assert!((s.vdd_v - 0.70).abs() < 1e-9, "{s:?}");
}

/// Full tables at 1.0 V only, and 0.8 V and 0.6 V as corners whose delay
/// ratios follow [`m`] and energies C·V²: the same VDD as with full tables
/// at every voltage (0.70 V for a 2 ns clock), the corners' leakage used.
#[test]
fn corners_stand_in_for_tables() {
    let mut owned = sets();
    owned.truncate(1);
    let corner = |v: f64, leakage_w: f64| VoltageCorner {
        vdd_v: v,
        delay_ratio: m(v) / m(1.0),
        energy_ratio: v * v,
        leakage_w,
        sampled: None,
    };
    let corners = [corner(0.8, 0.7e-6), corner(0.6, 0.5e-6)];
    let s = scale_on(&owned, &corners, 2.0, &VoltageOptions::default());
    assert!((s.vdd_v - 0.70).abs() < 1e-9, "{s:?}");
    let fit = s.model.unwrap();
    assert!((fit.model.vt_v - 0.25).abs() < 0.01 && (fit.model.alpha - 1.3).abs() < 0.02);
    assert_eq!(s.leakage_basis, LeakageBasis::Interpolated);
    // Between 0.7 µW at 0.8 V and 0.5 µW at 0.6 V, halfway in ln: √0.35 µW.
    assert!((s.power.leakage_w - (0.35e-12f64).sqrt()).abs() < 1e-12);
    // Switching: the 0.8 V corner's 10 fJ · 0.64 = 6.4 fJ, scaled (0.7/0.8)².
    assert!((s.power.dynamic_w - 6.4 * (0.7f64 / 0.8).powi(2) / 2.0 * 1e-6).abs() < 1e-12);
    assert!(s.points.iter().any(|p| p.source == Source::Sampled));
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

/// Clock 1 ns is below even the nominal delay 1.4535 ns: VDD stays nominal
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
    let mut owned = sets();
    owned.truncate(1);
    let s = scale_on(&owned, &[], 2.0, &VoltageOptions::default());
    assert_eq!(s.vdd_v, 1.0);
    assert!(s.model.is_none());
    assert!(s.model_note.unwrap().contains("Vt"));
}
