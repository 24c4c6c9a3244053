//! Running a [`Plan`]: weights in parallel, finished weights saved as they
//! complete, the table directory written at the end.
//!
//! Every weight is computed by one worker from a freshly settled state, and
//! its rows land at fixed positions, so the arrays — and therefore the
//! `.npy` and `.csv` bytes — do not depend on the thread count or on which
//! weights were restored from an interrupted run.

use std::path::Path;
use std::time::Instant;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use tables::Tables;

use crate::engine::Engine;
use crate::kernel::{Kernel, WeightRows};
use crate::lock::DirLock;
use crate::plan::Plan;
use crate::progress::Progress;
use crate::resume::{Loaded, PartialDir};
use crate::shard::ShardInfo;
use crate::{Error, Result};

/// Largest in-memory table set one run (or shard) may build, bytes.
pub const MAX_TABLE_BYTES: u64 = 8 << 30;

/// How to run (nothing here changes the results).
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Worker threads; `None` = one per core.
    pub threads: Option<usize>,
    /// Draw a progress bar (when stderr is a terminal).
    pub progress: bool,
}

/// What a run did.
#[derive(Debug)]
pub struct Outcome {
    /// The tables written.
    pub tables: Tables,
    /// Weights simulated in this run.
    pub computed: usize,
    /// Weights taken from an interrupted earlier run.
    pub resumed: usize,
    /// Non-fatal findings (e.g. a damaged partial file that was recomputed).
    pub warnings: Vec<String>,
    /// Wall time of this run, s (`meta.json`'s `runtime_s` adds the time
    /// earlier, interrupted runs spent on the weights they finished).
    pub runtime_s: f64,
}

