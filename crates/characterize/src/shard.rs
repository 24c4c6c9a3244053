//! Splitting one sweep over independent jobs (`--shard i/n`).
//!
//! A cluster job array (Slurm `--array=0-15`, Kubernetes indexed jobs) runs
//! one process per index; each computes the weights at positions k with
//! k mod n = i of the full weight list. Striding rather than cutting blocks
//! spreads cheap and costly weights (0 switches little) evenly. Each shard
//! writes an ordinary table directory for its own weights plus
//! `shard.json`, which [`crate::merge()`] uses to put the full set back together.

use std::path::Path;

use serde::{Deserialize, Serialize};
use tables::write_atomic;

use crate::{Error, Result};

/// File next to a shard's tables.
pub const SHARD_FILE: &str = "shard.json";

/// Part `index` of `count` (0-based, as job-array indices are).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This part, 0-based.
    pub index: u32,
    /// Number of parts.
    pub count: u32,
}

impl Shard {
    /// The whole sweep as one part.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// Parse `i/n` with 0 ≤ i < n.
    pub fn parse(text: &str) -> Result<Shard> {
        let bad = || {
            Error::Input(format!(
                "shard `{text}`: expected i/n with 0 <= i < n, e.g. 0/4"
            ))
        };
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// Positions of a `len`-long weight list that belong to this shard.
    pub fn positions(self, len: usize) -> Vec<usize> {
        (self.index as usize..len)
            .step_by(self.count as usize)
            .collect()
    }

    /// True for the whole sweep.
    pub fn is_all(self) -> bool {
        self.count == 1
    }
}

/// `shard.json`: which part of which sweep a directory holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInfo {
    /// This shard's index.
    pub index: u32,
    /// Number of shards the sweep was split into.
    pub count: u32,
    /// Fingerprint of the full sweep (equal in every shard of it).
    pub sweep_fingerprint: String,
    /// The full sweep's weight list, in table order.
    pub weights: Vec<i64>,
}

impl ShardInfo {
    /// Write `DIR/shard.json` atomically.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(SHARD_FILE);
        let mut text = serde_json::to_string_pretty(self)
            .map_err(|e| Error::Format(located::ContentError::of_path(&path, e.to_string())))?;
        text.push('\n');
        write_atomic(&path, text.as_bytes())
            .map_err(|e| Error::Format(located::ContentError::of_path(&path, e.to_string())))
    }

    /// Read `DIR/shard.json`; a directory without one is not a shard.
    pub fn load(dir: &Path) -> Result<ShardInfo> {
        let path = dir.join(SHARD_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::Format(located::ContentError::of_path(
                &path,
                format!("{e}; expected the shard.json each shard of a sweep writes"),
            ))
        })?;
        let info: ShardInfo = serde_json::from_str(&text)
            .map_err(|e| Error::Format(located::ContentError::of_path(&path, e.to_string())))?;
        if info.count == 0 || info.index >= info.count {
            return Err(Error::Format(located::ContentError::of_path(
                &path,
                format!(
                    "shard {}/{}: expected 0 <= index < count",
                    info.index, info.count
                ),
            )));
        }
        Ok(info)
    }

    /// Remove a stale `shard.json` (a full run written over a shard's directory).
    pub fn remove(dir: &Path) -> Result<()> {
        let path = dir.join(SHARD_FILE);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(Error::Io(located::FileError::of_path(path, e)))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_weights() {
        let n = 11;
        let mut seen = vec![0; n];
        for i in 0..3 {
            for k in (Shard { index: i, count: 3 }).positions(n) {
                seen[k] += 1;
            }
        }
        assert!(seen.iter().all(|&c| c == 1));
        assert_eq!(Shard { index: 1, count: 3 }.positions(n), vec![1, 4, 7, 10]);
        // More shards than weights: some are empty, none overlap.
        assert!(Shard { index: 5, count: 8 }.positions(3).is_empty());
    }

    #[test]
    fn shard_syntax() {
        assert_eq!(Shard::parse("2/4").unwrap(), Shard { index: 2, count: 4 });
        for bad in ["4/4", "1", "a/2", "0/0", "-1/3"] {
            assert!(
                Shard::parse(bad)
                    .unwrap_err()
                    .to_string()
                    .contains("expected i/n"),
                "{bad}"
            );
        }
    }
}
