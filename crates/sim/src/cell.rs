//! Compiled cell functions: truth tables over the input pins, `when`
//! evaluation per input state, and state-dependent leakage.
//!
//! A cell's *state* is the word whose bit `k` is the value of its `k`-th
//! input pin (library order). Everything the hot loop needs per state is
//! tabulated here once per library cell.

use liberty::{Cell, Direction, Expr, Library};

/// Most input pins a simulated cell may have (tables grow as 2^inputs).
pub(crate) const MAX_INPUTS: usize = 8;

/// Words of a truth table over [`MAX_INPUTS`] inputs.
const TRUTH_WORDS: usize = (1 << MAX_INPUTS) / 64;

/// One library cell, compiled for simulation.
#[derive(Debug, Clone)]
pub(crate) struct CellKind {
    /// Index into `Library::cells`.
    pub lib_cell: usize,
    /// Liberty pin index of each input, in state-bit order.
    pub inputs: Vec<u16>,
    /// Liberty pin index of each output.
    pub outputs: Vec<u16>,
    /// Per output: bit `s` is the output value in state `s`.
    truth: Vec<[u64; TRUTH_WORDS]>,
    /// Leakage power in each state, nW.
    pub leakage_nw: Vec<f64>,
}

impl CellKind {
    /// Compile `lib.cells[lib_cell]`; the error says why it cannot be simulated.
    pub fn compile(lib: &Library, lib_cell: usize) -> Result<CellKind, String> {
        let cell = &lib.cells[lib_cell];
        if cell.is_sequential() {
            return Err(format!(
                "cell {} is sequential; the simulator handles combinational cells only",
                cell.name
            ));
        }
        let mut inputs = Vec::new();
        let mut outputs = Vec::new();
        for (i, pin) in cell.pins.iter().enumerate() {
            match pin.direction {
                Direction::Input => inputs.push(i as u16),
                Direction::Output => outputs.push(i as u16),
                Direction::Inout => {
                    return Err(format!(
                        "cell {} has inout pin {}, which the simulator does not handle",
                        cell.name, pin.name
                    ))
                }
                Direction::Internal => {}
            }
        }
        if inputs.len() > MAX_INPUTS {
            return Err(format!(
                "cell {} has {} inputs; the simulator handles at most {MAX_INPUTS}",
                cell.name,
                inputs.len()
            ));
        }
        let mut kind = CellKind {
            lib_cell,
            inputs,
            outputs,
            truth: Vec::new(),
            leakage_nw: Vec::new(),
        };
        for &o in &kind.outputs {
            let pin = &cell.pins[o as usize];
            let Some(function) = &pin.function else {
                return Err(format!(
                    "output pin {} of cell {} has no function",
                    pin.name, cell.name
                ));
            };
            if pin.three_state.is_some() {
                return Err(format!(
                    "output pin {} of cell {} is three-state, which the simulator does not handle",
                    pin.name, cell.name
                ));
            }
            for var in function.vars() {
                if kind.input_index(cell, var).is_none() {
                    return Err(format!(
                        "function of pin {} of cell {} reads `{var}`, which is not an input pin",
                        pin.name, cell.name
                    ));
                }
            }
            let mut table = [0u64; TRUTH_WORDS];
            for s in 0..kind.states() as u32 {
                if kind.holds(cell, function, s) {
                    table[(s >> 6) as usize] |= 1 << (s & 63);
                }
            }
            kind.truth.push(table);
        }
        kind.leakage_nw = (0..kind.states() as u32)
            .map(|s| kind.leakage_in_state(cell, s))
            .collect();
        Ok(kind)
    }

    /// Number of input states, 2^inputs.
    pub fn states(&self) -> usize {
        1 << self.inputs.len()
    }

    /// Value of output `o` (local index) in state `s`.
    pub fn eval(&self, o: usize, s: u32) -> bool {
        self.truth[o][(s >> 6) as usize] >> (s & 63) & 1 == 1
    }

    /// Words of output `o`'s truth table that hold its states (bit `s % 64`
    /// of word `s / 64` is the value in state `s`).
    pub fn truth_words(&self, o: usize) -> &[u64] {
        &self.truth[o][..self.states().div_ceil(64)]
    }

    /// Local index of the input pin called `name`.
    pub fn input_index(&self, cell: &Cell, name: &str) -> Option<usize> {
        self.inputs
            .iter()
            .position(|&p| cell.pins[p as usize].name == name)
    }

    /// Whether `expr` (a `when` or `function`) holds in state `s`. Input pins
    /// read their state bit; an output pin reads its function's value (some
    /// libraries write `when` conditions over outputs); anything else is false.
    pub fn holds(&self, cell: &Cell, expr: &Expr, s: u32) -> bool {
        expr.eval(&|name: &str| self.pin_value(cell, name, s, 0))
    }

    fn pin_value(&self, cell: &Cell, name: &str, s: u32, depth: u32) -> bool {
        if let Some(k) = self.input_index(cell, name) {
            return s >> k & 1 == 1;
        }
        // Depth guard: a function naming another output must not recurse forever.
        if depth < 4 {
            if let Some(f) = cell
                .pins
                .iter()
                .find(|p| p.name == name && p.direction == Direction::Output)
                .and_then(|p| p.function.as_ref())
            {
                return f.eval(&|n: &str| self.pin_value(cell, n, s, depth + 1));
            }
        }
        false
    }

    /// Liberty leakage semantics: the first `leakage_power` group whose `when`
    /// holds; else `cell_leakage_power`; else the sum of unconditional groups.
    fn leakage_in_state(&self, cell: &Cell, s: u32) -> f64 {
        for group in &cell.state_leakage {
            if let Some(when) = &group.when {
                if self.holds(cell, when, s) {
                    return group.power_nw;
                }
            }
        }
        if let Some(nw) = cell.leakage_nw {
            return nw;
        }
        cell.state_leakage
            .iter()
            .filter(|g| g.when.is_none())
            .map(|g| g.power_nw)
            .sum()
    }
}
