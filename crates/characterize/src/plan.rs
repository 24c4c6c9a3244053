//! A sweep described independently of how it is run: what to simulate and
//! the fingerprint that tells whether saved results belong to it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};
use tables::{LibraryInfo, Meta};

use crate::ports::MacPorts;
use crate::psum::{PsumPool, PsumSpec};
use crate::shard::Shard;

/// Bumped whenever the meaning of a table entry changes, so old partial
/// results are not mixed with new ones.
const FORMAT: &str = "powerprune-characterize/1";

/// Everything that determines the tables' contents.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Netlist path as given.
    pub netlist_file: String,
    /// Hex SHA-256 of the netlist file.
    pub netlist_hash: String,
    /// Top module.
    pub top: String,
    /// Library facts for `meta.json`.
    pub library: LibraryInfo,
    /// Hex SHA-256 of the library file.
    pub library_hash: String,
    /// Port roles bound to the netlist.
    pub ports: MacPorts,
    /// Every weight of the full sweep, in table order.
    pub weights: Vec<i64>,
    /// Activation values, ascending.
    pub acts: Vec<i64>,
    /// Which part of `weights` this run computes.
    pub shard: Shard,
    /// Psum model.
    pub psum: PsumSpec,
    /// Partial sums of the `traced` model (`None` for the others).
    pub psum_pool: Option<std::sync::Arc<PsumPool>>,
    /// Clock period (step length for leakage, and power figures), ns.
    pub clock_period_ns: f64,
    /// STA worst arrival, ns (for `meta.json`; derived from netlist and library).
    pub sta_worst_delay_ns: f64,
}

impl Plan {
    /// Positions in [`Plan::weights`] that this run (shard) computes, ascending.
    pub fn shard_positions(&self) -> Vec<usize> {
        self.shard.positions(self.weights.len())
    }

    /// Weight values this run computes, in table order.
    pub fn shard_weights(&self) -> Vec<i64> {
        self.shard_positions()
            .into_iter()
            .map(|k| self.weights[k])
            .collect()
    }

    /// Hex SHA-256 identifying the full sweep (every shard of one sweep
    /// shares it): inputs, settings and tool version.
    pub fn sweep_fingerprint(&self) -> String {
        let mut text = String::new();
        let _ = writeln!(text, "format={FORMAT}");
        let _ = writeln!(text, "tool={}", env!("CARGO_PKG_VERSION"));
        let _ = writeln!(text, "netlist={}", self.netlist_hash);
        let _ = writeln!(text, "top={}", self.top);
        let _ = writeln!(text, "library={}", self.library_hash);
        for (role, p) in [
            ("weight", &self.ports.weight),
            ("act", &self.ports.act),
            ("psum", &self.ports.psum),
        ] {
            let _ = writeln!(
                text,
                "{role}={} index={} width={} signed={}",
                p.name, p.index, p.encoding.width, p.encoding.signed
            );
        }
        let _ = writeln!(text, "weights={:?}", self.weights);
        let _ = writeln!(text, "acts={:?}", self.acts);
        let _ = writeln!(
            text,
            "psum={} samples={} seed={}",
            self.psum.model.name(),
            self.psum.samples,
            self.psum.seed
        );
        if let Some(pool) = &self.psum_pool {
            let _ = writeln!(text, "psum_trace_sha256={}", pool.trace_sha256);
            // Only when not the default, so earlier fingerprints still match.
            let draw = pool.draw_spec();
            if !draw.is_default() {
                let _ = writeln!(
                    text,
                    "psum_trace_layer={:?} psum_given={} psum_samples_max={:?}",
                    draw.layer,
                    draw.given.name(),
                    draw.max_samples
                );
            }
        }
        // Bit pattern, so 10 and 10.000000001 differ.
        let _ = writeln!(
            text,
            "clock_period_ns={:016x}",
            self.clock_period_ns.to_bits()
        );
        // The simulator settings every characterization uses: they change
        // the numbers. The period is recorded on its own line.
        let sim = crate::design::Design::sim_options(self.clock_period_ns).settings_label();
        let _ = writeln!(text, "sim={sim}");
        hex(&Sha256::digest(text.as_bytes()))
    }

    /// Hex SHA-256 of this run: the sweep plus the shard.
    pub fn run_fingerprint(&self) -> String {
        let text = format!(
            "{}\nshard={}/{}\n",
            self.sweep_fingerprint(),
            self.shard.index,
            self.shard.count
        );
        hex(&Sha256::digest(text.as_bytes()))
    }

    /// `meta.json` for this run's weights.
    pub fn meta(&self, leakage_w: f64, runtime_s: f64) -> Meta {
        let units: BTreeMap<String, String> = [
            (
                "energy",
                "fJ per transition, switching + internal (leakage apart, see leakage_w)",
            ),
            (
                "delay",
                "ns, sensitized: input change to last output event; 0 = no output moved",
            ),
            (
                "toggles",
                "net transitions per transition, primary inputs included",
            ),
            ("power", "W, mean energy once per clock_period_ns"),
            ("leakage", "W"),
            ("clock_period", "ns"),
            ("sta_worst_delay", "ns"),
            ("runtime", "s"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        Meta {
            netlist_hash: self.netlist_hash.clone(),
            netlist_file: self.netlist_file.clone(),
            top: self.top.clone(),
            library: self.library.clone(),
            weight_port: self.ports.weight.info(),
            act_port: self.ports.act.info(),
            psum_port: self.ports.psum.info(),
            weights: self.shard_weights(),
            acts: self.acts.clone(),
            psum_model: self.psum.model,
            psum_samples: self.psum.samples,
            seed: self.psum.seed,
            psum_trace_sha256: self.psum_pool.as_ref().map(|p| p.trace_sha256.clone()),
            psum_trace_draw: self
                .psum_pool
                .as_ref()
                .map(|p| p.draw_spec().clone())
                .filter(|d| !d.is_default()),
            clock_period_ns: self.clock_period_ns,
            sta_worst_delay_ns: self.sta_worst_delay_ns,
            leakage_w,
            units,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            runtime_s,
        }
    }
}

/// Lower-case hex of a byte string.
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Hex SHA-256 of a file's bytes.
pub fn file_sha256(path: &std::path::Path) -> crate::Result<String> {
    let bytes =
        std::fs::read(path).map_err(|e| crate::Error::Io(located::FileError::of_path(path, e)))?;
    Ok(hex(&Sha256::digest(&bytes)))
}

#[cfg(test)]
mod tests {
    use crate::design::Design;

    /// Fingerprints of existing table directories hash this line: it must
    /// keep the text it had when it was a constant.
    #[test]
    fn sim_settings_text_is_the_recorded_one() {
        assert_eq!(
            Design::sim_options(2.5).settings_label(),
            "delay_model=sdf transport=false output_load_pf=0 input_slew_ns=0"
        );
    }
}
