//! Liberty cell libraries: syntax, model, Boolean functions, table lookup, writer.
//!
//! This is the first pipeline stage. Everything downstream (binding, delay
//! calculation, energy) reads cells through [`Library`], never the raw text.
//!
//! # Units
//! The model holds every figure in one canonical unit set, converted through
//! the library's own unit attributes when the file is read, so no later stage
//! ever has to guess what a number means:
//!
//! | quantity | unit | field suffix |
//! |---|---|---|
//! | time (delay, slew) | ns | `_ns` |
//! | capacitance | pF | `_pf` |
//! | voltage | V | `_v` |
//! | leakage power | nW | `_nw` |
//! | internal energy (internal_power tables) | fJ | `_fj` |
//!
//! Liberty defines no unit attribute for internal-power tables: their values
//! are energies in `capacitive_load_unit × voltage_unit²` (for NanGate45,
//! 1 fF × 1 V² = 1 fJ; for SG13G2 and SKY130, 1 pF × 1 V² = 1 pJ). See
//! [`Units::energy_fj`].
//!
//! The untouched syntax tree is kept in [`Library::ast`] so that attributes
//! and groups the model does not interpret survive a round trip through
//! [`write`](mod@write).
//!
//! # Reading in two passes
//! [`parse::parse_group`] turns text into that tree without knowing what any
//! attribute means, so vendor extensions never stop a read; the model pass
//! then interprets what the pipeline needs (units, templates, cells, pins,
//! arcs, power, storage elements). Both passes report problems as
//! [`Error::At`]: file, line, column, what was expected, the line and a caret.
//! Absent attributes take the usual Liberty defaults, but malformed ones are
//! never guessed at: a value that is not a number, a table whose value
//! count does not match its axes, or a template that does not exist stops the
//! read with that location rather than becoming a plausible number.
//!
//! # Example
//! ```
//! // Capacitance in fF and time in units of 100 ps: the model holds pF and ns.
//! let text = r#"library (tiny) {
//!   time_unit : "100ps" ;
//!   capacitive_load_unit (1, ff) ;
//!   nom_voltage : 1.2 ;
//!   cell (INV) {
//!     pin (A) { direction : input ; capacitance : 2 ; }
//!     pin (Y) {
//!       direction : output ; function : "!A" ;
//!       timing () { related_pin : "A" ; cell_rise (scalar) { values ("3") ; } }
//!     }
//!   }
//! }"#;
//! let lib = liberty::Library::from_text(text, "tiny.lib")?;
//! let inv = lib.cell("INV").unwrap();
//! assert!((inv.pin("A").unwrap().capacitance_pf - 0.002).abs() < 1e-15);
//! let y = inv.pin("Y").unwrap();
//! assert!(!y.function.as_ref().unwrap().eval(&|pin| pin == "A"));
//! let rise = y.timing[0].cell_rise.as_ref().unwrap();
//! assert!((rise.lookup(0.0, 0.0) - 0.3).abs() < 1e-12);
//!
//! // A malformed value stops the read at its place.
//! let bad = text.replace("capacitance : 2", "capacitance : two");
//! let err = liberty::Library::from_text(&bad, "tiny.lib").unwrap_err();
//! assert_eq!(err.location(), Some((6, 49)));
//! assert!(
//!     err.to_string().starts_with("tiny.lib:6:49: expected a number for `capacitance`, found `two`"),
//!     "{err}"
//! );
//! # Ok::<(), liberty::Error>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod ast;
mod build;
mod error;
pub mod expr;
mod model;
pub mod parse;
pub mod table;
pub mod write;

pub use ast::{Attribute, Group, Value};
pub use error::{Error, Result};
pub use expr::Expr;
pub use model::{
    Cell, Direction, InternalPower, Library, OperatingConditions, Pin, Sequential, SequentialKind,
    StateLeakage, Thresholds, TimingArc, TimingSense, TimingType, Units,
};
pub use table::{Table, Variable};
pub use write::{write_library, write_library_file};

/// Read a Liberty file (plain or `.gz`) into a [`Library`].
pub fn read_library(path: impl AsRef<std::path::Path>) -> Result<Library> {
    let path = path.as_ref();
    let text = parse::read_text(path)?;
    Library::from_text(&text, &path.display().to_string())
}
