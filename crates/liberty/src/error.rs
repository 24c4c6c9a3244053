//! Located errors: every problem names file, line, column and what was expected.

/// A Liberty reading error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read (or decompressed).
    #[error("{0}")]
    Io(located::FileError),
    /// Syntax or model error at a place in the file, with the line and a
    /// caret under the column.
    #[error("{0}")]
    At(located::Located),
    /// A cell asked for by name (e.g. a writer subset) is not in the library.
    #[error(
        "library `{library}` has no cell `{name}`{}",
        did_you_mean(suggestions)
    )]
    UnknownCell {
        /// The cell asked for.
        name: String,
        /// The library's name.
        library: String,
        /// The closest cell names, best first.
        suggestions: Vec<String>,
    },
}

fn did_you_mean(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", suggestions.join(", "))
    }
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error at byte `offset` of `text` (clamped into the text).
    pub(crate) fn at_offset(
        file: &str,
        text: &str,
        offset: usize,
        message: impl Into<String>,
    ) -> Error {
        Error::At(located::Located::at_offset(file, text, offset, message))
    }

    /// An error at a 1-based line and column when the source text is not at hand.
    pub(crate) fn at_line_col(
        file: &str,
        line: u32,
        column: u32,
        message: impl Into<String>,
    ) -> Error {
        let pos = located::Pos { line, col: column };
        // An empty excerpt keeps the two (blank) indented lines of every
        // other syntax error, so the message has one shape.
        Error::At(located::Located {
            excerpt: Some(located::Excerpt::default()),
            ..located::Located::new(file, pos, message)
        })
    }

    /// Line and column for located errors (None for the others).
    pub fn location(&self) -> Option<(u32, u32)> {
        match self {
            Error::At(at) => Some((at.pos.line, at.pos.col)),
            Error::Io(_) | Error::UnknownCell { .. } => None,
        }
    }
}

/// Byte offset of 1-based (`line`, `column`) in `text` (column counted in characters).
pub(crate) fn offset_of(text: &str, line: u32, column: u32) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(p) => start += p + 1,
            None => return text.len(),
        }
    }
    let rest = &text[start..];
    rest.char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(text.len(), |(i, _)| start + i)
}
