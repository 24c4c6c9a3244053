//! End-to-end selections on synthetic tables, worked out by hand.

use super::*;
use crate::testutil;

/// Delay of the 3 × 3 example at 1.0 V (same table as the timing tests):
/// self-transitions 0; w = 0: 0.2; w = 1: 0→2 0.7, 1→2 0.9, 2→1 0.8, other
/// 0.4; w = -1: 0↔1 0.3, 0↔2 0.6, 1↔2 0.5.
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
        (-1, _, _) => 0.5,
        _ => unreachable!(),
    }
}

/// Energy at 1.0 V: base(w) + a + b fJ with base(0) = 0, base(1) = 2,
/// base(-1) = 4. At 0.6 V energies are 0.36× (C·V²) and delays 2×.
/// STA worst delay (the clock) is 1.0 ns; leakage 1 µW at 1.0 V, 0.5 µW at
/// 0.6 V.
fn sets() -> Vec<TableSet> {
    let base = |w: i64| match w {
        0 => 0.0,
        1 => 2.0,
        _ => 4.0,
    };
    let at = |v: f64, e_scale: f32, d_scale: f32, leak: f64| {
        testutil::tables(&[-1, 0, 1], &[0, 1, 2], 1.0, leak, v, move |w, a, b| {
            (
                e_scale * (base(w) + a as f32 + b as f32),
                d_scale * delay_1v(w, a, b),
            )
        })
    };
    vec![
        testutil::set(1.0, at(1.0, 1.0, 1.0, 1e-6)),
        testutil::set(0.6, at(0.6, 0.36, 2.0, 0.5e-6)),
    ]
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1e-6)
}

/// The full pipeline with --keep 2 --delay-target 0.55.
///
/// Mean of a + b over {0,1,2}² is 2, so mean energies are w0 2, w1 4,
/// w-1 6 fJ.
/// - Baseline: (2 + 4 + 6)/3 = 4 fJ per 1 ns = 4 µW + 1 µW leakage = 5 µW.
/// - Weights: 0 plus the cheapest other, 1 → (2 + 4)/2 = 3 fJ → 4 µW, −20 %.
/// - Delay 0.55 ns: under {0, 1} only w1 0→2, 1→2, 2→1 violate, all with
///   activation 2 → it goes. Mean of a + b over {0,1}² is 1: w0 1, w1 3 →
///   2 fJ → 3 µW, −40 %. Worst delay left: w1 0↔1, 0.4 ns.
/// - Voltage (α = 1.3 given, so the extrapolation below 0.6 V uses it
///   rather than the safe end of α = 1..2): at 0.6 V the worst delay is
///   0.8 ns ≤ 1 ns. Fit through
///   (0.6, 0.8), (1.0, 0.4) with α = 1.3: ((1−Vt)/(0.6−Vt))^1.3 = 2/0.6 →
///   (1−Vt)/(0.6−Vt) = 3.3333^(1/1.3) ≈ 2.5248 → Vt ≈ 0.33767 V. Below
///   0.6 V the delay is 0.8 · m(V)/m(0.6) with m(V) = V/(V−Vt)^1.3:
///   m(0.6) ≈ 3.4175; m(0.55) ≈ 0.55/0.21233^1.3 ≈ 4.1235 → 0.965 ns fits;
///   m(0.54) ≈ 0.54/0.20233^1.3 ≈ 4.3107 → 1.009 ns does not. So 0.55 V.
///   Power from the 0.6 V set: 0.36·2 fJ · (0.55/0.6)² = 2·0.55² = 0.605 fJ
///   → 0.605 µW; leakage 0.5 µW · 0.55/0.6 ≈ 0.458333 µW; total
///   ≈ 1.063333 µW → 1 − 1.063333/5 ≈ 78.7333 % less.
#[test]
fn full_pipeline_by_hand() {
    let mut opts = Options::new(2);
    opts.delay = DelayMode::Target {
        delay_ns: 0.55,
        max_act_removed: None,
    };
    opts.voltage.fit.alpha = Some(1.3);
    let r = select(&sets(), &opts).unwrap();
    assert_eq!(r.nominal_vdd_v, 1.0);
    assert_eq!(r.clock_period_ns, 1.0);
    assert!(close(r.baseline_power_w, 5e-6));
    assert_eq!(r.weights_after_power_selection, vec![0, 1]);
    assert!(close(r.stages[0].power_w, 4e-6));
    assert!(close(r.stages[0].reduction_pct, 20.0));
    assert_eq!(r.kept_weights, vec![0, 1]);
    assert_eq!(r.allowed_activations, vec![0, 1]);
    assert!(close(r.stages[1].power_w, 3e-6));
    assert!(close(r.stages[1].reduction_pct, 40.0));
    assert_eq!(r.max_delay_ns_before, f64::from(0.9f32));
    assert_eq!(r.max_delay_ns_after, f64::from(0.4f32));
    assert!((r.vdd_v - 0.55).abs() < 1e-9, "{}", r.vdd_v);
    let fit = r.voltage.model.unwrap();
    assert!((fit.model.vt_v - 0.33767).abs() < 1e-4, "{fit:?}");
    assert!(
        (r.final_power_w - 1.063333e-6).abs() < 1e-11,
        "{}",
        r.final_power_w
    );
    assert!(
        (r.reduction_pct - 78.7333).abs() < 1e-3,
        "{}",
        r.reduction_pct
    );
    assert!(r.timing_met);
    assert_eq!(r.removed.len(), 1);
    assert_eq!(r.removed[0].value, 2);
}

