//! Elaboration errors.

/// A netlist error; each names where in the source it comes from.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The Verilog could not be read or parsed.
    #[error(transparent)]
    Verilog(#[from] verilog::Error),
    /// The library could not be read.
    #[error(transparent)]
    Liberty(#[from] liberty::Error),
    /// A located elaboration problem (unknown cell or pin, width mismatch...).
    #[error("{file}:{line}:{col}: {message}")]
    At {
        /// The Verilog file.
        file: String,
        /// 1-based line.
        line: u32,
        /// 1-based column, in characters (a tab counts as one): the token
        /// the problem is about (an instance's cell name, a connection's pin
        /// name, a declared name, `assign`).
        col: u32,
        /// What is wrong, naming the instance, pin or net and candidates.
        message: String,
    },
    /// A problem with the design as a whole (no top module, a combinational loop...).
    #[error("{0}")]
    Design(String),
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;
