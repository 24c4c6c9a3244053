//! Endpoints and setup checks: required time and slack.
//!
//! Endpoints are output port bits and register data pins that carry a setup
//! constraint. A check is made per endpoint and data edge from the max
//! arrival. The capturing clock edge is the first one after the launch of
//! the worst-arrival path feeding the endpoint (a single-clock view: with
//! several clocks the arrivals are merged, not tagged per clock).

use liberty::Library;
use netlist::{InstId, NetId, Netlist};

use crate::arcs::ArcRole;
use crate::constraints::Constraints;
use crate::dcalc::constraint_ns;
use crate::search::{Pred, Timing};
use crate::Edge;

/// Where a path ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// An output port bit (index into [`Constraints::outputs`]).
    Output(u32),
    /// A register's data pin (Liberty pin index).
    Register {
        /// The register.
        inst: InstId,
        /// The constrained pin.
        pin: u16,
    },
}

/// One setup check (or, unconstrained, one endpoint arrival).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Check {
    /// The endpoint.
    pub endpoint: Endpoint,
    /// Its net.
    pub net: NetId,
    /// Data edge at the endpoint.
    pub edge: Edge,
    /// Max arrival of that edge, ns.
    pub arrival_ns: f64,
    /// Capturing clock (index into [`Constraints::clocks`]).
    pub clock: Option<usize>,
    /// Which edge of the capturing clock captures.
    pub clock_edge: Edge,
    /// Time of the capturing edge, ns.
    pub capture_ns: Option<f64>,
    /// Library setup time (register) or output external delay (port), ns.
    pub setup_ns: f64,
    /// Setup clock uncertainty, ns.
    pub uncertainty_ns: f64,
    /// Required time, ns; `None` for an unconstrained endpoint.
    pub required_ns: Option<f64>,
    /// Required − arrival, ns.
    pub slack_ns: Option<f64>,
}

/// Launch time and clock of the path that sets the max arrival of `net`'s
/// `edge`, found by following the predecessors back to the startpoint.
pub fn launch_of(
    netlist: &Netlist,
    constraints: &Constraints,
    timing: &Timing,
    mut net: NetId,
    mut edge: Edge,
) -> Option<(usize, f64)> {
    loop {
        match timing.pred[net.0 as usize][edge.index()] {
            Pred::None => return None,
            Pred::Input(i) => {
                let d = constraints.inputs[i as usize].delay?;
                let clock = d.clock?;
                let e = if d.clock_fall { Edge::Fall } else { Edge::Rise };
                return Some((clock, constraints.clocks[clock].edge_ns(e)));
            }
            Pred::Clock(c) => {
                let clock = &constraints.clocks[c as usize];
                let cn = timing.clock_net[net.0 as usize]?;
                let e = if cn.inverted { edge.opposite() } else { edge };
                return Some((c as usize, clock.edge_ns(e)));
            }
            Pred::ClockToQ { inst, .. } => {
                let rc = timing.reg_clock[inst.0 as usize]?;
                return Some((rc.clock?, rc.launch_ns));
            }
            Pred::Arc { inst, arc, from } => {
                let i = &netlist.instances[inst.0 as usize];
                let a = timing.model.arcs(i.cell)[arc as usize];
                net = i.pins[a.from as usize]?;
                edge = from;
            }
        }
    }
}

