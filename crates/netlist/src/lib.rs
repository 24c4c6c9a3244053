//! The bound netlist: a flat design whose instances point at Liberty cells.
//!
//! [`Netlist::elaborate`] flattens a [`verilog::Source`] from its top module,
//! binds every instance and pin to the [`liberty::Library`], resolves assigns
//! as net aliases and constants as tied nets, and checks the result (unknown
//! cells and pins, undriven and multiply-driven nets, combinational loops).
//! Every such error and warning is located `file:line:column`: at the
//! instance's cell name, the pin name of the connection at fault, the
//! declared name or `assign` (see [`Error::At`]).
//!
//! The design is kept as flat arrays indexed by dense ids ([`NetId`],
//! [`InstId`]): each net lists its driver and load pins, each instance its
//! pins' nets, so the timing and simulation hot loops walk connectivity in
//! both directions without hashing. Levelization and the combinational-loop
//! report work on the same arrays while elaborating ([`Netlist::topo_order`],
//! [`Netlist::level`]); no separate graph is kept.
//!
//! Port bits are named like `p_out[3]`; flattened instance names join the
//! hierarchy with `/`.
//!
//! # Example
//! ```
//! use netlist::{logic::LogicEvaluator, Netlist};
//!
//! // The shipped 2-bit MAC: p_out = p_in + w × a (w, p signed; a unsigned).
//! let lib = liberty::read_library("../../liberty/sg13g2_stdcell_typ_1p20V_25C.lib")?;
//! let nl = Netlist::read("../../netlists/mac2u_sg13g2.v", &lib, None)?;
//! let inputs: Vec<&str> = nl.inputs.iter().map(|p| p.name.as_str()).collect();
//! assert_eq!(inputs, ["w", "a", "p_in"]);
//!
//! // Every input vector, evaluated zero-delay from the cells' functions.
//! let vectors: Vec<Vec<u64>> = (0..4u64)
//!     .flat_map(|w| (0..4u64).flat_map(move |a| (0..64u64).map(move |p| vec![w, a, p])))
//!     .collect();
//! let outputs = LogicEvaluator::new(&nl, &lib)?.eval_vectors(&vectors);
//! for (v, out) in vectors.iter().zip(&outputs) {
//!     let w = if v[0] >= 2 { v[0] as i64 - 4 } else { v[0] as i64 };
//!     assert_eq!(out[0] as i64, (v[2] as i64 + w * v[1] as i64).rem_euclid(64));
//! }
//!
//! // Binding errors point at the token at fault: here the cell name.
//! let text = "module top (a, y);\n  input a;\n  output y;\n  sg13g2_inv_9 u1 (.A(a), .Y(y));\nendmodule\n";
//! let src = verilog::parse_source(text, "top.v")?;
//! let err = Netlist::elaborate(&src, &lib, None).unwrap_err();
//! assert!(err.to_string().starts_with("top.v:4:3: "), "{err}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod elaborate;
mod error;
pub mod logic;

pub use error::{Error, Result};

use liberty::Library;

/// Dense net id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NetId(pub u32);

/// Dense instance id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InstId(pub u32);

/// A pin of an instance: the instance and the pin's index in its Liberty cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PinRef {
    /// The instance.
    pub inst: InstId,
    /// Index into the cell's `Cell::pins`.
    pub pin: u16,
}

/// What drives a net.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Driver {
    /// Bit `bit` (LSB = 0) of top input port `port` (index into [`Netlist::inputs`]).
    Input {
        /// Index into [`Netlist::inputs`].
        port: u32,
        /// Bit of the port, LSB = 0.
        bit: u32,
    },
    /// An output pin of an instance.
    Pin(PinRef),
    /// Tied to a constant.
    Const(bool),
}

/// A net after alias resolution.
#[derive(Debug, Clone)]
pub struct Net {
    /// A representative name (a port bit's name when the net is one).
    pub name: String,
    /// Its single driver (a dangling net without one reads as `Const(false)`).
    pub driver: Driver,
    /// Input pins it drives.
    pub loads: Vec<PinRef>,
    /// True when it is (an alias of) a top output port bit.
    pub is_output: bool,
}

/// A bound cell instance.
#[derive(Debug, Clone)]
pub struct Instance {
    /// Flattened name (`u_mac/_123_`).
    pub name: String,
    /// Index into `Library::cells`.
    pub cell: usize,
    /// Net on each Liberty pin of the cell (indexed like `Cell::pins`);
    /// `None` for an unconnected pin.
    pub pins: Vec<Option<NetId>>,
}

/// A top-level port (bus or scalar).
#[derive(Debug, Clone)]
pub struct Port {
    /// Port name as declared.
    pub name: String,
    /// `[msb:lsb]` as declared; `None` for a scalar port.
    pub range: Option<(i64, i64)>,
    /// One net per bit, least significant first.
    pub bits: Vec<NetId>,
}

