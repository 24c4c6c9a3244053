//! The flat, read-only model the simulator walks: per-instance pin lists,
//! fan-out, and per (input pin, output pin, state) delay and energy tables.
//!
//! Everything that needs names, `when` expressions or table interpolation is
//! resolved here, once, so that an event costs a few array reads.

use liberty::Library;
use netlist::{Driver, Netlist};

use crate::cell::CellKind;
use crate::delay::TimingData;
use crate::{energy, DelayModel, Error, Result, SimOptions};

/// Marks a missing net (unconnected output pin) or an empty list.
pub(crate) const NONE: u32 = u32::MAX;

/// Femtoseconds per nanosecond.
pub(crate) const FS_PER_NS: f64 = 1e6;

/// What one output transition costs: index 0 = falling output, 1 = rising.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ArcEntry {
    /// Delay to the output edge, fs (at least 1).
    pub delay_fs: [u32; 2],
    /// Internal energy of the output edge, fJ.
    pub energy_fj: [f32; 2],
}

/// Everything a toggle of input `k` of an instance into state `s` does, read
/// with one load in the timed models' hot loop: the leakage change, the input
/// pin's energy and output 0's transition, all resolved when compiling.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Fire {
    /// `leakage(s) - leakage(s ^ 1 << k)`, nW: the very subtraction the step
    /// would make, so running sums stay bit-identical.
    pub leak_delta_nw: f64,
    /// Energy of the input pin's toggle, fJ.
    pub pin_fj: f32,
    /// Output 0's delay to `new`, fs (from `ArcEntry::delay_fs[new]`).
    pub delay_fs: u32,
    /// Output 0's internal energy of the edge to `new`, fJ.
    pub energy_fj: f32,
    /// Output 0's value in state `s`.
    pub new: u8,
}

/// Output `o` ≥ 1 of a multi-output cell after a toggle (the rare case; see
/// [`Fire`] for output 0).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct OutArc {
    pub delay_fs: u32,
    pub energy_fj: f32,
    pub new: u8,
}

/// Where an instance's data lives in the flat tables (one small record, so
/// an event touches one cache line to find them all).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct InstInfo {
    /// First entry in `Design::arcs`.
    pub arc_base: u32,
    /// First entry of its cell's table in `Design::leakage_nw`.
    pub leak_base: u32,
    /// First word of its cell's truth tables in `Design::truth`.
    pub truth_base: u32,
    /// First entry in `Design::out_net`.
    pub out_first: u32,
    /// Inputs (state bits) and outputs.
    pub n_in: u8,
    pub n_out: u8,
    /// Truth-table words per output.
    pub truth_words: u8,
}

/// One load of a net: input `k` (state bit) of instance `inst`, with the
/// table positions its toggle needs precomputed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Load {
    pub inst: u32,
    /// `1 << k`.
    pub mask: u32,
    /// Entry of (inst, k, s = 0) in `Design::fires`; state `s` is at `fire + s`.
    pub fire: u32,
    /// Net of the instance's output 0, NONE if unconnected or absent.
    pub out0: u32,
    /// Entry of (inst, k, o = 1, s = 0) in `Design::extra_arcs`, NONE for
    /// single-output cells; output `o`, state `s` is at
    /// `extra + ((o - 1) << inputs) + s`.
    pub extra: u32,
}

/// An instance as the levelized probe (`levelized.rs`) walks it: gate-centric,
/// where [`Load`] is net-centric.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Gate {
    /// Entry of (input 0, state 0) in `Design::fires`; input `k` in state `s`
    /// is at `fire + (k << n_in) + s`.
    pub fire: u32,
    /// Its input 0 in `Design::in_net` (= `in_start[i]`). Pin numbers
    /// `pin_base + k` grow in (instance, pin) order, the order each net's
    /// loads are visited in, so they double as tie-breakers.
    pub pin_base: u32,
    /// Net of output 0, NONE if unconnected or absent.
    pub out: u32,
    /// Inputs (state bits).
    pub n_in: u8,
}

