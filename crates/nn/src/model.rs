//! The network: a LeNet-5-class CNN, its parameters and its float /
//! fake-quantized forward pass.
//!
//! Every layer that multiplies (convolutions and dense layers) runs on the
//! MAC array; pooling and ReLU run beside it. Parameters follow the usual
//! layouts (conv `[out, in, k, k]`, dense `[out, in]`) so that the im2col
//! lowering of [`crate::lower`] can read them directly.

use candle_core::{DType, Device, Tensor, Var};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::{NnError, Result};
use crate::quant::{fake_quant, ValueSet};

/// What a layer computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LayerKind {
    /// 2-D convolution, stride 1, square kernel, zero padding on all sides.
    Conv {
        /// Input channels.
        in_ch: usize,
        /// Output channels.
        out_ch: usize,
        /// Kernel height and width.
        kernel: usize,
        /// Zero padding on each side.
        padding: usize,
    },
    /// Fully connected layer.
    Dense {
        /// Input features.
        inputs: usize,
        /// Output features.
        outputs: usize,
    },
}

/// One MAC layer with what follows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LayerSpec {
    /// Name used in reports and file names.
    pub name: String,
    /// Computation.
    #[serde(flatten)]
    pub kind: LayerKind,
    /// ReLU after the layer (its output is then an unsigned activation).
    pub relu: bool,
    /// 2×2 max pooling, stride 2, after the ReLU.
    pub pool: bool,
}

impl LayerSpec {
    /// Shape of the weight tensor.
    pub fn weight_shape(&self) -> Vec<usize> {
        match self.kind {
            LayerKind::Conv {
                in_ch,
                out_ch,
                kernel,
                ..
            } => vec![out_ch, in_ch, kernel, kernel],
            LayerKind::Dense { inputs, outputs } => vec![outputs, inputs],
        }
    }

    /// Output channels or features (N of the lowered matrix multiply).
    pub fn outputs(&self) -> usize {
        match self.kind {
            LayerKind::Conv { out_ch, .. } => out_ch,
            LayerKind::Dense { outputs, .. } => outputs,
        }
    }

    /// Output shape `[c, h, w]` before pooling, for input shape `input`
    /// (which must fit; see [`Architecture::shapes`]).
    pub fn pre_pool_shape(&self, input: [usize; 3]) -> [usize; 3] {
        match self.kind {
            LayerKind::Conv {
                out_ch,
                kernel,
                padding,
                ..
            } => [
                out_ch,
                input[1] + 2 * padding + 1 - kernel,
                input[2] + 2 * padding + 1 - kernel,
            ],
            LayerKind::Dense { outputs, .. } => [outputs, 1, 1],
        }
    }

    /// Length of one dot product (K of the lowered matrix multiply).
    pub fn dot_len(&self) -> usize {
        match self.kind {
            LayerKind::Conv { in_ch, kernel, .. } => in_ch * kernel * kernel,
            LayerKind::Dense { inputs, .. } => inputs,
        }
    }
}

/// A feed-forward stack of MAC layers on a `[channels, height, width]` input.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Architecture {
    /// Input `[channels, height, width]`.
    pub input: [usize; 3],
    /// The layers, in order.
    pub layers: Vec<LayerSpec>,
}

impl Architecture {
    /// LeNet-5 as commonly adapted to 28×28 inputs: conv 5×5 (6, padding 2)
    /// → pool → conv 5×5 (16) → pool → dense 120 → 84 → 10, ReLU throughout.
    pub fn lenet5() -> Architecture {
        let conv = |name: &str, in_ch, out_ch, padding| LayerSpec {
            name: name.into(),
            kind: LayerKind::Conv {
                in_ch,
                out_ch,
                kernel: 5,
                padding,
            },
            relu: true,
            pool: true,
        };
        let dense = |name: &str, inputs, outputs, relu| LayerSpec {
            name: name.into(),
            kind: LayerKind::Dense { inputs, outputs },
            relu,
            pool: false,
        };
        Architecture {
            input: [1, 28, 28],
            layers: vec![
                conv("conv1", 1, 6, 2),
                conv("conv2", 6, 16, 0),
                dense("fc1", 400, 120, true),
                dense("fc2", 120, 84, true),
                dense("fc3", 84, 10, false),
            ],
        }
    }

    /// Errors unless images of `rows × cols` pixels fill the input.
    pub fn check_images(&self, rows: usize, cols: usize) -> Result<()> {
        let [c, h, w] = self.input;
        if rows * cols != c * h * w {
            return Err(NnError::Mismatch(format!(
                "images have {rows}×{cols} pixels, the network takes {c}×{h}×{w} inputs"
            )));
        }
        Ok(())
    }

