//! Timing constraints: clocks, port delays, input slews and output loads.
//!
//! Built from command-line [`Conditions`], optionally with one clock period,
//! or read from SDC by the `sdc` crate. Clocks are ideal: no network latency,
//! slew from `set_clock_transition` (default 0).

use liberty::Library;
use netlist::{Driver, NetId, Netlist};

use crate::{arcs::TimingModel, Conditions};

/// An ideal clock.
#[derive(Debug, Clone, PartialEq)]
pub struct Clock {
    /// Clock name (`vclk` for the virtual clock `--clock-period` makes when
    /// no port clocks a register).
    pub name: String,
    /// Period, ns.
    pub period_ns: f64,
    /// Time of the rising edge within the period, ns (waveform first value).
    pub rise_ns: f64,
    /// Time of the falling edge, ns (waveform second value).
    pub fall_ns: f64,
    /// Source nets (input port bits); empty for a virtual clock.
    pub sources: Vec<NetId>,
    /// `set_clock_uncertainty -setup`, ns.
    pub uncertainty_setup_ns: f64,
    /// `set_clock_uncertainty -hold`, ns.
    pub uncertainty_hold_ns: f64,
    /// Ideal clock slew per edge (`set_clock_transition`), ns.
    pub transition_ns: [f64; 2],
}

impl Clock {
    /// An ideal clock with the default waveform `{0, period/2}`.
    pub fn new(name: impl Into<String>, period_ns: f64) -> Clock {
        Clock {
            name: name.into(),
            period_ns,
            rise_ns: 0.0,
            fall_ns: period_ns / 2.0,
            sources: Vec::new(),
            uncertainty_setup_ns: 0.0,
            uncertainty_hold_ns: 0.0,
            transition_ns: [0.0; 2],
        }
    }

    /// Time of the first `edge` at or after 0 within the first period, ns.
    pub fn edge_ns(&self, edge: crate::Edge) -> f64 {
        match edge {
            crate::Edge::Rise => self.rise_ns,
            crate::Edge::Fall => self.fall_ns,
        }
    }

    /// The first `edge` strictly after `after_ns`: the capturing edge of a
    /// setup check whose data was launched at `after_ns`.
    pub fn next_edge_ns(&self, edge: crate::Edge, after_ns: f64) -> f64 {
        let base = self.edge_ns(edge);
        if self.period_ns <= 0.0 {
            return base;
        }
        let k = ((after_ns - base) / self.period_ns).floor() + 1.0;
        let t = base + k * self.period_ns;
        // Guard against rounding putting the edge at (not after) the launch.
        if t <= after_ns + 1e-12 {
            t + self.period_ns
        } else {
            t
        }
    }
}

/// `set_input_delay` / `set_output_delay` of one port bit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PortDelay {
    /// Index into [`Constraints::clocks`]; `None` for a delay without `-clock`.
    pub clock: Option<usize>,
    /// Relative to the clock's falling edge (`-clock_fall`).
    pub clock_fall: bool,
    /// Delay for max analysis per data edge (rise, fall), ns.
    pub max_ns: [f64; 2],
    /// Delay for min analysis per data edge, ns.
    pub min_ns: [f64; 2],
}

impl PortDelay {
    /// The same delay for every edge and analysis.
    pub fn uniform(clock: Option<usize>, delay_ns: f64) -> PortDelay {
        PortDelay {
            clock,
            clock_fall: false,
            max_ns: [delay_ns; 2],
            min_ns: [delay_ns; 2],
        }
    }
}

/// Constraints on one input port bit.
#[derive(Debug, Clone, PartialEq)]
pub struct InputBit {
    /// Bit name, like `p_in[3]`.
    pub name: String,
    /// The net the bit drives.
    pub net: NetId,
    /// External arrival, if constrained.
    pub delay: Option<PortDelay>,
    /// Slew per edge (rise, fall), max analysis, ns.
    pub slew_max_ns: [f64; 2],
    /// Slew per edge, min analysis, ns.
    pub slew_min_ns: [f64; 2],
}

/// Constraints on one output port bit.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputBit {
    /// Bit name, like `p_out[3]`.
    pub name: String,
    /// The net the bit reads.
    pub net: NetId,
    /// External required time, if constrained.
    pub delay: Option<PortDelay>,
    /// External load, pF.
    pub load_pf: f64,
}

/// Everything STA needs besides the netlist and the library.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Constraints {
    /// Clocks; none for a purely combinational, unconstrained analysis.
    pub clocks: Vec<Clock>,
    /// Input port bits, ports in declaration order, LSB first.
    pub inputs: Vec<InputBit>,
    /// Output port bits, ports in declaration order, LSB first.
    pub outputs: Vec<OutputBit>,
    /// Commands or settings that were ignored or adjusted, one line each.
    pub warnings: Vec<String>,
}