/// A [`Fire`] as the reusing probe (`reuse.rs`) reads it: energies as
/// whole multiples of `Design::energy_unit_fj`, so that its sums are
/// exact integer additions in any order.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct QFire {
    /// Energy of the input pin's toggle, in units of `Design::energy_unit_fj`.
    pub pin_q: i64,
    /// Output 0's internal energy of the edge to `new`, same unit.
    pub energy_q: i64,
    /// Output 0's delay to `new`, fs.
    pub delay_fs: u32,
    /// Output 0's value in state `s`.
    pub new: u8,
}

/// A load as the levelized probe delivers to it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ProbeLoad {
    pub inst: u32,
    /// The instance's `Gate::pin_base` (where its inbox starts).
    pub pin_base: u32,
    /// Which input (state bit).
    pub k: u32,
}

/// What a transition of a net needs, in one record.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct NetInfo {
    /// `loads[loads_start..loads_end]`: the net's loads, in (instance, pin) order.
    pub loads_start: u32,
    pub loads_end: u32,
    /// ½·C·V² of one transition, fJ (0 for input-driven nets).
    pub switch_fj: f32,
    /// Whether the net is an output port bit.
    pub is_output: bool,
}

/// The compiled design.
pub(crate) struct Design {
    /// Where each instance's data lives.
    pub inst: Vec<InstInfo>,
    /// `in_net[in_start[i]..in_start[i+1]]`: net of each input of instance `i`.
    pub in_start: Vec<u32>,
    pub in_net: Vec<u32>,
    /// Net of each output (or NONE), from `InstInfo::out_first`.
    pub out_net: Vec<u32>,
    /// Entry for input `k`, output `o`, state `s` of an instance:
    /// `arc_base + ((k * outputs + o) << inputs) + s`.
    pub arcs: Vec<ArcEntry>,
    /// Per (instance, input, state), reached through `Load::fire`: see [`Fire`].
    pub fires: Vec<Fire>,
    /// Per (instance, input, output ≥ 1, state), reached through
    /// `Load::extra`: see [`OutArc`].
    pub extra_arcs: Vec<OutArc>,
    /// Leakage per state of each cell used, nW (`leak_base + s`).
    pub leakage_nw: Vec<f64>,
    /// Truth tables of each cell used (`truth_base + o * truth_words + s / 64`).
    pub truth: Vec<u64>,
    /// Loads, switching energy and output flag of each net.
    pub nets: Vec<NetInfo>,
    /// The loads of all nets, see `NetInfo::loads_start`.
    pub loads: Vec<Load>,
    /// Instance driving each net (NONE for ports and constants).
    pub net_driver_inst: Vec<u32>,
    /// Constant nets and their values.
    pub const_nets: Vec<(u32, bool)>,
    /// Nets of each input port's bits, LSB first.
    pub input_bits: Vec<Vec<u32>>,
    /// Nets of each output port's bits, LSB first.
    pub output_bits: Vec<Vec<u32>>,
    /// Instances in topological order.
    pub topo: Vec<u32>,
    /// Logic level of each instance (1 = fed by sources only).
    pub level: Vec<u32>,
    pub max_level: u32,
    /// Longest delay in `arcs`, fs.
    pub max_delay_fs: u64,
    /// Per instance, the levelized probe's view (see [`Gate`]).
    pub gates: Vec<Gate>,
    /// `loads` as the levelized probe reads them (see [`ProbeLoad`]).
    pub probe_loads: Vec<ProbeLoad>,
    /// Whether the levelized probe can run this design: single-output cells,
    /// and no net on two input port bits.
    pub levelized: bool,
    /// Most toggles a step may have with its energy sums still exact in f64
    /// whatever the order of the additions (see [`exact_toggle_limit`]).
    pub exact_toggles: u32,
    /// Every switching, pin and output energy is a whole multiple of this
    /// power of two, fJ (the smallest unit in the last place among them).
    pub energy_unit_fj: f64,
    /// `fires` with integer energies (see [`QFire`]); meaningful only when
    /// `exact_toggles` > 0, which bounds every value below 2^53.
    pub qfires: Vec<QFire>,
    /// Each net's switching energy in the same unit.
    pub switch_q: Vec<i64>,
    /// Nets that are output port bits.
    pub output_nets: Vec<u32>,
}

