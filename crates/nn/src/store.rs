//! The model directory: parameters as NPY, everything else in JSON.
//!
//! `model.json` ([`ModelFile`]) describes the architecture, the quantization,
//! the accuracies and how the model was made, and names one
//! `<layer>.weight.npy` / `<layer>.bias.npy` pair (little-endian f32, the
//! shapes of [`crate::model::LayerSpec::weight_shape`]) per layer. Every file
//! is written to a temporary name and renamed, `model.json` last, so a
//! directory with a `model.json` is complete.

use std::path::Path;

use serde::{Deserialize, Serialize};
use tables::{npy_f32_bytes, read_npy_f64, write_atomic};

use crate::error::{NnError, Result};
use crate::model::{Architecture, Net, Quantization};
use crate::train::{EpochStats, TrainConfig};

/// Name of the description file.
pub const MODEL_FILE: &str = "model.json";
/// Value of [`ModelFile::format`].
pub const FORMAT: &str = "powerprune-nn-model";

/// Parameter files of one layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerFiles {
    /// Layer name.
    pub name: String,
    /// Weight NPY file, relative to the directory.
    pub weight: String,
    /// Bias NPY file, relative to the directory.
    pub bias: String,
}

/// Accuracies measured when the model was written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Accuracy {
    /// Float network on the test images.
    pub float: Option<f64>,
    /// Integer (accelerator) network on the test images.
    pub quantized: Option<f64>,
    /// Test images used.
    pub test_images: usize,
}

/// How the model was trained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingRecord {
    /// Training images used.
    pub train_images: usize,
    /// Float training settings.
    pub float: TrainConfig,
    /// Quantization-aware fine-tuning settings.
    pub qat: TrainConfig,
    /// Per-epoch statistics, float then quantization-aware.
    pub epochs: Vec<EpochStats>,
    /// Wall time of all training, s.
    pub seconds: f64,
}

/// `model.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// Format version (1).
    pub version: u32,
    /// Layer structure.
    pub architecture: Architecture,
    /// Quantization the accelerator uses.
    pub quantization: Quantization,
    /// Parameter files.
    pub files: Vec<LayerFiles>,
    /// Accuracies.
    pub accuracy: Accuracy,
    /// Training record, when trained by `nn train`.
    pub training: Option<TrainingRecord>,
}

/// A model as stored: network and description.
#[derive(Debug)]
pub struct StoredModel {
    /// The network.
    pub net: Net,
    /// The description.
    pub file: ModelFile,
}

/// Write `net` with its description into `dir` (created if missing).
pub fn save(
    dir: &Path,
    net: &Net,
    quantization: &Quantization,
    accuracy: Accuracy,
    training: Option<TrainingRecord>,
) -> Result<ModelFile> {
    std::fs::create_dir_all(dir).map_err(|e| NnError::Io(located::FileError::of_path(dir, e)))?;
    let parts = net.to_parts()?;
    let mut files = Vec::new();
    for (spec, (w, b)) in net.arch.layers.iter().zip(parts) {
        let lf = LayerFiles {
            name: spec.name.clone(),
            weight: format!("{}.weight.npy", spec.name),
            bias: format!("{}.bias.npy", spec.name),
        };
        let shape: Vec<u64> = spec.weight_shape().iter().map(|&d| d as u64).collect();
        write_npy(&dir.join(&lf.weight), &shape, &w)?;
        write_npy(&dir.join(&lf.bias), &[b.len() as u64], &b)?;
        files.push(lf);
    }
    let file = ModelFile {
        format: FORMAT.into(),
        version: 1,
        architecture: net.arch.clone(),
        quantization: quantization.clone(),
        files,
        accuracy,
        training,
    };
    let path = dir.join(MODEL_FILE);
    let mut json = serde_json::to_string_pretty(&file).map_err(|e| {
        NnError::Format(located::ContentError::of_path(
            &path,
            format!("cannot encode: {e}"),
        ))
    })?;
    json.push('\n');
    write_atomic(&path, json.as_bytes()).map_err(|e| NnError::Mismatch(e.to_string()))?;
    Ok(file)
}

fn write_npy(path: &Path, shape: &[u64], values: &[f32]) -> Result<()> {
    let bytes = npy_f32_bytes(shape, values)
        .map_err(|e| NnError::Format(located::ContentError::of_path(path, e.to_string())))?;
    write_atomic(path, &bytes).map_err(|e| NnError::Mismatch(e.to_string()))
}

/// Read a model directory; errors name the file and what was expected.
pub fn load(dir: &Path) -> Result<StoredModel> {
    let path = dir.join(MODEL_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| NnError::Io(located::FileError::of_path(&path, e)))?;
    let file: ModelFile = serde_json::from_str(&text).map_err(|e| {
        NnError::Format(located::ContentError::of_path(
            &path,
            format!("not a model description: {e}"),
        ))
    })?;
    if file.format != FORMAT || file.version != 1 {
        return Err(NnError::Format(located::ContentError::of_path(
            &path,
            format!(
                "format `{}` version {}, expected `{FORMAT}` version 1",
                file.format, file.version
            ),
        )));
    }
    let layers = &file.architecture.layers;
    if file.files.len() != layers.len() {
        return Err(NnError::Format(located::ContentError::of_path(
            &path,
            format!(
                "{} parameter file pairs for {} layers",
                file.files.len(),
                layers.len()
            ),
        )));
    }
    let q = &file.quantization;
    if q.weight_scales.len() != layers.len() || q.act_scales.len() != layers.len() {
        return Err(NnError::Format(located::ContentError::of_path(
            &path,
            "quantization needs one weight and one activation scale per layer",
        )));
    }
    let bad_scale = q
        .weight_scales
        .iter()
        .chain(q.act_scales.iter().flatten())
        .chain([&q.input_scale])
        .any(|s| !(s.is_finite() && *s > 0.0));
    if bad_scale {
        return Err(NnError::Format(located::ContentError::of_path(
            &path,
            "quantization scales must be finite and > 0",
        )));
    }
    q.weight_set()
        .and(q.act_set())
        .map_err(|e| NnError::Format(located::ContentError::of_path(&path, e.to_string())))?;
    let mut parts = Vec::new();
    for (spec, lf) in layers.iter().zip(&file.files) {
        let w = read_npy(&dir.join(&lf.weight), &spec.weight_shape())?;
        let b = read_npy(&dir.join(&lf.bias), &[spec.outputs()])?;
        parts.push((w, b));
    }
    let net = Net::from_parts(file.architecture.clone(), parts)
        .map_err(|e| NnError::Format(located::ContentError::of_path(&path, e.to_string())))?;
    Ok(StoredModel { net, file })
}

fn read_npy(path: &Path, shape: &[usize]) -> Result<Vec<f32>> {
    let arr = read_npy_f64(path).map_err(|e| NnError::Mismatch(e.to_string()))?;
    if arr.shape != shape {
        return Err(NnError::Format(located::ContentError::of_path(
            path,
            format!("expected shape {shape:?}, found {:?}", arr.shape),
        )));
    }
    if arr.data.iter().any(|v| !v.is_finite()) {
        return Err(NnError::Format(located::ContentError::of_path(
            path,
            "parameters must be finite",
        )));
    }
    Ok(arr.data.iter().map(|&v| v as f32).collect())
}
