//! The table-directory format; its description is the crate's (lib.rs).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::psum::{PsumModel, TraceDraw};

/// File names inside a table directory.
pub const ENERGY_FILE: &str = "energy_fj.npy";
/// Sensitized-delay array file name.
pub const DELAY_FILE: &str = "delay_ns.npy";
/// Optional toggle-count array file name.
pub const TOGGLES_FILE: &str = "toggles.npy";
/// Per-weight summary file name.
pub const PER_WEIGHT_FILE: &str = "per_weight.csv";
/// Metadata file name.
pub const META_FILE: &str = "meta.json";
/// Manifest file name: `{"format": MANIFEST_FORMAT, "sha256": {file: hex}}`
/// for every other file of the set. Written last, so its presence means the
/// set is complete; its checksums catch a file replaced or damaged later.
pub const MANIFEST_FILE: &str = "manifest.json";
/// `format` field of [`MANIFEST_FILE`].
pub const MANIFEST_FORMAT: &str = "powerprune-tables-1";
/// Largest difference between a `V=DIR` label and `meta.json`'s library
/// voltage that is taken as agreement, V (labels are written with a few
/// decimals, e.g. `1.2` for 1.20 V).
pub const VOLTAGE_LABEL_TOLERANCE_V: f64 = 1e-3;

/// Header line of `per_weight.csv`.
pub const PER_WEIGHT_HEADER: &str =
    "weight,mean_energy_fj,mean_power_w,max_delay_ns,p99_delay_ns,mean_toggles";

/// Library facts recorded with a table set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LibraryInfo {
    /// Library name as given in the Liberty file.
    pub name: String,
    /// Nominal supply voltage of the library, V.
    pub voltage_v: f64,
    /// File it was read from.
    pub file: String,
}

/// One MAC port role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortInfo {
    /// Port (bus) name in the netlist.
    pub name: String,
    /// Bit width.
    pub width: u32,
    /// Two's complement when true.
    pub signed: bool,
}

/// `meta.json` of a characterization directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// Hex SHA-256 of the netlist file.
    pub netlist_hash: String,
    /// Netlist file the tables were made from.
    pub netlist_file: String,
    /// Top module name.
    pub top: String,
    /// Library the netlist was bound to.
    pub library: LibraryInfo,
    /// The weight input port.
    pub weight_port: PortInfo,
    /// The activation input port.
    pub act_port: PortInfo,
    /// The partial-sum input port.
    pub psum_port: PortInfo,
    /// Integer weight value of each index along axis 0 (order as given).
    pub weights: Vec<i64>,
    /// Integer activation value of each index along axes 1 and 2 (ascending).
    pub acts: Vec<i64>,
    /// `zero`, `hold`, `random` or `traced`.
    pub psum_model: PsumModel,
    /// Partial-sum samples averaged per transition.
    pub psum_samples: u32,
    /// Seed of the partial-sum sampler.
    pub seed: u64,
    /// Hex SHA-256 of the PE trace the `traced` model drew from (absent
    /// for the other models).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub psum_trace_sha256: Option<String>,
    /// Layer and conditioning of the `traced` draws, when not every layer
    /// given the weight (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub psum_trace_draw: Option<TraceDraw>,
    /// Clock period used for power figures, ns.
    pub clock_period_ns: f64,
    /// STA worst arrival of the netlist at this library, ns.
    pub sta_worst_delay_ns: f64,
    /// Total leakage power of the netlist in its reset state, W (for
    /// voltage-scaling models).
    pub leakage_w: f64,
    /// Units of the arrays and CSV columns, e.g. {"energy": "fJ", "delay": "ns"}.
    pub units: BTreeMap<String, String>,
    /// Version of the tool that wrote the tables.
    pub tool_version: String,
    /// Wall time the characterization took, s.
    pub runtime_s: f64,
}

impl Meta {
    /// The psum model and its samples, short: `` `random` (8 samples) ``.
    pub fn psum_label(&self) -> String {
        match self.psum_samples {
            1 => format!("`{}` (1 sample)", self.psum_model),
            k => format!("`{}` ({k} samples)", self.psum_model),
        }
    }

