//! The partial-sum input during a transition.
//!
//! A MAC's energy depends on the incoming partial sum too, but tabulating it
//! would add a 2^22-sized axis, so it is modelled instead:
//! - `zero`: held at 0 before and after (the default; one settle per a,
//!   shared by all a'). This is the condition the published method uses.
//! - `hold`: a random constant p, the same before and after the transition.
//! - `random`: p → p', both random.
//! - `traced`: p → p' drawn from the consecutive partial sums that PEs of
//!   a real network saw ([`PsumPool`], from a [`tables::trace`] file),
//!   among the streams holding the same weight (all streams when none
//!   holds it); optionally only one layer's streams, and given the
//!   activation transition too ([`TraceDraw`], [`PsumGiven`]).
//!
//! The models' names and settings, as `meta.json` records them, are part
//! of the table format ([`tables::PsumModel`], [`tables::TraceDraw`]).
//!
//! For `hold`, `random` and `traced`, `samples` draws are simulated per transition and
//! energy and toggles averaged; the delay kept is the largest of the draws,
//! because the delay table bounds the clock period and a mean would hide
//! the draws that break it.
//!
//! Random values are uniform over every bit pattern of the psum port; traced
//! ones are a uniformly drawn transition of the pool. Each
//! transition's generator is ChaCha8 keyed by the seed, on the stream
//! numbered by the (weight, a, a') bit patterns, so a value depends only on
//! the seed and the transition: not on thread scheduling, the weight list's
//! order, or sharding.

use std::collections::BTreeMap;

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tables::trace::{PeStream, PeTrace};
use tables::{PsumGiven, PsumModel, TraceDraw};

use crate::values::Encoding;
use crate::{Error, Result};

/// Default `--seed`.
pub const DEFAULT_SEED: u64 = 0x5EED_2023;

/// The psum model with its sample count and seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PsumSpec {
    /// The model.
    pub model: PsumModel,
    /// Draws per transition (1 for `zero`).
    pub samples: u32,
    /// Seed of the per-transition streams.
    pub seed: u64,
}

impl PsumSpec {
    /// Check the combination: `zero` has nothing to sample.
    pub fn new(model: PsumModel, samples: u32, seed: u64) -> Result<PsumSpec> {
        if samples == 0 {
            return Err(Error::Input("psum samples must be at least 1".into()));
        }
        if model == PsumModel::Zero && samples != 1 {
            return Err(Error::Input(format!(
                "{samples} psum samples with psum model zero: every sample would be the same; use hold, random or traced"
            )));
        }
        Ok(PsumSpec {
            model,
            samples,
            seed,
        })
    }
}

impl Default for PsumSpec {
    fn default() -> Self {
        PsumSpec {
            model: PsumModel::Zero,
            samples: 1,
            seed: DEFAULT_SEED,
        }
    }
}

/// Builds each transition's generator without allocating.
#[derive(Debug, Clone)]
pub struct TransitionRng {
    key: [u8; 32],
    act_width: u32,
}

impl TransitionRng {
    /// Key the generators with `seed`; `act_width` sizes the stream number.
    pub fn new(seed: u64, act_width: u32) -> TransitionRng {
        // Expand the 64-bit seed the way rand does, so the key is well mixed.
        let mut key = [0u8; 32];
        ChaCha8Rng::seed_from_u64(seed).fill_bytes(&mut key);
        TransitionRng { key, act_width }
    }

    /// The generator of transition a → a' under weight bit pattern `w_bits`.
    pub fn for_transition(&self, w_bits: u64, a_bits: u64, a2_bits: u64) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::from_seed(self.key);
        // Weight ≤ 16 bits and activation ≤ 12 bits keep this within 40 bits.
        rng.set_stream((w_bits << (2 * self.act_width)) | (a_bits << self.act_width) | a2_bits);
        rng
    }
}

/// The partial-sum pairs one table entry averages.
#[derive(Debug, Clone, Copy)]
pub enum EntryDraws<'a> {
    /// Every pair, once each.
    All(&'a [(u64, u64)]),
    /// `count` uniform draws, with replacement, from the list.
    Random {
        /// The pairs drawn from.
        list: &'a [(u64, u64)],
        /// How many draws.
        count: u32,
    },
}

impl EntryDraws<'_> {
    /// Number of pairs simulated.
    pub fn count(&self) -> u32 {
        match self {
            EntryDraws::All(list) => list.len() as u32,
            EntryDraws::Random { count, .. } => *count,
        }
    }

    /// Pair `i` of [`EntryDraws::count`]; `rng` serves random draws, in order.
    pub fn pair(&self, i: usize, rng: &mut ChaCha8Rng) -> (u64, u64) {
        match self {
            EntryDraws::All(list) => list[i],
            EntryDraws::Random { list, .. } => {
                // Modulo bias is below 2^-40 for any list a trace can hold.
                list[(rng.next_u64() % list.len() as u64) as usize]
            }
        }
    }
}

