//! Quantization onto sets of integer values, as the accelerator sees them.
//!
//! The accelerator multiplies signed integer weights by unsigned integer
//! activations. A [`ValueSet`] is the set of integers a quantizer may produce:
//! the full range of the MAC (e.g. −128..=127 weights, 0..=255 activations)
//! or, after pruning, only the kept weights or allowed activations. The same
//! projection (nearest member, ties toward zero, then toward the lower value)
//! serves plain quantization and pruning, in scalar form for the integer
//! engine and in tensor form (with a straight-through estimator) for training.

use candle_core::{DType, Tensor};

use crate::error::{NnError, Result};

/// A non-empty, sorted set of distinct integers a quantizer may produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueSet {
    values: Vec<i64>,
}

impl ValueSet {
    /// The set of `values` (any order, duplicates removed); errors when empty.
    pub fn new(mut values: Vec<i64>) -> Result<Self> {
        values.sort_unstable();
        values.dedup();
        if values.is_empty() {
            return Err(NnError::Invalid(
                "a quantizer value set may not be empty".into(),
            ));
        }
        Ok(ValueSet { values })
    }

    /// All integers `lo..=hi`.
    pub fn range(lo: i64, hi: i64) -> Result<Self> {
        if lo > hi {
            return Err(NnError::Invalid(format!("empty value range {lo}..={hi}")));
        }
        Ok(ValueSet {
            values: (lo..=hi).collect(),
        })
    }

    /// Members, ascending.
    pub fn values(&self) -> &[i64] {
        &self.values
    }

    /// Smallest member.
    pub fn min(&self) -> i64 {
        self.values[0]
    }

    /// Largest member.
    pub fn max(&self) -> i64 {
        self.values[self.values.len() - 1]
    }

    /// Largest magnitude of a member; at least 1 so it can divide.
    pub fn max_abs(&self) -> i64 {
        self.min().abs().max(self.max().abs()).max(1)
    }

    /// True when `v` is a member.
    pub fn contains(&self, v: i64) -> bool {
        self.values.binary_search(&v).is_ok()
    }

    /// The member nearest to `x`. A tie goes to the member of smaller
    /// magnitude (toward zero, which keeps values small), and between equal
    /// magnitudes to the lower one, so the result is always defined.
    pub fn project(&self, x: f64) -> i64 {
        let v = &self.values;
        // First member >= x.
        let i = v.partition_point(|&m| (m as f64) < x);
        if i == 0 {
            return v[0];
        }
        if i == v.len() {
            return v[v.len() - 1];
        }
        let (lo, hi) = (v[i - 1], v[i]);
        let (dlo, dhi) = (x - lo as f64, hi as f64 - x);
        let tie_goes_high = hi.abs() < lo.abs();
        if dhi < dlo || (dhi == dlo && tie_goes_high) {
            hi
        } else {
            lo
        }
    }

    /// Tensor version of [`ValueSet::project`] (same results, ties included),
    /// for `x` of dtype f32 already divided by the scale.
    ///
    /// Members are integers, so all midpoints between neighbours lie on the
    /// half-integer grid; `x` is mapped to a half-unit bin whose closed side
    /// follows the tie rule (upper end closed for x ≥ 0, lower end for x < 0),
    /// and a lookup table gives the member nearest the bin's centre.
    pub fn project_tensor(&self, x: &Tensor) -> Result<Tensor> {
        let (j_lo, lut) = self.bin_lut();
        let device = x.device();
        let two_x = (x * 2.0)?;
        let up = (two_x.ceil()? - 1.0)?;
        let down = two_x.floor()?;
        let j = x.ge(0.0)?.where_cond(&up, &down)?;
        let j_hi = j_lo + lut.len() as i64 - 1;
        let idx = (j.clamp(j_lo as f64, j_hi as f64)? - j_lo as f64)?.to_dtype(DType::U32)?;
        let n = lut.len();
        let lut = Tensor::from_vec(lut, n, device)?;
        let shape = x.shape().clone();
        Ok(lut.index_select(&idx.flatten_all()?, 0)?.reshape(shape)?)
    }

    /// First bin index and the member for each half-unit bin from just below
    /// the smallest member to just above the largest.
    fn bin_lut(&self) -> (i64, Vec<f32>) {
        let j_lo = 2 * self.min() - 2;
        let j_hi = 2 * self.max() + 1;
        let lut = (j_lo..=j_hi)
            .map(|j| self.project((j as f64 + 0.5) / 2.0) as f32)
            .collect();
        (j_lo, lut)
    }
}

/// Fake quantization with a straight-through estimator: the forward value is
/// `project(x / scale) * scale`, the gradient that of the identity
/// (`x + (q(x) − x).detach()`), so training sees the quantized network but
/// can still move the float weights.
pub fn fake_quant(x: &Tensor, set: &ValueSet, scale: f64) -> Result<Tensor> {
    let q = (set.project_tensor(&(x / scale)?)? * scale)?;
    Ok((x + (q - x)?.detach())?)
}

/// The scale that minimizes the squared error of quantizing `values` onto
/// `set`, searched over fractions of the scale that maps the largest
/// magnitude onto the set's largest magnitude (clipping rare outliers often
/// lowers the error of everything else).
///
/// Returns 1.0 when all values are zero, so the scale can always divide.
pub fn fit_scale(values: &[f32], set: &ValueSet) -> f64 {
    let max_abs = values.iter().fold(0f32, |m, v| m.max(v.abs())) as f64;
    if max_abs == 0.0 {
        return 1.0;
    }
    // A strided sample keeps the search cheap on large activation tensors.
    let stride = (values.len() / 65_536).max(1);
    let sample: Vec<f64> = values.iter().step_by(stride).map(|&v| v as f64).collect();
    let full = max_abs / set.max_abs() as f64;
    let mut best = (f64::INFINITY, full);
    for step in 0..=40 {
        let s = full * (0.2 + 0.02 * step as f64);
        let err: f64 = sample
            .iter()
            .map(|&v| {
                let d = v - set.project(v / s) as f64 * s;
                d * d
            })
            .sum();
        if err < best.0 {
            best = (err, s);
        }
    }
    best.1
}
