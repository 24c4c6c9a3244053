//! A small Tcl interpreter: enough of the language for the SDC that
//! synthesis and place-and-route flows write.
//!
//! Supported: commands separated by newlines or `;`, comments, braced,
//! quoted and bare words, `$var`/`${var}` and `[command]` substitution,
//! backslash escapes and line continuation, and the built-ins `set`, `expr`
//! (arithmetic, comparisons, a few math functions), `puts`, `list`,
//! `concat`, `llength`, `lindex`, `lsearch`. Every other command goes to a
//! [`Host`]. Values are strings, lists are Tcl-formatted strings, as in Tcl.

use std::collections::HashMap;

use crate::error::{Error, Pos, Result};

/// Commands the interpreter does not know itself.
pub(crate) trait Host {
    /// Run command `words[0]` with arguments `words[1..]`; `at[k]` is where
    /// word `k` starts in the file (its `{` or `"` when braced or quoted).
    fn command(&mut self, interp: &mut Interp, words: &[String], at: &[Pos]) -> Result<String>;
}

/// Interpreter state: variables and the file name for messages.
#[derive(Debug, Clone, Default)]
pub(crate) struct Interp {
    /// Global variables.
    pub(crate) vars: HashMap<String, String>,
    /// File being run, for error messages.
    pub(crate) file: String,
    /// Depth of command substitution (`[...]`) being evaluated; 0 at the
    /// top level of the script.
    substitution_depth: usize,
}

/// Deepest nesting of command substitution accepted (keeps hostile input
/// from exhausting the stack).
const MAX_DEPTH: usize = 64;

impl Interp {
    /// A fresh interpreter reading `file`.
    pub(crate) fn new(file: impl Into<String>) -> Interp {
        Interp {
            vars: HashMap::new(),
            file: file.into(),
            substitution_depth: 0,
        }
    }

    /// An error at `at` in the current file.
    pub(crate) fn error(&self, at: Pos, message: impl Into<String>) -> Error {
        Error::At(located::Located::new(self.file.as_str(), at, message))
    }

    /// Whether the command being run is inside `[...]`, so that its result
    /// is used as a value: a host that skips unsupported commands must not
    /// skip one whose empty result changes the enclosing command's meaning
    /// (`[get_ports p[0]]` runs a command `0`).
    pub(crate) fn in_substitution(&self) -> bool {
        self.substitution_depth > 0
    }

