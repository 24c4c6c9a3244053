//! End to end on a slice of Fashion-MNIST and synthetic 3-bit × 2-bit
//! tables: training, storing, network power, and the pruning flow, checked
//! for the report's internal consistency.

use std::collections::BTreeMap;
use std::path::PathBuf;

use nn::data::{FashionMnist, Split, DEFAULT_FASHION_DIR};
use nn::infer::IntNet;
use nn::model::{images_tensor, QuantSets};
use nn::prune_flow::{run_flow, FlowData, FlowOptions};
use nn::store;
use nn::systolic::{ArrayShape, IdleModel};
use nn::train::TrainConfig;
use nn::train_flow::{train_model, TrainOptions};
use tables::{LibraryInfo, Meta, PortInfo, TableSet, Tables};

fn port(name: &str, width: u32, signed: bool) -> PortInfo {
    PortInfo {
        name: name.into(),
        width,
        signed,
    }
}

/// Weights −4..=3, activations 0..=3. At 1.2 V:
/// E = 10·(1 + |w|)·(1 + |a − a'|) + a' fJ (small weights are cheap),
/// D = 0.5 + 0.1·|w| + 0.2·a' ns (large weights and activations are slow),
/// leakage 1 µW. At 0.9 V: E × (0.9/1.2)² = × 0.5625, D × 1.3,
/// leakage × 0.75.
fn synthetic(vdd_v: f64) -> Tables {
    let weights: Vec<i64> = (-4..=3).collect();
    let acts: Vec<i64> = (0..=3).collect();
    let (e_scale, d_scale, leak) = if vdd_v > 1.0 {
        (1.0, 1.0, 1e-6)
    } else {
        (0.5625, 1.3, 0.75e-6)
    };
    let (mut e, mut d) = (Vec::new(), Vec::new());
    for &w in &weights {
        for &a in &acts {
            for &b in &acts {
                e.push(
                    (e_scale
                        * (10.0 * (1 + w.abs()) as f64 * (1 + (a - b).abs()) as f64 + b as f64))
                        as f32,
                );
                d.push((d_scale * (0.5 + 0.1 * w.abs() as f64 + 0.2 * b as f64)) as f32);
            }
        }
    }
    let meta = Meta {
        netlist_hash: "synthetic".into(),
        netlist_file: "mac.v".into(),
        top: "mac".into(),
        library: LibraryInfo {
            name: "synthetic".into(),
            voltage_v: vdd_v,
            file: "synthetic.lib".into(),
        },
        weight_port: port("w", 3, true),
        act_port: port("a", 2, false),
        psum_port: port("p", 8, true),
        weights,
        acts,
        psum_model: tables::PsumModel::Zero,
        psum_samples: 1,
        seed: 0,
        psum_trace_sha256: None,
        psum_trace_draw: None,
        clock_period_ns: 2.0,
        // Worst delay at 1.2 V: w = −4, a' = 3 → 0.5 + 0.4 + 0.6.
        sta_worst_delay_ns: 1.5,
        leakage_w: leak,
        units: BTreeMap::new(),
        tool_version: "test".into(),
        runtime_s: 0.0,
    };
    Tables::new(meta, e, d, None).unwrap()
}

/// The synthetic MAC at 1.2 V and 0.9 V, from made-up directories.
fn synthetic_sets() -> Vec<TableSet> {
    [(1.2, "syn-1.2"), (0.9, "syn-0.9")]
        .map(|(vdd_v, dir)| TableSet {
            vdd_v,
            dir: PathBuf::from(dir),
            tables: synthetic(vdd_v),
        })
        .into()
}

fn rel_close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-30)
}