    /// The partial sums these tables assume, as one sentence for a report.
    pub fn psum_assumption(&self) -> String {
        let samples = match self.psum_samples {
            1 => "one sample per entry".to_string(),
            k => format!("the mean of {k} samples per entry"),
        };
        match self.psum_model {
            PsumModel::Zero => "partial sums: held at 0 before and after every transition \
                 (psum model `zero`), so each entry is a MAC whose accumulator input never moves"
                .to_string(),
            PsumModel::Hold => format!(
                "partial sums: one random value, the same before and after the transition \
                 (psum model `hold`), {samples}"
            ),
            PsumModel::Random => format!(
                "partial sums: a random value before and another after the transition \
                 (psum model `random`), {samples}"
            ),
            PsumModel::Traced => format!(
                "partial sums: consecutive pairs drawn from a traced PE stream{} \
                 (psum model `traced`), {samples}",
                self.psum_trace_sha256
                    .as_deref()
                    .map_or(String::new(), |h| {
                        format!(" (SHA-256 {}…)", h.chars().take(12).collect::<String>())
                    })
            ),
        }
    }

    /// Metadata for a hand-made table set (tests, fuzzing, examples): the
    /// given weight and activation values and library voltage, a 1 ns clock
    /// and STA delay, no leakage, and placeholder provenance (netlist
    /// `synthetic.v`, library `synthetic`, 8-bit ports `w`, `a`, `p`).
    pub fn synthetic(weights: Vec<i64>, acts: Vec<i64>, voltage_v: f64) -> Meta {
        let port = |name: &str, signed| PortInfo {
            name: name.into(),
            width: 8,
            signed,
        };
        Meta {
            netlist_hash: "00".repeat(32),
            netlist_file: "synthetic.v".into(),
            top: "mac".into(),
            library: LibraryInfo {
                name: "synthetic".into(),
                voltage_v,
                file: "synthetic.lib".into(),
            },
            weight_port: port("w", true),
            act_port: port("a", false),
            psum_port: port("p", true),
            weights,
            acts,
            psum_model: PsumModel::Zero,
            psum_samples: 1,
            seed: 0,
            psum_trace_sha256: None,
            psum_trace_draw: None,
            clock_period_ns: 1.0,
            sta_worst_delay_ns: 1.0,
            leakage_w: 0.0,
            units: [("energy", "fJ"), ("delay", "ns")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            runtime_s: 0.0,
        }
    }

    /// Checks the fields later stages rely on. On failure returns the field
    /// name and what was expected.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        if self.weights.is_empty() {
            return Err(("weights", "expected at least one weight value".into()));
        }
        let mut sorted = self.weights.clone();
        sorted.sort_unstable();
        if let Some(w) = sorted.windows(2).find(|p| p[0] == p[1]) {
            return Err(("weights", format!("value {} appears twice", w[0])));
        }
        if self.acts.is_empty() {
            return Err(("acts", "expected at least one activation value".into()));
        }
        if let Some(p) = self.acts.windows(2).find(|p| p[0] >= p[1]) {
            return Err((
                "acts",
                format!(
                    "expected strictly ascending values, found {} before {}",
                    p[0], p[1]
                ),
            ));
        }
        let positive = |name: &'static str, v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err((name, format!("expected a finite number > 0, found {v}")))
            }
        };
        let non_negative = |name: &'static str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err((name, format!("expected a finite number >= 0, found {v}")))
            }
        };
        positive("clock_period_ns", self.clock_period_ns)?;
        positive("library.voltage_v", self.library.voltage_v)?;
        non_negative("sta_worst_delay_ns", self.sta_worst_delay_ns)?;
        non_negative("leakage_w", self.leakage_w)?;
        Ok(())
    }
}

/// Everything that can go wrong reading or writing a table directory, or
/// the other formats of this crate (PE traces, `V=DIR` table sets).
#[derive(Debug, thiserror::Error)]
pub enum TablesError {
    /// A value the formats cannot hold or do not know (a psum model's
    /// name, a layer name with a comma); the message names it.
    #[error("{0}")]
    Invalid(String),
    /// The file could not be read or written.
    #[error("{}: {cause}", path.display())]
    Io {
        /// File concerned.
        path: PathBuf,
        /// Underlying error.
        cause: std::io::Error,
    },
    /// A `.npy` file is not what the format requires.
    #[error("{}: {reason}", path.display())]
    Npy {
        /// File concerned.
        path: PathBuf,
        /// What was expected and what was found.
        reason: String,
    },
    /// `meta.json` is not valid JSON or lacks a field.
    #[error("{}: {cause}", path.display())]
    Json {
        /// File concerned.
        path: PathBuf,
        /// Parser error (names line, column and field).
        cause: serde_json::Error,
    },
    /// A `meta.json` field has an unusable value.
    #[error("{}: field `{field}`: {reason}", path.display())]
    Meta {
        /// File concerned (`meta.json`, or `<memory>` for [`Tables::new`]).
        path: PathBuf,
        /// Field name.
        field: &'static str,
        /// What was expected.
        reason: String,
    },
    /// A table directory of several ([`crate::read_sets`]) could not be
    /// read: the directory, then the cause.
    #[error("reading table directory {}: {cause}", dir.display())]
    Set {
        /// The directory as given.
        dir: PathBuf,
        /// Why it could not be read.
        cause: Box<TablesError>,
    },
    /// An array does not fit the metadata or holds unusable numbers.
    #[error("{}: {reason}", path.display())]
    Data {
        /// File concerned (or `<memory>` for [`Tables::new`]).
        path: PathBuf,
        /// What was expected and what was found.
        reason: String,
    },
}

