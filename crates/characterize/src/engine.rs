//! The slice of a simulator the sweep drives.
//!
//! The sweep is written against this trait rather than `sim::Simulator`
//! directly so that its bookkeeping (ordering, sharding, resuming) can be
//! checked against an engine whose answers are known in closed form.

use sim::StepResult;

use crate::Result;

/// A simulator that can be settled, stepped and rewound.
pub trait Engine {
    /// Saved state.
    type Snapshot;

    /// Force the steady state for `inputs` (one value per input port), no energy counted.
    fn settle(&mut self, inputs: &[u64]) -> Result<()>;

    /// Apply `inputs`, run until quiet, report energy, sensitized delay and toggles.
    fn step(&mut self, inputs: &[u64]) -> Result<StepResult>;

    /// Save the current state.
    fn snapshot(&self) -> Self::Snapshot;

    /// Return to a saved state.
    fn restore(&mut self, snapshot: &Self::Snapshot);

    /// What [`Engine::step`] would report for `inputs`, with the state left
    /// as it was; the leakage may be left out (NaN), the rest must equal
    /// `step`'s. The default steps and rewinds.
    fn probe(&mut self, inputs: &[u64]) -> Result<StepResult> {
        let saved = self.snapshot();
        let result = self.step(inputs);
        self.restore(&saved);
        result
    }
}

impl Engine for sim::Simulator<'_> {
    type Snapshot = sim::Snapshot;

    fn settle(&mut self, inputs: &[u64]) -> Result<()> {
        Ok(sim::Simulator::settle(self, inputs)?)
    }

    fn step(&mut self, inputs: &[u64]) -> Result<StepResult> {
        Ok(sim::Simulator::step(self, inputs)?)
    }

    fn snapshot(&self) -> sim::Snapshot {
        sim::Simulator::snapshot(self)
    }

    fn restore(&mut self, snapshot: &sim::Snapshot) {
        sim::Simulator::restore(self, snapshot)
    }

    fn probe(&mut self, inputs: &[u64]) -> Result<StepResult> {
        Ok(sim::Simulator::probe_step(self, inputs)?)
    }
}
