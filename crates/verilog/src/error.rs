//! Located errors.

/// A Verilog reading error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// Syntax error, or behavioural code ("not a structural netlist").
    #[error("{file}:{line}:{column}: {message}\n  {line_text}\n  {caret}")]
    At {
        file: String,
        line: u32,
        column: u32,
        message: String,
        line_text: String,
        caret: String,
    },
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;
