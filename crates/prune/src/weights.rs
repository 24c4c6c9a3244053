//! Power-aware weight selection: keep the weight values whose MAC draws the
//! least energy.
//!
//! A weight held in a MAC decides which partial products toggle when the
//! activation changes, so the mean energy per transition differs strongly
//! between weight values (values with few set bits and short carry chains are
//! cheap). Keeping only the N cheapest values and retraining the network on
//! them lowers power at a small accuracy cost. Weight 0 is always kept: it is
//! the cheapest in practice and pruned (zero) weights need it.

use serde::{Deserialize, Serialize};

use crate::error::{PruneError, Result};

/// One weight value and its mean energy per activation transition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightRank {
    /// The weight value.
    pub weight: i64,
    /// Mean switching energy over all activation transitions (weighted as
    /// requested), fJ.
    pub mean_energy_fj: f64,
}

/// Sorts weights by mean energy, cheapest first. Ties go to the smaller
/// magnitude, then the smaller value, so the order is deterministic.
pub fn rank(weights: &[i64], mean_energy_fj: &[f64]) -> Vec<WeightRank> {
    let mut ranking: Vec<WeightRank> = weights
        .iter()
        .zip(mean_energy_fj)
        .map(|(&weight, &mean_energy_fj)| WeightRank {
            weight,
            mean_energy_fj,
        })
        .collect();
    ranking.sort_by(|a, b| {
        a.mean_energy_fj
            .total_cmp(&b.mean_energy_fj)
            .then(a.weight.abs().cmp(&b.weight.abs()))
            .then(a.weight.cmp(&b.weight))
    });
    ranking
}

/// The weights to keep, ascending: 0 (when characterized) and then the
/// cheapest values up to `keep` in all.
///
/// With `symmetric`, values are kept in `±w` pairs (a network trained on a
/// symmetric set keeps sign symmetry): pairs are ranked by the mean of their
/// two energies and taken while they fit into `keep`, so the result may be
/// one short of `keep`. A value whose negation was not characterized cannot
/// be kept in symmetric mode. `keep` larger than the number of candidates
/// keeps them all; `keep = 0` is an error.
pub fn keep_cheapest(ranking: &[WeightRank], keep: usize, symmetric: bool) -> Result<Vec<i64>> {
    if keep == 0 {
        return Err(PruneError::Setting {
            setting: crate::Setting::Keep,
            reason: "keep must be at least 1 weight (weight 0 is always kept)".into(),
        });
    }
    let has_zero = ranking.iter().any(|r| r.weight == 0);
    let mut kept: Vec<i64> = if has_zero { vec![0] } else { Vec::new() };
    if symmetric {
        let energy = |w: i64| {
            ranking
                .iter()
                .find(|r| r.weight == w)
                .map(|r| r.mean_energy_fj)
        };
        let mut pairs: Vec<(f64, i64)> = ranking
            .iter()
            .filter(|r| r.weight > 0)
            .filter_map(|r| energy(-r.weight).map(|neg| ((r.mean_energy_fj + neg) / 2.0, r.weight)))
            .collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (_, w) in pairs {
            if kept.len() + 2 > keep {
                break;
            }
            kept.extend([-w, w]);
        }
    } else {
        for r in ranking.iter().filter(|r| r.weight != 0) {
            if kept.len() >= keep {
                break;
            }
            kept.push(r.weight);
        }
    }
    kept.sort_unstable();
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Energies (fJ) chosen so the order is not the value order:
    /// -2: 5, -1: 2, 0: 9, 1: 1, 2: 4, 3: 3.
    fn ranking() -> Vec<WeightRank> {
        rank(&[-2, -1, 0, 1, 2, 3], &[5.0, 2.0, 9.0, 1.0, 4.0, 3.0])
    }

    #[test]
    fn rank_orders_by_energy_then_magnitude() {
        let order: Vec<i64> = ranking().iter().map(|r| r.weight).collect();
        assert_eq!(order, vec![1, -1, 3, 2, -2, 0]);
        // Equal energies: |−1| = |1| → −1 first (smaller value); 2 after both.
        let tie: Vec<i64> = rank(&[2, 1, -1], &[1.0, 1.0, 1.0])
            .iter()
            .map(|r| r.weight)
            .collect();
        assert_eq!(tie, vec![-1, 1, 2]);
    }

    #[test]
    fn zero_is_kept_even_when_expensive() {
        // keep 3: 0 plus the two cheapest others (1: 1 fJ, -1: 2 fJ).
        assert_eq!(keep_cheapest(&ranking(), 3, false).unwrap(), vec![-1, 0, 1]);
        // keep 1 → only 0.
        assert_eq!(keep_cheapest(&ranking(), 1, false).unwrap(), vec![0]);
    }

    #[test]
    fn keep_more_than_available_keeps_all() {
        assert_eq!(
            keep_cheapest(&ranking(), 100, false).unwrap(),
            vec![-2, -1, 0, 1, 2, 3]
        );
    }

    #[test]
    fn keep_zero_is_an_error() {
        assert!(matches!(
            keep_cheapest(&ranking(), 0, false),
            Err(PruneError::Setting {
                setting: crate::Setting::Keep,
                ..
            })
        ));
    }

    #[test]
    fn symmetric_keeps_pairs() {
        // Pairs: ±1 → (1+2)/2 = 1.5, ±2 → (4+5)/2 = 4.5; 3 has no -3.
        // keep 4 → 0 + ±1 (3 values; a second pair would make 5 > 4).
        assert_eq!(keep_cheapest(&ranking(), 4, true).unwrap(), vec![-1, 0, 1]);
        // keep 5 → 0, ±1, ±2.
        assert_eq!(
            keep_cheapest(&ranking(), 5, true).unwrap(),
            vec![-2, -1, 0, 1, 2]
        );
        // keep 2 → only 0: no pair fits.
        assert_eq!(keep_cheapest(&ranking(), 2, true).unwrap(), vec![0]);
        // keep 100: 3 is unpaired, so never kept.
        assert_eq!(
            keep_cheapest(&ranking(), 100, true).unwrap(),
            vec![-2, -1, 0, 1, 2]
        );
    }

    #[test]
    fn without_zero_keeps_cheapest() {
        // Weights {1, 2} with energies 3, 1 → keep 1 → {2}.
        let r = rank(&[1, 2], &[3.0, 1.0]);
        assert_eq!(keep_cheapest(&r, 1, false).unwrap(), vec![2]);
    }
}
