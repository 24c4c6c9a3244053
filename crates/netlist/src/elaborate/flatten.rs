//! Hierarchy flattening.
//!
//! Every bit of every declared net, in every module instance, becomes one
//! node of a union-find; `assign`s and module port connections merge nodes,
//! so each resulting class is one physical net. Leaf cell instances record
//! the bit on each Liberty pin. Nothing here decides drivers or loads; that
//! is the `nets` stage's job once the classes are known.

use std::collections::{BTreeMap, HashMap};

use liberty::Library;
use verilog::{Bit, DeclKind, Expr, Module, Pos, Source};

use super::names::{closest, list, show, show_range};
use super::union_find::UnionFind;
use crate::{Error, Result};

mod instances;

/// Where a bit comes from, for choosing a net's representative name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BitKind {
    /// A net declared (or implied) inside some module instance.
    Wire,
    /// A bit of a top-level port.
    TopPort,
    /// A constant-0 or constant-1 node.
    Const(bool),
}

/// One bit before alias resolution.
#[derive(Debug, Clone)]
pub(super) struct BitInfo {
    /// Flattened name, e.g. `u_mac/x[3]`.
    pub name: String,
    /// Hierarchy depth of the module instance that declared it (top = 0).
    pub depth: u16,
    pub kind: BitKind,
    /// Source position of a constant (the default for other bits).
    pub pos: Pos,
}

/// A leaf (library cell) instance.
#[derive(Debug, Clone)]
pub(super) struct Leaf {
    pub name: String,
    pub cell: usize,
    /// Bit on each Liberty pin, indexed like `Cell::pins`.
    pub pins: Vec<Option<u32>>,
    /// Where the instance is in the source.
    pub pos: Pos,
    /// Where each pin's connection is, indexed like `pins` (the instance's
    /// position for an unconnected pin).
    pub pin_pos: Vec<Pos>,
}

/// A port of the top module.
#[derive(Debug, Clone)]
pub(super) struct TopPort {
    pub name: String,
    pub kind: DeclKind,
    pub range: Option<(i64, i64)>,
    /// Bits, least significant first.
    pub bits: Vec<u32>,
    /// Where its direction is declared.
    pub pos: Pos,
}

/// The flattened design: bits, their aliases, leaves and top ports.
#[derive(Debug)]
pub(super) struct Flat {
    pub uf: UnionFind,
    pub bits: Vec<BitInfo>,
    pub leaves: Vec<Leaf>,
    pub top_ports: Vec<TopPort>,
    pub warnings: Vec<String>,
}

/// A declared net inside one module instance.
#[derive(Debug, Clone)]
struct NetDecl {
    kind: DeclKind,
    range: Option<(i64, i64)>,
    /// Bits, least significant first.
    bits: Vec<u32>,
}

/// Instances of library cells missing from the library that connect no
/// signal, grouped by cell for one warning per cell type.
#[derive(Debug, Default)]
struct Skipped {
    count: usize,
    first: Pos,
}

/// Flatten `top` of `source` against `lib`.
pub(super) fn flatten(source: &Source, lib: &Library, top: &Module) -> Result<Flat> {
    let mut f = Flattener {
        source,
        lib,
        uf: UnionFind::default(),
        bits: Vec::new(),
        leaves: Vec::new(),
        warnings: Vec::new(),
        skipped: BTreeMap::new(),
        pg_pins: HashMap::new(),
        stack: Vec::new(),
    };
    let scope = f.module(top, "", 0, None)?;
    let mut top_ports = Vec::new();
    for port in &top.ports {
        let decl = &scope[port.as_str()];
        top_ports.push(TopPort {
            name: port.clone(),
            kind: decl.kind,
            range: decl.range,
            bits: decl.bits.clone(),
            pos: port_pos(top, port),
        });
    }
    for (cell, s) in &f.skipped {
        f.warnings.push(format!(
            "{}:{}: skipped {} instance(s) of `{cell}`: not in library {} and connected to no signal (tap/fill/decap cell)",
            source.file, s.first, s.count, lib.name
        ));
    }
    Ok(Flat {
        uf: f.uf,
        bits: f.bits,
        leaves: f.leaves,
        top_ports,
        warnings: f.warnings,
    })
}

/// Position of the direction declaration of `port` (else of the module).
fn port_pos(module: &Module, port: &str) -> Pos {
    module
        .decls
        .iter()
        .find(|d| d.name == port && d.kind != DeclKind::Wire)
        .map_or(module.pos(), |d| d.pos())
}

