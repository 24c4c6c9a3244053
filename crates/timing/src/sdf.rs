//! SDF 3.0 writer: IOPATH rise/fall delays per instance arc.
//!
//! One `CELL` per instance with `CELLTYPE` and `INSTANCE`, `TIMESCALE 1ns`,
//! each delay written as a `(min:typ:max)` triple of the same value. The
//! arcs of one pin pair are merged into one unconditional IOPATH, each edge
//! taking the worst delay over the conditions, as STA does. With
//! [`SdfOptions::conditional`], arcs with a Liberty `sdf_cond` are also
//! written under `COND` after it: a simulator that honours COND overrides
//! the merged value per state, one that ignores COND (Icarus Verilog 11,
//! its issue 949) keeps the worst.

use std::fmt::Write as _;

use liberty::Library;
use netlist::Netlist;

use crate::arcs::{ArcRole, TimingModel};
use crate::error::{Error, Result};
use crate::{ArcDelay, ArcDelays, Edge};

/// What to write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SdfOptions {
    /// Also write `COND` IOPATHs for arcs with an `sdf_cond`, after the
    /// merged worst unconditional IOPATH of their pin pair.
    pub conditional: bool,
}

/// The SDF text for `delays` (from [`crate::arc_delays`] on the same
/// netlist and library).
pub fn to_string(
    netlist: &Netlist,
    lib: &Library,
    delays: &ArcDelays,
    options: &SdfOptions,
) -> String {
    let model = TimingModel::new(lib, netlist);
    let mut s = String::new();
    s += "(DELAYFILE\n";
    s += "  (SDFVERSION \"3.0\")\n";
    let _ = writeln!(s, "  (DESIGN \"{}\")", netlist.top);
    s += "  (VENDOR \"powerprune\")\n";
    let _ = writeln!(
        s,
        "  (PROGRAM \"powerprune\")\n  (VERSION \"{}\")",
        env!("CARGO_PKG_VERSION")
    );
    s += "  (DIVIDER /)\n  (TIMESCALE 1ns)\n";
    for (i, inst) in netlist.instances.iter().enumerate() {
        let cell = &lib.cells[inst.cell];
        let arcs = delays.of(netlist::InstId(i as u32));
        if arcs.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "  (CELL\n    (CELLTYPE \"{}\")\n    (INSTANCE {})",
            cell.name,
            escape_path(&inst.name)
        );
        s += "    (DELAY\n      (ABSOLUTE\n";
        // Unconditional (or merged) arcs per pin pair, in first-seen order.
        let mut merged: Vec<ArcDelay> = Vec::new();
        let mut conds: Vec<(&str, ArcDelay)> = Vec::new();
        for d in arcs {
            let lib_arc = &cell.pins[d.to_pin as usize].timing[d.lib_arc as usize];
            if let (Some(cond), true) = (&lib_arc.sdf_cond, options.conditional) {
                conds.push((cond.as_str(), *d));
            }
            match merged
                .iter_mut()
                .find(|m| m.from_pin == d.from_pin && m.to_pin == d.to_pin)
            {
                Some(m) => {
                    (m.rise_ns, m.rise_slew_ns) =
                        worse(m.rise_ns, m.rise_slew_ns, d.rise_ns, d.rise_slew_ns);
                    (m.fall_ns, m.fall_slew_ns) =
                        worse(m.fall_ns, m.fall_slew_ns, d.fall_ns, d.fall_slew_ns);
                }
                None => merged.push(*d),
            }
        }
        let edge_of = |d: &ArcDelay| {
            model
                .arcs(inst.cell)
                .iter()
                .find(|a| a.from == d.from_pin && a.to == d.to_pin && a.lib_arc == d.lib_arc)
                .filter(|a| a.role == ArcRole::ClockToQ)
                .map(|a| a.clock_edge)
        };
        for d in &merged {
            let _ = writeln!(s, "        {}", iopath(cell, d, edge_of(d)));
        }
        for (cond, d) in &conds {
            let _ = writeln!(
                s,
                "        (COND {} {})",
                cond.trim(),
                iopath(cell, d, edge_of(d))
            );
        }
        s += "      )\n    )\n  )\n";
    }
    s += ")\n";
    s
}

/// Write the SDF to `path` atomically ([`write_atomic`]).
pub fn write(
    path: impl AsRef<std::path::Path>,
    netlist: &Netlist,
    lib: &Library,
    delays: &ArcDelays,
    options: &SdfOptions,
) -> Result<()> {
    write_atomic(
        path.as_ref(),
        to_string(netlist, lib, delays, options).as_bytes(),
    )
}

/// Write `bytes` to `path` atomically (a temporary file synced and renamed
/// into place, see [`outfile`]).
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    outfile::write(path, bytes)
        .map_err(|cause| Error::Io(located::FileError::new(path.display().to_string(), cause)))
}

fn worse(a: f64, a_slew: f64, b: f64, b_slew: f64) -> (f64, f64) {
    if a.is_nan() || b > a {
        (b, b_slew)
    } else {
        (a, a_slew)
    }
}

fn iopath(cell: &liberty::Cell, d: &ArcDelay, clock_edge: Option<Edge>) -> String {
    let from = escape(&cell.pins[d.from_pin as usize].name);
    let from = match clock_edge {
        Some(Edge::Rise) => format!("(posedge {from})"),
        Some(Edge::Fall) => format!("(negedge {from})"),
        None => from,
    };
    let to = escape(&cell.pins[d.to_pin as usize].name);
    format!(
        "(IOPATH {from} {to} {} {})",
        value(d.rise_ns),
        value(d.fall_ns)
    )
}

/// `(v:v:v)`, or `()` when the arc cannot make the edge.
fn value(v: f64) -> String {
    if v.is_finite() {
        format!("({v:.6}:{v:.6}:{v:.6})")
    } else {
        "()".to_string()
    }
}

/// Escape an SDF identifier: characters other than letters, digits and `_`
/// take a backslash (bus brackets included, as SDF needs).
pub fn escape(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for ch in name.chars() {
        if !(ch.is_ascii_alphanumeric() || ch == '_') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// Escape a hierarchical instance name, keeping `/` as the divider.
fn escape_path(name: &str) -> String {
    name.split('/').map(escape).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_escaped() {
        assert_eq!(escape("_24_"), "_24_");
        assert_eq!(escape("a.b[3]"), "a\\.b\\[3\\]");
        assert_eq!(escape_path("u1/x$y"), "u1/x\\$y");
        assert_eq!(value(0.5), "(0.500000:0.500000:0.500000)");
        assert_eq!(value(f64::NAN), "()");
    }

    #[test]
    fn failed_write_names_the_file_and_keeps_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no/such/dir/x.sdf");
        let err = write_atomic(&missing, b"new").unwrap_err().to_string();
        assert!(err.contains(&missing.display().to_string()), "{err}");
        // A directory in the way: the rename fails, it stays, no temporary is left.
        let busy = dir.path().join("busy");
        std::fs::create_dir_all(busy.join("old")).unwrap();
        let err = write_atomic(&busy, b"new").unwrap_err().to_string();
        assert!(err.contains(&busy.display().to_string()), "{err}");
        assert!(busy.join("old").is_dir());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
