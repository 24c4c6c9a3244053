//! Located errors.

/// A Verilog reading error: the file could not be read (`Io`), or a syntax
/// error or behavioural code ("not a structural netlist") at a place, with
/// the offending line and a caret (`At`).
pub use located::ReadError as Error;

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;
