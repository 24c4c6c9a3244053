//! The interpreted library: units, conditions, cells, pins, arcs and power.
//!
//! All figures are in the canonical units listed in the crate docs.

use std::collections::HashMap;

use crate::{ast::Group, expr::Expr, table::Table, Result};

/// Scale factors from the library's declared units to the canonical ones.
///
/// Multiply a raw number from the file by the factor to get canonical units.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Units {
    /// `time_unit` expressed in ns (e.g. "1ps" → 0.001).
    pub time_ns: f64,
    /// `capacitive_load_unit` expressed in pF (e.g. (1,ff) → 0.001).
    pub capacitance_pf: f64,
    /// `voltage_unit` expressed in V.
    pub voltage_v: f64,
    /// `current_unit` expressed in mA.
    pub current_ma: f64,
    /// `leakage_power_unit` expressed in nW.
    pub leakage_power_nw: f64,
    /// Energy unit of internal_power tables, in fJ:
    /// `capacitive_load_unit × voltage_unit²` (Liberty has no separate attribute).
    pub energy_fj: f64,
}

/// Measurement thresholds for slews and delays, in percent of the supply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// `input_threshold_pct_rise`: where a rising input is timed.
    pub input_pct_rise: f64,
    /// `input_threshold_pct_fall`: where a falling input is timed.
    pub input_pct_fall: f64,
    /// `output_threshold_pct_rise`: where a rising output is timed.
    pub output_pct_rise: f64,
    /// `output_threshold_pct_fall`: where a falling output is timed.
    pub output_pct_fall: f64,
    /// `slew_lower_threshold_pct_rise`: start of a rising slew.
    pub slew_lower_pct_rise: f64,
    /// `slew_lower_threshold_pct_fall`: end of a falling slew.
    pub slew_lower_pct_fall: f64,
    /// `slew_upper_threshold_pct_rise`: end of a rising slew.
    pub slew_upper_pct_rise: f64,
    /// `slew_upper_threshold_pct_fall`: start of a falling slew.
    pub slew_upper_pct_fall: f64,
    /// `slew_derate_from_library`: table slews are multiplied by this.
    pub slew_derate: f64,
}

/// One `operating_conditions` group.
#[derive(Debug, Clone, PartialEq)]
pub struct OperatingConditions {
    /// The group's name.
    pub name: String,
    /// `process` derating factor.
    pub process: f64,
    /// `temperature`, °C.
    pub temperature_c: f64,
    /// `voltage`, V.
    pub voltage_v: f64,
}

/// A whole cell library.
#[derive(Debug, Clone)]
pub struct Library {
    /// The `library (NAME)` name.
    pub name: String,
    /// Where it was read from (for messages).
    pub source: String,
    /// Factors from the file's units to the canonical ones (already applied).
    pub units: Units,
    /// `nom_voltage`, V (else the default operating conditions' voltage).
    pub nom_voltage_v: f64,
    /// `nom_temperature`, °C.
    pub nom_temperature_c: f64,
    /// `nom_process`.
    pub nom_process: f64,
    /// Every `operating_conditions` group, in file order.
    pub operating_conditions: Vec<OperatingConditions>,
    /// `default_operating_conditions`, if named.
    pub default_operating_conditions: Option<String>,
    /// `voltage_map (NAME, V)` entries in file order.
    pub voltage_map: Vec<(String, f64)>,
    /// Slew and delay measurement thresholds.
    pub thresholds: Thresholds,
    /// `default_input_pin_cap`, pF.
    pub default_input_pin_cap_pf: f64,
    /// `default_max_transition`, ns, if given.
    pub default_max_transition_ns: Option<f64>,
    /// Cells in file order.
    pub cells: Vec<Cell>,
    /// The full syntax tree as read (unknown groups and attributes included).
    pub ast: Group,
    /// Comments before the `library` group, verbatim (typically the
    /// copyright and license notice, which a rewritten file must keep).
    pub preamble: String,
    pub(crate) cell_index: HashMap<String, usize>,
}

impl Library {
    /// Build the model from Liberty source text; `source` names it in errors.
    pub fn from_text(text: &str, source: &str) -> Result<Library> {
        let ast = crate::parse::parse_group(text, source)?;
        crate::build::build(ast, source, Some(text))
    }

    /// Index of the cell called `name`.
    pub fn cell_id(&self, name: &str) -> Option<usize> {
        self.cell_index.get(name).copied()
    }

    /// The cell called `name`.
    pub fn cell(&self, name: &str) -> Option<&Cell> {
        self.cell_id(name).map(|i| &self.cells[i])
    }

