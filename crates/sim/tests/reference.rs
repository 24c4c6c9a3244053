//! Agreement with the OpenSTA reference cases of `shared/reference/` (the
//! figures recorded in tests/fixtures/reference, the netlists in netlists/):
//! zero-delay power against `report_power` on the zero-delay VCD, outputs
//! against the RTL arithmetic and the netlist simulation, and the timed
//! models against zero delay and STA arrivals.

mod common;

use std::collections::BTreeMap;

use common::{case_file, json, liberty};
use liberty::Library;
use netlist::{InstId, NetId, Netlist};
use sim::{run_stimulus, DelayModel, NoObserver, Observer, SimOptions, Simulator, Stimulus};

struct Case {
    name: &'static str,
    lib: Library,
    netlist: Netlist,
    stimulus: Stimulus,
    opensta: serde_json::Value,
}

fn load(name: &'static str, lib_file: &str, json_file: &str) -> Case {
    let lib = liberty::read_library(liberty(lib_file)).unwrap();
    let netlist = Netlist::read(case_file(name, "netlist.v"), &lib, None).unwrap();
    let stimulus = Stimulus::read(case_file(name, "stimulus.csv"), &netlist.inputs).unwrap();
    let opensta = json(case_file(name, json_file));
    Case {
        name,
        lib,
        netlist,
        stimulus,
        opensta,
    }
}

fn zero() -> SimOptions {
    SimOptions {
        delay_model: DelayModel::Zero,
        ..SimOptions::default()
    }
}

fn rel(ours: f64, theirs: f64) -> f64 {
    (ours - theirs).abs() / theirs.abs()
}

/// Zero-delay average power within 5 % (total) and 10 % (each part) of
/// OpenSTA's `report_power` after `read_vcd` of the same stimulus.
fn power_agrees(c: &Case) {
    let mut sim = Simulator::new(&c.netlist, &c.lib, &zero()).unwrap();
    let run = run_stimulus(&mut sim, &c.stimulus, &mut NoObserver).unwrap();
    let reference = &c.opensta["power_zero_delay_vcd"];
    assert_eq!(run.steps.len() as u64, reference["steps"].as_u64().unwrap());
    let p = run.power_w();
    let theirs = |k: &str| reference[k].as_f64().unwrap();
    let parts = [
        ("total", p.total_w(), theirs("total_w"), 0.05),
        ("internal", p.internal_w, theirs("internal_w"), 0.10),
        ("switching", p.switching_w, theirs("switching_w"), 0.10),
        ("leakage", p.leakage_w, theirs("leakage_w"), 0.10),
    ];
    for (what, ours, theirs, tolerance) in parts {
        eprintln!(
            "{} {what}: ours {ours:.6e} W, OpenSTA {theirs:.6e} W ({:+.2} %)",
            c.name,
            100.0 * (ours - theirs) / theirs
        );
        assert!(
            rel(ours, theirs) <= tolerance,
            "{} {what}: {ours:e} vs {theirs:e}",
            c.name
        );
    }
}

#[test]
fn power_small_ng45() {
    power_agrees(&load(
        "ref_small_ng45",
        "nangate45_typ.lib.gz",
        "opensta.json",
    ));
}

#[test]
fn power_mac8u_ng45() {
    power_agrees(&load(
        "ref_mac8u_ng45",
        "nangate45_typ.lib.gz",
        "opensta.json",
    ));
}

#[test]
fn power_mac8u_sg13g2_1p20v() {
    power_agrees(&load(
        "ref_mac8u_sg13g2",
        "sg13g2_stdcell_typ_1p20V_25C.lib",
        "opensta.json",
    ));
}

#[test]
fn power_mac8u_sg13g2_1p50v() {
    power_agrees(&load(
        "ref_mac8u_sg13g2",
        "sg13g2_stdcell_typ_1p50V_25C.lib",
        "opensta_1p50V.json",
    ));
}

/// Per-instance energy, by cell type.
#[derive(Default)]
struct PerInstance {
    switching_fj: Vec<f64>,
    internal_fj: Vec<f64>,
}

impl Observer for PerInstance {
    fn transition(&mut self, _: u64, _: NetId, _: bool) {}
    fn cell_energy(&mut self, inst: InstId, switching_fj: f64, internal_fj: f64) {
        self.switching_fj[inst.0 as usize] += switching_fj;
        self.internal_fj[inst.0 as usize] += internal_fj;
    }
}

