//! The zero-delay model: levelized evaluation, one change per net per step.
//!
//! A net change marks the load instances (and which of their inputs moved)
//! and queues them at their logic level; levels are then drained in order,
//! so every instance is evaluated once, after all its inputs are final.

use crate::compile::NONE;
use crate::engine::{Observer, Simulator};

impl Simulator<'_> {
    /// `net` takes `value` at t = 0; queue its loads.
    pub(crate) fn commit_zero(
        &mut self,
        net: u32,
        value: u8,
        internal_fj: f32,
        observer: &mut impl Observer,
    ) {
        self.record_transition(0, net, value, internal_fj, observer);
        let info = self.d.nets[net as usize];
        for f in info.loads_start..info.loads_end {
            let load = self.d.loads[f as usize];
            let inst = load.inst as usize;
            self.toggle_input(&load, observer);
            if self.changed_mask[inst] == 0 {
                self.level_queue[self.d.level[inst] as usize].push(load.inst);
            }
            self.changed_mask[inst] |= load.mask;
        }
    }

    /// Evaluate queued instances level by level.
    pub(crate) fn run_levels(&mut self, observer: &mut impl Observer) {
        for level in 1..self.level_queue.len() {
            let mut i = 0;
            while i < self.level_queue[level].len() {
                let inst = self.level_queue[level][i] as usize;
                i += 1;
                self.evaluate_zero(inst, observer);
            }
            self.level_queue[level].clear();
        }
    }

    fn evaluate_zero(&mut self, inst: usize, observer: &mut impl Observer) {
        let mask = std::mem::take(&mut self.changed_mask[inst]);
        if mask == 0 {
            return;
        }
        let s = self.inst_state[inst];
        let info = self.d.inst[inst];
        for o in 0..info.n_out as u32 {
            let out = self.d.out_net[(info.out_first + o) as usize];
            if out == NONE {
                continue;
            }
            let new = self.d.eval(&info, o, s) as u8;
            if new == self.net_value[out as usize] {
                continue;
            }
            // Which input caused it is unknowable at zero delay: average the
            // arcs of the inputs that moved.
            let (mut sum, mut count) = (0.0f32, 0u32);
            let mut bits = mask;
            while bits != 0 {
                let k = bits.trailing_zeros();
                bits &= bits - 1;
                sum += self.d.arc(&info, k, o, s).energy_fj[new as usize];
                count += 1;
            }
            self.commit_zero(out, new, sum / count as f32, observer);
        }
    }
}