    /// Input shape `[c, h, w]` of each layer and the shape of the network
    /// output; errors when consecutive layers do not fit.
    pub fn shapes(&self) -> Result<Vec<[usize; 3]>> {
        let mut shapes = vec![self.input];
        let mut cur = self.input;
        for l in &self.layers {
            let fits = match l.kind {
                LayerKind::Conv {
                    in_ch,
                    kernel,
                    padding,
                    ..
                } => {
                    cur[0] == in_ch
                        && cur[1] + 2 * padding >= kernel
                        && cur[2] + 2 * padding >= kernel
                }
                LayerKind::Dense { inputs, .. } => cur.iter().product::<usize>() == inputs,
            };
            if !fits {
                return Err(NnError::Invalid(format!(
                    "layer {}: input {cur:?} does not fit {:?}",
                    l.name, l.kind
                )));
            }
            cur = l.pre_pool_shape(cur);
            if l.pool {
                cur = [cur[0], cur[1] / 2, cur[2] / 2];
            }
            shapes.push(cur);
        }
        Ok(shapes)
    }
}

/// Fixed quantization of a network: value sets and per-layer scales.
///
/// Activation `a` (an integer of `acts`) stands for `a · scale`; weight `w`
/// (an integer of `weights`) for `w · weight_scale`; a layer's bias is
/// rounded to the grid of its accumulator, `weight_scale · input scale`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Quantization {
    /// Integers a weight may take.
    pub weights: Vec<i64>,
    /// Integers an activation may take.
    pub acts: Vec<i64>,
    /// Real value of activation 1 at the network input (pixels are 0..1).
    pub input_scale: f64,
    /// Per layer: real value of weight 1.
    pub weight_scales: Vec<f64>,
    /// Per layer: real value of activation 1 at its output (`None` for the
    /// last layer, whose accumulator gives the logits).
    pub act_scales: Vec<Option<f64>>,
}

impl Quantization {
    /// The weight value set.
    pub fn weight_set(&self) -> Result<ValueSet> {
        ValueSet::new(self.weights.clone())
    }

    /// The activation value set.
    pub fn act_set(&self) -> Result<ValueSet> {
        ValueSet::new(self.acts.clone())
    }

    /// Scale of the activations entering layer `i`.
    pub fn input_scale_of(&self, i: usize) -> f64 {
        if i == 0 {
            self.input_scale
        } else {
            self.act_scales[i - 1].unwrap_or(1.0)
        }
    }
}

/// Trainable parameters of one layer.
#[derive(Debug, Clone)]
pub struct LayerParams {
    /// Weights (see [`LayerSpec::weight_shape`]).
    pub weight: Var,
    /// Bias, one per output.
    pub bias: Var,
}

/// A network: architecture and parameters on the CPU.
///
/// Not `Clone`: a cloned `Var` shares its storage, so training a clone
/// would change the original. [`Net::duplicate`] copies the values.
#[derive(Debug)]
pub struct Net {
    /// Layer structure.
    pub arch: Architecture,
    /// Parameters of each layer.
    pub params: Vec<LayerParams>,
}

/// What a forward pass returns.
pub struct Forward {
    /// Logits `[batch, classes]`.
    pub logits: Tensor,
    /// Per layer with ReLU: its output after ReLU and before quantization and
    /// pooling (collected only on request, for calibration).
    pub relu_outputs: Vec<Tensor>,
}

