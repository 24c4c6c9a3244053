//! Errors of the characterization stage.

use std::path::PathBuf;

/// Everything that can stop a characterization, a merge or a voltage sweep.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A user-supplied setting is malformed or inconsistent with the netlist.
    #[error("{0}")]
    Input(String),
    /// A file could not be read or written.
    #[error("{0}")]
    Io(located::FileError),
    /// A file exists but does not hold what it should.
    #[error("{0}")]
    Format(located::ContentError),
    /// The simulator rejected the design or a vector.
    #[error("simulation: {0}")]
    Sim(sim::Error),
    /// The netlist could not be read or bound.
    #[error("netlist: {0}")]
    Netlist(netlist::Error),
    /// The library could not be read.
    #[error("library: {0}")]
    Liberty(liberty::Error),
    /// A table directory could not be read or written.
    #[error(transparent)]
    Tables(#[from] tables::TablesError),
    /// A plot could not be drawn.
    #[error("plot {path}: {message}")]
    Plot {
        /// Output file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

// Hand-written rather than `#[from]`, which would also chain the wrapped error
// as `source()`: its text is already in our message, and `{:#}` printing would
// repeat it (the project's error convention, see ARCHITECTURE.md).
impl From<sim::Error> for Error {
    fn from(e: sim::Error) -> Error {
        Error::Sim(e)
    }
}

impl From<netlist::Error> for Error {
    fn from(e: netlist::Error) -> Error {
        Error::Netlist(e)
    }
}

impl From<liberty::Error> for Error {
    fn from(e: liberty::Error) -> Error {
        Error::Liberty(e)
    }
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;
