//! The characterization tables, laid out for the array model's lookups.
//!
//! The array model asks, for one activation transition, the energy under
//! every weight of a row of processing elements; storing energies as
//! `[a][a'][w]` (transposed from the on-disk `[w][a][a']`) keeps those
//! lookups within one contiguous slice.

use std::path::{Path, PathBuf};

use tables::{TableSet, Tables};

use crate::error::{NnError, Result};

/// Switching energies of one table set, transition-major.
#[derive(Debug, Clone)]
pub struct EnergyTable {
    /// Directory the tables came from (for messages).
    pub source: PathBuf,
    /// Weight value of each weight index.
    pub weights: Vec<i64>,
    /// Activation value of each activation index (ascending).
    pub acts: Vec<i64>,
    /// `energy_fj[(ai * A + aj) * W + wi]`, fJ.
    energy_fj: Vec<f32>,
    /// Clock period, ns.
    pub clock_period_ns: f64,
    /// Leakage power of one MAC, W.
    pub leakage_w: f64,
    /// The partial sums the tables assume, one sentence
    /// ([`tables::Meta::psum_assumption`]).
    pub psum_assumption: String,
}

impl EnergyTable {
    /// Load a table directory.
    pub fn load(dir: &Path) -> Result<EnergyTable> {
        let t = Tables::load(dir).map_err(|e| NnError::Mismatch(format!("tables: {e}")))?;
        Ok(Self::from_tables(&t, dir))
    }

    /// From a table set in memory, named by its directory in messages.
    pub fn from_set(set: &TableSet) -> EnergyTable {
        Self::from_tables(&set.tables, &set.dir)
    }

    /// From tables already in memory; `source` names them in messages.
    pub fn from_tables(t: &Tables, source: &Path) -> EnergyTable {
        let meta = t.meta();
        let (nw, na) = (t.num_weights(), t.num_acts());
        let flat = t.energy_fj_array();
        let mut energy_fj = vec![0f32; flat.len()];
        for wi in 0..nw {
            for ai in 0..na {
                for aj in 0..na {
                    energy_fj[(ai * na + aj) * nw + wi] = flat[(wi * na + ai) * na + aj];
                }
            }
        }
        EnergyTable {
            psum_assumption: meta.psum_assumption(),
            source: source.to_path_buf(),
            weights: meta.weights.clone(),
            acts: meta.acts.clone(),
            energy_fj,
            clock_period_ns: meta.clock_period_ns,
            leakage_w: meta.leakage_w,
        }
    }

    /// Number of activation values.
    pub fn num_acts(&self) -> usize {
        self.acts.len()
    }

    /// Energies of transition `ai → aj` under each weight index, fJ.
    pub fn transition(&self, ai: usize, aj: usize) -> &[f32] {
        let nw = self.weights.len();
        &self.energy_fj[(ai * self.acts.len() + aj) * nw..][..nw]
    }

    /// Index of weight value `w`, or an error naming the tables.
    pub fn weight_index(&self, w: i64) -> Result<usize> {
        self.weights.iter().position(|&v| v == w).ok_or_else(|| {
            NnError::Mismatch(format!(
                "{}: weight value {w} is not in the tables (they hold {}..={})",
                self.source.display(),
                self.weights.iter().min().copied().unwrap_or(0),
                self.weights.iter().max().copied().unwrap_or(0)
            ))
        })
    }

    /// Index of activation value `a`, or an error naming the tables.
    pub fn act_index(&self, a: i64) -> Result<usize> {
        self.acts.binary_search(&a).map_err(|_| {
            NnError::Mismatch(format!(
                "{}: activation value {a} is not in the tables (they hold {}..={})",
                self.source.display(),
                self.acts.first().copied().unwrap_or(0),
                self.acts.last().copied().unwrap_or(0)
            ))
        })
    }
}
