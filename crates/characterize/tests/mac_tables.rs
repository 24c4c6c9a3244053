//! Tables of the shipped small MACs checked against the simulator run
//! separately, one transition at a time, and against OpenSTA.

use std::path::{Path, PathBuf};

use characterize::design::Design;
use characterize::engine::Engine;
use characterize::psum::{draw_bits, PsumSpec, TransitionRng};
use characterize::shard::Shard;
use characterize::sweep::{self, RunOptions};
use characterize::{Request, Result};
use sim::{Simulator, StepResult};
use tables::{PsumModel, Tables};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn lib_1p20() -> PathBuf {
    testdata::liberty("sg13g2_stdcell_typ_1p20V_25C.lib")
}

fn load(name: &str) -> Design {
    Design::load(&repo().join("netlists").join(name), &lib_1p20(), None).unwrap()
}

fn quiet(threads: usize) -> RunOptions {
    RunOptions {
        threads: Some(threads),
        progress: false,
    }
}

/// One transition on a fresh simulator: settle at `before`, step to `after`.
fn single(design: &Design, period_ns: f64, before: &[u64], after: &[u64]) -> StepResult {
    let mut sim = design.simulator(period_ns).unwrap();
    sim.settle(before).unwrap();
    sim.step(after).unwrap()
}

/// Input vector in port order from (weight, activation, psum) bit patterns.
fn vector(design: &Design, w: u64, a: u64, p: u64) -> Vec<u64> {
    design
        .netlist
        .inputs
        .iter()
        .map(|port| match port.name.as_str() {
            "w" => w,
            "a" => a,
            "p_in" => p,
            other => panic!("unexpected input {other}"),
        })
        .collect()
}