    /// Refuses command substitution nested deeper than [`MAX_DEPTH`].
    fn check_depth(&self, at: Pos, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(self.error(at, "command substitution nested too deeply"));
        }
        Ok(())
    }

    /// Run a script that starts at `at` in the file (usually
    /// [`Pos::START`]); returns the last result.
    pub(crate) fn eval(&mut self, script: &str, at: Pos, host: &mut dyn Host) -> Result<String> {
        self.eval_depth(script, at, host, 0)
    }

    /// `script` must be the file's text from `at` on (or all of it), so
    /// that the cursor's positions are positions in the file.
    fn eval_depth(
        &mut self,
        script: &str,
        at: Pos,
        host: &mut dyn Host,
        depth: usize,
    ) -> Result<String> {
        self.check_depth(at, depth)?;
        let mut cur = Cursor::new(script, at);
        let mut result = String::new();
        loop {
            // Skip blank space, empty commands and comments.
            loop {
                match cur.peek() {
                    Some(b' ' | b'\t' | b'\r' | b'\n' | b';') => cur.bump(),
                    Some(b'\\') if cur.peek_at(1) == Some(b'\n') => {
                        cur.bump();
                        cur.bump();
                    }
                    Some(b'#') => {
                        while let Some(c) = cur.peek() {
                            if c == b'\n' {
                                break;
                            }
                            if c == b'\\' && cur.peek_at(1).is_some() {
                                cur.bump();
                            }
                            cur.bump();
                        }
                    }
                    _ => break,
                }
            }
            if cur.peek().is_none() {
                return Ok(result);
            }
            let mut words = Vec::new();
            let mut at = Vec::new();
            let mut body_at = Vec::new();
            loop {
                while let Some(c) = cur.peek() {
                    if c == b' ' || c == b'\t' || c == b'\r' {
                        cur.bump();
                    } else if c == b'\\' && cur.peek_at(1) == Some(b'\n') {
                        cur.bump();
                        cur.bump();
                    } else {
                        break;
                    }
                }
                match cur.peek() {
                    None | Some(b'\n' | b';') => break,
                    _ => {
                        at.push(cur.at());
                        let (word, body) = self.word(&mut cur, host, depth)?;
                        words.push(word);
                        body_at.push(body);
                    }
                }
            }
            result = self.run(&words, &at, &body_at, host, depth)?;
        }
    }

    /// Parse one word at the cursor, with substitutions; also returns where
    /// its text starts (after the `{` or `"` of a braced or quoted word).
    fn word(
        &mut self,
        cur: &mut Cursor,
        host: &mut dyn Host,
        depth: usize,
    ) -> Result<(String, Pos)> {
        match cur.peek() {
            Some(b'{') => {
                let start = cur.at();
                cur.bump();
                let body_at = cur.at();
                let begin = cur.pos;
                let mut level = 1;
                while level > 0 {
                    match cur.peek() {
                        None => return Err(self.error(start, "missing close-brace")),
                        Some(b'\\') => {
                            cur.bump();
                            if cur.peek().is_some() {
                                cur.bump();
                            }
                        }
                        Some(b'{') => {
                            level += 1;
                            cur.bump();
                        }
                        Some(b'}') => {
                            level -= 1;
                            cur.bump();
                        }
                        Some(_) => cur.bump(),
                    }
                }
                let body = cur.text[begin..cur.pos - 1].replace("\\\n", " ");
                self.expect_word_end(cur, "close-brace")?;
                Ok((body, body_at))
            }
            Some(b'"') => {
                let start = cur.at();
                cur.bump();
                let body_at = cur.at();
                let mut out = String::new();
                loop {
                    match cur.peek() {
                        None => return Err(self.error(start, "missing \"")),
                        Some(b'"') => {
                            cur.bump();
                            break;
                        }
                        _ => self.substitute_one(cur, host, depth, &mut out)?,
                    }
                }
                self.expect_word_end(cur, "close-quote")?;
                Ok((out, body_at))
            }
            _ => {
                let body_at = cur.at();
                let mut out = String::new();
                while let Some(c) = cur.peek() {
                    if matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b';') {
                        break;
                    }
                    self.substitute_one(cur, host, depth, &mut out)?;
                }
                Ok((out, body_at))
            }
        }
    }

    fn expect_word_end(&self, cur: &Cursor, what: &str) -> Result<()> {
        match cur.peek() {
            None | Some(b' ' | b'\t' | b'\r' | b'\n' | b';') => Ok(()),
            Some(b']') => Ok(()), // end of a command substitution
            Some(_) => Err(self.error(cur.at(), format!("extra characters after {what}"))),
        }
    }

    /// Consume one character or substitution of a bare or quoted word.
    fn substitute_one(
        &mut self,
        cur: &mut Cursor,
        host: &mut dyn Host,
        depth: usize,
        out: &mut String,
    ) -> Result<()> {
        match cur.peek() {
            Some(b'$') => {
                let dollar = cur.at();
                cur.bump();
                let name = if cur.peek() == Some(b'{') {
                    cur.bump();
                    let begin = cur.pos;
                    while cur.peek().is_some_and(|c| c != b'}') {
                        cur.bump();
                    }
                    if cur.peek().is_none() {
                        return Err(self.error(dollar, "missing close-brace for variable name"));
                    }
                    let name = cur.text[begin..cur.pos].to_string();
                    cur.bump();
                    name
                } else {
                    let begin = cur.pos;
                    while cur
                        .peek()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b':')
                    {
                        cur.bump();
                    }
                    if cur.peek() == Some(b'(') {
                        return Err(self.error(dollar, "Tcl arrays are not supported"));
                    }
                    cur.text[begin..cur.pos].to_string()
                };
                if name.is_empty() {
                    out.push('$');
                    return Ok(());
                }
                match self.vars.get(name.trim_start_matches("::")) {
                    Some(v) => out.push_str(v),
                    None => {
                        return Err(
                            self.error(dollar, format!("can't read \"{name}\": no such variable"))
                        )
                    }
                }
            }
            Some(b'[') => {
                let open = cur.at();
                cur.bump();
                let inner_at = cur.at();
                let begin = cur.pos;
                let mut level = 1;
                let mut braces = 0usize;
                while level > 0 {
                    match cur.peek() {
                        None => return Err(self.error(open, "missing close-bracket")),
                        Some(b'\\') => {
                            cur.bump();
                            if cur.peek().is_some() {
                                cur.bump();
                            }
                            continue;
                        }
                        Some(b'{') => braces += 1,
                        Some(b'}') => braces = braces.saturating_sub(1),
                        Some(b'[') if braces == 0 => level += 1,
                        Some(b']') if braces == 0 => level -= 1,
                        _ => {}
                    }
                    cur.bump();
                }
                let inner = cur.text[begin..cur.pos - 1].to_string();
                let outer = self.substitution_depth;
                self.substitution_depth = depth + 1;
                let value = self.eval_depth(&inner, inner_at, host, depth + 1);
                self.substitution_depth = outer;
                out.push_str(&value?);
            }
            Some(b'\\') => {
                cur.bump();
                match cur.peek() {
                    None => out.push('\\'),
                    Some(_) => {
                        // The escaped character may be several bytes long:
                        // step over all of them, or the cursor would stop
                        // inside it.
                        let ch = cur.text[cur.pos..].chars().next().unwrap_or(' ');
                        for _ in 0..ch.len_utf8() {
                            cur.bump();
                        }
                        out.push(match ch {
                            'n' => '\n',
                            't' => '\t',
                            '\n' => ' ',
                            other => other,
                        });
                    }
                }
            }
            Some(_) => {
                let ch = cur.text[cur.pos..].chars().next().unwrap_or(' ');
                for _ in 0..ch.len_utf8() {
                    cur.bump();
                }
                out.push(ch);
            }
            None => {}
        }
        Ok(())
    }

    /// Perform `$` and `[]` substitution on a string (as `expr` does);
    /// `at` is where `text` starts in the file.
    pub(crate) fn subst(&mut self, text: &str, at: Pos, host: &mut dyn Host) -> Result<String> {
        let mut cur = Cursor::new(text, at);
        let mut out = String::new();
        while cur.peek().is_some() {
            self.substitute_one(&mut cur, host, 0, &mut out)?;
        }
        Ok(out)
    }

    /// Run one command: `at[k]` is where word `k` starts, `body_at[k]`
    /// where its text starts.
    fn run(
        &mut self,
        words: &[String],
        at: &[Pos],
        body_at: &[Pos],
        host: &mut dyn Host,
        depth: usize,
    ) -> Result<String> {
        let Some(name) = words.first() else {
            return Ok(String::new());
        };
        let args = &words[1..];
        let arity = |ok: bool, usage: &str| {
            if ok {
                Ok(())
            } else {
                Err(self.error(at[0], format!("wrong # args: should be \"{usage}\"")))
            }
        };
        match name.as_str() {
            "set" => {
                arity(matches!(args.len(), 1 | 2), "set varName ?newValue?")?;
                if let Some(v) = args.get(1) {
                    self.vars
                        .insert(args[0].trim_start_matches("::").to_string(), v.clone());
                    Ok(v.clone())
                } else {
                    self.vars
                        .get(args[0].trim_start_matches("::"))
                        .cloned()
                        .ok_or_else(|| {
                            self.error(
                                at[1],
                                format!("can't read \"{}\": no such variable", args[0]),
                            )
                        })
                }
            }
            "expr" => {
                arity(!args.is_empty(), "expr arg ?arg ...?")?;
                // Positions inside the expression are exact for one argument
                // (`expr {...}`, the usual form).
                let text = self.subst_depth(&args.join(" "), body_at[1], host, depth)?;
                let v = expr::eval(&text)
                    .map_err(|m| self.error(at[1], format!("expr \"{text}\": {m}")))?;
                Ok(v.to_string())
            }
            "puts" => Ok(String::new()),
            "list" => Ok(format_list(args)),
            "concat" => {
                let items: Vec<String> = args.iter().flat_map(|a| split_list(a)).collect();
                Ok(format_list(&items))
            }
            "llength" => {
                arity(args.len() == 1, "llength list")?;
                Ok(split_list(&args[0]).len().to_string())
            }
            "lindex" => {
                arity(args.len() == 2, "lindex list index")?;
                let items = split_list(&args[0]);
                let index = match args[1].as_str() {
                    "end" => items.len().checked_sub(1),
                    i => i.parse::<usize>().ok(),
                };
                Ok(index
                    .and_then(|i| items.get(i))
                    .cloned()
                    .unwrap_or_default())
            }
            "lsearch" => self.lsearch(args, &at[1..], at[0]),
            _ => host.command(self, words, at),
        }
    }

    fn subst_depth(
        &mut self,
        text: &str,
        at: Pos,
        host: &mut dyn Host,
        depth: usize,
    ) -> Result<String> {
        self.check_depth(at, depth)?;
        self.subst(text, at, host)
    }

    /// `lsearch` with arguments `args` at `args_at`; the command word is at
    /// `cmd_at`.
    fn lsearch(&self, args: &[String], args_at: &[Pos], cmd_at: Pos) -> Result<String> {
        let (mut all, mut inline, mut not, mut exact) = (false, false, false, false);
        let mut rest = Vec::new();
        for (a, &a_at) in args.iter().zip(args_at) {
            match a.as_str() {
                "-all" => all = true,
                "-inline" => inline = true,
                "-not" => not = true,
                "-exact" => exact = true,
                "-glob" => exact = false,
                s if s.starts_with('-') && rest.is_empty() => {
                    return Err(self.error(a_at, format!("lsearch: unsupported option {s}")))
                }
                _ => rest.push(a.clone()),
            }
        }
        if rest.len() != 2 {
            return Err(self.error(
                cmd_at,
                "wrong # args: should be \"lsearch ?options? list pattern\"",
            ));
        }
        let items = split_list(&rest[0]);
        let hit = |item: &str| {
            let m = if exact {
                item == rest[1]
            } else {
                glob_match(&rest[1], item)
            };
            m != not
        };
        let found: Vec<(usize, &String)> =
            items.iter().enumerate().filter(|(_, s)| hit(s)).collect();
        Ok(match (all, inline) {
            (true, true) => {
                format_list(&found.iter().map(|(_, s)| (*s).clone()).collect::<Vec<_>>())
            }
            (true, false) => found
                .iter()
                .map(|(i, _)| i.to_string())
                .collect::<Vec<_>>()
                .join(" "),
            (false, true) => found.first().map(|(_, s)| (*s).clone()).unwrap_or_default(),
            (false, false) => found
                .first()
                .map_or("-1".to_string(), |(i, _)| i.to_string()),
        })
    }
}