/// Result alias for this crate.
pub type Result<T, E = TablesError> = std::result::Result<T, E>;

/// One row of `per_weight.csv`: the summary of one weight over all its
/// activation transitions, each transition counted once (uniform).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerWeight {
    /// The weight value.
    pub weight: i64,
    /// Mean switching energy over all `acts × acts` transitions, fJ.
    pub mean_energy_fj: f64,
    /// `mean_energy_fj` spent once per clock period, W.
    pub mean_power_w: f64,
    /// Largest sensitized delay over all transitions, ns.
    pub max_delay_ns: f64,
    /// 99th percentile (nearest rank, see [`nearest_rank_percentile`]) of
    /// the sensitized delay over all transitions, zeros included, ns.
    pub p99_delay_ns: f64,
    /// Mean net toggles per transition, when `toggles.npy` exists.
    pub mean_toggles: Option<f64>,
}

impl PerWeight {
    /// Summarizes one weight. `energy_fj`, `delay_ns` and `toggles` are that
    /// weight's `acts × acts` slices; `clock_period_ns` turns energy per
    /// transition into power (one transition per cycle). Empty slices give
    /// zeros (a [`Tables`] never has them).
    pub fn compute(
        weight: i64,
        energy_fj: &[f32],
        delay_ns: &[f32],
        toggles: Option<&[f32]>,
        clock_period_ns: f64,
    ) -> PerWeight {
        let mean = |xs: &[f32]| {
            if xs.is_empty() {
                0.0
            } else {
                xs.iter().map(|&x| f64::from(x)).sum::<f64>() / xs.len() as f64
            }
        };
        let mean_energy_fj = mean(energy_fj);
        PerWeight {
            weight,
            mean_energy_fj,
            // fJ / ns = 1e-15 J / 1e-9 s = 1e-6 W.
            mean_power_w: mean_energy_fj / clock_period_ns * 1e-6,
            max_delay_ns: delay_ns.iter().fold(0.0f64, |m, &d| m.max(f64::from(d))),
            p99_delay_ns: nearest_rank_percentile(delay_ns, 99.0),
            mean_toggles: toggles.map(mean),
        }
    }

    /// The CSV row (no newline), columns as in [`PER_WEIGHT_HEADER`].
    /// Numbers use Rust's shortest round-trip form, so the text is
    /// deterministic and parses back to the same f64.
    pub fn csv_row(&self) -> String {
        let toggles = self.mean_toggles.map(|t| t.to_string()).unwrap_or_default();
        format!(
            "{},{},{},{},{},{}",
            self.weight,
            self.mean_energy_fj,
            self.mean_power_w,
            self.max_delay_ns,
            self.p99_delay_ns,
            toggles
        )
    }
}

/// Nearest-rank percentile: the smallest value such that at least `p` percent
/// of the values are ≤ it, i.e. the value of rank `ceil(p/100 · n)` (1-based,
/// at least 1) in ascending order. Unlike interpolating methods it is always
/// one of the observed delays, so "p99 ≤ target" means a real transition meets
/// the target. Returns 0 for no values; `p` is clamped to [0, 100].
pub fn nearest_rank_percentile(values: &[f32], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut sorted: Vec<f32> = values.to_vec();
    sorted.sort_by(f32::total_cmp);
    let n = sorted.len();
    let rank = ((p.clamp(0.0, 100.0) / 100.0) * n as f64).ceil() as usize;
    f64::from(sorted[rank.clamp(1, n) - 1])
}

/// One characterization: metadata, the `[weights, acts, acts]` arrays
/// (flat, row-major) and the per-weight summary derived from them.
///
/// Constructed only through [`Tables::new`] or [`Tables::load`], both of
/// which check shapes and values, so the accessors can index without checks.
#[derive(Debug, Clone, PartialEq)]
pub struct Tables {
    meta: Meta,
    energy_fj: Vec<f32>,
    delay_ns: Vec<f32>,
    toggles: Option<Vec<f32>>,
    per_weight: Vec<PerWeight>,
}