/// A psum transition `(p, p')` and the activation transition `(a, a')`
/// it came with, all as port bit patterns.
type Observed = ((u64, u64), (u64, u64));

/// Partial-sum transitions `(p, p')` (as port bit patterns) taken from a
/// trace, grouped by the weight the PE held (and, given the transition, by
/// the activation transition), for the `traced` model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PsumPool {
    /// Transitions of the streams holding each weight, in file order.
    by_weight: BTreeMap<i64, Vec<(u64, u64)>>,
    /// Every transition, in file order (for weights no stream holds).
    all: Vec<(u64, u64)>,
    /// Given the transition: by (weight, a, a').
    by_act: BTreeMap<(i64, u64, u64), Vec<(u64, u64)>>,
    /// Given the transition: by (weight, a ≠ 0, a' ≠ 0).
    by_zero: BTreeMap<(i64, bool, bool), Vec<(u64, u64)>>,
    /// How draws are conditioned, and on which layer.
    draw: TraceDraw,
    /// Smallest group drawn from when conditioning on the transition.
    min_group: usize,
    /// Hex SHA-256 of the trace file.
    pub trace_sha256: String,
}

impl PsumPool {
    /// Collect the consecutive partial sums of every stream of `trace`
    /// (starting from the reset value 0), encoded for a psum port of
    /// `encoding`; `sha256` identifies the file. Every layer, given the
    /// weight; see [`PsumPool::with_draw`] for the other choices. Errors
    /// when a partial sum does not fit the port.
    pub fn new(trace: &PeTrace, encoding: Encoding, sha256: &str) -> Result<PsumPool> {
        // Drawing given the weight reads no activation, so any encoding serves.
        PsumPool::with_draw(trace, encoding, encoding, sha256, TraceDraw::default(), 1)
    }

    /// Like [`PsumPool::new`], drawing from `draw.layer`'s streams only and
    /// conditioned as `draw.given` says, with activations encoded as
    /// `act_encoding`; `min_group` is the smallest group a draw given the
    /// transition may come from (the draws per entry). Errors when the
    /// layer is not in the trace (naming those that are) or a value does
    /// not fit its port.
    pub fn with_draw(
        trace: &PeTrace,
        encoding: Encoding,
        act_encoding: Encoding,
        sha256: &str,
        draw: TraceDraw,
        min_group: usize,
    ) -> Result<PsumPool> {
        let streams: Vec<&PeStream> = trace
            .streams
            .iter()
            .filter(|s| draw.layer.as_ref().is_none_or(|l| &s.layer == l))
            .collect();
        if let (Some(layer), true) = (&draw.layer, streams.is_empty()) {
            return Err(Error::Input(format!(
                "trace: no streams of layer `{layer}`; it has {}",
                trace.layers().join(", ")
            )));
        }
        let mut by_weight: BTreeMap<i64, Vec<(u64, u64)>> = BTreeMap::new();
        let mut observed: Vec<(i64, Observed)> = Vec::new();
        let mut all = Vec::with_capacity(trace.cycles() as usize);
        for s in streams {
            let list = by_weight.entry(s.weight).or_default();
            let (mut prev, mut prev_a) = (0u64, 0u64);
            for (c, (&p, &a)) in s.psums.iter().zip(&s.acts).enumerate() {
                let misfit = |what: &str, port: &str, v: i64, e: Encoding| {
                    Error::Input(format!(
                        "trace: layer {} PE {} cycle {c}: {what} {v} does not fit the {}-bit {} {port} port ({}..={})",
                        s.layer,
                        s.pe,
                        e.width,
                        if e.signed { "signed" } else { "unsigned" },
                        e.min(),
                        e.max()
                    ))
                };
                if !encoding.contains(p) {
                    return Err(misfit("partial sum", "psum", p, encoding));
                }
                let bits = encoding.bits(p);
                list.push((prev, bits));
                all.push((prev, bits));
                if draw.given == PsumGiven::Transition {
                    if !act_encoding.contains(a) {
                        return Err(misfit("activation", "activation", a, act_encoding));
                    }
                    let a_bits = act_encoding.bits(a);
                    observed.push((s.weight, ((prev_a, a_bits), (prev, bits))));
                    prev_a = a_bits;
                }
                prev = bits;
            }
        }
        if all.is_empty() {
            return Err(Error::Input("trace: no partial sums to draw from".into()));
        }
        let mut by_act: BTreeMap<(i64, u64, u64), Vec<(u64, u64)>> = BTreeMap::new();
        let mut by_zero: BTreeMap<(i64, bool, bool), Vec<(u64, u64)>> = BTreeMap::new();
        for (w, ((a, a2), pp)) in observed {
            by_act.entry((w, a, a2)).or_default().push(pp);
            by_zero.entry((w, a != 0, a2 != 0)).or_default().push(pp);
        }
        Ok(PsumPool {
            by_weight,
            all,
            by_act,
            by_zero,
            draw,
            min_group: min_group.max(1),
            trace_sha256: sha256.to_string(),
        })
    }

