//! The inner loop: every activation transition under one weight.
//!
//! This is where a full 8-bit sweep spends its 2^24 simulator steps, so it
//! allocates nothing per transition: the input vector and the output rows
//! are owned by the caller and reused, and with the psum held at zero the
//! settled state at (w, a, 0) is computed once and every a' is probed from
//! it (`Engine::probe`, which leaves the state where it was).

use std::sync::Arc;
use tables::PsumModel;

use crate::engine::Engine;
use crate::ports::MacPorts;
use crate::psum::{draw_bits, PsumPool, PsumSpec, TransitionRng};
use crate::{Error, Result};

/// One weight's `acts × acts` results, row a, column a'.
pub struct WeightRows<'a> {
    /// Dynamic (switching + internal) energy, fJ; leakage is reported apart.
    pub energy_fj: &'a mut [f32],
    /// Sensitized delay, ns (0 when no output moved).
    pub delay_ns: &'a mut [f32],
    /// Net toggles, primary inputs included.
    pub toggles: &'a mut [f32],
}

/// What stays fixed across weights.
#[derive(Debug, Clone)]
pub struct Kernel {
    ports: MacPorts,
    /// Activation bit patterns in ascending value order (the table axis).
    act_bits: Vec<u64>,
    psum: PsumSpec,
    rng: TransitionRng,
    /// Where the `traced` model draws from.
    pool: Option<Arc<PsumPool>>,
}

impl Kernel {
    /// Prepare for `acts` (ascending values of the activation port).
    pub fn new(ports: &MacPorts, acts: &[i64], psum: PsumSpec) -> Kernel {
        let enc = ports.act.encoding;
        Kernel {
            ports: ports.clone(),
            act_bits: acts.iter().map(|&a| enc.bits(a)).collect(),
            psum,
            rng: TransitionRng::new(psum.seed, enc.width),
            pool: None,
        }
    }

    /// The same kernel drawing `traced` partial sums from `pool`.
    pub fn with_psum_pool(mut self, pool: Option<Arc<PsumPool>>) -> Kernel {
        self.pool = pool;
        self
    }

    /// Number of transitions per weight (`acts²`).
    pub fn transitions_per_weight(&self) -> usize {
        self.act_bits.len() * self.act_bits.len()
    }

    /// A zeroed input vector of the right length, to pass to [`Kernel::run_weight`].
    pub fn input_buffer(&self) -> Vec<u64> {
        vec![0; self.ports.input_count]
    }

