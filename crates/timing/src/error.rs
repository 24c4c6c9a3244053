//! Timing errors: every problem names the file, line and what was expected.

/// A timing-stage error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {cause}")]
    Io {
        /// The file.
        path: String,
        /// What the operating system said (in the message, not chained, so
        /// `{:#}` printing does not repeat it).
        cause: std::io::Error,
    },
    /// A problem at a line of an input file (SDC, ...).
    #[error("{file}:{line}: {message}")]
    At {
        /// The file.
        file: String,
        /// 1-based line number.
        line: u32,
        /// What was found and what was expected.
        message: String,
    },
    /// A problem with the design or the request as a whole.
    #[error("{0}")]
    Design(String),
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;
