//! Training (float and quantization-aware), evaluation and calibration.
//!
//! Adam on cross-entropy, mini-batches in an order shuffled per epoch from a
//! seed, so runs are reproducible. Quantization-aware training uses the
//! fake-quantized forward pass of [`Net::forward`]: the loss sees the
//! quantized (and, when pruning, projected) network while gradients flow
//! to the float weights through the straight-through estimator.

use std::time::Instant;

use candle_core::backprop::GradStore;
use candle_core::{DType, Device, Tensor};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::data::Dataset;
use crate::error::{NnError, Result};
use crate::model::{images_tensor, Net, QuantSets, Quantization};
use crate::quant::{fit_scale, ValueSet};

/// Training settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// Passes over the training images.
    pub epochs: usize,
    /// Images per gradient step.
    pub batch_size: usize,
    /// Adam step size.
    pub learning_rate: f64,
    /// Seed of the shuffling.
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 3,
            batch_size: 64,
            learning_rate: 2e-3,
            seed: 1,
        }
    }
}

/// What one epoch did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochStats {
    /// Epoch number, from 1.
    pub epoch: usize,
    /// Mean training loss.
    pub loss: f64,
    /// Fraction of training images classified correctly during the epoch.
    pub train_accuracy: f64,
    /// Wall time, s.
    pub seconds: f64,
}

/// Train `net` in place on `data`; with `quant`, quantization-aware.
/// `on_epoch` is called after every epoch (progress output).
pub fn train(
    net: &Net,
    data: &Dataset,
    quant: Option<&QuantSets>,
    cfg: &TrainConfig,
    on_epoch: &mut dyn FnMut(&EpochStats),
) -> Result<Vec<EpochStats>> {
    if data.is_empty() || cfg.batch_size == 0 {
        return Err(NnError::Invalid(
            "training needs images and a batch size > 0".into(),
        ));
    }
    net.arch.check_images(data.rows, data.cols)?;
    let mut opt = AdamW::new(
        net.vars(),
        ParamsAdamW {
            lr: cfg.learning_rate,
            weight_decay: 0.0,
            ..Default::default()
        },
    )?;
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let shards = std::thread::available_parallelism().map_or(1, |n| n.get());
    // One pool for the shards and for candle's own parallel loops inside
    // them, so the two levels never put more threads than cores to work.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(shards)
        .build()
        .map_err(|e| NnError::Invalid(format!("cannot start training threads: {e}")))?;
    let mut stats = Vec::new();
    for epoch in 1..=cfg.epochs {
        let start = Instant::now();
        order.shuffle(&mut rng);
        // Cosine decay within each call keeps late steps small, which
        // matters most for the short fine-tuning runs.
        let steps = order.len().div_ceil(cfg.batch_size) * cfg.epochs;
        let (mut loss_sum, mut correct) = (0f64, 0usize);
        for (b, idx) in order.chunks(cfg.batch_size).enumerate() {
            let step = (epoch - 1) * order.len().div_ceil(cfg.batch_size) + b;
            let lr = cfg.learning_rate
                * 0.5
                * (1.0 + (std::f64::consts::PI * step as f64 / steps as f64).cos());
            opt.set_learning_rate(lr);
            // Data parallel: each shard of the batch runs forward and
            // backward on its own thread (candle's own ops parallelize
            // poorly at LeNet's sizes); gradients are averaged by shard size.
            let shard_len = idx.len().div_ceil(shards);
            let parts: Vec<&[usize]> = idx.chunks(shard_len).collect();
            let results: Vec<Result<ShardResult>> = pool.install(|| {
                parts
                    .par_iter()
                    .map(|part| shard_step(net, data, quant, part))
                    .collect()
            });
            let mut results = results.into_iter().collect::<Result<Vec<_>>>()?;
            let mut first = results.remove(0);
            let total = idx.len() as f64;
            for var in net.vars() {
                let mut g = match first.grads.get(&var) {
                    Some(g) => (g * (first.len as f64 / total))?,
                    None => continue,
                };
                for r in &results {
                    if let Some(h) = r.grads.get(&var) {
                        g = (g + (h * (r.len as f64 / total))?)?;
                    }
                }
                first.grads.insert(&var, g);
            }
            opt.step(&first.grads)?;
            for r in std::iter::once(&first).chain(&results) {
                loss_sum += r.loss_sum;
                correct += r.correct;
            }
        }
        let s = EpochStats {
            epoch,
            loss: loss_sum / data.len() as f64,
            train_accuracy: correct as f64 / data.len() as f64,
            seconds: start.elapsed().as_secs_f64(),
        };
        on_epoch(&s);
        stats.push(s);
    }
    Ok(stats)
}

