//! Connection and assign operands: names, selects, concatenations,
//! replications and constants. Any operator is behavioural and rejected.

use super::lex::{expect_sym, expected, fail, ident, opt_sym, ws, PResult};
use super::number::{constant, decimal_u64, index, MAX_WIDTH};
use crate::Expr;

/// Characters that start an operator; seeing one where an operand ended
/// means the text is an expression, not a connection.
const OPERATOR_CHARS: &str = "+-*/%&|^~!<>=?";

/// The "not a structural netlist" message for an operator at `i`.
pub(crate) fn operator_error<T>(i: &str) -> PResult<'_, T> {
    let op: String = i
        .chars()
        .take_while(|c| OPERATOR_CHARS.contains(*c))
        .take(3)
        .collect();
    fail(
        i,
        format!("not a structural netlist: expression with operator `{op}`"),
    )
}

/// After whitespace, consume one of `delims` and say which; an operator
/// there is reported as behavioural code.
pub(crate) fn expect_delim<'a>(i: &'a str, delims: &[&'static str]) -> PResult<'a, &'static str> {
    let (i, ()) = ws(i)?;
    for d in delims {
        if let Some(rest) = i.strip_prefix(d) {
            return Ok((rest, d));
        }
    }
    if i.starts_with(|c| OPERATOR_CHARS.contains(c)) {
        return operator_error(i);
    }
    let list: Vec<String> = delims.iter().map(|d| format!("`{d}`")).collect();
    expected(i, &list.join(" or "))
}

/// Deepest nesting of concatenations accepted; bounds recursion on
/// hostile input so it cannot overflow the stack.
const MAX_NESTING: usize = 64;

/// One operand, after whitespace.
pub(crate) fn expr(i: &str) -> PResult<'_, Expr> {
    nested_expr(i, 0)
}

/// An operand inside `depth` enclosing concatenations.
fn nested_expr(i: &str, depth: usize) -> PResult<'_, Expr> {
    let (i, ()) = ws(i)?;
    let Some(c) = i.chars().next() else {
        return expected(i, "an expression");
    };
    match c {
        '{' if depth >= MAX_NESTING => fail(i, "concatenations nested too deeply"),
        '{' => concat(i, depth + 1),
        '\'' | '0'..='9' => constant(i),
        '\\' | 'a'..='z' | 'A'..='Z' | '_' => selected_name(i),
        '(' => fail(i, "not a structural netlist: parenthesised expression"),
        '"' => fail(i, "not a structural netlist: string operand"),
        '$' => fail(i, "not a structural netlist: system function call"),
        c if OPERATOR_CHARS.contains(c) => operator_error(i),
        _ => expected(i, "an expression"),
    }
}

/// `name`, `name[i]` or `name[msb:lsb]`.
fn selected_name(i: &str) -> PResult<'_, Expr> {
    let (i, name) = ident(i)?;
    let (after_ws, ()) = ws(i)?;
    if after_ws.starts_with('(') {
        return fail(after_ws, "not a structural netlist: function call");
    }
    let Some(sel) = after_ws.strip_prefix('[') else {
        return Ok((i, Expr::Name(name.to_string())));
    };
    let (sel, first) = index(sel)?;
    let (sel, delim) = expect_delim(sel, &["]", "+:", "-:", ":"])?;
    let out = match delim {
        "]" => (sel, Expr::BitSelect(name.to_string(), first)),
        ":" => {
            let (sel, second) = index(sel)?;
            let (sel, ()) = expect_sym(sel, "]")?;
            (sel, Expr::PartSelect(name.to_string(), first, second))
        }
        _ => {
            return fail(
                after_ws,
                "indexed part-selects (`+:`, `-:`) are not supported",
            )
        }
    };
    let (next, ()) = ws(out.0)?;
    if next.starts_with('[') {
        return fail(next, "multi-dimensional selects are not supported");
    }
    Ok(out)
}

/// `{a, b, ...}` or a replication `{n{a, ...}}`.
fn concat(i: &str, depth: usize) -> PResult<'_, Expr> {
    let (inner, ()) = expect_sym(i, "{")?;
    let (inner, ()) = ws(inner)?;
    if inner.starts_with(|c: char| c.is_ascii_digit()) {
        let (after_count, count) = decimal_u64(inner)?;
        let (brace, ()) = ws(after_count)?;
        if brace.starts_with('{') {
            let (rest, items) = items(brace, depth)?;
            let (rest, ()) = expect_sym(rest, "}")?;
            if count == 0 || count.saturating_mul(items.len() as u64) > MAX_WIDTH {
                return fail(inner, format!("replication count {count} is out of range"));
            }
            let mut all = Vec::with_capacity(count as usize * items.len());
            for _ in 0..count {
                all.extend(items.iter().cloned());
            }
            return Ok((rest, Expr::Concat(all)));
        }
    }
    let (rest, parts) = items(i, depth)?;
    Ok((rest, Expr::Concat(parts)))
}

/// `{ expr, expr, ... }`: the operands in written order.
fn items(i: &str, depth: usize) -> PResult<'_, Vec<Expr>> {
    let (mut i, ()) = expect_sym(i, "{")?;
    let mut parts = Vec::new();
    loop {
        let (rest, e) = nested_expr(i, depth)?;
        parts.push(e);
        let (rest, d) = expect_delim(rest, &[",", "}"])?;
        i = rest;
        if d == "}" {
            return Ok((i, parts));
        }
    }
}

/// An optional `[msb:lsb]` declaration range after whitespace.
/// A range wider than [`MAX_WIDTH`] bits is an error.
pub(crate) fn opt_range(i: &str) -> PResult<'_, Option<(i64, i64)>> {
    let (start, ()) = ws(i)?;
    let (i, open) = opt_sym(start, "[")?;
    if !open {
        return Ok((i, None));
    }
    let (i, msb) = index(i)?;
    let (i, ()) = expect_sym(i, ":")?;
    let (i, lsb) = index(i)?;
    let (i, ()) = expect_sym(i, "]")?;
    let width = msb.abs_diff(lsb).saturating_add(1);
    if width > MAX_WIDTH {
        return fail(
            start,
            format!("range [{msb}:{lsb}] is {width} bits wide, more than the {MAX_WIDTH} allowed"),
        );
    }
    Ok((i, Some((msb, lsb))))
}