const MEMORY: &str = "<memory>";

impl Tables {
    /// Builds tables from arrays in `[weights, acts, acts]` row-major order.
    ///
    /// Checks `meta` ([`Meta::validate`]), that every array has
    /// `meta.weights.len() × meta.acts.len()²` entries, that all values are
    /// finite, that delays and toggles are ≥ 0, and that every weight's mean
    /// energy is ≥ 0 (one transition may be negative, a weight's mean may
    /// not). Errors name `<memory>` as the file.
    pub fn new(
        meta: Meta,
        energy_fj: Vec<f32>,
        delay_ns: Vec<f32>,
        toggles: Option<Vec<f32>>,
    ) -> Result<Tables> {
        let memory = Path::new(MEMORY);
        check_meta(&meta, memory)?;
        let n = expected_len(&meta);
        check_values(&energy_fj, n, "energy_fj", false, memory)?;
        check_energy(&energy_fj, &meta, memory)?;
        check_values(&delay_ns, n, "delay_ns", true, memory)?;
        if let Some(t) = &toggles {
            check_values(t, n, "toggles", true, memory)?;
        }
        Ok(Self::assemble(meta, energy_fj, delay_ns, toggles))
    }

    fn assemble(
        meta: Meta,
        energy_fj: Vec<f32>,
        delay_ns: Vec<f32>,
        toggles: Option<Vec<f32>>,
    ) -> Tables {
        let plane = meta.acts.len() * meta.acts.len();
        let per_weight = meta
            .weights
            .iter()
            .enumerate()
            .map(|(wi, &w)| {
                let r = wi * plane..(wi + 1) * plane;
                PerWeight::compute(
                    w,
                    &energy_fj[r.clone()],
                    &delay_ns[r.clone()],
                    toggles.as_ref().map(|t| &t[r]),
                    meta.clock_period_ns,
                )
            })
            .collect();
        Tables {
            meta,
            energy_fj,
            delay_ns,
            toggles,
            per_weight,
        }
    }

    /// Reads a table directory: `manifest.json` first, then `meta.json`,
    /// `energy_fj.npy`, `delay_ns.npy`, `toggles.npy` when the manifest
    /// lists it, and `per_weight.csv`, each checked against its SHA-256 in
    /// the manifest. A directory without a manifest (an interrupted write)
    /// or with a file that does not match it is refused. Arrays may be f32
    /// or f64 (f64 is narrowed to f32) and must have shape
    /// `[weights, acts, acts]` as given by `meta.json`, in C order. Errors
    /// name the offending file.
    pub fn load(dir: impl AsRef<Path>) -> Result<Tables> {
        let dir = dir.as_ref();
        let manifest = Manifest::load(dir)?;
        let meta_path = dir.join(META_FILE);
        let text = String::from_utf8(manifest.read_checked(dir, META_FILE)?).map_err(|e| {
            TablesError::Data {
                path: meta_path.clone(),
                reason: format!("expected UTF-8 JSON: {e}"),
            }
        })?;
        let meta: Meta = serde_json::from_str(&text).map_err(|source| TablesError::Json {
            path: meta_path.clone(),
            cause: source,
        })?;
        check_meta(&meta, &meta_path)?;
        let shape = [
            meta.weights.len() as u64,
            meta.acts.len() as u64,
            meta.acts.len() as u64,
        ];
        let n = expected_len(&meta);
        let read = |name: &str, non_negative: bool| -> Result<Vec<f32>> {
            let path = dir.join(name);
            let bytes = manifest.read_checked(dir, name)?;
            let values = read_npy_f32(&bytes, &path, &shape)?;
            check_values(&values, n, "array", non_negative, &path)?;
            Ok(values)
        };
        let energy_fj = read(ENERGY_FILE, false)?;
        check_energy(&energy_fj, &meta, &dir.join(ENERGY_FILE))?;
        let delay_ns = read(DELAY_FILE, true)?;
        let toggles = if manifest.sha256.contains_key(TOGGLES_FILE) {
            Some(read(TOGGLES_FILE, true)?)
        } else {
            None
        };
        // The summary is derived from the arrays and recomputed, but a
        // damaged copy beside them is still a damaged set.
        manifest.read_checked(dir, PER_WEIGHT_FILE)?;
        Ok(Self::assemble(meta, energy_fj, delay_ns, toggles))
    }

