//! Delay calculation: one arc's delay and output slew from its NLDM tables,
//! and the lumped load on every net.
//!
//! Loads are lumped capacitances (fan-out pin capacitances plus port loads;
//! no wire parasitics), so a stage's delay is the cell delay and every pin of
//! a net sees the driver's arrival and slew unchanged.

use liberty::{Library, TimingArc, Variable};
use netlist::Netlist;

use crate::{constraints::Constraints, Edge};

/// Delay and output slew of one arc for one output edge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stage {
    /// Input-threshold to output-threshold delay, ns.
    pub delay_ns: f64,
    /// Output slew (design measure, after `slew_derate_from_library`), ns.
    pub slew_ns: f64,
}

/// Delay and slew of `arc` for output edge `out`, at design input slew
/// `in_slew_ns` and load `load_pf`; `None` when the arc has no delay table
/// for that edge. `derate` is the library's `slew_derate_from_library`.
pub fn gate_stage(
    arc: &TimingArc,
    out: Edge,
    in_slew_ns: f64,
    load_pf: f64,
    derate: f64,
) -> Option<Stage> {
    let (delay, slew) = match out {
        Edge::Rise => (&arc.cell_rise, &arc.rise_transition),
        Edge::Fall => (&arc.cell_fall, &arc.fall_transition),
    };
    // Tables are indexed by library-measured slews; design slews are derated.
    let lib_slew_ns = in_slew_ns / derate;
    let delay_ns = delay.as_ref()?.lookup(lib_slew_ns, load_pf);
    // A delay table without a transition table leaves the output ideal.
    let slew_ns = slew
        .as_ref()
        .map_or(0.0, |t| t.lookup(lib_slew_ns, load_pf) * derate);
    Some(Stage { delay_ns, slew_ns })
}

/// Setup or hold time of a constraint arc for a `data` edge, at the data
/// pin's slew and the clock pin's slew (design measure); `None` when the arc
/// has no table for that edge.
pub fn constraint_ns(
    arc: &TimingArc,
    data: Edge,
    data_slew_ns: f64,
    clock_slew_ns: f64,
    derate: f64,
) -> Option<f64> {
    let table = match data {
        Edge::Rise => arc.rise_constraint.as_ref()?,
        Edge::Fall => arc.fall_constraint.as_ref()?,
    };
    let (data_lib, clock_lib) = (data_slew_ns / derate, clock_slew_ns / derate);
    Some(table.lookup_with(|v| match v {
        Variable::RelatedPinTransition => clock_lib,
        Variable::ConstrainedPinTransition | Variable::InputNetTransition => data_lib,
        // Constraint templates index slews only; a load axis gets no load.
        Variable::TotalOutputNetCapacitance | Variable::Other(_) => 0.0,
    }))
}

/// Capacitance a fan-out pin presents to an edge of its driver, pF:
/// `rise_capacitance`/`fall_capacitance` when given, else `capacitance`.
pub fn pin_cap_pf(pin: &liberty::Pin, edge: Edge) -> f64 {
    match edge {
        Edge::Rise => pin.rise_capacitance_pf,
        Edge::Fall => pin.fall_capacitance_pf,
    }
    .unwrap_or(pin.capacitance_pf)
}

/// Lumped load on every net per driver edge, pF: the fan-out pins'
/// capacitances for that edge plus the `set_load` of each output port bit the
/// net drives.
pub fn net_loads_pf(netlist: &Netlist, lib: &Library, constraints: &Constraints) -> Vec<[f64; 2]> {
    let mut loads: Vec<[f64; 2]> = netlist
        .nets
        .iter()
        .map(|net| {
            let mut sum = [0.0; 2];
            for p in &net.loads {
                let cell = &lib.cells[netlist.instances[p.inst.0 as usize].cell];
                let pin = &cell.pins[p.pin as usize];
                for e in Edge::BOTH {
                    sum[e.index()] += pin_cap_pf(pin, e);
                }
            }
            sum
        })
        .collect();
    for out in &constraints.outputs {
        for l in &mut loads[out.net.0 as usize] {
            *l += out.load_pf;
        }
    }
    loads
}

/// Number of loads on every net: fan-out pins plus output port bits.
pub fn net_fanouts(netlist: &Netlist, constraints: &Constraints) -> Vec<u32> {
    let mut fanout: Vec<u32> = netlist.nets.iter().map(|n| n.loads.len() as u32).collect();
    for out in &constraints.outputs {
        fanout[out.net.0 as usize] += 1;
    }
    fanout
}

#[cfg(test)]
mod tests {
    use super::*;
    use liberty::{Table, TimingSense, TimingType};

    fn arc() -> TimingArc {
        let t = |values: Vec<f64>| Table {
            template: "t".into(),
            axes: vec![
                (Variable::InputNetTransition, vec![0.0, 1.0]),
                (Variable::TotalOutputNetCapacitance, vec![0.0, 1.0]),
            ],
            values,
        };
        TimingArc {
            related_pins: vec!["A".into()],
            timing_sense: TimingSense::NegativeUnate,
            timing_type: TimingType::Combinational,
            when: None,
            sdf_cond: None,
            // delay = 1 + slew + 2·load (rise); slew = 0.5 + load
            cell_rise: Some(t(vec![1.0, 3.0, 2.0, 4.0])),
            cell_fall: None,
            rise_transition: Some(t(vec![0.5, 1.5, 0.5, 1.5])),
            fall_transition: None,
            rise_constraint: None,
            fall_constraint: None,
        }
    }

    #[test]
    fn stage_reads_both_tables() {
        let s = gate_stage(&arc(), Edge::Rise, 0.5, 0.25, 1.0).unwrap();
        assert!((s.delay_ns - 2.0).abs() < 1e-12, "1 + 0.5 + 2·0.25");
        assert!((s.slew_ns - 0.75).abs() < 1e-12, "0.5 + 0.25");
        assert!(gate_stage(&arc(), Edge::Fall, 0.5, 0.25, 1.0).is_none());
    }

    #[test]
    fn derate_scales_slews_both_ways() {
        // Design slew 0.25 at derate 0.5 indexes the table at 0.5; the table
        // slew 0.75 becomes a design slew of 0.375.
        let s = gate_stage(&arc(), Edge::Rise, 0.25, 0.25, 0.5).unwrap();
        assert!((s.delay_ns - 2.0).abs() < 1e-12);
        assert!((s.slew_ns - 0.375).abs() < 1e-12);
    }
}
