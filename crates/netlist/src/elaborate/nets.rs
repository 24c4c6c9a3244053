//! From alias classes to nets: dense ids, names, drivers and loads, with the
//! undriven and multiply-driven checks.

use liberty::{Direction, Library};
use verilog::{DeclKind, Pos};

use super::flatten::{BitKind, Flat};
use crate::{Driver, Error, InstId, Instance, Net, NetId, PinRef, Port, Result};

/// Nets, instances and ports of the design, before ordering.
pub(super) struct Bound {
    pub nets: Vec<Net>,
    pub instances: Vec<Instance>,
    pub inputs: Vec<Port>,
    pub outputs: Vec<Port>,
    /// Source position of each instance (for messages).
    pub pos: Vec<Pos>,
}

const NO_NET: u32 = u32::MAX;

/// Where a driver comes from, for "driven by both" messages.
struct DriverSite {
    driver: Driver,
    what: String,
    pos: Pos,
}

/// Build nets from the flattened design and check their drivers.
pub(super) fn bind(
    mut flat: Flat,
    lib: &Library,
    file: &str,
    warnings: &mut Vec<String>,
) -> Result<Bound> {
    let n_bits = flat.bits.len();
    let root: Vec<u32> = (0..n_bits as u32).map(|b| flat.uf.find(b)).collect();

    // Dense net ids in first-use order: top ports, then instance pins.
    let mut net_of_root = vec![NO_NET; n_bits];
    let mut n_nets = 0u32;
    let mut net_of = |bit: u32, net_of_root: &mut Vec<u32>| -> NetId {
        let r = root[bit as usize] as usize;
        if net_of_root[r] == NO_NET {
            net_of_root[r] = n_nets;
            n_nets += 1;
        }
        NetId(net_of_root[r])
    };
    let mut inputs = Vec::new();
    let mut outputs = Vec::new();
    let mut input_pos = Vec::new();
    let mut output_pos = Vec::new();
    for port in &flat.top_ports {
        let bits: Vec<NetId> = port
            .bits
            .iter()
            .map(|&b| net_of(b, &mut net_of_root))
            .collect();
        let p = Port {
            name: port.name.clone(),
            range: port.range,
            bits,
        };
        match port.kind {
            DeclKind::Output => {
                outputs.push(p);
                output_pos.push(port.pos);
            }
            DeclKind::Input | DeclKind::Inout => {
                if port.kind == DeclKind::Inout {
                    warnings.push(format!(
                        "{file}:{}: inout port `{}` treated as an input",
                        port.pos, port.name
                    ));
                }
                inputs.push(p);
                input_pos.push(port.pos);
            }
            DeclKind::Wire => {
                unreachable!("ports are declared input/output/inout (checked in flatten)")
            }
        }
    }
    let leaf_nets: Vec<Vec<Option<NetId>>> = flat
        .leaves
        .iter()
        .map(|leaf| {
            leaf.pins
                .iter()
                .map(|p| p.map(|b| net_of(b, &mut net_of_root)))
                .collect()
        })
        .collect();
    let n_nets = n_nets as usize;

    // Representative names: a top port bit, else the shallowest declaration.
    let mut best: Vec<Option<u32>> = vec![None; n_nets];
    let rank = |b: u32| {
        let info = &flat.bits[b as usize];
        (info.kind != BitKind::TopPort, info.depth, b)
    };
    for b in 0..n_bits as u32 {
        let net = net_of_root[root[b as usize] as usize];
        if net == NO_NET {
            continue;
        }
        let slot = &mut best[net as usize];
        if slot.is_none_or(|cur| rank(b) < rank(cur)) {
            *slot = Some(b);
        }
    }
    let names: Vec<String> = best
        .iter()
        .map(|b| {
            b.map(|b| std::mem::take(&mut flat.bits[b as usize].name))
                .unwrap_or_default()
        })
        .collect();

    // Drivers.
    let mut drivers: Vec<Option<DriverSite>> = (0..n_nets).map(|_| None).collect();
    let mut set_driver = |net: NetId, site: DriverSite| -> Result<()> {
        let slot = &mut drivers[net.0 as usize];
        if let Some(prev) = slot {
            if let (Driver::Const(a), Driver::Const(b)) = (prev.driver, site.driver) {
                if a == b {
                    return Ok(()); // the same constant tied twice
                }
            }
            let name = &names[net.0 as usize];
            return Err(Error::at(
                file,
                site.pos,
                format!(
                    "net `{name}` is driven by both {} (line {}, column {}) and {}",
                    prev.what, prev.pos.line, prev.pos.col, site.what
                ),
            ));
        }
        *slot = Some(site);
        Ok(())
    };
    for (k, port) in inputs.iter().enumerate() {
        for (bit, &net) in port.bits.iter().enumerate() {
            let what = format!("input port `{}`", port.bit_name(bit));
            let driver = Driver::Input {
                port: k as u32,
                bit: bit as u32,
            };
            set_driver(
                net,
                DriverSite {
                    driver,
                    what,
                    pos: input_pos[k],
                },
            )?;
        }
    }
    for (b, info) in flat.bits.iter().enumerate() {
        if let BitKind::Const(value) = info.kind {
            let net = net_of_root[root[b] as usize];
            if net != NO_NET {
                let what = format!("constant {}", value as u8);
                let site = DriverSite {
                    driver: Driver::Const(value),
                    what,
                    pos: info.pos,
                };
                set_driver(NetId(net), site)?;
            }
        }
    }
    for (i, leaf) in flat.leaves.iter().enumerate() {
        let cell = &lib.cells[leaf.cell];
        for (p, net) in leaf_nets[i].iter().enumerate() {
            let (Some(net), Direction::Output) = (net, cell.pins[p].direction) else {
                continue;
            };
            let pin = PinRef {
                inst: InstId(i as u32),
                pin: p as u16,
            };
            let what = format!("`{}/{}` ({})", leaf.name, cell.pins[p].name, cell.name);
            set_driver(
                *net,
                DriverSite {
                    driver: Driver::Pin(pin),
                    what,
                    pos: leaf.pin_pos[p],
                },
            )?;
        }
    }

    // Loads.
    let mut loads: Vec<Vec<PinRef>> = vec![Vec::new(); n_nets];
    for (i, leaf) in flat.leaves.iter().enumerate() {
        let cell = &lib.cells[leaf.cell];
        for (p, net) in leaf_nets[i].iter().enumerate() {
            if let (Some(net), Direction::Input | Direction::Inout) = (net, cell.pins[p].direction)
            {
                loads[net.0 as usize].push(PinRef {
                    inst: InstId(i as u32),
                    pin: p as u16,
                });
            }
        }
    }
    let mut is_output = vec![false; n_nets];
    for port in &outputs {
        for net in &port.bits {
            is_output[net.0 as usize] = true;
        }
    }

    // Undriven nets that feed something.
    for n in 0..n_nets {
        if drivers[n].is_some() {
            continue;
        }
        if let Some(load) = loads[n].first() {
            let leaf = &flat.leaves[load.inst.0 as usize];
            let cell = &lib.cells[leaf.cell];
            let at = leaf.pin_pos[load.pin as usize];
            return Err(Error::at(
                file,
                at,
                format!(
                    "net `{}` has no driver but feeds `{}/{}` ({}){}",
                    names[n],
                    leaf.name,
                    cell.pins[load.pin as usize].name,
                    cell.name,
                    more(loads[n].len() - 1)
                ),
            ));
        }
        if is_output[n] {
            let (k, port) = outputs
                .iter()
                .enumerate()
                .find(|(_, p)| p.bits.iter().any(|b| b.0 as usize == n))
                .expect("output net belongs to an output port");
            let bit = port
                .bits
                .iter()
                .position(|b| b.0 as usize == n)
                .unwrap_or(0);
            return Err(Error::at(
                file,
                output_pos[k],
                format!("output `{}` has no driver", port.bit_name(bit)),
            ));
        }
    }

    let nets = names
        .into_iter()
        .zip(drivers)
        .zip(loads)
        .zip(is_output)
        .map(|(((name, driver), loads), is_output)| Net {
            name,
            // Only a net with no loads can be left without a driver (checked
            // above); such a dangling net reads as constant 0.
            driver: driver.map_or(Driver::Const(false), |d| d.driver),
            loads,
            is_output,
        })
        .collect();
    let pos = flat.leaves.iter().map(|l| l.pos).collect();
    let instances = flat
        .leaves
        .into_iter()
        .zip(leaf_nets)
        .map(|(leaf, pins)| Instance {
            name: leaf.name,
            cell: leaf.cell,
            pins,
        })
        .collect();
    Ok(Bound {
        nets,
        instances,
        inputs,
        outputs,
        pos,
    })
}

fn more(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(" and {n} more pin(s)")
    }
}
