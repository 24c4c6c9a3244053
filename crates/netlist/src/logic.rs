//! Zero-delay, bit-parallel logic evaluation from the Liberty functions.
//!
//! [`LogicEvaluator::new`] compiles every instance's output `function`s
//! into one flat instruction list in topological order (see
//! `compile`); a pass then evaluates [`LANES`] input vectors at once, one
//! per bit of a `u64`, with no allocation or hashing.
//!
//! Values are *bit-sliced*: for each net the evaluator holds one `u64` whose
//! bit `j` is the net's value in vector (lane) `j`. Port-level helpers
//! convert between bit-sliced words and one integer per vector.
//!
//! Sequential cells hold a state per instance (default 0): their outputs
//! are computed from it before the combinational logic, which is enough to
//! settle the logic around them; [`LogicEvaluator::clock`] loads the next
//! state. Three-state outputs evaluate as their `function` (always enabled).

mod compile;

use liberty::{Library, SequentialKind};

use crate::{Driver, Error, InstId, NetId, Netlist, Result};
use compile::{exec, Emitter, Instr};

/// Vectors evaluated per pass (bits of a `u64`).
pub const LANES: usize = 64;

const NO_SLOT: u32 = u32::MAX;

/// A compiled netlist plus the current value of every net, 64 vectors wide.
#[derive(Debug, Clone)]
pub struct LogicEvaluator {
    /// Outputs of sequential cells from their state, then the
    /// combinational instances in topological order.
    program: Vec<Instr>,
    /// Next state of every sequential cell into its `next` slot.
    clock_program: Vec<Instr>,
    /// `(state, complement, next)` slots of each sequential cell.
    state_slots: Vec<[u32; 3]>,
    /// Index into `state_slots` per instance (`NO_SLOT` for combinational).
    state_of: Vec<u32>,
    /// Net slots of each input port bit, LSB first.
    input_slots: Vec<Vec<u32>>,
    /// Net slots of each output port bit, LSB first.
    output_slots: Vec<Vec<u32>>,
    /// Slots: nets, constant 0, constant 1, sequential state, temporaries.
    values: Vec<u64>,
}

impl LogicEvaluator {
    /// Compile `netlist` (bound to `lib`). Fails when an output pin that
    /// drives a net has no `function`, or a function reads a name that is
    /// neither a pin of its cell nor a state variable.
    pub fn new(netlist: &Netlist, lib: &Library) -> Result<Self> {
        let n_nets = netlist.nets.len() as u32;
        let (zero, one) = (n_nets, n_nets + 1);
        let seq = netlist.sequential_instances();
        let mut state_of = vec![NO_SLOT; netlist.instances.len()];
        let mut state_slots = Vec::with_capacity(seq.len());
        for (k, inst) in seq.iter().enumerate() {
            state_of[inst.0 as usize] = k as u32;
            let base = one + 1 + 3 * k as u32;
            state_slots.push([base, base + 1, base + 2]);
        }
        let temp_base = one + 1 + 3 * seq.len() as u32;

        let mut program = Vec::new();
        let mut clock_program = Vec::new();
        let mut max_temps = 0;
        {
            let mut em = Emitter::new(&mut program, zero, one, temp_base);
            for &inst in seq.iter().chain(&netlist.topo_order) {
                compile_outputs(netlist, lib, inst, &state_of, &state_slots, &mut em)?;
            }
            max_temps = max_temps.max(em.max_temps);
        }
        {
            let mut em = Emitter::new(&mut clock_program, zero, one, temp_base);
            for &inst in &seq {
                compile_next_state(netlist, lib, inst, &state_of, &state_slots, &mut em)?;
            }
            max_temps = max_temps.max(em.max_temps);
        }

        let mut values = vec![0u64; (temp_base + max_temps) as usize];
        values[one as usize] = !0;
        for (n, net) in netlist.nets.iter().enumerate() {
            if let Driver::Const(true) = net.driver {
                values[n] = !0;
            }
        }
        for s in &state_slots {
            values[s[1] as usize] = !0; // complement of the initial state 0
        }
        let slots = |ports: &[crate::Port]| -> Vec<Vec<u32>> {
            ports
                .iter()
                .map(|p| p.bits.iter().map(|b| b.0).collect())
                .collect()
        };
        Ok(LogicEvaluator {
            program,
            clock_program,
            state_slots,
            state_of,
            input_slots: slots(&netlist.inputs),
            output_slots: slots(&netlist.outputs),
            values,
        })
    }

    /// Number of instructions per pass (a cost measure).
    pub fn program_len(&self) -> usize {
        self.program.len()
    }

