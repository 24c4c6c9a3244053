//! Transitions per second on the 8-bit MAC: random activation transitions
//! with a fixed random weight and psum 0, one thread, as `characterize`
//! drives the simulator.
//!
//! Run: `cargo bench -p sim --bench step`. The design is the one
//! [`common::Mac`] reads.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sim::DelayModel;

fn bench_steps(c: &mut Criterion) {
    let mac = common::Mac::load(4096);
    let (a, activations) = (mac.a, mac.activations.as_slice());

    let mut group = c.benchmark_group(format!(
        "mac8u {} ({})",
        mac.netlist_path.file_name().unwrap().to_string_lossy(),
        mac.lib.name
    ));
    group.throughput(Throughput::Elements(1));
    for (label, model, transport) in [
        ("sdf inertial", DelayModel::Sdf, false),
        ("sdf transport", DelayModel::Sdf, true),
        ("zero", DelayModel::Zero, false),
    ] {
        let (mut sim, mut inputs) = mac.settled(model, transport);
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