    /// Writes the directory (created if missing): both arrays, `toggles.npy`
    /// when present (a stale one is removed when absent, so the directory
    /// always matches these tables), `per_weight.csv` and `meta.json`. Each
    /// file goes to a temporary name first and is then renamed into place.
    pub fn save(&self, dir: impl AsRef<Path>) -> Result<()> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|source| TablesError::Io {
            path: dir.to_path_buf(),
            cause: source,
        })?;
        // From here until the new manifest is written the directory is not
        // a table set: a kill in between leaves it refused, not mixed.
        unseal(dir)?;
        remove_stale_temporaries(dir)?;
        let shape = [
            self.meta.weights.len() as u64,
            self.meta.acts.len() as u64,
            self.meta.acts.len() as u64,
        ];
        let mut json =
            serde_json::to_string_pretty(&self.meta).map_err(|source| TablesError::Json {
                path: dir.join(META_FILE),
                cause: source,
            })?;
        json.push('\n');
        let mut files: Vec<(&str, Vec<u8>)> = vec![
            (ENERGY_FILE, npy_f32_bytes(&shape, &self.energy_fj)?),
            (DELAY_FILE, npy_f32_bytes(&shape, &self.delay_ns)?),
        ];
        let toggles_path = dir.join(TOGGLES_FILE);
        match &self.toggles {
            Some(t) => files.push((TOGGLES_FILE, npy_f32_bytes(&shape, t)?)),
            None if toggles_path.exists() => {
                std::fs::remove_file(&toggles_path).map_err(|source| TablesError::Io {
                    path: toggles_path.clone(),
                    cause: source,
                })?
            }
            None => {}
        }
        files.push((PER_WEIGHT_FILE, self.per_weight_csv().into_bytes()));
        files.push((META_FILE, json.into_bytes()));
        let mut manifest = Manifest::default();
        for (name, bytes) in &files {
            write_atomic(&dir.join(name), bytes)?;
            manifest
                .sha256
                .insert((*name).to_string(), sha256_hex(bytes));
        }
        manifest.save(dir)
    }

    /// The metadata.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// Number of weight values (axis 0).
    pub fn num_weights(&self) -> usize {
        self.meta.weights.len()
    }

    /// Number of activation values (axes 1 and 2).
    pub fn num_acts(&self) -> usize {
        self.meta.acts.len()
    }

    fn index(&self, wi: usize, ai: usize, aj: usize) -> usize {
        let a = self.num_acts();
        assert!(
            wi < self.num_weights() && ai < a && aj < a,
            "table index ({wi}, {ai}, {aj}) out of range"
        );
        (wi * a + ai) * a + aj
    }

    /// Energy of transition `acts[ai] → acts[aj]` under `weights[wi]`, fJ.
    /// Panics on an index out of range, like slice indexing.
    pub fn energy_fj(&self, wi: usize, ai: usize, aj: usize) -> f32 {
        self.energy_fj[self.index(wi, ai, aj)]
    }

    /// Sensitized delay of transition `acts[ai] → acts[aj]` under
    /// `weights[wi]`, ns. Panics on an index out of range.
    pub fn delay_ns(&self, wi: usize, ai: usize, aj: usize) -> f32 {
        self.delay_ns[self.index(wi, ai, aj)]
    }

    /// Net toggles of that transition, when `toggles.npy` exists.
    /// Panics on an index out of range.
    pub fn toggles(&self, wi: usize, ai: usize, aj: usize) -> Option<f32> {
        let i = self.index(wi, ai, aj);
        self.toggles.as_ref().map(|t| t[i])
    }

    /// The whole energy array, `[weights, acts, acts]` row-major, fJ.
    pub fn energy_fj_array(&self) -> &[f32] {
        &self.energy_fj
    }

    /// The whole delay array, `[weights, acts, acts]` row-major, ns.
    pub fn delay_ns_array(&self) -> &[f32] {
        &self.delay_ns
    }

    /// The whole toggles array, if any.
    pub fn toggles_array(&self) -> Option<&[f32]> {
        self.toggles.as_deref()
    }

    /// Per-weight summary rows, in axis-0 order.
    pub fn per_weight(&self) -> &[PerWeight] {
        &self.per_weight
    }

    /// Axis-0 index of weight value `w`.
    pub fn weight_index(&self, w: i64) -> Option<usize> {
        self.meta.weights.iter().position(|&x| x == w)
    }

    /// Axis-1/2 index of activation value `a`.
    pub fn act_index(&self, a: i64) -> Option<usize> {
        self.meta.acts.binary_search(&a).ok()
    }

    /// The text of `per_weight.csv`, header included, `\n` line ends.
    pub fn per_weight_csv(&self) -> String {
        let mut s = String::from(PER_WEIGHT_HEADER);
        s.push('\n');
        for row in &self.per_weight {
            let _ = writeln!(s, "{}", row.csv_row());
        }
        s
    }
}

