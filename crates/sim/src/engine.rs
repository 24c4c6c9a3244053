//! The simulator: state, stepping, and the bookkeeping both delay models
//! share (toggles, glitches, energy, leakage integration).
//!
//! State is a handful of flat arrays indexed by net or instance id. A step
//! commits the primary-input changes at t = 0; every committed net
//! transition updates the state word of each load instance and charges
//! energy; `timed.rs` and `zero.rs` decide when the instance's outputs
//! follow. Nothing is allocated or hashed per event.

use liberty::Library;
use netlist::{InstId, NetId, Netlist};

use crate::compile::{Design, Fire, Load, FS_PER_NS, NONE};
use crate::delay::TimingData;
use crate::levelized::Probe;
use crate::reuse::Reuse;
use crate::timed::{Event, Pending};
use crate::wheel::TimeWheel;
use crate::{DelayModel, Energy, Error, Result, SimOptions, Snapshot, StepResult};

/// Receives every net transition of a step (e.g. a VCD writer).
pub trait Observer {
    /// `net` took `value` at `time_fs` femtoseconds after the step began.
    fn transition(&mut self, time_fs: u64, net: NetId, value: bool);

    /// A run is about to apply row `step` (see [`crate::run_stimulus`]).
    fn begin_step(&mut self, _step: usize) {}

    /// Instance `inst` was charged energy, fJ: the switching energy of its
    /// output net and the internal energy of an output transition, or the
    /// internal energy of an input-pin toggle. For per-instance reports.
    fn cell_energy(&mut self, _inst: InstId, _switching_fj: f64, _internal_fj: f64) {}
}

/// An observer that ignores everything (compiled away).
pub struct NoObserver;

impl Observer for NoObserver {
    #[inline(always)]
    fn transition(&mut self, _time_fs: u64, _net: NetId, _value: bool) {}
}

/// Per-step accumulators.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Tally {
    pub switching_fj: f64,
    pub internal_fj: f64,
    /// Leakage energy so far, in nW·fs (converted once at the end).
    pub leakage_nw_fs: f64,
    /// Time up to which leakage has been integrated, fs.
    pub leak_until_fs: u64,
    pub toggles: u32,
    /// Nets whose value differs from their value at the start of the step.
    pub changed: u32,
    /// Latest transition on an output port bit, fs (0: none moved; a move at
    /// t = 0 also reports a delay of 0).
    pub last_output_fs: u64,
}

/// An event-driven simulator for one netlist.
pub struct Simulator<'a> {
    netlist: &'a Netlist,
    pub(crate) d: Design,
    pub(crate) options: SimOptions,
    /// Current value of each net (0/1).
    pub(crate) net_value: Vec<u8>,
    /// Input-pin values of each instance, bit k = input k.
    pub(crate) inst_state: Vec<u32>,
    /// Sum of every instance's leakage in its current state, nW.
    pub(crate) leakage_nw: f64,
    /// End of the leakage integration window, fs.
    period_fs: u64,
    pub(crate) tally: Tally,

    /// Net values at the start of the step (glitches = toggles − nets that
    /// changed, and a net's changed-ness flips with each of its toggles).
    net_start: Vec<u8>,

    // Timed models.
    pub(crate) wheel: TimeWheel,
    /// Inertial: the pending transition of each net.
    pub(crate) pend: Vec<Pending>,
    /// Inertial: tag of the next wheel entry (never 0).
    pub(crate) next_tag: u32,
    /// Transport: the event pool and each net's list of pending events.
    pub(crate) events: Vec<Event>,
    pub(crate) free_events: Vec<u32>,
    pub(crate) pend_head: Vec<u32>,
    pub(crate) pend_tail: Vec<u32>,

    // Zero-delay model (see `zero.rs`).
    pub(crate) changed_mask: Vec<u32>,
    pub(crate) level_queue: Vec<Vec<u32>>,

    /// Scratch of [`Simulator::probe_step`] (see `levelized.rs`).
    pub(crate) probe: Probe,
    /// The last probe's waveforms, reused by the next probe from the same
    /// state (see `reuse.rs`).
    pub(crate) reuse: Reuse,
    /// Bumped whenever the state may change, so that `reuse` knows whether
    /// it still describes probes from the current state.
    pub(crate) epoch: u64,
}

