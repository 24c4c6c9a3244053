//! The reusing probe: consecutive probes from one settled state share most
//! of their work, so the second recomputes only what differs from the first.
//!
//! The sweep probes every a' from one settled (w, a). A gate's output
//! waveform in a probe is a function of its input waveforms alone (and of
//! the fixed start state), so when the next probe moves only some primary
//! inputs, only the gates downstream of a waveform that actually changed
//! need recomputing; in a Gray-code order of a' (one activation bit differs
//! from one probe to the next) that is under half of the gates the
//! levelized probe visits.
//!
//! So each net keeps its last waveform in a fixed run of slots, each gate
//! its energy, and the step totals are kept as running sums. A probe first
//! adds or removes the primary-input transitions that differ from the last
//! probe's, then recomputes the queued gates in topological order (each replays
//! its inputs' complete waveforms with the inertial rule, exactly as
//! `levelized::probe_gate`), compares the new output waveform with the kept
//! one and queues the loads only if it differs.
//!
//! "Differs" must include the tie-breaking history: equal times are ordered
//! by comparing causes (see `levelized`), so a transition's identity is its
//! time, pin and cause, recursively. Each kept transition carries a version
//! that changes exactly when that identity does: a recomputed transition
//! keeps its slot's version if its time, pin, cause slot and the cause's
//! version all equal the kept ones, else takes a new one.
//!
//! Energies are summed as integers (multiples of
//! `Design::energy_unit_fj`), so adding the new and subtracting the old contribution of a
//! gate is exact; under `Design::exact_toggles` the f64 sums of the wheel
//! are exact too, so both give the same bits.

use crate::compile::{Design, Gate, NetInfo, QFire, FS_PER_NS, NONE};
use crate::engine::Simulator;
use crate::order::{self, Committed, Head, Link, Pending};
use crate::{Energy, StepResult};

/// Slots per net at first; doubled (up to [`MAX_CAP`]) when a net needs more.
const START_CAP: u32 = 8;
/// Most transitions a net may keep (the length is a `u8`).
const MAX_CAP: u32 = 128;

/// One kept transition of a net: its place in the commit order and the
/// versions the "changed?" test compares. Its value is implied: the k-th
/// transition of a net flips it k times from its start value. (`cause` is
/// the slot of the input transition that scheduled it, NONE for a primary
/// input; a primary input's `pin` is its place in port then bit order.)
#[derive(Debug, Clone, Copy, Default)]
struct Tr {
    link: Link,
    /// The cause's version when this was scheduled.
    cause_ver: u32,
    /// Changes whenever the transition's identity does (see the module docs).
    ver: u32,
}

impl Committed for Tr {
    #[inline(always)]
    fn link(&self) -> Link {
        self.link
    }
}

/// The kept probe and its scratch space.
pub(crate) struct Reuse {
    /// The simulator epoch the kept waveforms were probed from; None: nothing kept.
    epoch: Option<u64>,
    /// What is kept still holds an older probe, to be cleared before use.
    stale: bool,
    /// Slots per net: net `n` keeps its transitions at `n * cap ..`.
    cap: u32,
    /// Kept transitions per net.
    len: Vec<u8>,
    slots: Vec<Tr>,
    /// Kept internal energy per gate (its pins' and its output's), in units.
    gate_internal_q: Vec<i64>,
    totals: Totals,
    next_ver: u32,
    /// The queue: bit `p` set when the gate at topological position `p` is
    /// queued. A gate only queues loads, which come later, so one pass over
    /// the bits, low to high, takes each queued gate after its inputs.
    queued: Vec<u64>,
    /// The gate at each topological position (levels in order).
    gate_at: Vec<u32>,
    /// Each entry of `Design::loads`: its instance's topological position.
    load_at: Vec<u32>,
    heads: Vec<Head>,
    scratch: Vec<Tr>,
}

/// Running totals of the kept probe.
#[derive(Debug, Clone, Copy, Default)]
struct Totals {
    switching_q: i64,
    internal_q: i64,
    toggles: i64,
    /// Nets that end changed (an odd number of transitions).
    changed: i64,
}

