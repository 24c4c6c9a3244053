//! Transitions per second on the 8-bit MAC: random activation transitions
//! with a fixed random weight and psum 0, one thread, as `characterize`
//! drives the simulator.
//!
//! Run: `cargo bench -p sim --bench step`. The netlist is
//! `netlists/mac8u_sg13g2.v` with `liberty/sg13g2_stdcell_typ_1p20V_25C.lib`
//! when both exist, else the reference `ref_mac8u_sg13g2` netlist with the
//! shared library.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand::{Rng, SeedableRng};
use sim::{DelayModel, SimOptions, Simulator};

fn design_paths() -> (PathBuf, PathBuf) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let netlist = root.join("netlists/mac8u_sg13g2.v");
    let lib = root.join("liberty/sg13g2_stdcell_typ_1p20V_25C.lib");
    if netlist.exists() && lib.exists() {
        return (netlist, lib);
    }
    let shared = root.join("../shared");
    (
        shared.join("reference/ref_mac8u_sg13g2/netlist.v"),
        shared.join("liberty/sg13g2_stdcell_typ_1p20V_25C.lib"),
    )
}

fn bench_steps(c: &mut Criterion) {
    let (netlist_path, lib_path) = design_paths();
    let lib = liberty::read_library(&lib_path).expect("library");
    let netlist = netlist::Netlist::read(&netlist_path, &lib, None).expect("netlist");
    let port = |name: &str| {
        netlist
            .inputs
            .iter()
            .position(|p| p.name == name)
            .unwrap_or_else(|| panic!("no port {name}"))
    };
    let (w, a) = (port("w"), port("a"));
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let weight: u64 = rng.gen_range(0..256);
    // A long random activation sequence: each step is one transition.
    let activations: Vec<u64> = (0..4096).map(|_| rng.gen_range(0..256)).collect();

    let mut group = c.benchmark_group(format!(
        "mac8u {} ({})",
        netlist_path.file_name().unwrap().to_string_lossy(),
        lib.name
    ));
    group.throughput(Throughput::Elements(1));
    for (label, model, transport) in [
        ("sdf inertial", DelayModel::Sdf, false),
        ("sdf transport", DelayModel::Sdf, true),
        ("zero", DelayModel::Zero, false),
    ] {
        let options = SimOptions {
            delay_model: model,
            transport,
            ..SimOptions::default()
        };
        let mut sim = Simulator::new(&netlist, &lib, &options).expect("simulator");
        let mut inputs = vec![0u64; netlist.inputs.len()];
        inputs[w] = weight;
        sim.settle(&inputs).expect("settle");
        let mut i = 0;
        group.bench_function(label, |b| {
            b.iter(|| {
                inputs[a] = activations[i % activations.len()];
                i += 1;
                sim.step(&inputs).expect("step")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_steps);
criterion_main!(benches);