/// Number of bits of a declared range.
fn range_width(range: Option<(i64, i64)>) -> usize {
    match range {
        None => 1,
        Some((msb, lsb)) => (msb - lsb).unsigned_abs() as usize + 1,
    }
}

/// Declared index of bit `k` (LSB = 0), matching [`crate::Port::bit_name`].
fn index_of_bit(range: (i64, i64), k: usize) -> i64 {
    let (msb, lsb) = range;
    if msb >= lsb {
        lsb + k as i64
    } else {
        lsb - k as i64
    }
}

/// Bit position (LSB = 0) of declared index `i`, if in range.
fn bit_of_index(range: (i64, i64), i: i64) -> Option<usize> {
    let (msb, lsb) = range;
    let k = if msb >= lsb { i - lsb } else { lsb - i };
    (0..range_width(Some(range)) as i64)
        .contains(&k)
        .then_some(k as usize)
}

struct Flattener<'a> {
    source: &'a Source,
    lib: &'a Library,
    uf: UnionFind,
    bits: Vec<BitInfo>,
    leaves: Vec<Leaf>,
    warnings: Vec<String>,
    skipped: BTreeMap<String, Skipped>,
    /// Power/ground pin names per cell id, looked up once per cell.
    pg_pins: HashMap<usize, Vec<String>>,
    /// Module names being expanded (to catch recursive instantiation).
    stack: Vec<String>,
}

impl<'a> Flattener<'a> {
    fn at(&self, pos: Pos, message: String) -> Error {
        Error::at(&self.source.file, pos, message)
    }

    fn new_bit(&mut self, name: String, depth: u16, kind: BitKind) -> u32 {
        let id = self.uf.push();
        self.bits.push(BitInfo {
            name,
            depth,
            kind,
            pos: Pos::default(),
        });
        id
    }

    /// A new constant node; each occurrence gets its own so that a
    /// conflict can name the place it comes from.
    fn const_bit(&mut self, value: bool, pos: Pos) -> u32 {
        let name = if value { "1'b1" } else { "1'b0" };
        let id = self.new_bit(name.to_string(), u16::MAX, BitKind::Const(value));
        self.bits[id as usize].pos = pos;
        id
    }

