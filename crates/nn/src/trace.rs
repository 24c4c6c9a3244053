//! Traced PE streams: what sampled processing elements of the array see,
//! cycle by cycle, when the integer network runs on real images.
//!
//! Same dataflow as [`crate::systolic`]: PE `(r, c)` of weight tile
//! `(kt, nt)` holds `W[k][n]` with `k = kt·rows + r`, `n = nt·cols + c`;
//! activation `A[m][k]` enters row `r` and partial sums flow down column
//! `c`. The column's top PE receives 0, so the partial sum entering PE
//! `(r, c)` in the cycle of output position `m` is
//! `Σ_{k' = kt·rows}^{k−1} A[m][k']·W[k'][n]`: the products of the PEs
//! above it in the same tile. (Sums over several tiles along K and the bias
//! are added in the output accumulators below the array, not in the PEs.)
//! Pipeline skew delays a PE's stream but does not change it, so each
//! stream is the sequence over `m`, image after image, from the reset state
//! `a = 0`, `p_in = 0` of a freshly loaded tile.
//!
//! Which PEs: per layer the same number, drawn with a seeded generator and
//! stratified over the dot-product position `k` (hence over array rows and
//! row tiles): the i-th of `P` PEs has `k` in the i-th of `P` equal slices
//! of `0..K`, and a uniformly drawn output `n`.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use tables::trace::{PeStream, PeTrace};

use crate::data::Dataset;
use crate::error::{NnError, Result};
use crate::infer::{IntLayer, IntNet};
use crate::lower::Lowered;
use crate::systolic::ArrayShape;

/// Images whose lowered inputs are held at once.
const CHUNK_IMAGES: usize = 32;

/// Which PEs to trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceOptions {
    /// Array size.
    pub array: ArrayShape,
    /// PEs sampled per layer (all of a layer's when it has fewer).
    pub pes_per_layer: usize,
    /// Seed of the PE sample.
    pub seed: u64,
}

/// Dot-product position `k` and output `n` of `count` PEs of a `K × N`
/// layer, stratified over `k` (see the module text); distinct, in stratum
/// order.
pub fn sample_pes(
    k_len: usize,
    n_out: usize,
    count: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<(usize, usize)> {
    let total = k_len * n_out;
    if count >= total {
        return (0..k_len)
            .flat_map(|k| (0..n_out).map(move |n| (k, n)))
            .collect();
    }
    let mut pes: Vec<(usize, usize)> = Vec::with_capacity(count);
    for i in 0..count {
        let lo = i * k_len / count;
        let hi = ((i + 1) * k_len / count).max(lo + 1).min(k_len);
        // A few redraws avoid duplicates; strata of one k with every n
        // taken fall back to the next free PE in scan order.
        let mut pick = None;
        for _ in 0..64 {
            let cand = (rng.gen_range(lo..hi), rng.gen_range(0..n_out));
            if !pes.contains(&cand) {
                pick = Some(cand);
                break;
            }
        }
        let pick = pick.or_else(|| {
            (0..total)
                .map(|j| (lo * n_out + j) % total)
                .map(|f| (f / n_out, f % n_out))
                .find(|c| !pes.contains(c))
        });
        pes.extend(pick);
    }
    pes
}

/// The streams of chosen PEs of one layer; fed each image's lowered input
/// in batch order.
#[derive(Debug, Clone)]
pub struct LayerTracer {
    k_len: usize,
    rows: usize,
    /// `(k, n)` of each traced PE.
    pes: Vec<(usize, usize)>,
    /// `W[k'][n]` for the PE's tile rows above it and itself, per PE.
    column_weights: Vec<Vec<i32>>,
    streams: Vec<PeStream>,
}

impl LayerTracer {
    /// Trace PEs `pes` (`(k, n)` pairs) of `layer` on `array`.
    pub fn new(layer: &IntLayer, array: ArrayShape, pes: &[(usize, usize)]) -> Result<LayerTracer> {
        let k_len = layer.spec.dot_len();
        let n_out = layer.spec.outputs();
        if let Some(&(k, n)) = pes.iter().find(|&&(k, n)| k >= k_len || n >= n_out) {
            return Err(NnError::Invalid(format!(
                "layer {}: PE for k = {k}, n = {n} is outside its {k_len} × {n_out} weights",
                layer.spec.name
            )));
        }
        let w = |k: usize, n: usize| layer.weights[n * k_len + k];
        let column_weights = pes
            .iter()
            .map(|&(k, n)| {
                let top = k / array.rows * array.rows;
                (top..=k).map(|kk| w(kk, n)).collect()
            })
            .collect();
        let streams = pes
            .iter()
            .enumerate()
            .map(|(i, &(k, n))| PeStream {
                layer: layer.spec.name.clone(),
                pe: i as u32,
                row: (k % array.rows) as u32,
                col: (n % array.cols) as u32,
                weight: i64::from(w(k, n)),
                acts: Vec::new(),
                psums: Vec::new(),
            })
            .collect();
        Ok(LayerTracer {
            k_len,
            rows: array.rows,
            pes: pes.to_vec(),
            column_weights,
            streams,
        })
    }

    /// Append one image's cycles (one per row of `a`).
    pub fn observe(&mut self, a: &Lowered) {
        debug_assert_eq!(a.cols, self.k_len);
        for m in 0..a.rows {
            let row = a.row(m);
            for ((&(k, _), ws), s) in self
                .pes
                .iter()
                .zip(&self.column_weights)
                .zip(self.streams.iter_mut())
            {
                let top = k / self.rows * self.rows;
                let above = &row[top..k];
                let p: i64 = above
                    .iter()
                    .zip(ws)
                    .map(|(&x, &y)| i64::from(x) * i64::from(y))
                    .sum();
                s.acts.push(i64::from(row[k]));
                s.psums.push(p);
            }
        }
    }

    /// The streams, PE order.
    pub fn into_streams(self) -> Vec<PeStream> {
        self.streams
    }
}

/// Run the first `data.len()` images through `net` and trace
/// `opts.pes_per_layer` PEs of every layer.
pub fn trace_network(net: &IntNet, data: &Dataset, opts: &TraceOptions) -> Result<PeTrace> {
    if opts.pes_per_layer == 0 {
        return Err(NnError::Invalid("trace at least one PE per layer".into()));
    }
    if data.is_empty() {
        return Err(NnError::Invalid("a trace needs at least one image".into()));
    }
    net.check_input(data)?;
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let mut tracers: Vec<LayerTracer> = net
        .layers
        .iter()
        .map(|l| {
            let pes = sample_pes(
                l.spec.dot_len(),
                l.spec.outputs(),
                opts.pes_per_layer,
                &mut rng,
            );
            LayerTracer::new(l, opts.array, &pes)
        })
        .collect::<Result<_>>()?;
    net.lowered_chunks(data, CHUNK_IMAGES, &mut |lowered| {
        tracers.par_iter_mut().enumerate().for_each(|(li, t)| {
            for img in lowered {
                t.observe(&img[li]);
            }
        });
    });
    Ok(PeTrace {
        streams: tracers
            .into_iter()
            .flat_map(LayerTracer::into_streams)
            .collect(),
    })
}
