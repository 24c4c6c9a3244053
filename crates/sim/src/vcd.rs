//! A VCD writer for timed waveforms of every net.
//!
//! Layout, chosen to look like an Icarus Verilog `$dumpvars(0, tb.dut)` of
//! the netlist, the dump OpenSTA's `read_vcd -scope tb/dut` annotates every
//! pin from:
//! - `$timescale 1ps`; step k's transitions are at k·period + t, rounded to
//!   the ps; the file ends with a timestamp at steps·period;
//! - scope `tb` → `dut`; every port bit is a 1-bit var written as
//!   `name [i]` (bus ports per bit, not as vectors);
//! - every other net is a 1-bit var under its own name;
//! - every instance is a scope (hierarchical names split on `/`) holding one
//!   var per connected pin, sharing its net's identifier code.
//!
//! Times never go backwards: if a step's activity runs past its period, the
//! next step's transitions are written no earlier than the last timestamp.
//!
//! `tests/vcd.rs` checks that a zero-delay run gives, signal for signal, the
//! waveforms of the Icarus dumps OpenSTA read for the reference power reports
//! (`shared/reference/*/sim.vcd.gz`; Icarus writes buses as vectors, which
//! OpenSTA splits into the same `name[i]` bits), and that GTKWave's
//! `vcd2fst`/`fst2vcd` keep every var and every change of timed and
//! zero-delay runs.

use std::io::Write;

use liberty::Library;
use netlist::{NetId, Netlist};

use crate::engine::{Observer, Simulator};

/// Writes a VCD while observing a run.
pub struct VcdWriter<W: Write> {
    out: W,
    /// Identifier code of each net.
    ids: Vec<String>,
    period_fs: u64,
    /// Start of the current step, fs.
    base_fs: u64,
    /// Last timestamp written, ps.
    last_ps: u64,
    /// First write error; later writes are skipped and `finish` returns it.
    error: Option<std::io::Error>,
}

impl<W: Write> VcdWriter<W> {
    /// Write the header and the current (settled) values of `sim` at #0.
    pub fn new(
        out: W,
        netlist: &Netlist,
        lib: &Library,
        sim: &Simulator<'_>,
    ) -> std::io::Result<Self> {
        let period_fs = (sim.options().period_ns * 1e6).round() as u64;
        let ids = (0..netlist.nets.len()).map(id_code).collect();
        let mut w = VcdWriter {
            out,
            ids,
            period_fs,
            base_fs: 0,
            last_ps: 0,
            error: None,
        };
        w.header(netlist, lib)?;
        writeln!(w.out, "#0\n$dumpvars")?;
        for n in 0..netlist.nets.len() {
            let v = sim.net_value(NetId(n as u32)) as u8;
            writeln!(w.out, "{v}{}", w.ids[n])?;
        }
        writeln!(w.out, "$end")?;
        Ok(w)
    }

