//! The array model on layers small enough to work out by hand.

use std::path::Path;

use nn::data::Dataset;
use nn::infer::{IntLayer, IntNet};
use nn::lower::lower;
use nn::model::{Architecture, LayerKind, LayerSpec};
use nn::power::{network_power, PowerOptions, VddScaling};
use nn::quant::ValueSet;
use nn::systolic::{ArrayShape, IdleModel};
use nn::table::EnergyTable;
use tables::{Meta, Tables};

fn meta(weights: Vec<i64>, acts: Vec<i64>, leakage_w: f64) -> Meta {
    Meta {
        leakage_w,
        ..Meta::synthetic(weights, acts, 1.2)
    }
}

/// Weights [−1, 0, 1] (indices 0, 1, 2), activations [0, 1];
/// E[wi][ai][aj] = 1000·(wi + 1) + 10·ai + aj fJ, so every sum can be read
/// back digit by digit. Leakage 1 µW per MAC.
fn hand_table() -> EnergyTable {
    let mut e = Vec::new();
    for wi in 0..3 {
        for ai in 0..2 {
            for aj in 0..2 {
                e.push((1000 * (wi + 1) + 10 * ai + aj) as f32);
            }
        }
    }
    let n = e.len();
    let t = Tables::new(
        meta(vec![-1, 0, 1], vec![0, 1], 1e-6),
        e,
        vec![0.5; n],
        None,
    )
    .unwrap();
    EnergyTable::from_tables(&t, Path::new("hand"))
}

/// Dense 3 → 2, no ReLU; W[n][k]: n0 = [1, −1, 0], n1 = [0, 1, 1].
fn hand_net() -> IntNet {
    let spec = LayerSpec {
        name: "fc".into(),
        kind: LayerKind::Dense {
            inputs: 3,
            outputs: 2,
        },
        relu: false,
        pool: false,
    };
    let arch = Architecture {
        input: [3, 1, 1],
        layers: vec![spec.clone()],
    };
    IntNet {
        shapes: arch.shapes().unwrap(),
        arch,
        layers: vec![IntLayer {
            spec,
            weights: vec![1, -1, 0, 0, 1, 1],
            bias: vec![0, 0],
            acc_scale: 1.0,
            out_scale: None,
        }],
        // Pixel p enters as activation p (p / 255 / (1/255)).
        input_scale: 1.0 / 255.0,
        acts: ValueSet::range(0, 1).unwrap(),
    }
}

/// Two images streamed as one batch: A = [1, 0, 1], then B = [1, 1, 0].
fn two_images() -> Dataset {
    Dataset {
        rows: 1,
        cols: 3,
        pixels: vec![1, 0, 1, 1, 1, 0],
        labels: vec![0, 0],
        file_images: 2,
    }
}

#[test]
fn dense_layer_energy_by_hand() {
    // Array 2×2: K = 3 → 2 row tiles (row k = 3 of the second is idle),
    // N = 2 → 1 column tile, no idle column.
    //
    // Row k0 sees 0→1 (A), 1→1 (B) under weights 1 (idx 2) and 0 (idx 1):
    //   3001 + 2001 + 3011 + 2011 = 10024
    // Row k1 sees 0→0, 0→1 under −1 (idx 0) and 1 (idx 2):
    //   1000 + 3000 + 1001 + 3001 = 8002
    // Row k2 sees 0→1, 1→0 under 0 (idx 1) and 1 (idx 2):
    //   2001 + 3001 + 2010 + 3010 = 10022
    // Active: 10024 + 8002 + 10022 = 28048 fJ over 2 images.
    // Idle row: 2 PEs × 2 cycles × E[0][0][0] = 4 × 2000 = 8000 fJ.
    // Per inference: active 14024, idle 4000, total 18024 fJ.
    // Cycles: 2 images × 1 row each × 2 tiles = 4 → 2 per inference, 2 ns.
    // Switching power 18024 fJ / 2 ns = 9012 µW; leakage 4 PEs × 1 µW.
    let table = hand_table();
    let opts = PowerOptions {
        array: ArrayShape { rows: 2, cols: 2 },
        idle: IdleModel::Gated,
        clock_period_ns: 1.0,
        vdd: None,
    };
    let p = network_power(&hand_net(), &table, &opts, &two_images()).unwrap();
    let l = &p.layers[0];
    assert_eq!(l.tiles, 2);
    assert_eq!(l.macs, 6.0);
    assert_eq!(l.cycles, 2.0);
    assert_eq!(l.active_energy_fj, 14024.0);
    assert_eq!(l.idle_energy_fj, 4000.0);
    assert_eq!(p.energy_fj, 18024.0);
    assert!((p.dynamic_power_w - 9012e-6).abs() < 1e-12);
    assert!((p.leakage_power_w - 4e-6).abs() < 1e-15);
    assert!((p.power_w - 9016e-6).abs() < 1e-12);
    assert!((p.pe_power_w - 2254e-6).abs() < 1e-12);
    // Transitions, each counted once per PE holding a weight (2 per row):
    // 0→0 once, 0→1 three times, 1→0 once, 1→1 once.
    assert_eq!(p.transitions.counts, vec![2, 6, 2, 2]);
}