/// `manifest.json` of a table directory: the SHA-256 of each other file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Manifest {
    /// [`MANIFEST_FORMAT`].
    format: String,
    /// Lower-case hex SHA-256 of each file, by file name.
    sha256: BTreeMap<String, String>,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest {
            format: MANIFEST_FORMAT.into(),
            sha256: BTreeMap::new(),
        }
    }
}

impl Manifest {
    /// Reads and checks `dir/manifest.json`: it must exist, have our format
    /// and list at least the files every table set has.
    fn load(dir: &Path) -> Result<Manifest> {
        let path = dir.join(MANIFEST_FILE);
        let data_err = |reason: String| TablesError::Data {
            path: path.clone(),
            reason,
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            // No directory at all: the file every table set starts with.
            Err(cause) if cause.kind() == std::io::ErrorKind::NotFound && !dir.is_dir() => {
                return Err(TablesError::Io {
                    path: dir.join(META_FILE),
                    cause,
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let what = if dir.join(META_FILE).exists() || dir.join(ENERGY_FILE).exists() {
                    "the table set is incomplete: its write was interrupted (rerun the \
                     characterization with the same arguments to finish it), or it was not \
                     written by powerprune"
                } else {
                    "not a table directory (expected the meta.json, arrays and manifest.json \
                     that `powerprune characterize` writes)"
                };
                return Err(data_err(format!("not found: {what}")));
            }
            Err(source) => {
                return Err(TablesError::Io {
                    path,
                    cause: source,
                })
            }
        };
        let manifest: Manifest =
            serde_json::from_str(&text).map_err(|source| TablesError::Json {
                path: path.clone(),
                cause: source,
            })?;
        if manifest.format != MANIFEST_FORMAT {
            return Err(data_err(format!(
                "format `{}`, expected `{MANIFEST_FORMAT}`",
                manifest.format
            )));
        }
        for required in [ENERGY_FILE, DELAY_FILE, PER_WEIGHT_FILE, META_FILE] {
            if !manifest.sha256.contains_key(required) {
                return Err(data_err(format!("does not list `{required}`")));
            }
        }
        if let Some(name) = manifest.sha256.keys().find(|name| {
            ![
                ENERGY_FILE,
                DELAY_FILE,
                TOGGLES_FILE,
                PER_WEIGHT_FILE,
                META_FILE,
            ]
            .contains(&name.as_str())
        }) {
            return Err(data_err(format!("lists unknown file `{name}`")));
        }
        if !manifest.sha256.contains_key(TOGGLES_FILE) && dir.join(TOGGLES_FILE).exists() {
            return Err(data_err(format!(
                "does not list `{TOGGLES_FILE}`, which is in the directory: \
                 the files are not one table set"
            )));
        }
        Ok(manifest)
    }

    /// The bytes of `dir/name`, refused unless their SHA-256 is the
    /// manifest's.
    fn read_checked(&self, dir: &Path, name: &str) -> Result<Vec<u8>> {
        let path = dir.join(name);
        let bytes = read_bytes(&path)?;
        let expected = self.sha256.get(name).map(String::as_str).unwrap_or("");
        let found = sha256_hex(&bytes);
        if !found.eq_ignore_ascii_case(expected) {
            return Err(TablesError::Data {
                path,
                reason: format!(
                    "SHA-256 {found} does not match {expected} in {MANIFEST_FILE}: the file \
                     was changed or only partly written since the table set was made"
                ),
            });
        }
        Ok(bytes)
    }

    /// Writes `dir/manifest.json` atomically.
    fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(MANIFEST_FILE);
        let mut json = serde_json::to_string_pretty(self).map_err(|source| TablesError::Json {
            path: path.clone(),
            cause: source,
        })?;
        json.push('\n');
        write_atomic(&path, json.as_bytes())
    }
}

/// Writes `dir/manifest.json` for the table files now in `dir`, making
/// them one table set: for a set written by another tool (e.g. numpy).
/// [`Tables::load`] still checks every shape and value.
pub fn seal(dir: &Path) -> Result<()> {
    let mut manifest = Manifest::default();
    for name in [
        ENERGY_FILE,
        DELAY_FILE,
        TOGGLES_FILE,
        PER_WEIGHT_FILE,
        META_FILE,
    ] {
        match std::fs::read(dir.join(name)) {
            Ok(bytes) => {
                manifest.sha256.insert(name.to_string(), sha256_hex(&bytes));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(cause) => {
                return Err(TablesError::Io {
                    path: dir.join(name),
                    cause,
                })
            }
        }
    }
    manifest.save(dir)
}

/// Lower-case hex SHA-256 of `bytes`: the form of every checksum the
/// formats record (manifest, trace, netlist hashes).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Removes `dir`'s manifest, so the directory no longer reads as a table
/// set. Called before any file of a new set is written into it (by
/// [`Tables::save`], and by writers of companion files such as `shard.json`).
pub fn unseal(dir: &Path) -> Result<()> {
    let path = dir.join(MANIFEST_FILE);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(TablesError::Io { path, cause: e })
        }
        _ => Ok(()),
    }
}

