//! The sweep's bookkeeping (table order, threads, shards, resume, psum
//! streams) checked with an engine whose answers are known in closed form,
//! so every expected number below is computed here from the formula, not
//! taken from a previous run.

use std::cell::Cell;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use characterize::engine::Engine;
use characterize::plan::Plan;
use characterize::ports::{BoundPort, MacPorts};
use characterize::psum::PsumSpec;
use characterize::shard::Shard;
use characterize::sweep::{run, RunOptions};
use characterize::values::Encoding;
use characterize::Error;
use sim::{Energy, StepResult};
use tables::{LibraryInfo, PsumModel, Tables};

const W: Encoding = Encoding {
    width: 3,
    signed: true,
};
const A: Encoding = Encoding {
    width: 3,
    signed: false,
};
const P: Encoding = Encoding {
    width: 5,
    signed: true,
};
const LEAK_FJ: f64 = 2.0;

/// Inputs in port order: psum, activation, weight (deliberately not the
/// role order, so index mix-ups show).
const PI: usize = 0;
const AI: usize = 1;
const WI: usize = 2;

/// Energy of a transition in the closed-form model: each flipped
/// activation bit costs 1 + |w| fJ switching, each flipped psum bit 0.5 fJ;
/// every flipped bit also costs 0.25 fJ internal.
fn model_energy(w: i64, a: u64, a2: u64, p: u64, p2: u64) -> f64 {
    let fa = (a ^ a2).count_ones() as f64;
    let fp = (p ^ p2).count_ones() as f64;
    fa * (1.0 + w.unsigned_abs() as f64) + 0.5 * fp + 0.25 * (fa + fp)
}

fn model_delay(w: i64, a: u64, a2: u64, p: u64, p2: u64) -> f64 {
    let changed = (a ^ a2) | (p ^ p2);
    if changed == 0 {
        0.0
    } else {
        0.125 * f64::from(64 - changed.leading_zeros()) + 0.0625 * w.unsigned_abs() as f64
    }
}

/// The closed-form engine; it counts settles to show the snapshot sharing.
struct Formula<'a> {
    state: [u64; 3],
    settles: &'a AtomicUsize,
    /// Fail on the step after this many steps (to imitate a killed run).
    fail_after: Option<Cell<usize>>,
}

impl Engine for Formula<'_> {
    type Snapshot = [u64; 3];

    fn settle(&mut self, inputs: &[u64]) -> characterize::Result<()> {
        self.settles.fetch_add(1, Ordering::Relaxed);
        self.state.copy_from_slice(inputs);
        Ok(())
    }

    fn step(&mut self, inputs: &[u64]) -> characterize::Result<StepResult> {
        if let Some(left) = &self.fail_after {
            if left.get() == 0 {
                return Err(Error::Input("killed".into()));
            }
            left.set(left.get() - 1);
        }
        assert_eq!(
            inputs[WI], self.state[WI],
            "the weight never changes within a step"
        );
        let w = W.value(inputs[WI]);
        let (a, a2, p, p2) = (self.state[AI], inputs[AI], self.state[PI], inputs[PI]);
        let flips = ((a ^ a2).count_ones() + (p ^ p2).count_ones()) as f64;
        self.state.copy_from_slice(inputs);
        Ok(StepResult {
            energy: Energy {
                switching_fj: model_energy(w, a, a2, p, p2) - 0.25 * flips,
                internal_fj: 0.25 * flips,
                leakage_fj: LEAK_FJ,
            },
            delay_ns: model_delay(w, a, a2, p, p2),
            toggles: (a ^ a2).count_ones() + (p ^ p2).count_ones(),
            glitches: 0,
        })
    }

    fn snapshot(&self) -> [u64; 3] {
        self.state
    }

    fn restore(&mut self, snapshot: &[u64; 3]) {
        self.state = *snapshot;
    }
}

