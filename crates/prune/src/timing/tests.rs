//! Greedy removal traced by hand on a 3-weight × 3-activation table.

use super::*;
use crate::testutil;

/// Weights {-1, 0, 1}, activations {0, 1, 2}; self-transitions a → a have
/// delay 0. Off-diagonal delays (ns):
///
/// | from→to | w = 0 | w = 1 | w = -1 |
/// |---------|-------|-------|--------|
/// | 0→1     | 0.2   | 0.4   | 0.3    |
/// | 1→0     | 0.2   | 0.4   | 0.3    |
/// | 0→2     | 0.2   | 0.7   | 0.6    |
/// | 2→0     | 0.2   | 0.4   | 0.6    |
/// | 1→2     | 0.2   | 0.9   | 0.5    |
/// | 2→1     | 0.2   | 0.8   | 0.5    |
fn tables() -> Tables {
    testutil::tables(&[-1, 0, 1], &[0, 1, 2], 1.0, 0.0, 0.8, |w, a, b| {
        let d = match (w, a, b) {
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
        };
        (1.0, d)
    })
}

/// Target 0.55 ns. Violations: w=1: 1→2, 2→1, 0→2 (3); w=-1: 0→2, 2→0 (2).
/// Per activation: 0 → 3 (w1 0→2, w-1 0→2 and 2→0), 1 → 2, 2 → all 5.
/// Activation 2 goes (5 violations, worst 0.9 ns); nothing is left.
#[test]
fn one_activation_removed_for_a_loose_target() {
    let t = tables();
    let mode = DelayMode::Target {
        delay_ns: 0.55,
        max_act_removed: None,
    };
    let s = select(&t, &[-1, 0, 1], mode).unwrap();
    assert_eq!(s.acts, vec![0, 1]);
    assert_eq!(s.weights, vec![-1, 0, 1]);
    assert_eq!(s.removed.len(), 1);
    let r = &s.removed[0];
    assert_eq!(
        (r.kind, r.value, r.violations),
        (ValueKind::Activation, 2, 5)
    );
    assert_eq!(r.worst_delay_ns, f64::from(0.9f32));
    // Remaining worst: w=1 0↔1 at 0.4 ns.
    let allowed = crate::power::act_mask(&t, &s.acts);
    let idx = crate::power::weight_indices(&t, &s.weights);
    assert_eq!(
        crate::power::max_delay_ns(&t, &idx, &allowed),
        f64::from(0.4f32)
    );
}

/// Target 0.35 ns, at most one activation. Violations: w=1 all six
/// off-diagonal (≥ 0.4), w=-1 the four with 2 (0.5, 0.6): 10 in all.
/// Activation counts: 0 → 4 + 2 = 6, 1 → 4 + 2 = 6, 2 → 4 + 4 = 8, so 2 goes.
/// Left: w=1 0→1, 1→0 (0.4 ns). The activation budget is spent, so the
/// weight with the most violations goes: w=1 (2).
#[test]
fn weight_removed_when_activation_budget_is_spent() {
    let t = tables();
    let mode = DelayMode::Target {
        delay_ns: 0.35,
        max_act_removed: Some(1),
    };
    let s = select(&t, &[-1, 0, 1], mode).unwrap();
    assert_eq!(s.acts, vec![0, 1]);
    assert_eq!(s.weights, vec![-1, 0]);
    let kinds: Vec<(ValueKind, i64, usize)> = s
        .removed
        .iter()
        .map(|r| (r.kind, r.value, r.violations))
        .collect();
    assert_eq!(
        kinds,
        vec![(ValueKind::Activation, 2, 8), (ValueKind::Weight, 1, 2)]
    );
    assert!(
        s.removed[1].reason.contains("limit"),
        "{}",
        s.removed[1].reason
    );
}

/// Same target without a budget: after 2 goes, activations 0 and 1 each have
/// 2 violations; 0 is protected, so 1 goes and only {0} is left.
#[test]
fn protected_zero_activation_stays() {
    let t = tables();
    let mode = DelayMode::Target {
        delay_ns: 0.35,
        max_act_removed: None,
    };
    let s = select(&t, &[-1, 0, 1], mode).unwrap();
    assert_eq!(s.acts, vec![0]);
    assert_eq!(s.weights, vec![-1, 0, 1]);
    let order: Vec<i64> = s.removed.iter().map(|r| r.value).collect();
    assert_eq!(order, vec![2, 1]);
}

/// Lowest target with one activation removal. Distinct delays:
/// 0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9. At 0.4 every violation
/// involves activation 2, so removing it suffices; at 0.3 the w=1 0↔1
/// transitions (0.4) would need a second removal. So 0.4.
#[test]
fn lowest_target_with_one_removal() {
    let t = tables();
    let s = select(
        &t,
        &[-1, 0, 1],
        DelayMode::LowestTarget { max_act_removed: 1 },
    )
    .unwrap();
    assert_eq!(s.target_ns, Some(f64::from(0.4f32)));
    assert_eq!(s.acts, vec![0, 1]);
    assert_eq!(s.weights, vec![-1, 0, 1]);
}

/// No removal allowed: the lowest target is the largest delay, 0.9 ns.
/// Two removals: 2 and 1 go, only self-transitions (0 ns) are left, so 0.
#[test]
fn lowest_target_extremes() {
    let t = tables();
    let s = select(
        &t,
        &[-1, 0, 1],
        DelayMode::LowestTarget { max_act_removed: 0 },
    )
    .unwrap();
    assert_eq!(s.target_ns, Some(f64::from(0.9f32)));
    assert!(s.removed.is_empty());
    let s = select(
        &t,
        &[-1, 0, 1],
        DelayMode::LowestTarget { max_act_removed: 2 },
    )
    .unwrap();
    assert_eq!(s.target_ns, Some(0.0));
    assert_eq!(s.acts, vec![0]);
}

/// Weight 0 only, activation 0 only, but its self-transition is 0.5 ns
/// (glitchy, synthetic): a 0.1 ns target cannot be met.
#[test]
fn infeasible_target_is_an_error() {
    let t = testutil::tables(&[0], &[0], 1.0, 0.0, 0.8, |_, _, _| (1.0, 0.5));
    let mode = DelayMode::Target {
        delay_ns: 0.1,
        max_act_removed: None,
    };
    let e = select(&t, &[0], mode).unwrap_err();
    assert!(matches!(e, PruneError::Infeasible(_)), "{e}");
    assert!(e.to_string().contains("0.1 ns"), "{e}");
}

#[test]
fn bad_target_is_an_error() {
    let mode = DelayMode::Target {
        delay_ns: f64::NAN,
        max_act_removed: None,
    };
    assert!(matches!(
        select(&tables(), &[0], mode),
        Err(PruneError::Setting {
            setting: crate::Setting::DelayTarget,
            ..
        })
    ));
}

#[test]
fn off_keeps_everything() {
    let s = select(&tables(), &[0, 1], DelayMode::Off).unwrap();
    assert_eq!(s.acts, vec![0, 1, 2]);
    assert_eq!(s.weights, vec![0, 1]);
    assert_eq!(s.target_ns, None);
}