/// Prefix of the temporary files [`write_atomic`] (every atomic output
/// file, [`outfile::AtomicFile`]) creates.
pub const TEMP_PREFIX: &str = outfile::TEMP_PREFIX;

/// Removes the temporary files a killed [`write_atomic`] left in `dir`
/// (plain files named `.tmp*`; symbolic links are removed, not followed).
/// Only call this while no other process writes into `dir` (a run holds the
/// directory's lock). A missing `dir` is not an error.
pub fn remove_stale_temporaries(dir: &Path) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(TablesError::Io {
                path: dir.to_path_buf(),
                cause: source,
            })
        }
    };
    for entry in entries.flatten() {
        let stale = entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX)
            && entry.file_type().is_ok_and(|t| !t.is_dir());
        if stale {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(|source| TablesError::Io {
                path,
                cause: source,
            })?;
        }
    }
    Ok(())
}

fn check_meta(meta: &Meta, path: &Path) -> Result<()> {
    meta.validate()
        .map_err(|(field, reason)| TablesError::Meta {
            path: path.to_path_buf(),
            field,
            reason,
        })
}

fn expected_len(meta: &Meta) -> usize {
    meta.weights.len() * meta.acts.len() * meta.acts.len()
}

/// Energies: a single transition may be negative (Liberty internal power
/// can be: the SKY130 libraries give about 28,000 of the 8-bit MAC's 2^24
/// transitions a negative total, down to -251 fJ), but no weight's mean over
/// its transitions may be, since that is the energy a real MAC draws on
/// average and a negative one would make every power figure built on it
/// (baseline, reduction) meaningless.
fn check_energy(energy_fj: &[f32], meta: &Meta, path: &Path) -> Result<()> {
    let plane = meta.acts.len() * meta.acts.len();
    for (w, row) in meta.weights.iter().zip(energy_fj.chunks(plane.max(1))) {
        let mean = row.iter().map(|&e| f64::from(e)).sum::<f64>() / row.len().max(1) as f64;
        if mean < 0.0 {
            return Err(TablesError::Data {
                path: path.to_path_buf(),
                reason: format!(
                    "weight {w}: mean energy per transition {mean} fJ, expected >= 0 \
                     (single transitions may be negative, a weight's mean may not)"
                ),
            });
        }
    }
    Ok(())
}

fn check_values(
    values: &[f32],
    n: usize,
    what: &str,
    non_negative: bool,
    path: &Path,
) -> Result<()> {
    let data_err = |reason: String| TablesError::Data {
        path: path.to_path_buf(),
        reason,
    };
    if values.len() != n {
        return Err(data_err(format!(
            "{what}: expected weights × acts × acts = {n} values, found {}",
            values.len()
        )));
    }
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(data_err(format!(
            "{what}: value at flat index {i} is {}, expected a finite number",
            values[i]
        )));
    }
    if non_negative {
        if let Some(i) = values.iter().position(|&v| v < 0.0) {
            return Err(data_err(format!(
                "{what}: value at flat index {i} is {}, expected >= 0",
                values[i]
            )));
        }
    }
    Ok(())
}

/// A numeric `.npy` array read as f64: its shape and its values in C order.
#[derive(Debug, Clone, PartialEq)]
pub struct NpyArray {
    /// Extent of each axis.
    pub shape: Vec<usize>,
    /// Values, row-major.
    pub data: Vec<f64>,
}

