//! Arrival and slew propagation: max and min arrival per net and edge.
//!
//! With lumped loads and no wire delay every pin of a net shares its driver's
//! arrival and slew, so all per-pin quantities live in flat arrays indexed by
//! [`NetId`] and edge. Slews follow OpenSTA's rule: a net's max (min) slew is
//! the max (min) over every arc driving that edge, whichever arc sets the
//! arrival. Ideal clock networks carry the clock edge times and the clock
//! transition; cells inside them add no delay.

use liberty::{Library, TimingSense};
use netlist::{Driver, InstId, NetId, Netlist};

use crate::arcs::{ArcRole, TimingModel};
use crate::constraints::Constraints;
use crate::dcalc::{self, gate_stage};
use crate::{ArcDelay, ArcDelays, Edge};

/// How the max arrival of a net edge was reached (for path tracing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pred {
    /// No arrival (the net never switches, or is unconstrained).
    None,
    /// Input port bit (index into [`Constraints::inputs`]).
    Input(u32),
    /// An ideal clock net of clock `.0`.
    Clock(u32),
    /// Clock-to-output arc `arc` (index into the cell's arcs) of a register.
    ClockToQ {
        /// The register.
        inst: InstId,
        /// Index into [`TimingModel::arcs`] of its cell.
        arc: u16,
    },
    /// Combinational arc `arc` of `inst`, from input edge `from`.
    Arc {
        /// The instance.
        inst: InstId,
        /// Index into [`TimingModel::arcs`] of its cell.
        arc: u16,
        /// Edge at the arc's input pin.
        from: Edge,
    },
}

/// A net in an ideal clock network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockNet {
    /// Index into [`Constraints::clocks`].
    pub clock: usize,
    /// True when an odd number of inverting cells lie between source and net.
    pub inverted: bool,
}

/// The clock edge that triggers a register.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegClock {
    /// Index into [`Constraints::clocks`]; `None` in an analysis without
    /// clocks, where every register is taken to trigger at 0.
    pub clock: Option<usize>,
    /// True when the clock reaches the register inverted.
    pub inverted: bool,
    /// Launch time (the triggering edge), ns.
    pub launch_ns: f64,
    /// Ideal clock slew at the clock pin, per clock-pin edge, ns.
    pub slew_ns: [f64; 2],
}

impl RegClock {
    /// The source-clock edge seen as `pin_edge` at the register's clock pin.
    pub fn source_edge(&self, pin_edge: Edge) -> Edge {
        if self.inverted {
            pin_edge.opposite()
        } else {
            pin_edge
        }
    }
}

/// Result of propagation.
#[derive(Debug, Clone)]
pub struct Timing {
    /// Resolved cell arcs.
    pub model: TimingModel,
    /// Latest arrival per net and edge, ns (−∞: never switches).
    pub arrival_max_ns: Vec<[f64; 2]>,
    /// Earliest arrival per net and edge, ns (+∞: never switches).
    pub arrival_min_ns: Vec<[f64; 2]>,
    /// Max slew per net and edge, ns.
    pub slew_max_ns: Vec<[f64; 2]>,
    /// Min slew per net and edge, ns.
    pub slew_min_ns: Vec<[f64; 2]>,
    /// Lumped load per net and driver edge, pF.
    pub load_pf: Vec<[f64; 2]>,
    /// Loads (pins and output port bits) per net.
    pub fanout: Vec<u32>,
    /// Predecessor of each max arrival.
    pub pred: Vec<[Pred; 2]>,
    /// Ideal clock network membership per net.
    pub clock_net: Vec<Option<ClockNet>>,
    /// Launching clock per instance (`None` for combinational or unclocked ones).
    pub reg_clock: Vec<Option<RegClock>>,
    /// The library's `slew_derate_from_library`.
    pub derate: f64,
    /// Things the analysis skipped (unclocked registers, unconstrained inputs).
    pub warnings: Vec<String>,
}

impl Timing {
    /// Max arrival of a net edge, `None` when it never switches.
    pub fn arrival(&self, net: NetId, edge: Edge) -> Option<f64> {
        Some(self.arrival_max_ns[net.0 as usize][edge.index()]).filter(|a| a.is_finite())
    }

    /// Max arrival of a net over both edges.
    pub fn worst_arrival(&self, net: NetId) -> Option<f64> {
        let [r, f] = self.arrival_max_ns[net.0 as usize];
        Some(r.max(f)).filter(|a| a.is_finite())
    }