impl Reuse {
    pub fn new(d: &Design) -> Reuse {
        // Positions by level, then instance: a load's level exceeds its
        // driver's, so it comes later.
        let mut gate_at: Vec<u32> = (0..d.gates.len() as u32).collect();
        gate_at.sort_by_key(|&g| (d.level[g as usize], g));
        let mut position = vec![0u32; d.gates.len()];
        for (p, &g) in gate_at.iter().enumerate() {
            position[g as usize] = p as u32;
        }
        let max_in = d.gates.iter().map(|g| g.n_in as usize).max().unwrap_or(0);
        let n_nets = d.nets.len();
        Reuse {
            epoch: None,
            stale: false,
            cap: START_CAP,
            len: vec![0; n_nets],
            slots: vec![Tr::default(); n_nets * START_CAP as usize],
            gate_internal_q: vec![0; d.gates.len()],
            totals: Totals::default(),
            next_ver: 1,
            queued: vec![0; d.gates.len().div_ceil(64)],
            load_at: d
                .probe_loads
                .iter()
                .map(|l| position[l.inst as usize])
                .collect(),
            gate_at,
            heads: vec![Head::default(); max_in],
            // A gate's output moves at most once per input transition.
            scratch: vec![Tr::default(); max_in * MAX_CAP as usize + 1],
        }
    }

    /// Whether what is kept was probed from the state of simulator epoch `epoch`.
    pub fn describes(&self, epoch: u64) -> bool {
        self.epoch == Some(epoch)
    }

    /// Keep, for the state of `epoch`, the probe of the settled inputs
    /// themselves (nothing moves), to build the next probes on.
    pub fn start(&mut self, epoch: u64) {
        // Cleared when first built on: callers that settle before every
        // probe (the partial-sum models) never pay for it.
        self.stale = true;
        self.epoch = Some(epoch);
    }

    /// Forget the kept probe: every net quiet, as a probe of the settled
    /// inputs themselves would find it.
    fn reset(&mut self) {
        self.stale = false;
        self.len.fill(0);
        self.gate_internal_q.fill(0);
        self.totals = Totals::default();
        self.next_ver = 1;
        self.queued.fill(0);
    }

    /// Make room for `cap * 2` transitions per net (forgetting what was kept).
    fn grow(&mut self) {
        if self.cap < MAX_CAP {
            self.cap *= 2;
            self.slots = vec![Tr::default(); self.len.len() * self.cap as usize];
        }
    }
}

/// One probe's view of the design and of what is kept: plain slices in
/// locals, so that their addresses stay in registers (behind `&mut self`
/// they would be reloaded after every store).
struct Run<'a> {
    gates: &'a [Gate],
    in_net: &'a [u32],
    qfires: &'a [QFire],
    switch_q: &'a [i64],
    nets: &'a [NetInfo],
    load_at: &'a [u32],
    net_value: &'a [u8],
    cap: u32,
    len: &'a mut [u8],
    slots: &'a mut [Tr],
    gate_internal_q: &'a mut [i64],
    queued: &'a mut [u64],
    gate_at: &'a [u32],
    heads: &'a mut [Head],
    scratch: &'a mut [Tr],
    totals: Totals,
    next_ver: u32,
}