    /// Supply voltage of a named rail from `voltage_map`, else the nominal voltage.
    pub fn rail_voltage_v(&self, rail: Option<&str>) -> f64 {
        rail.and_then(|r| self.voltage_map.iter().find(|(n, _)| n == r))
            .map(|(_, v)| *v)
            .unwrap_or(self.nom_voltage_v)
    }

    /// Up to `n` cell names closest to `name` (for "did you mean" messages).
    pub fn similar_cell_names(&self, name: &str, n: usize) -> Vec<&str> {
        crate::model::closest(name, self.cells.iter().map(|c| c.name.as_str()), n)
    }
}

/// Pin direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `input`.
    Input,
    /// `output`.
    Output,
    /// `inout` (listed among both inputs and outputs).
    Inout,
    /// `internal` (not a port).
    Internal,
}

/// `timing_sense` of an arc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimingSense {
    /// Output follows the input's direction.
    PositiveUnate,
    /// Output moves against the input.
    NegativeUnate,
    /// Either, or it depends on other inputs.
    NonUnate,
}

/// `timing_type` of an arc (the kinds STA distinguishes; others kept by name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimingType {
    /// `combinational` (the default).
    Combinational,
    /// `combinational_rise`: only the rising output edge.
    CombinationalRise,
    /// `combinational_fall`: only the falling output edge.
    CombinationalFall,
    /// `rising_edge`: clock-to-output on the rising clock edge.
    RisingEdge,
    /// `falling_edge`: clock-to-output on the falling clock edge.
    FallingEdge,
    /// `setup_rising`: setup check against a rising clock.
    SetupRising,
    /// `setup_falling`: setup check against a falling clock.
    SetupFalling,
    /// `hold_rising`: hold check against a rising clock.
    HoldRising,
    /// `hold_falling`: hold check against a falling clock.
    HoldFalling,
    /// `preset`: asynchronous preset to output.
    Preset,
    /// `clear`: asynchronous clear to output.
    Clear,
    /// `three_state_enable`: output leaves high impedance.
    ThreeStateEnable,
    /// `three_state_disable`: output goes to high impedance.
    ThreeStateDisable,
    /// Any other `timing_type`, by name.
    Other(String),
}

/// A `timing` group on an output (or constrained) pin.
#[derive(Debug, Clone, PartialEq)]
pub struct TimingArc {
    /// `related_pin` names (a list may name several pins sharing the tables).
    pub related_pins: Vec<String>,
    /// `timing_sense`, or derived from the pin's function when the file omits it.
    pub timing_sense: TimingSense,
    /// `timing_type` (combinational when absent).
    pub timing_type: TimingType,
    /// `when` condition, if the arc is state-dependent.
    pub when: Option<Expr>,
    /// `sdf_cond`, as written.
    pub sdf_cond: Option<String>,
    /// Delay tables (ns).
    pub cell_rise: Option<Table>,
    /// Falling-output delay table (ns).
    pub cell_fall: Option<Table>,
    /// Output slew tables (ns, before `slew_derate`).
    pub rise_transition: Option<Table>,
    /// Falling-output slew table (ns, before `slew_derate`).
    pub fall_transition: Option<Table>,
    /// Setup/hold constraint tables (ns).
    pub rise_constraint: Option<Table>,
    /// Constraint for a falling constrained pin (ns).
    pub fall_constraint: Option<Table>,
}

/// An `internal_power` group.
#[derive(Debug, Clone, PartialEq)]
pub struct InternalPower {
    /// `related_pin` names; empty for input-pin power without a related pin.
    pub related_pins: Vec<String>,
    /// `when` condition, if the energy is state-dependent.
    pub when: Option<Expr>,
    /// `related_pg_pin`: the supply rail the energy is drawn from.
    pub related_pg_pin: Option<String>,
    /// Energy tables (fJ per transition).
    pub rise_power: Option<Table>,
    /// Energy of a falling output (or input) transition (fJ).
    pub fall_power: Option<Table>,
    /// `power` table used for both edges.
    pub power: Option<Table>,
}

/// A pin (bus bits are expanded to pins named like `D[3]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Pin {
    /// Pin name (`D[3]` for bus bits).
    pub name: String,
    /// `direction`.
    pub direction: Direction,
    /// `capacitance`, pF.
    pub capacitance_pf: f64,
    /// `rise_capacitance`, pF.
    pub rise_capacitance_pf: Option<f64>,
    /// `fall_capacitance`, pF.
    pub fall_capacitance_pf: Option<f64>,
    /// `max_capacitance`, pF.
    pub max_capacitance_pf: Option<f64>,
    /// `max_transition`, ns.
    pub max_transition_ns: Option<f64>,
    /// Parsed `function`.
    pub function: Option<Expr>,
    /// `three_state` enable condition, if any.
    pub three_state: Option<Expr>,
    /// `clock : true`.
    pub is_clock: bool,
    /// Timing arcs ending at this pin.
    pub timing: Vec<TimingArc>,
    /// Internal power groups on this pin.
    pub internal_power: Vec<InternalPower>,
}

