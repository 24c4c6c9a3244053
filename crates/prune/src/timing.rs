//! Timing-aware selection: shrink the allowed activations (and, if needed,
//! the weights) until every remaining transition is fast enough.
//!
//! The sensitized delay of a transition depends on the weight held and on the
//! activation values before and after. With only a few weights kept, a few
//! activation values are usually responsible for the slowest transitions;
//! removing them lowers the worst sensitized delay well below the STA
//! worst-case delay, and that timing slack is what voltage scaling turns
//! into power savings.
//!
//! Greedy removal: while some transition among allowed activations under a
//! kept weight is slower than the target, remove the activation value that
//! takes part in the most such *violating* transitions (ties: larger
//! magnitude first, then larger value — large activations are rare after
//! ReLU). Weights are removed only when no activation removal helps or the
//! activation budget is spent: then the weight with the most violating
//! transitions goes. Weight 0 and activation 0 are never removed (a network
//! cannot do without zeros), nor is the last weight or activation. Violation
//! counts are updated incrementally, so a removal costs
//! O(weights × activations).

use serde::{Deserialize, Serialize};
use tables::Tables;

use crate::error::{PruneError, Result};

/// What the delay stage should do.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum DelayMode {
    /// Keep all activations; the stage reports the delay only.
    #[default]
    Off,
    /// Meet a given delay target, ns. With `max_act_removed`, at most that
    /// many activations go before weights are removed instead.
    Target {
        /// The delay target, ns.
        delay_ns: f64,
        /// Limit on removed activations.
        max_act_removed: Option<usize>,
    },
    /// Find the lowest target reachable by removing at most this many
    /// activations and no weights.
    LowestTarget {
        /// Limit on removed activations.
        max_act_removed: usize,
    },
}

/// Which kind of value was removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// An activation value.
    Activation,
    /// A weight value.
    Weight,
}

/// One removal of the greedy, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Removal {
    /// Activation or weight.
    pub kind: ValueKind,
    /// The value removed.
    pub value: i64,
    /// Violating transitions it took part in when removed.
    pub violations: usize,
    /// Slowest of those transitions, ns.
    pub worst_delay_ns: f64,
    /// Human-readable reason.
    pub reason: String,
}

/// Outcome of the delay stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelaySelection {
    /// The target met, ns (`None` when the stage was off).
    pub target_ns: Option<f64>,
    /// Weights left, ascending.
    pub weights: Vec<i64>,
    /// Activations left, ascending.
    pub acts: Vec<i64>,
    /// Removals in the order made.
    pub removed: Vec<Removal>,
}

/// Runs the delay stage on `weights` (values present in `tables`) with all
/// activations initially allowed.
pub fn select(tables: &Tables, weights: &[i64], mode: DelayMode) -> Result<DelaySelection> {
    match mode {
        DelayMode::Off => Ok(DelaySelection {
            target_ns: None,
            weights: weights.to_vec(),
            acts: tables.meta().acts.clone(),
            removed: Vec::new(),
        }),
        DelayMode::Target {
            delay_ns,
            max_act_removed,
        } => {
            if !(delay_ns.is_finite() && delay_ns >= 0.0) {
                return Err(PruneError::Setting {
                    setting: crate::Setting::DelayTarget,
                    reason: format!(
                        "delay target must be a finite number of ns >= 0, found {delay_ns}"
                    ),
                });
            }
            let mut g = Greedy::new(tables, weights, delay_ns);
            match g.run(max_act_removed, true) {
                Ok(()) => Ok(g.into_selection()),
                Err(stuck) => Err(PruneError::Infeasible(format!(
                    "delay target {delay_ns} ns cannot be met: {stuck}"
                ))),
            }
        }
        DelayMode::LowestTarget { max_act_removed } => {
            let target = lowest_target(tables, weights, max_act_removed);
            let mut g = Greedy::new(tables, weights, target);
            g.run(Some(max_act_removed), false).map_err(|stuck| {
                PruneError::Infeasible(format!("lowest-target search: {stuck}"))
            })?;
            Ok(g.into_selection())
        }
    }
}