impl Design {
    /// Entry of input `k`, output `o` of an instance in state `s`.
    #[inline]
    pub fn arc(&self, info: &InstInfo, k: u32, o: u32, s: u32) -> &ArcEntry {
        let idx = info.arc_base + (((k * info.n_out as u32 + o) << info.n_in) | s);
        &self.arcs[idx as usize]
    }

    /// Leakage of an instance in state `s`, nW.
    #[inline]
    pub fn leakage(&self, info: &InstInfo, s: u32) -> f64 {
        self.leakage_nw[(info.leak_base + s) as usize]
    }

    /// Value of output `o` of an instance in state `s`.
    #[inline]
    pub fn eval(&self, info: &InstInfo, o: u32, s: u32) -> bool {
        let word = self.truth[(info.truth_base + o * info.truth_words as u32 + (s >> 6)) as usize];
        word >> (s & 63) & 1 == 1
    }

    /// Build the model. `timing` gives the STA slews (for internal energy in
    /// every model) and, with [`DelayModel::Sdf`], the delays.
    pub fn build(
        netlist: &Netlist,
        lib: &Library,
        options: &SimOptions,
        timing: &TimingData,
    ) -> Result<Design> {
        let arc_delays = &timing.arcs;
        let n_nets = netlist.nets.len();
        let n_inst = netlist.instances.len();
        if arc_delays.inst_start.len() != n_inst + 1 {
            return Err(Error::Design(format!(
                "arc delays cover {} instances but the design has {n_inst}",
                arc_delays.inst_start.len().saturating_sub(1)
            )));
        }

        // Cell kinds, compiled once per library cell used.
        let mut kind_of_cell = vec![NONE; lib.cells.len()];
        let mut kinds = Vec::new();
        let mut inst_kind = Vec::with_capacity(n_inst);
        for inst in &netlist.instances {
            let Some(&slot) = kind_of_cell.get(inst.cell) else {
                return Err(Error::Design(format!(
                    "instance {} refers to cell #{} outside the library",
                    inst.name, inst.cell
                )));
            };
            if slot == NONE {
                let kind = CellKind::compile(lib, inst.cell)
                    .map_err(|m| Error::Design(format!("instance {}: {m}", inst.name)))?;
                kind_of_cell[inst.cell] = kinds.len() as u32;
                kinds.push(kind);
            }
            inst_kind.push(kind_of_cell[inst.cell]);
        }

        // Pin → net lists.
        let mut in_start = vec![0u32];
        let mut in_net = Vec::new();
        let mut out_start = vec![0u32];
        let mut out_net = Vec::new();
        for (i, inst) in netlist.instances.iter().enumerate() {
            let kind = &kinds[inst_kind[i] as usize];
            let cell = &lib.cells[kind.lib_cell];
            for &p in &kind.inputs {
                match inst.pins.get(p as usize).copied().flatten() {
                    Some(net) => in_net.push(net.0),
                    None => {
                        return Err(Error::Design(format!(
                            "instance {} ({}): input pin {} is unconnected",
                            inst.name, cell.name, cell.pins[p as usize].name
                        )))
                    }
                }
            }
            for &p in &kind.outputs {
                out_net.push(
                    inst.pins
                        .get(p as usize)
                        .copied()
                        .flatten()
                        .map_or(NONE, |n| n.0),
                );
            }
            in_start.push(in_net.len() as u32);
            out_start.push(out_net.len() as u32);
        }

        // Fan-out in CSR form, loads in (instance, pin) order.
        let mut fanout_count = vec![0u32; n_nets + 1];
        for &n in &in_net {
            fanout_count[n as usize + 1] += 1;
        }
        let mut fanout_start = fanout_count.clone();
        for n in 0..n_nets {
            fanout_start[n + 1] += fanout_start[n];
        }

        let (topo, level) = levelize(netlist, &in_start, &in_net, &out_start, &out_net)?;
        let max_level = level.iter().copied().max().unwrap_or(0);

        // Loads, slews and switching energy per net.
        let loads_pf = energy::net_loads_pf(netlist, lib, options.output_load_pf);
        let slews = &timing.net_slews_ns;
        let voltage_v = lib.rail_voltage_v(None);
        let nets: Vec<NetInfo> = netlist
            .nets
            .iter()
            .zip(&loads_pf)
            .enumerate()
            .map(|(n, (net, &c))| NetInfo {
                loads_start: fanout_start[n],
                loads_end: fanout_start[n + 1],
                switch_fj: match net.driver {
                    Driver::Pin(_) => energy::switching_fj(c, voltage_v) as f32,
                    Driver::Input { .. } | Driver::Const(_) => 0.0,
                },
                is_output: net.is_output,
            })
            .collect();
        let net_driver_inst = netlist
            .nets
            .iter()
            .map(|net| match net.driver {
                Driver::Pin(p) => p.inst.0,
                _ => NONE,
            })
            .collect();
        let const_nets = netlist
            .nets
            .iter()
            .enumerate()
            .filter_map(|(i, n)| match n.driver {
                Driver::Const(v) => Some((i as u32, v)),
                _ => None,
            })
            .collect();

        // Per-instance delay/energy tables.
        let mut leak_base = Vec::with_capacity(kinds.len());
        let mut truth_base = Vec::with_capacity(kinds.len());
        let mut leakage_nw = Vec::new();
        let mut truth = Vec::new();
        for kind in &kinds {
            leak_base.push(leakage_nw.len() as u32);
            leakage_nw.extend_from_slice(&kind.leakage_nw);
            truth_base.push(truth.len() as u32);
            for o in 0..kind.outputs.len() {
                truth.extend_from_slice(kind.truth_words(o));
            }
        }
        let mut inst_info = Vec::with_capacity(n_inst);
        // First entry of each instance in `fires`, and in `extra_arcs` (NONE
        // for single-output cells); the loads below point into both.
        let mut fire_base = Vec::with_capacity(n_inst);
        let mut extra_base = Vec::with_capacity(n_inst);
        let mut arcs = Vec::new();
        let mut pin_energy_fj = Vec::new();
        let mut fires = Vec::new();
        let mut extra_arcs = Vec::new();
        let mut max_delay_fs = 1u64;
        for (i, inst) in netlist.instances.iter().enumerate() {
            let kind = &kinds[inst_kind[i] as usize];
            let cell = &lib.cells[kind.lib_cell];
            let ins = &in_net[in_start[i] as usize..in_start[i + 1] as usize];
            let outs = &out_net[out_start[i] as usize..out_start[i + 1] as usize];
            let kind_id = inst_kind[i] as usize;
            let n_out = kind.outputs.len();
            let pin_base = pin_energy_fj.len() as u32;
            fire_base.push(fires.len() as u32);
            extra_base.push(if n_out > 1 {
                extra_arcs.len() as u32
            } else {
                NONE
            });
            inst_info.push(InstInfo {
                arc_base: arcs.len() as u32,
                leak_base: leak_base[kind_id],
                truth_base: truth_base[kind_id],
                out_first: out_start[i],
                n_in: kind.inputs.len() as u8,
                n_out: kind.outputs.len() as u8,
                truth_words: kind.states().div_ceil(64) as u8,
            });
            let states = kind.states() as u32;
            for (k, &from) in kind.inputs.iter().enumerate() {
                let in_slew = slews[ins[k] as usize];
                for (o, &to) in kind.outputs.iter().enumerate() {
                    let load_pf = match outs[o] {
                        NONE => 0.0,
                        n => loads_pf[n as usize],
                    };
                    for s in 0..states {
                        let input_rise = s >> k & 1 == 1;
                        let slew_ns = in_slew[input_rise as usize];
                        let e =
                            energy::output_internal_fj(cell, kind, from, to, s, slew_ns, load_pf);
                        let delays_ns = match options.delay_model {
                            DelayModel::Zero => [Some(0.0); 2],
                            DelayModel::Unit => [Some(1.0); 2],
                            DelayModel::Sdf => timing.select(i, cell, kind, (k, from), to, s),
                        };
                        let mut delay_fs = [1u32; 2];
                        for edge in 0..2 {
                            delay_fs[edge] = match delays_ns[edge] {
                                Some(d) => to_fs(d),
                                None if affects(kind, k, o, s, edge == 1) && outs[o] != NONE => {
                                    return Err(Error::Design(format!(
                                        "instance {} ({}): no timing arc gives a {} delay from {} to {}",
                                        inst.name,
                                        cell.name,
                                        if edge == 1 { "rise" } else { "fall" },
                                        cell.pins[from as usize].name,
                                        cell.pins[to as usize].name
                                    )))
                                }
                                None => 1,
                            };
                            max_delay_fs = max_delay_fs.max(delay_fs[edge] as u64);
                        }
                        arcs.push(ArcEntry {
                            delay_fs,
                            energy_fj: [e[0] as f32, e[1] as f32],
                        });
                    }
                }
                for s in 0..states {
                    let slew_ns = in_slew[(s >> k & 1) as usize];
                    pin_energy_fj.push(energy::input_pin_fj(cell, kind, k, s, slew_ns) as f32);
                }
            }
            // The hot-loop view of the tables just made for this instance.
            let info = *inst_info.last().expect("pushed above");
            let n_in = kind.inputs.len() as u32;
            let arc = |k: u32, o: u32, s: u32| {
                let entry = arcs[(info.arc_base + (((k * n_out as u32 + o) << n_in) | s)) as usize];
                let new = kind.eval(o as usize, s) as usize;
                OutArc {
                    delay_fs: entry.delay_fs[new],
                    energy_fj: entry.energy_fj[new],
                    new: new as u8,
                }
            };
            for k in 0..n_in {
                for s in 0..states {
                    let out0 = if n_out > 0 {
                        arc(k, 0, s)
                    } else {
                        OutArc::default()
                    };
                    fires.push(Fire {
                        leak_delta_nw: kind.leakage_nw[s as usize]
                            - kind.leakage_nw[(s ^ 1 << k) as usize],
                        pin_fj: pin_energy_fj[(pin_base + ((k << n_in) | s)) as usize],
                        delay_fs: out0.delay_fs,
                        energy_fj: out0.energy_fj,
                        new: out0.new,
                    });
                }
                for o in 1..n_out as u32 {
                    for s in 0..states {
                        extra_arcs.push(arc(k, o, s));
                    }
                }
            }
        }
        // Loads in (instance, pin) order within each net, as the step visits them.
        let mut fill = fanout_start.clone();
        let dummy = Load {
            inst: 0,
            mask: 0,
            fire: 0,
            out0: NONE,
            extra: NONE,
        };
        let mut loads = vec![dummy; in_net.len()];
        let mut gates = Vec::with_capacity(n_inst);
        for (i, info) in inst_info.iter().enumerate() {
            let n_out = info.n_out as u32;
            gates.push(Gate {
                fire: fire_base[i],
                pin_base: in_start[i],
                out: if n_out > 0 {
                    out_net[info.out_first as usize]
                } else {
                    NONE
                },
                n_in: info.n_in,
            });
            for (k, &n) in in_net[in_start[i] as usize..in_start[i + 1] as usize]
                .iter()
                .enumerate()
            {
                let k = k as u32;
                loads[fill[n as usize] as usize] = Load {
                    inst: i as u32,
                    mask: 1 << k,
                    fire: fire_base[i] + (k << info.n_in),
                    out0: if n_out > 0 {
                        out_net[info.out_first as usize]
                    } else {
                        NONE
                    },
                    extra: if n_out > 1 {
                        extra_base[i] + ((k * (n_out - 1)) << info.n_in)
                    } else {
                        NONE
                    },
                };
                fill[n as usize] += 1;
            }
        }
        let mut input_bits = Vec::new();
        for port in &netlist.inputs {
            if port.width() > 64 {
                return Err(Error::Design(format!(
                    "input port {} is {} bits wide; the simulator takes at most 64",
                    port.name,
                    port.width()
                )));
            }
            input_bits.push(port.bits.iter().map(|n| n.0).collect());
        }
        let mut output_bits = Vec::new();
        for port in &netlist.outputs {
            if port.width() > 64 {
                return Err(Error::Design(format!(
                    "output port {} is {} bits wide; the simulator takes at most 64",
                    port.name,
                    port.width()
                )));
            }
            output_bits.push(port.bits.iter().map(|n| n.0).collect());
        }

        let probe_loads = loads
            .iter()
            .map(|load| ProbeLoad {
                inst: load.inst,
                pin_base: in_start[load.inst as usize],
                k: load.mask.trailing_zeros(),
            })
            .collect();
        let mut input_nets: Vec<u32> = input_bits.iter().flatten().copied().collect();
        input_nets.sort_unstable();
        let levelized = inst_info.iter().all(|info| info.n_out <= 1)
            && input_nets.windows(2).all(|w| w[0] != w[1]);
        let (exact_toggles, energy_q_exp) = exact_toggle_limit(&nets, &fires);
        // Exact whenever `exact_toggles` > 0 (every value is then a multiple
        // of the unit below 2^53 of it); `as` saturates otherwise, unused.
        let unit_inv = 2f64.powi(-energy_q_exp);
        let to_q = |v: f32| (f64::from(v) * unit_inv) as i64;
        let qfires = fires
            .iter()
            .map(|f| QFire {
                pin_q: to_q(f.pin_fj),
                energy_q: to_q(f.energy_fj),
                delay_fs: f.delay_fs,
                new: f.new,
            })
            .collect();
        let switch_q = nets.iter().map(|n| to_q(n.switch_fj)).collect();
        let output_nets = (0..n_nets as u32)
            .filter(|&n| nets[n as usize].is_output)
            .collect();

        Ok(Design {
            inst: inst_info,
            in_start,
            in_net,
            out_net,
            arcs,
            fires,
            extra_arcs,
            leakage_nw,
            truth,
            nets,
            loads,
            net_driver_inst,
            const_nets,
            input_bits,
            output_bits,
            topo,
            level,
            max_level,
            max_delay_fs,
            gates,
            probe_loads,
            levelized,
            exact_toggles,
            energy_unit_fj: 2f64.powi(energy_q_exp),
            qfires,
            switch_q,
            output_nets,
        })
    }
}

