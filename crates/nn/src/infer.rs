//! Integer inference, as the accelerator runs the quantized network.
//!
//! Weights are integers of the weight set, activations integers of the
//! activation set; each output is the integer dot product plus an integer
//! bias, held in a 22-bit signed accumulator (saturating: a wrapped value
//! would be a wild error, a saturated one a bounded one; saturations are
//! counted so a report can show they do not happen in practice). The
//! accumulator is then rescaled, passed through ReLU and quantized back to
//! the activation set for the next layer; pooling takes the max of integers.

use rayon::prelude::*;

use crate::data::Dataset;
use crate::error::{NnError, Result};
use crate::lower::{lower, Lowered};
use crate::model::{Architecture, LayerSpec, Net, Quantization};
use crate::quant::ValueSet;

/// Accumulator width, bits (two's complement).
pub const ACC_BITS: u32 = 22;
const ACC_MAX: i64 = (1 << (ACC_BITS - 1)) - 1;
const ACC_MIN: i64 = -(1 << (ACC_BITS - 1));

/// One quantized layer.
#[derive(Debug, Clone)]
pub struct IntLayer {
    /// Structure.
    pub spec: LayerSpec,
    /// Integer weights, `weights[n * K + k]` (see [`crate::lower`]).
    pub weights: Vec<i32>,
    /// Integer bias added to the accumulator, one per output.
    pub bias: Vec<i64>,
    /// Real value of one accumulator unit (weight scale × input scale).
    pub acc_scale: f64,
    /// Real value of activation 1 at the output (`None`: last layer).
    pub out_scale: Option<f64>,
}

/// The quantized network.
#[derive(Debug, Clone)]
pub struct IntNet {
    /// Layer structure.
    pub arch: Architecture,
    /// Input shape of each layer, then the output's.
    pub shapes: Vec<[usize; 3]>,
    /// Quantized layers.
    pub layers: Vec<IntLayer>,
    /// Real value of activation 1 at the input (pixels 0..1).
    pub input_scale: f64,
    /// Values activations may take.
    pub acts: ValueSet,
}

/// Result of one integer inference.
#[derive(Debug, Clone)]
pub struct IntOutput {
    /// Logits (real values of the last accumulator).
    pub logits: Vec<f64>,
    /// Accumulators that hit the 22-bit limits.
    pub saturated: u64,
}

/// Accuracy of the integer engine on a data set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntEval {
    /// Fraction of images classified correctly.
    pub accuracy: f64,
    /// Accumulator saturations over all images.
    pub saturated: u64,
}

impl IntNet {
    /// Quantize `net` with `q`: weights projected onto the weight set at
    /// their scale, biases rounded to the accumulator grid.
    pub fn new(net: &Net, q: &Quantization) -> Result<IntNet> {
        let wset = q.weight_set()?;
        let acts = q.act_set()?;
        let n_layers = net.arch.layers.len();
        if q.weight_scales.len() != n_layers || q.act_scales.len() != n_layers {
            return Err(NnError::Mismatch(format!(
                "quantization has {} weight and {} activation scales for {n_layers} layers",
                q.weight_scales.len(),
                q.act_scales.len()
            )));
        }
        // Bound of |Σ w·a| so the engine may add in i32.
        let max_w = wset.max_abs() as f64;
        let max_a = acts.max_abs() as f64;
        if let Some(l) = net
            .arch
            .layers
            .iter()
            .find(|l| max_w * max_a * l.dot_len() as f64 >= i32::MAX as f64)
        {
            return Err(NnError::Invalid(format!(
                "layer {}: weights up to {max_w} times activations up to {max_a} over {} terms \
                 exceed the integer engine's 32-bit sums",
                l.name,
                l.dot_len()
            )));
        }
        let parts = net.to_parts()?;
        let layers = net
            .arch
            .layers
            .iter()
            .zip(parts)
            .enumerate()
            .map(|(i, (spec, (w, b)))| {
                let ws = q.weight_scales[i];
                let acc_scale = ws * q.input_scale_of(i);
                if spec.relu && q.act_scales[i].is_none() {
                    return Err(NnError::Mismatch(format!(
                        "layer {} has ReLU but no activation scale",
                        spec.name
                    )));
                }
                Ok(IntLayer {
                    spec: spec.clone(),
                    weights: w
                        .iter()
                        .map(|&v| wset.project(v as f64 / ws) as i32)
                        .collect(),
                    bias: b
                        .iter()
                        .map(|&v| (v as f64 / acc_scale).round() as i64)
                        .collect(),
                    acc_scale,
                    out_scale: if spec.relu { q.act_scales[i] } else { None },
                })
            })
            .collect::<Result<_>>()?;
        Ok(IntNet {
            shapes: net.arch.shapes()?,
            arch: net.arch.clone(),
            layers,
            input_scale: q.input_scale,
            acts,
        })
    }