/// Percentages follow from the powers, stage names are fixed, the final
/// figures are the last stage's, and the JSON carries the required fields.
#[test]
fn report_is_consistent() {
    let mut opts = Options::new(2);
    opts.delay = DelayMode::LowestTarget { max_act_removed: 1 };
    let r = select(&sets(), &opts).unwrap();
    let names: Vec<&str> = r.stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, report::STAGE_NAMES.to_vec());
    for s in &r.stages {
        let want = 100.0 * (1.0 - s.power_w / r.baseline_power_w);
        assert!((s.reduction_pct - want).abs() < 1e-12);
        assert!((s.power_w - s.dynamic_power_w - s.leakage_power_w).abs() < 1e-18);
    }
    assert_eq!(r.final_power_w, r.stages[2].power_w);
    assert_eq!(r.reduction_pct, r.stages[2].reduction_pct);
    assert_eq!(r.vdd_v, r.stages[2].vdd_v);
    let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    for field in [
        "kept_weights",
        "allowed_activations",
        "vdd_v",
        "nominal_vdd_v",
        "clock_period_ns",
        "max_delay_ns_before",
        "max_delay_ns_after",
        "baseline_power_w",
        "final_power_w",
        "reduction_pct",
        "stages",
    ] {
        assert!(json.get(field).is_some(), "missing {field}");
    }
    for s in json["stages"].as_array().unwrap() {
        assert!(
            s["name"].is_string() && s["power_w"].is_number() && s["reduction_pct"].is_number()
        );
    }
    let text = r.to_text();
    assert!(
        text.contains("weight selection") && text.contains("voltage scaling"),
        "{text}"
    );
    assert_eq!(r.allowed_sets().weights, r.kept_weights);
}

#[test]
fn keep_edge_cases() {
    // keep 1 → only 0; keep 10 > 3 weights → all, with a note.
    let r = select(&sets(), &Options::new(1)).unwrap();
    assert_eq!(r.kept_weights, vec![0]);
    let r = select(&sets(), &Options::new(10)).unwrap();
    assert_eq!(r.kept_weights, vec![-1, 0, 1]);
    assert!(
        r.notes.iter().any(|n| n.contains("keeping 10 weights")),
        "{:?}",
        r.notes
    );
    assert!(matches!(
        select(&sets(), &Options::new(0)),
        Err(PruneError::Setting {
            setting: crate::Setting::Keep,
            ..
        })
    ));
}

/// --symmetric with keep 3: 0 and the pair ±1 (mean (4 + 6)/2 = 5 fJ).
#[test]
fn symmetric_pair() {
    let mut opts = Options::new(3);
    opts.symmetric = true;
    assert_eq!(select(&sets(), &opts).unwrap().kept_weights, vec![-1, 0, 1]);
    opts.keep = 2;
    assert_eq!(select(&sets(), &opts).unwrap().kept_weights, vec![0]);
}