/// Reads any numeric (bool, int, uint or float) NPY array as f64. Refuses
/// Fortran order and non-numeric dtypes; errors name the file.
pub fn read_npy_f64(path: &Path) -> Result<NpyArray> {
    let bytes = read_bytes(path)?;
    let npy_err = |reason: String| npy_error(path, reason);
    let file = open_npy(&bytes, path)?;
    let shape: Vec<usize> = file.shape().iter().map(|&d| d as usize).collect();
    let descr = file.dtype().descr();
    // Try each numeric element type the format allows; `try_data` hands the
    // file back on a dtype mismatch so the next one can be tried.
    macro_rules! try_types {
        ($file:expr, $($t:ty),*) => {{
            let file = $file;
            $(
            let file = match file.try_data::<$t>() {
                Ok(reader) => {
                    let data = reader
                        .map(|r| r.map(|v| v as f64))
                        .collect::<std::io::Result<Vec<f64>>>()
                        .map_err(|e| npy_err(format!("reading data: {e}")))?;
                    return Ok(NpyArray { shape, data });
                }
                Err(file) => file,
            };
            )*
            let _ = file;
        }};
    }
    try_types!(file, f64, f32, i64, i32, i16, i8, u64, u32, u16, u8);
    Err(npy_err(format!(
        "expected a numeric dtype (float, int or uint), found {descr}"
    )))
}

/// The whole of the file at `path`; a failure names it.
fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| TablesError::Io {
        path: path.to_path_buf(),
        cause: source,
    })
}

/// An NPY format error about the file at `path`.
fn npy_error(path: &Path, reason: String) -> TablesError {
    TablesError::Npy {
        path: path.to_path_buf(),
        reason,
    }
}

fn open_npy<'a>(bytes: &'a [u8], path: &Path) -> Result<npyz::NpyFile<&'a [u8]>> {
    let file = npyz::NpyFile::new(bytes)
        .map_err(|e| npy_error(path, format!("not a valid NPY file: {e}")))?;
    if file.order() == npyz::Order::Fortran {
        return Err(npy_error(
            path,
            "expected C order ('fortran_order': False), found Fortran order".into(),
        ));
    }
    Ok(file)
}

/// Reads an f32 or f64 array that must have exactly `shape` from the bytes
/// of the file at `path`.
fn read_npy_f32(bytes: &[u8], path: &Path, shape: &[u64]) -> Result<Vec<f32>> {
    let npy_err = |reason: String| npy_error(path, reason);
    let file = open_npy(bytes, path)?;
    if file.shape() != shape {
        return Err(npy_err(format!(
            "expected shape {shape:?} (weights, acts, acts from meta.json), found {:?}",
            file.shape()
        )));
    }
    let descr = file.dtype().descr();
    let file = match file.try_data::<f32>() {
        Ok(reader) => {
            return reader
                .collect::<std::io::Result<Vec<f32>>>()
                .map_err(|e| npy_err(format!("reading data: {e}")))
        }
        Err(file) => file,
    };
    match file.try_data::<f64>() {
        Ok(reader) => reader
            .map(|r| r.map(|v| v as f32))
            .collect::<std::io::Result<Vec<f32>>>()
            .map_err(|e| npy_err(format!("reading data: {e}"))),
        Err(_) => Err(npy_err(format!(
            "expected dtype '<f4' (or a float of 4 or 8 bytes), found {descr}"
        ))),
    }
}

/// Encodes `values` as an NPY 1.0 file: little-endian f32, C order, `shape`.
/// Fails (naming `<memory>`) when `values` does not have `shape`'s product
/// of entries.
pub fn npy_f32_bytes(shape: &[u64], values: &[f32]) -> Result<Vec<u8>> {
    use npyz::WriterBuilder;
    let n: u64 = shape.iter().product();
    if n != values.len() as u64 {
        return Err(TablesError::Data {
            path: PathBuf::from(MEMORY),
            reason: format!("shape {shape:?} needs {n} values, found {}", values.len()),
        });
    }
    let mut out = Vec::with_capacity(128 + 4 * values.len());
    let io = |e: std::io::Error| TablesError::Io {
        path: PathBuf::from(MEMORY),
        cause: e,
    };
    // Explicit '<f4' rather than the machine's byte order, so output is the
    // same on every host.
    let dtype = npyz::DType::parse("'<f4'").map_err(io)?;
    let mut writer = npyz::WriteOptions::<f32>::new()
        .dtype(dtype)
        .shape(shape)
        .writer(&mut out)
        .begin_nd()
        .map_err(io)?;
    writer.extend(values.iter().copied()).map_err(io)?;
    writer.finish().map_err(io)?;
    Ok(out)
}

/// Writes `bytes` to `path` atomically ([`outfile::write`]: a temporary file
/// in the same directory, synced and renamed into place, the directory
/// synced), so readers see either the old or the new file, never a partial
/// one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    outfile::write(path, bytes).map_err(|source| TablesError::Io {
        path: path.to_path_buf(),
        cause: source,
    })
}

#[cfg(test)]
mod tests;