fn files_equal(a: &Path, b: &Path) {
    for name in [
        "energy_fj.npy",
        "delay_ns.npy",
        "toggles.npy",
        "per_weight.csv",
    ] {
        let (x, y) = (
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
        );
        assert!(
            x == y,
            "{name} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn every_entry_equals_a_separate_single_transition_simulation() {
    let design = load("mac2u_sg13g2.v");
    let out = tempfile::tempdir().unwrap();
    let request = Request {
        clock_period_ns: Some(5.0),
        ..Request::default()
    };
    let t = characterize::characterize(&design, &request, out.path(), &quiet(2))
        .unwrap()
        .tables;
    let meta = t.meta();
    // 2-bit signed weight, 2-bit unsigned activation.
    assert_eq!(meta.weights, vec![-2, -1, 0, 1]);
    assert_eq!(meta.acts, vec![0, 1, 2, 3]);
    let mut moved = 0;
    for (wi, &w) in meta.weights.iter().enumerate() {
        for (i, &a) in meta.acts.iter().enumerate() {
            for (j, &a2) in meta.acts.iter().enumerate() {
                let wb = (w as u64) & 0b11;
                let s = single(
                    &design,
                    5.0,
                    &vector(&design, wb, a as u64, 0),
                    &vector(&design, wb, a2 as u64, 0),
                );
                let what = format!("w={w} {a}->{a2}");
                assert_eq!(
                    t.energy_fj(wi, i, j),
                    (s.energy.switching_fj + s.energy.internal_fj) as f32,
                    "{what}"
                );
                assert_eq!(t.delay_ns(wi, i, j), s.delay_ns as f32, "{what}");
                assert_eq!(t.toggles(wi, i, j), Some(s.toggles as f32), "{what}");
                if i == j {
                    // Nothing changes: only leakage, which the table keeps apart.
                    assert_eq!(
                        (t.energy_fj(wi, i, j), t.delay_ns(wi, i, j)),
                        (0.0, 0.0),
                        "{what}"
                    );
                    assert!(s.energy.leakage_fj > 0.0);
                }
                if w * a != w * a2 {
                    // The product changes, so p_out must move and take time.
                    assert!(t.delay_ns(wi, i, j) > 0.0, "{what}");
                    moved += 1;
                }
            }
        }
    }
    // Every pair a != a' of the three non-zero weights: 3 × (4 × 3).
    assert_eq!(moved, 3 * 12);
    // Leakage at all-zero inputs, from the simulator's own state power: nW → W.
    let mut sim = design.simulator(5.0).unwrap();
    sim.settle(&vector(&design, 0, 0, 0)).unwrap();
    assert!((meta.leakage_w - sim.leakage_nw() * 1e-9).abs() <= 1e-6 * meta.leakage_w);
}

#[test]
fn sensitized_delays_never_exceed_the_sta_worst_delay() {
    let design = load("mac3u_sg13g2.v");
    let out = tempfile::tempdir().unwrap();
    let t = characterize::characterize(&design, &Request::default(), out.path(), &quiet(2))
        .unwrap()
        .tables;
    let sta = t.meta().sta_worst_delay_ns;
    assert!(sta > 0.0);
    let worst = t.delay_ns_array().iter().fold(0.0f32, |m, &d| m.max(d));
    assert!(
        f64::from(worst) <= sta * (1.0 + 1e-6),
        "worst sensitized {worst} ns > STA {sta} ns"
    );
    // A loose floor, not a measured figure: sweeping every transition must
    // reach well beyond the shortest paths.
    assert!(
        f64::from(worst) > 0.3 * sta,
        "a full-range sweep should sensitize a long path"
    );
}

#[test]
fn sta_worst_delay_matches_opensta_on_the_8bit_mac() {
    let design = load("mac8u_sg13g2.v");
    let reference: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(testdata::reference("ref_mac8u_sg13g2", "opensta.json")).unwrap(),
    )
    .unwrap();
    let expected = reference["worst_arrival_ns"].as_f64().unwrap();
    let got = design.sta_worst_delay_ns();
    assert!(
        (got - expected).abs() < 1e-3,
        "STA worst {got} ns, OpenSTA {expected} ns"
    );
}

#[test]
fn one_and_two_threads_write_the_same_bytes() {
    let design = load("mac3u_sg13g2.v");
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let request = Request {
        psum: PsumSpec::new(PsumModel::Random, 2, 3).unwrap(),
        ..Request::default()
    };
    characterize::characterize(&design, &request, one.path(), &quiet(1)).unwrap();
    characterize::characterize(&design, &request, two.path(), &quiet(2)).unwrap();
    files_equal(one.path(), two.path());
}

#[test]
fn merged_shards_equal_one_run() {
    let design = load("mac3u_sg13g2.v");
    let whole = tempfile::tempdir().unwrap();
    let request = Request {
        weights: Some("3,-4:-1,0".into()),
        ..Request::default()
    };
    characterize::characterize(&design, &request, whole.path(), &quiet(2)).unwrap();
    let root = tempfile::tempdir().unwrap();
    let dirs: Vec<PathBuf> = (0..2).map(|i| root.path().join(format!("s{i}"))).collect();
    for (i, dir) in dirs.iter().enumerate() {
        let shard = Shard {
            index: i as u32,
            count: 2,
        };
        characterize::characterize(
            &design,
            &Request {
                shard,
                ..request.clone()
            },
            dir,
            &quiet(1),
        )
        .unwrap();
    }
    let merged = root.path().join("merged");
    characterize::merge(&dirs, &merged).unwrap();
    files_equal(whole.path(), &merged);
    assert_eq!(
        Tables::load(&merged).unwrap().meta().weights,
        vec![3, -4, -3, -2, -1, 0]
    );
}

/// A simulator that stops after a number of steps, like a killed process.
struct Dies<'a> {
    sim: Simulator<'a>,
    steps_left: usize,
}