/// A delay in ns as whole femtoseconds, at least 1 so that causes precede
/// effects (NLDM extrapolation can give tiny or negative delays).
fn to_fs(delay_ns: f64) -> u32 {
    (delay_ns * FS_PER_NS).round().clamp(1.0, u32::MAX as f64) as u32
}

/// Most toggles a step may have and still have every partial sum of its
/// switching and internal energy exact in f64, so that the sums do not depend
/// on the order of the additions (the levelized probe adds in gate order, the
/// wheel in time order).
///
/// Every summand is an f32 from `nets` or `fires`, so a whole multiple of
/// `q`, the smallest unit in the last place among the nonzero ones. A
/// multiple of `q` below 2^53·q in magnitude is an f64, so while the sum of
/// the summands' magnitudes stays below that, no addition rounds. A toggle
/// adds at most one switching energy, one output internal energy and one
/// pin energy per load of the net.
///
/// Also returns the exponent of `q` (0 when every summand is 0). A summand
/// that is not finite gives a limit of 0: such sums are left to the wheel.
fn exact_toggle_limit(nets: &[NetInfo], fires: &[Fire]) -> (u32, i32) {
    // Exponent of one unit in the last place of an f32 (subnormals: 2^-149).
    let ulp_exp = |v: f32| ((v.to_bits() >> 23 & 0xff) as i32).max(1) - 127 - 23;
    let mut min_exp = i32::MAX;
    let mut note = |v: f32, max: &mut f64| {
        if v != 0.0 {
            min_exp = min_exp.min(ulp_exp(v));
            *max = max.max(f64::from(v.abs()));
        }
    };
    let (mut switch_fj, mut output_fj, mut pin_fj) = (0.0f64, 0.0f64, 0.0f64);
    let mut fanout = 0u32;
    let mut finite = true;
    for net in nets {
        note(net.switch_fj, &mut switch_fj);
        fanout = fanout.max(net.loads_end - net.loads_start);
        finite &= net.switch_fj.is_finite();
    }
    for fire in fires {
        note(fire.energy_fj, &mut output_fj);
        note(fire.pin_fj, &mut pin_fj);
        finite &= fire.energy_fj.is_finite() && fire.pin_fj.is_finite();
    }
    if !finite {
        return (0, 0);
    }
    let per_toggle_fj = switch_fj + output_fj + f64::from(fanout) * pin_fj;
    if per_toggle_fj == 0.0 {
        return (u32::MAX, 0);
    }
    // 2^53·q, as an f64 (q may be far below f64's normal range only for
    // subnormal f32 summands, and 2^(53 − 149) is still a normal f64).
    let bound_fj = 2f64.powi(53 + min_exp);
    // Rounded down, and one less for the rounding of the division itself.
    let limit = (bound_fj / per_toggle_fj).floor() - 1.0;
    (limit.clamp(0.0, u32::MAX as f64) as u32, min_exp)
}