    fn header(&mut self, netlist: &Netlist, lib: &Library) -> std::io::Result<()> {
        let out = &mut self.out;
        writeln!(out, "$version powerprune sim $end")?;
        writeln!(out, "$timescale 1ps $end")?;
        writeln!(out, "$scope module tb $end")?;
        writeln!(out, "$scope module dut $end")?;
        let mut is_port_bit = vec![false; netlist.nets.len()];
        for port in netlist.inputs.iter().chain(&netlist.outputs) {
            for (b, net) in port.bits.iter().enumerate() {
                // An output aliased to an input (or another output) keeps one var per bit.
                is_port_bit[net.0 as usize] = true;
                let name = match port.range {
                    Some(_) => {
                        let full = port.bit_name(b);
                        let at = full.rfind('[').unwrap_or(full.len());
                        format!("{} {}", sanitize(&full[..at]), &full[at..])
                    }
                    None => sanitize(&port.name),
                };
                writeln!(out, "$var wire 1 {} {name} $end", self.ids[net.0 as usize])?;
            }
        }
        for (n, net) in netlist.nets.iter().enumerate() {
            if !is_port_bit[n] {
                writeln!(
                    out,
                    "$var wire 1 {} {} $end",
                    self.ids[n],
                    sanitize(&net.name)
                )?;
            }
        }
        // Instances grouped into nested scopes by their hierarchical names.
        let mut order: Vec<usize> = (0..netlist.instances.len()).collect();
        order.sort_by(|&a, &b| netlist.instances[a].name.cmp(&netlist.instances[b].name));
        let mut open: Vec<&str> = Vec::new();
        for i in order {
            let inst = &netlist.instances[i];
            let path: Vec<&str> = inst.name.split('/').collect();
            let (parents, leaf) = path.split_at(path.len() - 1);
            let common = open.iter().zip(parents).take_while(|(a, b)| a == b).count();
            while open.len() > common {
                open.pop();
                writeln!(out, "$upscope $end")?;
            }
            for scope in &parents[common..] {
                writeln!(out, "$scope module {} $end", sanitize(scope))?;
                open.push(scope);
            }
            writeln!(out, "$scope module {} $end", sanitize(leaf[0]))?;
            let cell = &lib.cells[inst.cell];
            for (p, net) in inst.pins.iter().enumerate() {
                if let (Some(net), Some(pin)) = (net, cell.pins.get(p)) {
                    writeln!(
                        out,
                        "$var wire 1 {} {} $end",
                        self.ids[net.0 as usize],
                        sanitize(&pin.name)
                    )?;
                }
            }
            writeln!(out, "$upscope $end")?;
        }
        for _ in open {
            writeln!(out, "$upscope $end")?;
        }
        writeln!(out, "$upscope $end")?;
        writeln!(out, "$upscope $end")?;
        writeln!(out, "$enddefinitions $end")?;
        Ok(())
    }

    /// Write the closing timestamp (`steps` periods) and flush; returns the
    /// first write error, if any.
    pub fn finish(mut self, steps: usize) -> std::io::Result<W> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let end_ps = (steps as u64 * self.period_fs)
            .div_ceil(1000)
            .max(self.last_ps);
        if end_ps > self.last_ps || steps == 0 {
            writeln!(self.out, "#{end_ps}")?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> Observer for VcdWriter<W> {
    fn begin_step(&mut self, step: usize) {
        self.base_fs = step as u64 * self.period_fs;
    }

    fn transition(&mut self, time_fs: u64, net: NetId, value: bool) {
        if self.error.is_some() {
            return;
        }
        let t_ps = ((self.base_fs + time_fs + 500) / 1000).max(self.last_ps);
        let result = if t_ps != self.last_ps {
            self.last_ps = t_ps;
            writeln!(
                self.out,
                "#{t_ps}\n{}{}",
                value as u8, self.ids[net.0 as usize]
            )
        } else {
            writeln!(self.out, "{}{}", value as u8, self.ids[net.0 as usize])
        };
        if let Err(e) = result {
            self.error = Some(e);
        }
    }
}

/// The VCD identifier code of index `i`: base-94 over the printable ASCII
/// characters `!`..`~`.
fn id_code(mut i: usize) -> String {
    let mut s = String::new();
    loop {
        s.push((b'!' + (i % 94) as u8) as char);
        i /= 94;
        if i == 0 {
            return s;
        }
        i -= 1;
    }
}

/// VCD references cannot contain whitespace.
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::id_code;

    #[test]
    fn id_codes_are_distinct_and_printable() {
        let codes: Vec<String> = (0..20_000).map(id_code).collect();
        let set: std::collections::HashSet<&String> = codes.iter().collect();
        assert_eq!(set.len(), codes.len());
        assert_eq!(codes[0], "!");
        assert_eq!(codes[93], "~");
        assert_eq!(codes[94], "!!");
        assert!(codes
            .iter()
            .all(|c| c.bytes().all(|b| (b'!'..=b'~').contains(&b))));
    }
}