#[test]
fn idle_columns_by_idle_model() {
    // Same layer on a 4×3 array: 1 row tile (row 3 idle), 1 column tile
    // with column 2 idle; 1 cycle per inference.
    // Idle row k3: its 2 PEs in used columns pass the partial sums down:
    // 2 PEs × 2 cycles × E[0][0][0] = 2 × 2 × 2000 = 8000; its PE in the
    // idle column sees no input change and draws nothing.
    // Stream: idle-column PEs in rows k0..k2 see the rows' streams under
    // weight 0 (idx 1):
    //   k0: 2001 + 2011, k1: 2000 + 2001, k2: 2001 + 2010 → 12024
    //   idle per inference (12024 + 8000) / 2 = 10012.
    // Gated: their inputs never change, they draw nothing:
    //   idle per inference 8000 / 2 = 4000.
    let table = hand_table();
    for (idle, expected) in [(IdleModel::Stream, 10012.0), (IdleModel::Gated, 4000.0)] {
        let opts = PowerOptions {
            array: ArrayShape { rows: 4, cols: 3 },
            idle,
            clock_period_ns: 1.0,
            vdd: None,
        };
        let p = network_power(&hand_net(), &table, &opts, &two_images()).unwrap();
        assert_eq!(p.layers[0].tiles, 1);
        assert_eq!(p.layers[0].cycles, 1.0);
        assert_eq!(p.layers[0].active_energy_fj, 14024.0, "{idle:?}");
        assert_eq!(p.layers[0].idle_energy_fj, expected, "{idle:?}");
    }
    assert_eq!("stream".parse::<IdleModel>().unwrap(), IdleModel::Stream);
    assert!("off".parse::<IdleModel>().is_err());
}

#[test]
fn voltage_scaling_scales_energy_by_v_squared_and_leakage_by_v() {
    // From 1.2 V to 0.6 V: energy × 0.25, leakage × 0.5.
    let table = hand_table();
    let opts = PowerOptions {
        array: ArrayShape { rows: 2, cols: 2 },
        idle: IdleModel::Gated,
        clock_period_ns: 1.0,
        vdd: Some(VddScaling {
            ref_vdd_v: 1.2,
            vdd_v: 0.6,
            leakage_w: None,
        }),
    };
    let p = network_power(&hand_net(), &table, &opts, &two_images()).unwrap();
    assert!((p.energy_fj - 18024.0 / 4.0).abs() < 1e-9);
    assert!((p.leakage_power_w - 2e-6).abs() < 1e-15);
}

#[test]
fn values_missing_from_the_tables_are_named() {
    let table = hand_table();
    let mut net = hand_net();
    net.layers[0].weights[0] = 2;
    let opts = PowerOptions {
        array: ArrayShape::default(),
        idle: IdleModel::Gated,
        clock_period_ns: 1.0,
        vdd: None,
    };
    let m = network_power(&net, &table, &opts, &two_images())
        .unwrap_err()
        .to_string();
    assert!(m.contains("hand") && m.contains("weight value 2"), "{m}");
    // Images of 2×2 pixels do not fill a 3-input network.
    let square = Dataset {
        rows: 2,
        cols: 2,
        pixels: vec![0; 4],
        labels: vec![0],
        file_images: 1,
    };
    let m = network_power(&hand_net(), &table, &opts, &square)
        .unwrap_err()
        .to_string();
    assert!(m.contains("2×2") && m.contains("3×1×1"), "{m}");
}

#[test]
fn array_sizes_parse() {
    assert_eq!(
        "64x64".parse::<ArrayShape>().unwrap(),
        ArrayShape { rows: 64, cols: 64 }
    );
    assert_eq!(
        "8X16".parse::<ArrayShape>().unwrap(),
        ArrayShape { rows: 8, cols: 16 }
    );
    for bad in ["64", "0x4", "ax4", "4x", ""] {
        let m = bad.parse::<ArrayShape>().unwrap_err().to_string();
        assert!(m.contains("ROWSxCOLS"), "{bad}: {m}");
    }
}

#[test]
fn im2col_by_hand() {
    // One 3×3 channel, values 1..9, 2×2 kernel, no padding: each row is a
    // window in (kh, kw) order.
    let spec = LayerSpec {
        name: "c".into(),
        kind: LayerKind::Conv {
            in_ch: 1,
            out_ch: 1,
            kernel: 2,
            padding: 0,
        },
        relu: true,
        pool: false,
    };
    let input: Vec<i32> = (1..=9).collect();
    let a = lower(&spec, &input, [1, 3, 3]);
    assert_eq!((a.rows, a.cols), (4, 4));
    assert_eq!(a.data, vec![1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9]);
    // 3×3 kernel with padding 1: 9 positions; the corner window at (0, 0)
    // has the padding zeros on its top row and left column.
    let spec = LayerSpec {
        kind: LayerKind::Conv {
            in_ch: 1,
            out_ch: 1,
            kernel: 3,
            padding: 1,
        },
        ..spec
    };
    let a = lower(&spec, &input, [1, 3, 3]);
    assert_eq!((a.rows, a.cols), (9, 9));
    assert_eq!(a.row(0), &[0, 0, 0, 0, 1, 2, 0, 4, 5]);
    assert_eq!(a.row(4), &[1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert_eq!(a.row(8), &[5, 6, 0, 8, 9, 0, 0, 0, 0]);
}
