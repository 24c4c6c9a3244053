//! Liberty text → syntax tree ([`parse_group`]) → model ([`build_library`]).
//!
//! The syntax pass knows nothing of Liberty's meaning: it reads groups,
//! simple attributes (`name : value ;`) and complex attributes
//! (`name (v1, v2) ;`) into [`Group`]s, so unknown constructs survive.
//! It works on `&str` slices with nom and allocates only for the strings
//! the tree keeps, which is what makes a 7 MB library read in tens of
//! milliseconds.

use std::io::Read;

use nom::bytes::complete::take_while1;
use nom::{IResult, Parser as _};

use crate::ast::{Attribute, Child, Group, Value};
use crate::{Error, Library, Result};

/// Read a file as text, gunzipping `.gz` (detected by magic bytes).
pub fn read_text(path: &std::path::Path) -> Result<String> {
    let io = |cause| Error::Io(located::FileError::new(path.display().to_string(), cause));
    let bytes = std::fs::read(path).map_err(io)?;
    // Gzip streams start with 1f 8b whatever the file is called.
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::with_capacity(bytes.len() * 6);
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .map_err(io)?;
        out
    } else {
        bytes
    };
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        Error::at_offset(
            &path.display().to_string(),
            &text,
            offset,
            "expected UTF-8 text (found an invalid byte sequence)",
        )
    })
}

/// Parse the top-level `library` group.
pub fn parse_group(text: &str, source: &str) -> Result<Group> {
    let mut p = Syntax::new(text, source);
    let start = p.skip_ws(text)?;
    if start.is_empty() {
        return Err(p.error(
            start,
            "expected `library (NAME) {`, found the end of the file",
        ));
    }
    let (rest, stmt) = p.statement(start, 0)?;
    let group = match stmt {
        Statement::Group(g) if g.kind == "library" => g,
        _ => return Err(p.error(start, "expected `library (NAME) {` at the top level")),
    };
    let rest = p.skip_ws(rest)?;
    if !rest.is_empty() {
        return Err(p.error(
            rest,
            "expected the end of the file after the `library` group",
        ));
    }
    Ok(group)
}

/// Interpret the syntax tree as a [`Library`].
///
/// Without the source text, errors found here carry line and column but not
/// the offending line; [`Library::from_text`] supplies the text.
pub fn build_library(ast: Group, source: &str) -> Result<Library> {
    crate::build::build(ast, source, None)
}

/// Deepest group nesting accepted; real libraries use about six levels, and
/// the limit keeps hostile input from exhausting the stack.
const MAX_DEPTH: usize = 64;

enum Statement {
    Attribute(Attribute),
    Group(Group),
    /// The `}` closing the enclosing group.
    Close,
}

/// The syntax pass over one text.
struct Syntax<'a> {
    text: &'a str,
    file: &'a str,
    /// Line bookkeeping: byte offset already scanned, its line number and
    /// the offset where that line starts. Positions are asked for in
    /// increasing order, so counting newlines stays linear in the file size.
    scanned: usize,
    line: u32,
    line_start: usize,
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '[' | ']' | '$' | '!')
}

/// Characters that end an unquoted value inside parentheses.
fn is_list_token_char(c: char) -> bool {
    !matches!(c, ',' | '(' | ')' | '"' | '{' | '}' | ';' | '\\') && !c.is_whitespace()
}

fn name(i: &str) -> IResult<&str, &str> {
    take_while1(is_name_char).parse(i)
}

fn list_token(i: &str) -> IResult<&str, &str> {
    take_while1(is_list_token_char).parse(i)
}

/// Classify an unquoted token: numbers keep their text so writing loses nothing.
fn unquoted_value(token: &str) -> Value {
    let looks_numeric = token
        .as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.'));
    match token.parse::<f64>() {
        Ok(v) if looks_numeric && v.is_finite() => Value::Number(v, token.to_string()),
        _ => Value::Word(token.to_string()),
    }
}

impl<'a> Syntax<'a> {
    fn new(text: &'a str, file: &'a str) -> Self {
        Syntax {
            text,
            file,
            scanned: 0,
            line: 1,
            line_start: 0,
        }
    }

    fn offset(&self, rest: &str) -> usize {
        self.text.len() - rest.len()
    }

    fn error(&self, rest: &str, message: impl Into<String>) -> Error {
        Error::at_offset(self.file, self.text, self.offset(rest), message)
    }

