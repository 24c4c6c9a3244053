//! The pieces of error messages that every reader of the workspace shares:
//! a file that could not be read or written ([`FileError`]), a place in a
//! text ([`Pos`]) and a problem at such a place ([`Located`]), optionally
//! with the offending line and a caret under the column ([`Excerpt`]).
//!
//! A crate whose errors are only these two kinds uses [`ReadError`] as its
//! error type (`verilog`, `sdc`); one with errors of its own (`liberty`,
//! `netlist`, `timing`) wraps the pieces in its own enum. Either way
//! `file:line:col: message` reads the same from every reader.
//! As ARCHITECTURE.md ("Errors") asks, a wrapped cause is part of the
//! message and not chained as `source()`: the CLI's `{:#}` chain prints it
//! once. It is a crate of its own, at the left end of the dependency order,
//! because the readers it serves do not depend on one another.
//!
//! # Example
//! ```
//! use located::{Located, Pos};
//!
//! let text = "cell (INV) {\n\tarea : x;\n}\n";
//! let offset = text.find('x').unwrap();
//! let err = Located::at_offset("inv.lib", text, offset, "expected a number");
//! assert_eq!(err.pos, Pos { line: 2, col: 9 });
//! // The caret keeps the tab, so it lines up under the source line.
//! assert_eq!(
//!     err.to_string(),
//!     "inv.lib:2:9: expected a number\n  \tarea : x;\n  \t       ^"
//! );
//!
//! // Without the text at hand: place and message only.
//! let err = Located::new("top.v", Pos { line: 3, col: 5 }, "unknown cell `NAND9`");
//! assert_eq!(err.to_string(), "top.v:3:5: unknown cell `NAND9`");
//!
//! let cause = std::fs::read("no/such/file.sdc").unwrap_err();
//! let err = located::FileError::new("no/such/file.sdc", cause);
//! assert!(err.to_string().starts_with("no/such/file.sdc: "));
//! assert!(std::error::Error::source(&err).is_none());
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::fmt;

/// A file could not be read (or written): `{path}: {cause}`.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {cause}")]
pub struct FileError {
    /// The file as named by the caller.
    pub path: String,
    /// What the operating system (or a decompressor) said: in the message,
    /// not chained as `source()`, so `{:#}` printing does not repeat it.
    pub cause: std::io::Error,
}

impl FileError {
    /// The error for `path` (as the caller named it) and its `cause`.
    pub fn new(path: impl Into<String>, cause: std::io::Error) -> FileError {
        FileError {
            path: path.into(),
            cause,
        }
    }

    /// The error for a file named by a path (shown as `Path::display` does).
    pub fn of_path(path: impl AsRef<std::path::Path>, cause: std::io::Error) -> FileError {
        FileError::new(path.as_ref().display().to_string(), cause)
    }
}

/// A file was read but does not hold what it should, with no place in it
/// to point at (a wrong header, size or field): `{path}: {message}`.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ContentError {
    /// The file, shown as `Path::display` does.
    pub path: String,
    /// What was expected and what was found.
    pub message: String,
}

impl ContentError {
    /// The error for the file at `path`.
    pub fn of_path(path: impl AsRef<std::path::Path>, message: impl Into<String>) -> ContentError {
        ContentError {
            path: path.as_ref().display().to_string(),
            message: message.into(),
        }
    }
}

/// Reading a text file failed: the file could not be read, or its text is
/// wrong at a place.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be read.
    #[error("{0}")]
    Io(FileError),
    /// A problem at a place in the text (syntax, or a value that is not
    /// allowed there).
    #[error("{0}")]
    At(Located),
}

/// A 1-based place in a text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
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

impl fmt::Display for Pos {
    /// `line:col`, the form that follows a file name in messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// The source line of a [`Located`] problem and a `^` under its column.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Excerpt {
    /// The offending line, without its line ending.
    pub line_text: String,
    /// Blanks (tabs kept) and a `^` under the column.
    pub caret: String,
}

/// A problem at a place in a file: `file:line:col: message`, followed by
/// the [`Excerpt`] on two indented lines when there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Located {
    /// The file (or source name) the text came from.
    pub file: String,
    /// Where in the file.
    pub pos: Pos,
    /// What was expected, and what was found.
    pub message: String,
    /// The offending line and a caret, where the text was at hand.
    pub excerpt: Option<Excerpt>,
}

impl Located {
    /// A problem at `pos` of `file`, without an excerpt.
    pub fn new(file: impl Into<String>, pos: Pos, message: impl Into<String>) -> Located {
        Located {
            file: file.into(),
            pos,
            message: message.into(),
            excerpt: None,
        }
    }

    /// A problem at byte `offset` of `text` (clamped into the text and back
    /// to a character boundary), with the line it is on and a caret.
    pub fn at_offset(
        file: impl Into<String>,
        text: &str,
        offset: usize,
        message: impl Into<String>,
    ) -> Located {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |p| p + 1);
        let line = before.bytes().filter(|&b| b == b'\n').count() as u32 + 1;
        let line_end = text[offset..].find('\n').map_or(text.len(), |p| offset + p);
        let line_text = text[line_start..line_end].trim_end_matches('\r');
        let prefix = &text[line_start..offset];
        // Keep tabs in the caret line so the `^` lines up under a tab-indented source line.
        let mut caret: String = prefix
            .chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        caret.push('^');
        Located {
            file: file.into(),
            pos: Pos {
                line,
                col: prefix.chars().count() as u32 + 1,
            },
            message: message.into(),
            excerpt: Some(Excerpt {
                line_text: line_text.to_string(),
                caret,
            }),
        }
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.pos, self.message)?;
        if let Some(e) = &self.excerpt {
            write!(f, "\n  {}\n  {}", e.line_text, e.caret)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_clamp_and_lines_count_from_one() {
        let text = "ab\r\ncé\n";
        // Past the end: the empty line after the last newline.
        let at = Located::at_offset("f", text, 99, "m");
        assert_eq!(at.pos, Pos { line: 3, col: 1 });
        // Inside `é` (bytes 5..7): back to its start, column 2.
        let at = Located::at_offset("f", text, 6, "m");
        assert_eq!(at.pos, Pos { line: 2, col: 2 });
        let e = at.excerpt.unwrap();
        assert_eq!((e.line_text.as_str(), e.caret.as_str()), ("cé", " ^"));
        // The carriage return is not part of the line text.
        let e = Located::at_offset("f", text, 1, "m").excerpt.unwrap();
        assert_eq!(e.line_text, "ab");
    }

    #[test]
    fn causes_are_in_the_message_not_chained() {
        use std::error::Error as _;
        let cause = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        let err = ReadError::Io(FileError::new("x.v", cause));
        assert_eq!(err.to_string(), "x.v: gone");
        assert!(err.source().is_none());
        let err = ReadError::At(Located::new("x.v", Pos::START, "m"));
        assert_eq!(err.to_string(), "x.v:1:1: m");
        assert!(err.source().is_none());
    }
}