impl Engine for Dies<'_> {
    type Snapshot = sim::Snapshot;
    fn settle(&mut self, inputs: &[u64]) -> Result<()> {
        Engine::settle(&mut self.sim, inputs)
    }
    fn step(&mut self, inputs: &[u64]) -> Result<StepResult> {
        if self.steps_left == 0 {
            return Err(characterize::Error::Input("killed".into()));
        }
        self.steps_left -= 1;
        Engine::step(&mut self.sim, inputs)
    }
    fn snapshot(&self) -> sim::Snapshot {
        self.sim.snapshot()
    }
    fn restore(&mut self, s: &sim::Snapshot) {
        self.sim.restore(s)
    }
}

#[test]
fn resume_after_a_kill_and_lost_results_gives_identical_files() {
    let design = load("mac3u_sg13g2.v");
    let request = Request::default();
    let clean = tempfile::tempdir().unwrap();
    characterize::characterize(&design, &request, clean.path(), &quiet(2)).unwrap();

    let plan = design.plan(&request).unwrap();
    let out = tempfile::tempdir().unwrap();
    // Dies during the fifth weight (64 transitions each, plus the leakage step).
    let killed = sweep::run(&plan, out.path(), &quiet(1), || {
        Ok(Dies {
            sim: design.simulator(plan.clock_period_ns)?,
            steps_left: 1 + 4 * 64 + 10,
        })
    });
    assert!(killed.unwrap_err().to_string().contains("killed"));
    let partial = out.path().join(".partial");
    std::fs::remove_file(partial.join("w00002.bin")).unwrap();
    let resumed = characterize::characterize(&design, &request, out.path(), &quiet(2)).unwrap();
    assert_eq!((resumed.resumed, resumed.computed), (3, 5));
    files_equal(clean.path(), out.path());
}

#[test]
fn psum_models_match_hand_run_simulations() {
    let design = load("mac3u_sg13g2.v");
    let out = tempfile::tempdir().unwrap();
    let seed = 42;
    let hold = Request {
        weights: Some("-3,2".into()),
        psum: PsumSpec::new(PsumModel::Hold, 2, seed).unwrap(),
        ..Request::default()
    };
    let t = characterize::characterize(&design, &hold, out.path(), &quiet(2))
        .unwrap()
        .tables;
    let streams = TransitionRng::new(seed, 3);
    for (wi, w) in [-3i64, 2].into_iter().enumerate() {
        let wb = (w as u64) & 0b111;
        // a -> a with a held psum changes no input.
        for i in 0..8 {
            assert_eq!((t.energy_fj(wi, i, i), t.delay_ns(wi, i, i)), (0.0, 0.0));
        }
        for (a, a2) in [(0u64, 7u64), (5, 2)] {
            let mut rng = streams.for_transition(wb, a, a2);
            let (mut e, mut d) = (0.0, 0.0f64);
            for _ in 0..2 {
                let p = draw_bits(&mut rng, 8);
                let s = single(
                    &design,
                    10.0,
                    &vector(&design, wb, a, p),
                    &vector(&design, wb, a2, p),
                );
                e += s.energy.switching_fj + s.energy.internal_fj;
                d = d.max(s.delay_ns);
            }
            assert_eq!(t.energy_fj(wi, a as usize, a2 as usize), (e / 2.0) as f32);
            assert_eq!(t.delay_ns(wi, a as usize, a2 as usize), d as f32);
        }
    }
    let random = Request {
        psum: PsumSpec::new(PsumModel::Random, 1, seed).unwrap(),
        ..hold
    };
    let t = characterize::characterize(&design, &random, out.path(), &quiet(2))
        .unwrap()
        .tables;
    let wb = (-3i64 as u64) & 0b111;
    let mut rng = streams.for_transition(wb, 4, 4);
    let (p, p2) = (draw_bits(&mut rng, 8), draw_bits(&mut rng, 8));
    let s = single(
        &design,
        10.0,
        &vector(&design, wb, 4, p),
        &vector(&design, wb, 4, p2),
    );
    assert_eq!(
        t.energy_fj(0, 4, 4),
        (s.energy.switching_fj + s.energy.internal_fj) as f32
    );
    assert!(
        p != p2 && t.energy_fj(0, 4, 4) > 0.0,
        "a moving psum costs energy even when a stays"
    );
}
