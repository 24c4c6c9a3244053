//! A cell's Liberty `timing` groups resolved to pin-indexed arcs.
//!
//! Done once per library cell the design uses, so the propagation loops never
//! look a pin up by name.

use liberty::{Cell, Library, TimingArc, TimingSense, TimingType};
use netlist::Netlist;

use crate::Edge;

/// What an arc means to STA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArcRole {
    /// Input → output delay (`combinational[_rise|_fall]`, and asynchronous
    /// `preset`/`clear` arcs, which behave like one).
    Combinational,
    /// Clock → output delay of a sequential cell (`rising_edge`/`falling_edge`).
    ClockToQ,
    /// Setup constraint on a data pin (`setup_rising`/`setup_falling`).
    Setup,
    /// Hold constraint on a data pin (`hold_rising`/`hold_falling`).
    Hold,
    /// Anything else (three-state, recovery, removal, pulse width...):
    /// kept for completeness, not timed.
    Ignored,
}

/// One Liberty arc of a cell, with pins as indices into `Cell::pins`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellArc {
    /// Related (input or clock) pin.
    pub from: u16,
    /// Pin the `timing` group sits on (output, or constrained data pin).
    pub to: u16,
    /// Index into `cell.pins[to].timing`.
    pub lib_arc: u16,
    /// How STA uses it.
    pub role: ArcRole,
    /// Unateness from the Liberty `timing_sense`.
    pub sense: TimingSense,
    /// For clock-to-output and constraint arcs: the related clock edge.
    pub clock_edge: Edge,
    /// Which `to` edges the arc can produce or constrain, indexed by [`Edge`]:
    /// its table exists and its `timing_type` allows the edge.
    pub makes: [bool; 2],
    /// True when the arc has a `when` condition.
    pub conditional: bool,
}

impl CellArc {
    /// The input edges that cause output edge `out` through a
    /// combinational arc, per its unateness.
    pub fn from_edges(&self, out: Edge) -> &'static [Edge] {
        const RISE: &[Edge] = &[Edge::Rise];
        const FALL: &[Edge] = &[Edge::Fall];
        match (self.role, self.sense, out) {
            (ArcRole::ClockToQ | ArcRole::Setup | ArcRole::Hold, _, _) => match self.clock_edge {
                Edge::Rise => RISE,
                Edge::Fall => FALL,
            },
            (_, TimingSense::PositiveUnate, Edge::Rise) => RISE,
            (_, TimingSense::PositiveUnate, Edge::Fall) => FALL,
            (_, TimingSense::NegativeUnate, Edge::Rise) => FALL,
            (_, TimingSense::NegativeUnate, Edge::Fall) => RISE,
            (_, TimingSense::NonUnate, _) => &Edge::BOTH,
        }
    }

    /// The Liberty arc this was made from.
    pub fn lib<'a>(&self, cell: &'a Cell) -> &'a TimingArc {
        &cell.pins[self.to as usize].timing[self.lib_arc as usize]
    }
}

/// The resolved arcs of every library cell a design uses.
#[derive(Debug, Clone, Default)]
pub struct TimingModel {
    /// Arcs per library cell (indexed like `Library::cells`); empty for cells
    /// the design does not use.
    pub cell_arcs: Vec<Vec<CellArc>>,
    /// True for cells treated as sequential (an `ff`/`latch` group, or any
    /// clock-to-output arc).
    pub sequential: Vec<bool>,
    /// Arcs that could not be resolved (unknown related pin, ...), one line each.
    pub warnings: Vec<String>,
}

impl TimingModel {
    /// Resolve the arcs of every cell `netlist` instantiates.
    pub fn new(lib: &Library, netlist: &Netlist) -> TimingModel {
        let mut model = TimingModel {
            cell_arcs: vec![Vec::new(); lib.cells.len()],
            sequential: vec![false; lib.cells.len()],
            warnings: Vec::new(),
        };
        let mut done = vec![false; lib.cells.len()];
        for inst in &netlist.instances {
            if std::mem::replace(&mut done[inst.cell], true) {
                continue;
            }
            let cell = &lib.cells[inst.cell];
            let arcs = resolve_cell(cell, &mut model.warnings);
            model.sequential[inst.cell] =
                cell.is_sequential() || arcs.iter().any(|a| a.role == ArcRole::ClockToQ);
            model.cell_arcs[inst.cell] = arcs;
        }
        model
    }

    /// The arcs of library cell `cell`.
    pub fn arcs(&self, cell: usize) -> &[CellArc] {
        &self.cell_arcs[cell]
    }
}

/// Resolve one cell's `timing` groups; unresolvable ones are reported in
/// `warnings` and skipped.
pub fn resolve_cell(cell: &Cell, warnings: &mut Vec<String>) -> Vec<CellArc> {
    let mut arcs = Vec::new();
    for (to, pin) in cell.pins.iter().enumerate() {
        for (k, arc) in pin.timing.iter().enumerate() {
            let (role, clock_edge) = role_of(&arc.timing_type);
            for related in &arc.related_pins {
                let Some(from) = cell.pin_id(related) else {
                    warnings.push(format!(
                        "cell {} pin {}: related_pin {related} is not a pin of the cell; arc ignored",
                        cell.name, pin.name
                    ));
                    continue;
                };
                let makes = match role {
                    ArcRole::Setup | ArcRole::Hold => {
                        [arc.rise_constraint.is_some(), arc.fall_constraint.is_some()]
                    }
                    _ => {
                        let (rise_ok, fall_ok) = match arc.timing_type {
                            TimingType::CombinationalRise => (true, false),
                            TimingType::CombinationalFall => (false, true),
                            _ => (true, true),
                        };
                        [
                            rise_ok && arc.cell_rise.is_some(),
                            fall_ok && arc.cell_fall.is_some(),
                        ]
                    }
                };
                arcs.push(CellArc {
                    from: from as u16,
                    to: to as u16,
                    lib_arc: k as u16,
                    role,
                    sense: arc.timing_sense,
                    clock_edge,
                    makes,
                    conditional: arc.when.is_some(),
                });
            }
        }
    }
    arcs
}

fn role_of(t: &TimingType) -> (ArcRole, Edge) {
    match t {
        TimingType::Combinational
        | TimingType::CombinationalRise
        | TimingType::CombinationalFall
        | TimingType::Preset
        | TimingType::Clear => (ArcRole::Combinational, Edge::Rise),
        TimingType::RisingEdge => (ArcRole::ClockToQ, Edge::Rise),
        TimingType::FallingEdge => (ArcRole::ClockToQ, Edge::Fall),
        TimingType::SetupRising => (ArcRole::Setup, Edge::Rise),
        TimingType::SetupFalling => (ArcRole::Setup, Edge::Fall),
        TimingType::HoldRising => (ArcRole::Hold, Edge::Rise),
        TimingType::HoldFalling => (ArcRole::Hold, Edge::Fall),
        TimingType::ThreeStateEnable | TimingType::ThreeStateDisable | TimingType::Other(_) => {
            (ArcRole::Ignored, Edge::Rise)
        }
    }
}