    /// Expand one module instance. `bindings` gives the bits of each port
    /// (already width-checked) for a submodule; `None` for the top.
    fn module(
        &mut self,
        module: &'a Module,
        prefix: &str,
        depth: u16,
        bindings: Option<HashMap<&'a str, Vec<u32>>>,
    ) -> Result<HashMap<&'a str, NetDecl>> {
        self.stack.push(module.name.clone());
        let mut scope = self.declare(module, prefix, depth, bindings)?;
        for assign in &module.assigns {
            let at = assign.pos();
            let Some(lhs) = self.resolve(&assign.lhs, None, &mut scope, prefix, depth, at)? else {
                return Err(self.at(at, "empty left side in assign".into()));
            };
            if lhs
                .iter()
                .any(|&b| matches!(self.bits[b as usize].kind, BitKind::Const(_)))
            {
                return Err(self.at(at, "assign to a constant".into()));
            }
            let rhs = self.resolve(&assign.rhs, Some(lhs.len()), &mut scope, prefix, depth, at)?;
            let Some(rhs) = rhs else {
                return Err(self.at(at, "empty right side in assign".into()));
            };
            if lhs.len() != rhs.len() {
                return Err(self.at(
                    at,
                    format!(
                        "width mismatch in assign: left side `{}` has {} bit(s), right side `{}` has {}",
                        show(&assign.lhs),
                        lhs.len(),
                        show(&assign.rhs),
                        rhs.len()
                    ),
                ));
            }
            for (l, r) in lhs.into_iter().zip(rhs) {
                self.uf.union(l, r);
            }
        }
        for inst in &module.instances {
            if self.bits.len() > super::MAX_FLAT_BITS {
                return Err(self.at(
                    inst.pos(),
                    format!(
                        "the flattened design has more than {} net bits (a hierarchy that \
                         multiplies instances?)",
                        super::MAX_FLAT_BITS
                    ),
                ));
            }
            let name = format!("{prefix}{}", inst.name);
            if let Some(child) = self.source.module(&inst.cell) {
                self.submodule(inst, child, &name, &mut scope, prefix, depth)?;
            } else if let Some(cell) = self.lib.cell_id(&inst.cell) {
                self.leaf(inst, cell, name, &mut scope, prefix, depth)?;
            } else if instances::connects_nothing(&inst.connections) {
                let s = self.skipped.entry(inst.cell.clone()).or_insert(Skipped {
                    count: 0,
                    first: inst.pos(),
                });
                s.count += 1;
            } else {
                let cells = closest(
                    &inst.cell,
                    self.lib.cells.iter().map(|c| c.name.as_str()),
                    3,
                );
                let modules = closest(
                    &inst.cell,
                    self.source.modules.iter().map(|m| m.name.as_str()),
                    3,
                );
                return Err(self.at(
                    inst.pos(),
                    format!(
                        "instance `{}`: unknown cell or module `{}` (closest library cells: {}; modules in {}: {})",
                        inst.name,
                        inst.cell,
                        list(&cells),
                        self.source.file,
                        list(&modules)
                    ),
                ));
            }
        }
        self.stack.pop();
        Ok(scope)
    }

    /// Build the scope of a module instance from its declarations.
    fn declare(
        &mut self,
        module: &'a Module,
        prefix: &str,
        depth: u16,
        mut bindings: Option<HashMap<&'a str, Vec<u32>>>,
    ) -> Result<HashMap<&'a str, NetDecl>> {
        let is_top = bindings.is_none();
        let mut scope: HashMap<&'a str, NetDecl> = HashMap::new();
        for decl in &module.decls {
            if let Some(prev) = scope.get_mut(decl.name.as_str()) {
                // `input [3:0] a; wire [3:0] a;` declares one net twice.
                if range_width(prev.range) != range_width(decl.range)
                    || (prev.range.is_some() && decl.range.is_some() && prev.range != decl.range)
                {
                    return Err(self.at(
                        decl.pos(),
                        format!(
                            "`{}` redeclared with a different range ({} vs {})",
                            decl.name,
                            show_range(decl.range),
                            show_range(prev.range)
                        ),
                    ));
                }
                if prev.kind == DeclKind::Wire {
                    prev.kind = decl.kind;
                } else if decl.kind != DeclKind::Wire && decl.kind != prev.kind {
                    return Err(self.at(
                        decl.pos(),
                        format!(
                            "`{}` declared both {:?} and {:?}",
                            decl.name, prev.kind, decl.kind
                        ),
                    ));
                }
                if prev.range.is_none() {
                    prev.range = decl.range;
                }
                continue;
            }
            scope.insert(
                decl.name.as_str(),
                NetDecl {
                    kind: decl.kind,
                    range: decl.range,
                    bits: Vec::new(),
                },
            );
        }
        for port in &module.ports {
            match scope.get(port.as_str()) {
                Some(d) if d.kind != DeclKind::Wire => {}
                _ => {
                    return Err(self.at(
                        module.pos(),
                        format!(
                            "port `{port}` of module `{}` has no input/output declaration",
                            module.name
                        ),
                    ))
                }
            }
        }
        // Allocate bits in declaration order so names and ids are deterministic.
        for decl in &module.decls {
            let name = decl.name.as_str();
            if !scope[name].bits.is_empty() {
                continue;
            }
            let (kind, range) = (scope[name].kind, scope[name].range);
            let bound = bindings.as_mut().and_then(|b| b.remove(name));
            let bits = match bound {
                Some(bits) => bits,
                None => {
                    let bit_kind = if is_top && kind != DeclKind::Wire {
                        BitKind::TopPort
                    } else {
                        BitKind::Wire
                    };
                    (0..range_width(range))
                        .map(|k| {
                            let bit_name = match range {
                                None => format!("{prefix}{name}"),
                                Some(r) => format!("{prefix}{name}[{}]", index_of_bit(r, k)),
                            };
                            self.new_bit(bit_name, depth, bit_kind)
                        })
                        .collect()
                }
            };
            scope.get_mut(name).expect("declared above").bits = bits;
        }
        Ok(scope)
    }

    /// The bits of an expression, LSB first; `None` for an empty connection.
    /// `context` is the width it connects to, if known: a constant is
    /// extended or truncated to it (as Verilog does) and a fill literal
    /// (`'0`) takes it.
    fn resolve(
        &mut self,
        expr: &'a Expr,
        context: Option<usize>,
        scope: &mut HashMap<&'a str, NetDecl>,
        prefix: &str,
        depth: u16,
        at: Pos,
    ) -> Result<Option<Vec<u32>>> {
        let bits = match expr {
            Expr::Unconnected => return Ok(None),
            Expr::Name(name) => match scope.get(name.as_str()) {
                Some(d) => d.bits.clone(),
                None => vec![self.implicit(name, scope, prefix, depth, at)],
            },
            Expr::BitSelect(name, i) => {
                let d = self.declared(name, scope, at)?;
                let k = d.range.and_then(|r| bit_of_index(r, *i));
                match k {
                    Some(k) => vec![d.bits[k]],
                    None => {
                        return Err(self.at(
                            at,
                            format!(
                                "bit select `{name}[{i}]` outside `{name}` {}",
                                show_range(d.range)
                            ),
                        ))
                    }
                }
            }
            Expr::PartSelect(name, m, l) => {
                let d = self.declared(name, scope, at)?;
                let (km, kl) = match d.range {
                    Some(r) => (bit_of_index(r, *m), bit_of_index(r, *l)),
                    None => (None, None),
                };
                match (km, kl) {
                    (Some(km), Some(kl)) if km >= kl => d.bits[kl..=km].to_vec(),
                    _ => {
                        return Err(self.at(
                            at,
                            format!(
                            "part select `{name}[{m}:{l}]` outside or reversed against `{name}` {}",
                            show_range(d.range)
                        ),
                        ))
                    }
                }
            }
            Expr::Concat(parts) => {
                let mut bits = Vec::new();
                // Written most significant first; we keep LSB first.
                for part in parts.iter().rev() {
                    match self.resolve(part, None, scope, prefix, depth, at)? {
                        Some(b) => bits.extend(b),
                        None => return Err(self.at(at, "empty element in a concatenation".into())),
                    }
                }
                bits
            }
            Expr::Fill(bit) => match context {
                Some(width) => self.constant(&vec![*bit; width], at),
                None => {
                    return Err(self.at(at, format!("`{}` needs a known width here", show(expr))))
                }
            },
            Expr::Const(value) => {
                let value = match context {
                    Some(width) => fit_const(value, width).ok_or_else(|| {
                        self.at(
                            at,
                            format!("constant `{}` does not fit in {width} bit(s)", show(expr)),
                        )
                    })?,
                    None => value.clone(),
                };
                self.constant(&value, at)
            }
        };
        Ok(Some(bits))
    }

    /// Constant bits (LSB first) as the shared constant nodes; x and z read as 0.
    fn constant(&mut self, value: &[Bit], at: Pos) -> Vec<u32> {
        let mut bits = Vec::with_capacity(value.len());
        let mut undefined = false;
        for b in value {
            bits.push(match b {
                Bit::Zero => self.const_bit(false, at),
                Bit::One => self.const_bit(true, at),
                Bit::X | Bit::Z => {
                    undefined = true;
                    self.const_bit(false, at)
                }
            });
        }
        if undefined {
            self.warnings.push(format!(
                "{}:{at}: x/z constant bits read as 0",
                self.source.file
            ));
        }
        bits
    }

    fn declared<'s>(
        &self,
        name: &str,
        scope: &'s HashMap<&'a str, NetDecl>,
        at: Pos,
    ) -> Result<&'s NetDecl> {
        scope.get(name).ok_or_else(|| {
            let near = closest(name, scope.keys().copied(), 3);
            self.at(
                at,
                format!(
                    "undeclared net `{name}` (closest declared: {})",
                    list(&near)
                ),
            )
        })
    }

    /// Declare an implicit scalar wire, as Verilog does for an undeclared
    /// name in a port connection.
    fn implicit(
        &mut self,
        name: &'a str,
        scope: &mut HashMap<&'a str, NetDecl>,
        prefix: &str,
        depth: u16,
        at: Pos,
    ) -> u32 {
        self.warnings.push(format!(
            "{}:{at}: `{name}` is not declared; treated as an implicit 1-bit wire",
            self.source.file
        ));
        let bit = self.new_bit(format!("{prefix}{name}"), depth, BitKind::Wire);
        scope.insert(
            name,
            NetDecl {
                kind: DeclKind::Wire,
                range: None,
                bits: vec![bit],
            },
        );
        bit
    }
}

/// A sized or unsized constant fitted to `width` bits as Verilog does:
/// extended with its top bit when that is x or z, else with 0; truncated
/// only when the dropped bits are all 0 (anything else is likely a mistake).
fn fit_const(value: &[Bit], width: usize) -> Option<Vec<Bit>> {
    let mut v = value.to_vec();
    if v.len() > width {
        if v[width..].iter().any(|b| *b != Bit::Zero) {
            return None;
        }
        v.truncate(width);
    }
    let pad = match v.last() {
        Some(Bit::X) => Bit::X,
        Some(Bit::Z) => Bit::Z,
        _ => Bit::Zero,
    };
    v.resize(width, pad);
    Some(v)
}