/// Every endpoint check with an arrival.
pub fn setup_checks(
    netlist: &Netlist,
    lib: &Library,
    constraints: &Constraints,
    timing: &Timing,
) -> Vec<Check> {
    let mut checks = Vec::new();
    for (o, out) in constraints.outputs.iter().enumerate() {
        for edge in Edge::BOTH {
            let Some(arrival) = timing.arrival(out.net, edge) else {
                continue;
            };
            let mut check = unconstrained(Endpoint::Output(o as u32), out.net, edge, arrival);
            if let (Some(d), Some((_, launch))) = (
                out.delay,
                launch_of(netlist, constraints, timing, out.net, edge),
            ) {
                if let Some(c) = d.clock {
                    let clock = &constraints.clocks[c];
                    let clock_edge = if d.clock_fall { Edge::Fall } else { Edge::Rise };
                    let capture = clock.next_edge_ns(clock_edge, launch);
                    check.clock = Some(c);
                    check.clock_edge = clock_edge;
                    finish(
                        &mut check,
                        capture,
                        d.max_ns[edge.index()],
                        clock.uncertainty_setup_ns,
                    );
                }
            }
            checks.push(check);
        }
    }
    for (i, inst) in netlist.instances.iter().enumerate() {
        if !timing.model.sequential[inst.cell] {
            continue;
        }
        let cell = &lib.cells[inst.cell];
        let arcs = timing.model.arcs(inst.cell);
        let mut pins: Vec<u16> = arcs
            .iter()
            .filter(|a| a.role == ArcRole::Setup)
            .map(|a| a.to)
            .collect();
        pins.sort_unstable();
        pins.dedup();
        for pin in pins {
            let Some(net) = inst.pins[pin as usize] else {
                continue;
            };
            for edge in Edge::BOTH {
                let Some(arrival) = timing.arrival(net, edge) else {
                    continue;
                };
                let endpoint = Endpoint::Register {
                    inst: InstId(i as u32),
                    pin,
                };
                let mut check = unconstrained(endpoint, net, edge, arrival);
                let rc = timing.reg_clock[i];
                let launch = launch_of(netlist, constraints, timing, net, edge);
                let mut setup: Option<(f64, Edge)> = None;
                for arc in arcs
                    .iter()
                    .filter(|a| a.role == ArcRole::Setup && a.to == pin)
                {
                    if !arc.makes[edge.index()] {
                        continue;
                    }
                    let clock_slew = rc.map_or(0.0, |rc| rc.slew_ns[arc.clock_edge.index()]);
                    let data_slew = timing.slew_max_ns[net.0 as usize][edge.index()];
                    if let Some(s) =
                        constraint_ns(arc.lib(cell), edge, data_slew, clock_slew, timing.derate)
                    {
                        if !matches!(setup, Some((w, _)) if w >= s) {
                            setup = Some((s, arc.clock_edge));
                        }
                    }
                }
                if let (Some(rc), Some((_, launch)), Some((setup_ns, pin_edge))) =
                    (rc, launch, setup)
                {
                    if let Some(c) = rc.clock {
                        let clock = &constraints.clocks[c];
                        let clock_edge = rc.source_edge(pin_edge);
                        let capture = clock.next_edge_ns(clock_edge, launch);
                        check.clock = Some(c);
                        check.clock_edge = clock_edge;
                        finish(&mut check, capture, setup_ns, clock.uncertainty_setup_ns);
                    }
                } else if let Some((setup_ns, _)) = setup {
                    check.setup_ns = setup_ns;
                }
                checks.push(check);
            }
        }
    }
    checks
}

fn unconstrained(endpoint: Endpoint, net: NetId, edge: Edge, arrival_ns: f64) -> Check {
    Check {
        endpoint,
        net,
        edge,
        arrival_ns,
        clock: None,
        clock_edge: Edge::Rise,
        capture_ns: None,
        setup_ns: 0.0,
        uncertainty_ns: 0.0,
        required_ns: None,
        slack_ns: None,
    }
}

fn finish(check: &mut Check, capture_ns: f64, setup_ns: f64, uncertainty_ns: f64) {
    let required = capture_ns - uncertainty_ns - setup_ns;
    check.capture_ns = Some(capture_ns);
    check.setup_ns = setup_ns;
    check.uncertainty_ns = uncertainty_ns;
    check.required_ns = Some(required);
    check.slack_ns = Some(required - check.arrival_ns);
}

/// The worst check: least slack among constrained ones (ties go to the
/// later arrival), else the latest arrival.
pub fn worst(checks: &[Check]) -> Option<&Check> {
    let constrained = checks.iter().filter(|c| c.slack_ns.is_some());
    let least_slack = constrained.min_by(|a, b| {
        let (sa, sb) = (
            a.slack_ns.unwrap_or(f64::INFINITY),
            b.slack_ns.unwrap_or(f64::INFINITY),
        );
        sa.total_cmp(&sb)
            .then(b.arrival_ns.total_cmp(&a.arrival_ns))
    });
    least_slack.or_else(|| {
        checks
            .iter()
            .max_by(|a, b| a.arrival_ns.total_cmp(&b.arrival_ns))
    })
}
