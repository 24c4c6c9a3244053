//! The partial-sum input during a transition.
//!
//! A MAC's energy depends on the incoming partial sum too, but tabulating it
//! would add a 2^22-sized axis, so it is modelled instead:
//! - `zero`: held at 0 before and after (the default; one settle per a,
//!   shared by all a'). This is the condition the published method uses.
//! - `hold`: a random constant p, the same before and after the transition.
//! - `random`: p → p', both random.
//! - `traced`: p → p' drawn from the consecutive partial sums that PEs of
//!   a real network saw ([`PsumPool`], from a [`crate::trace`] file),
//!   among the streams holding the same weight (all streams when none
//!   holds it).
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

use crate::trace::PeTrace;
use crate::values::Encoding;
use crate::{Error, Result};

/// Default `--seed`.
pub const DEFAULT_SEED: u64 = 0x5EED_2023;

/// Which partial sums surround a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PsumModel {
    /// Held at 0 before and after.
    Zero,
    /// One random value, the same before and after.
    Hold,
    /// Random before, another random value after.
    Random,
    /// A consecutive pair from a traced PE stream.
    Traced,
}

impl PsumModel {
    /// Name as written in `meta.json` and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            PsumModel::Zero => "zero",
            PsumModel::Hold => "hold",
            PsumModel::Random => "random",
            PsumModel::Traced => "traced",
        }
    }

    /// Parse `zero`, `hold`, `random` or `traced`.
    pub fn parse(text: &str) -> Result<PsumModel> {
        match text {
            "zero" => Ok(PsumModel::Zero),
            "hold" => Ok(PsumModel::Hold),
            "random" => Ok(PsumModel::Random),
            "traced" => Ok(PsumModel::Traced),
            other => Err(Error::Input(format!(
                "psum model `{other}`: expected zero, hold, random or traced"
            ))),
        }
    }
}

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

/// Partial-sum transitions `(p, p')` (as port bit patterns) taken from a
/// trace, grouped by the weight the PE held, for the `traced` model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PsumPool {
    /// Transitions of the streams holding each weight, in file order.
    by_weight: BTreeMap<i64, Vec<(u64, u64)>>,
    /// Every transition, in file order (for weights no stream holds).
    all: Vec<(u64, u64)>,
    /// Hex SHA-256 of the trace file.
    pub trace_sha256: String,
}

impl PsumPool {
    /// Collect the consecutive partial sums of every stream of `trace`
    /// (starting from the reset value 0), encoded for a psum port of
    /// `encoding`; `sha256` identifies the file. Errors when a partial sum
    /// does not fit the port.
    pub fn new(trace: &PeTrace, encoding: Encoding, sha256: &str) -> Result<PsumPool> {
        let mut by_weight: BTreeMap<i64, Vec<(u64, u64)>> = BTreeMap::new();
        let mut all = Vec::with_capacity(trace.cycles() as usize);
        for s in &trace.streams {
            let list = by_weight.entry(s.weight).or_default();
            let mut prev = 0u64;
            for (c, &p) in s.psums.iter().enumerate() {
                if !encoding.contains(p) {
                    return Err(Error::Input(format!(
                        "trace: layer {} PE {} cycle {c}: partial sum {p} does not fit the {}-bit {} psum port ({}..={})",
                        s.layer,
                        s.pe,
                        encoding.width,
                        if encoding.signed { "signed" } else { "unsigned" },
                        encoding.min(),
                        encoding.max()
                    )));
                }
                let bits = encoding.bits(p);
                list.push((prev, bits));
                all.push((prev, bits));
                prev = bits;
            }
        }
        if all.is_empty() {
            return Err(Error::Input("trace: no partial sums to draw from".into()));
        }
        Ok(PsumPool {
            by_weight,
            all,
            trace_sha256: sha256.to_string(),
        })
    }

    /// The transitions drawn from for weight `weight`.
    pub fn transitions(&self, weight: i64) -> &[(u64, u64)] {
        match self.by_weight.get(&weight) {
            Some(v) if !v.is_empty() => v,
            _ => &self.all,
        }
    }

    /// One transition for weight `weight`, uniformly from its list.
    pub fn draw(&self, rng: &mut ChaCha8Rng, weight: i64) -> (u64, u64) {
        let list = self.transitions(weight);
        // Modulo bias is below 2^-40 for any list a trace can hold.
        list[(rng.next_u64() % list.len() as u64) as usize]
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
        assert_eq!(PsumModel::parse("random").unwrap(), PsumModel::Random);
        assert!(PsumModel::parse("rand")
            .unwrap_err()
            .to_string()
            .contains("expected zero, hold, random or traced"));
    }
}
