//! SDC reading: the subset synthesis and place-and-route flows emit.
//!
//! The commands applied are listed in the crate documentation; the Tcl
//! they are written in is run by [`crate::tcl`] (variables, `expr`, ...).
//! Every other command is reported as ignored in
//! [`Constraints::warnings`], never skipped silently; inside `[...]`, where
//! its result would be used, an unknown command is an error (as in Tcl)
//! unless it only names an object the reader does not model
//! (`current_design`, `get_pins`, ...). Errors and warnings give
//! `file:line:column`: the command word, or the word at fault. Numbers are in the
//! library's units, as in OpenSTA: times in its `time_unit`, capacitances in
//! its `capacitive_load_unit`.

use std::collections::HashMap;

use liberty::Library;
use netlist::Netlist;
use timing::{Clock, Constraints, PortDelay};

use crate::error::{Error, Pos, Result};
use crate::tcl::{format_list, glob_match, split_list, Host, Interp};

/// Read an SDC file on top of `base` (whose input slews and output loads are
/// the defaults SDC commands override).
pub fn read(
    path: impl AsRef<std::path::Path>,
    netlist: &Netlist,
    lib: &Library,
    base: Constraints,
) -> Result<Constraints> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path)
        .map_err(|cause| Error::Io(located::FileError::new(path.display().to_string(), cause)))?;
    parse(&text, &path.display().to_string(), netlist, lib, base)
}

/// Apply SDC `text` (named `file` in messages) on top of `base`.
pub fn parse(
    text: &str,
    file: &str,
    netlist: &Netlist,
    lib: &Library,
    base: Constraints,
) -> Result<Constraints> {
    let mut host = Sdc::new(netlist, lib, base, file);
    let mut interp = Interp::new(file);
    interp.eval(text, Pos::START, &mut host)?;
    Ok(host.c)
}

/// A resolved port bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bit {
    Input(usize),
    Output(usize),
}

struct Sdc<'a> {
    c: Constraints,
    file: String,
    /// See [`max_table_slew_ns`].
    max_table_slew_ns: f64,
    time_ns: f64,
    cap_pf: f64,
    /// Port (bus or scalar) names → their bits, in declaration order.
    ports: Vec<(String, Vec<Bit>)>,
    /// Bit name → bit.
    bits: HashMap<String, Bit>,
    netlist: &'a Netlist,
}

/// Arguments of one SDC command: options with values, flags, positionals;
/// each value and positional with where it is, for messages about it.
struct Args {
    values: HashMap<String, (String, Pos)>,
    flags: Vec<String>,
    positional: Vec<(String, Pos)>,
}

impl Args {
    fn flag(&self, f: &str) -> bool {
        self.flags.iter().any(|x| x == f)
    }
}

