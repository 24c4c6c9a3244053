//! `Simulator::probe_step` (the levelized probe) against `restore` + `step`
//! (the time wheel) on the shipped MACs: every transition of the 3-bit MAC
//! and random ones of the 8-bit MACs, in every delay model. Everything but
//! leakage must be equal bit for bit, and a probe must leave the state as it
//! found it.

use liberty::Library;
use netlist::Netlist;
use rand::{Rng, SeedableRng};
use sim::{DelayModel, SimOptions, Simulator, StepResult};

fn design(netlist: &str, lib: &str) -> (Library, Netlist) {
    let lib = if lib.starts_with("sky130") {
        testdata::repo().join("liberty").join(lib)
    } else {
        testdata::liberty(lib)
    };
    let lib = liberty::read_library(lib).unwrap();
    let netlist =
        Netlist::read(testdata::repo().join("netlists").join(netlist), &lib, None).unwrap();
    (lib, netlist)
}

/// The four models the simulator offers (the last two probe on the wheel).
fn models() -> [(DelayModel, bool); 4] {
    [
        (DelayModel::Sdf, false),
        (DelayModel::Unit, false),
        (DelayModel::Sdf, true),
        (DelayModel::Zero, false),
    ]
}

fn port(netlist: &Netlist, name: &str) -> usize {
    netlist.inputs.iter().position(|p| p.name == name).unwrap()
}

fn options(delay_model: DelayModel, transport: bool) -> SimOptions {
    SimOptions {
        delay_model,
        transport,
        ..SimOptions::default()
    }
}

/// The 8-bit MACs the random and sequence tests run on, each with a library.
const MACS_8BIT: [(&str, &str); 3] = [
    ("mac8u_sg13g2.v", "sg13g2_stdcell_typ_1p20V_25C.lib"),
    ("mac8s_sg13g2.v", "sg13g2_stdcell_typ_1p50V_25C.lib"),
    (
        "mac8u_sky130.v",
        "sky130_fd_sc_hd__ss_n40C_1v60.subset.lib.gz",
    ),
];

/// Where a MAC's ports sit among its inputs, and the partial sum's width.
struct Mac {
    w: usize,
    a: usize,
    p: usize,
    p_bits: u32,
}

impl Mac {
    fn of(netlist: &Netlist) -> Mac {
        let p = port(netlist, "p_in");
        Mac {
            w: port(netlist, "w"),
            a: port(netlist, "a"),
            p,
            p_bits: netlist.inputs[p].width() as u32,
        }
    }
}

/// Probe `to` from the settled `from`, then step there from a restored
/// snapshot, and compare.
fn check(sim: &mut Simulator<'_>, from: &[u64], to: &[u64]) -> StepResult {
    sim.settle(from).unwrap();
    let saved = sim.snapshot();
    let outputs = sim.output_values();
    let leakage_nw = sim.leakage_nw();
    let probed = sim.probe_step(to).unwrap();
    // The state is untouched: same outputs and leakage, and stepping from
    // here (no restore) gives the probed figures.
    assert_eq!(sim.output_values(), outputs, "{from:?} -> {to:?}");
    assert_eq!(sim.leakage_nw().to_bits(), leakage_nw.to_bits());
    let stepped = sim.step(to).unwrap();
    let same = |a: f64, b: f64| a.to_bits() == b.to_bits();
    assert!(
        same(probed.energy.switching_fj, stepped.energy.switching_fj)
            && same(probed.energy.internal_fj, stepped.energy.internal_fj)
            && same(probed.delay_ns, stepped.delay_ns)
            && probed.toggles == stepped.toggles
            && probed.glitches == stepped.glitches,
        "{from:?} -> {to:?}: probe {probed:?}, step {stepped:?}"
    );
    assert!(probed.energy.leakage_fj.is_nan());
    // And from a restored snapshot, as the sweep used to.
    sim.restore(&saved);
    assert_eq!(sim.step(to).unwrap(), stepped);
    stepped
}