impl<'a> Simulator<'a> {
    /// Prepare a simulator (delays, loads, compiled cell functions). Arc
    /// delays and STA slews come from the timing crate's analysis
    /// ([`timing::analyze`], as [`timing::arc_delays`] uses it) with the
    /// options' input slew and output load; non-unate arcs get a delay per
    /// input edge.
    pub fn new(
        netlist: &'a Netlist,
        lib: &'a Library,
        options: &SimOptions,
    ) -> Result<Simulator<'a>> {
        let conditions = timing::Conditions {
            input_slew_ns: options.input_slew_ns,
            output_load_pf: options.output_load_pf,
        };
        let constraints = timing::Constraints::from_conditions(netlist, &conditions);
        let analysis = timing::analyze(netlist, lib, &constraints);
        let data = TimingData::from_analysis(netlist, lib, &analysis);
        Simulator::build(netlist, lib, options, &data)
    }

    /// Like [`Simulator::new`] with arc delays computed elsewhere (e.g. reused
    /// across simulators, or hand-made in tests). Net slews are taken as the
    /// worst output slew of each net's driving arcs; a non-unate arc takes
    /// its one (worse-input-edge) delay for both input edges.
    pub fn with_arc_delays(
        netlist: &'a Netlist,
        lib: &Library,
        options: &SimOptions,
        arc_delays: &timing::ArcDelays,
    ) -> Result<Simulator<'a>> {
        let data = TimingData::from_arc_delays(netlist, arc_delays, options.input_slew_ns);
        Simulator::build(netlist, lib, options, &data)
    }

    /// Build from timing data; the simulator starts with every input at 0,
    /// settled.
    fn build(
        netlist: &'a Netlist,
        lib: &Library,
        options: &SimOptions,
        timing: &TimingData,
    ) -> Result<Simulator<'a>> {
        if !(options.period_ns.is_finite() && options.period_ns > 0.0) {
            return Err(Error::Input(format!(
                "period must be a positive number of ns, got {}",
                options.period_ns
            )));
        }
        let d = Design::build(netlist, lib, options, timing)?;
        let n_nets = netlist.nets.len();
        let n_inst = netlist.instances.len();
        let wheel = TimeWheel::new(d.max_delay_fs);
        let level_queue = vec![Vec::new(); d.max_level as usize + 1];
        let probe = Probe::new(&d);
        let reuse = Reuse::new(&d);
        let mut sim = Simulator {
            netlist,
            options: options.clone(),
            period_fs: (options.period_ns * FS_PER_NS).round() as u64,
            net_value: vec![0; n_nets],
            inst_state: vec![0; n_inst],
            leakage_nw: 0.0,
            tally: Tally::default(),
            net_start: vec![0; n_nets],
            wheel,
            pend: vec![Pending::default(); n_nets],
            next_tag: 1,
            events: Vec::new(),
            free_events: Vec::new(),
            pend_head: vec![NONE; n_nets],
            pend_tail: vec![NONE; n_nets],
            changed_mask: vec![0; n_inst],
            level_queue,
            probe,
            reuse,
            epoch: 0,
            d,
        };
        let zeros = vec![0u64; sim.d.input_bits.len()];
        sim.settle(&zeros)?;
        Ok(sim)
    }

    /// The netlist being simulated.
    pub fn netlist(&self) -> &'a Netlist {
        self.netlist
    }

    /// The options it was built with.
    pub fn options(&self) -> &SimOptions {
        &self.options
    }

    /// Force the circuit into the steady state for `inputs` (one value per
    /// input port in `Netlist::inputs` order) without counting any energy.
    pub fn settle(&mut self, inputs: &[u64]) -> Result<()> {
        self.check_inputs(inputs)?;
        self.epoch += 1;
        for (port, &value) in self.d.input_bits.iter().zip(inputs) {
            for (b, &net) in port.iter().enumerate() {
                self.net_value[net as usize] = (value >> b & 1) as u8;
            }
        }
        for &(net, v) in &self.d.const_nets {
            self.net_value[net as usize] = v as u8;
        }
        let mut leakage_nw = 0.0;
        for &i in &self.d.topo {
            let i = i as usize;
            let ins = &self.d.in_net[self.d.in_start[i] as usize..self.d.in_start[i + 1] as usize];
            let s = ins.iter().enumerate().fold(0u32, |s, (k, &n)| {
                s | (self.net_value[n as usize] as u32) << k
            });
            self.inst_state[i] = s;
            let info = self.d.inst[i];
            leakage_nw += self.d.leakage(&info, s);
            for o in 0..info.n_out as u32 {
                let n = self.d.out_net[(info.out_first + o) as usize];
                if n != NONE {
                    self.net_value[n as usize] = self.d.eval(&info, o, s) as u8;
                }
            }
        }
        self.leakage_nw = leakage_nw;
        Ok(())
    }

    /// Apply `inputs` at t = 0, run until quiet, and report the step.
    pub fn step(&mut self, inputs: &[u64]) -> Result<StepResult> {
        self.step_observed(inputs, &mut NoObserver)
    }

    /// [`Simulator::step`], reporting every net transition to `observer`.
    pub fn step_observed(
        &mut self,
        inputs: &[u64],
        observer: &mut impl Observer,
    ) -> Result<StepResult> {
        self.check_inputs(inputs)?;
        self.begin_step();
        let zero = self.options.delay_model == DelayModel::Zero;
        let transport = self.options.transport;
        // Indexed loops: the commits below need `self` mutably.
        for (p, &value) in inputs.iter().enumerate() {
            for b in 0..self.d.input_bits[p].len() {
                let net = self.d.input_bits[p][b];
                let v = (value >> b & 1) as u8;
                if self.net_value[net as usize] != v {
                    if zero {
                        self.commit_zero(net, v, 0.0, observer);
                    } else if transport {
                        self.commit_timed::<true>(0, net, v, 0.0, observer);
                    } else {
                        self.commit_timed::<false>(0, net, v, 0.0, observer);
                    }
                }
            }
        }
        if zero {
            self.run_levels(observer);
        } else {
            self.run_wheel(observer);
        }
        Ok(self.end_step())
    }

    /// What [`Simulator::step`] would report for `inputs`, without moving
    /// to them: the state stays as it was, so a caller can try many next
    /// vectors from one settled state without [`Simulator::restore`].
    ///
    /// Leakage is not integrated: `energy.leakage_fj` is NaN. Everything
    /// else (switching and internal energy, delay, toggles, glitches) equals
    /// `step`'s bit for bit. In the inertial timed models this runs the
    /// levelized probe, which takes each touched gate once, in topological
    /// order, instead of each event through the time wheel, and from the
    /// second probe from one state on recomputes only the gates whose
    /// inputs moved differently than in the previous probe (so a caller
    /// gains by probing vectors that differ little one after the other, e.g.
    /// in Gray-code order); elsewhere, and
    /// for a step too busy for its energy sums to be exact in any order, it
    /// steps on the wheel and rewinds.
    pub fn probe_step(&mut self, inputs: &[u64]) -> Result<StepResult> {
        self.check_inputs(inputs)?;
        let levelized = self.d.levelized
            && self.options.delay_model != DelayModel::Zero
            && !self.options.transport;
        if levelized {
            // The first probe from a state has nothing to reuse, and the
            // plain levelized probe is cheaper than filling what is kept;
            // the next ones from the same state build on it (a kept state
            // starts as the probe of the settled inputs: nothing moves).
            let result = if self.reuse.describes(self.epoch) {
                match self.probe_reusing(inputs) {
                    Some(result) => result,
                    None => self.probe_levelized(inputs),
                }
            } else {
                self.reuse.start(self.epoch);
                self.probe_levelized(inputs)
            };
            if result.toggles <= self.d.exact_toggles {
                return Ok(result);
            }
        }
        self.probe_by_stepping(inputs)
    }

    /// [`Simulator::probe_step`] on the wheel: save, step, rewind.
    #[cold]
    pub(crate) fn probe_by_stepping(&mut self, inputs: &[u64]) -> Result<StepResult> {
        let mut saved_net = std::mem::take(&mut self.probe.saved_net_value);
        let mut saved_state = std::mem::take(&mut self.probe.saved_inst_state);
        saved_net.clone_from(&self.net_value);
        saved_state.clone_from(&self.inst_state);
        let leakage_nw = self.leakage_nw;
        let epoch = self.epoch;
        let result = self.step(inputs);
        self.net_value.copy_from_slice(&saved_net);
        self.inst_state.copy_from_slice(&saved_state);
        self.leakage_nw = leakage_nw;
        // Back in the very state the probes started from.
        self.epoch = epoch;
        self.probe.saved_net_value = saved_net;
        self.probe.saved_inst_state = saved_state;
        let mut result = result?;
        result.energy.leakage_fj = f64::NAN;
        Ok(result)
    }

    /// Current settled value of every output port, `Netlist::outputs` order.
    pub fn output_values(&self) -> Vec<u64> {
        let mut out = vec![0; self.d.output_bits.len()];
        self.outputs_into(&mut out);
        out
    }

    /// [`Simulator::output_values`] into a caller's buffer (one slot per
    /// output port; extra slots are left alone).
    pub fn outputs_into(&self, out: &mut [u64]) {
        for (slot, port) in out.iter_mut().zip(&self.d.output_bits) {
            *slot = port.iter().enumerate().fold(0u64, |v, (b, &n)| {
                v | (self.net_value[n as usize] as u64) << b
            });
        }
    }

    /// Current value of one net.
    pub fn net_value(&self, net: NetId) -> bool {
        self.net_value[net.0 as usize] == 1
    }

    /// Total leakage power of the current state, nW.
    pub fn leakage_nw(&self) -> f64 {
        self.leakage_nw
    }

    /// Save the current state.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            net_value: self.net_value.clone(),
            inst_state: self.inst_state.clone(),
            leakage_nw: self.leakage_nw,
        }
    }

    /// Return to a saved state (flat copies, no allocation).
    ///
    /// # Panics
    /// If the snapshot was taken from a simulator of another design.
    pub fn restore(&mut self, snapshot: &Snapshot) {
        assert!(
            snapshot.net_value.len() == self.net_value.len()
                && snapshot.inst_state.len() == self.inst_state.len(),
            "snapshot taken from a different design"
        );
        self.net_value.copy_from_slice(&snapshot.net_value);
        self.inst_state.copy_from_slice(&snapshot.inst_state);
        self.leakage_nw = snapshot.leakage_nw;
        self.epoch += 1;
    }

    fn check_inputs(&self, inputs: &[u64]) -> Result<()> {
        if inputs.len() != self.d.input_bits.len() {
            let names: Vec<&str> = self
                .netlist
                .inputs
                .iter()
                .map(|p| p.name.as_str())
                .collect();
            return Err(Error::Input(format!(
                "expected {} input values ({}), got {}",
                names.len(),
                names.join(", "),
                inputs.len()
            )));
        }
        Ok(())
    }

    fn begin_step(&mut self) {
        self.epoch += 1;
        self.net_start.copy_from_slice(&self.net_value);
        self.tally = Tally::default();
        self.wheel.rewind();
    }

    fn end_step(&mut self) -> StepResult {
        self.integrate_leakage(self.period_fs);
        let t = &self.tally;
        // Each net contributes its toggles minus its one functional change.
        let glitches = t.toggles - t.changed;
        StepResult {
            energy: Energy {
                switching_fj: t.switching_fj,
                internal_fj: t.internal_fj,
                // nW·fs = 1e-9 W · 1e-15 s = 1e-9 fJ.
                leakage_fj: t.leakage_nw_fs * 1e-9,
            },
            delay_ns: t.last_output_fs as f64 / FS_PER_NS,
            toggles: t.toggles,
            glitches,
        }
    }

    /// Add the leakage of the current state from the last integration point
    /// up to `time_fs` (clipped to the period).
    #[inline]
    fn integrate_leakage(&mut self, time_fs: u64) {
        let until = time_fs.min(self.period_fs);
        if until > self.tally.leak_until_fs {
            self.tally.leakage_nw_fs += self.leakage_nw * (until - self.tally.leak_until_fs) as f64;
            self.tally.leak_until_fs = until;
        }
    }

    /// Bookkeeping shared by both models when `net` takes `value` at
    /// `time_fs`: toggles, glitch counts, switching and internal energy,
    /// output delay, observer, and leakage up to this moment.
    /// Every caller passes a real change (`value` differs from the net's
    /// current value).
    #[inline(always)]
    pub(crate) fn record_transition(
        &mut self,
        time_fs: u64,
        net: u32,
        value: u8,
        internal_fj: f32,
        observer: &mut impl Observer,
    ) {
        let n = net as usize;
        debug_assert_ne!(self.net_value[n], value);
        self.integrate_leakage(time_fs);
        // The net now differs from its start value (+1) or is back to it (−1):
        // branch-free, as which one it is cannot be predicted.
        let differs = (value != self.net_start[n]) as u32;
        self.tally.changed = self.tally.changed.wrapping_add(2 * differs).wrapping_sub(1);
        self.net_value[n] = value;
        self.tally.toggles += 1;
        let info = self.d.nets[n];
        let switching_fj = info.switch_fj as f64;
        self.tally.switching_fj += switching_fj;
        self.tally.internal_fj += internal_fj as f64;
        let driver = self.d.net_driver_inst[n];
        if driver != NONE {
            observer.cell_energy(InstId(driver), switching_fj, internal_fj as f64);
        }
        // max with 0 for non-output nets, without a branch.
        let keep = 0u64.wrapping_sub(info.is_output as u64);
        self.tally.last_output_fs = self.tally.last_output_fs.max(time_fs & keep);
        observer.transition(time_fs, NetId(net), value == 1);
    }

    /// Flip the input pin `load` names: returns the instance's new state and
    /// its precomputed [`Fire`] record, after charging the pin's energy and
    /// updating leakage. Both delay models go through here; the timed ones
    /// then schedule output 0 from the record.
    #[inline(always)]
    pub(crate) fn toggle_input(
        &mut self,
        load: &Load,
        observer: &mut impl Observer,
    ) -> (u32, Fire) {
        let inst = load.inst as usize;
        let s = self.inst_state[inst] ^ load.mask;
        self.inst_state[inst] = s;
        let fire = self.d.fires[(load.fire + s) as usize];
        // leak_delta_nw is leakage(s) − leakage(old), computed once.
        self.leakage_nw += fire.leak_delta_nw;
        let pin_fj = fire.pin_fj as f64;
        self.tally.internal_fj += pin_fj;
        observer.cell_energy(InstId(load.inst), 0.0, pin_fj);
        (s, fire)
    }
}
