//! The STA summary: JSON fields and a report_checks-like text.

use liberty::Library;
use netlist::Netlist;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::check::{self, Check, Endpoint};
use crate::constraints::Constraints;
use crate::path::{self, Path, PointKind, StartKind};
use crate::search::Timing;
use crate::Edge;

/// One point of the worst path as the JSON lists it (start, drivers, end).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportPoint {
    /// `inst/pin` or port bit name.
    pub pin: String,
    /// Cell name, or `in`/`out` for ports.
    pub cell: String,
    /// `rise` or `fall`.
    pub edge: &'static str,
    /// Stage delay, ns.
    pub incr_ns: f64,
    /// Arrival, ns.
    pub arrival_ns: f64,
}

/// The STA result in the shape of the reference `opensta.json` fields.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Data arrival of the worst path, ns (`None`: nothing switches).
    pub worst_arrival_ns: Option<f64>,
    /// Slack of the worst path, ns, when a clock constrains it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worst_slack_ns: Option<f64>,
    /// Startpoint of the worst path (port bit or register instance).
    pub worst_startpoint: Option<String>,
    /// Endpoint of the worst path (port bit or register instance).
    pub worst_endpoint: Option<String>,
    /// The worst path: startpoint, every driving pin, endpoint.
    pub worst_path: Vec<ReportPoint>,
    /// Every output bit's max arrival over both edges, ns, in port order
    /// (`null`: the bit never switches).
    #[serde(serialize_with = "ordered_map")]
    pub output_arrival_ns: Vec<(String, Option<f64>)>,
    /// Everything the text form needs about the worst path.
    #[serde(skip)]
    pub detail: Option<Detail>,
}

/// Text-report details of the worst path.
#[derive(Debug, Clone)]
pub struct Detail {
    /// The full path, cell input pins included.
    pub path: Path,
    /// The check it ends in.
    pub check: Check,
    /// `input port clocked by vclk`, ...
    pub start_desc: String,
    /// `output port clocked by vclk`, ...
    pub end_desc: String,
    /// Launch clock name, edge and time.
    pub launch: Option<(String, Edge, f64)>,
    /// Capture clock name.
    pub capture_clock: Option<String>,
    /// True when the endpoint is an output port (external delay, not setup).
    pub end_is_port: bool,
}

impl Report {
    /// Summarize a propagated design.
    pub fn new(
        netlist: &Netlist,
        lib: &Library,
        constraints: &Constraints,
        timing: &Timing,
    ) -> Report {
        let checks = check::setup_checks(netlist, lib, constraints, timing);
        let output_arrival_ns = constraints
            .outputs
            .iter()
            .map(|o| (o.name.clone(), timing.worst_arrival(o.net)))
            .collect();
        let mut report = Report {
            worst_arrival_ns: None,
            worst_slack_ns: None,
            worst_startpoint: None,
            worst_endpoint: None,
            worst_path: Vec::new(),
            output_arrival_ns,
            detail: None,
        };
        let Some(worst) = check::worst(&checks).copied() else {
            return report;
        };
        let Some(path) = path::trace(
            netlist,
            lib,
            constraints,
            timing,
            worst.endpoint,
            worst.edge,
        ) else {
            return report;
        };
        report.worst_arrival_ns = Some(worst.arrival_ns);
        report.worst_slack_ns = worst.slack_ns;
        report.worst_path = path
            .points
            .iter()
            .filter(|p| p.kind != PointKind::Load)
            .map(|p| ReportPoint {
                pin: p.pin.clone(),
                cell: p.cell.clone(),
                edge: p.edge.name(),
                incr_ns: p.incr_ns,
                arrival_ns: p.arrival_ns,
            })
            .collect();
        let launch = check::launch_of(netlist, constraints, timing, worst.net, worst.edge);
        let clock_name = |c: usize| constraints.clocks[c].name.clone();
        let (start, start_desc) = match path.start {
            StartKind::Input(i) => {
                let bit = &constraints.inputs[i as usize];
                let clocked = bit.delay.and_then(|d| d.clock);
                (
                    bit.name.clone(),
                    port_desc("input", clocked.map(clock_name)),
                )
            }
            StartKind::Register(inst) => {
                let i = &netlist.instances[inst.0 as usize];
                let edge = path.points.first().map_or(Edge::Rise, |p| p.edge);
                let clock = timing.reg_clock[inst.0 as usize].and_then(|rc| rc.clock);
                (
                    i.name.clone(),
                    register_desc(lib, i.cell, edge, clock.map(clock_name)),
                )
            }
            StartKind::Clock(c) => (clock_name(c as usize), "clock source".to_string()),
        };
        let (end, end_desc, end_is_port) = match worst.endpoint {
            Endpoint::Output(o) => (
                constraints.outputs[o as usize].name.clone(),
                port_desc("output", worst.clock.map(clock_name)),
                true,
            ),
            Endpoint::Register { inst, .. } => {
                let i = &netlist.instances[inst.0 as usize];
                let clock = timing.reg_clock[inst.0 as usize].and_then(|rc| rc.clock);
                let edge = timing.reg_clock[inst.0 as usize]
                    .map_or(Edge::Rise, |rc| rc.source_edge(worst.clock_edge));
                (
                    i.name.clone(),
                    register_desc(lib, i.cell, edge, clock.map(clock_name)),
                    false,
                )
            }
        };
        report.worst_startpoint = Some(start);
        report.worst_endpoint = Some(end);
        let launch = launch.map(|(c, t)| {
            let clock = &constraints.clocks[c];
            let edge = if (t - clock.fall_ns).abs() < 1e-12 && clock.fall_ns != clock.rise_ns {
                Edge::Fall
            } else {
                Edge::Rise
            };
            (clock.name.clone(), edge, t)
        });
        report.detail = Some(Detail {
            path,
            check: worst,
            start_desc,
            end_desc,
            launch,
            capture_clock: worst.clock.map(clock_name),
            end_is_port,
        });
        report
    }

