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
    /// A located elaboration problem (unknown cell or pin, width
    /// mismatch...) in the Verilog file, at the token it is about (an
    /// instance's cell name, a connection's pin name, a declared name,
    /// `assign`); the message names the instance, pin or net and candidates.
    #[error("{0}")]
    At(located::Located),
    /// A problem with the design as a whole (no top module, a combinational loop...).
    #[error("{0}")]
    Design(String),
}

impl Error {
    /// A problem at `pos` of the Verilog `file`.
    pub(crate) fn at(file: &str, pos: verilog::Pos, message: impl Into<String>) -> Error {
        Error::At(located::Located::new(file, pos, message))
    }
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;