    /// Set input port `port` (index into [`Netlist::inputs`]) bit-sliced:
    /// `lanes[k]` holds bit `k` (LSB = 0) of all 64 vectors.
    ///
    /// # Panics
    /// If `port` is out of range or `lanes` is not as long as the port is wide.
    pub fn set_input_lanes(&mut self, port: usize, lanes: &[u64]) {
        let slots = &self.input_slots[port];
        assert_eq!(
            lanes.len(),
            slots.len(),
            "input port {port} has {} bits",
            slots.len()
        );
        for (&s, &w) in slots.iter().zip(lanes) {
            self.values[s as usize] = w;
        }
    }

    /// Set input port `port` to one integer per vector: vector `j` gets
    /// `values[j]` (at most 64 values; missing vectors get 0). Bits above
    /// the port width are ignored, so two's-complement values of any sign
    /// can be passed as `as u64`.
    ///
    /// # Panics
    /// If `port` is out of range or more than 64 values are given.
    pub fn set_input_values(&mut self, port: usize, values: &[u64]) {
        assert!(values.len() <= LANES, "at most {LANES} vectors per pass");
        for (k, &s) in self.input_slots[port].iter().enumerate() {
            self.values[s as usize] = transpose_bit(values, k);
        }
    }

    /// Evaluate the combinational logic for the current inputs and state.
    pub fn run(&mut self) {
        exec(&self.program, &mut self.values);
    }

    /// Bit `k` (LSB = 0) of output port `port` over the 64 vectors.
    pub fn output_lanes(&self, port: usize, k: usize) -> u64 {
        self.values[self.output_slots[port][k] as usize]
    }

    /// Output port `port` as one integer per vector (bits above 64 dropped).
    pub fn output_values(&self, port: usize) -> [u64; LANES] {
        let mut out = [0u64; LANES];
        for (k, &s) in self.output_slots[port].iter().enumerate().take(64) {
            let w = self.values[s as usize];
            for (j, o) in out.iter_mut().enumerate() {
                *o |= (w >> j & 1) << k;
            }
        }
        out
    }

    /// The value of a net over the 64 vectors.
    pub fn net_lanes(&self, net: NetId) -> u64 {
        self.values[net.0 as usize]
    }

    /// The state of a sequential instance over the 64 vectors (`None` for a
    /// combinational one).
    pub fn state(&self, inst: InstId) -> Option<u64> {
        let k = *self.state_of.get(inst.0 as usize)?;
        (k != NO_SLOT).then(|| self.values[self.state_slots[k as usize][0] as usize])
    }

    /// Set the state of a sequential instance; returns false (and changes
    /// nothing) for a combinational one. Call [`run`](Self::run) afterwards.
    pub fn set_state(&mut self, inst: InstId, lanes: u64) -> bool {
        match self.state_of.get(inst.0 as usize) {
            Some(&k) if k != NO_SLOT => {
                let [s, c, _] = self.state_slots[k as usize];
                self.values[s as usize] = lanes;
                self.values[c as usize] = !lanes;
                true
            }
            _ => false,
        }
    }

    /// One active clock edge at every flip-flop (each loads its
    /// `next_state`; clear wins over preset) and one transparent phase at
    /// every latch (it loads `data_in` where enabled), from the current net
    /// values. Call [`run`](Self::run) afterwards to settle the logic.
    pub fn clock(&mut self) {
        exec(&self.clock_program, &mut self.values);
        for &[s, c, n] in &self.state_slots {
            let next = self.values[n as usize];
            self.values[s as usize] = next;
            self.values[c as usize] = !next;
        }
    }

    /// Evaluate many vectors: `vectors[i][p]` is input port `p`'s value in
    /// vector `i` (as in [`set_input_values`](Self::set_input_values)); the
    /// result's `[i][q]` is output port `q`'s value. Sequential state is the
    /// evaluator's current one; `self` is not modified.
    ///
    /// # Panics
    /// If a vector does not have one value per input port.
    pub fn eval_vectors(&self, vectors: &[Vec<u64>]) -> Vec<Vec<u64>> {
        let n_in = self.input_slots.len();
        let mut values = self.values.clone();
        let mut out = Vec::with_capacity(vectors.len());
        let mut column = [0u64; LANES];
        for chunk in vectors.chunks(LANES) {
            for v in chunk {
                assert_eq!(v.len(), n_in, "one value per input port ({n_in})");
            }
            for (p, slots) in self.input_slots.iter().enumerate() {
                for (j, v) in chunk.iter().enumerate() {
                    column[j] = v[p];
                }
                for (k, &s) in slots.iter().enumerate() {
                    values[s as usize] = transpose_bit(&column[..chunk.len()], k);
                }
            }
            exec(&self.program, &mut values);
            for j in 0..chunk.len() {
                let row = self
                    .output_slots
                    .iter()
                    .map(|slots| {
                        slots
                            .iter()
                            .enumerate()
                            .take(64)
                            .fold(0u64, |acc, (k, &s)| {
                                acc | (values[s as usize] >> j & 1) << k
                            })
                    })
                    .collect();
                out.push(row);
            }
        }
        out
    }
}

