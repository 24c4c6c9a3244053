//! The levelized probe: the inertial timed step computed gate by gate in
//! topological order instead of event by event in time order, with the
//! same results, and without moving the simulator's state.
//!
//! In inertial mode a gate's output waveform depends only on the order of
//! its own input toggles and of its own pending output transition. So each
//! touched gate, taken level by level, merges the transitions of its input
//! nets (each net's complete waveform is known once its driver's level is
//! done), replays the inertial rule with a local pending slot, and appends
//! its output's transitions to a per-step arena. There is no time wheel, no
//! stale entry, no global queue.
//!
//! Ties. The wheel pops equal times in scheduling order, and that order
//! decides the inertial outcome when two inputs of a gate, or an input and
//! the gate's own pending output, move in the same femtosecond. Scheduling
//! order is: the order the causes were committed in, then the load's
//! position in its net's fan-out, i.e. its (instance, pin). So each arena
//! transition keeps its cause and the pin it went through, and equal times
//! are ordered by comparing causes (recursively) and then pins; primary
//! inputs come first, in port and bit order. See [`crate::order`].
//!
//! Energy. The switching and internal sums are added up in gate order
//! rather than time order; [`crate::compile::Design::exact_toggles`] bounds
//! the toggles under which no f64 addition rounds, so the order cannot show
//! in the result. A step above it is re-run on the wheel.

use crate::compile::{Design, Gate, NONE};
use crate::engine::Simulator;
use crate::order::{self, Head, Link, Pending};
use crate::{Energy, StepResult};

/// Per-step totals (see `engine::Tally`; no leakage here).
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    switching_fj: f64,
    internal_fj: f64,
    toggles: u32,
    changed: u32,
    last_output_fs: u64,
}

/// Scratch space of the levelized probe, reused across steps.
pub(crate) struct Probe {
    /// The step's committed transitions, each net's in a run. A
    /// transition's value is implied: the k-th of a net flips it k times
    /// from its start value.
    arena: Vec<Link>,
    /// Per input pin (`Gate::pin_base + slot`): the transitions delivered to
    /// a gate this step, one slot per moving input, in delivery order.
    inbox: Vec<Head>,
    /// Filled inbox slots of each gate; nonzero = queued at its level.
    inbox_len: Vec<u8>,
    /// Queued instances by logic level: level `l` has the slots
    /// `level_start[l]..level_start[l + 1]`, one per instance of that level
    /// plus a spare, and uses the first `level_len[l]`.
    level_items: Vec<u32>,
    level_start: Vec<u32>,
    level_len: Vec<u32>,
    /// State saved around a step on the wheel (`Simulator::probe_by_stepping`).
    pub saved_net_value: Vec<u8>,
    pub saved_inst_state: Vec<u32>,
}

impl Probe {
    pub fn new(d: &Design) -> Probe {
        let levels = d.max_level as usize + 1;
        let mut level_start = vec![0u32; levels + 1];
        for &l in &d.level {
            level_start[l as usize + 1] += 1;
        }
        for l in 0..levels {
            // The spare slot takes the write of a load that was already queued.
            level_start[l + 1] += level_start[l] + 1;
        }
        Probe {
            arena: Vec::new(),
            inbox: vec![Head::default(); d.in_net.len()],
            inbox_len: vec![0; d.gates.len()],
            level_items: vec![0; level_start[levels] as usize],
            level_start,
            level_len: vec![0; levels],
            saved_net_value: Vec::new(),
            saved_inst_state: Vec::new(),
        }
    }

    /// Whether the pending output transition comes before input transition `x`.
    #[inline(always)]
    fn pending_first(&self, p: &Pending<f32>, x: u32) -> bool {
        order::pending_first(&self.arena, p, x)
    }

    /// Whether head `a` is due before head `b` ([`order::head_first`]).
    #[inline(always)]
    fn head_first(&self, a: &Head, b: &Head) -> bool {
        order::head_first(&self.arena, a, b)
    }

    /// Hand `net`'s transitions `first..end` to each of its loads, and
    /// queue a load at its level when it gets its first delivery.
    #[inline(always)]
    fn deliver(&mut self, d: &Design, net: u32, first: u32, end: u32) {
        let info = d.nets[net as usize];
        for f in info.loads_start..info.loads_end {
            let load = d.probe_loads[f as usize];
            let i = load.inst as usize;
            let len = self.inbox_len[i];
            self.inbox[(load.pin_base + len as u32) as usize] = Head {
                next: first,
                end,
                k: load.k,
            };
            self.inbox_len[i] = len + 1;
            // Queued on its first delivery. Branch-free (whether it is the
            // first cannot be predicted): the slot after the level's list is
            // always written, and only counted the first time.
            let l = d.level[i] as usize;
            self.level_items[(self.level_start[l] + self.level_len[l]) as usize] = i as u32;
            self.level_len[l] += (len == 0) as u32;
        }
    }
}

