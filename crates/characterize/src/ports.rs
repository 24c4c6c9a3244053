//! MAC port roles: which input port carries the weight, the activation and
//! the incoming partial sum, and how each is read as an integer.

use netlist::Netlist;
use tables::PortInfo;

use crate::values::Encoding;
use crate::{Error, Result};

/// Widest activation port: the tables hold 4^width entries per weight.
pub const MAX_ACT_WIDTH: u32 = 12;
/// Widest weight port: one table row per weight value.
pub const MAX_WEIGHT_WIDTH: u32 = 16;

/// Port names and signedness as the user gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortRoles {
    /// Weight input port name.
    pub weight: String,
    /// Activation input port name.
    pub act: String,
    /// Partial-sum input port name.
    pub psum: String,
    /// Weight read as two's complement.
    pub weight_signed: bool,
    /// Activation read as two's complement.
    pub act_signed: bool,
    /// Partial sum read as two's complement (only recorded: psum draws
    /// cover every bit pattern either way).
    pub psum_signed: bool,
}

impl Default for PortRoles {
    /// The shipped MACs: signed weight `w`, unsigned activation `a` (as after
    /// ReLU) and signed partial sum `p_in`.
    fn default() -> Self {
        PortRoles {
            weight: "w".into(),
            act: "a".into(),
            psum: "p_in".into(),
            weight_signed: true,
            act_signed: false,
            psum_signed: true,
        }
    }
}

/// One role bound to a netlist input port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundPort {
    /// Port name.
    pub name: String,
    /// Index into `Netlist::inputs` (and into the simulator's input vector).
    pub index: usize,
    /// Width and signedness.
    pub encoding: Encoding,
}

impl BoundPort {
    /// The table-format description of this port.
    pub fn info(&self) -> PortInfo {
        PortInfo {
            name: self.name.clone(),
            width: self.encoding.width,
            signed: self.encoding.signed,
        }
    }
}

/// The three roles bound to a netlist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacPorts {
    /// The weight port.
    pub weight: BoundPort,
    /// The activation port.
    pub act: BoundPort,
    /// The partial-sum port.
    pub psum: BoundPort,
    /// Number of input ports (length of a simulator input vector).
    pub input_count: usize,
}

impl MacPorts {
    /// Bind `roles` to `netlist`: every role must name a distinct input port,
    /// and no other input may exist (it would be left at an arbitrary value).
    pub fn bind(netlist: &Netlist, roles: &PortRoles) -> Result<MacPorts> {
        let names: Vec<&str> = netlist.inputs.iter().map(|p| p.name.as_str()).collect();
        let find = |role: &str, name: &str, signed: bool| -> Result<BoundPort> {
            let index = names.iter().position(|n| *n == name).ok_or_else(|| {
                Error::Input(format!(
                    "{role} port `{name}` is not an input of `{}`; its inputs are: {}",
                    netlist.top,
                    names.join(", ")
                ))
            })?;
            let width = netlist.inputs[index].width() as u32;
            if width == 0 || width > 63 {
                return Err(Error::Input(format!(
                    "{role} port `{name}` has {width} bits; expected 1 to 63"
                )));
            }
            Ok(BoundPort {
                name: name.to_string(),
                index,
                encoding: Encoding { width, signed },
            })
        };
        let weight = find("weight", &roles.weight, roles.weight_signed)?;
        let act = find("activation", &roles.act, roles.act_signed)?;
        let psum = find("psum", &roles.psum, roles.psum_signed)?;
        if weight.index == act.index || weight.index == psum.index || act.index == psum.index {
            return Err(Error::Input(format!(
                "weight `{}`, activation `{}` and psum `{}` must be three different ports",
                weight.name, act.name, psum.name
            )));
        }
        if let Some(extra) = names
            .iter()
            .enumerate()
            .find(|(i, _)| ![weight.index, act.index, psum.index].contains(i))
        {
            return Err(Error::Input(format!(
                "input `{}` of `{}` has no role; expected only the weight, activation and psum ports",
                extra.1, netlist.top
            )));
        }
        if act.encoding.width > MAX_ACT_WIDTH {
            return Err(Error::Input(format!(
                "activation port `{}` has {} bits; at most {MAX_ACT_WIDTH} are supported (the table has 4^width entries per weight)",
                act.name, act.encoding.width
            )));
        }
        if weight.encoding.width > MAX_WEIGHT_WIDTH {
            return Err(Error::Input(format!(
                "weight port `{}` has {} bits; at most {MAX_WEIGHT_WIDTH} are supported",
                weight.name, weight.encoding.width
            )));
        }
        if netlist.outputs.is_empty() {
            return Err(Error::Input(format!(
                "`{}` has no output port to measure a delay at",
                netlist.top
            )));
        }
        Ok(MacPorts {
            weight,
            act,
            psum,
            input_count: names.len(),
        })
    }
}
