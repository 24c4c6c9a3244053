//! The data that passes between characterization and the stages after it:
//! table directories, the supply-voltage model, PE traces and the results
//! of replaying them.
//!
//! Why a crate of its own: `characterize` simulates netlists, so it depends
//! on the Liberty reader, the netlist binder, timing and the simulator.
//! `prune` and `nn` only read what it wrote (and `nn` writes the traces it
//! reads). With the formats here, they depend on this crate and not on
//! `characterize`, so they neither build nor can call anything that reads a
//! netlist, and both ends of each file read the one definition of it.
//!
//! What is here:
//! - the table-directory format ([`Tables`], [`Meta`], [`TablesError`],
//!   the manifest, NPY reading and writing, [`write_atomic`]), with the
//!   psum-model names `meta.json` records ([`PsumModel`], [`TraceDraw`]);
//! - table sets at several voltages ([`TableSet`]) and the one reader of
//!   `V=DIR` arguments ([`LabelledDir`], [`read_sets`]);
//! - [`vdd_model`]: delay, energy and leakage against supply voltage;
//! - [`trace`]: the PE-trace format;
//! - [`validation`]: the results of a gate-level replay of a trace.
//!
//! Nothing here reads a netlist, a library or runs a simulation.
//!
//! ```
//! use tables::vdd_model::{below_vdd, same_vdd};
//! use tables::LabelledDir;
//!
//! // `V=DIR` or `DIR`; the voltage is checked against meta.json on load.
//! let d: LabelledDir = "1.2=tables_1.2V".parse().unwrap();
//! assert_eq!(d.label_v, Some(1.2));
//! assert_eq!(d.dir, std::path::Path::new("tables_1.2V"));
//! assert!("1,2=t".parse::<LabelledDir>().is_err());
//!
//! // Voltages computed two ways still name the same supply.
//! assert!(same_vdd(1.2, 0.1 * 12.0));
//! assert!(below_vdd(1.08, 1.2));
//! ```
//!
//! # The table directory
//!
//! A directory holds one characterization of one MAC netlist at one supply
//! voltage:
//! - `energy_fj.npy`: little-endian f32 (`'<f4'`), C order, shape
//!   `[weights, acts, acts]`: switching (dynamic) energy of the activation
//!   transition a → a' (axis 1 → axis 2) while weight w (axis 0) is held, fJ.
//!   Leakage is *not* included: it is `meta.json`'s `leakage_w`, so that
//!   voltage-scaling models can scale the two parts differently;
//! - `delay_ns.npy`: same dtype and shape, sensitized delay of that transition,
//!   ns (0 = no output moved);
//! - `toggles.npy` (optional): same dtype and shape, number of net toggles the
//!   transition caused. Optional because not every characterization engine
//!   counts them; when absent the `mean_toggles` CSV column is empty;
//! - `per_weight.csv`: one row per weight, in axis-0 order, with header
//!   `weight,mean_energy_fj,mean_power_w,max_delay_ns,p99_delay_ns,mean_toggles`
//!   (see [`PerWeight`]). It is derived from the arrays, for humans and
//!   spreadsheets; [`Tables::load`] recomputes it rather than trusting it;
//! - `meta.json`: [`Meta`];
//! - `manifest.json`: the SHA-256 of every file above, written last (see
//!   [`MANIFEST_FILE`]).
//!
//! `.npy` files follow NPY format version 1.0, so `numpy.load` reads them.
//! [`Tables::save`] writes every file to a temporary name in the directory and
//! renames it into place, so a reader never sees half a file, and its output is
//! byte-for-byte deterministic for equal tables. Because the files are renamed
//! one by one, a run killed among those renames would leave a mix of old and
//! new files; the manifest is what makes the set whole or absent: `save`
//! removes it before the first write and writes it after the last, and
//! [`Tables::load`] refuses a directory whose files do not match it.

#![forbid(unsafe_code)]

mod format;
mod psum;
mod sets;
pub mod trace;
pub mod validation;
pub mod vdd_model;

pub use format::*;
pub use psum::{PsumGiven, PsumModel, TraceDraw};
pub use sets::{read_sets, LabelledDir, TableSet};
