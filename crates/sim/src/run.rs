//! Running a whole stimulus and averaging its power.
//!
//! The circuit is first settled on the first row (no energy counted); then
//! every row, the first included, is one step held for the period. So a run
//! of N rows spans N periods, like a VCD whose row k is applied at
//! t = k·period and which ends at N·period (the first step only leaks).

use crate::engine::{Observer, Simulator};
use crate::{Energy, Result, StepResult, Stimulus};

/// Average power over a run, W.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PowerW {
    /// Internal (cell) power, W.
    pub internal_w: f64,
    /// Switching (net) power, W.
    pub switching_w: f64,
    /// Leakage power, W.
    pub leakage_w: f64,
}

impl PowerW {
    /// Sum of the three parts, W.
    pub fn total_w(&self) -> f64 {
        self.internal_w + self.switching_w + self.leakage_w
    }
}

/// What a run did.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSummary {
    /// Time each row was held, ns.
    pub period_ns: f64,
    /// One result per row.
    pub steps: Vec<StepResult>,
    /// Settled output port values after each row (`Netlist::outputs` order).
    pub outputs: Vec<Vec<u64>>,
    /// Energy summed over the steps, fJ.
    pub energy: Energy,
}

impl RunSummary {
    /// Energy divided by the run time (steps × period), W.
    pub fn power_w(&self) -> PowerW {
        let time_s = self.steps.len() as f64 * self.period_ns * 1e-9;
        if time_s == 0.0 {
            return PowerW::default();
        }
        let w = |fj: f64| fj * 1e-15 / time_s;
        PowerW {
            internal_w: w(self.energy.internal_fj),
            switching_w: w(self.energy.switching_fj),
            leakage_w: w(self.energy.leakage_fj),
        }
    }
}

/// Settle on the first row, then step through every row, reporting
/// transitions to `observer` (whose [`Observer::begin_step`] is called with
/// each row index first).
pub fn run_stimulus(
    sim: &mut Simulator<'_>,
    stimulus: &Stimulus,
    observer: &mut impl Observer,
) -> Result<RunSummary> {
    let mut summary = RunSummary {
        period_ns: sim.options().period_ns,
        steps: Vec::with_capacity(stimulus.rows.len()),
        outputs: Vec::with_capacity(stimulus.rows.len()),
        energy: Energy::default(),
    };
    if let Some(first) = stimulus.rows.first() {
        sim.settle(first)?;
    }
    for (k, row) in stimulus.rows.iter().enumerate() {
        observer.begin_step(k);
        let result = sim.step_observed(row, observer)?;
        summary.energy.add(&result.energy);
        summary.steps.push(result);
        summary.outputs.push(sim.output_values());
    }
    Ok(summary)
}
