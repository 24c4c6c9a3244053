//! Errors of the characterization stage.

use std::path::PathBuf;

/// Everything that can stop a characterization, a merge or a voltage sweep.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A user-supplied setting is malformed or inconsistent with the netlist.
    #[error("{0}")]
    Input(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// File concerned.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A file exists but does not hold what it should.
    #[error("{path}: {message}")]
    Format {
        /// File concerned.
        path: PathBuf,
        /// What was expected and what was found.
        message: String,
    },
    /// The simulator rejected the design or a vector.
    #[error("simulation: {0}")]
    Sim(#[from] sim::Error),
    /// The netlist could not be read or bound.
    #[error("netlist: {0}")]
    Netlist(#[from] netlist::Error),
    /// The library could not be read.
    #[error("library: {0}")]
    Liberty(#[from] liberty::Error),
    /// A table directory could not be read or written.
    #[error(transparent)]
    Tables(#[from] crate::tables::TablesError),
    /// A plot could not be drawn.
    #[error("plot {path}: {message}")]
    Plot {
        /// Output file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// Wrap an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// A malformed file.
    pub fn format(path: impl Into<PathBuf>, message: impl Into<String>) -> Error {
        Error::Format {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;
