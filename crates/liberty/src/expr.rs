//! Liberty Boolean expressions (`function`, `when`, `clocked_on`, ...).
//!
//! Grammar (loosest first): `|`/`+` (or), `^` (xor), `&`/`*`/juxtaposition
//! (and), prefix `!` and postfix `'` (not), parentheses, constants 0/1 and pin
//! names (which may carry a bus index like `A[3]`).
//!
//! Code builds trees with [`Expr::var`], [`Expr::Const`] and the operators
//! `!`, `&`, `^`, `|`: Rust ranks them as Liberty does, and chains group to
//! the left as they parse, so `!a & b ^ c | d` is the tree of `!A & B ^ C | D`.

/// A parsed Boolean expression over pin (or state-variable) names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// The constant 0 or 1.
    Const(bool),
    /// A pin or state-variable name.
    Var(String),
    /// Complement (`!A` or `A'`).
    Not(Box<Expr>),
    /// Conjunction (`&`, `*` or juxtaposition).
    And(Box<Expr>, Box<Expr>),
    /// Disjunction (`|` or `+`).
    Or(Box<Expr>, Box<Expr>),
    /// Exclusive or (`^`).
    Xor(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// The variable (pin or state-variable name) `name`.
    pub fn var(name: impl Into<String>) -> Expr {
        Expr::Var(name.into())
    }

    /// Parse a Liberty Boolean expression.
    ///
    /// The error says what was expected and at which character (1-based).
    pub fn parse(text: &str) -> Result<Expr, String> {
        parse_at(text).map_err(|(pos, msg)| {
            let column = text[..pos].chars().count() + 1;
            format!("{msg} (at character {column} of \"{text}\")")
        })
    }

    /// Evaluate with a value for each variable.
    pub fn eval(&self, value_of: &impl Fn(&str) -> bool) -> bool {
        match self {
            Expr::Const(b) => *b,
            Expr::Var(v) => value_of(v),
            Expr::Not(e) => !e.eval(value_of),
            Expr::And(a, b) => a.eval(value_of) && b.eval(value_of),
            Expr::Or(a, b) => a.eval(value_of) || b.eval(value_of),
            Expr::Xor(a, b) => a.eval(value_of) ^ b.eval(value_of),
        }
    }

    /// Names of the variables it reads, each once, in first-seen order.
    pub fn vars(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_vars(&mut out);
        out
    }

    fn collect_vars<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Const(_) => {}
            Expr::Var(v) => {
                if !out.contains(&v.as_str()) {
                    out.push(v)
                }
            }
            Expr::Not(e) => e.collect_vars(out),
            Expr::And(a, b) | Expr::Or(a, b) | Expr::Xor(a, b) => {
                a.collect_vars(out);
                b.collect_vars(out);
            }
        }
    }

    /// Truth table over `vars` (variable `k` is bit `k` of the row index):
    /// bit `row` of the result is the value for that row. Variables not in
    /// `vars` read as false. At most 16 variables.
    pub fn truth_table(&self, vars: &[&str]) -> Vec<u64> {
        assert!(vars.len() <= 16, "truth tables are limited to 16 variables");
        let rows = 1usize << vars.len();
        let mut bits = vec![0u64; rows.div_ceil(64)];
        for row in 0..rows {
            let v = self.eval(&|name: &str| {
                vars.iter()
                    .position(|x| *x == name)
                    .is_some_and(|k| row >> k & 1 == 1)
            });
            if v {
                bits[row / 64] |= 1 << (row % 64);
            }
        }
        bits
    }
}

/// `!e` is [`Expr::Not`].
impl std::ops::Not for Expr {
    type Output = Expr;
    fn not(self) -> Expr {
        Expr::Not(Box::new(self))
    }
}

/// `impl $trait for Expr`: `a $symbol b` is `Expr::$variant(a, b)`.
macro_rules! binary_operator {
    ($($trait:ident::$method:ident($symbol:literal) => $variant:ident),*) => {$(
        #[doc = concat!("`a ", $symbol, " b` is [`Expr::", stringify!($variant), "`].")]
        impl std::ops::$trait for Expr {
            type Output = Expr;
            fn $method(self, rhs: Expr) -> Expr {
                Expr::$variant(Box::new(self), Box::new(rhs))
            }
        }
    )*};
}
binary_operator!(
    BitAnd::bitand("&") => And,
    BitXor::bitxor("^") => Xor,
    BitOr::bitor("|") => Or
);

