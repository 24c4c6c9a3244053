//! NLDM delay calculation, static timing analysis and SDF writing.
//!
//! [`arc_delays`] is the contract with the `sim` crate: one entry per
//! instance timing arc (conditional arcs listed separately, so a simulator
//! can pick the one whose `when` holds), with rise and fall delays computed
//! at the slews STA propagates and the actual net loads.
//!
//! The stages, each in its own module:
//! - [`arcs`]: a cell's Liberty timing groups resolved to pin-indexed arcs;
//! - [`dcalc`]: one arc's delay and output slew from its NLDM tables;
//! - [`constraints`]: clocks, port delays, slews and loads (the `sdc` crate
//!   reads them from an SDC file);
//! - [`search`]: max/min arrival and slew propagation per net and edge;
//! - [`check`]: endpoints, setup checks and slack;
//! - [`path`]: tracing the worst path back to its startpoint;
//! - [`report`]: the report_checks-like text and the JSON summary;
//! - [`sdf`]: the SDF 3.0 writer, and [`models`] Verilog cell models with
//!   specify paths for simulators that read it.
//!
//! # Slew thresholds and derating
//! Liberty tables are indexed and filled with slews measured between the
//! library's own `slew_lower/upper_threshold_pct_*`, and delays measured
//! between its `input/output_threshold_pct_*`. Within one library the slews
//! passed from stage to stage are therefore already in the measure the next
//! table expects, and no threshold conversion is applied (none is needed when
//! the input and output delay thresholds differ from the slew thresholds:
//! that difference is baked into the characterised tables).
//! `slew_derate_from_library` maps table slews to design slews: every
//! transition-table value is multiplied by it, and every design slew
//! (propagated or given by `--input-slew`/`set_input_transition`) is divided
//! by it before it indexes a table. All the bundled libraries use 1.
//!
//! # Limits
//! Clocks are ideal (no propagated clock-tree delay). Only setup checks are
//! reported (min arrivals are computed; hold slack is not). Arrivals of
//! several clocks are merged rather than tagged per clock, so multi-clock
//! designs get a single-clock view (see [`check`]). Asynchronous
//! preset/clear arcs of registers are listed in [`arc_delays`] but start no
//! STA paths; three-state arcs are ignored; latches are timed like
//! edge-triggered registers (no time borrowing).
//!
//! # Example
//! ```
//! use timing::{Conditions, Constraints, Report};
//!
//! let lib = liberty::read_library("../../liberty/sg13g2_stdcell_typ_1p20V_25C.lib")?;
//! let nl = netlist::Netlist::read("../../netlists/mac2u_sg13g2.v", &lib, None)?;
//! // A 2 ns virtual clock around the (combinational) MAC, zero port delays.
//! let constraints = Constraints::with_clock_period(&nl, &lib, &Conditions::default(), 2.0);
//! let sta = timing::analyze(&nl, &lib, &constraints);
//! let report = Report::new(&nl, &lib, &constraints, &sta);
//!
//! let arrival = report.worst_arrival_ns.unwrap();
//! assert!((report.worst_slack_ns.unwrap() - (2.0 - arrival)).abs() < 1e-9);
//! // The worst path runs from an input bit to an output bit, and its
//! // stage delays add up to its arrival.
//! assert!(report.worst_endpoint.as_deref().unwrap().starts_with("p_out["));
//! let sum: f64 = report.worst_path.iter().map(|p| p.incr_ns).sum();
//! assert!((sum - arrival).abs() < 1e-9);
//!
//! // What the simulator gets: per instance, one delay per timing arc.
//! let delays = timing::arc_delays(&nl, &lib, &Conditions::default());
//! assert!(!delays.of(netlist::InstId(0)).is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod arcs;
pub mod check;
pub mod constraints;
pub mod dcalc;
mod error;
pub mod models;
pub mod path;
pub mod report;
pub mod sdf;
pub mod search;

