//! The characterization directory format.
//!
//! A directory holds:
//! - `energy_fj.npy`: f32, shape `[weights, acts, acts]`, energy of the
//!   transition a → a' (axis 1 → axis 2) under weight w (axis 0), fJ;
//! - `delay_ns.npy`: f32, same shape, sensitized delay, ns (0 = no output moved);
//! - `per_weight.csv`: `weight,mean_energy_fj,mean_power_w,max_delay_ns,p99_delay_ns,mean_toggles`;
//! - `meta.json`: [`Meta`].

use serde::{Deserialize, Serialize};

/// Library facts recorded with a table set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LibraryInfo {
    pub name: String,
    /// Nominal supply voltage of the library, V.
    pub voltage_v: f64,
    /// File it was read from.
    pub file: String,
}

/// One MAC port role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortInfo {
    pub name: String,
    pub width: u32,
    pub signed: bool,
}

/// `meta.json` of a characterization directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// Hex SHA-256 of the netlist file.
    pub netlist_hash: String,
    pub netlist_file: String,
    pub top: String,
    pub library: LibraryInfo,
    pub weight_port: PortInfo,
    pub act_port: PortInfo,
    pub psum_port: PortInfo,
    /// Integer weight value of each index along axis 0 (order as given).
    pub weights: Vec<i64>,
    /// Integer activation value of each index along axes 1 and 2 (ascending).
    pub acts: Vec<i64>,
    /// `zero`, `hold` or `random`.
    pub psum_model: String,
    pub psum_samples: u32,
    pub seed: u64,
    /// Clock period used for power figures, ns.
    pub clock_period_ns: f64,
    /// STA worst arrival of the netlist at this library, ns.
    pub sta_worst_delay_ns: f64,
    /// Total leakage power of the netlist in its reset state, W (for
    /// voltage-scaling models).
    pub leakage_w: f64,
    /// Units of the arrays and CSV columns, e.g. {"energy": "fJ", "delay": "ns"}.
    pub units: std::collections::BTreeMap<String, String>,
    pub tool_version: String,
    pub runtime_s: f64,
}