/// Gradients and figures of one shard of a batch.
struct ShardResult {
    grads: GradStore,
    len: usize,
    loss_sum: f64,
    correct: usize,
}

fn shard_step(
    net: &Net,
    data: &Dataset,
    quant: Option<&QuantSets>,
    idx: &[usize],
) -> Result<ShardResult> {
    let mut pixels = Vec::with_capacity(idx.len() * data.rows * data.cols);
    let mut labels = Vec::with_capacity(idx.len());
    for &i in idx {
        pixels.extend_from_slice(data.image(i));
        labels.push(data.labels[i] as u32);
    }
    let x = images_tensor(&pixels, idx.len(), data.rows, data.cols)?;
    let y = Tensor::from_vec(labels, idx.len(), &Device::Cpu)?;
    let logits = net.forward(&x, quant, false)?.logits;
    let loss = candle_nn::loss::cross_entropy(&logits, &y)?;
    Ok(ShardResult {
        grads: loss.backward()?,
        len: idx.len(),
        loss_sum: loss.to_scalar::<f32>()? as f64 * idx.len() as f64,
        correct: count_correct(&logits, &y)?,
    })
}

fn count_correct(logits: &Tensor, labels: &Tensor) -> Result<usize> {
    let pred = logits.argmax(1)?;
    Ok(pred
        .eq(labels)?
        .to_dtype(DType::U32)?
        .sum_all()?
        .to_scalar::<u32>()? as usize)
}

/// Accuracy of the float (or, with `quant`, fake-quantized) network.
pub fn evaluate(net: &Net, data: &Dataset, quant: Option<&QuantSets>) -> Result<f64> {
    const BATCH: usize = 500;
    net.arch.check_images(data.rows, data.cols)?;
    let px = data.rows * data.cols;
    let mut correct = 0;
    for start in (0..data.len()).step_by(BATCH) {
        let n = BATCH.min(data.len() - start);
        let x = images_tensor(
            &data.pixels[start * px..(start + n) * px],
            n,
            data.rows,
            data.cols,
        )?;
        let labels: Vec<u32> = data.labels[start..start + n]
            .iter()
            .map(|&l| l as u32)
            .collect();
        let y = Tensor::from_vec(labels, n, &Device::Cpu)?;
        correct += count_correct(&net.forward(&x, quant, false)?.logits, &y)?;
    }
    Ok(correct as f64 / data.len().max(1) as f64)
}

/// Choose the scales of a quantization onto `weights` and `acts`: weight
/// scales from each layer's weights, activation scales from the ReLU outputs
/// on `calib` images, each minimizing the squared quantization error
/// ([`fit_scale`]). Activation scales are fitted layer by layer on the
/// network quantized so far, so each sees the inputs it will get.
pub fn calibrate(
    net: &Net,
    calib: &Dataset,
    weights: &ValueSet,
    acts: &ValueSet,
) -> Result<Quantization> {
    net.arch.check_images(calib.rows, calib.cols)?;
    if calib.is_empty() {
        return Err(NnError::Invalid(
            "calibration needs at least one image".into(),
        ));
    }
    let n_layers = net.arch.layers.len();
    let weight_scales = net
        .to_parts()?
        .iter()
        .map(|(w, _)| fit_scale(w, weights))
        .collect();
    let mut q = Quantization {
        weights: weights.values().to_vec(),
        acts: acts.values().to_vec(),
        input_scale: 1.0 / acts.max().max(1) as f64,
        weight_scales,
        act_scales: vec![Some(1.0); n_layers],
    };
    let x = images_tensor(&calib.pixels, calib.len(), calib.rows, calib.cols)?;
    let mut relu_i = 0;
    for (i, l) in net.arch.layers.iter().enumerate() {
        if !l.relu {
            q.act_scales[i] = None;
            continue;
        }
        let sets = QuantSets::new(q.clone())?;
        let outs = net.forward(&x, Some(&sets), true)?.relu_outputs;
        let values = outs[relu_i].flatten_all()?.to_vec1::<f32>()?;
        q.act_scales[i] = Some(fit_scale(&values, acts));
        relu_i += 1;
    }
    Ok(q)
}