/// Bit `k` of each value, gathered into lane positions (0 for `k >= 64`).
fn transpose_bit(values: &[u64], k: usize) -> u64 {
    if k >= 64 {
        return 0;
    }
    values
        .iter()
        .enumerate()
        .fold(0, |w, (j, &v)| w | (v >> k & 1) << j)
}

/// Emit `net = function` for every connected output pin of `inst`.
fn compile_outputs(
    netlist: &Netlist,
    lib: &Library,
    inst: InstId,
    state_of: &[u32],
    state_slots: &[[u32; 3]],
    em: &mut Emitter,
) -> Result<()> {
    let instance = &netlist.instances[inst.0 as usize];
    let cell = &lib.cells[instance.cell];
    for (p, pin) in cell.output_pins() {
        let Some(net) = instance.pins[p] else {
            continue;
        };
        if pin.direction != liberty::Direction::Output {
            continue; // inout pins are loads here
        }
        let Some(function) = &pin.function else {
            return Err(Error::Design(format!(
                "instance `{}`: output `{}` of cell `{}` has no function; cannot evaluate it",
                instance.name, pin.name, cell.name
            )));
        };
        let slot_of = var_slots(netlist, lib, inst, state_of, state_slots, &pin.name);
        em.assign(net.0, function, &slot_of)?;
    }
    Ok(())
}

/// Emit the next state of a sequential instance into its `next` slot.
fn compile_next_state(
    netlist: &Netlist,
    lib: &Library,
    inst: InstId,
    state_of: &[u32],
    state_slots: &[[u32; 3]],
    em: &mut Emitter,
) -> Result<()> {
    let instance = &netlist.instances[inst.0 as usize];
    let cell = &lib.cells[instance.cell];
    let seq = cell.sequential.as_ref().expect("sequential instance");
    let [state, _, next] = state_slots[state_of[inst.0 as usize] as usize];
    let pin_slot = var_slots(netlist, lib, inst, state_of, state_slots, "next_state");
    let zero = liberty::Expr::Const(false);
    let data = seq.data.as_ref().unwrap_or(&zero);
    // Expressions are combined from Expr trees so one emitter call does it.
    let mut value = match seq.kind {
        SequentialKind::FlipFlop => data.clone(),
        SequentialKind::Latch => {
            let enable = seq.clock.as_ref().unwrap_or(&zero);
            let keep = liberty::Expr::var(STATE_VAR);
            (data.clone() & enable.clone()) | (keep & !enable.clone())
        }
    };
    if let Some(preset) = &seq.preset {
        value = value | preset.clone();
    }
    if let Some(clear) = &seq.clear {
        value = value & !clear.clone();
    }
    let slot_of = |name: &str| {
        if name == STATE_VAR {
            Ok(state)
        } else {
            pin_slot(name)
        }
    };
    em.assign(next, &value, &slot_of)?;
    Ok(())
}

/// Placeholder variable for a latch's own state in its hold term; not a
/// legal Liberty identifier, so it cannot clash with a pin name.
const STATE_VAR: &str = "<state>";

/// Slot of each variable an instance's function reads: its pins' nets
/// (constant 0 when unconnected) and its state variables.
fn var_slots<'a>(
    netlist: &'a Netlist,
    lib: &'a Library,
    inst: InstId,
    state_of: &'a [u32],
    state_slots: &'a [[u32; 3]],
    what: &'a str,
) -> impl Fn(&str) -> Result<u32> + 'a {
    let instance = &netlist.instances[inst.0 as usize];
    let cell = &lib.cells[instance.cell];
    let zero = netlist.nets.len() as u32;
    move |name: &str| {
        if let Some(p) = cell.pin_id(name) {
            return Ok(instance.pins[p].map_or(zero, |n| n.0));
        }
        if let (Some(seq), Some(&k)) = (&cell.sequential, state_of.get(inst.0 as usize)) {
            if let Some(v) = seq.state_vars.iter().position(|s| s == name) {
                if k != NO_SLOT && v < 2 {
                    return Ok(state_slots[k as usize][v]);
                }
            }
        }
        Err(Error::Design(format!(
            "cell `{}` ({what} of instance `{}`): function reads `{name}`, which is neither a pin nor a state variable (pins: {})",
            cell.name,
            instance.name,
            cell.pins.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
        )))
    }
}