impl Port {
    /// Number of bits.
    pub fn width(&self) -> usize {
        self.bits.len()
    }

    /// Name of bit `k` (LSB = 0), as OpenSTA prints it: `p_out[3]`, or the
    /// bare name of a scalar port.
    pub fn bit_name(&self, k: usize) -> String {
        match self.range {
            None => self.name.clone(),
            Some((msb, lsb)) => {
                let index = if msb >= lsb {
                    lsb + k as i64
                } else {
                    lsb - k as i64
                };
                format!("{}[{}]", self.name, index)
            }
        }
    }
}

/// The elaborated design.
#[derive(Debug, Clone)]
pub struct Netlist {
    /// Top module name.
    pub top: String,
    /// Nets, indexed by [`NetId`].
    pub nets: Vec<Net>,
    /// Leaf cell instances, indexed by [`InstId`].
    pub instances: Vec<Instance>,
    /// Top input ports in declaration order.
    pub inputs: Vec<Port>,
    /// Top output ports in declaration order.
    pub outputs: Vec<Port>,
    /// Combinational instances in topological order (sequential cells are
    /// cut: their outputs count as sources, their inputs as sinks; they are
    /// not listed here, see [`Netlist::sequential_instances`]).
    pub topo_order: Vec<InstId>,
    /// Logic level of each instance, indexed by [`InstId`]: 1 for one fed
    /// only by sources (input ports, constants, sequential outputs); 0 for
    /// sequential instances.
    pub level: Vec<u32>,
    /// Non-fatal findings, e.g. skipped tap/fill instances.
    pub warnings: Vec<String>,
}

impl Netlist {
    /// Elaborate `source` from `top` (default: the only module no other
    /// module instantiates) and bind it to `lib`.
    pub fn elaborate(
        source: &verilog::Source,
        lib: &Library,
        top: Option<&str>,
    ) -> Result<Netlist> {
        elaborate::elaborate(source, lib, top)
    }

    /// Read a Verilog file and elaborate it.
    pub fn read(
        path: impl AsRef<std::path::Path>,
        lib: &Library,
        top: Option<&str>,
    ) -> Result<Netlist> {
        let source = verilog::read_file(path)?;
        Netlist::elaborate(&source, lib, top)
    }

    /// The input port called `name`.
    pub fn input(&self, name: &str) -> Option<&Port> {
        self.inputs.iter().find(|p| p.name == name)
    }

    /// The output port called `name`.
    pub fn output(&self, name: &str) -> Option<&Port> {
        self.outputs.iter().find(|p| p.name == name)
    }

    /// Capacitive load on every net in pF: the sum of its fan-out pins'
    /// max(rise, fall) capacitances, plus `output_load_pf` for each output
    /// port bit it drives (OpenSTA's `set_load` on all outputs).
    pub fn net_loads_pf(&self, lib: &Library, output_load_pf: f64) -> Vec<f64> {
        self.nets
            .iter()
            .map(|net| {
                let pins: f64 = net
                    .loads
                    .iter()
                    .map(|p| {
                        let cell = &lib.cells[self.instances[p.inst.0 as usize].cell];
                        cell.pins[p.pin as usize].load_capacitance_pf()
                    })
                    .sum();
                pins + if net.is_output { output_load_pf } else { 0.0 }
            })
            .collect()
    }

    /// Maximum logic level (the logic depth).
    pub fn depth(&self) -> u32 {
        self.level.iter().copied().max().unwrap_or(0)
    }

    /// Sequential instances (flip-flops and latches): those absent from
    /// [`Netlist::topo_order`], in instance order.
    pub fn sequential_instances(&self) -> Vec<InstId> {
        let mut in_order = vec![false; self.instances.len()];
        for i in &self.topo_order {
            in_order[i.0 as usize] = true;
        }
        (0..self.instances.len() as u32)
            .map(InstId)
            .filter(|i| !in_order[i.0 as usize])
            .collect()
    }

    /// Number of instances of each cell, by cell name (sorted by name).
    pub fn cell_counts(&self, lib: &Library) -> std::collections::BTreeMap<String, usize> {
        let mut counts = std::collections::BTreeMap::new();
        for inst in &self.instances {
            *counts.entry(lib.cells[inst.cell].name.clone()).or_insert(0) += 1;
        }
        counts
    }

    /// Number of connected instance pins (OpenSTA's pin count without ports).
    pub fn pin_connections(&self) -> usize {
        self.instances
            .iter()
            .map(|i| i.pins.iter().filter(|p| p.is_some()).count())
            .sum()
    }

    /// Number of top port bits, inputs and outputs together.
    pub fn port_bits(&self) -> usize {
        self.inputs
            .iter()
            .chain(&self.outputs)
            .map(Port::width)
            .sum()
    }
}
