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
pub use number::MAX_WIDTH;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use crate::{DeclKind, Error, Pos, Result, Source};
use lex::{PErr, PResult};

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

/// The keyword that declares `kind`.
fn kind_word(kind: DeclKind) -> &'static str {
    match kind {
        DeclKind::Input => "`input`",
        DeclKind::Output => "`output`",
        DeclKind::Inout => "`inout`",
        DeclKind::Wire => "`wire`",
    }
}

/// The whole text and where its lines start.
pub(crate) struct Ctx<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    /// Names in the module being parsed, for duplicate checks (a hash map,
    /// so a module of 100,000 instances is still checked in linear time).
    seen: RefCell<Seen>,
    /// The last position computed (byte offset and its position): the
    /// parser asks for positions in text order, so counting the characters
    /// from there keeps columns linear even when the whole netlist is on
    /// one line.
    last_pos: Cell<(usize, Pos)>,
}

/// Instance and declaration names of one module, with their positions.
#[derive(Default)]
struct Seen {
    instances: HashMap<String, Pos>,
    decls: HashMap<(String, DeclKind), Pos>,
}

impl<'a> Ctx<'a> {
    fn new(text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(n, _)| n + 1))
            .collect();
        Ctx {
            text,
            line_starts,
            seen: RefCell::default(),
            last_pos: Cell::new((0, Pos { line: 1, col: 1 })),
        }
    }

    /// Forget the names of the previous module.
    pub(crate) fn start_module(&self) {
        *self.seen.borrow_mut() = Seen::default();
    }

    /// Record instance `name`, which starts at `at`; a second instance of
    /// that name in one module is an error there (two cells could not be
    /// told apart in SDF, VCD or reports).
    pub(crate) fn instance_name<'i>(&self, at: &'i str, name: &str) -> PResult<'i, ()> {
        let pos = self.pos(at);
        match self.seen.borrow_mut().instances.entry(name.to_string()) {
            std::collections::hash_map::Entry::Occupied(first) => lex::fail(
                at,
                format!(
                    "duplicate instance name `{name}` (first at line {}, column {})",
                    first.get().line,
                    first.get().col
                ),
            ),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(pos);
                Ok((at, ()))
            }
        }
    }

    /// Record the declaration of `name` as `kind`, which starts at `at`.
    /// Declaring a name twice the same way (`wire a; wire a;`) is an error;
    /// a port direction and a `wire` for one name is the usual style.
    pub(crate) fn decl_name<'i>(&self, at: &'i str, name: &str, kind: DeclKind) -> PResult<'i, ()> {
        let pos = self.pos(at);
        match self.seen.borrow_mut().decls.entry((name.to_string(), kind)) {
            std::collections::hash_map::Entry::Occupied(first) => lex::fail(
                at,
                format!(
                    "`{name}` is declared as {} twice (first at line {}, column {})",
                    kind_word(kind),
                    first.get().line,
                    first.get().col
                ),
            ),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(pos);
                Ok((at, ()))
            }
        }
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

    /// 1-based line and column (in characters) where `rest` begins.
    pub(crate) fn pos(&self, rest: &str) -> Pos {
        let off = self.offset(rest);
        let line = self.line(rest);
        let (last_off, last) = self.last_pos.get();
        // Count from the last position when it is earlier on the same line,
        // else from the start of the line.
        let (from, col) = if last.line == line && last_off <= off {
            (last_off, last.col)
        } else {
            (self.line_starts[line as usize - 1], 1)
        };
        let col = col + self.text[from..off].chars().count() as u32;
        let pos = Pos { line, col };
        self.last_pos.set((off, pos));
        pos
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
        Error::At(located::Located::at_offset(
            file,
            self.text,
            self.offset(at),
            e.msg,
        ))
    }
}