fn plan(weights: Vec<i64>, psum: PsumSpec, shard: Shard) -> Plan {
    let port = |name: &str, index, encoding| BoundPort {
        name: name.into(),
        index,
        encoding,
    };
    Plan {
        netlist_file: "formula.v".into(),
        netlist_hash: "0".repeat(64),
        top: "mac".into(),
        library: LibraryInfo {
            name: "formula".into(),
            voltage_v: 1.2,
            file: "formula.lib".into(),
        },
        library_hash: "1".repeat(64),
        ports: MacPorts {
            weight: port("w", WI, W),
            act: port("a", AI, A),
            psum: port("p_in", PI, P),
            input_count: 3,
        },
        weights,
        acts: A.ascending(),
        shard,
        psum,
        psum_pool: None,
        clock_period_ns: 10.0,
        sta_worst_delay_ns: 1.0,
    }
}

fn go(
    plan: &Plan,
    out: &Path,
    threads: usize,
    settles: &AtomicUsize,
    fail_after: Option<usize>,
) -> characterize::Result<Tables> {
    let options = RunOptions {
        threads: Some(threads),
        progress: false,
    };
    run(plan, out, &options, || {
        Ok(Formula {
            state: [0; 3],
            settles,
            fail_after: fail_after.map(Cell::new),
        })
    })
    .map(|o| o.tables)
}