/// Parse, reporting an error as (byte offset into `text`, what was expected).
pub(crate) fn parse_at(text: &str) -> Result<Expr, (usize, String)> {
    let mut p = ExprParser {
        text,
        pos: 0,
        operators: 0,
    };
    p.skip_blanks();
    if p.pos == text.len() {
        return Err((0, "expected a Boolean expression, found nothing".into()));
    }
    let e = p.or(0)?;
    p.skip_blanks();
    match p.peek() {
        None => Ok(e),
        Some(')') => Err((p.pos, "unbalanced `)`: no `(` opens it".into())),
        Some(c) => Err((
            p.pos,
            format!("expected an operator or the end, found `{c}`"),
        )),
    }
}

/// Recursive descent over the expression text; binding strength rises from
/// `or` to `xor` to `and` to the unary operators.
struct ExprParser<'a> {
    text: &'a str,
    pos: usize,
    /// Binary operators read so far (see [`MAX_OPERATORS`]).
    operators: usize,
}

/// Most binary operators in one expression: trees are dropped and evaluated
/// recursively, so an absurdly long chain must be refused, not overflow the stack.
const MAX_OPERATORS: usize = 2000;

/// Characters of a pin or state-variable name (bus indices are handled apart).
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '$')
}

/// Deepest parenthesis/negation nesting; keeps hostile input off the stack limit.
const MAX_NESTING: usize = 200;

impl ExprParser<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn count_operator(&mut self) -> Result<(), (usize, String)> {
        self.operators += 1;
        if self.operators > MAX_OPERATORS {
            return Err((
                self.pos,
                format!("expression longer than {MAX_OPERATORS} operators"),
            ));
        }
        Ok(())
    }

    fn skip_blanks(&mut self) {
        let rest = &self.text[self.pos..];
        // Backslashes appear where long expressions were continued in the file.
        let trimmed = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '\\');
        self.pos += rest.len() - trimmed.len();
    }

    fn or(&mut self, depth: usize) -> Result<Expr, (usize, String)> {
        let mut e = self.xor(depth)?;
        loop {
            self.skip_blanks();
            match self.peek() {
                Some('|' | '+') => {
                    self.count_operator()?;
                    self.pos += 1;
                    e = Expr::Or(Box::new(e), Box::new(self.xor(depth)?));
                }
                _ => return Ok(e),
            }
        }
    }

    fn xor(&mut self, depth: usize) -> Result<Expr, (usize, String)> {
        let mut e = self.and(depth)?;
        loop {
            self.skip_blanks();
            match self.peek() {
                Some('^') => {
                    self.count_operator()?;
                    self.pos += 1;
                    e = Expr::Xor(Box::new(e), Box::new(self.and(depth)?));
                }
                _ => return Ok(e),
            }
        }
    }

    fn and(&mut self, depth: usize) -> Result<Expr, (usize, String)> {
        let mut e = self.unary(depth)?;
        loop {
            self.skip_blanks();
            match self.peek() {
                Some('&' | '*') => self.pos += 1,
                // Juxtaposition: `A B` means `A & B`.
                Some(c) if c == '(' || c == '!' || is_name_char(c) => {}
                _ => return Ok(e),
            }
            self.count_operator()?;
            e = Expr::And(Box::new(e), Box::new(self.unary(depth)?));
        }
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, (usize, String)> {
        if depth > MAX_NESTING {
            return Err((
                self.pos,
                format!("expression nested deeper than {MAX_NESTING} levels"),
            ));
        }
        self.skip_blanks();
        let start = self.pos;
        let mut e = match self.peek() {
            Some('!') => {
                self.pos += 1;
                return Ok(Expr::Not(Box::new(self.unary(depth + 1)?)));
            }
            Some('(') => {
                self.pos += 1;
                let inner = self.or(depth + 1)?;
                self.skip_blanks();
                if self.peek() != Some(')') {
                    return Err((
                        self.pos,
                        format!("expected `)` to close the `(` at character {}", start + 1),
                    ));
                }
                self.pos += 1;
                inner
            }
            Some(c) if is_name_char(c) => self.operand()?,
            Some(c) => {
                return Err((
                    self.pos,
                    format!("expected a pin name, 0, 1, `!` or `(`, found `{c}`"),
                ))
            }
            None => {
                return Err((
                    self.pos,
                    "expected a pin name, 0, 1, `!` or `(`, found the end".into(),
                ))
            }
        };
        // Postfix complement binds tightest, and may repeat.
        loop {
            self.skip_blanks();
            if self.peek() == Some('\'') {
                self.pos += 1;
                e = Expr::Not(Box::new(e));
            } else {
                return Ok(e);
            }
        }
    }

    /// A name (with an optional `[index]` or `[from:to]`) or a constant.
    fn operand(&mut self) -> Result<Expr, (usize, String)> {
        let start = self.pos;
        let rest = &self.text[start..];
        let len = rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len());
        self.pos += len;
        if self.peek() == Some('[') {
            let close = self.text[self.pos..]
                .find(']')
                .ok_or((self.pos, "expected `]` to close the bus index".to_string()))?;
            let index = &self.text[self.pos + 1..self.pos + close];
            if index.is_empty() || !index.chars().all(|c| c.is_ascii_digit() || c == ':') {
                return Err((
                    self.pos + 1,
                    format!("expected a bus index like [3], found `[{index}]`"),
                ));
            }
            self.pos += close + 1;
        }
        let word = &self.text[start..self.pos];
        match word {
            "0" => Ok(Expr::Const(false)),
            "1" => Ok(Expr::Const(true)),
            _ if word.starts_with(|c: char| c.is_ascii_digit()) => Err((
                start,
                format!("expected a pin name or the constant 0 or 1, found `{word}`"),
            )),
            _ => Ok(Expr::Var(word.to_string())),
        }
    }
}

