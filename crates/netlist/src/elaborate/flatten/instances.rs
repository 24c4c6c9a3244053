//! Instances inside a module: submodules (recursed into, ports bound to
//! the parent's bits) and leaf cells (pins bound to Liberty pins).

use std::collections::HashMap;

use liberty::Direction;
use verilog::{Connections, DeclKind, Expr, Module, Pos};

use super::super::names::{closest, list, show};
use super::{range_width, Flattener, Leaf, NetDecl};
use crate::Result;

impl<'a> Flattener<'a> {
    pub(super) fn submodule(
        &mut self,
        inst: &'a verilog::Instance,
        child: &'a Module,
        name: &str,
        scope: &mut HashMap<&'a str, NetDecl>,
        prefix: &str,
        depth: u16,
    ) -> Result<()> {
        if self.stack.len() >= super::super::MAX_HIERARCHY_DEPTH {
            return Err(self.at(
                inst.pos(),
                format!(
                    "instance `{}` of `{}`: module hierarchy deeper than {} levels (from `{}`)",
                    inst.name,
                    child.name,
                    super::super::MAX_HIERARCHY_DEPTH,
                    self.stack.first().map_or("", |s| s.as_str()),
                ),
            ));
        }
        if self.stack.contains(&child.name) {
            return Err(self.at(
                inst.pos(),
                format!(
                    "recursive instantiation: `{}` instantiates `{}` inside itself ({})",
                    self.stack.last().map_or("", |s| s.as_str()),
                    child.name,
                    self.stack.join(" → ")
                ),
            ));
        }
        // Pair each connection (and where it is) with a child port.
        let pairs: Vec<(&'a str, &'a Expr, Pos)> = match &inst.connections {
            Connections::Named(named) => {
                let mut pairs = Vec::with_capacity(named.len());
                for (k, (port, expr)) in named.iter().enumerate() {
                    let Some(p) = child.ports.iter().find(|p| *p == port) else {
                        let near = closest(port, child.ports.iter().map(|p| p.as_str()), 3);
                        return Err(self.at(
                            inst.conn_pos(k),
                            format!(
                                "instance `{}`: module `{}` has no port `{port}` (closest: {})",
                                inst.name,
                                child.name,
                                list(&near)
                            ),
                        ));
                    };
                    pairs.push((p.as_str(), expr, inst.conn_pos(k)));
                }
                pairs
            }
            Connections::Positional(exprs) => {
                if exprs.len() > child.ports.len() {
                    // Point at the first connection without a port.
                    return Err(self.at(
                        inst.conn_pos(child.ports.len()),
                        format!(
                            "instance `{}`: {} positional connections but module `{}` has {} ports",
                            inst.name,
                            exprs.len(),
                            child.name,
                            child.ports.len()
                        ),
                    ));
                }
                child
                    .ports
                    .iter()
                    .zip(exprs)
                    .enumerate()
                    .map(|(k, (p, e))| (p.as_str(), e, inst.conn_pos(k)))
                    .collect()
            }
        };
        let child_prefix = format!("{name}/");
        let child_depth = depth.saturating_add(1);
        let mut bindings: HashMap<&'a str, Vec<u32>> = HashMap::new();
        for (port, expr, at) in pairs {
            let Some((kind, width)) = port_shape(child, port) else {
                return Err(self.at(
                    child.pos(),
                    format!(
                        "port `{port}` of module `{}` has no input/output declaration",
                        child.name
                    ),
                ));
            };
            let bits = match self.resolve(expr, Some(width), scope, prefix, depth, at)? {
                Some(bits) => bits,
                None => {
                    if kind == DeclKind::Output {
                        continue;
                    }
                    self.warnings.push(format!(
                        "{}:{at}: instance `{}`: input port `{port}` unconnected; read as 0",
                        self.source.file, inst.name
                    ));
                    vec![self.const_bit(false, at); width]
                }
            };
            if bits.len() != width {
                return Err(self.at(
                    at,
                    format!(
                        "width mismatch: instance `{}` port `{port}` of module `{}` has {width} bit(s), connected to `{}` with {}",
                        inst.name,
                        child.name,
                        show(expr),
                        bits.len()
                    ),
                ));
            }
            if bindings.insert(port, bits).is_some() {
                return Err(self.at(
                    at,
                    format!("instance `{}`: port `{port}` connected twice", inst.name),
                ));
            }
        }
        // Unconnected child inputs float; tie them to 0 like an empty connection.
        for port in &child.ports {
            if bindings.contains_key(port.as_str()) {
                continue;
            }
            if let Some((DeclKind::Input, width)) = port_shape(child, port) {
                self.warnings.push(format!(
                    "{}:{}: instance `{}`: input port `{port}` not connected; read as 0",
                    self.source.file,
                    inst.pos(),
                    inst.name
                ));
                let zero = self.const_bit(false, inst.pos());
                bindings.insert(port.as_str(), vec![zero; width]);
            }
        }
        self.module(child, &child_prefix, child_depth, Some(bindings))?;
        Ok(())
    }