    /// Delays of every combinational and clock-to-output arc (see
    /// [`crate::arc_delays`]).
    pub fn arc_delays(&self, netlist: &Netlist, lib: &Library) -> ArcDelays {
        let mut out = ArcDelays {
            arcs: Vec::new(),
            inst_start: Vec::with_capacity(netlist.instances.len() + 1),
        };
        for (i, inst) in netlist.instances.iter().enumerate() {
            out.inst_start.push(out.arcs.len() as u32);
            let cell = &lib.cells[inst.cell];
            for arc in self.model.arcs(inst.cell) {
                if !matches!(arc.role, ArcRole::Combinational | ArcRole::ClockToQ) {
                    continue;
                }
                let from_net = inst.pins[arc.from as usize];
                let to_net = inst.pins[arc.to as usize];
                let mut d = ArcDelay {
                    inst: InstId(i as u32),
                    from_pin: arc.from,
                    to_pin: arc.to,
                    lib_arc: arc.lib_arc,
                    rise_ns: f64::NAN,
                    fall_ns: f64::NAN,
                    rise_slew_ns: f64::NAN,
                    fall_slew_ns: f64::NAN,
                };
                for out_edge in Edge::BOTH {
                    if !arc.makes[out_edge.index()] {
                        continue;
                    }
                    let load = to_net.map_or(0.0, |n| self.load_pf[n.0 as usize][out_edge.index()]);
                    let mut worst: Option<dcalc::Stage> = None;
                    for &in_edge in arc.from_edges(out_edge) {
                        let slew = match (arc.role, self.reg_clock[i]) {
                            (ArcRole::ClockToQ, Some(rc)) => rc.slew_ns[in_edge.index()],
                            (ArcRole::ClockToQ, None) => 0.0,
                            _ => from_net
                                .map_or(0.0, |n| self.slew_max_ns[n.0 as usize][in_edge.index()]),
                        };
                        if let Some(s) =
                            gate_stage(arc.lib(cell), out_edge, slew, load, self.derate)
                        {
                            worst = Some(match worst {
                                Some(w) if w.delay_ns >= s.delay_ns => w,
                                _ => s,
                            });
                        }
                    }
                    if let Some(w) = worst {
                        match out_edge {
                            Edge::Rise => (d.rise_ns, d.rise_slew_ns) = (w.delay_ns, w.slew_ns),
                            Edge::Fall => (d.fall_ns, d.fall_slew_ns) = (w.delay_ns, w.slew_ns),
                        }
                    }
                }
                out.arcs.push(d);
            }
        }
        out.inst_start.push(out.arcs.len() as u32);
        out
    }
}

/// Resolve the arcs and propagate arrivals and slews.
pub fn analyze(netlist: &Netlist, lib: &Library, constraints: &Constraints) -> Timing {
    let model = TimingModel::new(lib, netlist);
    propagate(netlist, lib, &model, constraints)
}

/// Propagate arrivals and slews through `netlist` under `constraints`.
pub fn propagate(
    netlist: &Netlist,
    lib: &Library,
    model: &TimingModel,
    constraints: &Constraints,
) -> Timing {
    let n = netlist.nets.len();
    let derate = if lib.thresholds.slew_derate > 0.0 {
        lib.thresholds.slew_derate
    } else {
        1.0
    };
    let mut t = Timing {
        model: model.clone(),
        arrival_max_ns: vec![[f64::NEG_INFINITY; 2]; n],
        arrival_min_ns: vec![[f64::INFINITY; 2]; n],
        slew_max_ns: vec![[0.0; 2]; n],
        slew_min_ns: vec![[f64::INFINITY; 2]; n],
        load_pf: dcalc::net_loads_pf(netlist, lib, constraints),
        fanout: dcalc::net_fanouts(netlist, constraints),
        pred: vec![[Pred::None; 2]; n],
        clock_net: vec![None; n],
        reg_clock: vec![None; netlist.instances.len()],
        derate,
        warnings: model.warnings.clone(),
    };
    for (k, net) in netlist.nets.iter().enumerate() {
        if matches!(net.driver, Driver::Const(_)) {
            t.slew_min_ns[k] = [0.0; 2];
        }
    }
    seed_inputs(&mut t, constraints);
    mark_clock_network(&mut t, netlist, constraints);
    launch_registers(&mut t, netlist, lib, constraints);
    for &id in &netlist.topo_order {
        let inst = &netlist.instances[id.0 as usize];
        if !model.sequential[inst.cell] {
            propagate_instance(&mut t, lib, id, inst);
        }
    }
    // Nets no arc reached (undriven outputs of unusual cells) read as ideal.
    for s in &mut t.slew_min_ns {
        for v in s.iter_mut() {
            if !v.is_finite() {
                *v = 0.0;
            }
        }
    }
    t
}