/// A place in the text being read: the byte offset and its line and
/// column in the file.
struct Cursor<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    line: u32,
    col: u32,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `text`, which is at `at` in the file.
    fn new(text: &'a str, at: Pos) -> Cursor<'a> {
        Cursor {
            s: text.as_bytes(),
            text,
            pos: 0,
            line: at.line,
            col: at.col,
        }
    }

    /// Where the next character is.
    fn at(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }
    fn peek_at(&self, k: usize) -> Option<u8> {
        self.s.get(self.pos + k).copied()
    }
    /// Step one byte; columns count characters, so the continuation bytes
    /// of a multi-byte character do not move the column.
    fn bump(&mut self) {
        match self.peek() {
            Some(b'\n') => {
                self.line += 1;
                self.col = 1;
            }
            Some(b) if b & 0xC0 == 0x80 => {}
            Some(_) => self.col += 1,
            None => {}
        }
        self.pos += 1;
    }
}

/// Split a Tcl list into its elements.
pub(crate) fn split_list(s: &str) -> Vec<String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        match b[i] {
            b'{' => {
                let begin = i + 1;
                let mut level = 1;
                i += 1;
                while i < b.len() && level > 0 {
                    match b[i] {
                        b'\\' => i += 1,
                        b'{' => level += 1,
                        b'}' => level -= 1,
                        _ => {}
                    }
                    i += 1;
                }
                let end = if level == 0 { i - 1 } else { b.len() };
                out.push(s[begin..end.max(begin)].to_string());
            }
            b'"' => {
                let begin = i + 1;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                out.push(s[begin..i.min(b.len())].to_string());
                i += 1;
            }
            _ => {
                let mut item = String::new();
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    if b[i] == b'\\' && i + 1 < b.len() {
                        i += 1;
                    }
                    let ch = s[i..].chars().next().unwrap_or(' ');
                    item.push(ch);
                    i += ch.len_utf8();
                }
                out.push(item);
            }
        }
    }
    out
}