pub use arcs::{ArcRole, CellArc, TimingModel};
pub use check::{Check, Endpoint};
pub use constraints::{Clock, Constraints, PortDelay};
pub use error::{Error, Result};
pub use path::{Path, PathPoint, StartKind};
pub use report::{Report, ReportPoint};
pub use search::{analyze, Timing};

use liberty::Library;
use netlist::{InstId, Netlist};

/// Boundary conditions for delay calculation.
#[derive(Debug, Clone, PartialEq)]
pub struct Conditions {
    /// Slew of every primary-input transition, ns (OpenSTA's default is 0).
    pub input_slew_ns: f64,
    /// Extra load on every output port bit, pF.
    pub output_load_pf: f64,
}

impl Default for Conditions {
    fn default() -> Self {
        Conditions {
            input_slew_ns: 0.0,
            output_load_pf: 0.0,
        }
    }
}

/// A signal edge; `Rise as usize` / `Fall as usize` index per-edge arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Edge {
    /// Low to high.
    Rise = 0,
    /// High to low.
    Fall = 1,
}

impl Edge {
    /// Both edges, rise first (the order of per-edge arrays).
    pub const BOTH: [Edge; 2] = [Edge::Rise, Edge::Fall];

    /// Index into a per-edge array.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The other edge.
    pub fn opposite(self) -> Edge {
        match self {
            Edge::Rise => Edge::Fall,
            Edge::Fall => Edge::Rise,
        }
    }

    /// `rise` or `fall`, as the JSON reports spell it.
    pub fn name(self) -> &'static str {
        match self {
            Edge::Rise => "rise",
            Edge::Fall => "fall",
        }
    }

    /// `^` or `v`, as report_checks prints it.
    pub fn symbol(self) -> char {
        match self {
            Edge::Rise => '^',
            Edge::Fall => 'v',
        }
    }
}

/// Delay of one instance timing arc, input pin → output pin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArcDelay {
    /// The instance.
    pub inst: InstId,
    /// Liberty pin index (in the instance's cell) of the related input pin.
    pub from_pin: u16,
    /// Liberty pin index of the output pin.
    pub to_pin: u16,
    /// Index into `cell.pins[to_pin].timing` of the Liberty arc (its `when`,
    /// `timing_sense`, ...).
    pub lib_arc: u16,
    /// Delay to a rising output edge, ns; NaN when the arc cannot make one.
    pub rise_ns: f64,
    /// Delay to a falling output edge, ns; NaN when the arc cannot make one.
    pub fall_ns: f64,
    /// Output slew of the rising edge, ns; NaN when the arc cannot make one.
    pub rise_slew_ns: f64,
    /// Output slew of the falling edge, ns; NaN when the arc cannot make one.
    pub fall_slew_ns: f64,
}

/// All arc delays of a design.
#[derive(Debug, Clone, Default)]
pub struct ArcDelays {
    /// Arcs grouped by instance, instances in id order.
    pub arcs: Vec<ArcDelay>,
    /// `arcs[inst_start[i]..inst_start[i + 1]]` are instance `i`'s arcs
    /// (length = instance count + 1).
    pub inst_start: Vec<u32>,
}

impl ArcDelays {
    /// The arcs of one instance.
    pub fn of(&self, inst: InstId) -> &[ArcDelay] {
        let i = inst.0 as usize;
        &self.arcs[self.inst_start[i] as usize..self.inst_start[i + 1] as usize]
    }
}

/// Delay of every combinational arc at STA slews and actual loads.
///
/// Also lists clock-to-output (`rising_edge`/`falling_edge`) arcs of
/// sequential cells, computed at the ideal clock slew of 0; constraint arcs
/// (setup, hold, ...) are not delays and are not listed. For an arc that
/// cannot produce an output edge (no table, or a `combinational_rise` arc
/// asked for a fall) that edge's delay and slew are NaN. A non-unate arc's
/// delay is the worse of the two input edges.
pub fn arc_delays(netlist: &Netlist, lib: &Library, conditions: &Conditions) -> ArcDelays {
    let constraints = Constraints::from_conditions(netlist, conditions);
    search::analyze(netlist, lib, &constraints).arc_delays(netlist, lib)
}