    /// The worst path in the layout of OpenSTA's `report_checks -path_delay
    /// max`, with `digits` decimals; `input_pins` also lists cell input pins.
    pub fn text(&self, digits: usize, input_pins: bool) -> String {
        let Some(d) = &self.detail else {
            return "No paths found.\n".to_string();
        };
        let w = digits + 5;
        let num = |v: f64| format!("{:>w$.digits$}", v + 0.0);
        let blank = " ".repeat(w);
        let rule = "-".repeat(2 * w + 43);
        let mut s = String::new();
        let (start, end) = (
            self.worst_startpoint.as_deref(),
            self.worst_endpoint.as_deref(),
        );
        s += &format!("Startpoint: {} ({})\n", start.unwrap_or("?"), d.start_desc);
        s += &format!("Endpoint: {} ({})\n", end.unwrap_or("?"), d.end_desc);
        s += &format!(
            "Path Group: {}\n",
            d.capture_clock.as_deref().unwrap_or("(none)")
        );
        s += "Path Type: max\n\n";
        s += &format!("{:>w$} {:>w$}   Description\n{rule}\n", "Delay", "Time");
        let mut line = |incr: f64, time: f64, edge: Option<Edge>, text: &str| {
            let e = edge.map_or(' ', Edge::symbol);
            s.push_str(&format!("{} {} {e} {text}\n", num(incr), num(time)));
        };
        if let Some((clock, edge, t)) = &d.launch {
            line(
                *t,
                *t,
                None,
                &format!("clock {clock} ({} edge)", edge.name()),
            );
            line(0.0, *t, None, "clock network delay (ideal)");
        }
        for p in &d.path.points {
            if p.kind == PointKind::Load && !input_pins {
                continue;
            }
            if p.kind == PointKind::Start && p.cell == "in" {
                let launch_ns = d.launch.as_ref().map_or(0.0, |l| l.2);
                if d.launch.is_some() {
                    line(
                        p.arrival_ns - launch_ns,
                        p.arrival_ns,
                        Some(p.edge),
                        "input external delay",
                    );
                }
            }
            line(
                p.incr_ns,
                p.arrival_ns,
                Some(p.edge),
                &format!("{} ({})", p.pin, p.cell),
            );
        }
        let c = &d.check;
        let arrival_line = format!("{blank} {}   data arrival time\n", num(c.arrival_ns));
        s += &arrival_line;
        let (Some(capture), Some(required), Some(slack)) =
            (c.capture_ns, c.required_ns, c.slack_ns)
        else {
            s += &format!("{rule}\n(Path is unconstrained)\n");
            return s;
        };
        s += "\n";
        let mut time = capture;
        let clock = d.capture_clock.as_deref().unwrap_or("?");
        let mut line = |incr: f64, text: &str, time: f64| {
            s.push_str(&format!("{} {}   {text}\n", num(incr), num(time)));
        };
        line(
            capture,
            &format!("clock {clock} ({} edge)", c.clock_edge.name()),
            time,
        );
        line(0.0, "clock network delay (ideal)", time);
        line(0.0, "clock reconvergence pessimism", time);
        if c.uncertainty_ns != 0.0 {
            time -= c.uncertainty_ns;
            line(-c.uncertainty_ns, "clock uncertainty", time);
        }
        time -= c.setup_ns;
        line(
            -c.setup_ns,
            if d.end_is_port {
                "output external delay"
            } else {
                "library setup time"
            },
            time,
        );
        s += &format!("{blank} {}   data required time\n{rule}\n", num(required));
        s += &format!("{blank} {}   data required time\n", num(required));
        s += &format!(
            "{blank} {}   data arrival time\n{rule}\n",
            num(-c.arrival_ns)
        );
        let verdict = if slack < 0.0 { "VIOLATED" } else { "MET" };
        s += &format!("{blank} {}   slack ({verdict})\n", num(slack));
        s
    }
}

fn port_desc(dir: &str, clock: Option<String>) -> String {
    match clock {
        Some(c) => format!("{dir} port clocked by {c}"),
        None => format!("{dir} port"),
    }
}

fn register_desc(lib: &Library, cell: usize, edge: Edge, clock: Option<String>) -> String {
    let latch = lib.cells[cell]
        .sequential
        .as_ref()
        .is_some_and(|s| s.kind == liberty::SequentialKind::Latch);
    let what = match (latch, edge) {
        (false, Edge::Rise) => "rising edge-triggered flip-flop",
        (false, Edge::Fall) => "falling edge-triggered flip-flop",
        (true, Edge::Rise) => "positive level-sensitive latch",
        (true, Edge::Fall) => "negative level-sensitive latch",
    };
    match clock {
        Some(c) => format!("{what} clocked by {c}"),
        None => what.to_string(),
    }
}

/// Serialize `(name, value)` pairs as a JSON object, keeping their order.
fn ordered_map<S: Serializer>(pairs: &[(String, Option<f64>)], ser: S) -> Result<S::Ok, S::Error> {
    let mut map = ser.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        map.serialize_entry(k, v)?;
    }
    map.end()
}
