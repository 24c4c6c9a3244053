//! `module ... endmodule`: header, port list and module items.

use super::expr::{expect_delim, expr, opt_range};
use super::instance::instances;
use super::lex::{
    expect_ident, expect_sym, expected, fail, ident, opt_sym, peek_keyword, skip_parens,
    skip_token, ws, PResult,
};
use super::Ctx;
use crate::{Assign, Decl, DeclKind, Expr, Module};

/// Keywords that only occur in behavioural code, with how to name them.
const BEHAVIOURAL: &[(&str, &str)] = &[
    ("always", "`always` block"),
    ("always_comb", "`always_comb` block"),
    ("always_ff", "`always_ff` block"),
    ("always_latch", "`always_latch` block"),
    ("initial", "`initial` block"),
    ("final", "`final` block"),
    ("function", "function"),
    ("task", "task"),
    ("generate", "`generate` region"),
    ("genvar", "`genvar` declaration"),
    ("for", "`for` loop"),
    ("if", "`if` statement"),
    ("case", "`case` statement"),
    ("begin", "`begin` block"),
    ("reg", "`reg` declaration"),
    ("logic", "`logic` declaration"),
    ("integer", "`integer` declaration"),
    ("real", "`real` declaration"),
    ("realtime", "`realtime` declaration"),
    ("time", "`time` declaration"),
    ("event", "`event` declaration"),
];

/// Structural constructs this reader does not model, with a reason.
const UNSUPPORTED: &[(&str, &str)] = &[
    (
        "supply0",
        "`supply0` nets are not supported (tie to a constant instead)",
    ),
    (
        "supply1",
        "`supply1` nets are not supported (tie to a constant instead)",
    ),
    ("tri", "`tri` nets are not supported; declare a `wire`"),
    ("tri0", "`tri0` nets are not supported"),
    ("tri1", "`tri1` nets are not supported"),
    ("triand", "`triand` nets are not supported"),
    ("trior", "`trior` nets are not supported"),
    ("wand", "`wand` nets are not supported"),
    ("wor", "`wor` nets are not supported"),
    ("trireg", "`trireg` nets are not supported"),
    ("uwire", "`uwire` nets are not supported; declare a `wire`"),
];

/// Verilog's built-in gate primitives: structural, but not cells of a
/// library, so they are refused rather than bound to nothing.
const GATE_PRIMITIVES: &[&str] = &[
    "and", "nand", "or", "nor", "xor", "xnor", "buf", "not", "bufif0", "bufif1", "notif0",
    "notif1", "pullup", "pulldown", "nmos", "pmos", "cmos", "rnmos", "rpmos", "rcmos", "tran",
    "rtran", "tranif0", "tranif1", "rtranif0", "rtranif1",
];

/// A whole module; `i` is at its first token.
pub(super) fn module<'a>(ctx: &Ctx<'a>, i: &'a str) -> PResult<'a, Module> {
    let start = i;
    match peek_keyword(i) {
        Some("module" | "macromodule") => {}
        Some("primitive") => return fail(i, "not a structural netlist: user-defined primitive"),
        _ => return expected(i, "`module`"),
    }
    let (i, _) = ident(i)?;
    let (i, name) = expect_ident(i, "a module name")?;
    ctx.start_module();
    let at = ctx.pos(start);
    let mut m = Module {
        name: name.to_string(),
        ports: Vec::new(),
        decls: Vec::new(),
        instances: Vec::new(),
        assigns: Vec::new(),
        line: at.line,
        col: at.col,
    };
    let (i, ()) = ws(i)?;
    // Parameter declarations in the header carry nothing structural.
    let i = if let Some(rest) = i.strip_prefix('#') {
        skip_parens(rest)?.0
    } else {
        i
    };
    let (i, has_ports) = opt_sym(i, "(")?;
    let i = if has_ports {
        port_list(ctx, i, &mut m)?.0
    } else {
        i
    };
    let (mut i, ()) = expect_sym(i, ";")?;
    loop {
        let (rest, ()) = ws(i)?;
        if rest.is_empty() {
            return fail(
                rest,
                format!(
                    "expected `endmodule` before end of file (module `{}` opened at line {})",
                    m.name, m.line
                ),
            );
        }
        if peek_keyword(rest) == Some("endmodule") {
            let (rest, _) = ident(rest)?;
            return Ok((rest, m));
        }
        i = item(ctx, rest, &mut m)?.0;
    }
}

