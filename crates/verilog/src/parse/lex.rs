//! Lexical pieces: whitespace (with comments, attributes and directives),
//! identifiers, punctuation, and the parser's own error type.

use std::borrow::Cow;

use nom::bytes::complete::{take_till, take_while, take_while1};
use nom::error::{ErrorKind, ParseError};
use nom::{IResult, Parser as _};

/// A parse failure: where it happened (a suffix of the whole text) and what
/// was wrong, phrased to follow "file:line:col: ".
#[derive(Debug)]
pub(crate) struct PErr<'a> {
    pub at: &'a str,
    pub msg: Cow<'static, str>,
}

impl<'a> ParseError<&'a str> for PErr<'a> {
    fn from_error_kind(input: &'a str, _kind: ErrorKind) -> Self {
        // Only reached through nom combinators we then re-label, so a
        // generic message suffices.
        PErr {
            at: input,
            msg: Cow::Borrowed("unexpected input"),
        }
    }

    fn append(_input: &'a str, _kind: ErrorKind, other: Self) -> Self {
        other
    }

    fn or(self, other: Self) -> Self {
        // Report the alternative that got furthest.
        if other.at.len() < self.at.len() {
            other
        } else {
            self
        }
    }
}

/// nom result with our error.
pub(crate) type PResult<'a, T> = IResult<&'a str, T, PErr<'a>>;

/// A hard (non-backtracking) failure at `at`.
pub(crate) fn fail<T>(at: &str, msg: impl Into<Cow<'static, str>>) -> PResult<'_, T> {
    Err(nom::Err::Failure(PErr {
        at,
        msg: msg.into(),
    }))
}

/// "expected X, found Y" at `at`.
pub(crate) fn expected<'a, T>(at: &'a str, what: &str) -> PResult<'a, T> {
    fail(at, format!("expected {what}, found {}", found(at)))
}

/// A short description of the token at the start of `i`, for messages.
pub(crate) fn found(i: &str) -> String {
    let Some(c) = i.chars().next() else {
        return "end of file".to_string();
    };
    let tok: String = if is_ident_start(c) || c.is_ascii_digit() || c == '\\' || c == '$' {
        i.chars()
            .take_while(|c| !c.is_whitespace() && !is_punct(*c) || *c == '\\')
            .take(40)
            .collect()
    } else {
        c.to_string()
    };
    format!("`{tok}`")
}

fn is_punct(c: char) -> bool {
    "()[]{},;:.=#'\"+-*/%&|^~!<>?@".contains(c)
}

/// First character of a simple identifier.
pub(crate) fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

/// Later characters of a simple identifier.
pub(crate) fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// Compiler directives that carry no meaning for a structural netlist.
const IGNORED_DIRECTIVES: &[&str] = &[
    "timescale",
    "default_nettype",
    "celldefine",
    "endcelldefine",
    "resetall",
    "unconnected_drive",
    "nounconnected_drive",
    "define",
    "undef",
    "line",
    "suppress_faults",
    "nosuppress_faults",
    "enable_portfaults",
    "disable_portfaults",
    "delay_mode_distributed",
    "delay_mode_path",
    "delay_mode_unit",
    "delay_mode_zero",
];

/// Skip whitespace, comments, `(* attributes *)` and ignorable compiler
/// directives. Fails on unterminated comments and on directives that would
/// change the text (macros, conditional compilation, includes), because
/// skipping those would silently read a different netlist.
pub(crate) fn ws(mut i: &str) -> PResult<'_, ()> {
    loop {
        i = i.trim_start();
        if let Some(rest) = i.strip_prefix("//") {
            i = rest.find('\n').map_or("", |n| &rest[n..]);
        } else if let Some(rest) = i.strip_prefix("/*") {
            match rest.find("*/") {
                Some(n) => i = &rest[n + 2..],
                None => return fail(i, "unterminated `/*` comment"),
            }
        } else if i.starts_with("(*") && !i[2..].trim_start().starts_with(')') {
            i = skip_attribute(i)?.0;
        } else if let Some(rest) = i.strip_prefix('`') {
            let (_, name) = take_while(is_ident_char).parse(rest)?;
            if !IGNORED_DIRECTIVES.contains(&name) {
                return fail(
                    i,
                    format!(
                        "unsupported compiler directive `{name}` (macros, includes and \
                         conditional compilation are not supported)"
                    ),
                );
            }
            i = skip_directive_line(rest);
        } else {
            return Ok((i, ()));
        }
    }
}