fn bytes(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

const OUTPUTS: [&str; 4] = [
    "energy_fj.npy",
    "delay_ns.npy",
    "toggles.npy",
    "per_weight.csv",
];

fn assert_same_files(a: &Path, b: &Path) {
    for name in OUTPUTS {
        assert!(
            bytes(a, name) == bytes(b, name),
            "{name} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn tables_hold_each_transition_at_its_weight_and_activation_indices() {
    let tmp = tempfile::tempdir().unwrap();
    let settles = AtomicUsize::new(0);
    let weights = vec![3, -4, 0, -1];
    let t = go(
        &plan(weights.clone(), PsumSpec::default(), Shard::ALL),
        tmp.path(),
        2,
        &settles,
        None,
    )
    .unwrap();
    let acts = A.ascending();
    for (wi, &w) in weights.iter().enumerate() {
        for (i, &a) in acts.iter().enumerate() {
            for (j, &a2) in acts.iter().enumerate() {
                let (ab, a2b) = (A.bits(a), A.bits(a2));
                assert_eq!(
                    t.energy_fj(wi, i, j),
                    model_energy(w, ab, a2b, 0, 0) as f32,
                    "w={w} {a}->{a2}"
                );
                assert_eq!(t.delay_ns(wi, i, j), model_delay(w, ab, a2b, 0, 0) as f32);
                assert_eq!(t.toggles(wi, i, j), Some((ab ^ a2b).count_ones() as f32));
            }
            // a → a with the psum held: leakage only, which the tables keep apart.
            assert_eq!((t.energy_fj(wi, i, i), t.delay_ns(wi, i, i)), (0.0, 0.0));
        }
    }
    // One settle per (w, a) plus the leakage measurement: the settled state
    // is shared by all a'.
    assert_eq!(
        settles.load(Ordering::Relaxed),
        weights.len() * acts.len() + 1
    );
    let meta = t.meta();
    assert_eq!(meta.weights, weights);
    assert_eq!(meta.acts, (0..8).collect::<Vec<i64>>());
    // 2 fJ per 10 ns = 0.2 µW.
    assert!((meta.leakage_w - 2e-7).abs() < 1e-18);
    // The directory holds what was returned.
    assert_eq!(Tables::load(tmp.path()).unwrap(), t);
    assert!(!tmp.path().join(".partial").exists());
}

#[test]
fn thread_count_does_not_change_a_byte() {
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let settles = AtomicUsize::new(0);
    let psum = PsumSpec::new(PsumModel::Random, 3, 11).unwrap();
    let p = plan(W.ascending(), psum, Shard::ALL);
    go(&p, one.path(), 1, &settles, None).unwrap();
    go(&p, two.path(), 2, &settles, None).unwrap();
    assert_same_files(one.path(), two.path());
}

#[test]
fn merged_shards_equal_one_run() {
    let settles = AtomicUsize::new(0);
    let psum = PsumSpec::new(PsumModel::Hold, 2, 5).unwrap();
    let weights = vec![2, -3, 0, 1, -4, 3, -1];
    let whole = tempfile::tempdir().unwrap();
    go(
        &plan(weights.clone(), psum, Shard::ALL),
        whole.path(),
        2,
        &settles,
        None,
    )
    .unwrap();
    let root = tempfile::tempdir().unwrap();
    let dirs: Vec<_> = (0..3)
        .map(|i| root.path().join(format!("shard{i}")))
        .collect();
    // Shards in reverse order, to show merge does not rely on argument order.
    for i in (0..3).rev() {
        let shard = Shard { index: i, count: 3 };
        let t = go(
            &plan(weights.clone(), psum, shard),
            &dirs[i as usize],
            1,
            &settles,
            None,
        )
        .unwrap();
        assert_eq!(
            t.meta().weights,
            shard
                .positions(7)
                .iter()
                .map(|&k| weights[k])
                .collect::<Vec<_>>()
        );
    }
    let merged = root.path().join("merged");
    characterize::merge(
        &[dirs[2].clone(), dirs[0].clone(), dirs[1].clone()],
        &merged,
    )
    .unwrap();
    assert_same_files(whole.path(), &merged);

    let err = characterize::merge(&dirs[..2], &merged)
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing shard(s) 2/3"), "{err}");
    let err = characterize::merge(&[dirs[0].clone(), dirs[0].clone()], &merged)
        .unwrap_err()
        .to_string();
    assert!(err.contains("given twice"), "{err}");
    let other = root.path().join("other");
    go(
        &plan(
            weights,
            PsumSpec::new(PsumModel::Hold, 2, 6).unwrap(),
            Shard { index: 1, count: 3 },
        ),
        &other,
        1,
        &settles,
        None,
    )
    .unwrap();
    let err = characterize::merge(&[dirs[0].clone(), other, dirs[2].clone()], &merged)
        .unwrap_err()
        .to_string();
    assert!(err.contains("different sweep"), "{err}");
}

#[test]
fn killed_run_resumes_to_identical_files() {
    let settles = AtomicUsize::new(0);
    let p = plan(
        W.ascending(),
        PsumSpec::new(PsumModel::Random, 2, 9).unwrap(),
        Shard::ALL,
    );
    let clean = tempfile::tempdir().unwrap();
    go(&p, clean.path(), 1, &settles, None).unwrap();

    let out = tempfile::tempdir().unwrap();
    // One thread dies after five weights' worth of steps (64 transitions x
    // 2 samples each), mid-way through the sixth.
    let err = go(&p, out.path(), 1, &settles, Some(5 * 64 * 2 + 17)).unwrap_err();
    assert!(err.to_string().contains("killed"));
    let partial = out.path().join(".partial");
    let saved = |dir: &Path| {
        std::fs::read_dir(dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".bin")
            })
            .count()
    };
    assert_eq!(saved(&partial), 5);
    assert!(
        !out.path().join("energy_fj.npy").exists(),
        "no table before the sweep ends"
    );
    // Lose one finished weight and damage another: both are recomputed.
    std::fs::remove_file(partial.join("w00001.bin")).unwrap();
    let damaged = partial.join("w00003.bin");
    let mut b = std::fs::read(&damaged).unwrap();
    b[100] ^= 1;
    std::fs::write(&damaged, b).unwrap();
    // The killed run left its wall time; pretend it took 1000 s so that
    // the final meta.json must show the sum of both runs.
    let runtime_file = partial.join("runtime_s");
    let killed_s: f64 = std::fs::read_to_string(&runtime_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(killed_s > 0.0 && killed_s < 1000.0, "{killed_s}");
    std::fs::write(&runtime_file, "1000").unwrap();

    let options = RunOptions {
        threads: Some(2),
        progress: false,
    };
    let outcome = run(&p, out.path(), &options, || {
        Ok(Formula {
            state: [0; 3],
            settles: &settles,
            fail_after: None,
        })
    })
    .unwrap();
    assert_eq!((outcome.resumed, outcome.computed), (3, 5));
    assert_eq!(outcome.warnings.len(), 1);
    assert!(
        outcome.warnings[0].contains("checksum"),
        "{:?}",
        outcome.warnings
    );
    assert_same_files(clean.path(), out.path());
    assert!(!partial.exists());
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("meta.json")).unwrap())
            .unwrap();
    let total = meta["runtime_s"].as_f64().unwrap();
    assert!(
        (total - (1000.0 + outcome.runtime_s)).abs() < 1e-6,
        "{total} vs 1000 + {}",
        outcome.runtime_s
    );
}