impl<'a> Sdc<'a> {
    fn new(netlist: &'a Netlist, lib: &Library, base: Constraints, file: &str) -> Sdc<'a> {
        let mut ports = Vec::new();
        let mut bits = HashMap::new();
        let mut k = 0;
        for p in &netlist.inputs {
            let b: Vec<Bit> = (0..p.width()).map(|j| Bit::Input(k + j)).collect();
            for (j, bit) in b.iter().enumerate() {
                bits.insert(p.bit_name(j), *bit);
            }
            k += p.width();
            ports.push((p.name.clone(), b));
        }
        k = 0;
        for p in &netlist.outputs {
            let b: Vec<Bit> = (0..p.width()).map(|j| Bit::Output(k + j)).collect();
            for (j, bit) in b.iter().enumerate() {
                bits.insert(p.bit_name(j), *bit);
            }
            k += p.width();
            ports.push((p.name.clone(), b));
        }
        Sdc {
            c: base,
            file: file.to_string(),
            max_table_slew_ns: max_table_slew_ns(lib),
            time_ns: lib.units.time_ns,
            cap_pf: lib.units.capacitance_pf,
            ports,
            bits,
            netlist,
        }
    }

    fn err(&self, at: Pos, message: impl Into<String>) -> Error {
        Error::At(located::Located::new(self.file.as_str(), at, message))
    }

    fn warn(&mut self, at: Pos, message: impl AsRef<str>) {
        self.c
            .warnings
            .push(format!("{}:{at}: {}", self.file, message.as_ref()));
    }

    /// Split options from positionals; `valued` options take the next word.
    /// `at[k]` is where `words[k]` is.
    fn args(&self, words: &[String], at: &[Pos], valued: &[&str], flags: &[&str]) -> Result<Args> {
        let mut a = Args {
            values: HashMap::new(),
            flags: Vec::new(),
            positional: Vec::new(),
        };
        let mut i = 1;
        while i < words.len() {
            let w = &words[i];
            let is_option = w.starts_with('-') && w.len() > 1 && w.parse::<f64>().is_err();
            if is_option && valued.contains(&w.as_str()) {
                let v = words.get(i + 1).ok_or_else(|| {
                    self.err(at[i], format!("{}: option {w} expects a value", words[0]))
                })?;
                a.values.insert(w.clone(), (v.clone(), at[i + 1]));
                i += 2;
                continue;
            }
            if is_option && flags.contains(&w.as_str()) {
                a.flags.push(w.clone());
            } else if is_option {
                let mut known: Vec<&str> = valued.iter().chain(flags).copied().collect();
                known.sort();
                return Err(self.err(
                    at[i],
                    format!(
                        "{}: unknown option {w} (expected one of {})",
                        words[0],
                        known.join(" ")
                    ),
                ));
            } else {
                a.positional.push((w.clone(), at[i]));
            }
            i += 1;
        }
        Ok(a)
    }

    /// A number that must be ≥ 0 (a negative load, slew or uncertainty has
    /// no physical meaning and would silently improve the timing).
    fn non_negative(&self, text: &str, at: Pos, what: &str) -> Result<f64> {
        let v = self.number(text, at, what)?;
        if v < 0.0 {
            return Err(self.err(at, format!("{what} must be >= 0, found {v}")));
        }
        Ok(v)
    }

    /// `text`, the word at `at`, as a finite number.
    fn number(&self, text: &str, at: Pos, what: &str) -> Result<f64> {
        text.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                self.err(
                    at,
                    format!("expected a number for {what}, found \"{text}\""),
                )
            })
    }

    /// Resolve a list of port names or patterns (the word at `at`) to bits,
    /// warning on misses.
    fn resolve(&mut self, list: &str, at: Pos, command: &str) -> Vec<Bit> {
        let mut out = Vec::new();
        for item in split_list(list) {
            let found = self.match_ports(&item);
            if found.is_empty() {
                self.warn(
                    at,
                    format!(
                        "{command}: {item} is not a port of {}; ignored",
                        self.netlist.top
                    ),
                );
            }
            for (_, bits) in found {
                for b in bits {
                    if !out.contains(&b) {
                        out.push(b);
                    }
                }
            }
        }
        out
    }

    /// Ports (whole buses or scalars) or single bits matching a name or
    /// glob pattern, as (name, bits).
    fn match_ports(&self, pattern: &str) -> Vec<(String, Vec<Bit>)> {
        let whole: Vec<(String, Vec<Bit>)> = self
            .ports
            .iter()
            .filter(|(n, _)| glob_match(pattern, n))
            .cloned()
            .collect();
        if !whole.is_empty() {
            return whole;
        }
        if let Some(b) = self.bits.get(pattern) {
            return vec![(pattern.to_string(), vec![*b])];
        }
        let mut bits: Vec<(String, Bit)> = self
            .bits
            .iter()
            .filter(|(n, _)| glob_match(pattern, n))
            .map(|(n, b)| (n.clone(), *b))
            .collect();
        bits.sort_by_key(|(_, b)| match b {
            Bit::Input(i) => (0, *i),
            Bit::Output(i) => (1, *i),
        });
        bits.into_iter().map(|(n, b)| (n, vec![b])).collect()
    }

    fn bit_name(&self, b: Bit) -> String {
        match b {
            Bit::Input(i) => self.c.inputs[i].name.clone(),
            Bit::Output(i) => self.c.outputs[i].name.clone(),
        }
    }

    fn clock_index(&self, name: &str, at: Pos) -> Result<usize> {
        self.c
            .clocks
            .iter()
            .position(|k| k.name == name)
            .ok_or_else(|| {
                let known: Vec<&str> = self.c.clocks.iter().map(|k| k.name.as_str()).collect();
                self.err(
                    at,
                    format!("unknown clock \"{name}\" (defined: {})", known.join(" ")),
                )
            })
    }

    /// Clocks named by a list of clock names/patterns or clock source ports.
    fn clocks_of(&mut self, list: &str, at: Pos, command: &str) -> Vec<usize> {
        let mut out = Vec::new();
        for item in split_list(list) {
            let mut hit: Vec<usize> = (0..self.c.clocks.len())
                .filter(|&k| glob_match(&item, &self.c.clocks[k].name))
                .collect();
            if hit.is_empty() {
                if let Some(Bit::Input(i)) = self.bits.get(&item) {
                    let net = self.c.inputs[*i].net;
                    hit.extend(self.c.clock_of_source(net));
                }
            }
            if hit.is_empty() {
                self.warn(at, format!("{command}: {item} is not a clock; ignored"));
            }
            out.extend(hit);
        }
        out.sort();
        out.dedup();
        out
    }

    fn create_clock(&mut self, words: &[String], at: &[Pos]) -> Result<String> {
        let a = self.args(
            words,
            at,
            &["-name", "-period", "-waveform", "-comment"],
            &["-add"],
        )?;
        let (period, period_at) = a
            .values
            .get("-period")
            .ok_or_else(|| self.err(at[0], "create_clock: -period is required"))?;
        let period_ns = self.number(period, *period_at, "-period")? * self.time_ns;
        if period_ns <= 0.0 {
            return Err(self.err(
                *period_at,
                format!("create_clock: period must be positive, found {period}"),
            ));
        }
        let (sources, sources_at) = match a.positional.as_slice() {
            [] => (Vec::new(), at[0]),
            [(list, list_at)] => (self.resolve(list, *list_at, "create_clock"), *list_at),
            [_, (_, extra_at), ..] => {
                return Err(self.err(
                    *extra_at,
                    "create_clock: expected one port list after the options",
                ))
            }
        };
        let name = match a.values.get("-name") {
            Some((n, _)) => n.clone(),
            None => match sources.first() {
                Some(b) => self.bit_name(*b),
                None => return Err(self.err(at[0], "create_clock: a virtual clock needs -name")),
            },
        };
        let mut clock = Clock::new(name.clone(), period_ns);
        if let Some((w, w_at)) = a.values.get("-waveform") {
            let edges = split_list(w);
            if edges.len() != 2 {
                return Err(self.err(
                    *w_at,
                    format!("create_clock: -waveform expects {{rise fall}}, found {{{w}}}"),
                ));
            }
            clock.rise_ns = self.number(&edges[0], *w_at, "-waveform")? * self.time_ns;
            clock.fall_ns = self.number(&edges[1], *w_at, "-waveform")? * self.time_ns;
        }
        for b in sources {
            match b {
                Bit::Input(i) => clock.sources.push(self.c.inputs[i].net),
                Bit::Output(i) => {
                    let n = self.c.outputs[i].name.clone();
                    self.warn(
                        sources_at,
                        format!("create_clock: output port {n} cannot source a clock; ignored"),
                    );
                }
            }
        }
        match self.c.clocks.iter().position(|k| k.name == name) {
            Some(k) => self.c.clocks[k] = clock,
            None => self.c.clocks.push(clock),
        }
        Ok(name)
    }

    fn port_delay(&mut self, words: &[String], at: &[Pos], input: bool) -> Result<String> {
        let cmd = words[0].clone();
        let a = self.args(
            words,
            at,
            &["-clock", "-reference_pin"],
            &[
                "-clock_fall",
                "-level_sensitive",
                "-rise",
                "-fall",
                "-max",
                "-min",
                "-add_delay",
                "-network_latency_included",
                "-source_latency_included",
            ],
        )?;
        if let Some((_, pin_at)) = a.values.get("-reference_pin") {
            self.warn(
                *pin_at,
                format!("{cmd}: -reference_pin ignored (ideal clocks)"),
            );
        }
        let [(value, value_at), (list, list_at)] = a.positional.as_slice() else {
            return Err(self.err(at[0], format!("{cmd}: expected a delay and a port list")));
        };
        let list_at = *list_at;
        let delay_ns = self.number(value, *value_at, "the delay")? * self.time_ns;
        let clock = match a.values.get("-clock") {
            Some((name, name_at)) => Some(self.clock_index(name.trim(), *name_at)?),
            None => {
                self.warn(at[0], format!("{cmd}: no -clock; the delay is taken relative to time 0 and checks nothing"));
                None
            }
        };
        let edges = pick(a.flag("-rise"), a.flag("-fall"));
        let analyses = pick(a.flag("-max"), a.flag("-min"));
        for b in self.resolve(list, list_at, &cmd) {
            let slot = match (b, input) {
                (Bit::Input(i), true) => {
                    if self.c.clock_of_source(self.c.inputs[i].net).is_some() {
                        let n = self.c.inputs[i].name.clone();
                        self.warn(list_at, format!("{cmd}: {n} is a clock source; ignored"));
                        continue;
                    }
                    &mut self.c.inputs[i].delay
                }
                (Bit::Output(i), false) => &mut self.c.outputs[i].delay,
                (b, _) => {
                    let n = self.bit_name(b);
                    self.warn(
                        list_at,
                        format!(
                            "{cmd}: {n} is not an {} port; ignored",
                            if input { "input" } else { "output" }
                        ),
                    );
                    continue;
                }
            };
            let d = slot.get_or_insert(PortDelay::uniform(clock, delay_ns));
            d.clock = clock;
            d.clock_fall = a.flag("-clock_fall");
            if analyses[0] {
                set_edges(&mut d.max_ns, edges, delay_ns);
            }
            if analyses[1] {
                set_edges(&mut d.min_ns, edges, delay_ns);
            }
        }
        Ok(String::new())
    }

    fn set_input_transition(&mut self, words: &[String], at: &[Pos]) -> Result<String> {
        let a = self.args(words, at, &[], &["-rise", "-fall", "-max", "-min"])?;
        let [(value, value_at), (list, list_at)] = a.positional.as_slice() else {
            return Err(self.err(
                at[0],
                "set_input_transition: expected a transition and a port list",
            ));
        };
        let (value_at, list_at) = (*value_at, *list_at);
        let slew_ns = self.non_negative(value, value_at, "set_input_transition: the transition")?
            * self.time_ns;
        if slew_ns > self.max_table_slew_ns {
            self.warn(
                value_at,
                format!(
                    "set_input_transition: {slew_ns} ns is beyond the library's largest \
                     transition breakpoint ({} ns); delays are extrapolated",
                    self.max_table_slew_ns
                ),
            );
        }
        let edges = pick(a.flag("-rise"), a.flag("-fall"));
        let analyses = pick(a.flag("-max"), a.flag("-min"));
        for b in self.resolve(list, list_at, "set_input_transition") {
            let Bit::Input(i) = b else {
                let n = self.bit_name(b);
                self.warn(
                    list_at,
                    format!("set_input_transition: {n} is not an input port; ignored"),
                );
                continue;
            };
            let bit = &mut self.c.inputs[i];
            if analyses[0] {
                set_edges(&mut bit.slew_max_ns, edges, slew_ns);
            }
            if analyses[1] {
                set_edges(&mut bit.slew_min_ns, edges, slew_ns);
            }
        }
        Ok(String::new())
    }

    fn set_load(&mut self, words: &[String], at: &[Pos]) -> Result<String> {
        let a = self.args(
            words,
            at,
            &[],
            &[
                "-pin_load",
                "-wire_load",
                "-subtract_pin_load",
                "-max",
                "-min",
                "-rise",
                "-fall",
            ],
        )?;
        if a.flag("-min") && !a.flag("-max") {
            self.warn(at[0], "set_load -min ignored (max analysis only)");
            return Ok(String::new());
        }
        let [(value, value_at), (list, list_at)] = a.positional.as_slice() else {
            return Err(self.err(at[0], "set_load: expected a capacitance and a port list"));
        };
        let list_at = *list_at;
        let load_pf =
            self.non_negative(value, *value_at, "set_load: the capacitance")? * self.cap_pf;
        for b in self.resolve(list, list_at, "set_load") {
            match b {
                Bit::Output(i) => self.c.outputs[i].load_pf = load_pf,
                Bit::Input(i) => {
                    let n = self.c.inputs[i].name.clone();
                    self.warn(
                        list_at,
                        format!("set_load: {n} is an input port (no driver to load); ignored"),
                    );
                }
            }
        }
        Ok(String::new())
    }

    fn clock_setting(&mut self, words: &[String], at: &[Pos], uncertainty: bool) -> Result<String> {
        let cmd = words[0].clone();
        let (valued, flags): (&[&str], &[&str]) = if uncertainty {
            (
                &[
                    "-from",
                    "-to",
                    "-rise_from",
                    "-fall_from",
                    "-rise_to",
                    "-fall_to",
                ],
                &["-setup", "-hold", "-rise", "-fall"],
            )
        } else {
            (&[], &["-rise", "-fall", "-max", "-min"])
        };
        let a = self.args(words, at, valued, flags)?;
        if !a.values.is_empty() {
            self.warn(at[0], format!("{cmd}: inter-clock uncertainty ignored"));
            return Ok(String::new());
        }
        let ((value, value_at), clocks) = match a.positional.as_slice() {
            [value] => {
                self.warn(
                    at[0],
                    format!("{cmd}: no clock given; applied to every clock"),
                );
                (value.clone(), (0..self.c.clocks.len()).collect())
            }
            [value, (list, list_at)] => (value.clone(), self.clocks_of(list, *list_at, &cmd)),
            _ => return Err(self.err(at[0], format!("{cmd}: expected a value and a clock list"))),
        };
        let v_ns =
            self.non_negative(&value, value_at, &format!("{cmd}: the value"))? * self.time_ns;
        for k in clocks {
            let clock = &mut self.c.clocks[k];
            if uncertainty {
                let [setup, hold] = pick(a.flag("-setup"), a.flag("-hold"));
                if setup {
                    clock.uncertainty_setup_ns = v_ns;
                }
                if hold {
                    clock.uncertainty_hold_ns = v_ns;
                }
            } else {
                set_edges(
                    &mut clock.transition_ns,
                    pick(a.flag("-rise"), a.flag("-fall")),
                    v_ns,
                );
            }
        }
        Ok(String::new())
    }

    fn get_ports(&mut self, words: &[String], at: &[Pos]) -> Result<String> {
        let a = self.args(
            words,
            at,
            &["-filter", "-of_objects"],
            &["-quiet", "-regexp", "-nocase"],
        )?;
        if a.values.contains_key("-filter")
            || a.values.contains_key("-of_objects")
            || a.flag("-regexp")
        {
            self.warn(
                at[0],
                "get_ports: -filter, -of_objects and -regexp are not supported; no ports returned",
            );
            return Ok(String::new());
        }
        let mut names = Vec::new();
        for (list, list_at) in &a.positional {
            for pattern in split_list(list) {
                let found = self.match_ports(&pattern);
                if found.is_empty() && !a.flag("-quiet") {
                    self.warn(*list_at, format!("get_ports: no port matches {pattern}"));
                }
                names.extend(found.into_iter().map(|(n, _)| n));
            }
        }
        Ok(format_list(&names))
    }

    fn all_ports(&mut self, words: &[String], at: &[Pos], inputs: bool) -> Result<String> {
        let a = self.args(
            words,
            at,
            &[],
            &[
                "-no_clocks",
                "-level_sensitive",
                "-edge_triggered",
                "-clock",
            ],
        )?;
        let mut names = Vec::new();
        for (name, bits) in &self.ports {
            let is_input = matches!(bits.first(), Some(Bit::Input(_)));
            if is_input != inputs {
                continue;
            }
            let clock = bits.iter().any(|b| match b {
                Bit::Input(i) => self.c.clock_of_source(self.c.inputs[*i].net).is_some(),
                Bit::Output(_) => false,
            });
            if a.flag("-no_clocks") && clock {
                continue;
            }
            names.push(name.clone());
        }
        Ok(format_list(&names))
    }

    /// `delete_from_list LIST ITEMS`: LIST's bits minus ITEMS's bits.
    fn delete_from_list(&mut self, words: &[String], at: Pos) -> Result<String> {
        let [_, list, items] = words else {
            return Err(self.err(
                at,
                format!("{}: expected a list and the items to remove", words[0]),
            ));
        };
        let mut keep = Vec::new();
        let drop: Vec<String> = split_list(items);
        for item in split_list(list) {
            if drop.contains(&item) {
                continue;
            }
            // A bus minus some of its bits: expand it.
            let found = self.match_ports(&item);
            let dropped_bits: Vec<Bit> = drop
                .iter()
                .flat_map(|d| self.match_ports(d))
                .flat_map(|(_, b)| b)
                .collect();
            match found.as_slice() {
                [(_, bits)] if bits.iter().any(|b| dropped_bits.contains(b)) => {
                    keep.extend(
                        bits.iter()
                            .filter(|b| !dropped_bits.contains(b))
                            .map(|b| self.bit_name(*b)),
                    );
                }
                _ => keep.push(item),
            }
        }
        Ok(format_list(&keep))
    }
}

