//! Located errors: every problem names file, line, column and what was expected.

/// A Liberty reading error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read (or decompressed).
    #[error("{path}: {cause}")]
    Io {
        /// The file as named by the caller.
        path: String,
        /// What the operating system or the decompressor said.
        cause: std::io::Error,
    },
    /// Syntax or model error at a place in the file.
    #[error("{file}:{line}:{column}: {message}\n  {line_text}\n  {caret}")]
    At {
        /// The file (or source name) the text came from.
        file: String,
        /// 1-based line.
        line: u32,
        /// 1-based column, in characters.
        column: u32,
        /// What was expected, and what was found.
        message: String,
        /// The offending source line.
        line_text: String,
        /// A `^` under the column.
        caret: String,
    },
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
        Error::At {
            file: file.to_string(),
            line,
            column: prefix.chars().count() as u32 + 1,
            message: message.into(),
            line_text: line_text.to_string(),
            caret,
        }
    }

    /// An error at a 1-based line and column when the source text is not at hand.
    pub(crate) fn at_line_col(
        file: &str,
        line: u32,
        column: u32,
        message: impl Into<String>,
    ) -> Error {
        Error::At {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
            line_text: String::new(),
            caret: String::new(),
        }
    }

    /// Line and column for located errors (None for the others).
    pub fn location(&self) -> Option<(u32, u32)> {
        match self {
            Error::At { line, column, .. } => Some((*line, *column)),
            Error::Io { .. } | Error::UnknownCell { .. } => None,
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