fn seed_inputs(t: &mut Timing, constraints: &Constraints) {
    let mut unconstrained = Vec::new();
    for (i, bit) in constraints.inputs.iter().enumerate() {
        let k = bit.net.0 as usize;
        t.slew_max_ns[k] = bit.slew_max_ns;
        t.slew_min_ns[k] = bit.slew_min_ns;
        if constraints.clock_of_source(bit.net).is_some() {
            continue;
        }
        let launch = match &bit.delay {
            Some(d) => {
                let edge = if d.clock_fall { Edge::Fall } else { Edge::Rise };
                let base = d.clock.map_or(0.0, |c| constraints.clocks[c].edge_ns(edge));
                Some((
                    [base + d.max_ns[0], base + d.max_ns[1]],
                    [base + d.min_ns[0], base + d.min_ns[1]],
                ))
            }
            None if constraints.clocks.is_empty() => Some(([0.0; 2], [0.0; 2])),
            None => {
                unconstrained.push(bit.name.clone());
                None
            }
        };
        if let Some((max, min)) = launch {
            t.arrival_max_ns[k] = max;
            t.arrival_min_ns[k] = min;
            t.pred[k] = [Pred::Input(i as u32); 2];
        }
    }
    if !unconstrained.is_empty() {
        t.warnings.push(format!(
            "{} input bit(s) have no set_input_delay and start no path: {}",
            unconstrained.len(),
            abbreviate(&unconstrained)
        ));
    }
}

/// Mark the nets of each ideal clock network and give them the clock's edge
/// times and transition.
fn mark_clock_network(t: &mut Timing, netlist: &Netlist, constraints: &Constraints) {
    if constraints.clocks.is_empty() {
        return;
    }
    for (c, clock) in constraints.clocks.iter().enumerate() {
        for &net in &clock.sources {
            t.clock_net[net.0 as usize] = Some(ClockNet {
                clock: c,
                inverted: false,
            });
        }
    }
    for &id in &netlist.topo_order {
        let inst = &netlist.instances[id.0 as usize];
        if t.model.sequential[inst.cell] {
            continue;
        }
        for arc in t.model.arcs(inst.cell) {
            if arc.role != ArcRole::Combinational {
                continue;
            }
            let (Some(from), Some(to)) = (inst.pins[arc.from as usize], inst.pins[arc.to as usize])
            else {
                continue;
            };
            if let Some(cn) = t.clock_net[from.0 as usize] {
                let inverted = cn.inverted ^ (arc.sense == TimingSense::NegativeUnate);
                t.clock_net[to.0 as usize].get_or_insert(ClockNet {
                    clock: cn.clock,
                    inverted,
                });
            }
        }
    }
    for (k, cn) in t.clock_net.iter().enumerate() {
        let Some(cn) = cn else { continue };
        let clock = &constraints.clocks[cn.clock];
        for e in Edge::BOTH {
            let source = if cn.inverted { e.opposite() } else { e };
            t.arrival_max_ns[k][e.index()] = clock.edge_ns(source);
            t.arrival_min_ns[k][e.index()] = clock.edge_ns(source);
            t.slew_max_ns[k][e.index()] = clock.transition_ns[source.index()];
            t.slew_min_ns[k][e.index()] = clock.transition_ns[source.index()];
            t.pred[k][e.index()] = Pred::Clock(cn.clock as u32);
        }
    }
}

