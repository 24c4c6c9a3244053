//! Characterization of a MAC netlist: for every weight value w and every
//! activation transition a → a', the energy and the sensitized delay.
//!
//! Why: in a systolic array each MAC holds one weight while activations
//! stream through it, so the power it draws and the paths it sensitizes
//! depend only on that weight and on consecutive activation pairs. Tabulating
//! every (w, a → a') once with a gate-level, glitch-aware simulation lets the
//! later stages choose cheap and fast weights and activations, and lower the
//! supply voltage into the freed timing slack, without simulating again.
//!
//! The stages of a sweep, each in its own module:
//! - [`values`] and [`ports`]: which input is the weight, activation and
//!   partial sum, and how integers map to bits;
//! - [`psum`]: the partial-sum model and its per-transition random streams,
//!   or the traced partial sums of PE traces ([`tables::trace`]);
//! - [`kernel`]: the per-weight inner loop over all transitions;
//! - [`plan`], [`design`] and [`sweep`]: the run, in parallel over weights,
//!   resumable through [`resume`], splittable through [`shard`] and [`mod@merge`];
//! - [`voltage`]: the same at several supply voltages, with a delay-vs-VDD
//!   fit from [`tables::vdd_model`]; [`plot`] draws the results.
//!
//! [`replay`] simulates PE input streams cycle by cycle to check the tables
//! against. The formats this stage writes and reads (table directories,
//! PE traces, replay results) are the `tables` crate's, which the later
//! stages read without depending on this one.
//!
//! # Example
//! ```
//! use characterize::{characterize, Design, Request, RunOptions};
//! use std::path::Path;
//!
//! let design = Design::load(
//!     Path::new("../../netlists/mac2u_sg13g2.v"),
//!     Path::new("../../liberty/sg13g2_stdcell_typ_1p20V_25C.lib"),
//!     None,
//! )?;
//! let out = tempfile::tempdir()?;
//! let request = Request { clock_period_ns: Some(5.0), ..Request::default() };
//! let options = RunOptions { threads: Some(1), progress: false };
//! let tables = characterize(&design, &request, out.path(), &options)?.tables;
//!
//! // Every weight of the 2-bit signed w, every transition of the 2-bit a.
//! assert_eq!(tables.meta().weights, [-2, -1, 0, 1]);
//! assert_eq!(tables.meta().acts, [0, 1, 2, 3]);
//! // w = 1 (index 3): an activation that stays switches nothing; one that
//! // changes the product moves p_out, which takes time.
//! assert_eq!((tables.energy_fj(3, 2, 2), tables.delay_ns(3, 2, 2)), (0.0, 0.0));
//! assert!(tables.delay_ns(3, 0, 3) > 0.0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]

pub mod design;
pub mod engine;
mod error;
pub mod kernel;
pub mod lock;
pub mod merge;
pub mod plan;
pub mod plot;
pub mod ports;
mod progress;
pub mod psum;
pub mod replay;
pub mod resume;
pub mod shard;
pub mod sweep;
pub mod values;
pub mod voltage;

pub use design::{characterize, Design, Request};
pub use error::{Error, Result};
pub use merge::merge;
pub use ports::PortRoles;
pub use psum::PsumSpec;
pub use shard::Shard;
pub use sweep::{Outcome, RunOptions};
