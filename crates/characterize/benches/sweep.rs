//! Throughput of the characterization inner loop on the shipped MACs.
//!
//! `cargo bench -p characterize --bench sweep`. The full 2^24-transition
//! sweep of the 8-bit MAC is timed end to end by `bench/characterize_sweep.sh`;
//! this bench isolates one activation row (256 transitions sharing one
//! settled state) so changes to the kernel or the simulator show quickly.

use std::path::{Path, PathBuf};

use characterize::design::Design;
use characterize::kernel::{Kernel, WeightRows};
use characterize::ports::{MacPorts, PortRoles};
use characterize::psum::PsumSpec;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn design(netlist: &str) -> Design {
    let lib = repo().join("liberty/sg13g2_stdcell_typ_1p20V_25C.lib");
    Design::load(&repo().join("netlists").join(netlist), &lib, None)
        .expect("shipped netlist and library")
}

fn bench_rows(c: &mut Criterion) {
    let mut group = c.benchmark_group("characterize");
    for (netlist, weight, a) in [
        ("mac8u_sg13g2.v", -77i64, 173u32),
        ("mac8u_sg13g2.v", 1, 0),
        ("mac3u_sg13g2.v", -3, 5),
    ] {
        let d = design(netlist);
        let ports = MacPorts::bind(&d.netlist, &PortRoles::default()).expect("ports");
        let acts = ports.act.encoding.ascending();
        let kernel = Kernel::new(&ports, &acts, PsumSpec::default());
        let n = acts.len();
        // One settled state (w, a, 0) and every a' from it.
        let pairs: Vec<(u32, u32)> = (0..n as u32).map(|j| (a, j)).collect();
        let mut sim = d.simulator(10.0).expect("simulator");
        let mut inputs = kernel.input_buffer();
        let (mut e, mut dl, mut t) = (vec![0f32; n], vec![0f32; n], vec![0f32; n]);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("{netlist} w={weight} a={a} -> all a'"), |b| {
            b.iter(|| {
                let mut rows = WeightRows {
                    energy_fj: &mut e,
                    delay_ns: &mut dl,
                    toggles: &mut t,
                };
                kernel
                    .run_pairs(&mut sim, &mut inputs, weight, &pairs, &mut rows)
                    .expect("simulation");
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_rows);
criterion_main!(benches);
