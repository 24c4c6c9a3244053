//! STA wall time: arc resolution, propagation and the worst-path report on
//! the 8-bit MAC, the 16-bit MAC (synthesized by bench/synth_mac16.sh, run
//! here when its netlist is missing) and OpenROAD's gcd with its SDC (when
//! ../shared is there).
//! Parsing the library and netlist is not timed.
//!
//!     cargo bench -p timing --bench sta

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use timing::{Conditions, Constraints, Report};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bench_design(
    c: &mut Criterion,
    name: &str,
    lib: &liberty::Library,
    nl: &netlist::Netlist,
    constraints: &Constraints,
) {
    eprintln!(
        "{name}: {} instances, {} nets",
        nl.instances.len(),
        nl.nets.len()
    );
    c.bench_function(&format!("sta/{name}"), |b| {
        b.iter(|| {
            let t = timing::analyze(nl, lib, constraints);
            Report::new(nl, lib, constraints, &t).worst_arrival_ns
        })
    });
    c.bench_function(&format!("arc_delays/{name}"), |b| {
        b.iter(|| {
            timing::arc_delays(nl, lib, &Conditions::default())
                .arcs
                .len()
        })
    });
}

fn mac(c: &mut Criterion, name: &str, path: &Path) {
    let lib =
        liberty::read_library(root().join("liberty/sg13g2_stdcell_typ_1p20V_25C.lib")).unwrap();
    let nl = netlist::Netlist::read(path, &lib, Some("mac")).unwrap();
    let constraints = Constraints::with_clock_period(&nl, &lib, &Conditions::default(), 10.0);
    bench_design(c, name, &lib, &nl, &constraints);
}

fn benches(c: &mut Criterion) {
    mac(c, "mac8u_sg13g2", &root().join("netlists/mac8u_sg13g2.v"));

    let mac16 = root().join("target/bench/mac16u_sg13g2.v");
    if !mac16.exists() {
        let status = std::process::Command::new(root().join("bench/synth_mac16.sh"))
            .arg(&mac16)
            .status();
        assert!(
            status.is_ok_and(|s| s.success()),
            "bench/synth_mac16.sh failed (is yosys installed?)"
        );
    }
    mac(c, "mac16u_sg13g2", &mac16);

    let (Some(lib), Some(dir)) = (
        testdata::shared("liberty/sky130hd_tt.lib.gz", "gcd STA bench"),
        testdata::shared("reference/gcd_sky130hd", "gcd STA bench"),
    ) else {
        return;
    };
    let lib = liberty::read_library(lib).unwrap();
    let nl = netlist::Netlist::read(dir.join("gcd_sky130hd.v"), &lib, None).unwrap();
    let base = Constraints::from_conditions(&nl, &Conditions::default());
    let constraints = sdc::read(dir.join("gcd_sky130hd.sdc"), &nl, &lib, base).unwrap();
    bench_design(c, "gcd_sky130hd", &lib, &nl, &constraints);
}

criterion_group!(sta, benches);
criterion_main!(sta);
