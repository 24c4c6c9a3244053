//! Lowering of MAC layers to matrix multiplies, the order the array sees.
//!
//! A layer computes `Y[m][n] = Σ_k A[m][k] · W[k][n]` with
//! - `m`: output position, row-major `(oh, ow)` for a convolution (one row
//!   for a dense layer), per image;
//! - `k`: position in the dot product, `(c, kh, kw)` row-major for a
//!   convolution (im2col), the flattened `(c, h, w)` input for a dense layer;
//! - `n`: output channel or feature.
//!
//! This `k` order equals the row-major flattening of a weight tensor
//! `[out, in, kh, kw]`, so `W[k][n] = weight[n * K + k]`.

use crate::model::{LayerKind, LayerSpec};

/// The `A` matrix of one layer for one image: `rows` output positions ×
/// `cols` dot-product positions, integer activations, row-major.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lowered {
    /// Output positions (M).
    pub rows: usize,
    /// Dot-product length (K).
    pub cols: usize,
    /// Activations, `data[m * cols + k]`.
    pub data: Vec<i32>,
}

impl Lowered {
    /// Row `m`.
    pub fn row(&self, m: usize) -> &[i32] {
        &self.data[m * self.cols..(m + 1) * self.cols]
    }
}

/// Lower the input `input` (`[c, h, w]` row-major, shape `shape`) of layer
/// `spec`. Zero padding enters the array as activation 0.
pub fn lower(spec: &LayerSpec, input: &[i32], shape: [usize; 3]) -> Lowered {
    match spec.kind {
        LayerKind::Dense { .. } => Lowered {
            rows: 1,
            cols: input.len(),
            data: input.to_vec(),
        },
        LayerKind::Conv {
            in_ch,
            kernel,
            padding,
            ..
        } => {
            let [_, h, w] = shape;
            let oh = h + 2 * padding - kernel + 1;
            let ow = w + 2 * padding - kernel + 1;
            let cols = in_ch * kernel * kernel;
            let mut data = vec![0i32; oh * ow * cols];
            for y in 0..oh {
                for x in 0..ow {
                    let row = &mut data[(y * ow + x) * cols..][..cols];
                    for c in 0..in_ch {
                        for ky in 0..kernel {
                            // Input row of this kernel row; outside = padding.
                            let iy = (y + ky).wrapping_sub(padding);
                            if iy >= h {
                                continue;
                            }
                            for kx in 0..kernel {
                                let ix = (x + kx).wrapping_sub(padding);
                                if ix < w {
                                    row[(c * kernel + ky) * kernel + kx] =
                                        input[(c * h + iy) * w + ix];
                                }
                            }
                        }
                    }
                }
            }
            Lowered {
                rows: oh * ow,
                cols,
                data,
            }
        }
    }
}
