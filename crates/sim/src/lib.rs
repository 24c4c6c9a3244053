//! Event-driven, glitch-aware simulation with per-event energy.
//!
//! A [`Simulator`] holds the settled state of a netlist. Each [`Simulator::step`]
//! applies new input values at t = 0, propagates events with per-arc delays
//! from the `timing` crate (or zero/unit delays), and returns the energy, the
//! sensitized delay, the toggles and the glitches of that step.
//!
//! Contract used by `characterize` (keep it stable):
//! - input values are given per top input port, in `Netlist::inputs` order,
//!   as the port's bits (LSB = bit 0, two's complement for negative values);
//!   bits above the port width are ignored;
//! - [`Simulator::snapshot`]/[`Simulator::restore`] let a caller settle once
//!   and try many next vectors from the same state; [`Simulator::probe_step`]
//!   does the same without moving the state (and without leakage), faster.
//!
//! # Delay models and event semantics
//! - [`DelayModel::Sdf`]: an output transition caused by a toggle on input
//!   pin `A` takes the delay of the arc `A → out` from
//!   [`timing::arc_delays`] (NLDM tables at the STA slews and the actual net
//!   loads; for non-unate arcs, at the slew of the input edge that toggled).
//!   Only arcs whose `timing_sense` fits the input and output edges count;
//!   where a cell has state-dependent arcs (`when`), the one whose `when`
//!   holds for the cell's input values just after the toggle is used; if none
//!   holds, the unconditional arc, else the worst of them. So no event comes
//!   later than the STA arrival of its net.
//! - [`DelayModel::Unit`]: every output transition takes 1 ns.
//! - [`DelayModel::Zero`]: no time passes. Gates are evaluated in
//!   topological (level) order after all their inputs have settled, so each
//!   net changes at most once per step and there are no glitches. This is
//!   what a zero-delay VCD as read by OpenSTA describes.
//!
//! Timed models are **inertial** by default: each gate output holds at most
//! one pending transition. When a gate is re-evaluated while a transition is
//! pending, and the new value equals the current output value, the pending
//! transition is cancelled (a pulse shorter than the gate delay is filtered
//! and dissipates nothing); if it equals the pending value, the earlier of
//! the two times is kept. With [`SimOptions::transport`] every change is
//! propagated: a new transition scheduled at time T removes the transitions
//! of that output pending at or after T (the VHDL transport rule), so the
//! output still ends at the gate's settled value.
//!
//! Event order is deterministic: by time, then by the order the events were
//! scheduled. Times are kept in integer femtoseconds; arc delays are rounded
//! to 1 fs and are at least 1 fs. Primary inputs change at t = 0 in port then
//! bit order. Sequential, three-state and inout cells are rejected with an
//! error naming the instance.
//!
//! # Units
//! Times in ns (`_ns`) at the API, fs (`_fs`) inside and for observers;
//! energies in fJ (`_fj`); powers in W (`_w`) in [`run::PowerW`]; leakage in
//! nW; capacitances in pF. Energy tables are kept as f32 (7 significant
//! digits).
//!
//! # Energy
//! In the convention OpenSTA and PrimeTime use, per step in fJ:
//! - **switching**: ½·C·V² for every transition of a net driven by a cell,
//!   C = max(Σ rise, Σ fall) of the fan-out pins' capacitances (what
//!   OpenSTA's `loadCap` returns; its `report_power` on the reference cases
//!   matches instance by instance) plus [`SimOptions::output_load_pf`] on
//!   output port bits, V = the library's nominal voltage. Nets driven by primary inputs or constants count no
//!   switching energy (as in OpenSTA, which only charges cell outputs).
//! - **internal**: for each output transition, the `internal_power` group of
//!   the output pin whose `related_pin` toggled and whose `when` holds
//!   (else the unconditional one; if neither, the mean of that pin's groups):
//!   `rise_power` for a rising output, `fall_power` for a falling one, looked
//!   up at the STA slew of the input edge and the output net load. In the
//!   zero-delay model, if several inputs of a gate toggled in the same step,
//!   the energies of their arcs are averaged. Plus, for each toggle of an
//!   input pin, the pin's own `internal_power` group (`when` evaluated after
//!   the toggle, else the unconditional group; `rise_power` for a rising
//!   input).
//!
//!   OpenSTA's `report_power` from a VCD differs by construction on cells
//!   with `when` groups: it weights every group of a related pin by that
//!   pin's Boolean difference (ignoring `when`), and adds an input pin's
//!   unconditional group to its conditional ones. On the reference MACs the
//!   totals still agree within 1–2 % (internal within 2–4.5 %), and cells
//!   without `when` groups agree within 2 % per cell type.
//! - **leakage**: the `leakage_power` group whose `when` holds for each cell's
//!   current input values (else `cell_leakage_power`), integrated over time
//!   from t = 0 to [`SimOptions::period_ns`] (1 nW over 1 ns = 1e-3 fJ).
//!   Transitions after the period still count switching and internal energy.
//!
//! Internal energy of a filtered (cancelled) transition is not counted.
//!
//! # Example
//! ```
//! use sim::{SimOptions, Simulator};
//!
//! // The shipped 2-bit MAC: p_out = p_in + w × a.
//! let lib = liberty::read_library("../../liberty/sg13g2_stdcell_typ_1p20V_25C.lib")?;
//! let nl = netlist::Netlist::read("../../netlists/mac2u_sg13g2.v", &lib, None)?;
//! let mut sim = Simulator::new(&nl, &lib, &SimOptions::default())?;
//!
//! // Inputs per port in `Netlist::inputs` order: w, a, p_in.
//! sim.settle(&[0, 0, 0])?;
//! let step = sim.step(&[1, 3, 5])?;
//! assert_eq!(sim.output_values(), [5 + 3]);
//! assert!(step.toggles > 0 && step.delay_ns > 0.0 && step.energy.switching_fj > 0.0);
//!
//! // The same inputs again: nothing switches; only leakage is drawn.
//! let idle = sim.step(&[1, 3, 5])?;
//! assert_eq!((idle.toggles, idle.delay_ns, idle.energy.internal_fj), (0, 0.0, 0.0));
//! assert!(idle.energy.leakage_fj > 0.0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod cell;
mod compile;
mod delay;
mod energy;
mod engine;
mod levelized;
mod order;
mod reuse;
pub mod run;
pub mod stimulus;
mod timed;
pub mod vcd;
mod wheel;
mod zero;