/// The lowest delay target (one of the table's delays) that the greedy meets
/// removing at most `max_act_removed` activations and no weights. Bisection
/// over the sorted distinct delays of the kept weights: the greedy is not
/// guaranteed monotone in the target, so this is the lowest target the
/// bisection finds, and it is always verified feasible (the largest delay is
/// feasible with no removal at all).
pub fn lowest_target(tables: &Tables, weights: &[i64], max_act_removed: usize) -> f64 {
    let plane = tables.num_acts() * tables.num_acts();
    let delays = tables.delay_ns_array();
    let mut candidates: Vec<f32> = weights
        .iter()
        .filter_map(|&w| tables.weight_index(w))
        .flat_map(|wi| delays[wi * plane..(wi + 1) * plane].iter().copied())
        .collect();
    candidates.sort_by(f32::total_cmp);
    candidates.dedup();
    if candidates.is_empty() {
        return 0.0;
    }
    let feasible = |t: f32| {
        Greedy::new(tables, weights, f64::from(t))
            .run(Some(max_act_removed), false)
            .is_ok()
    };
    // Invariant: candidates[hi] is feasible; everything below lo is not.
    let (mut lo, mut hi) = (0usize, candidates.len() - 1);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if feasible(candidates[mid]) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    f64::from(candidates[hi])
}

/// Greedy state: which values are alive and how many violating transitions
/// each takes part in.
struct Greedy<'a> {
    tables: &'a Tables,
    target_ns: f64,
    /// Axis-0 indices of the weights under consideration.
    weight_idx: Vec<usize>,
    weight_alive: Vec<bool>,
    act_alive: Vec<bool>,
    /// Violating transitions per weight slot (index into `weight_idx`).
    weight_count: Vec<usize>,
    /// Violating (weight, transition) triples per activation index; a
    /// self-transition a → a counts once.
    act_count: Vec<usize>,
    total: usize,
    removed: Vec<Removal>,
}