impl Simulator<'_> {
    /// The levelized probe proper (see the module docs). Reads the state,
    /// never writes it.
    pub(crate) fn probe_levelized(&mut self, inputs: &[u64]) -> StepResult {
        let d = &self.d;
        let p = &mut self.probe;
        p.arena.clear();
        let mut sums = Sums::default();

        // Primary inputs at t = 0, in port then bit order (as `step` commits them).
        for (port, &value) in d.input_bits.iter().zip(inputs) {
            for (b, &net) in port.iter().enumerate() {
                let n = net as usize;
                if self.net_value[n] == (value >> b & 1) as u8 {
                    continue;
                }
                let at = p.arena.len() as u32;
                p.arena.push(Link {
                    time_fs: 0,
                    cause: NONE,
                    pin: at,
                });
                sums.toggles += 1;
                sums.changed += 1;
                sums.switching_fj += d.nets[n].switch_fj as f64;
                // An output port bit that is also an input moves at t = 0,
                // which leaves `last_output_fs` at 0.
                p.deliver(d, net, at, at + 1);
            }
        }

        for level in 1..p.level_len.len() {
            // Gates queue only later levels, so this level's list is final.
            let start = p.level_start[level] as usize;
            for at in start..start + p.level_len[level] as usize {
                let g = p.level_items[at];
                probe_gate(
                    d,
                    p,
                    &self.net_value,
                    self.inst_state[g as usize],
                    g,
                    &mut sums,
                );
            }
            p.level_len[level] = 0;
        }

        StepResult {
            energy: Energy {
                switching_fj: sums.switching_fj,
                internal_fj: sums.internal_fj,
                leakage_fj: f64::NAN,
            },
            delay_ns: sums.last_output_fs as f64 / crate::compile::FS_PER_NS,
            toggles: sums.toggles,
            glitches: sums.toggles - sums.changed,
        }
    }
}

/// Replay gate `g`'s input toggles in commit order, with the inertial rule of
/// `timed::schedule_inertial` on a local pending slot, append its output
/// transitions to the arena and deliver them to the output's loads.
#[inline(always)]
fn probe_gate(
    d: &Design,
    p: &mut Probe,
    net_value: &[u8],
    start_state: u32,
    g: u32,
    sums: &mut Sums,
) {
    let gate: Gate = d.gates[g as usize];
    let base = gate.pin_base as usize;
    let mut m = p.inbox_len[g as usize] as usize;
    p.inbox_len[g as usize] = 0;
    let out = gate.out;
    // The output's value as the wheel would see it now (start value, then
    // flipped by each commit).
    let mut value = if out != NONE {
        net_value[out as usize]
    } else {
        0
    };
    let first = p.arena.len() as u32;
    let mut state = start_state;
    let mut pend = Pending::<f32>::default();
    let only = p.inbox[base];
    if m == 1 && only.end - only.next == 1 {
        // One input toggle, the common case: its transition, if any, is
        // the output's only one, with nothing to merge or cancel.
        m = 0;
        state ^= 1 << only.k;
        let fire = d.fires[(gate.fire + (only.k << gate.n_in) + state) as usize];
        sums.internal_fj += fire.pin_fj as f64;
        if out != NONE && fire.new != value {
            pend = Pending {
                on: true,
                time_fs: p.arena[only.next as usize].time_fs + fire.delay_fs as u64,
                energy: fire.energy_fj,
                cause: only.next,
                pin: gate.pin_base + only.k,
            };
        }
    }
    while m > 0 {
        // The earliest input transition; with one moving input (the common
        // case) there is nothing to choose.
        let mut h = base;
        for c in base + 1..base + m {
            if p.head_first(&p.inbox[c], &p.inbox[h]) {
                h = c;
            }
        }
        let Head { next: x, k, .. } = p.inbox[h];
        if pend.on && p.pending_first(&pend, x) {
            commit(d, p, out, &mut pend, &mut value, sums);
        }
        p.inbox[h].next += 1;
        if p.inbox[h].next == p.inbox[h].end {
            m -= 1;
            p.inbox[h] = p.inbox[base + m];
        }

        // As `Simulator::toggle_input` + `schedule_inertial`.
        state ^= 1 << k;
        let fire = d.fires[(gate.fire + (k << gate.n_in) + state) as usize];
        sums.internal_fj += fire.pin_fj as f64;
        if out != NONE {
            let at = p.arena[x as usize].time_fs + fire.delay_fs as u64;
            pend.schedule(fire.new != value, at, fire.energy_fj, x, gate.pin_base + k);
        }
    }
    if pend.on {
        commit(d, p, out, &mut pend, &mut value, sums);
    }
    let end = p.arena.len() as u32;
    if end > first {
        // A net ends changed after an odd number of toggles.
        sums.changed += (end - first) & 1;
        let info = d.nets[out as usize];
        if info.is_output {
            let last = p.arena[end as usize - 1].time_fs;
            sums.last_output_fs = sums.last_output_fs.max(last);
        }
        p.deliver(d, out, first, end);
    }
}

/// The pending transition happens: as `Simulator::record_transition`.
#[inline(always)]
fn commit(
    d: &Design,
    p: &mut Probe,
    out: u32,
    pend: &mut Pending<f32>,
    value: &mut u8,
    sums: &mut Sums,
) {
    p.arena.push(Link {
        time_fs: pend.time_fs,
        cause: pend.cause,
        pin: pend.pin,
    });
    *value ^= 1;
    sums.toggles += 1;
    sums.switching_fj += d.nets[out as usize].switch_fj as f64;
    sums.internal_fj += pend.energy as f64;
    pend.on = false;
}