    /// The layer and conditioning of the draws.
    pub fn draw_spec(&self) -> &TraceDraw {
        &self.draw
    }

    /// The transitions drawn from for weight `weight`.
    pub fn transitions(&self, weight: i64) -> &[(u64, u64)] {
        match self.by_weight.get(&weight) {
            Some(v) if !v.is_empty() => v,
            _ => &self.all,
        }
    }

    /// The transitions drawn from for weight `weight` and the activation
    /// transition `a_bits → a2_bits` (bit patterns): the weight's list,
    /// unless the pool is conditioned on the transition and a finer group
    /// is large enough.
    pub fn transitions_given(&self, weight: i64, a_bits: u64, a2_bits: u64) -> &[(u64, u64)] {
        if self.draw.given == PsumGiven::Transition {
            let zero = self.by_zero.get(&(weight, a_bits != 0, a2_bits != 0));
            if let Some(v) = self
                .exact_group(weight, a_bits, a2_bits)
                .or(zero.filter(|v| v.len() >= self.min_group))
            {
                return v;
            }
        }
        self.transitions(weight)
    }

    /// The pairs seen with exactly this weight and activation transition,
    /// when drawing given the transition and they are at least `min_group`.
    fn exact_group(&self, weight: i64, a_bits: u64, a2_bits: u64) -> Option<&Vec<(u64, u64)>> {
        (self.draw.given == PsumGiven::Transition)
            .then(|| self.by_act.get(&(weight, a_bits, a2_bits)))
            .flatten()
            .filter(|v| v.len() >= self.min_group)
    }

    /// One transition for weight `weight` and activation transition
    /// `a_bits → a2_bits`, uniformly from [`PsumPool::transitions_given`].
    pub fn draw(&self, rng: &mut ChaCha8Rng, weight: i64, a_bits: u64, a2_bits: u64) -> (u64, u64) {
        let list = self.transitions_given(weight, a_bits, a2_bits);
        EntryDraws::Random { list, count: 1 }.pair(0, rng)
    }

    /// The pairs the entry (weight, `a_bits → a2_bits`) averages when
    /// `samples` draws are asked for: `samples` draws, unless the pool is
    /// conditioned on the transition with [`TraceDraw::max_samples`] and
    /// saw this exact transition at least `samples` times (then every pair
    /// seen, or `max_samples` draws when it saw more).
    pub fn entry_draws(
        &self,
        weight: i64,
        a_bits: u64,
        a2_bits: u64,
        samples: u32,
    ) -> EntryDraws<'_> {
        if let (Some(max), Some(list)) = (
            self.draw.max_samples,
            self.exact_group(weight, a_bits, a2_bits),
        ) {
            return if list.len() <= max as usize {
                EntryDraws::All(list)
            } else {
                EntryDraws::Random { list, count: max }
            };
        }
        EntryDraws::Random {
            list: self.transitions_given(weight, a_bits, a2_bits),
            count: samples,
        }
    }
}

/// Draw a psum bit pattern of `width` bits.
pub fn draw_bits(rng: &mut ChaCha8Rng, width: u32) -> u64 {
    let raw = rng.next_u64();
    if width >= 64 {
        raw
    } else {
        raw & ((1u64 << width) - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_differ_per_transition_and_repeat_per_seed() {
        let gen = TransitionRng::new(7, 3);
        let draw = |w, a, b| draw_bits(&mut gen.for_transition(w, a, b), 22);
        assert_eq!(draw(1, 2, 3), draw(1, 2, 3));
        // Swapping a and a' is a different transition and a different stream.
        assert_ne!(draw(1, 2, 3), draw(1, 3, 2));
        assert_ne!(draw(1, 2, 3), draw(2, 2, 3));
        let other = TransitionRng::new(8, 3);
        assert_ne!(
            draw(1, 2, 3),
            draw_bits(&mut other.for_transition(1, 2, 3), 22)
        );
        assert!(draw(5, 5, 5) < 1 << 22);
    }

    #[test]
    fn zero_model_takes_one_sample() {
        assert!(PsumSpec::new(PsumModel::Zero, 4, 1).is_err());
        assert!(PsumSpec::new(PsumModel::Random, 0, 1).is_err());
        assert!(PsumSpec::new(PsumModel::Hold, 4, 1).is_ok());
    }
}
