//! The nom parser: modules and their items.
//!
//! Every function takes the remaining input (always a suffix of the whole
//! text) so an error's position is its distance from the end; line numbers
//! come from a table of line starts, keeping the whole parse linear.

mod expr;
mod instance;
mod lex;
mod module;
mod number;

use crate::{Error, Result, Source};
use lex::PErr;

/// Parse a whole file's text; `file` names it in errors.
pub fn parse_source(text: &str, file: &str) -> Result<Source> {
    let ctx = Ctx::new(text);
    let mut modules = Vec::new();
    let mut i = text;
    loop {
        let step = lex::ws(i).and_then(|(rest, ())| {
            if rest.is_empty() {
                return Ok((rest, None));
            }
            module::module(&ctx, rest).map(|(r, m)| (r, Some(m)))
        });
        match step {
            Ok((_, None)) => break,
            Ok((rest, Some(m))) => {
                modules.push(m);
                i = rest;
            }
            Err(nom::Err::Error(e) | nom::Err::Failure(e)) => return Err(ctx.error(file, e)),
            Err(nom::Err::Incomplete(_)) => {
                // Only streaming parsers report this; ours are all complete.
                return Err(ctx.error(
                    file,
                    PErr {
                        at: "",
                        msg: "unexpected end of file".into(),
                    },
                ));
            }
        }
    }
    Ok(Source {
        file: file.to_string(),
        modules,
    })
}

/// The whole text and where its lines start.
pub(crate) struct Ctx<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> Ctx<'a> {
    fn new(text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(n, _)| n + 1))
            .collect();
        Ctx { text, line_starts }
    }

    /// Byte offset of `rest`, a suffix of the text.
    fn offset(&self, rest: &str) -> usize {
        self.text.len().saturating_sub(rest.len())
    }

    /// 1-based line where `rest` begins.
    pub(crate) fn line(&self, rest: &str) -> u32 {
        let off = self.offset(rest);
        let idx = self.line_starts.partition_point(|&s| s <= off);
        idx as u32
    }

    /// Turn a parse failure into a located error with the offending line.
    fn error(&self, file: &str, e: PErr<'_>) -> Error {
        // At end of file, point just past the last text rather than at an
        // empty line after it.
        let at = if e.at.is_empty() {
            &self.text[self.text.trim_end().len()..]
        } else {
            e.at
        };
        let off = self.offset(at);
        let line = self.line(at);
        let start = self.line_starts[line as usize - 1];
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |n| start + n);
        let line_text = self.text[start..end].trim_end_matches('\r');
        let before = &self.text[start..off.min(end).max(start)];
        // Keep tabs in the caret line so it lines up under the text.
        let caret: String = before
            .chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .chain(std::iter::once('^'))
            .collect();
        Error::At {
            file: file.to_string(),
            line,
            column: before.chars().count() as u32 + 1,
            message: e.msg.into_owned(),
            line_text: line_text.to_string(),
            caret,
        }
    }
}