#[test]
fn train_store_power_and_prune_on_a_slice() {
    let fm = FashionMnist::new(DEFAULT_FASHION_DIR);
    let train = fm.load(Split::Train, Some(300)).unwrap();
    let test = fm.load(Split::Test, Some(200)).unwrap();
    let opts = TrainOptions {
        float: TrainConfig {
            epochs: 1,
            batch_size: 32,
            learning_rate: 2e-3,
            seed: 1,
        },
        qat: TrainConfig {
            epochs: 1,
            batch_size: 32,
            learning_rate: 2e-4,
            seed: 2,
        },
        weight_bits: 3,
        act_bits: 2,
        init_seed: 1,
    };
    let out = train_model(&train, &test, &opts, &mut |_| {}).unwrap();
    assert_eq!(out.quantization.weights, (-4..=3).collect::<Vec<i64>>());
    assert_eq!(out.quantization.acts, vec![0, 1, 2, 3]);
    // 1 epoch on 300 images is far from trained but must beat chance (10%).
    assert!(out.float_accuracy > 0.2, "{}", out.float_accuracy);

    // The integer engine and the fake-quantized tensors compute the same
    // network: same argmax on (almost) every image. Two may differ: the
    // fake-quantized path sums in f32, so a sum on a rounding boundary of
    // the next quantization can land on its other side, where the integer
    // engine sums exactly.
    let q = QuantSets::new(out.quantization.clone()).unwrap();
    let int = IntNet::new(&out.net, &out.quantization).unwrap();
    let x = images_tensor(&test.pixels, test.len(), 28, 28).unwrap();
    let fq: Vec<u32> = out
        .net
        .forward(&x, Some(&q), false)
        .unwrap()
        .logits
        .argmax(1)
        .unwrap()
        .to_vec1()
        .unwrap();
    let agree = (0..test.len())
        .filter(|&i| int.predict(test.image(i)).0 == fq[i] as usize)
        .count();
    assert!(agree >= test.len() - 2, "{agree} of {} agree", test.len());

    // Store and reload: same integer predictions.
    let dir = tempfile::tempdir().unwrap();
    let model_dir = dir.path().join("model");
    store::save(
        &model_dir,
        &out.net,
        &out.quantization,
        store::Accuracy::default(),
        Some(out.record.clone()),
    )
    .unwrap();
    let model = store::load(&model_dir).unwrap();
    let int2 = IntNet::new(&model.net, &model.file.quantization).unwrap();
    for i in 0..20 {
        assert_eq!(
            int.run(test.image(i), &mut |_, _| {}).logits,
            int2.run(test.image(i), &mut |_, _| {}).logits
        );
    }

    let sets = synthetic_sets();
    let power_set = test.head(20);
    let flow_opts = FlowOptions {
        keep: 4,
        symmetric: false,
        delay_target_ns: Some(1.2),
        weighted: true,
        clock_period_ns: None,
        nominal_vdd_v: None,
        // Table voltages only, so the chosen VDD is 0.9 V exactly.
        voltage: prune::VoltageOptions {
            vdd_step_v: 0.0,
            ..Default::default()
        },
        retrain: TrainConfig {
            epochs: 1,
            batch_size: 32,
            learning_rate: 5e-4,
            seed: 3,
        },
        array: ArrayShape { rows: 16, cols: 16 },
        idle: IdleModel::Gated,
    };
    let data = FlowData {
        train: &train,
        test: &test,
        power: &power_set,
    };
    // A nominal VDD that matches no set is refused before any work, naming
    // the voltages given.
    let bad = FlowOptions {
        nominal_vdd_v: Some(1.0),
        ..flow_opts.clone()
    };
    let e = run_flow(&model, &sets, data, &bad, &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("nominal VDD 1 V") && e.contains("(1.2 V, 0.9 V)"),
        "{e}"
    );
    let flow = run_flow(&model, &sets, data, &flow_opts, &mut |_| {}).unwrap();
    let r = &flow.report;
    let names: Vec<&str> = r.stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["baseline", "weights", "delay", "voltage"]);
    // Clock: the nominal tables' STA worst delay.
    assert_eq!(r.clock_period_ns, 1.5);
    let base = &r.stages[0];
    for s in &r.stages {
        let n = &s.network;
        let layer_sum: f64 = n.layers.iter().map(|l| l.power_w).sum();
        assert!(
            rel_close(layer_sum, s.power_w),
            "{}: layers {layer_sum} vs {}",
            s.name,
            s.power_w
        );
        assert!(rel_close(n.dynamic_power_w + n.leakage_power_w, s.power_w));
        let energy_sum: f64 = n.layers.iter().map(|l| l.energy_fj).sum();
        assert!(rel_close(energy_sum, n.energy_fj));
        assert!(rel_close(
            s.reduction_pct,
            100.0 * (1.0 - s.power_w / base.power_w)
        ));
        assert!((s.accuracy_loss_pts - 100.0 * (base.accuracy - s.accuracy)).abs() < 1e-9);
        // Leakage: 16 × 16 PEs × 1 µW at 1.2 V.
        let leak = if s.name == "voltage" {
            256.0 * 0.75e-6
        } else {
            256.0 * 1e-6
        };
        assert!(rel_close(n.leakage_power_w, leak), "{}", s.name);
    }
    assert_eq!(base.reduction_pct, 0.0);
    // Keep 4 of the cheapest (smallest |w|), 0 among them; the delay target
    // 1.2 ns with |w| ≤ 2 allows a' ≤ 2.5, so activation 3 goes.
    assert_eq!(r.kept_weights.len(), 4);
    assert!(r.kept_weights.contains(&0) && r.kept_weights.iter().all(|w| w.abs() <= 2));
    assert_eq!(r.allowed_activations, vec![0, 1, 2]);
    // Worst delay (0.5 + 0.2 + 0.4) × 1.3 = 1.43 ns ≤ 1.5 at 0.9 V.
    assert_eq!(r.vdd_v, 0.9);
    // Same network and images at 0.9 V: switching energy × 0.5625 exactly.
    let (delay, volt) = (&r.stages[2].network, &r.stages[3].network);
    assert!(rel_close(volt.energy_fj, 0.5625 * delay.energy_fj));
    assert_eq!(r.stages[3].accuracy, r.stages[2].accuracy);
    // Projected activations: no PE sees activation 3 after the delay stage.
    let a = delay.transitions.acts.len();
    for i in 0..a {
        assert_eq!(delay.transitions.counts[i * a + 3], 0);
        assert_eq!(delay.transitions.counts[3 * a + i], 0);
    }
    // The final model quantizes onto the kept sets only, with the scales
    // stage 1 trained against: the input scale stays 1/3 (pixel 1.0 is
    // code 3 of the full set) although the allowed codes now stop at 2; a
    // refit would have moved it to 1/2.
    assert_eq!(flow.quantization.weights, r.kept_weights);
    assert_eq!(flow.quantization.acts, vec![0, 1, 2]);
    assert_eq!(flow.quantization.input_scale, 1.0 / 3.0);
    let fin = IntNet::new(&flow.net, &flow.quantization).unwrap();
    assert!(fin
        .layers
        .iter()
        .flat_map(|l| &l.weights)
        .all(|w| r.kept_weights.contains(&(*w as i64))));
    // The report's text names every stage and the sets.
    let text = r.to_text();
    assert!(
        text.contains("+ voltage scaling") && text.contains("allowed activations (3): 0..=2"),
        "{text}"
    );
}