    /// 1-based line and column of the start of `rest`.
    fn position(&mut self, rest: &str) -> (u32, u32) {
        let offset = self.offset(rest);
        if offset < self.scanned {
            // Not expected (positions come in order), but stay correct.
            self.scanned = 0;
            self.line = 1;
            self.line_start = 0;
        }
        let bytes = &self.text.as_bytes()[self.scanned..offset];
        for (k, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                self.line += 1;
                self.line_start = self.scanned + k + 1;
            }
        }
        self.scanned = offset;
        let prefix = &self.text[self.line_start..offset];
        let column = if prefix.is_ascii() {
            prefix.len()
        } else {
            prefix.chars().count()
        };
        (self.line, column as u32 + 1)
    }

    /// Skip whitespace, comments and backslash-newline continuations.
    fn skip_ws(&self, i: &'a str) -> Result<&'a str> {
        let b = i.as_bytes();
        let mut k = 0;
        loop {
            match b.get(k) {
                Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0c) => k += 1,
                Some(b'\\') => {
                    // A continuation: backslash, optional blanks, newline.
                    let mut j = k + 1;
                    while matches!(b.get(j), Some(b' ' | b'\t' | b'\r')) {
                        j += 1;
                    }
                    if b.get(j) == Some(&b'\n') || j == b.len() {
                        k = j + 1;
                    } else {
                        break;
                    }
                }
                Some(b'/') if b.get(k + 1) == Some(&b'*') => match i[k + 2..].find("*/") {
                    Some(end) => k += 2 + end + 2,
                    None => return Err(self.error(&i[k..], "unterminated comment: expected `*/`")),
                },
                Some(b'/') if b.get(k + 1) == Some(&b'/') => {
                    k = i[k..].find('\n').map_or(b.len(), |e| k + e);
                }
                _ => break,
            }
        }
        Ok(&i[k.min(i.len())..])
    }

    /// Skip blanks and comments on the current line only (simple attributes
    /// end at a newline when the `;` is missing).
    fn skip_blanks(&self, i: &'a str) -> Result<&'a str> {
        let b = i.as_bytes();
        let mut k = 0;
        loop {
            match b.get(k) {
                Some(b' ' | b'\t' | b'\r') => k += 1,
                Some(b'/') if b.get(k + 1) == Some(&b'*') => match i[k + 2..].find("*/") {
                    Some(end) => k += 2 + end + 2,
                    None => return Err(self.error(&i[k..], "unterminated comment: expected `*/`")),
                },
                _ => break,
            }
        }
        Ok(&i[k..])
    }

    /// A double-quoted string starting at `i` (which begins with `"`); the
    /// content is returned verbatim, escapes included.
    fn quoted(&self, i: &'a str) -> Result<(&'a str, &'a str)> {
        let b = i.as_bytes();
        let mut k = 1;
        while k < b.len() {
            match b[k] {
                b'"' => return Ok((&i[k + 1..], &i[1..k])),
                b'\\' => k += 2,
                _ => k += 1,
            }
        }
        Err(self.error(i, "unterminated string: expected a closing `\"`"))
    }

    /// One statement inside a group (or the top-level group).
    fn statement(&mut self, i: &'a str, depth: usize) -> Result<(&'a str, Statement)> {
        if let Some(rest) = i.strip_prefix('}') {
            return Ok((rest, Statement::Close));
        }
        let (line, column) = self.position(i);
        let (rest, key) = name(i).map_err(|_| {
            self.error(
                i,
                "expected an attribute or group name, or `}` to close the group",
            )
        })?;
        let rest = self.skip_ws(rest)?;
        if let Some(rest) = rest.strip_prefix(':') {
            let (rest, value) = self.simple_value(rest, key)?;
            let attr = Attribute {
                name: key.to_string(),
                values: vec![value],
                simple: true,
                line,
                column,
            };
            return Ok((rest, Statement::Attribute(attr)));
        }
        let Some(rest) = rest.strip_prefix('(') else {
            return Err(self.error(rest, format!("expected `:` or `(` after `{key}`")));
        };
        let (rest, values) = self.value_list(rest)?;
        let rest = self.skip_ws(rest)?;
        if let Some(body) = rest.strip_prefix('{') {
            if depth >= MAX_DEPTH {
                return Err(self.error(i, format!("groups nested deeper than {MAX_DEPTH} levels")));
            }
            let mut group = Group {
                kind: key.to_string(),
                names: values,
                attributes: Vec::new(),
                groups: Vec::new(),
                order: Vec::new(),
                line,
                column,
            };
            let rest = self.group_body(body, &mut group, depth + 1)?;
            return Ok((rest, Statement::Group(group)));
        }
        let rest = rest.strip_prefix(';').unwrap_or(rest);
        let attr = Attribute {
            name: key.to_string(),
            values,
            simple: false,
            line,
            column,
        };
        Ok((rest, Statement::Attribute(attr)))
    }

    /// Statements up to and including the closing `}`.
    fn group_body(&mut self, mut i: &'a str, group: &mut Group, depth: usize) -> Result<&'a str> {
        loop {
            i = self.skip_ws(i)?;
            if i.is_empty() {
                let what = match group.names.first() {
                    Some(n) => format!("{} ({})", group.kind, n.as_str()),
                    None => group.kind.clone(),
                };
                return Err(self.error(
                    i,
                    format!("expected `}}` to close `{what}` opened at line {}, found the end of the file", group.line),
                ));
            }
            let (rest, stmt) = self.statement(i, depth)?;
            i = rest;
            match stmt {
                Statement::Close => return Ok(i),
                Statement::Attribute(a) => {
                    group.order.push(Child::Attribute(group.attributes.len()));
                    group.attributes.push(a);
                }
                Statement::Group(g) => {
                    group.order.push(Child::Group(group.groups.len()));
                    group.groups.push(g);
                }
            }
        }
    }

    /// The value of `key : value ;` — a quoted string, or the text up to `;`
    /// or the end of the line. The `;` is optional.
    fn simple_value(&self, i: &'a str, key: &str) -> Result<(&'a str, Value)> {
        let i = self.skip_blanks(i)?;
        let (rest, value) = if i.starts_with('"') {
            let (rest, s) = self.quoted(i)?;
            (rest, Value::Quoted(s.to_string()))
        } else {
            let end = i.find([';', '\n', '}', '"', '{']).unwrap_or(i.len());
            let mut token = &i[..end];
            // A trailing comment on the same line is not part of the value.
            if let Some(c) = token.find("/*").or_else(|| token.find("//")) {
                token = &token[..c];
            }
            let token = token.trim();
            if token.is_empty() {
                return Err(self.error(i, format!("expected a value after `{key} :`")));
            }
            // `skip_blanks` left the token at the start of `i`.
            (&i[token.len()..], unquoted_value(token))
        };
        let rest = self.skip_blanks(rest)?;
        let rest = if let Some(r) = rest.strip_prefix(';') {
            r
        } else if rest.starts_with("//") || rest.is_empty() {
            rest
        } else {
            match rest.as_bytes()[0] {
                b'\n' | b'}' => rest,
                _ => {
                    return Err(self.error(
                        rest,
                        format!("expected `;` or the end of the line after the value of `{key}`"),
                    ))
                }
            }
        };
        Ok((rest, value))
    }

    /// Values after `(` up to and including `)`, separated by commas or blanks.
    fn value_list(&self, mut i: &'a str) -> Result<(&'a str, Vec<Value>)> {
        let mut values = Vec::new();
        loop {
            i = self.skip_ws(i)?;
            match i.as_bytes().first() {
                None => return Err(self.error(i, "expected `)`, found the end of the file")),
                Some(b')') => return Ok((&i[1..], values)),
                Some(b',') if !values.is_empty() => {
                    i = &i[1..];
                    continue;
                }
                Some(b'"') => {
                    let (rest, s) = self.quoted(i)?;
                    values.push(Value::Quoted(s.to_string()));
                    i = rest;
                }
                _ => match list_token(i) {
                    Ok((rest, token)) => {
                        values.push(unquoted_value(token));
                        i = rest;
                    }
                    Err(_) => return Err(self.error(i, "expected a value or `)`")),
                },
            }
            // After a value: a separator or the closing parenthesis.
            let after = self.skip_ws(i)?;
            match after.as_bytes().first() {
                Some(b',' | b')' | b'"') | None => {}
                Some(_) if list_token(after).is_ok() => {}
                Some(_) => return Err(self.error(after, "expected `,` or `)` after a value")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_constructs() {
        let text = "library (x) {\n  a : 1.5e-3 ;\n  b : word\n  c (1, \"two\") ;\n  // note\n  g (n) { /* c */ v (\"1, 2\", \\\n \"3, 4\"); }\n}\n";
        let g = parse_group(text, "t").unwrap();
        assert_eq!(g.name(), "x");
        assert_eq!(g.value("a"), Some(&Value::Number(1.5e-3, "1.5e-3".into())));
        assert_eq!(g.value("b"), Some(&Value::Word("word".into())));
        let c = g.attribute("c").unwrap();
        assert_eq!(
            c.values,
            vec![Value::Number(1.0, "1".into()), Value::Quoted("two".into())]
        );
        assert_eq!((c.line, c.column), (4, 3));
        let sub = &g.groups[0];
        assert_eq!(sub.attributes[0].values.len(), 2);
        assert_eq!(sub.line, 6);
    }

    #[test]
    fn truncated_group_is_located() {
        let err = parse_group("library (x) {\n  a : 1;\n", "t.lib").unwrap_err();
        assert_eq!(err.location(), Some((3, 1)));
        assert!(err.to_string().contains("expected `}`"), "{err}");
    }
}