/// Where no `when` condition is involved, OpenSTA's activity-based formula
/// and per-transition accounting must agree closely, instance by instance:
/// every instance's switching power within 1 % and, for cells without
/// conditional internal-power groups, the internal power summed by cell type
/// within 2 % (at zero delay, when several inputs of a gate toggle together
/// we average their arcs evenly, OpenSTA by activity × sensitization).
/// (Cells with `when` groups differ by design: OpenSTA weights every group
/// of a related pin by the pin's Boolean difference and adds default
/// input-pin groups to conditional ones; we apply the group whose `when`
/// holds at each transition.)
#[test]
fn per_instance_power_mac8u() {
    for (lib_file, json_file) in [
        ("sg13g2_stdcell_typ_1p20V_25C.lib", "opensta.json"),
        ("nangate45_typ.lib.gz", ""),
    ] {
        let c = if json_file.is_empty() {
            load("ref_mac8u_ng45", lib_file, "opensta.json")
        } else {
            load("ref_mac8u_sg13g2", lib_file, json_file)
        };
        let mut sim = Simulator::new(&c.netlist, &c.lib, &zero()).unwrap();
        let n = c.netlist.instances.len();
        let mut per = PerInstance {
            switching_fj: vec![0.0; n],
            internal_fj: vec![0.0; n],
        };
        let run = run_stimulus(&mut sim, &c.stimulus, &mut per).unwrap();
        let to_w = 1e-15 / (run.steps.len() as f64 * run.period_ns * 1e-9);
        let reference = &c.opensta["power_zero_delay_vcd"]["per_instance_w"];
        let mut internal_by_cell: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
        for (i, inst) in c.netlist.instances.iter().enumerate() {
            let theirs = &reference[&inst.name];
            let sw = (
                per.switching_fj[i] * to_w,
                theirs["switching_w"].as_f64().unwrap(),
            );
            assert!(
                rel(sw.0, sw.1) <= 0.01 || (sw.0 - sw.1).abs() < 1e-12,
                "{} {}: switching {:e} vs {:e}",
                c.name,
                inst.name,
                sw.0,
                sw.1
            );
            let cell = &c.lib.cells[inst.cell];
            let conditional = cell
                .pins
                .iter()
                .any(|p| p.internal_power.iter().any(|g| g.when.is_some()));
            if !conditional {
                let e = internal_by_cell.entry(&cell.name).or_default();
                e.0 += per.internal_fj[i] * to_w;
                e.1 += theirs["internal_w"].as_f64().unwrap();
            }
        }
        // A coverage floor, so that the comparison below is not vacuous.
        assert!(
            internal_by_cell.len() >= 5,
            "{}: too few unconditional cell types",
            c.name
        );
        for (cell, (ours, theirs)) in internal_by_cell {
            eprintln!(
                "{} {cell}: internal ours {ours:.4e} W, OpenSTA {theirs:.4e} W",
                c.name
            );
            assert!(
                rel(ours, theirs) <= 0.02,
                "{} {cell}: internal {ours:e} vs {theirs:e}",
                c.name
            );
        }
    }
}