    /// Fill `rows` for `weight`; `row_done` is told after each activation
    /// row with the number of transitions it held.
    pub fn run_weight<E: Engine>(
        &self,
        engine: &mut E,
        inputs: &mut [u64],
        weight: i64,
        rows: &mut WeightRows<'_>,
        row_done: &(dyn Fn(u64) + Sync),
    ) -> Result<()> {
        let n = self.act_bits.len();
        let (wi, ai, pi) = (
            self.ports.weight.index,
            self.ports.act.index,
            self.ports.psum.index,
        );
        let w_bits = self.ports.weight.encoding.bits(weight);
        let p_width = self.ports.psum.encoding.width;
        inputs.fill(0);
        inputs[wi] = w_bits;
        let mut order = Vec::with_capacity(n);
        for (i, &a) in self.act_bits.iter().enumerate() {
            let range = i * n..(i + 1) * n;
            let energy = &mut rows.energy_fj[range.clone()];
            let delay = &mut rows.delay_ns[range.clone()];
            let toggles = &mut rows.toggles[range];
            match self.psum.model {
                PsumModel::Zero => {
                    inputs[pi] = 0;
                    inputs[ai] = a;
                    engine.settle(inputs)?;
                    // Every a' is probed from the settled state, which a
                    // probe leaves as it was: no snapshot to rewind to. In
                    // Gray-code order of a ^ a' (one bit changes from one
                    // probe to the next), so that the simulator can reuse
                    // most of the previous probe; the results do not
                    // depend on the order.
                    order.clear();
                    order.extend(0..n);
                    order.sort_unstable_by_key(|&j| gray_rank(self.act_bits[j] ^ a));
                    for &j in &order {
                        let a2 = self.act_bits[j];
                        inputs[ai] = a2;
                        let step = engine.probe(inputs)?;
                        energy[j] = (step.energy.switching_fj + step.energy.internal_fj) as f32;
                        delay[j] = step.delay_ns as f32;
                        toggles[j] = step.toggles as f32;
                    }
                }
                PsumModel::Hold | PsumModel::Random | PsumModel::Traced => {
                    let k = self.psum.samples;
                    let pool = match (self.psum.model, &self.pool) {
                        (PsumModel::Traced, None) => {
                            return Err(Error::Input("psum model traced needs a trace file".into()))
                        }
                        (PsumModel::Traced, Some(pool)) => Some(pool.as_ref()),
                        _ => None,
                    };
                    for (j, &a2) in self.act_bits.iter().enumerate() {
                        let mut rng = self.rng.for_transition(w_bits, a, a2);
                        let (mut e_sum, mut t_sum, mut d_max) = (0.0f64, 0.0f64, 0.0f64);
                        let draws = pool.map(|p| p.entry_draws(weight, a, a2, k));
                        let k = draws.map_or(k, |d| d.count());
                        for i in 0..k as usize {
                            let (p, p2) = match (draws, self.psum.model) {
                                (Some(d), _) => d.pair(i, &mut rng),
                                (None, PsumModel::Hold) => {
                                    let p = draw_bits(&mut rng, p_width);
                                    (p, p)
                                }
                                (None, _) => {
                                    (draw_bits(&mut rng, p_width), draw_bits(&mut rng, p_width))
                                }
                            };
                            inputs[ai] = a;
                            inputs[pi] = p;
                            engine.settle(inputs)?;
                            inputs[ai] = a2;
                            inputs[pi] = p2;
                            let step = engine.probe(inputs)?;
                            e_sum += step.energy.switching_fj + step.energy.internal_fj;
                            t_sum += f64::from(step.toggles);
                            d_max = d_max.max(step.delay_ns);
                        }
                        energy[j] = (e_sum / f64::from(k)) as f32;
                        delay[j] = d_max as f32;
                        toggles[j] = (t_sum / f64::from(k)) as f32;
                    }
                }
            }
            row_done(n as u64);
        }
        Ok(())
    }

    /// Like [`Kernel::run_weight`] with the psum at zero, for chosen
    /// transitions only: `pairs` are (a index, a' index) sorted by a index,
    /// and entry k of `rows` receives pair k. A settled state is shared by
    /// consecutive pairs with the same a.
    pub fn run_pairs<E: Engine>(
        &self,
        engine: &mut E,
        inputs: &mut [u64],
        weight: i64,
        pairs: &[(u32, u32)],
        rows: &mut WeightRows<'_>,
    ) -> Result<()> {
        let (wi, ai) = (self.ports.weight.index, self.ports.act.index);
        inputs.fill(0);
        inputs[wi] = self.ports.weight.encoding.bits(weight);
        let mut settled = None;
        for (k, &(i, j)) in pairs.iter().enumerate() {
            if settled != Some(i) {
                inputs[ai] = self.act_bits[i as usize];
                engine.settle(inputs)?;
                settled = Some(i);
            }
            // Probed from the settled state, as run_weight does, so both
            // give the same number for the same transition.
            inputs[ai] = self.act_bits[j as usize];
            let step = engine.probe(inputs)?;
            rows.energy_fj[k] = (step.energy.switching_fj + step.energy.internal_fj) as f32;
            rows.delay_ns[k] = step.delay_ns as f32;
            rows.toggles[k] = step.toggles as f32;
        }
        Ok(())
    }
}

/// Position of `bits` in the binary-reflected Gray code (the inverse of
/// `g = r ^ (r >> 1)`): consecutive positions differ in one bit.
fn gray_rank(bits: u64) -> u64 {
    let mut rank = bits;
    let mut shifted = bits >> 1;
    while shifted != 0 {
        rank ^= shifted;
        shifted >>= 1;
    }
    rank
}