/// Characterize `plan` into `out` with engines from `make_engine` (one per
/// worker thread).
pub fn run<E, F>(plan: &Plan, out: &Path, options: &RunOptions, make_engine: F) -> Result<Outcome>
where
    E: Engine,
    F: Fn() -> Result<E> + Sync + Send,
{
    let start = Instant::now();
    let positions = plan.shard_positions();
    if positions.is_empty() {
        return Err(Error::Input(format!(
            "shard {}/{} gets no weights: the sweep has only {} (use at most that many shards)",
            plan.shard.index,
            plan.shard.count,
            plan.weights.len()
        )));
    }
    if !(plan.clock_period_ns.is_finite() && plan.clock_period_ns > 0.0) {
        return Err(Error::Input(format!(
            "clock period {} ns: expected a number > 0",
            plan.clock_period_ns
        )));
    }
    let kernel =
        Kernel::new(&plan.ports, &plan.acts, plan.psum).with_psum_pool(plan.psum_pool.clone());
    let plane = kernel.transitions_per_weight();
    // Energy, delay and toggles are held in memory as f32 until the end.
    let bytes = positions.len() as u64 * plane as u64 * 12;
    if bytes > MAX_TABLE_BYTES {
        return Err(Error::Input(format!(
            "{} weights x {plane} transitions need {:.1} GiB of tables in memory, more than the {} GiB allowed; \
             split the sweep into shards or weight subsets",
            positions.len(),
            bytes as f64 / (1u64 << 30) as f64,
            MAX_TABLE_BYTES >> 30
        )));
    }

    // Build one engine up front: a design the simulator rejects fails here
    // with its own message, before any thread starts; it also measures leakage.
    let mut first = make_engine()?;
    let leakage_w = leakage_w(&mut first, &kernel, plan.clock_period_ns)?;
    drop(first);

    // One run per directory; with the lock held, `.tmp*` files are
    // leftovers of a killed run, not another run's work in progress.
    let _lock = DirLock::acquire(out)?;
    tables::remove_stale_temporaries(out)?;
    let partial = PartialDir::open(out, &plan.run_fingerprint())?;
    let earlier_runtime_s = partial.earlier_runtime_s();
    let mut energy = vec![0f32; positions.len() * plane];
    let mut delay = vec![0f32; positions.len() * plane];
    let mut toggles = vec![0f32; positions.len() * plane];
    let mut done = vec![false; positions.len()];
    let mut warnings = Vec::new();
    for (slot, &position) in positions.iter().enumerate() {
        let range = slot * plane..(slot + 1) * plane;
        let mut rows = WeightRows {
            energy_fj: &mut energy[range.clone()],
            delay_ns: &mut delay[range.clone()],
            toggles: &mut toggles[range],
        };
        match partial.load(position, plan.weights[position], &mut rows)? {
            Loaded::Done => done[slot] = true,
            Loaded::Missing => {}
            Loaded::Rejected(why) => warnings.push(why),
        }
    }
    let resumed = done.iter().filter(|&&d| d).count();
    let computed = positions.len() - resumed;

    let label = format!("{} on {}", plan.top, plan.library.name);
    let progress = if options.progress {
        Progress::new((positions.len() * plane) as u64, &label, true)
    } else {
        Progress::hidden()
    };
    progress.skip((resumed * plane) as u64);

    let threads = options.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Input(format!("cannot start {threads} threads: {e}")))?;
    // Each pool thread builds one engine and takes weights from a shared
    // queue until it is empty: an engine is built once per thread, not per
    // weight, and fast threads take more weights.
    let queue = Mutex::new(
        energy
            .chunks_mut(plane)
            .zip(delay.chunks_mut(plane))
            .zip(toggles.chunks_mut(plane))
            .enumerate()
            .filter(|(slot, _)| !done[*slot])
            .map(|(slot, ((e, d), t))| {
                (
                    positions[slot],
                    WeightRows {
                        energy_fj: e,
                        delay_ns: d,
                        toggles: t,
                    },
                )
            }),
    );
    let failed = AtomicBool::new(false);
    let row_done = |n: u64| progress.inc(n);
    let worker = || -> Result<()> {
        let mut engine = make_engine()?;
        let mut inputs = kernel.input_buffer();
        loop {
            if failed.load(Ordering::Relaxed) {
                return Ok(());
            }
            let next = queue.lock().unwrap_or_else(|p| p.into_inner()).next();
            let Some((position, mut rows)) = next else {
                return Ok(());
            };
            let weight = plan.weights[position];
            let result = kernel
                .run_weight(&mut engine, &mut inputs, weight, &mut rows, &row_done)
                .and_then(|()| partial.store(position, weight, &rows))
                .and_then(|()| {
                    partial.record_runtime(earlier_runtime_s + start.elapsed().as_secs_f64())
                });
            if result.is_err() {
                failed.store(true, Ordering::Relaxed);
                return result;
            }
        }
    };
    let results = pool.broadcast(|_| worker());
    results.into_iter().collect::<Result<Vec<()>>>()?;
    progress.finish();

    let runtime_s = start.elapsed().as_secs_f64();
    // `meta.json` counts the wall time of every run that worked on this
    // table set, not only the one that finished it.
    let tables = Tables::new(
        plan.meta(leakage_w, earlier_runtime_s + runtime_s),
        energy,
        delay,
        Some(toggles),
    )?;
    // `shard.json` is part of what the directory means: change it only
    // while the directory is not a sealed table set.
    tables::unseal(out)?;
    if plan.shard.is_all() {
        ShardInfo::remove(out)?;
    } else {
        ShardInfo {
            index: plan.shard.index,
            count: plan.shard.count,
            sweep_fingerprint: plan.sweep_fingerprint(),
            weights: plan.weights.clone(),
        }
        .save(out)?;
    }
    tables.save(out)?;
    partial.remove()?;
    Ok(Outcome {
        tables,
        computed,
        resumed,
        warnings,
        runtime_s,
    })
}

/// Leakage power with every input at 0: the leakage energy of one quiet
/// clock period divided by its length.
fn leakage_w<E: Engine>(engine: &mut E, kernel: &Kernel, clock_period_ns: f64) -> Result<f64> {
    let zeros = kernel.input_buffer();
    engine.settle(&zeros)?;
    let step = engine.step(&zeros)?;
    // fJ / ns = 1e-6 W.
    Ok(step.energy.leakage_fj / clock_period_ns * 1e-6)
}
