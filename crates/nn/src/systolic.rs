//! Energy of a weight-stationary systolic array, from the MAC tables.
//!
//! Dataflow (per layer lowered to `Y = A · W`, see [`crate::lower`]):
//! - the array has `rows × cols` processing elements (PEs); `W` (K × N) is cut
//!   into tiles of `rows` dot-product positions × `cols` outputs, loaded one
//!   after the other; PE `(r, c)` of tile `(kt, nt)` holds
//!   `W[kt·rows + r][nt·cols + c]`;
//! - activation `A[m][k]` enters row `k mod rows` from the left and passes
//!   through every PE of that row, one step per cycle; partial sums flow down
//!   the columns. A tile streams all its `M` rows (all images of the batch,
//!   image after image, positions in row-major order), so it takes `M` cycles
//!   (pipeline fill and drain are ignored: they are `rows + cols` cycles per
//!   tile, small against `M` for convolutions);
//! - a PE holding weight `w` that sees activation `a` followed by `a'` draws
//!   `E[w][a][a']` from the tables: the partial-sum input is whatever the
//!   characterization's psum model assumed. Each tile's streams start from
//!   activation 0 (registers reset when a tile is loaded);
//! - idle PEs (no weight of the layer in this tile) hold weight 0. In a row
//!   with no `k` (the last tile along K) the activation input stays 0; in a
//!   used column such a PE still passes the column's partial sum down, so
//!   it draws `E[0][0][0]` per cycle (0 with psum-0 tables, the partial-sum
//!   activity with psum-aware ones); in an unused column nothing at its
//!   inputs changes and it draws nothing. Idle PEs of a row that carries
//!   activations are the columns past N at the right end of the last tile
//!   along N; what they see is an [`IdleModel`]: by default the stream stops
//!   at the last used column (its registers are clock-gated), so their
//!   inputs never change and they draw nothing; with [`IdleModel::Stream`]
//!   the activations pass through them and they draw `E[0][a][a']` (with
//!   psum-aware tables that includes partial-sum activity an unused column
//!   does not have, an overestimate);
//! - weight loading and leakage are not switching energy of the tables;
//!   leakage is added as power in [`crate::power`].
//!
//! Energy depends on a row only through its activation stream, so all tiles
//! along N that share a row are summed in one pass over the stream.

use std::str::FromStr;

use crate::error::{NnError, Result};
use crate::infer::IntLayer;
use crate::lower::Lowered;
use crate::table::EnergyTable;

/// Size of the PE array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ArrayShape {
    /// PE rows (dot-product positions per tile).
    pub rows: usize,
    /// PE columns (outputs per tile).
    pub cols: usize,
}

impl Default for ArrayShape {
    fn default() -> Self {
        ArrayShape { rows: 64, cols: 64 }
    }
}

impl FromStr for ArrayShape {
    type Err = NnError;

    /// Parse `ROWSxCOLS`, e.g. `64x64`.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || NnError::Invalid(format!("array size `{s}`: expected ROWSxCOLS, e.g. 64x64"));
        let (r, c) = s.split_once(['x', 'X']).ok_or_else(bad)?;
        let rows: usize = r.trim().parse().map_err(|_| bad())?;
        let cols: usize = c.trim().parse().map_err(|_| bad())?;
        if rows == 0 || cols == 0 {
            return Err(bad());
        }
        Ok(ArrayShape { rows, cols })
    }
}

impl std::fmt::Display for ArrayShape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}x{}", self.rows, self.cols)
    }
}

/// What idle PEs in rows that carry activations see.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdleModel {
    /// The stream stops at the last used column: weight 0, no transitions.
    #[default]
    Gated,
    /// Activations pass through: weight 0, the row's transitions.
    Stream,
}

impl FromStr for IdleModel {
    type Err = NnError;

    /// `gated` or `stream`.
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "gated" => Ok(IdleModel::Gated),
            "stream" => Ok(IdleModel::Stream),
            _ => Err(NnError::Invalid(format!(
                "idle model `{s}`: expected gated or stream"
            ))),
        }
    }
}

/// Maps activation values to table indices through a dense lookup.
#[derive(Debug, Clone)]
pub struct ActIndex {
    min: i64,
    lut: Vec<u32>,
}

impl ActIndex {
    /// Table index of every value in `values` (and 0, which padding and
    /// idle rows feed); errors when one is missing from the tables.
    pub fn new(table: &EnergyTable, values: &[i64]) -> Result<ActIndex> {
        let min = values.iter().copied().chain([0]).min().unwrap_or(0);
        let max = values.iter().copied().chain([0]).max().unwrap_or(0);
        let mut lut = vec![u32::MAX; (max - min + 1) as usize];
        for v in values.iter().copied().chain([0]) {
            lut[(v - min) as usize] = table.act_index(v)? as u32;
        }
        Ok(ActIndex { min, lut })
    }

    /// Index of value `v`, which must be one given to [`ActIndex::new`].
    pub fn get(&self, v: i32) -> usize {
        self.lut[(v as i64 - self.min) as usize] as usize
    }
}