/// Weights {0, 1, 2}, acts {0, 1}: E(0) = 0; E(1) = 1 for 0→0 and 5
/// otherwise; E(2) = 3 everywhere. Uniform: w1 = (1+5+5+5)/4 = 4 > 3 → keep
/// {0, 2}. Histogram [1, 0] (all activations 0, so only 0→0): w1 = 1 < 3 →
/// keep {0, 1}.
#[test]
fn activation_histogram_changes_the_ranking() {
    let t = testutil::tables(&[0, 1, 2], &[0, 1], 1.0, 0.0, 1.0, |w, a, b| {
        let e = match (w, a, b) {
            (0, _, _) => 0.0,
            (1, 0, 0) => 1.0,
            (1, _, _) => 5.0,
            _ => 3.0,
        };
        (e, 0.5)
    });
    let sets = vec![testutil::set(1.0, t)];
    let r = select(&sets, &Options::new(2)).unwrap();
    assert_eq!(r.kept_weights, vec![0, 2]);
    let mut opts = Options::new(2);
    opts.act_weights = ActWeights::Histogram(vec![1.0, 0.0]);
    let r = select(&sets, &opts).unwrap();
    assert_eq!(r.kept_weights, vec![0, 1]);
    assert_eq!(r.act_weighting, "histogram");
    // Baseline under that weighting: (0 + 1 + 3)/3 fJ per 1 ns.
    assert!(close(r.baseline_power_w, 4.0 / 3.0 * 1e-6));
    opts.act_weights = ActWeights::Histogram(vec![1.0]);
    assert!(matches!(select(&sets, &opts), Err(PruneError::Options(_))));
}

#[test]
fn bad_set_combinations_are_errors() {
    let mut opts = Options::new(2);
    opts.nominal_vdd_v = Some(0.9);
    assert!(matches!(
        select(&sets(), &opts),
        Err(PruneError::Options(_))
    ));
    // Explicit nominal 0.6 V: the clock is its STA delay (1.0 ns here too)
    // and nothing is below it except the model floor.
    opts.nominal_vdd_v = Some(0.6);
    assert_eq!(select(&sets(), &opts).unwrap().nominal_vdd_v, 0.6);

    let mut s = sets();
    s[1].tables = testutil::tables(&[0, 1], &[0, 1, 2], 1.0, 0.0, 0.6, |_, _, _| (1.0, 1.0));
    let e = select(&s, &Options::new(2)).unwrap_err();
    assert!(matches!(e, PruneError::Mismatch { .. }), "{e}");

    let mut s = sets();
    s[1].vdd_v = 1.0;
    assert!(matches!(
        select(&s, &Options::new(2)),
        Err(PruneError::Options(_))
    ));
    assert!(matches!(
        select(&[], &Options::new(2)),
        Err(PruneError::Options(_))
    ));

    let mut opts = Options::new(2);
    opts.clock_period_ns = Some(-1.0);
    assert!(matches!(
        select(&sets(), &opts),
        Err(PruneError::Setting {
            setting: crate::Setting::ClockPeriod,
            ..
        })
    ));
}

/// A clock of 2 ns instead of the STA 1 ns leaves more slack: the greedy
/// is off, weights {0, 1} keep all activations (worst 0.9 ns at 1.0 V,
/// 1.8 ns at 0.6 V), so 0.6 V fits and the model continues below it.
#[test]
fn explicit_clock_period_is_used() {
    let mut opts = Options::new(2);
    opts.clock_period_ns = Some(2.0);
    let r = select(&sets(), &opts).unwrap();
    assert_eq!(r.clock_period_ns, 2.0);
    assert!(r.vdd_v < 0.6, "{}", r.vdd_v);
    // Baseline at 2 ns: 4 fJ / 2 ns = 2 µW + 1 µW.
    assert!(close(r.baseline_power_w, 3e-6));
}

