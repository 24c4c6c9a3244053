//! Located errors: every problem names file, line, column and what was expected.

/// A Liberty reading error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read (or decompressed).
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// Syntax or model error at a place in the file.
    #[error("{file}:{line}:{column}: {message}\n  {line_text}\n  {caret}")]
    At {
        file: String,
        line: u32,
        column: u32,
        message: String,
        /// The offending source line.
        line_text: String,
        /// A `^` under the column.
        caret: String,
    },
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;
