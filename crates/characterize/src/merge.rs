//! Putting the shards of one sweep back together (`powerprune merge`).

use std::path::{Path, PathBuf};
use tables::{Meta, Tables};

use crate::lock::DirLock;
use crate::shard::{Shard, ShardInfo};
use crate::{Error, Result};

/// Merge shard directories (any order) into `out`. Every shard of the sweep
/// must be present exactly once, all made by the same sweep (same
/// fingerprint and metadata); the result is the table set one unsharded run
/// writes, byte for byte in its `.npy` and `.csv` files. `meta.json`'s
/// `runtime_s` is the sum of the shards' run times.
pub fn merge(inputs: &[PathBuf], out: &Path) -> Result<Tables> {
    let first_dir = inputs
        .first()
        .ok_or_else(|| Error::Input("merge: expected at least one shard directory".into()))?;
    let info0 = ShardInfo::load(first_dir)?;
    let mut parts: Vec<Option<(PathBuf, Tables)>> = (0..info0.count).map(|_| None).collect();
    for dir in inputs {
        let info = ShardInfo::load(dir)?;
        if info.sweep_fingerprint != info0.sweep_fingerprint
            || info.count != info0.count
            || info.weights != info0.weights
        {
            return Err(Error::Input(format!(
                "{} is a shard of a different sweep than {} (fingerprint {} of {} shards vs {} of {})",
                dir.display(),
                first_dir.display(),
                info.sweep_fingerprint,
                info.count,
                info0.sweep_fingerprint,
                info0.count
            )));
        }
        let slot = &mut parts[info.index as usize];
        if let Some((other, _)) = slot {
            return Err(Error::Input(format!(
                "shard {}/{} given twice: {} and {}",
                info.index,
                info.count,
                other.display(),
                dir.display()
            )));
        }
        let tables = Tables::load(dir)?;
        let expected: Vec<i64> = Shard {
            index: info.index,
            count: info.count,
        }
        .positions(info.weights.len())
        .into_iter()
        .map(|k| info.weights[k])
        .collect();
        if tables.meta().weights != expected {
            return Err(Error::Format(located::ContentError::of_path(
                dir.join(tables::META_FILE),
                format!(
                    "weights {:?} do not match shard {}/{} of {:?}",
                    tables.meta().weights,
                    info.index,
                    info.count,
                    info.weights
                ),
            )));
        }
        *slot = Some((dir.clone(), tables));
    }
    let missing: Vec<String> = parts
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_none())
        .map(|(i, _)| format!("{i}/{}", info0.count))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Input(format!(
            "merge: missing shard(s) {}",
            missing.join(", ")
        )));
    }
    let parts: Vec<(PathBuf, Tables)> = parts.into_iter().flatten().collect();
    let (dir0, t0) = &parts[0];
    for (dir, t) in &parts[1..] {
        if !same_sweep(t0.meta(), t.meta()) {
            return Err(Error::Input(format!(
                "{} and {} carry the same fingerprint but different metadata (netlist, library, ports, psum model, \
                 clock period or leakage); were they edited?",
                dir0.display(),
                dir.display()
            )));
        }
    }
    let plane = t0.num_acts() * t0.num_acts();
    let total = info0.weights.len() * plane;
    let mut energy = vec![0f32; total];
    let mut delay = vec![0f32; total];
    let mut toggles = parts
        .iter()
        .all(|(_, t)| t.toggles_array().is_some())
        .then(|| vec![0f32; total]);
    for (index, (_, t)) in parts.iter().enumerate() {
        let positions = Shard {
            index: index as u32,
            count: info0.count,
        }
        .positions(info0.weights.len());
        for (slot, &position) in positions.iter().enumerate() {
            let src = slot * plane..(slot + 1) * plane;
            let dst = position * plane..(position + 1) * plane;
            energy[dst.clone()].copy_from_slice(&t.energy_fj_array()[src.clone()]);
            delay[dst.clone()].copy_from_slice(&t.delay_ns_array()[src.clone()]);
            if let (Some(all), Some(part)) = (toggles.as_mut(), t.toggles_array()) {
                all[dst].copy_from_slice(&part[src]);
            }
        }
    }
    let mut meta: Meta = t0.meta().clone();
    meta.weights = info0.weights.clone();
    meta.runtime_s = parts.iter().map(|(_, t)| t.meta().runtime_s).sum();
    let tables = Tables::new(meta, energy, delay, toggles)?;
    let _lock = DirLock::acquire(out)?;
    // A stale `shard.json` goes before the new set is sealed, so `out` is
    // never a whole table set that still claims to be a shard.
    tables::unseal(out)?;
    ShardInfo::remove(out)?;
    tables.save(out)?;
    Ok(tables)
}

/// Equal apart from the fields that differ between shards.
fn same_sweep(a: &Meta, b: &Meta) -> bool {
    // Paths may differ between cluster nodes; the fingerprint already ties
    // the file contents together.
    let strip = |m: &Meta| {
        let mut m = Meta {
            weights: Vec::new(),
            runtime_s: 0.0,
            netlist_file: String::new(),
            ..m.clone()
        };
        m.library.file.clear();
        m
    };
    strip(a) == strip(b)
}
