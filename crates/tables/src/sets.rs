//! Table sets at several supply voltages, as the later stages take them,
//! and the one reader of `V=DIR` arguments that makes them.
//!
//! Selection, voltage scaling and the network's power all look at one MAC
//! characterized at several voltages; each [`TableSet`] carries its voltage
//! and the directory it came from, so that a message about a set can name
//! the directory without a second list kept in step.

use std::path::PathBuf;

use crate::vdd_model::same_vdd;
use crate::{Result, Tables, TablesError, META_FILE, VOLTAGE_LABEL_TOLERANCE_V};

/// One characterization at one supply voltage.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSet {
    /// Supply voltage, V (read sets: the library voltage in `meta.json`).
    pub vdd_v: f64,
    /// Directory the tables were read from or written to (for messages
    /// and reports).
    pub dir: PathBuf,
    /// The tables.
    pub tables: Tables,
}

/// A table directory given as `V=DIR` (V in volts) or `DIR`.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledDir {
    /// The voltage given with the directory, if any, V.
    pub label_v: Option<f64>,
    /// The table directory.
    pub dir: PathBuf,
}

impl std::str::FromStr for LabelledDir {
    type Err = String;

    fn from_str(arg: &str) -> std::result::Result<Self, String> {
        match arg.split_once('=') {
            Some((v, dir)) => {
                let label_v: f64 = v.trim().parse().map_err(|_| {
                    format!("`{arg}`: expected V=DIR with V a voltage in volts, found `{v}`")
                })?;
                Ok(LabelledDir {
                    label_v: Some(label_v),
                    dir: PathBuf::from(dir),
                })
            }
            None => Ok(LabelledDir {
                label_v: None,
                dir: PathBuf::from(arg),
            }),
        }
    }
}

impl LabelledDir {
    /// Loads the tables with their supply voltage: the library voltage in
    /// `meta.json`. A label that differs from it by more than
    /// [`VOLTAGE_LABEL_TOLERANCE_V`] is an error naming both, since every
    /// later figure (VDD scaling, power) would use the wrong voltage.
    pub fn load(&self) -> Result<TableSet> {
        let tables = Tables::load(&self.dir)?;
        let meta_v = tables.meta().library.voltage_v;
        match self.label_v {
            Some(v) if !(v.is_finite() && (v - meta_v).abs() <= VOLTAGE_LABEL_TOLERANCE_V) => {
                Err(TablesError::Meta {
                    path: self.dir.join(META_FILE),
                    field: "library.voltage_v",
                    reason: format!(
                        "the tables are labelled {v} V but were characterized at {meta_v} V \
                         (library {}); give {meta_v}={} or the directory alone",
                        tables.meta().library.name,
                        self.dir.display()
                    ),
                })
            }
            _ => Ok(TableSet {
                vdd_v: meta_v,
                dir: self.dir.clone(),
                tables,
            }),
        }
    }
}

/// Reads every directory of `dirs`, in order ([`LabelledDir::load`]). A
/// directory that cannot be read is [`TablesError::Set`], which names it
/// before the cause; two sets at the same supply voltage
/// ([`same_vdd`]) are refused, since every later stage tells sets apart by
/// voltage. Whether the sets describe one MAC is for their user to check
/// (the pruning stage's selection does).
pub fn read_sets(dirs: &[LabelledDir]) -> Result<Vec<TableSet>> {
    let mut sets: Vec<TableSet> = Vec::with_capacity(dirs.len());
    for d in dirs {
        let set = d.load().map_err(|cause| TablesError::Set {
            dir: d.dir.clone(),
            cause: Box::new(cause),
        })?;
        if sets.iter().any(|s| same_vdd(s.vdd_v, set.vdd_v)) {
            return Err(TablesError::Invalid(format!(
                "two table sets at {} V",
                set.vdd_v
            )));
        }
        sets.push(set);
    }
    Ok(sets)
}