    /// Integer activations of an image's pixels.
    pub fn input(&self, pixels: &[u8]) -> Vec<i32> {
        pixels
            .iter()
            .map(|&p| self.acts.project(p as f64 / 255.0 / self.input_scale) as i32)
            .collect()
    }

    /// Run one image, handing each layer's lowered input to `observe`
    /// (layer index, `A` matrix) before it is multiplied.
    pub fn run(&self, pixels: &[u8], observe: &mut dyn FnMut(usize, &Lowered)) -> IntOutput {
        let mut act = self.input(pixels);
        let mut saturated = 0u64;
        let mut logits = Vec::new();
        for (i, layer) in self.layers.iter().enumerate() {
            let a = lower(&layer.spec, &act, self.shapes[i]);
            observe(i, &a);
            let n_out = layer.spec.outputs();
            let k_len = a.cols;
            // Output layout [n][m], channel-major like the tensors.
            let mut out = vec![0i32; n_out * a.rows];
            let mut last = Vec::new();
            for n in 0..n_out {
                let w = &layer.weights[n * k_len..(n + 1) * k_len];
                for m in 0..a.rows {
                    // i32 products and sums vectorize; IntNet::new checked
                    // that no dot product can leave the i32 range.
                    let dot: i32 = a.row(m).iter().zip(w).map(|(&x, &y)| x * y).sum();
                    let acc = dot as i64 + layer.bias[n];
                    let sat = acc.clamp(ACC_MIN, ACC_MAX);
                    saturated += u64::from(sat != acc);
                    let y = sat as f64 * layer.acc_scale;
                    match layer.out_scale {
                        Some(s) => out[n * a.rows + m] = self.acts.project(y.max(0.0) / s) as i32,
                        None => last.push(y),
                    }
                }
            }
            if layer.out_scale.is_none() {
                logits = last;
                break;
            }
            act = if layer.spec.pool {
                max_pool2(&out, layer.spec.pre_pool_shape(self.shapes[i]))
            } else {
                out
            };
        }
        IntOutput { logits, saturated }
    }

    /// Lowered inputs of `data`'s images, `[image][layer]`, handed to
    /// `consume` `chunk` images at a time in image order. The forward
    /// passes of a chunk run in parallel; chunking bounds the memory.
    pub fn lowered_chunks(
        &self,
        data: &Dataset,
        chunk: usize,
        consume: &mut dyn FnMut(&[Vec<Lowered>]),
    ) {
        let images: Vec<usize> = (0..data.len()).collect();
        for part in images.chunks(chunk.max(1)) {
            let lowered: Vec<Vec<Lowered>> = part
                .par_iter()
                .map(|&i| {
                    let mut per_layer = Vec::with_capacity(self.layers.len());
                    self.run(data.image(i), &mut |_, a| per_layer.push(a.clone()));
                    per_layer
                })
                .collect();
            consume(&lowered);
        }
    }

    /// Predicted class of an image and its saturation count.
    pub fn predict(&self, pixels: &[u8]) -> (usize, u64) {
        let out = self.run(pixels, &mut |_, _| {});
        (argmax(&out.logits), out.saturated)
    }

    /// Errors unless `data`'s images have as many pixels as the network
    /// has inputs.
    pub fn check_input(&self, data: &Dataset) -> Result<()> {
        self.arch.check_images(data.rows, data.cols)
    }

    /// Accuracy on `data`, images in parallel.
    pub fn evaluate(&self, data: &Dataset) -> Result<IntEval> {
        self.check_input(data)?;
        let (correct, saturated) = (0..data.len())
            .into_par_iter()
            .map(|i| {
                let (p, s) = self.predict(data.image(i));
                (usize::from(p == data.labels[i] as usize), s)
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
        Ok(IntEval {
            accuracy: correct as f64 / data.len().max(1) as f64,
            saturated,
        })
    }
}

/// 2×2 max pooling, stride 2, of `[c, h, w]` maps (an odd last row or
/// column is dropped, as the tensor op does).
fn max_pool2(x: &[i32], [c, h, w]: [usize; 3]) -> Vec<i32> {
    let (oh, ow) = (h / 2, w / 2);
    let mut out = Vec::with_capacity(c * oh * ow);
    for map in x.chunks_exact(h * w).take(c) {
        for y in 0..oh {
            for xx in 0..ow {
                let at = |dy: usize, dx: usize| map[(2 * y + dy) * w + 2 * xx + dx];
                out.push(at(0, 0).max(at(0, 1)).max(at(1, 0)).max(at(1, 1)));
            }
        }
    }
    out
}

/// Index of the largest value (first on ties).
pub fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}
