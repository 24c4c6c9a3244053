//! Flattening and binding: [`verilog::Source`] + [`liberty::Library`] → [`Netlist`].
//!
//! The stages, each in its own module:
//! 1. `flatten`: expand the hierarchy from the top module, one union-find
//!    node per declared bit; `assign`s and port connections merge nodes;
//!    leaf instances bind to Liberty cells and pins;
//! 2. `nets`: alias classes become dense nets with drivers and loads
//!    (undriven and multiply-driven nets are rejected);
//! 3. `order`: topological order and levels of the combinational
//!    instances (loops are rejected).

mod flatten;
mod names;
mod nets;
mod order;
mod union_find;

use std::collections::HashSet;

use crate::{Error, Netlist, Result};

/// Deepest module hierarchy elaborated (the top is level 1). Flattening
/// recurses once per level; the bound keeps hostile input from overflowing
/// the stack. Synthesized netlists are flat or a few levels deep.
pub const MAX_HIERARCHY_DEPTH: usize = 256;

/// Most net bits a flattened design may have: a hierarchy in which every
/// module instantiates the next twice doubles per level, so depth alone does
/// not bound the work.
pub const MAX_FLAT_BITS: usize = 1 << 20;

/// See [`Netlist::elaborate`].
pub fn elaborate(
    source: &verilog::Source,
    lib: &liberty::Library,
    top: Option<&str>,
) -> Result<Netlist> {
    let top = find_top(source, top)?;
    let flat = flatten::flatten(source, lib, top)?;
    let mut warnings = flat.warnings.clone();
    let bound = nets::bind(flat, lib, &source.file, &mut warnings)?;
    let order = order::order(&bound, lib, &source.file)?;
    Ok(Netlist {
        top: top.name.clone(),
        nets: bound.nets,
        instances: bound.instances,
        inputs: bound.inputs,
        outputs: bound.outputs,
        topo_order: order.topo_order,
        level: order.level,
        warnings,
    })
}

/// The requested top module, or the only module no other module instantiates.
fn find_top<'s>(source: &'s verilog::Source, top: Option<&str>) -> Result<&'s verilog::Module> {
    let all = || source.modules.iter().map(|m| m.name.as_str());
    if let Some(name) = top {
        return source.module(name).ok_or_else(|| {
            Error::Design(format!(
                "{}: no module `{name}` (modules: {})",
                source.file,
                quoted(names::closest(name, all(), usize::MAX))
            ))
        });
    }
    let instantiated: HashSet<&str> = source
        .modules
        .iter()
        .flat_map(|m| m.instances.iter().map(|i| i.cell.as_str()))
        .collect();
    let roots: Vec<&verilog::Module> = source
        .modules
        .iter()
        .filter(|m| !instantiated.contains(m.name.as_str()))
        .collect();
    match roots.as_slice() {
        [only] => Ok(only),
        [] if source.modules.is_empty() => {
            Err(Error::Design(format!("{}: no module in file", source.file)))
        }
        [] => Err(Error::Design(format!(
            "{}: every module is instantiated by another (recursive hierarchy); choose a top among {}",
            source.file,
            quoted(all().collect())
        ))),
        many => Err(Error::Design(format!(
            "{}: several candidate top modules: {}; choose one with `top`",
            source.file,
            quoted(many.iter().map(|m| m.name.as_str()).collect())
        ))),
    }
}

fn quoted(names: Vec<&str>) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
