//! Projection onto value sets (plain quantization and pruned sets).

use candle_core::{Device, Tensor, Var};
use nn::quant::{fake_quant, fit_scale, ValueSet};

fn set(v: &[i64]) -> ValueSet {
    ValueSet::new(v.to_vec()).unwrap()
}

#[test]
fn nearest_member_with_ties_toward_zero() {
    let s = set(&[3, -2, 0]); // sorted on construction
    assert_eq!(s.values(), &[-2, 0, 3]);
    // 1.0: |1−0| = 1 < |3−1| = 2.
    assert_eq!(s.project(1.0), 0);
    // 2.0: |2−0| = 2 > |3−2| = 1.
    assert_eq!(s.project(2.0), 3);
    // 1.5: equidistant from 0 and 3 → the smaller magnitude, 0.
    assert_eq!(s.project(1.5), 0);
    // −1.0: equidistant from −2 and 0 → 0.
    assert_eq!(s.project(-1.0), 0);
    // Outside the range: the end members.
    assert_eq!(s.project(-7.3), -2);
    assert_eq!(s.project(40.0), 3);
    // Members map to themselves.
    for &m in s.values() {
        assert_eq!(s.project(m as f64), m);
    }
}

#[test]
fn ties_between_equal_magnitudes_go_low() {
    // 0 is equidistant from −1 and 1, both of magnitude 1 → the lower, −1.
    assert_eq!(set(&[-1, 1]).project(0.0), -1);
    // −2 between −3 and −1: toward zero → −1.
    assert_eq!(set(&[-3, -1]).project(-2.0), -1);
    // 4 between 2 and 6: toward zero → 2.
    assert_eq!(set(&[2, 6]).project(4.0), 2);
    // Plain rounding of the full range: 2.5 → 2, −2.5 → −2 (toward zero).
    let full = ValueSet::range(-4, 3).unwrap();
    assert_eq!(full.project(2.5), 2);
    assert_eq!(full.project(-2.5), -2);
    assert_eq!(full.project(2.6), 3);
}

#[test]
fn empty_sets_are_refused() {
    assert!(ValueSet::new(vec![]).is_err());
    assert!(ValueSet::range(3, 2).is_err());
}

#[test]
fn tensor_projection_equals_scalar_including_ties() {
    let sets = [
        set(&[-2, 0, 3]),
        set(&[-1, 1]),
        set(&[-3, -1]),
        set(&[2, 6]),
        set(&[0, 1, 2, 3]),
        set(&[-128, -5, 0, 7, 127]),
    ];
    // Quarter steps hit every half-integer midpoint (the ties) and the
    // points between them.
    let xs: Vec<f32> = (-600..=600).map(|i| i as f32 * 0.25).collect();
    let t = Tensor::from_vec(xs.clone(), xs.len(), &Device::Cpu).unwrap();
    for s in &sets {
        let got = s.project_tensor(&t).unwrap().to_vec1::<f32>().unwrap();
        for (x, g) in xs.iter().zip(got) {
            assert_eq!(
                g as i64,
                s.project(*x as f64),
                "set {:?}, x = {x}",
                s.values()
            );
        }
    }
}

#[test]
fn fake_quant_forward_is_quantized_and_gradient_passes_straight() {
    let s = set(&[-2, 0, 3]);
    let x =
        Var::from_tensor(&Tensor::new(&[0.9f32, 2.2, -1.9, 5.0], &Device::Cpu).unwrap()).unwrap();
    // Scale 0.5: x/0.5 = 1.8, 4.4, −3.8, 10 → 3, 3, −2, 3 → times 0.5.
    let y = fake_quant(x.as_tensor(), &s, 0.5).unwrap();
    assert_eq!(y.to_vec1::<f32>().unwrap(), vec![1.5, 1.5, -1.0, 1.5]);
    // d(Σ y)/dx = 1 everywhere with the straight-through estimator.
    let grads = y.sum_all().unwrap().backward().unwrap();
    let g = grads.get(x.as_tensor()).unwrap().to_vec1::<f32>().unwrap();
    assert_eq!(g, vec![1.0; 4]);
}

#[test]
fn fitted_scale_is_exact_when_values_lie_on_the_grid() {
    // Values 0, 0.5, 1, 1.5 on the set 0..=3 are exact at scale 0.5: the
    // search's full-range candidate is 1.5 / 3 = 0.5 and gives zero error.
    let s = ValueSet::range(0, 3).unwrap();
    let scale = fit_scale(&[0.0, 0.5, 1.0, 1.5, 1.5], &s);
    assert!((scale - 0.5).abs() < 1e-9, "{scale}");
    assert_eq!(fit_scale(&[0.0, 0.0], &s), 1.0);
}
