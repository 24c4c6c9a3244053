//! SDC (Synopsys Design Constraints) reading for the `timing` crate's STA.
//!
//! SDC is Tcl: real files set variables, compute with `expr` and build
//! object lists with `[get_ports ...]`. This crate holds the small Tcl
//! interpreter that runs them and the SDC commands on top of it, and turns a
//! file into [`timing::Constraints`]. It is a crate of its own, rather than
//! a module of `timing`, because only `powerprune sta` reads SDC: the
//! simulator, characterization and everything after it time the MAC with
//! constraints built in code, and need neither the interpreter nor its
//! error paths in their build. It sits right of `timing` in the pipeline
//! (it produces `timing`'s constraint type), and nothing but the CLI and
//! tests depends on it.
//!
//! Applied: `create_clock`, `set_input_delay`, `set_output_delay`,
//! `set_input_transition`, `set_load`, `set_clock_uncertainty`,
//! `set_clock_transition`; object queries `get_ports`, `get_clocks`,
//! `all_inputs`, `all_outputs`, `all_clocks`, `delete_from_list`/
//! `remove_from_collection`; and the Tcl built-ins (variables, `expr`,
//! list commands, ...). Every other command is reported as ignored in
//! [`Constraints::warnings`](timing::Constraints::warnings), never skipped
//! silently. Errors and warnings give `file:line:column`. Numbers are in
//! the library's units, as in OpenSTA: times in its `time_unit`,
//! capacitances in its `capacitive_load_unit`.
//!
//! # Example
//! ```
//! use timing::{Conditions, Constraints};
//!
//! // The shipped 2-bit MAC and its library.
//! let lib = liberty::read_library("../../liberty/sg13g2_stdcell_typ_1p20V_25C.lib")?;
//! let nl = netlist::Netlist::read("../../netlists/mac2u_sg13g2.v", &lib, None)?;
//!
//! let text = "set period 4\n\
//!             create_clock -name vclk -period $period\n\
//!             set_input_delay [expr {$period / 2}] -clock vclk [all_inputs]\n";
//! let base = Constraints::from_conditions(&nl, &Conditions::default());
//! let c = sdc::parse(text, "mac.sdc", &nl, &lib, base)?;
//! assert_eq!(c.clocks[0].period_ns, 4.0);
//! assert_eq!(c.inputs[0].delay.unwrap().max_ns, [2.0, 2.0]);
//!
//! // Errors name the file, line and column of the word at fault.
//! let base = Constraints::from_conditions(&nl, &Conditions::default());
//! let err = sdc::parse("set x 1\nset_load -pin_load\n", "bad.sdc", &nl, &lib, base)
//!     .unwrap_err();
//! assert!(err.to_string().starts_with("bad.sdc:2:"), "{err}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod read;
mod tcl;

pub use error::{Error, Result};
pub use read::{parse, read};