    /// True when cell `cell_id` declares a `pg_pin` called `pin` in the
    /// library text (the model lists signal pins only).
    fn is_pg_pin(&mut self, cell_id: usize, pin: &str) -> bool {
        let lib = self.lib;
        let names = self.pg_pins.entry(cell_id).or_insert_with(|| {
            let cell = &lib.cells[cell_id].name;
            lib.ast
                .groups_of("cell")
                .filter(|g| g.name() == cell)
                .flat_map(|g| g.groups_of("pg_pin"))
                .map(|g| g.name().to_string())
                .collect()
        });
        names.iter().any(|n| n == pin)
    }

    pub(super) fn leaf(
        &mut self,
        inst: &'a verilog::Instance,
        cell_id: usize,
        name: String,
        scope: &mut HashMap<&'a str, NetDecl>,
        prefix: &str,
        depth: u16,
    ) -> Result<()> {
        let lib = self.lib;
        let cell = &lib.cells[cell_id];
        let mut pins: Vec<Option<u32>> = vec![None; cell.pins.len()];
        let mut connected = vec![false; cell.pins.len()];
        let mut pin_pos = vec![inst.pos(); cell.pins.len()];
        let pairs: Vec<(usize, &Expr, Pos)> = match &inst.connections {
            Connections::Named(named) => {
                let mut pairs = Vec::with_capacity(named.len());
                for (k, (pin, expr)) in named.iter().enumerate() {
                    match cell.pin_id(pin) {
                        Some(p) => pairs.push((p, expr, inst.conn_pos(k))),
                        // Power pins (VPWR, VGND...) are not signal pins.
                        None if self.is_pg_pin(cell_id, pin) => {}
                        None => {
                            return Err(self.at(
                                inst.conn_pos(k),
                                format!(
                                    "instance `{}`: cell `{}` has no pin `{pin}` (closest: {})",
                                    inst.name,
                                    cell.name,
                                    list(&closest(
                                        pin,
                                        cell.pins.iter().map(|p| p.name.as_str()),
                                        3
                                    ))
                                ),
                            ))
                        }
                    }
                }
                pairs
            }
            Connections::Positional(exprs) => {
                if exprs.len() > cell.pins.len() {
                    // Point at the first connection without a pin.
                    return Err(self.at(
                        inst.conn_pos(cell.pins.len()),
                        format!(
                            "instance `{}`: {} positional connections but cell `{}` has {} signal pins",
                            inst.name,
                            exprs.len(),
                            cell.name,
                            cell.pins.len()
                        ),
                    ));
                }
                exprs
                    .iter()
                    .enumerate()
                    .map(|(k, e)| (k, e, inst.conn_pos(k)))
                    .collect()
            }
        };
        for (p, expr, at) in pairs {
            let pin = &cell.pins[p];
            if std::mem::replace(&mut connected[p], true) {
                return Err(self.at(
                    at,
                    format!(
                        "instance `{}`: pin `{}` connected twice",
                        inst.name, pin.name
                    ),
                ));
            }
            pin_pos[p] = at;
            let Some(bits) = self.resolve(expr, Some(1), scope, prefix, depth, at)? else {
                continue;
            };
            if bits.len() != 1 {
                return Err(self.at(
                    at,
                    format!(
                        "width mismatch: instance `{}` pin `{}` of cell `{}` has 1 bit, connected to `{}` with {}",
                        inst.name,
                        pin.name,
                        cell.name,
                        show(expr),
                        bits.len()
                    ),
                ));
            }
            if pin.direction == Direction::Internal {
                return Err(self.at(
                    at,
                    format!(
                        "instance `{}`: pin `{}` of cell `{}` is internal",
                        inst.name, pin.name, cell.name
                    ),
                ));
            }
            pins[p] = Some(bits[0]);
        }
        for (p, pin) in cell.input_pins() {
            if pins[p].is_none() && pin.direction == Direction::Input {
                self.warnings.push(format!(
                    "{}:{}: instance `{name}` ({}): input pin `{}` unconnected; read as 0",
                    self.source.file, pin_pos[p], cell.name, pin.name
                ));
            }
        }
        self.leaves.push(Leaf {
            name,
            cell: cell_id,
            pins,
            pos: inst.pos(),
            pin_pos,
        });
        Ok(())
    }
}

/// Direction and width of a module port, if it is declared.
fn port_shape(module: &Module, port: &str) -> Option<(DeclKind, usize)> {
    let kind = module
        .decls
        .iter()
        .find(|d| d.name == port && d.kind != DeclKind::Wire)?
        .kind;
    let range = module
        .decls
        .iter()
        .filter(|d| d.name == port)
        .find_map(|d| d.range);
    Some((kind, range_width(range)))
}

/// True when an instance connects no signal at all (tap, fill, decap cells).
pub(super) fn connects_nothing(c: &Connections) -> bool {
    match c {
        Connections::Named(v) => v.iter().all(|(_, e)| *e == Expr::Unconnected),
        Connections::Positional(v) => v.iter().all(|e| *e == Expr::Unconnected),
    }
}
