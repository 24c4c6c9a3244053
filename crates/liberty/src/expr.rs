//! Liberty Boolean expressions (`function`, `when`, `clocked_on`, ...).
//!
//! Grammar (loosest first): `|`/`+` (or), `^` (xor), `&`/`*`/juxtaposition
//! (and), prefix `!` and postfix `'` (not), parentheses, constants 0/1 and pin
//! names (which may carry a bus index like `A[3]`).

/// A parsed Boolean expression over pin (or state-variable) names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    Const(bool),
    Var(String),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Xor(Box<Expr>, Box<Expr>),
}

impl Expr {
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
                vars.iter().position(|x| *x == name).is_some_and(|k| row >> k & 1 == 1)
            });
            if v {
                bits[row / 64] |= 1 << (row % 64);
            }
        }
        bits
    }
}
