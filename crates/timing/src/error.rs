//! Timing errors: every problem names the file, line, column and what was
//! expected.

/// A 1-based place in an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters (a tab counts as one).
    pub col: u32,
}

impl Pos {
    /// The start of a file.
    pub const START: Pos = Pos { line: 1, col: 1 };
}

impl std::fmt::Display for Pos {
    /// `line:col`, the form that follows a file name in messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

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
    /// A problem at a place in an input file (SDC, ...).
    #[error("{file}:{line}:{col}: {message}")]
    At {
        /// The file.
        file: String,
        /// 1-based line number.
        line: u32,
        /// 1-based column, in characters (a tab counts as one): the command
        /// word, or the word at fault where it is known.
        col: u32,
        /// What was found and what was expected.
        message: String,
    },
    /// A problem with the design or the request as a whole.
    #[error("{0}")]
    Design(String),
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;