#[test]
fn bad_voltage_options_are_errors() {
    let bad = [
        VoltageOptions {
            fit: FitOptions {
                alpha: Some(0.5),
                vt_v: None,
            },
            ..VoltageOptions::default()
        },
        VoltageOptions {
            fit: FitOptions {
                alpha: None,
                vt_v: Some(-0.1),
            },
            ..VoltageOptions::default()
        },
        VoltageOptions {
            min_vdd_v: Some(0.0),
            ..VoltageOptions::default()
        },
        VoltageOptions {
            vdd_step_v: 1e-9,
            ..VoltageOptions::default()
        },
        VoltageOptions {
            corners: vec![crate::VoltageCorner {
                vdd_v: 0.8,
                delay_ratio: f64::NAN,
                energy_ratio: 0.64,
                leakage_w: 1e-6,
                sampled: None,
            }],
            ..VoltageOptions::default()
        },
    ];
    for v in bad {
        let mut opts = Options::new(2);
        opts.voltage = v.clone();
        assert!(
            matches!(
                select(&sets(), &opts),
                Err(PruneError::Options(_) | PruneError::Setting { .. })
            ),
            "{v:?}"
        );
    }
}

/// With one voltage, a given Vt makes the model usable: Vt = 0.25 V,
/// α = 1.3, through (1.0 V, 0.9 ns) — all weights, no delay stage. Clock
/// 1 ns, so 0.9 · m(V)/m(1.0) ≤ 1 with m(V) = V/(V−0.25)^1.3:
/// m(1.0) = 1/0.75^1.3 = 1/0.68799 ≈ 1.45352, bound m(V) ≤ 1.61502.
/// m(0.88) = 0.88/0.63^1.3 = 0.88/0.54846 ≈ 1.60450 fits;
/// m(0.87) = 0.87/0.62^1.3 = 0.87/0.53717 ≈ 1.61961 does not. So 0.88 V.
#[test]
fn single_voltage_with_given_vt() {
    let s = sets();
    let one = vec![testutil::set(1.0, s.into_iter().next().unwrap().tables)];
    let mut opts = Options::new(3);
    opts.voltage.fit.vt_v = Some(0.25);
    opts.voltage.fit.alpha = Some(1.3);
    let r = select(&one, &opts).unwrap();
    assert!((r.vdd_v - 0.88).abs() < 1e-9, "{}", r.vdd_v);
    assert_eq!(r.voltage.source, voltage::Source::Model);
}

/// 16 activations whose delay grows with a' (0.1 ns per step): a 0.35 ns
/// target removes a' = 4..15, twelve values, leaving 0..3 (and every weight,
/// whose delays are equal).
fn ramp_sets() -> Vec<TableSet> {
    let acts: Vec<i64> = (0..16).collect();
    let t = testutil::tables(&[-1, 0, 1], &acts, 1.6, 1e-6, 1.0, |w, a, b| {
        let d = if a == b { 0.0 } else { 0.1 * b as f32 };
        (1.0 + (w.abs() + a + b) as f32, d)
    });
    vec![testutil::set(1.0, t)]
}

#[test]
fn long_removal_lists_are_summarized_unless_verbose() {
    let mut opts = Options::new(3);
    opts.delay = DelayMode::Target {
        delay_ns: 0.35,
        max_act_removed: None,
    };
    let r = crate::select(&ramp_sets(), &opts).unwrap();
    assert_eq!(r.allowed_activations, vec![0, 1, 2, 3]);
    assert_eq!(r.removed.len(), 12);
    let terse = r.text(false);
    assert!(
        terse.contains("removed 12 activation(s) and 0 weight(s) (the verbose report lists them)"),
        "{terse}"
    );
    assert!(!terse.contains("removed activation 15"), "{terse}");
    let full = r.text(true);
    assert_eq!(
        full.matches("    removed activation ").count(),
        12,
        "{full}"
    );
    assert_eq!(r.to_text(), full);
    // Four activations and three weights are enough: no warning.
    assert_eq!(r.sparse_warning(), None);
}

#[test]
fn a_target_that_leaves_almost_nothing_is_warned_about() {
    let mut opts = Options::new(3);
    opts.delay = DelayMode::Target {
        delay_ns: 0.15,
        max_act_removed: None,
    };
    let r = crate::select(&ramp_sets(), &opts).unwrap();
    assert_eq!(r.allowed_activations, vec![0, 1]);
    let w = r.sparse_warning().expect("2 of 16 activations left");
    assert!(
        w.starts_with(
            "only 3 weight(s) and 2 of 16 activation values are left at the 0.15 ns delay target"
        ),
        "{w}"
    );
    assert!(r.notes.contains(&w), "{:?}", r.notes);
    assert!(r.text(false).contains(&w));
}

