//! Transitions per second of one thread, by wall clock and by the thread's
//! own CPU time (read from `/proc/thread-self/schedstat`, so the figure holds
//! on a shared, loaded machine), on the 8-bit MAC: random activation
//! transitions, a fixed random weight, psum 0, as `characterize` runs them.
//!
//! Run: `cargo bench -p sim --bench throughput` (prints one line per model).
//! The design is the one [`common::Mac`] reads.

mod common;

use std::time::Instant;

use sim::DelayModel;

/// Transitions timed per model (after as many for warm-up).
const TRANSITIONS: usize = 200_000;

/// CPU time this thread has run, ns (None where /proc does not say).
fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Print the throughput of `TRANSITIONS` steps timed from `wall`/`cpu`.
fn report(label: &str, wall: Instant, cpu: Option<u64>, toggles: Option<u64>) {
    let wall_s = wall.elapsed().as_secs_f64();
    let cpu_s = cpu.zip(thread_cpu_ns()).map(|(a, b)| (b - a) as f64 * 1e-9);
    println!(
        "{label:17} {:>9.0} transitions/s wall, {} CPU{}",
        TRANSITIONS as f64 / wall_s,
        cpu_s.map_or("n/a".into(), |s| format!(
            "{:>9.0} transitions/s",
            TRANSITIONS as f64 / s
        )),
        toggles.map_or(String::new(), |t| format!(
            "; {:.1} toggles per transition",
            t as f64 / TRANSITIONS as f64
        ))
    );
}

fn main() {
    let mac = common::Mac::load(TRANSITIONS);
    let (a, activations) = (mac.a, mac.activations.as_slice());
    println!(
        "{} on {} ({} cells), weight {}, {TRANSITIONS} random activation transitions",
        mac.netlist_path.display(),
        mac.lib.name,
        mac.netlist.instances.len(),
        mac.weight
    );
    for (label, model, transport) in [
        ("sdf inertial", DelayModel::Sdf, false),
        ("sdf transport", DelayModel::Sdf, true),
        ("unit inertial", DelayModel::Unit, false),
        ("zero", DelayModel::Zero, false),
    ] {
        let (mut sim, mut inputs) = mac.settled(model, transport);
        if label == "sdf inertial" {
            // characterize's pattern: settle on (w, a), then restore and step to
            // each next activation.
            inputs[a] = 0;
            sim.settle(&inputs).expect("settle");
            let saved = sim.snapshot();
            let (wall, cpu) = (Instant::now(), thread_cpu_ns());
            for &x in activations {
                sim.restore(&saved);
                inputs[a] = x;
                sim.step(&inputs).expect("step");
            }
            report("sdf restore+step", wall, cpu, None);
            sim.settle(&inputs).expect("settle");
        }
        let mut run = |count: usize| {
            let mut events = 0u64;
            for &x in &activations[..count] {
                inputs[a] = x;
                events += sim.step(&inputs).expect("step").toggles as u64;
            }
            events
        };
        run(TRANSITIONS / 4);
        let (wall, cpu) = (Instant::now(), thread_cpu_ns());
        let toggles = run(TRANSITIONS);
        report(label, wall, cpu, Some(toggles));
    }
}
