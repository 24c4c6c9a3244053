//! Located errors.

/// A Verilog reading error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read.
    #[error("{path}: {cause}")]
    Io {
        /// The path as given.
        path: String,
        /// What the operating system said.
        cause: std::io::Error,
    },
    /// Syntax error, or behavioural code ("not a structural netlist").
    #[error("{file}:{line}:{column}: {message}\n  {line_text}\n  {caret}")]
    At {
        /// The file name given to the parser.
        file: String,
        /// 1-based line.
        line: u32,
        /// 1-based column, in characters (a tab counts as one).
        column: u32,
        /// What was expected or what is not allowed.
        message: String,
        /// The offending line, without its line ending.
        line_text: String,
        /// Blanks (tabs kept) and a `^` under the column.
        caret: String,
    },
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;