impl Run<'_> {
    #[inline(always)]
    fn pending_first(&self, p: &Pending<i64>, x: u32) -> bool {
        order::pending_first(self.slots, p, x)
    }

    #[inline(always)]
    fn head_first(&self, a: &Head, b: &Head) -> bool {
        order::head_first(self.slots, a, b)
    }

    /// Queue `net`'s loads (a set bit each).
    #[inline(always)]
    fn queue_loads(&mut self, net: u32) {
        let info = self.nets[net as usize];
        for &p in &self.load_at[info.loads_start as usize..info.loads_end as usize] {
            self.queued[(p >> 6) as usize] |= 1 << (p & 63);
        }
    }

    /// The pending transition happens (into `scratch`).
    #[inline(always)]
    fn commit(
        &mut self,
        pend: &mut Pending<i64>,
        n: &mut usize,
        value: &mut u8,
        internal_q: &mut i64,
    ) {
        self.scratch[*n] = Tr {
            link: Link {
                time_fs: pend.time_fs,
                cause: pend.cause,
                pin: pend.pin,
            },
            cause_ver: self.slots[pend.cause as usize].ver,
            ver: 0,
        };
        *n += 1;
        *value ^= 1;
        *internal_q += pend.energy;
        pend.on = false;
    }

    /// Recompute gate `g` from its inputs' kept waveforms; update its output's
    /// waveform, the totals, and queue the loads if the output changed.
    /// False if the output needs more slots than a net has.
    #[inline(always)]
    fn recompute(&mut self, start_state: u32, g: u32) -> bool {
        let gate = self.gates[g as usize];
        let cap = self.cap;
        let mut m = 0;
        let ins = &self.in_net[gate.pin_base as usize..][..gate.n_in as usize];
        for (k, &n) in ins.iter().enumerate() {
            let l = self.len[n as usize] as u32;
            if l > 0 {
                self.heads[m] = Head {
                    next: n * cap,
                    end: n * cap + l,
                    k: k as u32,
                };
                m += 1;
            }
        }
        let out = gate.out;
        let mut value = if out != NONE {
            self.net_value[out as usize]
        } else {
            0
        };
        let mut state = start_state;
        let mut pend = Pending::<i64>::default();
        let mut internal_q = 0i64;
        let mut n_out = 0usize;
        if m == 1 && self.heads[0].end - self.heads[0].next == 1 {
            // One input toggle, the common case: its transition, if any, is
            // the output's only one, with nothing to merge or cancel.
            m = 0;
            let Head { next: x, k, .. } = self.heads[0];
            state ^= 1 << k;
            let fire = self.qfires[(gate.fire + (k << gate.n_in) + state) as usize];
            internal_q += fire.pin_q;
            if out != NONE && fire.new != value {
                pend = Pending {
                    on: true,
                    time_fs: self.slots[x as usize].link.time_fs + fire.delay_fs as u64,
                    energy: fire.energy_q,
                    cause: x,
                    pin: gate.pin_base + k,
                };
            }
        }
        while m > 0 {
            // The earliest input transition.
            let mut h = 0;
            for c in 1..m {
                if self.head_first(&self.heads[c], &self.heads[h]) {
                    h = c;
                }
            }
            let Head { next: x, k, .. } = self.heads[h];
            if pend.on && self.pending_first(&pend, x) {
                self.commit(&mut pend, &mut n_out, &mut value, &mut internal_q);
            }
            self.heads[h].next += 1;
            if self.heads[h].next == self.heads[h].end {
                m -= 1;
                self.heads[h] = self.heads[m];
            }

            // As `Simulator::toggle_input` + `schedule_inertial`.
            state ^= 1 << k;
            let fire = self.qfires[(gate.fire + (k << gate.n_in) + state) as usize];
            internal_q += fire.pin_q;
            if out != NONE {
                let at = self.slots[x as usize].link.time_fs + fire.delay_fs as u64;
                pend.schedule(fire.new != value, at, fire.energy_q, x, gate.pin_base + k);
            }
        }
        if pend.on {
            self.commit(&mut pend, &mut n_out, &mut value, &mut internal_q);
        }

        let old = &mut self.gate_internal_q[g as usize];
        self.totals.internal_q = self
            .totals
            .internal_q
            .wrapping_add(internal_q.wrapping_sub(*old));
        *old = internal_q;
        if out == NONE {
            return true;
        }
        let new_len = n_out as u32;
        if new_len > cap {
            return false;
        }
        let old_len = self.len[out as usize] as u32;
        let grown = new_len as i64 - old_len as i64;
        let t = &mut self.totals;
        t.switching_q = t
            .switching_q
            .wrapping_add(grown.wrapping_mul(self.switch_q[out as usize]));
        t.toggles += grown;
        t.changed += (new_len & 1) as i64 - (old_len & 1) as i64;
        let mut moved = new_len != old_len;
        let base = (out * cap) as usize;
        let kept = &mut self.slots[base..base + cap as usize];
        for (i, (s, kept)) in self.scratch[..n_out].iter().zip(kept).enumerate() {
            let same = (i as u32) < old_len && s.link == kept.link && s.cause_ver == kept.cause_ver;
            let ver = if same {
                kept.ver
            } else {
                moved = true;
                self.next_ver += 1;
                self.next_ver
            };
            *kept = Tr { ver, ..*s };
        }
        self.len[out as usize] = new_len as u8;
        if moved {
            self.queue_loads(out);
        }
        true
    }
}