pub use engine::{NoObserver, Observer};
pub use run::{run_stimulus, PowerW, RunSummary};
pub use stimulus::Stimulus;

/// How gate delays are modelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DelayModel {
    /// Per-arc rise/fall delays from NLDM tables at STA slews and actual loads.
    #[default]
    Sdf,
    /// Every gate switches instantly (functional, one change per net per step).
    Zero,
    /// Every gate takes 1 ns.
    Unit,
}

impl DelayModel {
    /// Every model, in the order the names are listed to users.
    pub const ALL: [DelayModel; 3] = [DelayModel::Sdf, DelayModel::Zero, DelayModel::Unit];

    /// The model's name in settings, reports and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            DelayModel::Sdf => "sdf",
            DelayModel::Zero => "zero",
            DelayModel::Unit => "unit",
        }
    }
}

impl std::fmt::Display for DelayModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for DelayModel {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        DelayModel::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| format!("unknown delay model `{s}` (expected sdf, zero or unit)"))
    }
}

/// Simulation settings.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// How gate delays are modelled.
    pub delay_model: DelayModel,
    /// Transport instead of inertial delays.
    pub transport: bool,
    /// Time each vector is held, ns (leakage is integrated over it).
    pub period_ns: f64,
    /// Extra load on every output port bit, pF.
    pub output_load_pf: f64,
    /// Slew of primary-input transitions, ns.
    pub input_slew_ns: f64,
}

impl SimOptions {
    /// The settings that change a step's numbers, as `key=value` words
    /// (`delay_model=sdf transport=false output_load_pf=0 input_slew_ns=0`);
    /// the period is left out: it only scales leakage, which a caller
    /// records on its own where it matters.
    pub fn settings_label(&self) -> String {
        format!(
            "delay_model={} transport={} output_load_pf={} input_slew_ns={}",
            self.delay_model, self.transport, self.output_load_pf, self.input_slew_ns
        )
    }
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            delay_model: DelayModel::Sdf,
            transport: false,
            period_ns: 10.0,
            output_load_pf: 0.0,
            input_slew_ns: 0.0,
        }
    }
}

/// Energy of one step, fJ.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Energy {
    /// ½·C·V² of cell-driven net transitions, fJ.
    pub switching_fj: f64,
    /// Cell internal energy (output arcs and input pins), fJ.
    pub internal_fj: f64,
    /// Leakage integrated over the step's period, fJ.
    pub leakage_fj: f64,
}

impl Energy {
    /// Sum of the three parts, fJ.
    pub fn total_fj(&self) -> f64 {
        self.switching_fj + self.internal_fj + self.leakage_fj
    }

    /// Add another step's energy.
    pub fn add(&mut self, other: &Energy) {
        self.switching_fj += other.switching_fj;
        self.internal_fj += other.internal_fj;
        self.leakage_fj += other.leakage_fj;
    }
}

/// What one step did.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StepResult {
    /// Energy of the step, fJ.
    pub energy: Energy,
    /// Time from the input change to the last event on any output port bit,
    /// ns; 0 when no output moves.
    pub delay_ns: f64,
    /// Net transitions (all nets, primary inputs included).
    pub toggles: u32,
    /// Transitions beyond the one functional change a net makes: a net that
    /// ends where it started but toggled twice has 2; one that toggled three
    /// times and changed value has 2.
    pub glitches: u32,
}

/// Errors from building or driving a simulator.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input vector does not match the design's input ports.
    #[error("{0}")]
    Input(String),
    /// The design cannot be simulated (sequential cell, missing function...);
    /// the message names the instance and cell.
    #[error("{0}")]
    Design(String),
    /// A stimulus file problem at a line (1-based).
    #[error("{file}:{line}: {message}")]
    Stimulus {
        /// The stimulus file.
        file: String,
        /// 1-based line.
        line: usize,
        /// What was wrong and what was expected.
        message: String,
    },
    /// A file could not be read or written.
    #[error("{path}: {cause}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        cause: std::io::Error,
    },
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// Saved simulator state (net values, cell input states), see
/// [`Simulator::snapshot`].
#[derive(Debug, Clone)]
pub struct Snapshot {
    net_value: Vec<u8>,
    inst_state: Vec<u32>,
    leakage_nw: f64,
}

pub use engine::Simulator;
