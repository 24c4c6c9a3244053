//! The nom parser.

use crate::{Result, Source};

/// Parse a whole file's text; `file` names it in errors.
pub fn parse_source(text: &str, file: &str) -> Result<Source> {
    todo!("{file}: {}", text.len())
}