impl Simulator<'_> {
    /// The probe, built on what is kept for the current state (see the module
    /// docs and [`Reuse::start`]). None when a net needs more transitions
    /// than can be kept (then nothing is kept and the next probes make room);
    /// the caller then probes without reuse.
    pub(crate) fn probe_reusing(&mut self, inputs: &[u64]) -> Option<StepResult> {
        let d = &self.d;
        let r = &mut self.reuse;
        debug_assert!(r.describes(self.epoch));
        // A probe takes at most one new version per slot; before the
        // counter could wrap (and a new version equal a kept one), start
        // over from the quiet probe, which is as valid a base.
        let fresh_versions = (r.len.len() as u64 * r.cap as u64).min(u32::MAX as u64) as u32;
        if r.stale || r.next_ver > u32::MAX - fresh_versions {
            r.reset();
        }
        let mut run = Run {
            gates: &d.gates,
            in_net: &d.in_net,
            qfires: &d.qfires,
            switch_q: &d.switch_q,
            nets: &d.nets,
            load_at: &r.load_at,
            net_value: &self.net_value,
            cap: r.cap,
            len: &mut r.len,
            slots: &mut r.slots,
            gate_internal_q: &mut r.gate_internal_q,
            queued: &mut r.queued,
            gate_at: &r.gate_at,
            heads: &mut r.heads,
            scratch: &mut r.scratch,
            totals: r.totals,
            next_ver: r.next_ver,
        };

        // Primary inputs whose t = 0 transition differs from the kept probe's.
        let mut at = 0u32;
        for (port, &value) in d.input_bits.iter().zip(inputs) {
            for (b, &net) in port.iter().enumerate() {
                let n = net as usize;
                let want = run.net_value[n] != (value >> b & 1) as u8;
                let have = run.len[n] != 0;
                if want != have {
                    let sign = if want { 1 } else { -1 };
                    if want {
                        run.slots[n * run.cap as usize] = Tr {
                            link: Link {
                                time_fs: 0,
                                cause: NONE,
                                pin: at,
                            },
                            cause_ver: 0,
                            ver: 0,
                        };
                    }
                    run.len[n] = want as u8;
                    let t = &mut run.totals;
                    t.toggles += sign;
                    t.changed += sign;
                    t.switching_q = t.switching_q.wrapping_add(sign * run.switch_q[n]);
                    run.queue_loads(net);
                }
                at += 1;
            }
        }

        let mut fits = true;
        'queue: for w in 0..run.queued.len() {
            // Bits set while a gate of this word runs lie above it: read
            // the word again after each.
            while run.queued[w] != 0 {
                let b = run.queued[w].trailing_zeros();
                run.queued[w] &= !(1 << b);
                let g = run.gate_at[w * 64 + b as usize];
                if !run.recompute(self.inst_state[g as usize], g) {
                    fits = false;
                    break 'queue;
                }
            }
        }
        let (totals, next_ver) = (run.totals, run.next_ver);
        if !fits {
            // Out of slots: what is kept is now half updated.
            r.epoch = None;
            r.reset();
            r.grow();
            return None;
        }
        r.totals = totals;
        r.next_ver = next_ver;

        let mut last_output_fs = 0;
        for &n in &d.output_nets {
            let l = r.len[n as usize] as u32;
            if l > 0 {
                let t = r.slots[(n * r.cap + l - 1) as usize].link.time_fs;
                last_output_fs = last_output_fs.max(t);
            }
        }
        let unit_fj = d.energy_unit_fj;
        Some(StepResult {
            energy: Energy {
                // Exact: both sums are below 2^53 units while the toggles
                // are under `exact_toggles` (else the caller discards this).
                switching_fj: totals.switching_q as f64 * unit_fj,
                internal_fj: totals.internal_q as f64 * unit_fj,
                leakage_fj: f64::NAN,
            },
            delay_ns: last_output_fs as f64 / FS_PER_NS,
            toggles: totals.toggles as u32,
            glitches: (totals.toggles - totals.changed) as u32,
        })
    }
}
