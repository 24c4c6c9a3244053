//! Reading NanGate45 typical (6.7 MB of Liberty text), gzipped and plain,
//! and each stage on its own. OpenSTA 3.1.0 reads the same file in about 0.28 s.
//! Freeing the result is left out of the timings (`iter_with_large_drop`):
//! a reader pays for it once, at exit, if at all. The library is in
//! ../shared only (the repository keeps a 27-cell subset); without it the
//! bench prints a skip notice and measures nothing.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};

fn parse(c: &mut Criterion) {
    let Some(gz) = testdata::shared("liberty/nangate45_typ.lib.gz", "NanGate45 parse bench") else {
        return;
    };
    let text = liberty::parse::read_text(&gz).expect("read NanGate45");
    // The plain-text case reads a decompressed copy, made once here.
    let dir = std::env::temp_dir().join(format!("liberty-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plain = dir.join("nangate45_typ.lib");
    std::fs::write(&plain, &text).unwrap();

    let mut g = c.benchmark_group("nangate45_typ");
    g.sample_size(20);
    g.bench_function("read_library .lib.gz", |b| {
        b.iter_with_large_drop(|| liberty::read_library(&gz).unwrap())
    });
    g.bench_function("read_library .lib", |b| {
        b.iter_with_large_drop(|| liberty::read_library(&plain).unwrap())
    });
    g.bench_function("gunzip only", |b| {
        b.iter(|| liberty::parse::read_text(Path::new(&gz)).unwrap())
    });
    g.bench_function("syntax tree only", |b| {
        b.iter_with_large_drop(|| liberty::parse::parse_group(&text, "nangate45_typ.lib").unwrap())
    });
    g.bench_function("text to model", |b| {
        b.iter_with_large_drop(|| liberty::Library::from_text(&text, "nangate45_typ.lib").unwrap())
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, parse);
criterion_main!(benches);
