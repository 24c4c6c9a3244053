//! Topological order, logic levels and loop detection.

use liberty::{Direction, Library};

use super::nets::Bound;
use crate::{Driver, Error, InstId, Result};

/// Order and levels of the combinational instances.
pub(super) struct Order {
    pub topo_order: Vec<InstId>,
    pub level: Vec<u32>,
}

/// Kahn's algorithm over combinational instances; sequential cells are cut
/// (their outputs are sources like input ports and constants).
pub(super) fn order(b: &Bound, lib: &Library, file: &str) -> Result<Order> {
    let n = b.instances.len();
    let is_comb: Vec<bool> = b
        .instances
        .iter()
        .map(|i| !lib.cells[i.cell].is_sequential())
        .collect();
    // A combinational driver of a net, if any.
    let comb_driver = |net: usize| match b.nets[net].driver {
        Driver::Pin(p) if is_comb[p.inst.0 as usize] => Some(p.inst.0 as usize),
        _ => None,
    };
    let mut indegree = vec![0u32; n];
    for net in 0..b.nets.len() {
        if comb_driver(net).is_some() {
            for load in &b.nets[net].loads {
                indegree[load.inst.0 as usize] += 1;
            }
        }
    }
    let mut level = vec![0u32; n];
    let mut topo_order = Vec::with_capacity(n);
    let mut ready: Vec<usize> = (0..n).filter(|&i| is_comb[i] && indegree[i] == 0).collect();
    for &i in &ready {
        level[i] = 1;
    }
    // Pop from the front so the order follows source order among peers.
    let mut head = 0;
    while head < ready.len() {
        let u = ready[head];
        head += 1;
        topo_order.push(InstId(u as u32));
        for (p, net) in b.instances[u].pins.iter().enumerate() {
            let Some(net) = net else { continue };
            if lib.cells[b.instances[u].cell].pins[p].direction != Direction::Output {
                continue;
            }
            for load in &b.nets[net.0 as usize].loads {
                let v = load.inst.0 as usize;
                if !is_comb[v] {
                    continue;
                }
                level[v] = level[v].max(level[u] + 1);
                indegree[v] -= 1;
                if indegree[v] == 0 {
                    ready.push(v);
                }
            }
        }
    }
    let n_comb = is_comb.iter().filter(|&&c| c).count();
    if topo_order.len() < n_comb {
        return Err(loop_error(b, lib, file, &indegree, &is_comb));
    }
    Ok(Order { topo_order, level })
}

/// Name the instances of one combinational loop among those Kahn's
/// algorithm could not order (each has a predecessor left unordered).
fn loop_error(b: &Bound, lib: &Library, file: &str, indegree: &[u32], is_comb: &[bool]) -> Error {
    let start = (0..indegree.len())
        .find(|&i| is_comb[i] && indegree[i] > 0)
        .unwrap_or(0);
    // An unordered predecessor of `v`: a combinational driver of one of its
    // inputs that is itself unordered.
    let pred = |v: usize| -> Option<usize> {
        let inst = &b.instances[v];
        inst.pins.iter().enumerate().find_map(|(p, net)| {
            let net = (*net)?;
            if lib.cells[inst.cell].pins[p].direction == Direction::Output {
                return None;
            }
            match b.nets[net.0 as usize].driver {
                Driver::Pin(d) if is_comb[d.inst.0 as usize] && indegree[d.inst.0 as usize] > 0 => {
                    Some(d.inst.0 as usize)
                }
                _ => None,
            }
        })
    };
    // Walk backwards until an instance repeats; the repeat closes a loop.
    let mut seen_at = vec![usize::MAX; indegree.len()];
    let mut path = Vec::new();
    let mut v = start;
    while seen_at[v] == usize::MAX {
        seen_at[v] = path.len();
        path.push(v);
        match pred(v) {
            Some(u) => v = u,
            None => break,
        }
    }
    let mut cycle: Vec<usize> = path[seen_at[v].min(path.len() - 1)..].to_vec();
    cycle.reverse(); // driver → load order
    let names: Vec<&str> = cycle
        .iter()
        .map(|&i| b.instances[i].name.as_str())
        .collect();
    let first = cycle[0];
    Error::at(
        file,
        b.pos[first],
        format!(
            "combinational loop through {} instance(s): {} → {}",
            names.len(),
            names.join(" → "),
            names[0]
        ),
    )
}
