//! Structural Verilog: the subset Yosys (and place-and-route tools) write.
//!
//! This crate only reads syntax into [`Source`]; it knows nothing about cell
//! libraries. Binding names to Liberty cells and flattening hierarchy is the
//! `netlist` crate's job.
//!
//! Accepted: several modules per file, ANSI and non-ANSI port lists,
//! `input`/`output`/`inout`/`wire` declarations with ranges, instances with
//! named or positional connections, bit- and part-selects, concatenations
//! (also on the left of `assign`), sized and unsized constants with x/z
//! digits, escaped identifiers, `(* attributes *)` and comments. `parameter`,
//! `defparam` and `specify` are skipped. Anything behavioural is rejected with
//! a "not a structural netlist" error naming the line.

pub mod ast;
pub mod error;
pub mod parse;

pub use ast::{Assign, Bit, Connections, Decl, DeclKind, Expr, Instance, Module, Source};
pub use error::{Error, Result};

/// Read and parse a Verilog file.
pub fn read_file(path: impl AsRef<std::path::Path>) -> Result<Source> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    parse::parse_source(&text, &path.display().to_string())
}
