//! The characterization kernel's pattern on the 8-bit MAC, one weight: settle
//! on (w, a, psum 0), then every a' from there; once on the time wheel
//! (`restore` + `step`, as the sweep ran until 2026-12-02), once with
//! `probe_step` in ascending a' order, and once with `probe_step` in the
//! Gray-code order of a ^ a' that the sweep uses (one bit changes from one
//! probe to the next, so each probe reuses most of the previous one). Prints CPU time per transition (this
//! thread's, from `/proc/thread-self/schedstat`), toggles and visited gates.
//!
//! Run: `cargo bench -p sim --bench sweep_rows -- [WEIGHT [ROWS [wheel|probe|gray]]]`
//! (defaults: weight −77 as the byte 179, 32 rows a = 0, 8, 16, ..., both
//! paths). With a path named, only that one runs, e.g. under
//! `valgrind --tool=callgrind` to count its instructions.

// The random activation stream in `common` is for the other benches.
#[allow(dead_code)]
mod common;

use std::time::Instant;

use sim::DelayModel;

fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let weight: i64 = args.first().map_or(-77, |w| w.parse().expect("weight"));
    let rows: u64 = args.get(1).map_or(32, |r| r.parse().expect("rows"));
    let only = args.get(2).map(String::as_str);
    let mac = common::Mac::load(0);
    let (mut sim, mut inputs) = mac.settled(DelayModel::Sdf, false);
    inputs[mac.w] = (weight as u64) & 0xff;
    let step_a = 256 / rows.max(1);
    println!(
        "{} ({} cells), {rows} rows of 256 transitions",
        mac.netlist_path.display(),
        mac.netlist.instances.len()
    );
    for path in ["wheel", "probe", "gray"] {
        if only.is_some_and(|o| o != path) {
            continue;
        }
        let (wall, cpu) = (Instant::now(), thread_cpu_ns());
        let (mut transitions, mut toggles, mut energy_fj) = (0u64, 0u64, 0f64);
        for r in 0..rows {
            inputs[mac.a] = r * step_a;
            sim.settle(&inputs).expect("settle");
            let saved = sim.snapshot();
            let a = inputs[mac.a];
            for i in 0..256u64 {
                inputs[mac.a] = if path == "gray" { a ^ i ^ (i >> 1) } else { i };
                let step = if path == "wheel" {
                    sim.restore(&saved);
                    sim.step(&inputs)
                } else {
                    sim.probe_step(&inputs)
                }
                .expect("step");
                transitions += 1;
                toggles += step.toggles as u64;
                energy_fj += step.energy.switching_fj + step.energy.internal_fj;
            }
        }
        let wall_s = wall.elapsed().as_secs_f64();
        let cpu_s = cpu
            .zip(thread_cpu_ns())
            .map_or(f64::NAN, |(a, b)| (b - a) as f64 * 1e-9);
        println!(
            "{path}: w = {weight}, {transitions} transitions, {:.3} us/transition CPU ({:.3} wall), \
             {:.1} toggles/transition, mean energy {:.3} fJ",
            cpu_s * 1e6 / transitions as f64,
            wall_s * 1e6 / transitions as f64,
            toggles as f64 / transitions as f64,
            energy_fj / transitions as f64
        );
    }
}