impl Constraints {
    /// No clocks: every input switches at 0 with `input_slew_ns`, every
    /// output carries `output_load_pf`.
    pub fn from_conditions(netlist: &Netlist, conditions: &Conditions) -> Constraints {
        let inputs = netlist
            .inputs
            .iter()
            .flat_map(|p| (0..p.width()).map(move |k| (p, k)))
            .map(|(p, k)| InputBit {
                name: p.bit_name(k),
                net: p.bits[k],
                delay: None,
                slew_max_ns: [conditions.input_slew_ns; 2],
                slew_min_ns: [conditions.input_slew_ns; 2],
            })
            .collect();
        let outputs = netlist
            .outputs
            .iter()
            .flat_map(|p| (0..p.width()).map(move |k| (p, k)))
            .map(|(p, k)| OutputBit {
                name: p.bit_name(k),
                net: p.bits[k],
                delay: None,
                load_pf: conditions.output_load_pf,
            })
            .collect();
        Constraints {
            clocks: Vec::new(),
            inputs,
            outputs,
            warnings: Vec::new(),
        }
    }

    /// One ideal clock of `period_ns` on every input port bit that reaches a
    /// register clock pin (or a virtual clock `vclk` when none does); the
    /// other inputs arrive at 0 and the outputs are required at the period
    /// (input and output delay 0), as in the reference STA runs.
    pub fn with_clock_period(
        netlist: &Netlist,
        lib: &Library,
        conditions: &Conditions,
        period_ns: f64,
    ) -> Constraints {
        let mut c = Constraints::from_conditions(netlist, conditions);
        let model = TimingModel::new(lib, netlist);
        let clock_nets = clock_port_nets(netlist, &model);
        if clock_nets.is_empty() {
            c.clocks.push(Clock::new("vclk", period_ns));
        }
        for net in clock_nets {
            let name = c
                .inputs
                .iter()
                .find(|b| b.net == net)
                .map_or("clk".into(), |b| b.name.clone());
            let mut clock = Clock::new(name, period_ns);
            clock.sources.push(net);
            c.clocks.push(clock);
        }
        for bit in &mut c.inputs {
            if !c.clocks.iter().any(|k| k.sources.contains(&bit.net)) {
                bit.delay = Some(PortDelay::uniform(Some(0), 0.0));
            }
        }
        for bit in &mut c.outputs {
            bit.delay = Some(PortDelay::uniform(Some(0), 0.0));
        }
        c
    }

    /// Give every clock period `period_ns`, scaling its waveform with it.
    pub fn set_clock_period(&mut self, period_ns: f64) {
        for clock in &mut self.clocks {
            let scale = period_ns / clock.period_ns;
            clock.rise_ns *= scale;
            clock.fall_ns *= scale;
            clock.period_ns = period_ns;
        }
    }

    /// The clock a net is a source of.
    pub fn clock_of_source(&self, net: NetId) -> Option<usize> {
        self.clocks.iter().position(|k| k.sources.contains(&net))
    }
}

/// Input port nets from which a register clock pin is reachable through
/// combinational cells (clock buffers, inverters, gates).
pub fn clock_port_nets(netlist: &Netlist, model: &TimingModel) -> Vec<NetId> {
    let mut seen = vec![false; netlist.nets.len()];
    let mut stack: Vec<NetId> = Vec::new();
    for inst in &netlist.instances {
        if !model.sequential[inst.cell] {
            continue;
        }
        for arc in model.arcs(inst.cell) {
            if arc.role == crate::ArcRole::ClockToQ {
                if let Some(net) = inst.pins[arc.from as usize] {
                    stack.push(net);
                }
            }
        }
    }
    let mut ports = Vec::new();
    while let Some(net) = stack.pop() {
        if std::mem::replace(&mut seen[net.0 as usize], true) {
            continue;
        }
        match netlist.nets[net.0 as usize].driver {
            Driver::Input { .. } => ports.push(net),
            Driver::Pin(p) => {
                let inst = &netlist.instances[p.inst.0 as usize];
                if model.sequential[inst.cell] {
                    continue; // a divided clock: not traced further
                }
                for arc in model.arcs(inst.cell) {
                    if arc.to == p.pin && arc.role == crate::ArcRole::Combinational {
                        if let Some(n) = inst.pins[arc.from as usize] {
                            stack.push(n);
                        }
                    }
                }
            }
            Driver::Const(_) => {}
        }
    }
    ports.sort();
    ports
}