/// The stimulus rows as signed integers, parsed independently of `sim`.
fn rows(name: &str) -> Vec<Vec<i64>> {
    let text = std::fs::read_to_string(case_file(name, "stimulus.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("w,a,p_in"));
    lines
        .map(|l| l.split(',').map(|v| v.trim().parse().unwrap()).collect())
        .collect()
}

/// Outputs of every step bit-exact against `p_out = p_in + w*a` (mod 2^N)
/// and against the reference netlist simulation (`sim_outputs.csv`).
fn outputs_agree(c: &Case) {
    let mut sim = Simulator::new(&c.netlist, &c.lib, &zero()).unwrap();
    let run = run_stimulus(&mut sim, &c.stimulus, &mut NoObserver).unwrap();
    let p_out = c
        .netlist
        .outputs
        .iter()
        .position(|p| p.name == "p_out")
        .unwrap();
    let width = c.netlist.outputs[p_out].width();
    let mask = (1i64 << width) - 1;
    let expected_csv: Vec<i64> = std::fs::read_to_string(case_file(c.name, "sim_outputs.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.trim().parse().unwrap())
        .collect();
    let rows = rows(c.name);
    assert_eq!(rows.len(), run.outputs.len());
    for (k, row) in rows.iter().enumerate() {
        let (w, a, p_in) = (row[0], row[1], row[2]);
        let arithmetic = (p_in + w * a) & mask;
        let ours = run.outputs[k][p_out] as i64;
        assert_eq!(ours, arithmetic, "{} step {k}: {w}*{a}+{p_in}", c.name);
        assert_eq!(ours, expected_csv[k] & mask, "{} step {k}", c.name);
    }
}

#[test]
fn outputs_small_ng45() {
    outputs_agree(&load(
        "ref_small_ng45",
        "nangate45_typ.lib.gz",
        "opensta.json",
    ));
}

#[test]
fn outputs_mac8u_ng45() {
    outputs_agree(&load(
        "ref_mac8u_ng45",
        "nangate45_typ.lib.gz",
        "opensta.json",
    ));
}

#[test]
fn outputs_mac8u_sg13g2() {
    outputs_agree(&load(
        "ref_mac8u_sg13g2",
        "sg13g2_stdcell_typ_1p20V_25C.lib",
        "opensta.json",
    ));
}

/// Last event time of every net in the current step.
struct LastEvent(Vec<Option<u64>>);

impl Observer for LastEvent {
    fn begin_step(&mut self, _: usize) {
        self.0.fill(None);
    }
    fn transition(&mut self, time_fs: u64, net: NetId, _: bool) {
        self.0[net.0 as usize] = Some(time_fs);
    }
}

/// With arc delays (inertial and transport), every step settles to the
/// zero-delay values, and no output bit's last event is later than its
/// arrival, neither the timing crate's STA arrival nor OpenSTA's reported
/// one (to 0.1 ps: delays are kept in whole fs per arc).
fn timed_agrees(c: &Case) {
    let mut reference = Simulator::new(&c.netlist, &c.lib, &zero()).unwrap();
    let expected = run_stimulus(&mut reference, &c.stimulus, &mut NoObserver).unwrap();
    let constraints =
        timing::Constraints::from_conditions(&c.netlist, &timing::Conditions::default());
    let sta = timing::analyze(&c.netlist, &c.lib, &constraints);
    let opensta = &c.opensta["output_arrival_ns"];
    for transport in [false, true] {
        let options = SimOptions {
            transport,
            ..SimOptions::default()
        };
        let mut sim = Simulator::new(&c.netlist, &c.lib, &options).unwrap();
        sim.settle(&c.stimulus.rows[0]).unwrap();
        let mut last = LastEvent(vec![None; c.netlist.nets.len()]);
        let mut glitches = 0;
        let mut latest_ns = 0.0f64;
        for (k, row) in c.stimulus.rows.iter().enumerate() {
            last.begin_step(k);
            let r = sim.step_observed(row, &mut last).unwrap();
            glitches += r.glitches;
            assert_eq!(
                sim.output_values(),
                expected.outputs[k],
                "{} step {k}",
                c.name
            );
            let mut step_latest = 0.0f64;
            for port in &c.netlist.outputs {
                for (b, net) in port.bits.iter().enumerate() {
                    let Some(fs) = last.0[net.0 as usize] else {
                        continue;
                    };
                    let t = fs as f64 * 1e-6;
                    step_latest = step_latest.max(t);
                    let name = port.bit_name(b);
                    let ours_sta = sta.worst_arrival(*net).unwrap();
                    assert!(
                        t <= ours_sta + 1e-4,
                        "{} step {k} {name}: {t} ns > STA arrival {ours_sta} ns",
                        c.name
                    );
                    let theirs = opensta[&name].as_f64().unwrap();
                    assert!(
                        t <= theirs + 1e-4,
                        "{} step {k} {name}: {t} ns > OpenSTA arrival {theirs} ns",
                        c.name
                    );
                }
            }
            assert!(
                (r.delay_ns - step_latest).abs() < 1e-9,
                "{} step {k}: delay_ns is the last output event",
                c.name
            );
            latest_ns = latest_ns.max(step_latest);
        }
        eprintln!(
            "{} transport={transport}: {glitches} glitch transitions, latest output event {latest_ns:.4} ns (STA worst {})",
            c.name, c.opensta["worst_arrival_ns"]
        );
        assert!(glitches > 0, "{}: a MAC with arc delays glitches", c.name);
    }
}

#[test]
fn timed_small_ng45() {
    timed_agrees(&load(
        "ref_small_ng45",
        "nangate45_typ.lib.gz",
        "opensta.json",
    ));
}

#[test]
fn timed_mac8u_ng45() {
    timed_agrees(&load(
        "ref_mac8u_ng45",
        "nangate45_typ.lib.gz",
        "opensta.json",
    ));
}

#[test]
fn timed_mac8u_sg13g2() {
    timed_agrees(&load(
        "ref_mac8u_sg13g2",
        "sg13g2_stdcell_typ_1p20V_25C.lib",
        "opensta.json",
    ));
}
