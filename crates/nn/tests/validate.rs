//! Delay scaling of replayed cycles to other supply voltages and the
//! validated VDD, on tables whose STA worst delays follow a known
//! alpha-power law `d(V) = V / (V − 0.35)^1.5` ns.

use nn::validate::{raise_until_clean, timing_at, DelayScaling};
use tables::validation::{LayerCheck, Validation};
use tables::vdd_model::FitOptions;
use tables::{Meta, TableSet, Tables};

fn law(v: f64) -> f64 {
    v / (v - 0.35f64).powf(1.5)
}

fn tables(vdd_v: f64) -> Tables {
    let mut meta = Meta::synthetic(vec![0], vec![0, 1], vdd_v);
    meta.sta_worst_delay_ns = law(vdd_v);
    Tables::new(meta, vec![1.0; 4], vec![0.1; 4], None).unwrap()
}

fn scaling(voltages: &[f64], opts: FitOptions) -> DelayScaling {
    let sets: Vec<TableSet> = voltages
        .iter()
        .map(|&vdd_v| TableSet {
            vdd_v,
            dir: format!("tables_{vdd_v}V").into(),
            tables: tables(vdd_v),
        })
        .collect();
    DelayScaling::from_sets(&sets, &[], 1.2, opts).unwrap()
}

#[test]
fn three_voltages_recover_the_law() {
    let s = scaling(&[0.9, 1.2, 1.5], FitOptions::default());
    for v in [1.0, 1.1, 1.4] {
        let want = law(v) / law(1.2);
        assert!((s.scale(v).unwrap() / want - 1.0).abs() < 1e-3, "{v} V");
    }
    // Below 0.9 V the safe end of the band never understates the law.
    assert!(s.scale(0.8).unwrap() >= law(0.8) / law(1.2) * (1.0 - 1e-3));
}

#[test]
fn a_given_law_is_used_as_is() {
    let s = scaling(
        &[1.2, 1.5],
        FitOptions {
            alpha: Some(1.5),
            vt_v: Some(0.35),
        },
    );
    assert!(s.alpha_band.is_empty());
    for v in [0.8, 1.0, 1.3] {
        let want = law(v) / law(1.2);
        assert!((s.scale(v).unwrap() / want - 1.0).abs() < 1e-9, "{v} V");
    }
}

#[test]
fn two_voltages_take_the_safe_end_below_the_lowest() {
    let s = scaling(&[1.2, 1.5], FitOptions::default());
    // Between the points the curve passes through both measurements.
    assert!((s.scale(1.5).unwrap() - law(1.5) / law(1.2)).abs() < 1e-9);
    assert_eq!(s.scale(1.2).unwrap(), 1.0);
    // Below 1.2 V two points cannot tell α; the true law (α = 1.5) is one
    // of the plausible ones, so the safe end is at least as slow.
    assert!(!s.alpha_band.is_empty());
    for v in [0.9, 1.0, 1.1] {
        assert!(s.scale(v).unwrap() >= law(v) / law(1.2) - 1e-9, "{v} V");
    }
    // And no faster than the default fit alone.
    let fit = s.fit.unwrap().model;
    let plain = fit.delay_ns(1.0).unwrap() / fit.delay_ns(1.2).unwrap();
    assert!(s.scale(1.0).unwrap() >= plain - 1e-12);
}

fn check(layer: &str, delays: &[f32]) -> LayerCheck {
    LayerCheck {
        layer: layer.into(),
        tables: None,
        pes: 1,
        cycles: delays.len() as u64,
        table_energy_fj: 0.0,
        sim_energy_fj: 0.0,
        error_pct: 0.0,
        max_delay_ns: f64::from(*delays.last().unwrap()),
        p999_delay_ns: f64::from(*delays.last().unwrap()),
        delays_ns: delays.to_vec(),
    }
}

#[test]
fn timing_errors_and_the_validated_vdd() {
    let s = scaling(
        &[1.2, 1.5],
        FitOptions {
            alpha: Some(1.5),
            vt_v: Some(0.35),
        },
    );
    // Cycle delays at 1.2 V, ascending as the replay stores them.
    let v = Validation {
        tables: "t".into(),
        psum_model: tables::PsumModel::Zero,
        vdd_v: 1.2,
        layers: vec![check("a", &[1.0, 2.0]), check("b", &[3.0])],
        total: check("total", &[1.0, 2.0, 3.0]),
        seconds: 0.0,
    };
    // At 1.0 V delays grow by law(1.0)/law(1.2) ≈ 1.246: of a 3.2 ns
    // clock only the 3 ns cycle (3.74 ns) misses; 2 ns becomes 2.49 ns.
    let ratio = law(1.0) / law(1.2);
    assert!(3.0 * ratio > 3.2 && 2.0 * ratio < 3.2);
    let t = timing_at(&v, &s, 1.0, 3.2).unwrap();
    assert_eq!(t.total.timing_errors, 1);
    assert_eq!(t.layers[0].timing_errors, 0);
    assert_eq!(t.layers[1].timing_errors, 1);
    assert!((t.total.timing_error_rate - 1.0 / 3.0).abs() < 1e-12);
    // Raised on a 10 mV grid from 1.0 V: the first voltage where
    // 3 ns × ratio ≤ 3.2 ns, found here by the law itself.
    let (vdd, at_sel, at_val) = raise_until_clean(&v, &s, 1.0, 1.2, 0.01, 3.2).unwrap();
    let want = (0..=20)
        .map(|i| 1.0 + 0.01 * i as f64)
        .find(|&x| 3.0 * law(x) / law(1.2) <= 3.2)
        .unwrap();
    assert!((vdd - want).abs() < 1e-9, "{vdd} vs {want}");
    assert_eq!(at_sel.total.timing_errors, 1);
    assert_eq!(at_val.total.timing_errors, 0);
    // A clock nothing meets even at the top voltage is an error.
    assert!(raise_until_clean(&v, &s, 1.0, 1.2, 0.01, 2.5).is_err());
}
