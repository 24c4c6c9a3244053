//! PE streams of a layer small enough to work out by hand.

use nn::infer::IntLayer;
use nn::lower::Lowered;
use nn::model::{LayerKind, LayerSpec};
use nn::systolic::ArrayShape;
use nn::trace::{sample_pes, LayerTracer};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Dense 3 → 2: W[k][n] with column n = 0: (2, −1, 3), n = 1: (1, 4, −2).
fn layer() -> IntLayer {
    IntLayer {
        spec: LayerSpec {
            name: "fc".into(),
            kind: LayerKind::Dense {
                inputs: 3,
                outputs: 2,
            },
            relu: true,
            pool: false,
        },
        // weights[n * K + k]
        weights: vec![2, -1, 3, 1, 4, -2],
        bias: vec![0, 0],
        acc_scale: 1.0,
        out_scale: Some(1.0),
    }
}

#[test]
fn streams_of_a_2x2_array_worked_out_by_hand() {
    // Two rows of A (two images of a dense layer): (5, 7, 1) and (0, 2, 6).
    // On a 2×2 array, k = 0, 1 form row tile 0 and k = 2 row tile 1.
    let array = ArrayShape { rows: 2, cols: 2 };
    let pes = [(1, 0), (2, 1), (1, 1), (0, 0)];
    let mut t = LayerTracer::new(&layer(), array, &pes).unwrap();
    for row in [[5, 7, 1], [0, 2, 6]] {
        t.observe(&Lowered {
            rows: 1,
            cols: 3,
            data: row.to_vec(),
        });
    }
    let s = t.into_streams();
    let got: Vec<_> = s
        .iter()
        .map(|s| {
            (
                s.pe,
                s.row,
                s.col,
                s.weight,
                s.acts.clone(),
                s.psums.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            // k = 1, n = 0: below PE k = 0 (w 2): p_in = 2·5, 2·0.
            (0, 1, 0, -1, vec![7, 2], vec![10, 0]),
            // k = 2, n = 1: top row of tile 1: p_in = 0.
            (1, 0, 1, -2, vec![1, 6], vec![0, 0]),
            // k = 1, n = 1: below k = 0 (w 1): p_in = 5, 0.
            (2, 1, 1, 4, vec![7, 2], vec![5, 0]),
            // k = 0, n = 0: top of tile 0.
            (3, 0, 0, 2, vec![5, 0], vec![0, 0]),
        ]
    );
    assert!(s.iter().all(|s| s.layer == "fc"));
}

#[test]
fn psums_sum_the_products_above_within_the_tile_only() {
    // 3 rows of a 2-row array: k = 2 starts a new tile and sees p_in = 0,
    // whatever the products of k = 0, 1 were.
    let array = ArrayShape { rows: 2, cols: 1 };
    let mut t = LayerTracer::new(&layer(), array, &[(2, 0), (1, 1)]).unwrap();
    t.observe(&Lowered {
        rows: 2,
        cols: 3,
        data: vec![3, 3, 3, 1, 1, 1],
    });
    let s = t.into_streams();
    assert_eq!(s[0].psums, vec![0, 0]);
    assert_eq!((s[0].row, s[0].col), (0, 0));
    assert_eq!(s[1].psums, vec![3, 1]);
    assert_eq!((s[1].row, s[1].col), (1, 0));
    // A PE outside the layer is refused.
    assert!(LayerTracer::new(&layer(), array, &[(3, 0)]).is_err());
}

#[test]
fn sample_is_stratified_distinct_and_seeded() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let pes = sample_pes(400, 120, 16, &mut rng);
    assert_eq!(pes.len(), 16);
    for (i, &(k, n)) in pes.iter().enumerate() {
        assert!((i * 25..(i + 1) * 25).contains(&k), "PE {i}: k = {k}");
        assert!(n < 120);
    }
    let again = sample_pes(400, 120, 16, &mut ChaCha8Rng::seed_from_u64(5));
    assert_eq!(pes, again);
    // More PEs than the layer has: all of them, once.
    let all = sample_pes(2, 3, 10, &mut rng);
    assert_eq!(all.len(), 6);
    // Nearly all of them: still distinct.
    let mut five = sample_pes(2, 3, 5, &mut rng);
    five.sort_unstable();
    five.dedup();
    assert_eq!(five.len(), 5);
}