/// Seed the outputs of every register with clock-to-output arrivals.
fn launch_registers(t: &mut Timing, netlist: &Netlist, lib: &Library, constraints: &Constraints) {
    let mut unclocked = Vec::new();
    for (i, inst) in netlist.instances.iter().enumerate() {
        if !t.model.sequential[inst.cell] {
            continue;
        }
        let cell = &lib.cells[inst.cell];
        for (a, arc) in t.model.cell_arcs[inst.cell].iter().enumerate() {
            if arc.role != ArcRole::ClockToQ {
                continue;
            }
            let Some(clk_net) = inst.pins[arc.from as usize] else {
                continue;
            };
            let rc = match t.clock_net[clk_net.0 as usize] {
                Some(cn) => {
                    let clock = &constraints.clocks[cn.clock];
                    let source = if cn.inverted {
                        arc.clock_edge.opposite()
                    } else {
                        arc.clock_edge
                    };
                    let pin_slew = |e: Edge| {
                        clock.transition_ns[if cn.inverted { e.opposite() } else { e }.index()]
                    };
                    RegClock {
                        clock: Some(cn.clock),
                        inverted: cn.inverted,
                        launch_ns: clock.edge_ns(source),
                        slew_ns: [pin_slew(Edge::Rise), pin_slew(Edge::Fall)],
                    }
                }
                None if constraints.clocks.is_empty() => RegClock {
                    clock: None,
                    inverted: false,
                    launch_ns: 0.0,
                    slew_ns: [0.0; 2],
                },
                None => {
                    if !unclocked.contains(&inst.name) {
                        unclocked.push(inst.name.clone());
                    }
                    continue;
                }
            };
            t.reg_clock[i] = Some(rc);
            let Some(q) = inst.pins[arc.to as usize] else {
                continue;
            };
            let qk = q.0 as usize;
            if t.clock_net[qk].is_some() {
                continue;
            }
            let clock_slew = rc.slew_ns[arc.clock_edge.index()];
            for out in Edge::BOTH {
                if !arc.makes[out.index()] {
                    continue;
                }
                let load = t.load_pf[qk][out.index()];
                let Some(s) = gate_stage(arc.lib(cell), out, clock_slew, load, t.derate) else {
                    continue;
                };
                let e = out.index();
                t.slew_max_ns[qk][e] = t.slew_max_ns[qk][e].max(s.slew_ns);
                t.slew_min_ns[qk][e] = t.slew_min_ns[qk][e].min(s.slew_ns);
                let arrival = rc.launch_ns + s.delay_ns;
                if arrival > t.arrival_max_ns[qk][e] {
                    t.arrival_max_ns[qk][e] = arrival;
                    t.pred[qk][e] = Pred::ClockToQ {
                        inst: InstId(i as u32),
                        arc: a as u16,
                    };
                }
                t.arrival_min_ns[qk][e] = t.arrival_min_ns[qk][e].min(arrival);
            }
        }
    }
    if !unclocked.is_empty() {
        t.warnings.push(format!(
            "{} register(s) are not reached by any clock and launch no path: {}",
            unclocked.len(),
            abbreviate(&unclocked)
        ));
    }
}

fn propagate_instance(t: &mut Timing, lib: &Library, id: InstId, inst: &netlist::Instance) {
    let cell = &lib.cells[inst.cell];
    let derate = t.derate;
    for (a, arc) in t.model.cell_arcs[inst.cell].iter().enumerate() {
        if arc.role != ArcRole::Combinational {
            continue;
        }
        let (Some(from), Some(to)) = (inst.pins[arc.from as usize], inst.pins[arc.to as usize])
        else {
            continue;
        };
        let (fk, tk) = (from.0 as usize, to.0 as usize);
        if t.clock_net[tk].is_some() {
            continue; // ideal clock network: the clock's own times stand
        }
        let lib_arc = arc.lib(cell);
        for out in Edge::BOTH {
            if !arc.makes[out.index()] {
                continue;
            }
            let e = out.index();
            let load = t.load_pf[tk][e];
            for &inp in arc.from_edges(out) {
                let i = inp.index();
                if let Some(s) = gate_stage(lib_arc, out, t.slew_max_ns[fk][i], load, derate) {
                    t.slew_max_ns[tk][e] = t.slew_max_ns[tk][e].max(s.slew_ns);
                    let arrival = t.arrival_max_ns[fk][i] + s.delay_ns;
                    if arrival > t.arrival_max_ns[tk][e] {
                        t.arrival_max_ns[tk][e] = arrival;
                        t.pred[tk][e] = Pred::Arc {
                            inst: id,
                            arc: a as u16,
                            from: inp,
                        };
                    }
                }
                // A driver no arc reached (a tie cell) leaves its net ideal.
                let slew_min = Some(t.slew_min_ns[fk][i])
                    .filter(|s| s.is_finite())
                    .unwrap_or(0.0);
                if let Some(s) = gate_stage(lib_arc, out, slew_min, load, derate) {
                    t.slew_min_ns[tk][e] = t.slew_min_ns[tk][e].min(s.slew_ns);
                    t.arrival_min_ns[tk][e] =
                        t.arrival_min_ns[tk][e].min(t.arrival_min_ns[fk][i] + s.delay_ns);
                }
            }
        }
    }
}

/// The first few names of a list, for one-line messages.
pub(crate) fn abbreviate(names: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut s = names
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        s.push_str(&format!(", ... ({} more)", names.len() - SHOWN));
    }
    s
}
