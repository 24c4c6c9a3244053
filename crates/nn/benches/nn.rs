//! Speed of the network stages: one training step, integer inference of one
//! image, and network power per image on full-size 8-bit tables.
//!
//! `cargo bench -p nn`; figures are recorded in bench/README.md ("Network").

use std::collections::BTreeMap;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use nn::data::Dataset;
use nn::infer::IntNet;
use nn::model::{Architecture, Net};
use nn::power::{network_power, PowerOptions};
use nn::quant::ValueSet;
use nn::systolic::{ArrayShape, IdleModel};
use nn::table::EnergyTable;
use nn::train::{calibrate, train, TrainConfig};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tables::{LibraryInfo, Meta, PortInfo, Tables};

/// Random images: speed does not depend on what they show.
fn images(n: usize) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    Dataset {
        rows: 28,
        cols: 28,
        pixels: (0..n * 784).map(|_| rng.gen()).collect(),
        labels: (0..n).map(|_| rng.gen_range(0..10)).collect(),
        file_images: n,
    }
}

/// 8-bit tables of the real size (256 weights × 256 × 256 transitions).
fn tables_8bit() -> EnergyTable {
    let port = |name: &str, signed| PortInfo {
        name: name.into(),
        width: 8,
        signed,
    };
    let weights: Vec<i64> = (-128..=127).collect();
    let acts: Vec<i64> = (0..=255).collect();
    let n = weights.len() * acts.len() * acts.len();
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let energy: Vec<f32> = (0..n).map(|_| rng.gen_range(0.0..100.0)).collect();
    let meta = Meta {
        netlist_hash: "bench".into(),
        netlist_file: "mac.v".into(),
        top: "mac".into(),
        library: LibraryInfo {
            name: "bench".into(),
            voltage_v: 1.2,
            file: "bench.lib".into(),
        },
        weight_port: port("w", true),
        act_port: port("a", false),
        psum_port: port("p", true),
        weights,
        acts,
        psum_model: tables::PsumModel::Zero,
        psum_samples: 1,
        seed: 0,
        psum_trace_sha256: None,
        psum_trace_draw: None,
        clock_period_ns: 5.0,
        sta_worst_delay_ns: 4.0,
        leakage_w: 1e-6,
        units: BTreeMap::new(),
        tool_version: "bench".into(),
        runtime_s: 0.0,
    };
    let t = Tables::new(meta, energy, vec![1.0; n], None).unwrap();
    EnergyTable::from_tables(&t, Path::new("bench"))
}

fn benches(c: &mut Criterion) {
    let data = images(256);
    let net = Net::init(Architecture::lenet5(), 1).unwrap();
    let wset = ValueSet::range(-128, 127).unwrap();
    let aset = ValueSet::range(0, 255).unwrap();
    let q = calibrate(&net, &data.head(64), &wset, &aset).unwrap();
    let int = IntNet::new(&net, &q).unwrap();

    let mut g = c.benchmark_group("nn");
    g.sample_size(10);
    let batch = data.head(64);
    let cfg = TrainConfig {
        epochs: 1,
        batch_size: 64,
        ..TrainConfig::default()
    };
    g.bench_function("train_step_float_batch64", |b| {
        b.iter(|| train(&net, &batch, None, &cfg, &mut |_| {}).unwrap())
    });
    let qs = nn::model::QuantSets::new(q.clone()).unwrap();
    g.bench_function("train_step_qat_batch64", |b| {
        b.iter(|| train(&net, &batch, Some(&qs), &cfg, &mut |_| {}).unwrap())
    });
    g.bench_function("int_inference_one_image", |b| {
        b.iter(|| int.predict(data.image(0)))
    });
    let table = tables_8bit();
    let opts = PowerOptions {
        array: ArrayShape::default(),
        idle: IdleModel::Gated,
        clock_period_ns: 5.0,
        vdd: None,
    };
    let ten = data.head(10);
    g.bench_function("network_power_8bit_10_images", |b| {
        b.iter(|| network_power(&int, &table, &opts, &ten).unwrap())
    });
    g.finish();
}

criterion_group!(nn_benches, benches);
criterion_main!(nn_benches);
