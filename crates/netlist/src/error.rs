//! Elaboration errors.

/// A netlist error; each names where in the source it comes from.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Verilog(#[from] verilog::Error),
    #[error(transparent)]
    Liberty(#[from] liberty::Error),
    /// A located elaboration problem (unknown cell or pin, width mismatch...).
    #[error("{file}:{line}: {message}")]
    At { file: String, line: u32, message: String },
    /// A problem with the design as a whole (no top module, a combinational loop...).
    #[error("{0}")]
    Design(String),
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;