#[test]
fn partial_results_of_other_arguments_are_refused() {
    let settles = AtomicUsize::new(0);
    let out = tempfile::tempdir().unwrap();
    let p = plan(vec![1, 2], PsumSpec::default(), Shard::ALL);
    go(&p, out.path(), 1, &settles, Some(70)).unwrap_err();
    let other = Plan {
        clock_period_ns: 5.0,
        ..p.clone()
    };
    let err = go(&other, out.path(), 1, &settles, None)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("different run") && err.contains(".partial"),
        "{err}"
    );
    // The original arguments still resume.
    go(&p, out.path(), 1, &settles, None).unwrap();
}

#[test]
fn psum_models_follow_their_definitions() {
    let settles = AtomicUsize::new(0);
    let dir = tempfile::tempdir().unwrap();
    // hold: p is the same before and after, so it costs nothing by itself and
    // a → a is still free; the activation part is as with zero.
    let hold = go(
        &plan(
            vec![-2, 3],
            PsumSpec::new(PsumModel::Hold, 4, 1).unwrap(),
            Shard::ALL,
        ),
        dir.path(),
        2,
        &settles,
        None,
    )
    .unwrap();
    for (wi, w) in [-2i64, 3].into_iter().enumerate() {
        for i in 0..8usize {
            for j in 0..8usize {
                let expect = model_energy(w, i as u64, j as u64, 0, 0) as f32;
                assert_eq!(hold.energy_fj(wi, i, j), expect);
            }
        }
    }
    // random: a → a now moves the psum, so it costs energy; the mean of the
    // samples matches the streams the module documents.
    let spec = PsumSpec::new(PsumModel::Random, 3, 77).unwrap();
    let random = go(
        &plan(vec![-2, 3], spec, Shard::ALL),
        dir.path(),
        2,
        &settles,
        None,
    )
    .unwrap();
    let streams = characterize::psum::TransitionRng::new(77, A.width);
    for (wi, w) in [-2i64, 3].into_iter().enumerate() {
        for (i, j) in [(0usize, 0usize), (5, 2), (7, 7)] {
            let mut rng = streams.for_transition(W.bits(w), i as u64, j as u64);
            let (mut e, mut d) = (0.0, 0.0f64);
            for _ in 0..3 {
                let p = characterize::psum::draw_bits(&mut rng, P.width);
                let p2 = characterize::psum::draw_bits(&mut rng, P.width);
                e += model_energy(w, i as u64, j as u64, p, p2);
                d = d.max(model_delay(w, i as u64, j as u64, p, p2));
            }
            assert_eq!(random.energy_fj(wi, i, j), (e / 3.0) as f32);
            assert_eq!(random.delay_ns(wi, i, j), d as f32);
        }
        assert!(random.energy_fj(wi, 0, 0) > 0.0);
    }
}

#[test]
fn a_shard_without_weights_is_an_error() {
    let settles = AtomicUsize::new(0);
    let dir = tempfile::tempdir().unwrap();
    let err = go(
        &plan(
            vec![1, 2],
            PsumSpec::default(),
            Shard { index: 2, count: 3 },
        ),
        dir.path(),
        1,
        &settles,
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("gets no weights"), "{err}");
}