/// Energy bookkeeping of one layer; fed the lowered inputs of each image
/// in batch order.
#[derive(Debug, Clone)]
pub struct LayerSim {
    /// Layer name.
    pub name: String,
    k_len: usize,
    n_out: usize,
    row_tiles: usize,
    col_tiles: usize,
    /// PEs with weight 0 in rows that carry activations, per row.
    idle_cols: usize,
    /// Rows of the array that carry no `k`, summed over row tiles.
    idle_rows: usize,
    idle: IdleModel,
    /// Weight index of `W[k][n]`, `widx[k * N + n]`.
    widx: Vec<u32>,
    /// Table index of weight 0 (for idle PEs).
    w0: usize,
    /// Table index of activation 0.
    a0: usize,
    /// Last activation index seen by each row `k`.
    last: Vec<u32>,
    /// Cycles streamed so far (rows of `A`).
    steps: u64,
    active_fj: f64,
    idle_fj: f64,
    /// Transition counts `[a][a']`, one per active PE that saw it.
    transitions: Vec<u64>,
    num_acts: usize,
}

/// Energy of one layer over everything streamed.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerTotals {
    /// Layer name.
    pub name: String,
    /// Cycles (rows streamed × tiles).
    pub cycles: u64,
    /// Multiply-accumulates with a real weight.
    pub macs: u64,
    /// Weight tiles loaded.
    pub tiles: usize,
    /// Energy of PEs holding a weight of the layer, fJ.
    pub active_energy_fj: f64,
    /// Energy of idle PEs, fJ.
    pub idle_energy_fj: f64,
}

impl LayerSim {
    /// Prepare layer `layer` on `array` with `table`; `acts` are the values
    /// its activations may take. Errors name a weight or activation missing
    /// from the tables.
    pub fn new(
        layer: &IntLayer,
        table: &EnergyTable,
        acts: &ActIndex,
        array: ArrayShape,
        idle: IdleModel,
    ) -> Result<LayerSim> {
        let k_len = layer.spec.dot_len();
        let n_out = layer.spec.outputs();
        let mut widx = vec![0u32; k_len * n_out];
        for n in 0..n_out {
            for k in 0..k_len {
                widx[k * n_out + n] =
                    table.weight_index(layer.weights[n * k_len + k] as i64)? as u32;
            }
        }
        let row_tiles = k_len.div_ceil(array.rows);
        let col_tiles = n_out.div_ceil(array.cols);
        let idle_cols = col_tiles * array.cols - n_out;
        let idle_rows = row_tiles * array.rows - k_len;
        let a0 = acts.get(0);
        let w0 = if idle_cols + idle_rows > 0 {
            table.weight_index(0).map_err(|e| {
                NnError::Mismatch(format!("{e}; idle processing elements hold weight 0"))
            })?
        } else {
            0
        };
        Ok(LayerSim {
            name: layer.spec.name.clone(),
            k_len,
            n_out,
            row_tiles,
            col_tiles,
            idle_cols,
            idle_rows,
            idle,
            widx,
            w0,
            a0,
            last: vec![a0 as u32; k_len],
            steps: 0,
            active_fj: 0.0,
            idle_fj: 0.0,
            transitions: vec![0; table.num_acts() * table.num_acts()],
            num_acts: table.num_acts(),
        })
    }

    /// Stream one image's lowered input through the array.
    pub fn observe(&mut self, a: &Lowered, table: &EnergyTable, acts: &ActIndex) {
        debug_assert_eq!(a.cols, self.k_len);
        let n = self.n_out;
        for m in 0..a.rows {
            for (k, &v) in a.row(m).iter().enumerate() {
                let cur = acts.get(v);
                let prev = self.last[k] as usize;
                self.last[k] = cur as u32;
                let e = table.transition(prev, cur);
                let row_w = &self.widx[k * n..(k + 1) * n];
                let sum: f32 = row_w.iter().map(|&wi| e[wi as usize]).sum();
                self.active_fj += sum as f64;
                if self.idle == IdleModel::Stream {
                    self.idle_fj += self.idle_cols as f64 * e[self.w0] as f64;
                }
                self.transitions[prev * self.num_acts + cur] += n as u64;
            }
        }
        self.steps += a.rows as u64;
    }

    /// Totals over everything streamed. Idle PEs whose activation input
    /// stays 0 but whose column carries a partial sum (the rows past K in
    /// used columns) are charged here, `E[0][0][0]` per PE and cycle; idle
    /// PEs whose inputs never change (unused columns) draw nothing, whatever
    /// psum model the tables assumed.
    pub fn totals(&self, table: &EnergyTable) -> LayerTotals {
        let idle_row_pes = (self.idle_rows * self.n_out) as f64;
        let still = table.transition(self.a0, self.a0)[self.w0] as f64;
        LayerTotals {
            name: self.name.clone(),
            cycles: self.steps * (self.row_tiles * self.col_tiles) as u64,
            macs: self.steps * (self.k_len * self.n_out) as u64,
            tiles: self.row_tiles * self.col_tiles,
            active_energy_fj: self.active_fj,
            idle_energy_fj: self.idle_fj + idle_row_pes * self.steps as f64 * still,
        }
    }

    /// Transition counts `[a][a']` (flat), one count per active PE.
    pub fn transitions(&self) -> &[u64] {
        &self.transitions
    }
}
