//! Energy per transition from the Liberty model, in fJ.
//!
//! These run once per instance when the simulator is built; the hot loop only
//! reads the tabulated results.

use liberty::{Cell, InternalPower, Library, Table};
use netlist::Netlist;

use crate::cell::CellKind;

/// Load of each net for energy, pF, as OpenSTA's `loadCap` gives it to its
/// power calculation: the larger of the summed rise capacitances and the
/// summed fall capacitances of the fan-out pins (each falling back to
/// `capacitance`), plus `output_load_pf` on output port bits. (A sum of
/// per-pin max(rise, fall) would overstate mixed loads by up to ~1.5 %.)
pub(crate) fn net_loads_pf(netlist: &Netlist, lib: &Library, output_load_pf: f64) -> Vec<f64> {
    netlist
        .nets
        .iter()
        .map(|net| {
            let (mut rise, mut fall) = (0.0, 0.0);
            for load in &net.loads {
                let cell = &lib.cells[netlist.instances[load.inst.0 as usize].cell];
                let pin = &cell.pins[load.pin as usize];
                rise += pin.rise_capacitance_pf.unwrap_or(pin.capacitance_pf);
                fall += pin.fall_capacitance_pf.unwrap_or(pin.capacitance_pf);
            }
            f64::max(rise, fall) + if net.is_output { output_load_pf } else { 0.0 }
        })
        .collect()
}

/// ½·C·V² in fJ for a load in pF and a supply in V (1 pF·V² = 1000 fJ).
pub(crate) fn switching_fj(load_pf: f64, voltage_v: f64) -> f64 {
    0.5 * load_pf * voltage_v * voltage_v * 1e3
}

/// The group that applies in state `s` among `groups`: the first whose
/// `when` holds, else the first without a `when`.
fn applicable<'c>(
    groups: impl Iterator<Item = &'c InternalPower> + Clone,
    cell: &Cell,
    kind: &CellKind,
    s: u32,
) -> Option<&'c InternalPower> {
    groups
        .clone()
        .find(|g| g.when.as_ref().is_some_and(|w| kind.holds(cell, w, s)))
        .or_else(|| groups.clone().find(|g| g.when.is_none()))
}

/// The table of `group` for a rising or falling edge of its pin.
fn edge_table(group: &InternalPower, rise: bool) -> Option<&Table> {
    let own = if rise {
        &group.rise_power
    } else {
        &group.fall_power
    };
    own.as_ref().or(group.power.as_ref())
}

/// Internal energy, `[fall, rise]` of the output, fJ, of a transition of
/// output pin `to` caused by input pin `from`, in state `s` (after the input
/// toggle), with the input edge's slew and the output net's load.
pub(crate) fn output_internal_fj(
    cell: &Cell,
    kind: &CellKind,
    from: u16,
    to: u16,
    s: u32,
    input_slew_ns: f64,
    load_pf: f64,
) -> [f64; 2] {
    let from_name = &cell.pins[from as usize].name;
    let groups = &cell.pins[to as usize].internal_power;
    let related = groups
        .iter()
        .filter(|g| g.related_pins.iter().any(|p| p == from_name));
    let energy = |g: &InternalPower| {
        [false, true]
            .map(|rise| edge_table(g, rise).map_or(0.0, |t| t.lookup(input_slew_ns, load_pf)))
    };
    if let Some(group) = applicable(related.clone(), cell, kind, s).or_else(|| {
        applicable(
            groups.iter().filter(|g| g.related_pins.is_empty()),
            cell,
            kind,
            s,
        )
    }) {
        return energy(group);
    }
    // No `when` holds: the input does not sensitize the output on its own in
    // this state (at zero delay, several inputs moved together). Use the mean
    // of the pin's groups rather than nothing.
    let (mut sum, mut n) = ([0.0; 2], 0);
    for g in related {
        let e = energy(g);
        sum = [sum[0] + e[0], sum[1] + e[1]];
        n += 1;
    }
    if n == 0 {
        return [0.0, 0.0];
    }
    sum.map(|e| e / n as f64)
}

/// Internal energy of a toggle of input pin `pin` arriving at state `s`
/// (bit of `pin` in `s` = its new value), from the pin's own
/// `internal_power` groups, fJ. `load_pf` is 0 as in OpenSTA: input-pin
/// tables are indexed by the input slew only.
pub(crate) fn input_pin_fj(cell: &Cell, kind: &CellKind, k: usize, s: u32, slew_ns: f64) -> f64 {
    let pin = &cell.pins[kind.inputs[k] as usize];
    let groups = pin
        .internal_power
        .iter()
        .filter(|g| g.related_pins.is_empty() || g.related_pins.contains(&pin.name));
    let rise = s >> k & 1 == 1;
    applicable(groups, cell, kind, s)
        .and_then(|g| edge_table(g, rise))
        .map_or(0.0, |t| t.lookup(slew_ns, 0.0))
}
