//! Byte-level mutation of reader inputs, shared by the fuzz tests in
//! `tests/readers.rs`: a proptest strategy for the quick runs inside
//! `cargo test`, and a seeded generator for the long runs
//! (`POWERPRUNE_FUZZ_SECS`, see bench/README.md).
//!
//! The mutations are the damage real files suffer (truncation, a wrong
//! byte, a lost delimiter, a repeated stretch); several are applied in a
//! row to each case.

#![forbid(unsafe_code)]

use proptest::prelude::*;
use rand::Rng as _;

/// One change to the input bytes. Positions are taken modulo the length.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Cut the text at a position.
    Truncate(usize),
    /// Overwrite one byte.
    Flip(usize, u8),
    /// Delete the n-th occurrence (modulo the count) of a delimiter byte.
    DeleteDelimiter(usize, u8),
    /// Repeat a stretch of up to 200 bytes in place.
    Duplicate(usize, usize),
}

/// Delimiters of the formats read (Liberty, Verilog, Tcl, CSV, JSON).
const DELIMITERS: &[u8] = b"{}\"();\\,:[]=\n";

/// The proptest strategy for one mutation.
pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Mutation::Flip(p, b)),
        (any::<usize>(), prop::sample::select(DELIMITERS.to_vec()))
            .prop_map(|(n, d)| Mutation::DeleteDelimiter(n, d)),
        (any::<usize>(), 1usize..200).prop_map(|(p, l)| Mutation::Duplicate(p, l)),
    ]
}

/// A random mutation from `rng` (the long runs).
pub fn random_mutation(rng: &mut impl rand::Rng) -> Mutation {
    match rng.gen_range(0..4) {
        0 => Mutation::Truncate(rng.gen()),
        1 => Mutation::Flip(rng.gen(), rng.gen()),
        2 => Mutation::DeleteDelimiter(rng.gen(), DELIMITERS[rng.gen_range(0..DELIMITERS.len())]),
        _ => Mutation::Duplicate(rng.gen(), rng.gen_range(1..200)),
    }
}

/// Applies `m` to `bytes` (nothing happens to an empty input).
pub fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    match *m {
        Mutation::Truncate(p) => bytes.truncate(p % bytes.len()),
        Mutation::Flip(p, b) => {
            let n = bytes.len();
            bytes[p % n] = b;
        }
        Mutation::DeleteDelimiter(n, d) => {
            let hits: Vec<usize> = bytes
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == d)
                .map(|(i, _)| i)
                .collect();
            if !hits.is_empty() {
                bytes.remove(hits[n % hits.len()]);
            }
        }
        Mutation::Duplicate(p, len) => {
            let start = p % bytes.len();
            let end = (start + len).min(bytes.len());
            let copy = bytes[start..end].to_vec();
            bytes.splice(start..start, copy);
        }
    }
}

/// Seconds per reader of the long run: `POWERPRUNE_FUZZ_SECS`, else 0 (the
/// long test then does nothing).
pub fn long_run_secs() -> u64 {
    std::env::var("POWERPRUNE_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// What a long run did for one reader.
#[derive(Debug, Default, Clone, Copy)]
pub struct LongRun {
    /// Mutants tried.
    pub cases: u64,
    /// Mutants the reader accepted.
    pub accepted: u64,
    /// Slowest single case, s.
    pub slowest_s: f64,
}

/// Mutates `seed` with 1–4 random mutations per case for `secs` seconds
/// (ChaCha8 from `rng_seed`, so a run is reproducible) and hands each
/// mutant to `check`, which returns whether the reader accepted it and
/// fails (panics) on any misbehaviour. A panic in the reader itself is
/// caught, the mutant is written to `crash_dir`, and the panic goes on.
pub fn long_run(
    seed: &[u8],
    secs: u64,
    rng_seed: u64,
    crash_dir: &std::path::Path,
    name: &str,
    check: &dyn Fn(&[u8]) -> bool,
) -> LongRun {
    use rand::SeedableRng as _;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(rng_seed);
    let end = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    let mut out = LongRun::default();
    while std::time::Instant::now() < end {
        let mut bytes = seed.to_vec();
        for _ in 0..rng.gen_range(1..=4) {
            apply(&mut bytes, &random_mutation(&mut rng));
        }
        let start = std::time::Instant::now();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&bytes)));
        out.slowest_s = out.slowest_s.max(start.elapsed().as_secs_f64());
        match result {
            Ok(accepted) => {
                out.cases += 1;
                out.accepted += u64::from(accepted);
            }
            Err(panic) => {
                let _ = std::fs::create_dir_all(crash_dir);
                let path = crash_dir.join(format!("{name}-crash-{}.bin", out.cases));
                let _ = std::fs::write(&path, &bytes);
                eprintln!("{name}: crashing input saved as {}", path.display());
                std::panic::resume_unwind(panic);
            }
        }
    }
    out
}