impl Pin {
    /// Capacitance seen by a driver, as OpenSTA sums it: max(rise, fall),
    /// falling back to `capacitance`.
    pub fn load_capacitance_pf(&self) -> f64 {
        match (self.rise_capacitance_pf, self.fall_capacitance_pf) {
            (Some(r), Some(f)) => r.max(f),
            (Some(r), None) => r.max(self.capacitance_pf),
            (None, Some(f)) => f.max(self.capacitance_pf),
            (None, None) => self.capacitance_pf,
        }
    }
}

/// Kind of storage element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SequentialKind {
    /// `ff` or `ff_bank`: edge-triggered.
    FlipFlop,
    /// `latch`: level-sensitive.
    Latch,
}

/// An `ff`, `ff_bank` or `latch` group: enough to treat the cell as a timing
/// start and end point.
#[derive(Debug, Clone, PartialEq)]
pub struct Sequential {
    /// Flip-flop or latch.
    pub kind: SequentialKind,
    /// The internal state variables, e.g. `IQ`, `IQN`.
    pub state_vars: Vec<String>,
    /// `clocked_on` (ff) or `enable` (latch).
    pub clock: Option<Expr>,
    /// `next_state` (ff) or `data_in` (latch).
    pub data: Option<Expr>,
    /// `clear` condition (asynchronous reset), if any.
    pub clear: Option<Expr>,
    /// `preset` condition (asynchronous set), if any.
    pub preset: Option<Expr>,
}

/// A state-dependent `leakage_power` group.
#[derive(Debug, Clone, PartialEq)]
pub struct StateLeakage {
    /// `when` condition; none for the state-independent figure.
    pub when: Option<Expr>,
    /// Leakage in this state, nW.
    pub power_nw: f64,
    /// `related_pg_pin`, when the library splits leakage by rail.
    pub related_pg_pin: Option<String>,
}

/// A cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Cell name.
    pub name: String,
    /// `area`, in the library's area unit (usually µm²).
    pub area: f64,
    /// `dont_use : true`.
    pub dont_use: bool,
    /// `cell_leakage_power`, nW.
    pub leakage_nw: Option<f64>,
    /// `leakage_power` groups with their `when` states.
    pub state_leakage: Vec<StateLeakage>,
    /// Signal pins (pg_pins are not listed), bus bits expanded.
    pub pins: Vec<Pin>,
    /// The `ff`/`ff_bank`/`latch` group, if the cell stores state.
    pub sequential: Option<Sequential>,
}

impl Cell {
    /// Index of the pin called `name`.
    pub fn pin_id(&self, name: &str) -> Option<usize> {
        self.pins.iter().position(|p| p.name == name)
    }

    /// The pin called `name`.
    pub fn pin(&self, name: &str) -> Option<&Pin> {
        self.pins.iter().find(|p| p.name == name)
    }

    /// Input (and inout) pins, in library order.
    pub fn input_pins(&self) -> impl Iterator<Item = (usize, &Pin)> {
        self.pins
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.direction, Direction::Input | Direction::Inout))
    }

    /// Output (and inout) pins, in library order.
    pub fn output_pins(&self) -> impl Iterator<Item = (usize, &Pin)> {
        self.pins
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.direction, Direction::Output | Direction::Inout))
    }

    /// True for flip-flops and latches.
    pub fn is_sequential(&self) -> bool {
        self.sequential.is_some()
    }

    /// Up to `n` pin names closest to `name`.
    pub fn similar_pin_names(&self, name: &str, n: usize) -> Vec<&str> {
        closest(name, self.pins.iter().map(|p| p.name.as_str()), n)
    }
}

/// The `n` candidates with the smallest edit distance to `name`.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let mut scored: Vec<(usize, &str)> = candidates.map(|c| (edit_distance(name, c), c)).collect();
    scored.sort();
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for j in 0..b.len() {
            let cur = row[j + 1];
            row[j + 1] = if ca == b[j] {
                prev
            } else {
                1 + prev.min(row[j]).min(cur)
            };
            prev = cur;
        }
    }
    row[b.len()]
}