/// Format elements as a Tcl list, bracing the ones that need it.
pub(crate) fn format_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| {
            let special = s.is_empty()
                || s.bytes().any(|c| {
                    c.is_ascii_whitespace()
                        || matches!(c, b'[' | b']' | b'{' | b'}' | b'$' | b'"' | b'\\' | b';')
                });
            if special {
                format!("{{{s}}}")
            } else {
                s.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Tcl `string match` globbing with `*` and `?`; brackets match themselves
/// (SDC object patterns use them for bus indices).
pub(crate) fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len()
            && (p[pi] == '?'
                || (p[pi] == '\\' && pi + 1 < p.len() && p[pi + 1] == t[ti])
                || p[pi] == t[ti])
            && p[pi] != '*'
        {
            pi += if p[pi] == '\\' { 2 } else { 1 };
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// `expr` arithmetic.
pub(crate) mod expr {
    use std::fmt;

    /// A Tcl number: integers stay integers (and divide like Tcl's, flooring).
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub(crate) enum Num {
        /// An integer.
        Int(i64),
        /// A double.
        Float(f64),
    }

    impl Num {
        fn f(self) -> f64 {
            match self {
                Num::Int(i) => i as f64,
                Num::Float(x) => x,
            }
        }
    }

    impl fmt::Display for Num {
        fn fmt(&self, out: &mut fmt::Formatter) -> fmt::Result {
            match *self {
                Num::Int(i) => write!(out, "{i}"),
                Num::Float(x) if x.is_finite() && x == x.trunc() && x.abs() < 1e15 => {
                    write!(out, "{x:.1}")
                }
                Num::Float(x) => write!(out, "{x}"),
            }
        }
    }

    /// Evaluate an already-substituted expression.
    pub(crate) fn eval(text: &str) -> Result<Num, String> {
        let mut p = Parser {
            s: text.as_bytes(),
            pos: 0,
            depth: 0,
        };
        let v = p.compare()?;
        p.ws();
        if p.pos < p.s.len() {
            return Err(format!("unexpected \"{}\"", &text[p.pos..]));
        }
        Ok(v)
    }

    struct Parser<'a> {
        s: &'a [u8],
        pos: usize,
        /// Current nesting of parentheses, unary operators, `**` and
        /// function arguments (each is one level of recursion).
        depth: usize,
    }

    /// Deepest expression nesting accepted: bounds the recursion so that
    /// 30,000 parentheses or 100,000 unary minuses are an error, not a
    /// stack overflow.
    pub(crate) const MAX_EXPR_DEPTH: usize = 256;

    impl Parser<'_> {
        /// `parse` one level deeper.
        fn nested(&mut self, parse: fn(&mut Self) -> Result<Num, String>) -> Result<Num, String> {
            if self.depth >= MAX_EXPR_DEPTH {
                return Err(format!(
                    "expression nested deeper than {MAX_EXPR_DEPTH} levels"
                ));
            }
            self.depth += 1;
            let v = parse(self);
            self.depth -= 1;
            v
        }
        fn ws(&mut self) {
            while self.pos < self.s.len() && self.s[self.pos].is_ascii_whitespace() {
                self.pos += 1;
            }
        }
        fn eat(&mut self, op: &str) -> bool {
            self.ws();
            if self.s[self.pos..].starts_with(op.as_bytes()) {
                self.pos += op.len();
                true
            } else {
                false
            }
        }
        fn compare(&mut self) -> Result<Num, String> {
            let a = self.sum()?;
            for op in ["<=", ">=", "==", "!=", "<", ">"] {
                if self.eat(op) {
                    let b = self.sum()?;
                    let (x, y) = (a.f(), b.f());
                    let r = match op {
                        "<=" => x <= y,
                        ">=" => x >= y,
                        "==" => x == y,
                        "!=" => x != y,
                        "<" => x < y,
                        _ => x > y,
                    };
                    return Ok(Num::Int(r as i64));
                }
            }
            Ok(a)
        }
        fn sum(&mut self) -> Result<Num, String> {
            self.left_assoc(&['+', '-'], Self::product)
        }
        fn product(&mut self) -> Result<Num, String> {
            self.left_assoc(&['*', '/', '%'], Self::power)
        }
        /// `operand (op operand)*`, folded left to right, for one-character
        /// operators tried in the order of `ops`.
        fn left_assoc(
            &mut self,
            ops: &[char],
            operand: fn(&mut Self) -> Result<Num, String>,
        ) -> Result<Num, String> {
            let mut a = operand(self)?;
            while let Some(op) = ops
                .iter()
                .copied()
                .find(|op| self.eat(op.encode_utf8(&mut [0; 4])))
            {
                a = arith(a, operand(self)?, op)?;
            }
            Ok(a)
        }
        fn power(&mut self) -> Result<Num, String> {
            let a = self.unary()?;
            if self.eat("**") {
                let b = self.nested(Self::power)?;
                return Ok(Num::Float(a.f().powf(b.f())));
            }
            Ok(a)
        }
        fn unary(&mut self) -> Result<Num, String> {
            if self.eat("-") {
                return Ok(match self.nested(Self::unary)? {
                    Num::Int(i) => Num::Int(-i),
                    Num::Float(x) => Num::Float(-x),
                });
            }
            if self.eat("+") {
                return self.nested(Self::unary);
            }
            self.atom()
        }
        fn atom(&mut self) -> Result<Num, String> {
            self.ws();
            if self.eat("(") {
                let v = self.nested(Self::compare)?;
                if !self.eat(")") {
                    return Err("missing )".into());
                }
                return Ok(v);
            }
            let begin = self.pos;
            if self.pos < self.s.len() && self.s[self.pos].is_ascii_alphabetic() {
                while self.pos < self.s.len() && self.s[self.pos].is_ascii_alphanumeric() {
                    self.pos += 1;
                }
                let name = String::from_utf8_lossy(&self.s[begin..self.pos]).into_owned();
                if !self.eat("(") {
                    return Err(format!("unknown word \"{name}\""));
                }
                let mut args = vec![self.nested(Self::compare)?];
                while self.eat(",") {
                    args.push(self.nested(Self::compare)?);
                }
                if !self.eat(")") {
                    return Err("missing )".into());
                }
                return function(&name, &args);
            }
            while self.pos < self.s.len() {
                let c = self.s[self.pos];
                let exp_sign = (c == b'-' || c == b'+')
                    && self.pos > begin
                    && matches!(self.s[self.pos - 1], b'e' | b'E');
                if c.is_ascii_digit() || c == b'.' || c == b'e' || c == b'E' || exp_sign {
                    self.pos += 1;
                } else {
                    break;
                }
            }
            let t = std::str::from_utf8(&self.s[begin..self.pos]).unwrap_or("");
            if t.is_empty() {
                return Err(format!(
                    "expected a number at \"{}\"",
                    String::from_utf8_lossy(&self.s[begin..])
                ));
            }
            if let Ok(i) = t.parse::<i64>() {
                return Ok(Num::Int(i));
            }
            t.parse::<f64>()
                .map(Num::Float)
                .map_err(|_| format!("expected a number, found \"{t}\""))
        }
    }

    fn arith(a: Num, b: Num, op: char) -> Result<Num, String> {
        if let (Num::Int(x), Num::Int(y)) = (a, b) {
            return match op {
                '+' => Ok(Num::Int(x.wrapping_add(y))),
                '-' => Ok(Num::Int(x.wrapping_sub(y))),
                '*' => Ok(Num::Int(x.wrapping_mul(y))),
                _ if y == 0 => Err("divide by zero".into()),
                _ => {
                    // Tcl rounds the quotient towards −∞; the remainder takes
                    // the divisor's sign.
                    let q = x.div_euclid(y) - if y < 0 && x.rem_euclid(y) != 0 { 1 } else { 0 };
                    Ok(Num::Int(if op == '/' { q } else { x - y * q }))
                }
            };
        }
        let (x, y) = (a.f(), b.f());
        Ok(Num::Float(match op {
            '+' => x + y,
            '-' => x - y,
            '*' => x * y,
            '/' => {
                if y == 0.0 {
                    return Err("divide by zero".into());
                }
                x / y
            }
            _ => x % y,
        }))
    }

    fn function(name: &str, args: &[Num]) -> Result<Num, String> {
        let one = || {
            if args.len() == 1 {
                Ok(args[0])
            } else {
                Err(format!("{name}() takes one argument"))
            }
        };
        Ok(match name {
            "abs" => match one()? {
                Num::Int(i) => Num::Int(i.abs()),
                Num::Float(x) => Num::Float(x.abs()),
            },
            "double" => Num::Float(one()?.f()),
            "int" => Num::Int(one()?.f().trunc() as i64),
            "round" => Num::Int(one()?.f().round() as i64),
            "ceil" => Num::Float(one()?.f().ceil()),
            "floor" => Num::Float(one()?.f().floor()),
            "sqrt" => Num::Float(one()?.f().sqrt()),
            "min" | "max" if !args.is_empty() => {
                let pick = |a: Num, b: Num| {
                    if (name == "min") == (b.f() < a.f()) {
                        b
                    } else {
                        a
                    }
                };
                args[1..].iter().fold(args[0], |a, &b| pick(a, b))
            }
            "pow" if args.len() == 2 => Num::Float(args[0].f().powf(args[1].f())),
            _ => return Err(format!("unknown math function \"{name}\"")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records each command with where its words are.
    struct Echo(Vec<(Vec<Pos>, Vec<String>)>);
    impl Host for Echo {
        fn command(&mut self, _: &mut Interp, words: &[String], at: &[Pos]) -> Result<String> {
            self.0.push((at.to_vec(), words.to_vec()));
            Ok(format_list(&["a[0]".to_string(), "b".to_string()]))
        }
    }

    #[test]
    fn variables_expr_and_substitution() {
        let mut i = Interp::new("t.sdc");
        let mut h = Echo(Vec::new());
        let script = "set period 5\nset f .2\n# comment [ignored]\nset d [expr $period * $f]\ncmd $d {x y[*]} \\\n  [other]\n";
        i.eval(script, Pos::START, &mut h).unwrap();
        // 5 * 0.2 in binary floating point, printed as Tcl prints doubles.
        assert_eq!(i.vars["d"], "1.0");
        assert_eq!(h.0[0].1, vec!["other".to_string()]);
        // `  [other]` on line 6: `other` is in column 4.
        assert_eq!(
            h.0[0].0,
            [Pos { line: 6, col: 4 }],
            "a substitution reports where it is"
        );
        // `cmd $d {x y[*]} \` on line 5, then `[other]` in column 3 of line 6.
        let at = |line, col| Pos { line, col };
        assert_eq!(h.0[1].0, [at(5, 1), at(5, 5), at(5, 8), at(6, 3)]);
        assert_eq!(h.0[1].1, vec!["cmd", "1.0", "x y[*]", "{a[0]} b"]);
        assert_eq!(split_list(&h.0[1].1[3]), vec!["a[0]", "b"]);
    }

    #[test]
    fn a_backslash_before_a_multibyte_character_escapes_all_of_it() {
        // Found by the SDC fuzz target: a backslash before a 2-byte
        // character once left the cursor inside it, and the next slice
        // panicked.
        let mut i = Interp::new("t.sdc");
        let mut h = Echo(Vec::new());
        i.eval("set x \"a\\é\\€b\"\n", Pos::START, &mut h).unwrap();
        assert_eq!(i.vars["x"], "aé€b");
        let e = i
            .eval("set y [expr {0.\\à + 1}]\n", Pos::START, &mut h)
            .unwrap_err();
        assert!(e.to_string().starts_with("t.sdc:1:"), "{e}");
    }

    #[test]
    fn tcl_integer_arithmetic() {
        assert_eq!(expr::eval("7 / 2").unwrap(), expr::Num::Int(3));
        assert_eq!(expr::eval("-7 / 2").unwrap(), expr::Num::Int(-4));
        assert_eq!(expr::eval("7 / 2.0").unwrap(), expr::Num::Float(3.5));
        assert_eq!(
            expr::eval("(1 + 2) * 3 - 1e1").unwrap(),
            expr::Num::Float(-1.0)
        );
        assert_eq!(expr::eval("max(1, 4, 2)").unwrap(), expr::Num::Int(4));
        assert!(expr::eval("1 +").is_err());
        assert!(expr::eval("1 / 0").is_err());
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let mut i = Interp::new("t.sdc");
        let mut h = Echo(Vec::new());
        let mut err = |script: &str| i.eval(script, Pos::START, &mut h).unwrap_err().to_string();
        // The `$` of `$b` is in column 6 of line 3.
        assert_eq!(
            err("set a 1\n\nputs $b\n"),
            "t.sdc:3:6: can't read \"b\": no such variable"
        );
        // The unclosed `{` is in column 7.
        assert_eq!(err("set a {1\n"), "t.sdc:1:7: missing close-brace");
        // The unclosed `[`, after a tab (one column) and a 3-byte `µ`.
        assert_eq!(err("\tset µ [x\n"), "t.sdc:1:8: missing close-bracket");
        // Inside `[...]` on the second line, `$c` is in column 19.
        assert_eq!(
            err("set a 1\nset b [set a; set $c]\n"),
            "t.sdc:2:19: can't read \"c\": no such variable"
        );
        // `expr {...}` errors point at the expression word.
        assert!(err("set a [expr {1 +}]").starts_with("t.sdc:1:13: expr \"1 +\""));
        // Text after a closing brace: the first extra character.
        assert_eq!(
            err("set a {b}c"),
            "t.sdc:1:10: extra characters after close-brace"
        );
        assert_eq!(
            err("  set a b c"),
            "t.sdc:1:3: wrong # args: should be \"set varName ?newValue?\""
        );
    }

    #[test]
    fn lsearch_filters_a_list() {
        let mut i = Interp::new("t");
        let mut h = Echo(Vec::new());
        let r = i
            .eval(
                "lsearch -inline -all -not -exact {clk a b} clk",
                Pos::START,
                &mut h,
            )
            .unwrap();
        assert_eq!(r, "a b");
        assert!(glob_match("req_msg[*]", "req_msg[12]"));
        assert!(!glob_match("req_msg[*]", "req_val"));
        assert!(glob_match("p_?n*", "p_in[3]"));
    }
}