impl Net {
    /// A freshly initialized network (uniform ±1/√fan_in, the usual default
    /// for ReLU CNNs of this size), reproducible from `seed`.
    pub fn init(arch: Architecture, seed: u64) -> Result<Net> {
        arch.shapes()?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let params = arch
            .layers
            .iter()
            .map(|l| {
                let shape = l.weight_shape();
                let bound = 1.0 / (l.dot_len() as f32).sqrt();
                let n: usize = shape.iter().product();
                let w: Vec<f32> = (0..n).map(|_| rng.gen_range(-bound..bound)).collect();
                let b: Vec<f32> = (0..l.outputs())
                    .map(|_| rng.gen_range(-bound..bound))
                    .collect();
                Ok(LayerParams {
                    weight: Var::from_tensor(&Tensor::from_vec(w, shape, &Device::Cpu)?)?,
                    bias: Var::from_tensor(&Tensor::from_vec(b, l.outputs(), &Device::Cpu)?)?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Net { arch, params })
    }

    /// A network from given weights and biases (flat, row-major).
    pub fn from_parts(arch: Architecture, parts: Vec<(Vec<f32>, Vec<f32>)>) -> Result<Net> {
        arch.shapes()?;
        if parts.len() != arch.layers.len() {
            return Err(NnError::Mismatch(format!(
                "{} parameter sets for {} layers",
                parts.len(),
                arch.layers.len()
            )));
        }
        let params = arch
            .layers
            .iter()
            .zip(parts)
            .map(|(l, (w, b))| {
                let shape = l.weight_shape();
                if w.len() != shape.iter().product::<usize>() || b.len() != l.outputs() {
                    return Err(NnError::Mismatch(format!(
                        "layer {}: {} weights and {} biases, expected {shape:?} and {}",
                        l.name,
                        w.len(),
                        b.len(),
                        l.outputs()
                    )));
                }
                Ok(LayerParams {
                    weight: Var::from_tensor(&Tensor::from_vec(w, shape, &Device::Cpu)?)?,
                    bias: Var::from_tensor(&Tensor::from_vec(b, l.outputs(), &Device::Cpu)?)?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Net { arch, params })
    }

    /// An independent copy (parameters copied, not shared).
    pub fn duplicate(&self) -> Result<Net> {
        Net::from_parts(self.arch.clone(), self.to_parts()?)
    }

    /// All trainable variables, for an optimizer.
    pub fn vars(&self) -> Vec<Var> {
        self.params
            .iter()
            .flat_map(|p| [p.weight.clone(), p.bias.clone()])
            .collect()
    }

    /// Flat weights and biases of every layer.
    pub fn to_parts(&self) -> Result<Vec<(Vec<f32>, Vec<f32>)>> {
        self.params
            .iter()
            .map(|p| {
                Ok((
                    p.weight.as_tensor().flatten_all()?.to_vec1::<f32>()?,
                    p.bias.as_tensor().to_vec1::<f32>()?,
                ))
            })
            .collect()
    }

    /// Forward pass on `x` (`[batch, c, h, w]`, f32 pixels in 0..1).
    ///
    /// With `quant`, weights, biases and activations are fake-quantized as
    /// the integer engine computes them (straight-through gradients); with
    /// `collect`, ReLU outputs are returned for calibration.
    pub fn forward(&self, x: &Tensor, quant: Option<&QuantSets>, collect: bool) -> Result<Forward> {
        let mut relu_outputs = Vec::new();
        let mut h = match quant {
            Some(q) => fake_quant(x, &q.acts, q.q.input_scale)?,
            None => x.clone(),
        };
        for (i, (l, p)) in self.arch.layers.iter().zip(&self.params).enumerate() {
            let (w, b) = match quant {
                Some(q) => {
                    let ws = q.q.weight_scales[i];
                    let acc_scale = ws * q.q.input_scale_of(i);
                    (
                        fake_quant(p.weight.as_tensor(), &q.weights, ws)?,
                        round_ste(p.bias.as_tensor(), acc_scale)?,
                    )
                }
                None => (p.weight.as_tensor().clone(), p.bias.as_tensor().clone()),
            };
            h = match l.kind {
                LayerKind::Conv {
                    out_ch, padding, ..
                } => h
                    .conv2d(&w, padding, 1, 1, 1)?
                    .broadcast_add(&b.reshape((1, out_ch, 1, 1))?)?,
                LayerKind::Dense { .. } => {
                    let batch = h.dim(0)?;
                    h.reshape((batch, ()))?.matmul(&w.t()?)?.broadcast_add(&b)?
                }
            };
            if l.relu {
                h = h.relu()?;
                if collect {
                    relu_outputs.push(h.clone());
                }
                if let Some(q) = quant {
                    let s = q.q.act_scales[i].ok_or_else(|| {
                        NnError::Mismatch(format!(
                            "layer {} has ReLU but no activation scale",
                            l.name
                        ))
                    })?;
                    h = fake_quant(&h, &q.acts, s)?;
                }
            }
            if l.pool {
                h = h.max_pool2d(2)?;
            }
        }
        Ok(Forward {
            logits: h,
            relu_outputs,
        })
    }
}

/// A [`Quantization`] with its value sets built once for the forward pass.
#[derive(Debug, Clone)]
pub struct QuantSets {
    /// The scales.
    pub q: Quantization,
    /// Its weight set.
    pub weights: ValueSet,
    /// Its activation set.
    pub acts: ValueSet,
}

impl QuantSets {
    /// Build the sets of `q`.
    pub fn new(q: Quantization) -> Result<Self> {
        Ok(QuantSets {
            weights: q.weight_set()?,
            acts: q.act_set()?,
            q,
        })
    }
}

/// Round to a grid of step `step` (half away from zero, as the integer
/// engine does) with a straight-through gradient.
fn round_ste(x: &Tensor, step: f64) -> Result<Tensor> {
    let q = ((x / step)?.round()? * step)?;
    Ok((x + (q - x)?.detach())?)
}

/// Batch of images as a `[n, 1, rows, cols]` f32 tensor of pixels / 255.
pub fn images_tensor(pixels: &[u8], n: usize, rows: usize, cols: usize) -> Result<Tensor> {
    let v: Vec<f32> = pixels.iter().map(|&p| p as f32 / 255.0).collect();
    Ok(Tensor::from_vec(v, (n, 1, rows, cols), &Device::Cpu)?.to_dtype(DType::F32)?)
}
