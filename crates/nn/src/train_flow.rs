//! `nn train`: float training, calibration and quantization-aware
//! fine-tuning, with the accuracies of both networks.

use std::time::Instant;

use crate::data::Dataset;
use crate::error::{NnError, Result};
use crate::infer::IntNet;
use crate::model::{Architecture, Net, QuantSets, Quantization};
use crate::quant::ValueSet;
use crate::store::TrainingRecord;
use crate::train::{calibrate, evaluate, train, TrainConfig};

/// Images used to fit activation scales (the first ones of the training set).
pub const CALIBRATION_IMAGES: usize = 500;

/// Settings of `nn train`.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    /// Float training.
    pub float: TrainConfig,
    /// Quantization-aware fine-tuning.
    pub qat: TrainConfig,
    /// Weight bits (signed, two's complement range).
    pub weight_bits: u32,
    /// Activation bits (unsigned).
    pub act_bits: u32,
    /// Seed of the initial weights.
    pub init_seed: u64,
}

impl Default for TrainOptions {
    /// 10 float epochs at batch 64, two quantization-aware epochs at a
    /// tenth of the step size, 8-bit weights and activations: measured to
    /// reach ~91% test accuracy in about 5 minutes on 2 cores, close enough
    /// to converged that the pruning flow's retraining does not flatter
    /// the comparison (see bench/README.md).
    fn default() -> Self {
        TrainOptions {
            float: TrainConfig {
                epochs: 10,
                ..TrainConfig::default()
            },
            qat: TrainConfig {
                epochs: 2,
                learning_rate: 2e-4,
                seed: 2,
                ..TrainConfig::default()
            },
            weight_bits: 8,
            act_bits: 8,
            init_seed: 1,
        }
    }
}

/// Signed weight range of `bits` bits.
pub fn weight_range(bits: u32) -> Result<ValueSet> {
    check_bits(bits)?;
    let half = 1i64 << (bits - 1);
    ValueSet::range(-half, half - 1)
}

/// Unsigned activation range of `bits` bits.
pub fn act_range(bits: u32) -> Result<ValueSet> {
    check_bits(bits)?;
    ValueSet::range(0, (1i64 << bits) - 1)
}

fn check_bits(bits: u32) -> Result<()> {
    if (2..=12).contains(&bits) {
        Ok(())
    } else {
        Err(NnError::Invalid(format!(
            "bit width {bits}: expected 2 to 12"
        )))
    }
}

/// A trained model with its figures.
#[derive(Debug)]
pub struct TrainOutcome {
    /// The network (float weights after fine-tuning).
    pub net: Net,
    /// Its quantization.
    pub quantization: Quantization,
    /// Float accuracy on the test images (before fine-tuning).
    pub float_accuracy: f64,
    /// Integer-engine accuracy on the test images.
    pub quantized_accuracy: f64,
    /// Accumulator saturations on the test images.
    pub saturated: u64,
    /// How it was trained.
    pub record: TrainingRecord,
}

/// Train a LeNet-5 on `train_set`, measure it on `test_set`; `log` gets one
/// line per step.
pub fn train_model(
    train_set: &Dataset,
    test_set: &Dataset,
    opts: &TrainOptions,
    log: &mut dyn FnMut(&str),
) -> Result<TrainOutcome> {
    let start = Instant::now();
    let wset = weight_range(opts.weight_bits)?;
    let aset = act_range(opts.act_bits)?;
    let net = Net::init(Architecture::lenet5(), opts.init_seed)?;
    let mut epochs = Vec::new();
    epochs.extend(train(&net, train_set, None, &opts.float, &mut |s| {
        log(&format!(
            "float epoch {}: loss {:.4}, train accuracy {:.2}%, {:.1} s",
            s.epoch,
            s.loss,
            100.0 * s.train_accuracy,
            s.seconds
        ))
    })?);
    let float_accuracy = evaluate(&net, test_set, None)?;
    log(&format!(
        "float test accuracy {:.2}%",
        100.0 * float_accuracy
    ));
    let calib = train_set.head(CALIBRATION_IMAGES);
    let q = calibrate(&net, &calib, &wset, &aset)?;
    let sets = QuantSets::new(q.clone())?;
    epochs.extend(train(&net, train_set, Some(&sets), &opts.qat, &mut |s| {
        log(&format!(
            "quantization-aware epoch {}: loss {:.4}, train accuracy {:.2}%, {:.1} s",
            s.epoch,
            s.loss,
            100.0 * s.train_accuracy,
            s.seconds
        ))
    })?);
    let eval = IntNet::new(&net, &q)?.evaluate(test_set)?;
    log(&format!(
        "{}-bit test accuracy {:.2}% ({} accumulator saturations)",
        opts.weight_bits,
        100.0 * eval.accuracy,
        eval.saturated
    ));
    Ok(TrainOutcome {
        net,
        quantization: q,
        float_accuracy,
        quantized_accuracy: eval.accuracy,
        saturated: eval.saturated,
        record: TrainingRecord {
            train_images: train_set.len(),
            float: opts.float.clone(),
            qat: opts.qat.clone(),
            epochs,
            seconds: start.elapsed().as_secs_f64(),
        },
    })
}
