//! NLDM delay calculation, static timing analysis, SDC reading and SDF writing.
//!
//! [`arc_delays`] is the contract with the `sim` crate: one entry per
//! instance timing arc (conditional arcs listed separately, so a simulator
//! can pick the one whose `when` holds), with rise and fall delays computed
//! at the slews STA propagates and the actual net loads.

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
        Conditions { input_slew_ns: 0.0, output_load_pf: 0.0 }
    }
}

/// Delay of one instance timing arc, input pin → output pin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArcDelay {
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
    /// Output slew of that rising / falling edge, ns.
    pub rise_slew_ns: f64,
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
pub fn arc_delays(netlist: &Netlist, lib: &Library, conditions: &Conditions) -> ArcDelays {
    todo!("{} {} {conditions:?}", netlist.top, lib.name)
}
