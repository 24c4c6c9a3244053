//! Timing inputs of the simulator and the choice of an arc delay for a
//! toggle: the state-dependent arc whose `when` holds, else the unconditional
//! arc, else the worst one.

use liberty::{Cell, Library, TimingSense};
use netlist::{Driver, Netlist};
use timing::{ArcDelays, Edge};

use crate::cell::CellKind;

/// Index of a falling / rising edge in the simulator's `[fall, rise]` arrays.
const FALL: usize = 0;
const RISE: usize = 1;

/// Delay of an output edge, `[fall, rise]`, ns; `None` where no arc gives one.
pub(crate) type EdgeDelays = [Option<f64>; 2];

/// What the simulator takes from static timing.
pub(crate) struct TimingData {
    pub arcs: ArcDelays,
    /// Per entry of `arcs.arcs`, for non-unate arcs: the delay for each input
    /// edge, `[input fall, input rise]` × `[output fall, output rise]`, ns.
    /// ([`timing::ArcDelay`] keeps only the worse input edge, which would let an
    /// event chain outrun the STA arrival.)
    pub by_input_edge: Vec<Option<[[f64; 2]; 2]>>,
    /// STA (max) slew of each net, `[fall, rise]`, ns.
    pub net_slews_ns: Vec<[f64; 2]>,
}

impl TimingData {
    /// From the timing crate's analysis of `netlist`.
    pub fn from_analysis(netlist: &Netlist, lib: &Library, t: &timing::Timing) -> TimingData {
        let arcs = t.arc_delays(netlist, lib);
        let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
        let net_slews_ns = t
            .slew_max_ns
            .iter()
            .map(|s| [finite(s[Edge::Fall.index()]), finite(s[Edge::Rise.index()])])
            .collect();
        let by_input_edge = arcs
            .arcs
            .iter()
            .map(|a| {
                let inst = &netlist.instances[a.inst.0 as usize];
                let lib_arc = lib.cells[inst.cell]
                    .pins
                    .get(a.to_pin as usize)?
                    .timing
                    .get(a.lib_arc as usize)?;
                if lib_arc.timing_sense != TimingSense::NonUnate {
                    return None;
                }
                let from = inst.pins[a.from_pin as usize]?.0 as usize;
                let to = inst.pins[a.to_pin as usize].map(|n| n.0 as usize);
                let mut d = [[f64::NAN; 2]; 2];
                for (i, in_edge) in [(FALL, Edge::Fall), (RISE, Edge::Rise)] {
                    for (o, out_edge) in [(FALL, Edge::Fall), (RISE, Edge::Rise)] {
                        let made = if o == RISE { a.rise_ns } else { a.fall_ns };
                        if !made.is_finite() {
                            continue;
                        }
                        let slew = finite(t.slew_max_ns[from][in_edge.index()]);
                        let load = to.map_or(0.0, |n| t.load_pf[n][out_edge.index()]);
                        if let Some(stage) =
                            timing::dcalc::gate_stage(lib_arc, out_edge, slew, load, t.derate)
                        {
                            d[i][o] = stage.delay_ns;
                        }
                    }
                }
                Some(d)
            })
            .collect();
        TimingData {
            arcs,
            by_input_edge,
            net_slews_ns,
        }
    }

    /// From arc delays alone (e.g. made by hand): net slews are the worst
    /// output slew of the arcs driving each net; primary inputs take
    /// `input_slew_ns`, constants 0.
    pub fn from_arc_delays(netlist: &Netlist, arcs: &ArcDelays, input_slew_ns: f64) -> TimingData {
        let net_slews_ns = netlist
            .nets
            .iter()
            .map(|net| match net.driver {
                Driver::Input { .. } => [input_slew_ns; 2],
                Driver::Const(_) => [0.0; 2],
                Driver::Pin(p) => {
                    let mut slew = [0.0f64; 2];
                    for a in arcs.of(p.inst).iter().filter(|a| a.to_pin == p.pin) {
                        // f64::max ignores NaN (an edge the arc cannot make).
                        slew[FALL] = slew[FALL].max(a.fall_slew_ns);
                        slew[RISE] = slew[RISE].max(a.rise_slew_ns);
                    }
                    slew
                }
            })
            .collect();
        TimingData {
            arcs: arcs.clone(),
            by_input_edge: vec![None; arcs.arcs.len()],
            net_slews_ns,
        }
    }

    /// Delays for an output transition at pin `to` of instance `inst` caused
    /// by a toggle of input pin `from` (local input `k`), the cell being in
    /// state `s` after the toggle.
    ///
    /// For each output edge, only arcs whose `timing_sense` fits the input
    /// and output edges are considered (a library may give one positive- and
    /// one negative-unate arc per pin pair, as SG13G2 does for XNOR); among
    /// them the one whose `when` holds, else the unconditional one. An edge
    /// the chosen arc cannot make falls back to the worst fitting arc, then to
    /// the worst arc `from → to`, then to the worst arc reaching `to`.
    pub fn select(
        &self,
        inst: usize,
        cell: &Cell,
        kind: &CellKind,
        (k, from): (usize, u16),
        to: u16,
        s: u32,
    ) -> EdgeDelays {
        let range = self.arcs.inst_start[inst] as usize..self.arcs.inst_start[inst + 1] as usize;
        let arcs = &self.arcs.arcs[range.clone()];
        let refined = &self.by_input_edge[range];
        let lib_arc = |j: usize| {
            cell.pins
                .get(arcs[j].to_pin as usize)
                .and_then(|p| p.timing.get(arcs[j].lib_arc as usize))
        };
        let input_edge = (s >> k & 1) as usize;
        let fits = |j: usize, out: usize| match lib_arc(j).map(|a| a.timing_sense) {
            Some(TimingSense::PositiveUnate) => input_edge == out,
            Some(TimingSense::NegativeUnate) => input_edge != out,
            _ => true,
        };
        let delay = |j: usize, out: usize| match refined[j] {
            Some(d) => d[input_edge][out],
            None if out == RISE => arcs[j].rise_ns,
            None => arcs[j].fall_ns,
        };
        let worst = |it: &mut dyn Iterator<Item = usize>, out: usize| {
            it.map(|j| delay(j, out))
                .filter(|d| d.is_finite())
                .reduce(f64::max)
        };
        let pair = || (0..arcs.len()).filter(|&j| arcs[j].from_pin == from && arcs[j].to_pin == to);
        let mut out = [None, None];
        for (o, slot) in out.iter_mut().enumerate() {
            let fitting = || pair().filter(|&j| fits(j, o));
            let when = |j: usize| lib_arc(j).and_then(|a| a.when.as_ref());
            let chosen = fitting()
                .find(|&j| when(j).is_some_and(|w| kind.holds(cell, w, s)))
                .or_else(|| fitting().find(|&j| when(j).is_none()));
            *slot = chosen
                .map(|j| delay(j, o))
                .filter(|d| d.is_finite())
                .or_else(|| worst(&mut fitting(), o))
                .or_else(|| worst(&mut pair(), o))
                .or_else(|| worst(&mut (0..arcs.len()).filter(|&j| arcs[j].to_pin == to), o));
        }
        out
    }
}