/// The port list after `(`, up to and including `)`.
fn port_list<'a>(ctx: &Ctx<'a>, i: &'a str, m: &mut Module) -> PResult<'a, ()> {
    let (i, ()) = ws(i)?;
    if let Some(rest) = i.strip_prefix(')') {
        return Ok((rest, ()));
    }
    if matches!(peek_keyword(i), Some("input" | "output" | "inout")) {
        return ansi_ports(ctx, i, m);
    }
    let mut i = i;
    loop {
        let (rest, ()) = ws(i)?;
        if rest.starts_with(['.', '{']) {
            return fail(
                rest,
                "port expressions in a module header are not supported",
            );
        }
        let (rest, name) = expect_ident(rest, "a port name")?;
        let (after, ()) = ws(rest)?;
        if after.starts_with('[') {
            return fail(
                after,
                "port expressions in a module header are not supported",
            );
        }
        m.ports.push(name.to_string());
        let (rest, d) = expect_delim(rest, &[",", ")"])?;
        i = rest;
        if d == ")" {
            return Ok((i, ()));
        }
    }
}

/// An ANSI port list (`input wire [3:0] a, b, output y)`), from the first
/// direction keyword to the closing `)`.
fn ansi_ports<'a>(ctx: &Ctx<'a>, mut i: &'a str, m: &mut Module) -> PResult<'a, ()> {
    let mut current: Option<(DeclKind, Option<(i64, i64)>)> = None;
    loop {
        let (rest, ()) = ws(i)?;
        let (rest, kind, range) = match direction(peek_keyword(rest)) {
            Some(kind) => {
                let (rest, _) = ident(rest)?;
                let (rest, range) = net_type_and_range(rest)?;
                (rest, kind, range)
            }
            // A bare name continues the previous declaration.
            None => match current {
                Some((kind, range)) => (rest, kind, range),
                None => return expected(rest, "`input`, `output` or `inout`"),
            },
        };
        current = Some((kind, range));
        let (rest, ()) = ws(rest)?;
        let at = ctx.pos(rest);
        let port_at = rest;
        let (rest, name) = expect_ident(rest, "a port name")?;
        ctx.decl_name(port_at, name, kind)?;
        m.ports.push(name.to_string());
        m.decls.push(Decl {
            kind,
            name: name.to_string(),
            range,
            line: at.line,
            col: at.col,
        });
        let (rest, d) = expect_delim(rest, &[",", ")"])?;
        i = rest;
        if d == ")" {
            return Ok((i, ()));
        }
    }
}

fn direction(word: Option<&str>) -> Option<DeclKind> {
    match word? {
        "input" => Some(DeclKind::Input),
        "output" => Some(DeclKind::Output),
        "inout" => Some(DeclKind::Inout),
        _ => None,
    }
}

/// After a direction: optional `wire`, optional `signed`, optional range.
/// `reg` and other variable types make it behavioural.
fn net_type_and_range(i: &str) -> PResult<'_, Option<(i64, i64)>> {
    let (mut i, ()) = ws(i)?;
    if peek_keyword(i) == Some("wire") {
        i = ws(ident(i)?.0)?.0;
    }
    if let Some(word) = peek_keyword(i) {
        if let Some((_, what)) = BEHAVIOURAL.iter().find(|(k, _)| *k == word) {
            return fail(i, format!("not a structural netlist: {what}"));
        }
        if let Some((_, why)) = UNSUPPORTED.iter().find(|(k, _)| *k == word) {
            return fail(i, *why);
        }
    }
    if matches!(peek_keyword(i), Some("signed" | "unsigned")) {
        i = ident(i)?.0;
    }
    opt_range(i)
}

/// One module item; `i` is at its first token.
fn item<'a>(ctx: &Ctx<'a>, i: &'a str, m: &mut Module) -> PResult<'a, ()> {
    let Some(word) = peek_keyword(i) else {
        if i.starts_with('\\') {
            return instances(ctx, i, m);
        }
        return expected(i, "a declaration, `assign`, an instance or `endmodule`");
    };
    if let Some(kind) = direction(Some(word)) {
        let (rest, _) = ident(i)?;
        return declaration(ctx, rest, kind, m);
    }
    if let Some((_, what)) = BEHAVIOURAL.iter().find(|(k, _)| *k == word) {
        return fail(i, format!("not a structural netlist: {what}"));
    }
    if let Some((_, why)) = UNSUPPORTED.iter().find(|(k, _)| *k == word) {
        return fail(i, *why);
    }
    if GATE_PRIMITIVES.contains(&word) {
        return fail(
            i,
            format!("built-in gate primitive `{word}` is not supported; use library cells"),
        );
    }
    match word {
        "wire" => {
            let (rest, _) = ident(i)?;
            declaration(ctx, rest, DeclKind::Wire, m)
        }
        "assign" => assign(ctx, i, m),
        "parameter" | "localparam" | "defparam" | "specparam" => skip_statement(i),
        "specify" => skip_specify(i),
        "module" | "macromodule" => fail(
            i,
            format!(
                "expected `endmodule` before the next `module` (module `{}` opened at line {})",
                m.name, m.line
            ),
        ),
        _ => instances(ctx, i, m),
    }
}

