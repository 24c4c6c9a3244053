//! Finished weights of an interrupted run, kept in `DIR/.partial/`.
//!
//! Each finished weight is one file written atomically, so a killed run
//! leaves only whole files. `DIR/.partial/run` names the run's fingerprint:
//! a restart with other arguments is refused instead of mixing results.
//! Each weight file repeats the fingerprint and ends with a SHA-256 of its
//! contents, so a damaged or foreign file is recomputed, not trusted.
//!
//! `DIR/.partial/runtime_s` holds the wall time, s, that earlier runs of
//! this fingerprint spent up to their last finished weight, so the final
//! `meta.json` counts every run.
//!
//! Weight file layout (little-endian): magic `PPWROW01`, fingerprint
//! (32 bytes), weight value (i64), entry count n (u64), n energy f32, n delay
//! f32, n toggle f32, SHA-256 of everything before it (32 bytes).

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tables::write_atomic;

use crate::kernel::WeightRows;
use crate::plan::hex;
use crate::{Error, Result};

/// Subdirectory of the output directory.
pub const PARTIAL_DIR: &str = ".partial";
const RUN_FILE: &str = "run";
const RUNTIME_FILE: &str = "runtime_s";
const MAGIC: &[u8; 8] = b"PPWROW01";

/// The partial-results directory of one run.
#[derive(Debug)]
pub struct PartialDir {
    dir: PathBuf,
    fingerprint: [u8; 32],
    earlier_runtime_s: f64,
}

impl PartialDir {
    /// Open (creating) `out/.partial` for the run with hex `fingerprint`.
    /// Fails when it holds another run's results, or is a symbolic link
    /// (results of this run are written there and then deleted, so it must
    /// be the output directory's own). Removes temporary files a killed run
    /// left in it; the caller holds the output directory's lock.
    pub fn open(out: &Path, fingerprint: &str) -> Result<PartialDir> {
        let dir = out.join(PARTIAL_DIR);
        let raw = unhex(fingerprint)
            .ok_or_else(|| Error::Input(format!("bad fingerprint {fingerprint}")))?;
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.file_type().is_symlink() || !m.is_dir() => {
                return Err(Error::Format(located::ContentError::of_path(
                    &dir,
                    "is a symbolic link or not a directory; refusing to write partial results \
                     through it (delete it to start over)",
                )))
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::Io(located::FileError::of_path(&dir, e))),
        }
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::Io(located::FileError::of_path(&dir, e)))?;
        tables::remove_stale_temporaries(&dir)?;
        let run_path = dir.join(RUN_FILE);
        match std::fs::read_to_string(&run_path) {
            Ok(text) if text.trim() == fingerprint => {}
            Ok(text) => {
                return Err(Error::Input(format!(
                    "{} holds partial results of a different run (fingerprint {} , this run {fingerprint}): \
                     other netlist, library, ports, weights, psum model, seed, clock period, shard or tool version. \
                     Rerun with the original arguments to resume, or delete {} to start over",
                    dir.display(),
                    text.trim(),
                    dir.display()
                )))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                write_atomic(&run_path, format!("{fingerprint}\n").as_bytes())
                    .map_err(|e| Error::Format(located::ContentError::of_path(&run_path, e.to_string())))?;
            }
            Err(e) => return Err(Error::Io(located::FileError::of_path(run_path, e))),
        }
        let earlier_runtime_s = std::fs::read_to_string(dir.join(RUNTIME_FILE))
            .ok()
            .and_then(|t| t.trim().parse::<f64>().ok())
            .filter(|t| t.is_finite() && *t >= 0.0)
            .unwrap_or(0.0);
        Ok(PartialDir {
            dir,
            fingerprint: raw,
            earlier_runtime_s,
        })
    }

    /// Wall time earlier runs of this fingerprint recorded, s (0 for a
    /// fresh start).
    pub fn earlier_runtime_s(&self) -> f64 {
        self.earlier_runtime_s
    }

    /// Record the wall time spent on this table set so far, all runs
    /// together, s.
    pub fn record_runtime(&self, total_s: f64) -> Result<()> {
        let path = self.dir.join(RUNTIME_FILE);
        write_atomic(&path, format!("{total_s}\n").as_bytes())
            .map_err(|e| Error::Format(located::ContentError::of_path(&path, e.to_string())))
    }

    fn path(&self, position: usize) -> PathBuf {
        self.dir.join(format!("w{position:05}.bin"))
    }

    /// Save the rows of the weight at `position` in the full list.
    pub fn store(&self, position: usize, weight: i64, rows: &WeightRows<'_>) -> Result<()> {
        let n = rows.energy_fj.len();
        let mut bytes = Vec::with_capacity(8 + 32 + 16 + 12 * n + 32);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&self.fingerprint);
        bytes.extend_from_slice(&weight.to_le_bytes());
        bytes.extend_from_slice(&(n as u64).to_le_bytes());
        for array in [&*rows.energy_fj, &*rows.delay_ns, &*rows.toggles] {
            for v in array {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
        }
        let digest = Sha256::digest(&bytes);
        bytes.extend_from_slice(&digest);
        let path = self.path(position);
        write_atomic(&path, &bytes)
            .map_err(|e| Error::Format(located::ContentError::of_path(&path, e.to_string())))
    }

    /// Fill `rows` from the saved weight at `position`, if there is a usable one.
    pub fn load(&self, position: usize, weight: i64, rows: &mut WeightRows<'_>) -> Result<Loaded> {
        let path = self.path(position);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Loaded::Missing),
            Err(e) => return Err(Error::Io(located::FileError::of_path(path, e))),
        };
        let n = rows.energy_fj.len();
        let expected_len = 8 + 32 + 16 + 12 * n + 32;
        let reject = |why: String| {
            Ok(Loaded::Rejected(format!(
                "{}: {why}; recomputing",
                path.display()
            )))
        };
        if bytes.len() != expected_len {
            return reject(format!("{} bytes, expected {expected_len}", bytes.len()));
        }
        let (body, digest) = bytes.split_at(expected_len - 32);
        if Sha256::digest(body).as_slice() != digest {
            return reject("checksum mismatch".into());
        }
        if &body[..8] != MAGIC || body[8..40] != self.fingerprint {
            return reject("written by another run".into());
        }
        let stored_weight = i64::from_le_bytes(body[40..48].try_into().expect("8 bytes"));
        let stored_n = u64::from_le_bytes(body[48..56].try_into().expect("8 bytes"));
        if stored_weight != weight || stored_n != n as u64 {
            return reject(format!(
                "holds weight {stored_weight} with {stored_n} entries, expected {weight} with {n}"
            ));
        }
        let mut chunks = body[56..]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")));
        for array in [
            &mut *rows.energy_fj,
            &mut *rows.delay_ns,
            &mut *rows.toggles,
        ] {
            for (slot, v) in array.iter_mut().zip(&mut chunks) {
                *slot = v;
            }
        }
        Ok(Loaded::Done)
    }

    /// Delete the directory once the final tables are written.
    pub fn remove(self) -> Result<()> {
        std::fs::remove_dir_all(&self.dir)
            .map_err(|e| Error::Io(located::FileError::of_path(&self.dir, e)))
    }
}

/// What [`PartialDir::load`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    /// The rows were filled from disk.
    Done,
    /// Nothing saved for this weight.
    Missing,
    /// A file exists but is unusable; the message says why.
    Rejected(String),
}

fn unhex(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    debug_assert_eq!(hex(&out), text.to_ascii_lowercase());
    Some(out)
}
