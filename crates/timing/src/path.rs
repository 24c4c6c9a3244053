//! Tracing a path back from an endpoint to its startpoint.

use liberty::Library;
use netlist::{InstId, Netlist};

use crate::check::Endpoint;
use crate::constraints::Constraints;
use crate::search::{Pred, Timing};
use crate::Edge;

/// Where a path starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartKind {
    /// An input port bit (index into [`Constraints::inputs`]).
    Input(u32),
    /// A register, launched by its clock.
    Register(InstId),
    /// An ideal clock net used as data (clock index).
    Clock(u32),
}

/// Role of a point on a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointKind {
    /// The startpoint (input port, or register clock pin).
    Start,
    /// An input pin of a cell on the path.
    Load,
    /// A driving (output) pin.
    Driver,
    /// The endpoint (output port or register data pin).
    End,
}

/// One pin on a path.
#[derive(Debug, Clone, PartialEq)]
pub struct PathPoint {
    /// `inst/pin`, or the port bit name.
    pub pin: String,
    /// Cell name, or `in`/`out` for ports.
    pub cell: String,
    /// Edge at the pin.
    pub edge: Edge,
    /// Delay added at this point, ns.
    pub incr_ns: f64,
    /// Arrival, ns.
    pub arrival_ns: f64,
    /// Slew at the pin (its net's max slew for this edge), ns.
    pub slew_ns: f64,
    /// Load on the net, pF (driving points only).
    pub load_pf: Option<f64>,
    /// Number of loads on the net (driving points only).
    pub fanout: Option<u32>,
    /// Role.
    pub kind: PointKind,
}

/// A traced path, startpoint first.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// Startpoint.
    pub start: StartKind,
    /// Points in order, including cell input pins.
    pub points: Vec<PathPoint>,
}

/// Trace the max-arrival path ending at `endpoint` with data `edge`; `None`
/// when that edge has no arrival.
pub fn trace(
    netlist: &Netlist,
    lib: &Library,
    constraints: &Constraints,
    timing: &Timing,
    endpoint: Endpoint,
    edge: Edge,
) -> Option<Path> {
    let end_net = match endpoint {
        Endpoint::Output(o) => constraints.outputs[o as usize].net,
        Endpoint::Register { inst, pin } => netlist.instances[inst.0 as usize].pins[pin as usize]?,
    };
    let at = |net: netlist::NetId, e: Edge| {
        let k = net.0 as usize;
        (
            timing.arrival_max_ns[k][e.index()],
            timing.slew_max_ns[k][e.index()],
        )
    };
    let (end_arrival, end_slew) = at(end_net, edge);
    if !end_arrival.is_finite() {
        return None;
    }
    let mut rev = vec![match endpoint {
        Endpoint::Output(o) => point(
            &constraints.outputs[o as usize].name,
            "out",
            edge,
            end_arrival,
            end_slew,
            PointKind::End,
        ),
        Endpoint::Register { inst, pin } => {
            let (pin_name, cell) = pin_names(netlist, lib, inst, pin);
            point(
                &pin_name,
                &cell,
                edge,
                end_arrival,
                end_slew,
                PointKind::End,
            )
        }
    }];
    let (mut net, mut e) = (end_net, edge);
    let start = loop {
        let k = net.0 as usize;
        let (arrival, slew) = at(net, e);
        let driver = |name: &str, cell: &str, incr: f64| PathPoint {
            incr_ns: incr,
            load_pf: Some(timing.load_pf[k][e.index()]),
            fanout: Some(timing.fanout[k]),
            ..point(name, cell, e, arrival, slew, PointKind::Driver)
        };
        match timing.pred[k][e.index()] {
            Pred::None => return None,
            Pred::Input(i) => {
                let mut p = driver(&constraints.inputs[i as usize].name, "in", 0.0);
                p.kind = PointKind::Start;
                rev.push(p);
                break StartKind::Input(i);
            }
            Pred::Clock(c) => {
                let mut p = driver(&netlist.nets[k].name, "clock", 0.0);
                p.kind = PointKind::Start;
                rev.push(p);
                break StartKind::Clock(c);
            }
            Pred::ClockToQ { inst, arc } => {
                let i = &netlist.instances[inst.0 as usize];
                let a = timing.model.arcs(i.cell)[arc as usize];
                let rc = timing.reg_clock[inst.0 as usize];
                let launch = rc.map_or(0.0, |rc| rc.launch_ns);
                let (q, cell) = pin_names(netlist, lib, inst, a.to);
                rev.push(driver(&q, &cell, arrival - launch));
                let (ck, _) = pin_names(netlist, lib, inst, a.from);
                let ck_slew = rc.map_or(0.0, |rc| rc.slew_ns[a.clock_edge.index()]);
                rev.push(point(
                    &ck,
                    &cell,
                    a.clock_edge,
                    launch,
                    ck_slew,
                    PointKind::Start,
                ));
                break StartKind::Register(inst);
            }
            Pred::Arc { inst, arc, from } => {
                let i = &netlist.instances[inst.0 as usize];
                let a = timing.model.arcs(i.cell)[arc as usize];
                let from_net = i.pins[a.from as usize]?;
                let (from_arrival, from_slew) = at(from_net, from);
                let (out_pin, cell) = pin_names(netlist, lib, inst, a.to);
                rev.push(driver(&out_pin, &cell, arrival - from_arrival));
                let (in_pin, _) = pin_names(netlist, lib, inst, a.from);
                rev.push(point(
                    &in_pin,
                    &cell,
                    from,
                    from_arrival,
                    from_slew,
                    PointKind::Load,
                ));
                net = from_net;
                e = from;
            }
        }
    };
    rev.reverse();
    Some(Path { start, points: rev })
}

fn point(
    pin: &str,
    cell: &str,
    edge: Edge,
    arrival_ns: f64,
    slew_ns: f64,
    kind: PointKind,
) -> PathPoint {
    PathPoint {
        pin: pin.to_string(),
        cell: cell.to_string(),
        edge,
        incr_ns: 0.0,
        arrival_ns,
        slew_ns,
        load_pf: None,
        fanout: None,
        kind,
    }
}

/// `inst/pin` and the cell name of an instance pin.
pub fn pin_names(netlist: &Netlist, lib: &Library, inst: InstId, pin: u16) -> (String, String) {
    let i = &netlist.instances[inst.0 as usize];
    let cell = &lib.cells[i.cell];
    (
        format!("{}/{}", i.name, cell.pins[pin as usize].name),
        cell.name.clone(),
    )
}