/// The largest input-transition breakpoint of any timing table in `lib`,
/// ns (infinite when no table has that axis): slews beyond it are
/// extrapolated, which the SDC reader warns about.
fn max_table_slew_ns(lib: &Library) -> f64 {
    let largest = lib
        .cells
        .iter()
        .flat_map(|c| &c.pins)
        .flat_map(|p| &p.timing)
        .flat_map(|t| {
            [
                &t.cell_rise,
                &t.cell_fall,
                &t.rise_transition,
                &t.fall_transition,
            ]
        })
        .flatten()
        .flat_map(|t| &t.axes)
        .filter(|(v, _)| *v == liberty::table::Variable::InputNetTransition)
        .filter_map(|(_, points)| points.last().copied())
        .fold(f64::NEG_INFINITY, f64::max);
    if largest.is_finite() {
        largest
    } else {
        f64::INFINITY
    }
}

/// Which of two alternatives a pair of flags selects: neither means both.
fn pick(first: bool, second: bool) -> [bool; 2] {
    if first || second {
        [first, second]
    } else {
        [true, true]
    }
}

/// Set the per-edge (rise, fall) entries `edges` selects to `value`.
fn set_edges(target: &mut [f64; 2], edges: [bool; 2], value: f64) {
    for (t, on) in target.iter_mut().zip(edges) {
        if on {
            *t = value;
        }
    }
}

