//! SDC errors: every problem names the file, line, column and what was
//! expected.

/// A place in the SDC text: the command word, or the word at fault where it
/// is known.
pub(crate) use located::Pos;

/// An error reading SDC: the file could not be read (`Io`), or a problem at
/// a place in the text, saying what was found and what was expected (`At`).
pub use located::ReadError as Error;

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;