impl<'a> Greedy<'a> {
    fn new(tables: &'a Tables, weights: &[i64], target_ns: f64) -> Greedy<'a> {
        let weight_idx: Vec<usize> = weights
            .iter()
            .filter_map(|&w| tables.weight_index(w))
            .collect();
        let a = tables.num_acts();
        let mut g = Greedy {
            tables,
            target_ns,
            weight_alive: vec![true; weight_idx.len()],
            weight_count: vec![0; weight_idx.len()],
            weight_idx,
            act_alive: vec![true; a],
            act_count: vec![0; a],
            total: 0,
            removed: Vec::new(),
        };
        for slot in 0..g.weight_idx.len() {
            for i in 0..a {
                for j in 0..a {
                    if g.violates(slot, i, j) {
                        g.weight_count[slot] += 1;
                        g.act_count[i] += 1;
                        if j != i {
                            g.act_count[j] += 1;
                        }
                        g.total += 1;
                    }
                }
            }
        }
        g
    }

    fn delay(&self, slot: usize, i: usize, j: usize) -> f64 {
        f64::from(self.tables.delay_ns(self.weight_idx[slot], i, j))
    }

    fn violates(&self, slot: usize, i: usize, j: usize) -> bool {
        self.delay(slot, i, j) > self.target_ns
    }

    fn acts(&self) -> &[i64] {
        &self.tables.meta().acts
    }

    fn weight_value(&self, slot: usize) -> i64 {
        self.tables.meta().weights[self.weight_idx[slot]]
    }

    /// Removes values until no violation is left. `Err` says why it got
    /// stuck. `max_act_removed` caps activation removals; `allow_weights`
    /// permits weight removals when activations cannot help.
    fn run(&mut self, max_act_removed: Option<usize>, allow_weights: bool) -> Result<(), String> {
        let mut acts_removed = 0usize;
        while self.total > 0 {
            let budget_left = max_act_removed.is_none_or(|m| acts_removed < m);
            if budget_left {
                if let Some(i) = self.best_act() {
                    self.remove_act(i);
                    acts_removed += 1;
                    continue;
                }
            }
            if allow_weights {
                if let Some(slot) = self.best_weight() {
                    let why = if budget_left {
                        "no activation removal helps"
                    } else {
                        "the activation-removal limit is reached"
                    };
                    self.remove_weight(slot, why);
                    continue;
                }
            }
            return Err(self.stuck_reason(budget_left));
        }
        Ok(())
    }

    fn stuck_reason(&self, budget_left: bool) -> String {
        let a = self.tables.num_acts();
        let mut worst = 0.0f64;
        for slot in (0..self.weight_idx.len()).filter(|&s| self.weight_alive[s]) {
            for i in (0..a).filter(|&i| self.act_alive[i]) {
                for j in (0..a).filter(|&j| self.act_alive[j]) {
                    worst = worst.max(self.delay(slot, i, j));
                }
            }
        }
        let limit = if budget_left {
            "only values that are never removed (weight 0, activation 0, the last of each) remain"
        } else {
            "the activation-removal limit is reached and weights may not be removed"
        };
        format!(
            "{} transitions are still slower than {} ns (worst {worst} ns); {limit}",
            self.total, self.target_ns
        )
    }

    fn alive_acts(&self) -> usize {
        self.act_alive.iter().filter(|&&x| x).count()
    }

    fn best_act(&self) -> Option<usize> {
        if self.alive_acts() <= 1 {
            return None;
        }
        let acts = self.acts();
        (0..acts.len())
            .filter(|&i| self.act_alive[i] && acts[i] != 0 && self.act_count[i] > 0)
            .max_by_key(|&i| (self.act_count[i], acts[i].abs(), acts[i]))
    }

    fn best_weight(&self) -> Option<usize> {
        if self.weight_alive.iter().filter(|&&x| x).count() <= 1 {
            return None;
        }
        (0..self.weight_idx.len())
            .filter(|&s| {
                self.weight_alive[s] && self.weight_value(s) != 0 && self.weight_count[s] > 0
            })
            .max_by_key(|&s| {
                let w = self.weight_value(s);
                (self.weight_count[s], w.abs(), w)
            })
    }

    fn remove_act(&mut self, i: usize) {
        let a = self.tables.num_acts();
        let count = self.act_count[i];
        let mut worst = 0.0f64;
        for slot in (0..self.weight_idx.len()).filter(|&s| self.weight_alive[s]) {
            for j in (0..a).filter(|&j| self.act_alive[j]) {
                // i → j and j → i; the self-transition only once.
                let pairs: &[(usize, usize)] = if j == i { &[(i, i)] } else { &[(i, j), (j, i)] };
                for &(x, y) in pairs {
                    if self.violates(slot, x, y) {
                        worst = worst.max(self.delay(slot, x, y));
                        self.weight_count[slot] -= 1;
                        if j != i {
                            self.act_count[j] -= 1;
                        }
                        self.total -= 1;
                    }
                }
            }
        }
        self.act_alive[i] = false;
        self.act_count[i] = 0;
        let value = self.acts()[i];
        self.removed.push(Removal {
            kind: ValueKind::Activation,
            value,
            violations: count,
            worst_delay_ns: worst,
            reason: format!(
                "activation {value} took part in {count} transitions slower than {} ns (worst {worst} ns), the most of any activation",
                self.target_ns
            ),
        });
    }

    fn remove_weight(&mut self, slot: usize, why: &str) {
        let a = self.tables.num_acts();
        let count = self.weight_count[slot];
        let mut worst = 0.0f64;
        for i in (0..a).filter(|&i| self.act_alive[i]) {
            for j in (0..a).filter(|&j| self.act_alive[j]) {
                if self.violates(slot, i, j) {
                    worst = worst.max(self.delay(slot, i, j));
                    self.act_count[i] -= 1;
                    if j != i {
                        self.act_count[j] -= 1;
                    }
                    self.total -= 1;
                }
            }
        }
        self.weight_alive[slot] = false;
        self.weight_count[slot] = 0;
        let value = self.weight_value(slot);
        self.removed.push(Removal {
            kind: ValueKind::Weight,
            value,
            violations: count,
            worst_delay_ns: worst,
            reason: format!(
                "weight {value} had {count} transitions slower than {} ns (worst {worst} ns), the most of any weight; {why}",
                self.target_ns
            ),
        });
    }

    fn into_selection(self) -> DelaySelection {
        let mut weights: Vec<i64> = (0..self.weight_idx.len())
            .filter(|&s| self.weight_alive[s])
            .map(|s| self.weight_value(s))
            .collect();
        weights.sort_unstable();
        let acts = self
            .acts()
            .iter()
            .zip(&self.act_alive)
            .filter(|(_, &alive)| alive)
            .map(|(&a, _)| a)
            .collect();
        DelaySelection {
            target_ns: Some(self.target_ns),
            weights,
            acts,
            removed: self.removed,
        }
    }
}

#[cfg(test)]
mod tests;
