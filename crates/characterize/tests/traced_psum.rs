//! The traced psum model and the gate-level replay of PE streams, on the
//! shipped 3-bit MAC, checked against the simulator run by hand.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use characterize::design::Design;
use characterize::psum::{PsumPool, PsumSpec, TransitionRng};
use characterize::replay::{replay_stream, table_energy_fj, validate, LayerTables};
use characterize::sweep::RunOptions;
use characterize::values::Encoding;
use characterize::Request;
use sim::StepResult;
use tables::trace::{PeStream, PeTrace};
use tables::{PsumGiven, PsumModel, TraceDraw};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The shipped 3-bit MAC (w 3-bit signed, a 3-bit unsigned, p_in 8-bit
/// signed) on the shipped SG13G2 1.20 V library.
fn mac3() -> Design {
    Design::load(
        &repo().join("netlists/mac3u_sg13g2.v"),
        &repo().join("liberty/sg13g2_stdcell_typ_1p20V_25C.lib"),
        None,
    )
    .unwrap()
}

fn quiet() -> RunOptions {
    RunOptions {
        threads: Some(2),
        progress: false,
    }
}

/// Input vector in port order from (weight, activation, psum) values.
fn vector(design: &Design, w: i64, a: i64, p: i64) -> Vec<u64> {
    design
        .netlist
        .inputs
        .iter()
        .map(|port| match port.name.as_str() {
            "w" => (w as u64) & 0b111,
            "a" => a as u64,
            "p_in" => (p as u64) & 0xff,
            other => panic!("unexpected input {other}"),
        })
        .collect()
}

/// One transition on a fresh simulator: settle at `before`, step to `after`.
fn single(design: &Design, before: &[u64], after: &[u64]) -> StepResult {
    let mut sim = design.simulator(10.0).unwrap();
    sim.settle(before).unwrap();
    sim.step(after).unwrap()
}

fn stream(layer: &str, pe: u32, weight: i64, acts: &[i64], psums: &[i64]) -> PeStream {
    PeStream {
        layer: layer.into(),
        pe,
        row: pe,
        col: 0,
        weight,
        acts: acts.to_vec(),
        psums: psums.to_vec(),
    }
}

/// Two streams under weight -3, one under 2.
fn trace() -> PeTrace {
    PeTrace {
        streams: vec![
            stream("l0", 0, -3, &[1, 4, 7], &[5, -20, 100]),
            stream("l0", 1, 2, &[3, 0], &[-128, 127]),
            stream("l1", 0, -3, &[6], &[-7]),
        ],
    }
}

#[test]
fn pool_holds_consecutive_psums_from_reset_by_weight() {
    let enc = Encoding {
        width: 8,
        signed: true,
    };
    let pool = PsumPool::new(&trace(), enc, "abc").unwrap();
    let b = |v: i64| enc.bits(v);
    assert_eq!(
        pool.transitions(-3),
        &[(0, b(5)), (b(5), b(-20)), (b(-20), b(100)), (0, b(-7))]
    );
    assert_eq!(pool.transitions(2), &[(0, b(-128)), (b(-128), b(127))]);
    // A weight no stream holds draws from every transition.
    assert_eq!(pool.transitions(1).len(), 6);
    // A partial sum the port cannot hold is refused, naming where it is.
    let narrow = Encoding {
        width: 6,
        signed: true,
    };
    let e = PsumPool::new(&trace(), narrow, "abc").unwrap_err();
    assert!(e.to_string().contains("layer l0 PE 0 cycle 2"), "{e}");
}

#[test]
fn traced_entries_equal_hand_run_simulations_of_the_drawn_psums() {
    let design = mac3();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("trace.csv");
    trace().save(&file).unwrap();
    let (loaded, sha) = PeTrace::load(&file).unwrap();
    assert_eq!(loaded, trace());
    let seed = 9;
    let k = 3;
    let request = Request {
        weights: Some("-3,2,1".into()),
        psum: PsumSpec::new(PsumModel::Traced, k, seed).unwrap(),
        psum_trace: Some((Arc::new(loaded), sha.clone())),
        ..Request::default()
    };
    let t = characterize::characterize(&design, &request, &dir.path().join("t"), &quiet())
        .unwrap()
        .tables;
    assert_eq!(t.meta().psum_model, PsumModel::Traced);
    assert_eq!(t.meta().psum_trace_sha256.as_deref(), Some(sha.as_str()));
    assert_eq!(sha.len(), 64);
    // Redo the draws by hand: the transition's stream picks indices into
    // the weight's list of (p, p') pairs, as documented in `psum`.
    let enc = Encoding {
        width: 8,
        signed: true,
    };
    let pool = PsumPool::new(&trace(), enc, &sha).unwrap();
    let streams = TransitionRng::new(seed, 3);
    for (wi, w) in [-3i64, 2, 1].into_iter().enumerate() {
        for (a, a2) in [(0i64, 7i64), (5, 2), (3, 3)] {
            let wb = (w as u64) & 0b111;
            let mut rng = streams.for_transition(wb, a as u64, a2 as u64);
            let (mut e, mut d) = (0.0, 0.0f64);
            for _ in 0..k {
                let (p, p2) = pool.draw(&mut rng, w, a as u64, a2 as u64);
                let (p, p2) = (enc.value(p), enc.value(p2));
                let s = single(
                    &design,
                    &vector(&design, w, a, p),
                    &vector(&design, w, a2, p2),
                );
                e += s.energy.switching_fj + s.energy.internal_fj;
                d = d.max(s.delay_ns);
            }
            let what = format!("w={w} {a}->{a2}");
            assert_eq!(
                t.energy_fj(wi, a as usize, a2 as usize),
                (e / f64::from(k)) as f32,
                "{what}"
            );
            assert_eq!(t.delay_ns(wi, a as usize, a2 as usize), d as f32, "{what}");
        }
    }
    // A held activation still costs energy when the traced psum moves.
    assert!(t.energy_fj(0, 3, 3) > 0.0);
}

/// With one draw per entry and draws given the transition, an entry whose
/// activation transition the trace saw exactly once under the weight is
/// that one cycle, simulated by hand here; the layer filter decides which
/// streams count.
#[test]
fn draws_given_the_transition_take_the_pairs_seen_with_it_in_the_layer() {
    let design = mac3();
    let dir = tempfile::tempdir().unwrap();
    let (file, sha) = {
        let f = dir.path().join("trace.csv");
        trace().save(&f).unwrap();
        let (_, sha) = PeTrace::load(&f).unwrap();
        (f, sha)
    };
    let (loaded, _) = PeTrace::load(&file).unwrap();
    let loaded = Arc::new(loaded);
    let request = |layer: &str, out: &str| {
        let r = Request {
            weights: Some("-3".into()),
            psum: PsumSpec::new(PsumModel::Traced, 1, 5).unwrap(),
            psum_trace: Some((loaded.clone(), sha.clone())),
            psum_draw: TraceDraw {
                layer: Some(layer.into()),
                given: PsumGiven::Transition,
                max_samples: None,
            },
            ..Request::default()
        };
        characterize::characterize(&design, &r, &dir.path().join(out), &quiet())
            .unwrap()
            .tables
    };
    let v = |a, p| vector(&design, -3, a, p);
    let check = |t: &tables::Tables, a: i64, a2: i64, before: Vec<u64>, after: Vec<u64>| {
        let s = single(&design, &before, &after);
        assert_eq!(
            t.energy_fj(0, a as usize, a2 as usize),
            (s.energy.switching_fj + s.energy.internal_fj) as f32,
            "{a}->{a2}"
        );
        assert_eq!(
            t.delay_ns(0, a as usize, a2 as usize),
            s.delay_ns as f32,
            "{a}->{a2}"
        );
    };
    // Layer l0, PE 0 under w = -3: a 0->1 with p 0->5, 1->4 with 5->-20,
    // 4->7 with -20->100.
    let l0 = request("l0", "l0");
    assert_eq!(
        l0.meta().psum_trace_draw,
        Some(TraceDraw {
            layer: Some("l0".into()),
            given: PsumGiven::Transition,
            max_samples: None,
        })
    );
    check(&l0, 0, 1, v(0, 0), v(1, 5));
    check(&l0, 1, 4, v(1, 5), v(4, -20));
    check(&l0, 4, 7, v(4, -20), v(7, 100));
    // 0->2 was never seen; its zero/non-zero pattern only with 0->1.
    check(&l0, 0, 2, v(0, 0), v(2, 5));
    // Layer l1 saw 0->6 with p 0->-7, and nothing else under w = -3.
    let l1 = request("l1", "l1");
    check(&l1, 0, 6, v(0, 0), v(6, -7));
    check(&l1, 0, 3, v(0, 0), v(3, -7));
    // A layer the trace lacks is named, with the ones it has.
    let e = PsumPool::with_draw(
        &trace(),
        Encoding {
            width: 8,
            signed: true,
        },
        Encoding {
            width: 3,
            signed: false,
        },
        "x",
        TraceDraw {
            layer: Some("conv9".into()),
            given: PsumGiven::Weight,
            max_samples: None,
        },
        1,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("no streams of layer `conv9`; it has l0, l1"),
        "{e}"
    );
}

/// With a maximum, an entry whose transition the trace saw often enough is
/// the mean over every pair seen with it: here 1 -> 2 twice, with p 10 -> 20
/// and 30 -> 40, each simulated by hand.
#[test]
fn entries_seen_often_average_every_pair_seen() {
    let design = mac3();
    let dir = tempfile::tempdir().unwrap();
    let t = PeTrace {
        streams: vec![stream("l0", 0, 2, &[1, 2, 1, 2, 1], &[10, 20, 30, 40, 50])],
    };
    let r = Request {
        weights: Some("2".into()),
        psum: PsumSpec::new(PsumModel::Traced, 2, 3).unwrap(),
        psum_trace: Some((Arc::new(t), "x".into())),
        psum_draw: TraceDraw {
            layer: None,
            given: PsumGiven::Transition,
            max_samples: Some(4),
        },
        ..Request::default()
    };
    let tables = characterize::characterize(&design, &r, &dir.path().join("t"), &quiet())
        .unwrap()
        .tables;
    let v = |a, p| vector(&design, 2, a, p);
    let s1 = single(&design, &v(1, 10), &v(2, 20));
    let s2 = single(&design, &v(1, 30), &v(2, 40));
    let e = |s: &StepResult| s.energy.switching_fj + s.energy.internal_fj;
    assert_eq!(tables.energy_fj(0, 1, 2), ((e(&s1) + e(&s2)) / 2.0) as f32);
    assert_eq!(
        tables.delay_ns(0, 1, 2),
        s1.delay_ns.max(s2.delay_ns) as f32
    );
    assert_eq!(
        tables.meta().psum_trace_draw.as_ref().unwrap().max_samples,
        Some(4)
    );
}

/// Tables drawn per layer, given the transition, with one draw minimum and
/// a maximum above any count: every entry the trace visits is the mean
/// over exactly the cycles that visit it, so the table estimate of the
/// trace it was drawn from is the gate-level replay of that trace.
#[test]
fn exhaustive_layer_tables_reproduce_the_replay_of_their_own_trace() {
    let design = mac3();
    let dir = tempfile::tempdir().unwrap();
    let tr = PeTrace {
        streams: vec![
            stream(
                "l0",
                0,
                -3,
                &[1, 4, 7, 4, 7, 0, 0, 1],
                &[5, -20, 100, -20, 90, 3, 3, 5],
            ),
            stream("l0", 1, 2, &[3, 0, 3, 0], &[-128, 127, -1, 0]),
            stream("l1", 0, -3, &[6, 6, 2, 6], &[-7, 40, 41, -7]),
        ],
    };
    let shared = Arc::new(tr.clone());
    let layer_tables = |layer: &str| {
        let r = Request {
            weights: Some("-3,2".into()),
            psum: PsumSpec::new(PsumModel::Traced, 1, 11).unwrap(),
            psum_trace: Some((shared.clone(), "x".into())),
            psum_draw: TraceDraw {
                layer: Some(layer.into()),
                given: PsumGiven::Transition,
                max_samples: Some(1000),
            },
            ..Request::default()
        };
        characterize::characterize(&design, &r, &dir.path().join(layer), &quiet())
            .unwrap()
            .tables
    };
    let (t0, t1) = (layer_tables("l0"), layer_tables("l1"));
    let zero = characterize::characterize(
        &design,
        &Request::default(),
        &dir.path().join("z"),
        &quiet(),
    )
    .unwrap()
    .tables;
    let (d0, d1) = (dir.path().join("l0"), dir.path().join("l1"));
    let by_layer = [
        LayerTables {
            layer: "l0",
            tables: &t0,
            dir: &d0,
        },
        LayerTables {
            layer: "l1",
            tables: &t1,
            dir: &d1,
        },
    ];
    let v = validate(&design, &zero, dir.path(), &by_layer, &tr, Some(2)).unwrap();
    for l in v.layers.iter().chain([&v.total]) {
        assert!(l.sim_energy_fj > 0.0);
        // Only the tables' f32 rounding of each mean remains.
        assert!(l.error_pct.abs() < 1e-4, "{}: {} %", l.layer, l.error_pct);
    }
    // The psum-0 tables miss the partial sums' energy on the same trace.
    let plain = validate(&design, &zero, dir.path(), &[], &tr, Some(2)).unwrap();
    assert!(plain.total.error_pct < -1.0, "{}", plain.total.error_pct);
}

#[test]
fn traced_model_needs_a_trace_and_others_refuse_one() {
    let design = mac3();
    let dir = tempfile::tempdir().unwrap();
    let traced = Request {
        weights: Some("1".into()),
        psum: PsumSpec::new(PsumModel::Traced, 1, 1).unwrap(),
        ..Request::default()
    };
    let e = characterize::characterize(&design, &traced, dir.path(), &quiet()).unwrap_err();
    assert!(e.to_string().contains("needs a trace"), "{e}");
    let zero = Request {
        weights: Some("1".into()),
        psum_trace: Some((Arc::new(trace()), "x".into())),
        ..Request::default()
    };
    let e = characterize::characterize(&design, &zero, dir.path(), &quiet()).unwrap_err();
    assert!(
        e.to_string().contains("only used by psum model traced"),
        "{e}"
    );
}

#[test]
fn replay_steps_match_single_transitions_from_the_previous_cycle() {
    let design = mac3();
    let ports = design.plan(&Request::default()).unwrap().ports;
    let s = stream("l0", 0, -3, &[1, 4, 4, 7], &[5, -20, 100, 100]);
    let mut sim = design.simulator(10.0).unwrap();
    let got = replay_stream(&mut sim, &ports, &s).unwrap();
    let (mut a, mut p) = (0, 0);
    for c in 0..s.cycles() {
        let r = single(
            &design,
            &vector(&design, -3, a, p),
            &vector(&design, -3, s.acts[c], s.psums[c]),
        );
        assert_eq!(
            got.energy_fj[c],
            r.energy.switching_fj + r.energy.internal_fj,
            "cycle {c}"
        );
        assert_eq!(got.delay_ns[c], r.delay_ns, "cycle {c}");
        (a, p) = (s.acts[c], s.psums[c]);
    }
    // Values the ports cannot hold are refused with the cycle named.
    let bad = stream("l0", 0, -3, &[1, 8], &[0, 0]);
    let e = replay_stream(&mut sim, &ports, &bad).unwrap_err();
    assert!(e.to_string().contains("cycle 1"), "{e}");
}

#[test]
fn with_psum_zero_the_zero_tables_and_the_replay_agree_exactly() {
    let design = mac3();
    let dir = tempfile::tempdir().unwrap();
    let t = characterize::characterize(&design, &Request::default(), dir.path(), &quiet())
        .unwrap()
        .tables;
    let zero = PeTrace {
        streams: vec![
            stream("l0", 0, -3, &[1, 4, 4, 7, 0, 2], &[0; 6]),
            stream("l0", 1, 3, &[7, 6, 5, 0, 0, 7], &[0; 6]),
            stream("l1", 0, -4, &[2, 2, 3, 1], &[0; 4]),
        ],
    };
    let ports = design.plan(&Request::default()).unwrap().ports;
    for s in &zero.streams {
        let mut sim = design.simulator(10.0).unwrap();
        let replayed = replay_stream(&mut sim, &ports, s).unwrap();
        let table = table_energy_fj(&t, s).unwrap();
        assert_eq!(table.len(), s.cycles());
        for (c, (&tab, &sim_fj)) in table.iter().zip(&replayed.energy_fj).enumerate() {
            // The table stores f32; the replay's f64 rounds to the same.
            assert_eq!(tab, f64::from(sim_fj as f32), "cycle {c}");
        }
    }
    // Layer l1 estimated from traced tables whose trace holds psum 0 under
    // w = -4: every draw is (0, 0), so they too must agree exactly.
    let traced = {
        let r = Request {
            weights: Some("-4".into()),
            psum: PsumSpec::new(PsumModel::Traced, 2, 1).unwrap(),
            psum_trace: Some((Arc::new(zero.clone()), "z".into())),
            psum_draw: TraceDraw {
                layer: Some("l1".into()),
                given: PsumGiven::Transition,
                max_samples: None,
            },
            ..Request::default()
        };
        characterize::characterize(&design, &r, &dir.path().join("l1"), &quiet())
            .unwrap()
            .tables
    };
    let l1 = LayerTables {
        layer: "l1",
        tables: &traced,
        dir: &dir.path().join("l1"),
    };
    let v = validate(&design, &t, dir.path(), &[l1], &zero, Some(2)).unwrap();
    assert_eq!(v.layers[0].tables, None);
    assert_eq!(
        v.layers[1].tables.as_deref(),
        Some(dir.path().join("l1").display().to_string().as_str())
    );
    // Tables for a layer the trace lacks, or twice for one layer, are refused.
    let e = validate(
        &design,
        &t,
        dir.path(),
        &[LayerTables { layer: "fc9", ..l1 }],
        &zero,
        None,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("layer `fc9`, which the trace does not have; it has l0, l1"),
        "{e}"
    );
    assert!(validate(&design, &t, dir.path(), &[l1, l1], &zero, None).is_err());
    assert_eq!(v.layers.len(), 2);
    assert_eq!((v.layers[0].pes, v.layers[0].cycles), (2, 12));
    assert_eq!(v.total.cycles, 16);
    for l in v.layers.iter().chain([&v.total]) {
        assert!(l.error_pct.abs() < 1e-4, "{}: {} %", l.layer, l.error_pct);
        assert!(l.max_delay_ns > 0.0 && l.p999_delay_ns <= l.max_delay_ns);
    }
    // Timing errors: none at a clock above the worst delay, all moving
    // cycles at a clock of 0.
    let tot = &v.total;
    assert_eq!(tot.timing_errors(1.0, tot.max_delay_ns), 0);
    assert!(tot.timing_errors(1.0, tot.max_delay_ns * 0.999) >= 1);
    assert!(tot.timing_errors(1.001, tot.max_delay_ns) >= 1);
    let moving = tot.delays_ns.iter().filter(|&&d| d > 0.0).count() as u64;
    assert_eq!(tot.timing_errors(1.0, 0.0), moving);
}
