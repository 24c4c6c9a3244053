//! Power and delay of a (weights, activations) set on one table set.
//!
//! Power of a set = mean switching energy per cycle / clock period + leakage.
//! The mean is uniform over the kept weights (each MAC of an array holds one
//! weight, and every kept weight is assumed equally common) and weighted over
//! activation transitions by [`crate::ActWeights`]. Leakage is the table
//! set's `meta.leakage_w`; it does not depend on the values but on VDD, so it
//! only changes in the voltage-scaling stage.

use serde::{Deserialize, Serialize};
use tables::Tables;

/// Power split into its parts, W.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Power {
    /// Switching power: mean energy per cycle / clock period, W.
    pub dynamic_w: f64,
    /// Leakage power, W.
    pub leakage_w: f64,
    /// `dynamic_w + leakage_w`, W.
    pub total_w: f64,
}

impl Power {
    /// Power from a mean energy per cycle (fJ), leakage (W) and clock period (ns).
    pub fn new(mean_energy_fj: f64, leakage_w: f64, clock_period_ns: f64) -> Power {
        // fJ / ns = 1e-15 J / 1e-9 s = 1e-6 W.
        let dynamic_w = mean_energy_fj / clock_period_ns * 1e-6;
        Power {
            dynamic_w,
            leakage_w,
            total_w: dynamic_w + leakage_w,
        }
    }
}

/// Reduction of `power_w` against `baseline_w`, percent (positive = less power).
pub fn reduction_pct(baseline_w: f64, power_w: f64) -> f64 {
    if baseline_w == 0.0 {
        0.0
    } else {
        100.0 * (1.0 - power_w / baseline_w)
    }
}

/// Mean switching energy, fJ: the uniform mean over `weight_idx` of
/// `Σ probs[i·A + j] · E[w, i, j]`. `probs` is an `A × A` transition
/// distribution (see [`crate::ActWeights::transition_probs`]).
pub fn mean_energy_fj(tables: &Tables, weight_idx: &[usize], probs: &[f64]) -> f64 {
    if weight_idx.is_empty() {
        return 0.0;
    }
    let plane = tables.num_acts() * tables.num_acts();
    let energy = tables.energy_fj_array();
    let sum: f64 = weight_idx
        .iter()
        .map(|&w| {
            energy[w * plane..(w + 1) * plane]
                .iter()
                .zip(probs)
                .filter(|(_, &p)| p != 0.0)
                .map(|(&e, &p)| f64::from(e) * p)
                .sum::<f64>()
        })
        .sum();
    sum / weight_idx.len() as f64
}

/// Largest sensitized delay over transitions among `allowed` activations
/// under the weights `weight_idx`, ns.
pub fn max_delay_ns(tables: &Tables, weight_idx: &[usize], allowed: &[bool]) -> f64 {
    let a = tables.num_acts();
    let mut worst = 0.0f64;
    for &w in weight_idx {
        for i in (0..a).filter(|&i| allowed[i]) {
            for j in (0..a).filter(|&j| allowed[j]) {
                worst = worst.max(f64::from(tables.delay_ns(w, i, j)));
            }
        }
    }
    worst
}

/// Axis-0 indices of weight values (values missing from the table are skipped;
/// callers pass values taken from the same table).
pub fn weight_indices(tables: &Tables, weights: &[i64]) -> Vec<usize> {
    weights
        .iter()
        .filter_map(|&w| tables.weight_index(w))
        .collect()
}

/// `allowed[i]` for every activation index: true when `acts[i]` is in `acts`.
pub fn act_mask(tables: &Tables, acts: &[i64]) -> Vec<bool> {
    tables
        .meta()
        .acts
        .iter()
        .map(|a| acts.contains(a))
        .collect()
}