/// Whether toggling input `k` into state `s` moves output `o` to `rise`.
fn affects(kind: &CellKind, k: usize, o: usize, s: u32, rise: bool) -> bool {
    kind.eval(o, s) == rise && kind.eval(o, s ^ (1 << k)) != rise
}

/// Topological order and logic level of the instances (Kahn's algorithm over
/// the flat pin lists), or an error naming an instance on a loop.
fn levelize(
    netlist: &Netlist,
    in_start: &[u32],
    in_net: &[u32],
    out_start: &[u32],
    out_net: &[u32],
) -> Result<(Vec<u32>, Vec<u32>)> {
    let n_inst = netlist.instances.len();
    let n_nets = netlist.nets.len();
    let mut driver_inst = vec![NONE; n_nets];
    for i in 0..n_inst {
        for &n in &out_net[out_start[i] as usize..out_start[i + 1] as usize] {
            if n != NONE {
                driver_inst[n as usize] = i as u32;
            }
        }
    }
    let mut pending: Vec<u32> = (0..n_inst)
        .map(|i| {
            in_net[in_start[i] as usize..in_start[i + 1] as usize]
                .iter()
                .filter(|&&n| driver_inst[n as usize] != NONE)
                .count() as u32
        })
        .collect();
    // Loads per net, to release successors.
    let mut loads: Vec<Vec<u32>> = vec![Vec::new(); n_nets];
    for i in 0..n_inst {
        for &n in &in_net[in_start[i] as usize..in_start[i + 1] as usize] {
            loads[n as usize].push(i as u32);
        }
    }
    let mut level = vec![1u32; n_inst];
    let mut topo: Vec<u32> = (0..n_inst as u32)
        .filter(|&i| pending[i as usize] == 0)
        .collect();
    let mut head = 0;
    while head < topo.len() {
        let i = topo[head] as usize;
        head += 1;
        for &n in &out_net[out_start[i] as usize..out_start[i + 1] as usize] {
            if n == NONE {
                continue;
            }
            for &j in &loads[n as usize] {
                let j = j as usize;
                level[j] = level[j].max(level[i] + 1);
                pending[j] -= 1;
                if pending[j] == 0 {
                    topo.push(j as u32);
                }
            }
        }
    }
    if topo.len() < n_inst {
        let stuck = (0..n_inst).find(|&i| pending[i] > 0).unwrap_or(0);
        return Err(Error::Design(format!(
            "combinational loop through instance {}",
            netlist.instances[stuck].name
        )));
    }
    Ok((topo, level))
}
