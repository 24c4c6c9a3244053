//! The network end of PowerPruning: a Fashion-MNIST CNN trained, quantized
//! as an 8-bit accelerator runs it, its MAC power computed from the
//! characterization tables, and retrained on the weights and activations the
//! pruning stage keeps.
//!
//! Why a crate of its own: the method's claim is about a *network* — how
//! much MAC power drops, and how little accuracy is lost, when only cheap
//! and fast values are used. That needs real data, real training and a
//! model of how a systolic array feeds each MAC, none of which belongs in
//! the table-only pruning crate.
//!
//! Training uses candle (CPU backend, no default features): autograd and
//! the few layers a LeNet needs, in pure Rust, at a fraction of burn's build
//! time. Everything the accelerator does — integer inference, the array
//! dataflow, energies — is our own code, kept apart from the tensors.
//!
//! - [`data`]: the IDX format and Fashion-MNIST;
//! - [`model`], [`quant`], [`train`]: the CNN, quantization onto value sets
//!   with straight-through estimators, training and calibration;
//! - [`infer`], [`lower`]: integer inference with a 22-bit accumulator, and
//!   the lowering of layers to matrix multiplies;
//! - [`table`], [`systolic`], [`power`]: network energy on a weight-stationary
//!   array from the tables;
//! - [`trace`]: the cycle-by-cycle inputs of sampled PEs, for the traced
//!   psum model and the gate-level validation in `characterize`;
//! - [`validate`]: timing errors of the gate-level replay at a supply
//!   voltage;
//! - [`store`]: the model directory (NPY + JSON);
//! - [`train_flow`]: `nn train` (float training, calibration, fine-tuning);
//! - [`prune_flow`], [`report`]: the method end to end and its report.
//!
//! # Example
//! ```
//! use nn::quant::ValueSet;
//!
//! // The weights a selection kept: retraining quantizes onto these only.
//! let kept = ValueSet::new(vec![8, -8, 0, 3])?;
//! assert_eq!(kept.values(), [-8, 0, 3, 8]);
//! assert_eq!(kept.project(2.4), 3); // the nearest kept value
//! assert_eq!(kept.project(1.5), 0); // a tie goes toward zero
//! assert_eq!(kept.project(-100.0), -8); // clamped to the set
//! # Ok::<(), nn::NnError>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod data;
mod error;
pub mod infer;
pub mod lower;
pub mod model;
pub mod power;
pub mod prune_flow;
pub mod quant;
pub mod report;
pub mod store;
pub mod systolic;
pub mod table;
pub mod trace;
pub mod train;
pub mod train_flow;
pub mod validate;

pub use error::{NnError, Result};