#[test]
fn broken_model_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let m = store::load(dir.path()).unwrap_err().to_string();
    assert!(m.contains("model.json"), "{m}");
    std::fs::write(dir.path().join("model.json"), "{\"format\": 3}").unwrap();
    let m = store::load(dir.path()).unwrap_err().to_string();
    assert!(
        m.contains("model.json") && m.contains("not a model description"),
        "{m}"
    );
}

/// Between two table sets the network's leakage comes from the libraries'
/// own figures, log-linear in V (1 µW at 1.2 V, 0.75 µW at 0.9 V: at 1.05 V
/// √0.75 µW, not the 0.875 µW that I·V from 1.2 V would give); below the
/// lowest set, I·V from it.
#[test]
fn leakage_between_table_sets_is_interpolated() {
    let sets = synthetic_sets();
    let (i, scaling) = nn::prune_flow::reference_set(&sets, 1.05).unwrap();
    assert_eq!(i, 0, "energy scales from the nearest set above");
    let scaling = scaling.unwrap();
    assert_eq!(scaling.ref_vdd_v, 1.2);
    assert!(rel_close(scaling.leakage_w.unwrap(), 0.75f64.sqrt() * 1e-6));
    let (i, scaling) = nn::prune_flow::reference_set(&sets, 0.8).unwrap();
    assert_eq!(i, 1);
    assert!(rel_close(
        scaling.unwrap().leakage_w.unwrap(),
        0.75e-6 * 0.8 / 0.9
    ));
    // At a set's own voltage nothing is scaled.
    assert_eq!(
        nn::prune_flow::reference_set(&sets, 0.9).unwrap(),
        (1, None)
    );
}