/// The report says what its figures rest on: the tables' partial sums, the
/// clock period's origin and the averaging, in the text and the JSON.
#[test]
fn the_report_states_its_assumptions() {
    // Assumption `i` of `r` says `text`.
    let says = |r: &Report, i: usize, text: &str| {
        assert!(r.assumptions[i].contains(text), "{:?}", r.assumptions);
    };
    let r = select(&sets(), &Options::new(2)).unwrap();
    assert_eq!(r.assumptions.len(), 3, "{:?}", r.assumptions);
    says(&r, 0, "psum model `zero`");
    // The synthetic tables' STA worst delay, 1 ns, on their netlist and library.
    says(&r, 1, "1 ns, the STA worst delay of mac.v at synthetic");
    says(&r, 2, "equally likely");
    let text = r.to_text();
    for a in &r.assumptions {
        assert!(text.contains(&format!("  - {a}\n")), "{text}");
    }
    let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(json["assumptions"].as_array().unwrap().len(), 3);

    let mut opts = Options::new(2);
    opts.clock_period_ns = Some(2.0);
    opts.act_weights = ActWeights::Histogram(vec![1.0, 2.0, 3.0]);
    let r = select(&sets(), &opts).unwrap();
    says(
        &r,
        1,
        "2 ns, as given (the STA worst delay at nominal VDD is 1 ns)",
    );
    says(&r, 2, "histogram");
}

/// Table sets whose partial sums differ are compared all the same, with a
/// note that says so.
#[test]
fn sets_with_other_partial_sums_are_noted() {
    let mut s = sets();
    let t = &s[1].tables;
    let mut meta = t.meta().clone();
    meta.psum_model = tables::PsumModel::Random;
    meta.psum_samples = 8;
    let energy = t.energy_fj_array().to_vec();
    let delay = t.delay_ns_array().to_vec();
    s[1].tables = tables::Tables::new(meta, energy, delay, None).unwrap();
    let r = select(&s, &Options::new(2)).unwrap();
    assert!(
        r.notes.iter().any(|n| n.contains("tables at 0.6 V assume psum model `random` (8 samples), those at 1 V `zero` (1 sample)")),
        "{:?}",
        r.notes
    );
    // The nominal (1 V) set's model is the one the assumptions name.
    assert!(r.assumptions[0].contains("`zero`"), "{:?}", r.assumptions);
}

/// A sampled voltage corner is named among the assumptions with its two
/// factors and, when recorded, the sample's own scaling: the STA ratio 0.5
/// against a sampled worst-delay ratio of 0.52 is 0.5 / 0.52 − 1 = −3.85 %.
#[test]
fn sampled_corners_state_their_error() {
    let corner = |sampled| crate::VoltageCorner {
        vdd_v: 1.5,
        delay_ratio: 0.5,
        energy_ratio: 1.6,
        leakage_w: 1e-6,
        sampled,
    };
    let mut opts = Options::new(2);
    opts.voltage.corners = vec![corner(Some(crate::SampledScaling {
        transitions: 27,
        worst_delay_ratio: 0.52,
        delay_ratio_range: (0.3, 0.9),
        energy_ratio_range: (1.5, 1.7),
    }))];
    let r = select(&sets(), &opts).unwrap();
    let a = r.assumptions.last().unwrap();
    assert!(
        a.contains("1.5 V from STA and a sample, not full tables: every delay scaled by the STA ratio 0.5000, every energy by the sample's mean ratio 1.6000"),
        "{a}"
    );
    assert!(
        a.contains("on its 27 simulated transitions the worst sensitized delay scales by 0.5200 (the STA ratio is -3.85 % off), single transitions by 0.3000..0.9000, and one weight's mean energy by 1.5000..1.7000"),
        "{a}"
    );
    opts.voltage.corners = vec![corner(None)];
    let r = select(&sets(), &opts).unwrap();
    assert!(
        r.assumptions
            .last()
            .unwrap()
            .contains("records no measure of their error"),
        "{:?}",
        r.assumptions
    );
}
