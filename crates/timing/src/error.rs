//! Timing errors: every problem names the file or the design and what was
//! expected.

/// A timing-stage error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{0}")]
    Io(located::FileError),
    /// A problem with the design or the request as a whole.
    #[error("{0}")]
    Design(String),
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;