/// Skip `(* ... *)`, stepping over quoted strings that might contain `*)`.
fn skip_attribute(start: &str) -> PResult<'_, ()> {
    let mut rest = &start[2..];
    loop {
        let Some(n) = rest.find(['*', '"']) else {
            return fail(start, "unterminated `(*` attribute");
        };
        if rest[n..].starts_with('"') {
            let (after, _) = string_literal(&rest[n..]).map_err(|_| {
                nom::Err::Failure(PErr {
                    at: start,
                    msg: Cow::Borrowed("unterminated string in `(*` attribute"),
                })
            })?;
            rest = after;
        } else if rest[n..].starts_with("*)") {
            return Ok((&rest[n + 2..], ()));
        } else {
            rest = &rest[n + 1..];
        }
    }
}

/// Skip a directive to the end of its line, following `\` continuations.
fn skip_directive_line(mut rest: &str) -> &str {
    loop {
        match rest.find('\n') {
            None => return "",
            Some(n) => {
                let line = rest[..n].trim_end_matches('\r');
                rest = &rest[n + 1..];
                if !line.ends_with('\\') {
                    return rest;
                }
            }
        }
    }
}

/// A `"..."` string with backslash escapes; returns the raw contents.
pub(crate) fn string_literal(i: &str) -> PResult<'_, &str> {
    let Some(body) = i.strip_prefix('"') else {
        return expected(i, "a string");
    };
    let mut chars = body.char_indices();
    while let Some((n, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => return Ok((&body[n + 1..], &body[..n])),
            '\n' => break,
            _ => {}
        }
    }
    fail(i, "unterminated string")
}

/// An identifier, simple or escaped; escaped names come back without the
/// backslash (`\a.b[0] ` names the net `a.b[0]`).
pub(crate) fn ident(i: &str) -> PResult<'_, &str> {
    if let Some(rest) = i.strip_prefix('\\') {
        let (after, name) = take_till(char::is_whitespace).parse(rest)?;
        if name.is_empty() {
            return fail(i, "expected an escaped identifier after `\\`");
        }
        return Ok((after, name));
    }
    match i.chars().next() {
        Some(c) if is_ident_start(c) => take_while1(is_ident_char).parse(i),
        _ => Err(nom::Err::Error(PErr {
            at: i,
            msg: Cow::Borrowed("expected an identifier"),
        })),
    }
}

/// An identifier after whitespace, failing hard with `what` in the message.
pub(crate) fn expect_ident<'a>(i: &'a str, what: &str) -> PResult<'a, &'a str> {
    let (i, ()) = ws(i)?;
    match ident(i) {
        Ok(ok) => Ok(ok),
        Err(nom::Err::Error(_)) => expected(i, what),
        Err(e) => Err(e),
    }
}

/// A simple (non-escaped) identifier ahead, without consuming it: used to
/// look at keywords. Escaped identifiers are never keywords.
pub(crate) fn peek_keyword(i: &str) -> Option<&str> {
    match i.chars().next() {
        Some(c) if is_ident_start(c) => {
            let n = i.find(|c| !is_ident_char(c)).unwrap_or(i.len());
            Some(&i[..n])
        }
        _ => None,
    }
}

/// Consume `sym` after whitespace, or fail hard naming it.
pub(crate) fn expect_sym<'a>(i: &'a str, sym: &str) -> PResult<'a, ()> {
    let (i, ()) = ws(i)?;
    match i.strip_prefix(sym) {
        Some(rest) => Ok((rest, ())),
        None => expected(i, &format!("`{sym}`")),
    }
}

/// Consume `sym` after whitespace if it is there.
pub(crate) fn opt_sym<'a>(i: &'a str, sym: &str) -> PResult<'a, bool> {
    let (i, ()) = ws(i)?;
    match i.strip_prefix(sym) {
        Some(rest) => Ok((rest, true)),
        None => Ok((i, false)),
    }
}

/// Skip one token of any kind (used to step over skipped constructs).
pub(crate) fn skip_token(i: &str) -> PResult<'_, ()> {
    let (i, ()) = ws(i)?;
    let Some(c) = i.chars().next() else {
        return expected(i, "more input");
    };
    if c == '"' {
        let (rest, _) = string_literal(i)?;
        return Ok((rest, ()));
    }
    if c == '\\' || is_ident_start(c) {
        let (rest, _) = ident(i)?;
        return Ok((rest, ()));
    }
    Ok((&i[c.len_utf8()..], ()))
}

/// Skip a balanced `( ... )` group whose `(` is next.
pub(crate) fn skip_parens(i: &str) -> PResult<'_, ()> {
    let (open, ()) = ws(i)?;
    let (mut i, ()) = expect_sym(open, "(")?;
    let mut depth = 1usize;
    while depth > 0 {
        let (rest, ()) = ws(i)?;
        if rest.is_empty() {
            return fail(open, "unbalanced `(`: no matching `)` before end of file");
        }
        if rest.starts_with('(') {
            depth += 1;
        } else if rest.starts_with(')') {
            depth -= 1;
        }
        i = skip_token(rest)?.0;
    }
    Ok((i, ()))
}