impl std::fmt::Display for Expr {
    /// Liberty syntax (`!`, `&`, `^`, `|`) with only the parentheses precedence needs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fn prec(e: &Expr) -> u8 {
            match e {
                Expr::Or(..) => 1,
                Expr::Xor(..) => 2,
                Expr::And(..) => 3,
                _ => 4,
            }
        }
        fn side(f: &mut std::fmt::Formatter<'_>, e: &Expr, min: u8) -> std::fmt::Result {
            if prec(e) < min {
                write!(f, "({e})")
            } else {
                write!(f, "{e}")
            }
        }
        match self {
            Expr::Const(b) => write!(f, "{}", u8::from(*b)),
            Expr::Var(v) => f.write_str(v),
            Expr::Not(e) => {
                f.write_str("!")?;
                side(f, e, 4)
            }
            Expr::And(a, b) | Expr::Xor(a, b) | Expr::Or(a, b) => {
                let (p, op) = (prec(self), [" | ", " ^ ", " & "][prec(self) as usize - 1]);
                side(f, a, p)?;
                f.write_str(op)?;
                // Right operands of equal precedence keep their parentheses so
                // the printed form re-parses to the same tree.
                side(f, b, p + 1)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_not_and_xor_or() {
        let [a, b, c, d] = ["A", "B", "C", "D"].map(Expr::var);
        // `!A & B ^ C | D` groups as ((!A & B) ^ C) | D.
        let e = Expr::parse("!A & B ^ C | D").unwrap();
        let not_a = Expr::Not(Box::new(a.clone()));
        let and = Expr::And(Box::new(not_a), Box::new(b.clone()));
        let xor = Expr::Xor(Box::new(and), Box::new(c.clone()));
        assert_eq!(e, Expr::Or(Box::new(xor), Box::new(d.clone())));
        // The operators build the same tree.
        assert_eq!(e, ((!a.clone() & b.clone()) ^ c.clone()) | d.clone());
        assert_eq!(e, !a.clone() & b.clone() ^ c.clone() | d.clone());
        // `+` and `*` are OR and AND; juxtaposition is AND; `'` complements.
        assert_eq!(Expr::parse("A B' + C*D").unwrap(), (a & !b) | (c & d));
        assert_eq!(
            Expr::parse("(A1 | A2)'").unwrap(),
            !(Expr::var("A1") | Expr::var("A2"))
        );
        assert_eq!(
            Expr::parse(" D[3] & 1 ").unwrap(),
            Expr::var("D[3]") & Expr::Const(true)
        );
    }

    #[test]
    fn errors_say_where() {
        let e = parse_at("A & (B | C").unwrap_err();
        assert_eq!(e.0, 10, "{e:?}");
        assert!(e.1.contains("expected `)`"));
        assert_eq!(parse_at("A & & B").unwrap_err().0, 4);
        assert_eq!(parse_at("A )").unwrap_err().0, 2);
        assert!(Expr::parse("").is_err());
        assert!(Expr::parse(&"(".repeat(10_000)).is_err());
    }

    #[test]
    fn display_round_trips() {
        for s in [
            "!(A & B) | C ^ D",
            "A ^ (B ^ C)",
            "!!A",
            "(A | B) & (C | !D)",
            "0 | 1",
        ] {
            let e = Expr::parse(s).unwrap();
            assert_eq!(
                Expr::parse(&e.to_string()).unwrap(),
                e,
                "{s} printed as {e}"
            );
        }
    }
}
