//! Instance statements: `cell [#(...)] name (connections), ... ;`.

use super::expr::{expect_delim, expr};
use super::lex::{expect_ident, expect_sym, expected, fail, ident, skip_parens, ws, PResult};
use super::Ctx;
use crate::{Connections, Expr, Instance, Module, Pos};

/// `cell [#(...)] name (conns) [, name (conns)] ;`.
pub(super) fn instances<'a>(ctx: &Ctx<'a>, i: &'a str, m: &mut Module) -> PResult<'a, ()> {
    let statement_at = ctx.pos(i);
    let (i, cell) = ident(i)?;
    let (i, ()) = ws(i)?;
    // Parameter overrides belong to the cell's definition, which the
    // netlist crate binds by name; they do not change connectivity.
    let mut i = if let Some(rest) = i.strip_prefix('#') {
        skip_parens(rest)?.0
    } else {
        i
    };
    let mut first = true;
    loop {
        let (rest, ()) = ws(i)?;
        // The first instance is where its statement (the cell name) starts.
        let inst_at = if first { statement_at } else { ctx.pos(rest) };
        first = false;
        let name_at = rest;
        let (rest, name) = match ident(rest) {
            Ok(ok) => ok,
            Err(nom::Err::Error(_)) if rest.starts_with('(') => {
                return fail(rest, format!("expected an instance name for `{cell}`"))
            }
            Err(nom::Err::Error(_)) => {
                return expected(rest, &format!("an instance name for `{cell}`"))
            }
            Err(e) => return Err(e),
        };
        ctx.instance_name(name_at, name)?;
        let (rest, ()) = ws(rest)?;
        if rest.starts_with('[') {
            return fail(rest, "instance arrays are not supported");
        }
        let mut connection_pos = Vec::new();
        let (rest, connections) = connections(ctx, rest, &mut connection_pos)?;
        m.instances.push(Instance {
            cell: cell.to_string(),
            name: name.to_string(),
            connections,
            line: inst_at.line,
            col: inst_at.col,
            connection_pos,
        });
        let (rest, d) = expect_delim(rest, &[",", ";"])?;
        i = rest;
        if d == ";" {
            return Ok((i, ()));
        }
    }
}

/// `( .A(x), .B() )` or `( x, , y )`; the position of each connection
/// goes to `at`.
fn connections<'a>(ctx: &Ctx<'a>, i: &'a str, at: &mut Vec<Pos>) -> PResult<'a, Connections> {
    let (i, ()) = expect_sym(i, "(")?;
    let (i, ()) = ws(i)?;
    if let Some(rest) = i.strip_prefix(')') {
        return Ok((rest, Connections::Positional(Vec::new())));
    }
    if i.starts_with('.') {
        return named_connections(ctx, i, at);
    }
    let mut list = Vec::new();
    let mut i = i;
    loop {
        let (rest, ()) = ws(i)?;
        if rest.starts_with('.') {
            return fail(rest, "cannot mix positional and named connections");
        }
        at.push(ctx.pos(rest));
        let (rest, e) = if rest.starts_with([',', ')']) {
            (rest, Expr::Unconnected)
        } else {
            expr(rest)?
        };
        list.push(e);
        let (rest, d) = expect_delim(rest, &[",", ")"])?;
        i = rest;
        if d == ")" {
            return Ok((i, Connections::Positional(list)));
        }
    }
}

/// Named connections from the first `.` to the closing `)`; the position
/// of each pin name goes to `at`.
fn named_connections<'a>(
    ctx: &Ctx<'a>,
    mut i: &'a str,
    at: &mut Vec<Pos>,
) -> PResult<'a, Connections> {
    let mut list = Vec::new();
    loop {
        let (rest, ()) = ws(i)?;
        let Some(rest) = rest.strip_prefix('.') else {
            if rest.starts_with(|c: char| c.is_alphanumeric() || c == '\\' || c == '{') {
                return fail(rest, "cannot mix positional and named connections");
            }
            return expected(rest, "`.` and a pin name");
        };
        let (rest, ()) = ws(rest)?;
        at.push(ctx.pos(rest));
        let (rest, pin) = expect_ident(rest, "a pin name")?;
        let (rest, ()) = expect_sym(rest, "(")?;
        let (after, ()) = ws(rest)?;
        let (rest, e) = if after.starts_with(')') {
            (after, Expr::Unconnected)
        } else {
            expr(after)?
        };
        let (rest, _) = expect_delim(rest, &[")"])?;
        list.push((pin.to_string(), e));
        let (rest, d) = expect_delim(rest, &[",", ")"])?;
        i = rest;
        if d == ")" {
            return Ok((i, Connections::Named(list)));
        }
    }
}
