//! The shipped MAC netlists (netlists/*.v, listed in netlists/targets.txt)
//! compute their RTL arithmetic: p_out = p_in + w*a mod 2^PW, with w signed
//! and a unsigned (`*u`) or signed (`*s`); for the `umac` targets everything
//! is unsigned and p_out has PW+1 bits.

mod common;

use common::*;
use liberty::Library;
use netlist::logic::{LogicEvaluator, LANES};
use netlist::Netlist;
use rand::{Rng, SeedableRng};

/// One line of netlists/targets.txt.
struct Target {
    name: String,
    ww: usize,
    aw: usize,
    pw: usize,
    a_signed: bool,
    lib: String,
    /// rtl/umac.v: w and p_in unsigned too, p_out one bit wider.
    unsigned: bool,
}

impl Target {
    /// Bits of p_out.
    fn out_width(&self) -> usize {
        self.pw + usize::from(self.unsigned)
    }
}

fn targets() -> Vec<Target> {
    let text = std::fs::read_to_string(repo().join("netlists/targets.txt")).unwrap();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            Target {
                name: f[0].to_string(),
                ww: f[1].parse().unwrap(),
                aw: f[2].parse().unwrap(),
                pw: f[3].parse().unwrap(),
                a_signed: f[4] == "1",
                lib: f[5].to_string(),
                unsigned: f.get(6) == Some(&"umac"),
            }
        })
        .collect()
}

fn library(key: &str) -> &'static Library {
    match key {
        "ng45" => nangate45(),
        "sg13g2" => sg13g2(),
        // The shipped SKY130 ss -40 C subset the netlist was synthesized against.
        "sky130" => {
            static SKY: std::sync::OnceLock<Library> = std::sync::OnceLock::new();
            SKY.get_or_init(|| {
                liberty::read_library(
                    repo().join("liberty/sky130_fd_sc_hd__ss_n40C_1v76.subset.lib.gz"),
                )
                .unwrap()
            })
        }
        other => panic!("unknown library key {other}"),
    }
}

/// The RTL's value of p_out for raw port bits.
fn reference(t: &Target, w: u64, a: u64, p_in: u64) -> u64 {
    if t.unsigned {
        let (w, a, p_in) = (w & mask(t.ww), a & mask(t.aw), p_in & mask(t.pw));
        return (p_in + w * a) & mask(t.out_width());
    }
    let w = sign_extend(w, t.ww);
    let a = if t.a_signed {
        sign_extend(a, t.aw)
    } else {
        (a & mask(t.aw)) as i64
    };
    (p_in as i64).wrapping_add(w.wrapping_mul(a)) as u64 & mask(t.pw)
}

fn check(t: &Target) {
    let lib = library(&t.lib);
    let n = Netlist::read(repo().join(format!("netlists/{}.v", t.name)), lib, None).unwrap();
    let (w, a, p) = (
        input_index(&n, "w"),
        input_index(&n, "a"),
        input_index(&n, "p_in"),
    );
    let q = output_index(&n, "p_out");
    assert_eq!(
        [
            n.inputs[w].width(),
            n.inputs[a].width(),
            n.inputs[p].width(),
            n.outputs[q].width()
        ],
        [t.ww, t.aw, t.pw, t.out_width()],
        "{}",
        t.name
    );
    assert_eq!(
        t.name.contains(&format!("{}s_", t.ww)),
        t.a_signed,
        "{}: name vs A_SIGNED",
        t.name
    );
    let mut e = LogicEvaluator::new(&n, lib).unwrap();

    // Every (w, a) pair with p_in = 0, 64 pairs per pass.
    let pairs = 1u64 << (t.ww + t.aw);
    let start = std::time::Instant::now();
    let mut ws = [0u64; LANES];
    let mut as_ = [0u64; LANES];
    e.set_input_values(p, &[]);
    let mut x = 0;
    while x < pairs {
        let lanes = (pairs - x).min(LANES as u64) as usize;
        for j in 0..lanes {
            let pair = x + j as u64;
            (ws[j], as_[j]) = (pair & mask(t.ww), pair >> t.ww);
        }
        e.set_input_values(w, &ws[..lanes]);
        e.set_input_values(a, &as_[..lanes]);
        e.run();
        let out = e.output_values(q);
        for j in 0..lanes {
            assert_eq!(
                out[j],
                reference(t, ws[j], as_[j], 0),
                "{}: w={} a={}",
                t.name,
                ws[j],
                as_[j]
            );
        }
        x += LANES as u64;
    }
    eprintln!("{}: {pairs} pairs in {:?}", t.name, start.elapsed());

    // 100k random vectors over the full port ranges.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x5eed_0000 + t.pw as u64);
    let vectors: Vec<Vec<u64>> = (0..100_000)
        .map(|_| {
            let mut v = vec![0u64; 3];
            v[w] = rng.gen::<u64>() & mask(t.ww);
            v[a] = rng.gen::<u64>() & mask(t.aw);
            v[p] = rng.gen::<u64>() & mask(t.pw);
            v
        })
        .collect();
    let out = e.eval_vectors(&vectors);
    for (v, o) in vectors.iter().zip(&out) {
        assert_eq!(o[q], reference(t, v[w], v[a], v[p]), "{}: {v:?}", t.name);
    }
}

#[test]
fn shipped_netlists_compute_their_rtl() {
    let targets = targets();
    assert!(
        targets.len() >= 5,
        "netlists/targets.txt lists the shipped netlists"
    );
    for t in &targets {
        check(t);
    }
}

#[test]
fn reference_arithmetic_by_hand() {
    // The test's own model on hand-computed values (w signed, a unsigned).
    let t = Target {
        name: String::new(),
        ww: 8,
        aw: 8,
        pw: 22,
        a_signed: false,
        lib: String::new(),
        unsigned: false,
    };
    assert_eq!(reference(&t, 0xFF, 0xFF, 0), (-255i64 as u64) & mask(22)); // -1 * 255
    assert_eq!(
        reference(&t, 0x80, 0x80, 5),
        (5 - 128 * 128) as u64 & mask(22)
    );
    let s = Target {
        a_signed: true,
        ..t
    };
    assert_eq!(reference(&s, 0xFF, 0xFF, 0), 1); // -1 * -1
                                                 // umac, as ref_small_ng45: 2-bit w and a, 4-bit p_in, 5-bit p_out.
    let u = Target {
        ww: 2,
        aw: 2,
        pw: 4,
        a_signed: false,
        unsigned: true,
        ..s
    };
    assert_eq!(reference(&u, 3, 3, 15), 24); // 15 + 3*3, no wrap
    assert_eq!(reference(&u, 2, 3, 0), 6);
}
