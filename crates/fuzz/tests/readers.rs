//! One fuzz target per reader: Liberty, Verilog (parse and elaboration),
//! SDC, stimulus CSV, table directory / NPY and IDX. Each mutates an
//! in-repo seed (the shipped library, the shipped 2-bit MAC, `seeds/`) and
//! requires a result or a clean error: no panic, no abort, no hang (every
//! case is timed). The proptest runs take seconds; the `#[ignore]`d
//! `long_run_of_every_reader` runs each reader for `POWERPRUNE_FUZZ_SECS`
//! seconds (see bench/README.md). Crashing inputs found are kept in
//! `regressions/` and replayed by `regressions_still_read_cleanly`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use fuzz::{apply, mutation, Mutation};
use liberty::Library;
use netlist::Netlist;
use proptest::prelude::*;
use tables::{Meta, Tables};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn here() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// No single case may take longer than this (a hang shows up as a failure).
const CASE_LIMIT: Duration = Duration::from_secs(10);

fn timed<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(
        start.elapsed() < CASE_LIMIT,
        "{name}: case took {:?}",
        start.elapsed()
    );
    out
}

/// The shipped SG13G2 header (units, templates) and its first cell.
fn liberty_seed() -> &'static str {
    static SEED: OnceLock<String> = OnceLock::new();
    SEED.get_or_init(|| {
        let text = std::fs::read_to_string(repo().join("liberty/sg13g2_stdcell_typ_1p20V_25C.lib"))
            .unwrap();
        let first = text.find("\n  cell (").unwrap();
        let second = first + 1 + text[first + 1..].find("\n  cell (").unwrap();
        format!("{}\n}}\n", &text[..second])
    })
}

fn library() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(|| {
        liberty::read_library(repo().join("liberty/sg13g2_stdcell_typ_1p20V_25C.lib")).unwrap()
    })
}

fn netlist_seed() -> &'static str {
    static SEED: OnceLock<String> = OnceLock::new();
    SEED.get_or_init(|| std::fs::read_to_string(repo().join("netlists/mac2u_sg13g2.v")).unwrap())
}

fn mac() -> &'static Netlist {
    static NL: OnceLock<Netlist> = OnceLock::new();
    NL.get_or_init(|| {
        Netlist::read(repo().join("netlists/mac2u_sg13g2.v"), library(), None).unwrap()
    })
}

fn seed_file(name: &str) -> Vec<u8> {
    std::fs::read(here().join("seeds").join(name)).unwrap()
}

/// Reader checks: each returns whether the mutant was accepted and panics
/// on a misbehaviour (an error without a location).
fn check_liberty(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    match timed("liberty", || Library::from_text(&text, "mutant.lib")) {
        Ok(_) => true,
        Err(e) => {
            assert!(e.location().is_some(), "{e}");
            false
        }
    }
}

/// Asserts that `msg` starts with `file:line:column: ` for the given line
/// and column, both at least 1.
fn assert_located(msg: &str, file: &str, line: u32, col: u32) {
    assert!(line >= 1 && col >= 1, "{msg}");
    assert!(
        msg.starts_with(&format!("{file}:{line}:{col}: ")),
        "not located as {file}:{line}:{col}: {msg}"
    );
}

fn check_verilog(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    timed("verilog", || {
        match verilog::parse::parse_source(&text, "mutant.v") {
            Ok(src) => match Netlist::elaborate(&src, library(), None) {
                Ok(_) => true,
                Err(e) => {
                    let msg = e.to_string();
                    match &e {
                        netlist::Error::At(at) => {
                            assert_located(&msg, "mutant.v", at.pos.line, at.pos.col)
                        }
                        // About the design as a whole (no or several top
                        // modules): the file, no place in it.
                        netlist::Error::Design(_) => {
                            assert!(msg.starts_with("mutant.v: "), "{msg}")
                        }
                        other => panic!("unexpected error kind: {other}"),
                    }
                    false
                }
            },
            Err(e) => {
                let msg = e.to_string();
                match &e {
                    verilog::Error::At(at) => {
                        assert_located(&msg, "mutant.v", at.pos.line, at.pos.col)
                    }
                    other => panic!("unexpected error kind: {other}"),
                }
                false
            }
        }
    })
}

