//! Verilog cell models with specify paths, for simulators that annotate
//! the SDF this crate writes (Icarus Verilog with `-gspecify`).
//!
//! Combinational outputs become `assign`s of the Liberty `function`; simple
//! flip-flops (`ff` with `clocked_on` a pin or its inverse, `next_state`, no
//! clear/preset) an edge-triggered `always`. Every combinational and
//! clock-to-output arc gets a zero-delay specify path for the SDF to fill;
//! with `conditional`, arcs with an `sdf_cond` get a state-dependent path
//! whose condition is the arc's `when`.

use liberty::{Cell, Expr, Library};
use netlist::Netlist;

use crate::arcs::{resolve_cell, ArcRole};
use crate::error::{Error, Result};
use crate::Edge;

/// Models of every cell `netlist` uses, in library order.
pub fn for_netlist(netlist: &Netlist, lib: &Library, conditional: bool) -> Result<String> {
    let mut used = vec![false; lib.cells.len()];
    for inst in &netlist.instances {
        used[inst.cell] = true;
    }
    // 1 fs precision keeps the SDF's six decimals of ns from being rounded.
    let mut out = String::from("`timescale 1ns/1fs\n");
    for (k, cell) in lib.cells.iter().enumerate() {
        if used[k] {
            out += &cell_model(cell, conditional)?;
        }
    }
    Ok(out)
}

/// One cell's module.
pub fn cell_model(cell: &Cell, conditional: bool) -> Result<String> {
    let unsupported = |what: &str| {
        Error::Design(format!(
            "cell {}: {what}; no Verilog model written",
            cell.name
        ))
    };
    let ports: Vec<String> = cell.pins.iter().map(|p| ident(&p.name)).collect();
    let mut s = format!(
        "`celldefine\nmodule {} ({});\n",
        ident(&cell.name),
        ports.join(", ")
    );
    for pin in &cell.pins {
        let dir = match pin.direction {
            liberty::Direction::Input => "input",
            liberty::Direction::Output => "output",
            liberty::Direction::Inout => "inout",
            liberty::Direction::Internal => continue,
        };
        s += &format!("  {dir} {};\n", ident(&pin.name));
    }
    if let Some(seq) = &cell.sequential {
        if seq.kind != liberty::SequentialKind::FlipFlop
            || seq.clear.is_some()
            || seq.preset.is_some()
        {
            return Err(unsupported(
                "only flip-flops without clear/preset are modelled",
            ));
        }
        let (edge, clock) = match &seq.clock {
            Some(Expr::Var(v)) => ("posedge", v),
            Some(Expr::Not(e)) => match e.as_ref() {
                Expr::Var(v) => ("negedge", v),
                _ => return Err(unsupported("clocked_on is not a pin or its inverse")),
            },
            _ => return Err(unsupported("clocked_on is not a pin or its inverse")),
        };
        let data = seq
            .data
            .as_ref()
            .ok_or_else(|| unsupported("ff without next_state"))?;
        let vars: Vec<String> = seq.state_vars.iter().map(|v| ident(v)).collect();
        s += &format!("  reg {};\n", vars.join(", "));
        s += &format!("  always @({edge} {}) begin\n", ident(clock));
        if let Some(q) = vars.first() {
            s += &format!("    {q} <= {};\n", verilog_expr(data));
        }
        if let Some(qn) = vars.get(1) {
            s += &format!("    {qn} <= !({});\n", verilog_expr(data));
        }
        s += "  end\n";
    }
    for pin in &cell.pins {
        if let (liberty::Direction::Output | liberty::Direction::Inout, Some(f)) =
            (pin.direction, &pin.function)
        {
            s += &format!("  assign {} = {};\n", ident(&pin.name), verilog_expr(f));
        }
    }
    let mut warnings = Vec::new();
    let arcs = resolve_cell(cell, &mut warnings);
    let mut paths = Vec::new();
    for arc in &arcs {
        if !matches!(arc.role, ArcRole::Combinational | ArcRole::ClockToQ) {
            continue;
        }
        let lib_arc = arc.lib(cell);
        let from = ident(&cell.pins[arc.from as usize].name);
        let to = ident(&cell.pins[arc.to as usize].name);
        let source = match (arc.role, arc.clock_edge) {
            (ArcRole::ClockToQ, Edge::Rise) => format!("posedge {from}"),
            (ArcRole::ClockToQ, Edge::Fall) => format!("negedge {from}"),
            _ => from,
        };
        let path = format!("({source} => {to}) = (0, 0);");
        let line = match (&lib_arc.when, &lib_arc.sdf_cond, conditional) {
            (Some(when), Some(_), true) => format!("    if ({}) {path}\n", verilog_expr(when)),
            _ => format!("    {path}\n"),
        };
        if !paths.contains(&line) {
            paths.push(line);
        }
    }
    if !paths.is_empty() {
        s += "  specify\n";
        for p in paths {
            s += &p;
        }
        s += "  endspecify\n";
    }
    s += "endmodule\n`endcelldefine\n\n";
    Ok(s)
}

/// A Liberty expression in Verilog syntax.
pub fn verilog_expr(e: &Expr) -> String {
    match e {
        Expr::Const(b) => if *b { "1'b1" } else { "1'b0" }.to_string(),
        Expr::Var(v) => ident(v),
        Expr::Not(a) => format!("!{}", verilog_expr(a)),
        Expr::And(a, b) => format!("({} & {})", verilog_expr(a), verilog_expr(b)),
        Expr::Or(a, b) => format!("({} | {})", verilog_expr(a), verilog_expr(b)),
        Expr::Xor(a, b) => format!("({} ^ {})", verilog_expr(a), verilog_expr(b)),
    }
}

/// A Verilog identifier, escaped when it is not a simple one.
pub fn ident(name: &str) -> String {
    let simple = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if simple {
        name.to_string()
    } else {
        format!("\\{name} ")
    }
}
