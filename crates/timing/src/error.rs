//! Timing errors: every problem names the file or the design and what was
//! expected.

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
    /// A problem with the design or the request as a whole.
    #[error("{0}")]
    Design(String),
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;
