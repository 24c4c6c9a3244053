//! SDC errors: every problem names the file, line, column and what was
//! expected.

/// A 1-based place in an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Pos {
    /// 1-based line.
    pub(crate) line: u32,
    /// 1-based column, in characters (a tab counts as one).
    pub(crate) col: u32,
}

impl Pos {
    /// The start of a file.
    pub(crate) const START: Pos = Pos { line: 1, col: 1 };
}

impl std::fmt::Display for Pos {
    /// `line:col`, the form that follows a file name in messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// An error reading SDC.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read.
    #[error("{path}: {cause}")]
    Io {
        /// The file.
        path: String,
        /// What the operating system said (in the message, not chained, so
        /// `{:#}` printing does not repeat it).
        cause: std::io::Error,
    },
    /// A problem at a place in the SDC text.
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
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;