/// A declaration after its keyword: `[wire] [signed] [range] a, b = x, c;`.
fn declaration<'a>(ctx: &Ctx<'a>, i: &'a str, kind: DeclKind, m: &mut Module) -> PResult<'a, ()> {
    let (i, range) = if kind == DeclKind::Wire {
        let (i, ()) = ws(i)?;
        let i = if matches!(peek_keyword(i), Some("signed" | "unsigned")) {
            ident(i)?.0
        } else {
            i
        };
        opt_range(i)?
    } else {
        net_type_and_range(i)?
    };
    let mut i = i;
    loop {
        let (rest, ()) = ws(i)?;
        let at = ctx.pos(rest);
        let name_at = rest;
        let (rest, name) = expect_ident(rest, "a net name")?;
        ctx.decl_name(name_at, name, kind)?;
        let (after, ()) = ws(rest)?;
        if after.starts_with('[') {
            return fail(after, "arrays of nets are not supported");
        }
        m.decls.push(Decl {
            kind,
            name: name.to_string(),
            range,
            line: at.line,
            col: at.col,
        });
        let (rest, mut d) = expect_delim(rest, &[",", ";", "="])?;
        let mut rest = rest;
        if d == "=" {
            // `wire y = x;` declares and assigns in one go.
            if kind != DeclKind::Wire {
                return fail(after, "only `wire` declarations may carry an assignment");
            }
            let (r, rhs) = expr(rest)?;
            m.assigns.push(Assign {
                lhs: Expr::Name(name.to_string()),
                rhs,
                line: at.line,
                col: at.col,
            });
            (rest, d) = expect_delim(r, &[",", ";"])?;
        }
        i = rest;
        if d == ";" {
            return Ok((i, ()));
        }
    }
}

/// `assign a = b, c = d;`.
fn assign<'a>(ctx: &Ctx<'a>, i: &'a str, m: &mut Module) -> PResult<'a, ()> {
    let at = ctx.pos(i);
    let (mut i, _) = ident(i)?;
    let (after, ()) = ws(i)?;
    if after.starts_with('#') {
        return fail(after, "not a structural netlist: delayed `assign`");
    }
    if after.starts_with('(') {
        return fail(after, "drive strengths on `assign` are not supported");
    }
    loop {
        let (rest, lhs) = expr(i)?;
        if let Expr::Const(_) | Expr::Fill(_) = lhs {
            return fail(ws(i)?.0, "the left side of `assign` cannot be a constant");
        }
        let (rest, _) = expect_delim(rest, &["="])?;
        let (rest, rhs) = expr(rest)?;
        m.assigns.push(Assign {
            lhs,
            rhs,
            line: at.line,
            col: at.col,
        });
        let (rest, d) = expect_delim(rest, &[",", ";"])?;
        i = rest;
        if d == ";" {
            return Ok((i, ()));
        }
    }
}

/// Skip to and past the next `;` (parameters carry no structure).
fn skip_statement(mut i: &str) -> PResult<'_, ()> {
    loop {
        let (rest, ()) = ws(i)?;
        if let Some(rest) = rest.strip_prefix(';') {
            return Ok((rest, ()));
        }
        if rest.is_empty() {
            return expected(rest, "`;`");
        }
        i = skip_token(rest)?.0;
    }
}

/// Skip `specify ... endspecify` (timing lives in Liberty/SDF, not here).
fn skip_specify(start: &str) -> PResult<'_, ()> {
    let (mut i, _) = ident(start)?;
    loop {
        let (rest, ()) = ws(i)?;
        if rest.is_empty() {
            return fail(start, "`specify` without `endspecify`");
        }
        if peek_keyword(rest) == Some("endspecify") {
            return Ok((ident(rest)?.0, ()));
        }
        i = skip_token(rest)?.0;
    }
}
