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
//!
//! Every error is located: `file:line:column: what was expected`, followed by
//! the offending line and a caret under the column. Parsing is linear in the
//! file size; concatenation nesting, constant widths and replication counts
//! are bounded so hostile input cannot exhaust the stack or memory.
//!
//! Parameter overrides on instances (`CELL #(...) u (...)`) are skipped:
//! cells are bound by name and their parameters do not change connectivity.
//! Unbased unsized literals (`'0`, `'1`, `'x`, `'z`) become [`Expr::Fill`]
//! because their width comes from what they connect to.
//!
//! # Example
//! ```
//! let text = "module top (a, y);
//!   input a;
//!   output y;
//!   wire n;
//!   INV u1 (.A(a), .Y(n));
//!   INV u2 (.A(n), .Y(y));
//! endmodule
//! ";
//! let src = verilog::parse_source(text, "top.v")?;
//! let top = src.module("top").unwrap();
//! assert_eq!(top.ports, ["a", "y"]);
//! assert_eq!((top.instances[1].cell.as_str(), top.instances[1].name.as_str()), ("INV", "u2"));
//! assert_eq!(top.instances[1].pos(), verilog::Pos { line: 6, col: 3 });
//!
//! // Behavioural code is refused where it starts, with the line and a caret.
//! let err = verilog::parse_source("module m (a);\n  always @(a) ;\nendmodule\n", "m.v")
//!     .unwrap_err();
//! assert!(err.to_string().starts_with("m.v:2:3: "), "{err}");
//! assert!(err.to_string().ends_with("\n    always @(a) ;\n    ^"), "{err}");
//! # Ok::<(), verilog::Error>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod ast;
mod error;
pub mod parse;

pub use ast::{Assign, Bit, Connections, Decl, DeclKind, Expr, Instance, Module, Pos, Source};
pub use error::{Error, Result};
pub use parse::parse_source;

/// Read and parse a Verilog file.
pub fn read_file(path: impl AsRef<std::path::Path>) -> Result<Source> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path)
        .map_err(|cause| Error::Io(located::FileError::new(path.display().to_string(), cause)))?;
    parse::parse_source(&text, &path.display().to_string())
}