#[test]
fn every_transition_of_the_3_bit_mac() {
    let (lib, netlist) = design("mac3u_sg13g2.v", "sg13g2_stdcell_typ_1p20V_25C.lib");
    let Mac { w, a, p, .. } = Mac::of(&netlist);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    for (model, transport) in models() {
        let options = options(model, transport);
        let mut sim = Simulator::new(&netlist, &lib, &options).unwrap();
        let mut busy = 0;
        for wv in 0..8 {
            for av in 0..8 {
                for a2 in 0..8 {
                    let mut from = vec![0; 3];
                    from[w] = wv;
                    from[a] = av;
                    let mut to = from.clone();
                    to[a] = a2;
                    // psum 0 as the sweep holds it, and a random psum change.
                    let glitches = check(&mut sim, &from, &to).glitches;
                    busy += (glitches > 0) as u32;
                    from[p] = rng.gen_range(0..256);
                    to[p] = rng.gen_range(0..256);
                    check(&mut sim, &from, &to);
                }
            }
        }
        // The comparison covers glitching steps, where order matters.
        if model != DelayModel::Zero {
            assert!(busy > 0, "{model:?}: no glitches at all");
        }
    }
}

#[test]
fn random_transitions_of_the_8_bit_macs() {
    for (file, lib) in MACS_8BIT {
        let (lib, netlist) = design(file, lib);
        let Mac { w, a, p, p_bits } = Mac::of(&netlist);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(8);
        for (model, transport) in models() {
            let options = options(model, transport);
            let mut sim = Simulator::new(&netlist, &lib, &options).unwrap();
            for i in 0..300 {
                let mut from = vec![0; netlist.inputs.len()];
                from[w] = rng.gen_range(0..256);
                from[a] = rng.gen_range(0..256);
                let mut to = from.clone();
                to[a] = rng.gen_range(0..256);
                if i % 2 == 1 {
                    from[p] = rng.gen::<u64>() >> (64 - p_bits);
                    to[p] = rng.gen::<u64>() >> (64 - p_bits);
                }
                check(&mut sim, &from, &to);
            }
        }
    }
}

/// Many probes from one settled state, as the sweep makes them: each reuses
/// what the previous one computed (`reuse.rs`), so each must still equal a
/// step from that state, in any order of the next vectors (Gray-code order,
/// where consecutive probes differ in one bit, and random order), and after
/// the state moved (settle, step, restore) nothing may be reused.
#[test]
fn probe_sequences_from_one_state() {
    for (file, lib) in MACS_8BIT {
        let (lib, netlist) = design(file, lib);
        let Mac { w, a, p, p_bits } = Mac::of(&netlist);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(17);
        for (model, transport) in models() {
            let options = options(model, transport);
            let mut sim = Simulator::new(&netlist, &lib, &options).unwrap();
            let mut reference = Simulator::new(&netlist, &lib, &options).unwrap();
            for row in 0..6 {
                let mut from = vec![0; netlist.inputs.len()];
                from[w] = rng.gen_range(0..256);
                from[a] = rng.gen_range(0..256);
                if row % 3 == 2 {
                    from[p] = rng.gen::<u64>() >> (64 - p_bits);
                }
                let order: Vec<u64> = if row % 2 == 0 {
                    (0..256u64).map(|i| from[a] ^ i ^ (i >> 1)).collect()
                } else {
                    (0..256).map(|_| rng.gen_range(0..256)).collect()
                };
                sim.settle(&from).unwrap();
                reference.settle(&from).unwrap();
                let saved = reference.snapshot();
                for (i, &a2) in order.iter().enumerate() {
                    let mut to = from.clone();
                    to[a] = a2;
                    if row % 3 == 2 && i % 7 == 3 {
                        // A psum move among the activation moves.
                        to[p] = rng.gen::<u64>() >> (64 - p_bits);
                    }
                    let probed = sim.probe_step(&to).unwrap();
                    reference.restore(&saved);
                    let stepped = reference.step(&to).unwrap();
                    let same = |x: f64, y: f64| x.to_bits() == y.to_bits();
                    assert!(
                        same(probed.energy.switching_fj, stepped.energy.switching_fj)
                            && same(probed.energy.internal_fj, stepped.energy.internal_fj)
                            && same(probed.delay_ns, stepped.delay_ns)
                            && probed.toggles == stepped.toggles
                            && probed.glitches == stepped.glitches,
                        "{file} {model:?}: {from:?} -> {to:?} (probe {i} of the row): \
                         probe {probed:?}, step {stepped:?}"
                    );
                    if i == 100 {
                        // Moving the state in between: step there and back.
                        sim.step(&to).unwrap();
                        sim.settle(&from).unwrap();
                    }
                    if i == 200 {
                        let here = sim.snapshot();
                        sim.step(&to).unwrap();
                        sim.restore(&here);
                    }
                }
            }
        }
    }
}