/// Commands inside `[...]` whose objects the reader does not model: they
/// return nothing with a warning, since an empty result only drops an object
/// (a design, a library cell) that no applied constraint uses. Any other
/// unknown command inside `[...]` is an error, as in Tcl, because ignoring it
/// would silently change the objects the enclosing command applies to.
const KNOWN_UNMODELLED: &[&str] = &[
    "current_design",
    "current_instance",
    "get_designs",
    "get_libs",
    "get_lib_cells",
];

impl Host for Sdc<'_> {
    fn command(&mut self, interp: &mut Interp, words: &[String], at: &[Pos]) -> Result<String> {
        let name = words[0].as_str();
        match name {
            "create_clock" => self.create_clock(words, at),
            "set_input_delay" => self.port_delay(words, at, true),
            "set_output_delay" => self.port_delay(words, at, false),
            "set_input_transition" => self.set_input_transition(words, at),
            "set_load" => self.set_load(words, at),
            "set_clock_uncertainty" => self.clock_setting(words, at, true),
            "set_clock_transition" => self.clock_setting(words, at, false),
            "get_ports" | "get_port" => self.get_ports(words, at),
            "all_inputs" => self.all_ports(words, at, true),
            "all_outputs" => self.all_ports(words, at, false),
            "all_clocks" => Ok(format_list(
                &self
                    .c
                    .clocks
                    .iter()
                    .map(|k| k.name.clone())
                    .collect::<Vec<_>>(),
            )),
            "get_clocks" | "get_clock" => {
                let a = self.args(words, at, &["-filter"], &["-quiet", "-regexp", "-nocase"])?;
                let mut names = Vec::new();
                for (list, list_at) in &a.positional {
                    for p in split_list(list) {
                        let hit: Vec<String> = self
                            .c
                            .clocks
                            .iter()
                            .filter(|k| glob_match(&p, &k.name))
                            .map(|k| k.name.clone())
                            .collect();
                        if hit.is_empty() && !a.flag("-quiet") {
                            self.warn(*list_at, format!("get_clocks: no clock matches {p}"));
                        }
                        names.extend(hit);
                    }
                }
                Ok(format_list(&names))
            }
            "delete_from_list" | "remove_from_collection" => self.delete_from_list(words, at[0]),
            "get_pins" | "get_pin" | "get_cells" | "get_cell" | "get_nets" | "get_net"
            | "all_registers" => {
                self.warn(
                    at[0],
                    format!("{name}: only port and clock objects are supported; returns nothing"),
                );
                Ok(String::new())
            }
            "set_propagated_clock" => {
                self.warn(at[0], "set_propagated_clock ignored: clocks are ideal");
                Ok(String::new())
            }
            // `[0]` or `[3:0]` inside `[...]`: an unbraced bus select, which
            // Tcl runs as a command and rejects. Returning nothing would widen
            // `p[0]` to the whole bus `p`.
            _ if interp.in_substitution()
                && name.chars().all(|c| c.is_ascii_digit() || c == ':') =>
            {
                Err(self.err(
                    at[0],
                    format!(
                        "invalid command name \"{name}\" inside [...] (a bus bit in an unbraced \
                         name? write {{p[0]}} or p\\[0\\])"
                    ),
                ))
            }
            _ if interp.in_substitution() && !KNOWN_UNMODELLED.contains(&name) => Err(self.err(
                at[0],
                format!(
                    "invalid command name \"{name}\" inside [...] (not a command this reader \
                     supports; ignoring it would change what the enclosing command applies to)"
                ),
            )),
            _ => {
                self.warn(at[0], format!("{name} ignored (not supported)"));
                Ok(String::new())
            }
        }
    }
}