fn check_sdc(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let base = timing::constraints::Constraints::from_conditions(
        mac(),
        &timing::Conditions {
            input_slew_ns: 0.0,
            output_load_pf: 0.0,
        },
    );
    match timed("sdc", || {
        sdc::parse(&text, "mutant.sdc", mac(), library(), base)
    }) {
        Ok(c) => {
            // Whatever was accepted is physically meaningful.
            for b in &c.inputs {
                assert!(b.slew_max_ns.iter().all(|s| *s >= 0.0 && s.is_finite()));
            }
            for b in &c.outputs {
                assert!(b.load_pf >= 0.0 && b.load_pf.is_finite());
            }
            true
        }
        Err(e) => {
            let msg = e.to_string();
            match &e {
                sdc::Error::At(at) => assert_located(&msg, "mutant.sdc", at.pos.line, at.pos.col),
                other => panic!("unexpected error kind: {other}"),
            }
            false
        }
    }
}

fn check_stimulus(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    match timed("stimulus", || {
        sim::stimulus::Stimulus::parse(&text, "mutant.csv", &mac().inputs)
    }) {
        Ok(_) => true,
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.contains("mutant.csv"), "{msg}");
            false
        }
    }
}

/// A small table set saved once; its files are the seeds.
fn table_seed_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let meta = Meta::synthetic(vec![0, 1], vec![0, 1], 1.2);
        let energy = (1..=8).map(|i| i as f32).collect();
        Tables::new(meta, energy, vec![0.5; 8], Some(vec![1.0; 8]))
            .unwrap()
            .save(dir.path())
            .unwrap();
        dir
    })
    .path()
}

/// Replaces one file of a copy of the seed set with the mutant: the set
/// must be refused (a data file no longer matches its checksum) or read
/// back as exactly the seed tables (a manifest edit that keeps its
/// meaning); the NPY reader is also run on the bytes alone.
fn check_tables(file: &str, bytes: &[u8]) -> bool {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(table_seed_dir()).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    let path = dir.path().join(file);
    std::fs::write(&path, bytes).unwrap();
    let loaded = timed("tables", || Tables::load(dir.path()));
    if let Ok(t) = &loaded {
        assert!(
            *t == Tables::load(table_seed_dir()).unwrap(),
            "silently different tables"
        );
    }
    if file.ends_with(".npy") {
        if let Err(e) = timed("npy", || tables::read_npy_f64(&path)) {
            assert!(e.to_string().contains(file), "{e}");
        }
    }
    loaded.is_ok()
}

fn idx_seed() -> Vec<u8> {
    // Three 2×2 images: magic 00 00 08 03, then the sizes, then the bytes.
    let mut v = vec![0, 0, 8, 3];
    for d in [3u32, 2, 2] {
        v.extend_from_slice(&d.to_be_bytes());
    }
    v.extend(1..=12u8);
    v
}

fn check_idx(bytes: &[u8]) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mutant.idx");
    std::fs::write(&path, bytes).unwrap();
    match timed("idx", || nn::data::read_idx_u8(&path, 3, None)) {
        Ok(idx) => {
            assert_eq!(idx.data.len(), idx.dims.iter().product::<usize>());
            true
        }
        Err(e) => {
            assert!(e.to_string().contains("mutant.idx"), "{e}");
            false
        }
    }
}

fn mutated(seed: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for m in mutations {
        apply(&mut bytes, m);
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn liberty_mutants(ms in prop::collection::vec(mutation(), 1..5)) {
        check_liberty(&mutated(liberty_seed().as_bytes(), &ms));
    }

    #[test]
    fn verilog_mutants(ms in prop::collection::vec(mutation(), 1..4)) {
        check_verilog(&mutated(netlist_seed().as_bytes(), &ms));
    }

    #[test]
    fn sdc_mutants(ms in prop::collection::vec(mutation(), 1..4)) {
        check_sdc(&mutated(&seed_file("mac2u.sdc"), &ms));
    }

    #[test]
    fn stimulus_mutants(ms in prop::collection::vec(mutation(), 1..4)) {
        check_stimulus(&mutated(&seed_file("mac2u.csv"), &ms));
    }

    #[test]
    fn table_mutants(
        file in prop::sample::select(vec!["meta.json", "energy_fj.npy", "manifest.json"]),
        ms in prop::collection::vec(mutation(), 1..4),
    ) {
        let seed = std::fs::read(table_seed_dir().join(file)).unwrap();
        check_tables(file, &mutated(&seed, &ms));
    }

    #[test]
    fn idx_mutants(ms in prop::collection::vec(mutation(), 1..4)) {
        check_idx(&mutated(&idx_seed(), &ms));
    }
}

#[test]
fn the_seeds_are_accepted() {
    assert!(check_liberty(liberty_seed().as_bytes()));
    assert!(check_verilog(netlist_seed().as_bytes()));
    assert!(check_sdc(&seed_file("mac2u.sdc")));
    assert!(check_stimulus(&seed_file("mac2u.csv")));
    let meta = std::fs::read(table_seed_dir().join("meta.json")).unwrap();
    assert!(check_tables("meta.json", &meta));
    assert!(check_idx(&idx_seed()));
}

/// Inputs that once crashed a reader, named `READER-*.bin`.
#[test]
fn regressions_still_read_cleanly() {
    for e in std::fs::read_dir(here().join("regressions")).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        match name.split('-').next().unwrap() {
            "liberty" => drop(check_liberty(&bytes)),
            "verilog" => drop(check_verilog(&bytes)),
            "sdc" => drop(check_sdc(&bytes)),
            "stimulus" => drop(check_stimulus(&bytes)),
            "idx" => drop(check_idx(&bytes)),
            _ => {}
        }
    }
}

/// A reader for the long run: name, seed bytes, check.
type LongTarget = (&'static str, Vec<u8>, Box<dyn Fn(&[u8]) -> bool>);

/// `POWERPRUNE_FUZZ_SECS=600 cargo test --release -p fuzz -- --ignored
/// --nocapture` runs each reader that long and prints the counts;
/// `POWERPRUNE_FUZZ_READERS` (comma-separated names) picks some of them.
#[test]
#[ignore]
fn long_run_of_every_reader() {
    let secs = fuzz::long_run_secs();
    let crashes = here().join("regressions");
    let meta = std::fs::read(table_seed_dir().join("meta.json")).unwrap();
    let energy = std::fs::read(table_seed_dir().join("energy_fj.npy")).unwrap();
    let targets: Vec<LongTarget> = vec![
        (
            "liberty",
            liberty_seed().as_bytes().to_vec(),
            Box::new(check_liberty),
        ),
        (
            "verilog",
            netlist_seed().as_bytes().to_vec(),
            Box::new(check_verilog),
        ),
        ("sdc", seed_file("mac2u.sdc"), Box::new(check_sdc)),
        ("stimulus", seed_file("mac2u.csv"), Box::new(check_stimulus)),
        (
            "tables-meta",
            meta,
            Box::new(|b: &[u8]| check_tables("meta.json", b)),
        ),
        (
            "tables-npy",
            energy,
            Box::new(|b: &[u8]| check_tables("energy_fj.npy", b)),
        ),
        ("idx", idx_seed(), Box::new(check_idx)),
    ];
    // POWERPRUNE_FUZZ_READERS=liberty,idx runs a subset (several processes
    // can then share the long run); unset means every reader.
    let only = std::env::var("POWERPRUNE_FUZZ_READERS").ok();
    let wanted = |name: &str| {
        only.as_deref()
            .is_none_or(|list| list.split(',').any(|w| w.trim() == name))
    };
    for (k, (name, seed, check)) in targets.iter().enumerate() {
        if !wanted(name) {
            continue;
        }
        let r = fuzz::long_run(seed, secs, k as u64, &crashes, name, check.as_ref());
        println!(
            "{name}: {} cases in {secs} s, {} accepted, 0 panics, slowest case {:.3} s",
            r.cases, r.accepted, r.slowest_s
        );
    }
}
