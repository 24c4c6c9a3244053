//! Cells: pins (bus bits expanded), timing arcs, internal power, leakage and
//! storage elements.

use super::tables::Family;
use super::Ctx;
use crate::ast::{Attribute, Child, Group, Value};
use crate::expr::Expr;
use crate::model::{
    Cell, Direction, InternalPower, Pin, Sequential, SequentialKind, StateLeakage, TimingArc,
    TimingSense, TimingType,
};
use crate::Result;

/// Widest bus expanded; anything larger is a typo, not a real cell.
const MAX_BUS_WIDTH: i64 = 4096;

/// The last of `layers` (bus first, then the bit's own `pin` groups) holding
/// attribute `name`: per-bit settings override the bus-wide ones.
fn layered<'g>(layers: &[&'g Group], name: &str) -> Option<&'g Attribute> {
    layers.iter().rev().find_map(|g| g.attribute(name))
}

/// Pin names listed in a `related_pin : "A B"` attribute.
fn pin_list(a: Option<&Attribute>) -> Vec<String> {
    a.into_iter()
        .flat_map(|a| a.values.iter())
        .flat_map(|v| v.as_str().split_whitespace())
        .map(str::to_string)
        .collect()
}

fn timing_type(name: &str) -> TimingType {
    match name {
        "combinational" => TimingType::Combinational,
        "combinational_rise" => TimingType::CombinationalRise,
        "combinational_fall" => TimingType::CombinationalFall,
        "rising_edge" => TimingType::RisingEdge,
        "falling_edge" => TimingType::FallingEdge,
        "setup_rising" => TimingType::SetupRising,
        "setup_falling" => TimingType::SetupFalling,
        "hold_rising" => TimingType::HoldRising,
        "hold_falling" => TimingType::HoldFalling,
        "preset" => TimingType::Preset,
        "clear" => TimingType::Clear,
        "three_state_enable" => TimingType::ThreeStateEnable,
        "three_state_disable" => TimingType::ThreeStateDisable,
        other => TimingType::Other(other.to_string()),
    }
}

/// Unateness of `function` in the related pins, for arcs that omit
/// `timing_sense` (Liberty derives it from the function).
fn derived_sense(function: Option<&Expr>, related: &[String]) -> TimingSense {
    let Some(f) = function else {
        return TimingSense::NonUnate;
    };
    let vars = f.vars();
    if vars.len() > 16 || related.is_empty() {
        return TimingSense::NonUnate;
    }
    let table = f.truth_table(&vars);
    let bit = |row: usize| table[row / 64] >> (row % 64) & 1;
    let (mut positive, mut negative) = (true, true);
    for r in related {
        let Some(k) = vars.iter().position(|v| v == r) else {
            return TimingSense::NonUnate;
        };
        for row in (0..1usize << vars.len()).filter(|row| row >> k & 1 == 0) {
            let (low, high) = (bit(row), bit(row | 1 << k));
            positive &= low <= high;
            negative &= low >= high;
        }
    }
    match (positive, negative) {
        (true, false) => TimingSense::PositiveUnate,
        (false, true) => TimingSense::NegativeUnate,
        _ => TimingSense::NonUnate,
    }
}

impl Ctx<'_> {
    /// One `cell` group.
    pub(super) fn cell(&self, g: &Group) -> Result<Cell> {
        let u = self.units;
        let name = g.name().to_string();
        if name.is_empty() {
            return Err(self.group_error(g, None, "expected a cell name: `cell (NAME) {`"));
        }
        let mut state_leakage = Vec::new();
        for lp in g.groups_of("leakage_power") {
            state_leakage.push(StateLeakage {
                when: lp.attribute("when").map(|a| self.expr(a)).transpose()?,
                power_nw: self.required_number(lp, "value")? * u.leakage_power_nw,
                related_pg_pin: lp.value("related_pg_pin").map(|v| v.as_str().to_string()),
            });
        }
        // Cell-local bus types shadow the library's.
        let mut local_types = std::collections::HashMap::new();
        for t in g.groups_of("type") {
            local_types.insert(t.name().to_string(), self.bus_range(t)?);
        }
        let mut pins = Vec::new();
        for child in &g.order {
            let Child::Group(k) = *child else { continue };
            let pg = &g.groups[k];
            match pg.kind.as_str() {
                "pin" => {
                    for n in &pg.names {
                        pins.push(self.pin(n.as_str(), &[pg])?);
                    }
                }
                "bus" => self.bus(pg, &local_types, &mut pins)?,
                _ => {}
            }
        }
        for (k, p) in pins.iter().enumerate() {
            if pins[..k].iter().any(|q| q.name == p.name) {
                return Err(self.group_error(
                    g,
                    None,
                    format!("cell `{name}` defines pin `{}` twice", p.name),
                ));
            }
        }
        let sequential = g
            .groups
            .iter()
            .find(|s| matches!(s.kind.as_str(), "ff" | "ff_bank" | "latch"))
            .map(|s| self.sequential(s))
            .transpose()?;
        Ok(Cell {
            area: self.number(g, "area")?.unwrap_or(0.0),
            dont_use: self.boolean(g, "dont_use")?.unwrap_or(false),
            leakage_nw: self
                .number(g, "cell_leakage_power")?
                .map(|p| p * u.leakage_power_nw),
            state_leakage,
            pins,
            sequential,
            name,
        })
    }

    /// Expand a `bus` group into one pin per bit, `NAME[i]`.
    fn bus(
        &self,
        bus: &Group,
        local_types: &std::collections::HashMap<String, (i64, i64)>,
        pins: &mut Vec<Pin>,
    ) -> Result<()> {
        let attr = bus.attribute("bus_type").ok_or_else(|| {
            self.group_error(bus, None, "expected a `bus_type` attribute in the bus")
        })?;
        let type_name = attr.values.first().map(Value::as_str).unwrap_or("");
        let &(from, to) = local_types
            .get(type_name)
            .or_else(|| self.bus_types.get(type_name))
            .ok_or_else(|| {
                self.attr_error(
                    attr,
                    Some(type_name),
                    format!("unknown bus type `{type_name}` (no `type` group of that name)"),
                )
            })?;
        if (from - to).abs() >= MAX_BUS_WIDTH {
            return Err(self.attr_error(
                attr,
                None,
                format!("bus type `{type_name}` is wider than {MAX_BUS_WIDTH} bits"),
            ));
        }
        let step = if to >= from { 1 } else { -1 };
        for base in &bus.names {
            let base = base.as_str();
            let mut bit = from;
            loop {
                let layers: Vec<&Group> = std::iter::once(bus)
                    .chain(
                        bus.groups_of("pin")
                            .filter(|p| p.names.iter().any(|n| names_bit(n.as_str(), base, bit))),
                    )
                    .collect();
                pins.push(self.pin(&format!("{base}[{bit}]"), &layers)?);
                if bit == to {
                    break;
                }
                bit += step;
            }
        }
        Ok(())
    }

    /// A pin from its groups (a plain pin has one; a bus bit has the bus and its own).
    fn pin(&self, name: &str, layers: &[&Group]) -> Result<Pin> {
        let u = self.units;
        let own = *layers.last().expect("at least one group");
        let direction = match layered(layers, "direction") {
            None => {
                return Err(self.group_error(own, None, format!("pin `{name}` has no `direction`")))
            }
            Some(a) => match a.values.first().map(Value::as_str) {
                Some("input") => Direction::Input,
                Some("output") => Direction::Output,
                Some("inout") => Direction::Inout,
                Some("internal") => Direction::Internal,
                other => {
                    return Err(self.attr_error(
                        a,
                        other,
                        format!(
                            "expected input, output, inout or internal, found `{}`",
                            other.unwrap_or("")
                        ),
                    ))
                }
            },
        };
        let number = |attr: &str, scale: f64| -> Result<Option<f64>> {
            layered(layers, attr)
                .map(|a| self.attr_number(a).map(|v| v * scale))
                .transpose()
        };
        let default_cap = match direction {
            Direction::Input => self.default_cap_pf[0],
            Direction::Output => self.default_cap_pf[1],
            Direction::Inout => self.default_cap_pf[2],
            Direction::Internal => 0.0,
        };
        let function = layered(layers, "function")
            .map(|a| self.expr(a))
            .transpose()?;
        let mut timing = Vec::new();
        let mut internal_power = Vec::new();
        for g in layers {
            for t in g.groups_of("timing") {
                timing.push(self.arc(t, function.as_ref())?);
            }
            for p in g.groups_of("internal_power") {
                internal_power.push(self.internal_power(p)?);
            }
        }
        let is_clock = match layered(layers, "clock") {
            Some(a) => match a.values.first().map(Value::as_str) {
                Some("true") => true,
                Some("false") => false,
                other => {
                    return Err(self.attr_error(a, other, "expected true or false for `clock`"))
                }
            },
            None => false,
        };
        Ok(Pin {
            name: name.to_string(),
            direction,
            capacitance_pf: number("capacitance", u.capacitance_pf)?.unwrap_or(default_cap),
            rise_capacitance_pf: number("rise_capacitance", u.capacitance_pf)?,
            fall_capacitance_pf: number("fall_capacitance", u.capacitance_pf)?,
            max_capacitance_pf: number("max_capacitance", u.capacitance_pf)?,
            max_transition_ns: number("max_transition", u.time_ns)?,
            function,
            three_state: layered(layers, "three_state")
                .map(|a| self.expr(a))
                .transpose()?,
            is_clock,
            timing,
            internal_power,
        })
    }

    /// One `timing` group; `function` is the owning pin's, for deriving the sense.
    fn arc(&self, t: &Group, function: Option<&Expr>) -> Result<TimingArc> {
        let related_pins = pin_list(t.attribute("related_pin"));
        let timing_type = t
            .value("timing_type")
            .map_or(TimingType::Combinational, |v| timing_type(v.as_str()));
        let timing_sense = match t.attribute("timing_sense") {
            Some(a) => match a.values.first().map(Value::as_str) {
                Some("positive_unate") => TimingSense::PositiveUnate,
                Some("negative_unate") => TimingSense::NegativeUnate,
                Some("non_unate") => TimingSense::NonUnate,
                other => {
                    return Err(self.attr_error(
                        a,
                        other,
                        format!(
                            "expected positive_unate, negative_unate or non_unate, found `{}`",
                            other.unwrap_or("")
                        ),
                    ))
                }
            },
            None if matches!(
                timing_type,
                TimingType::Combinational
                    | TimingType::CombinationalRise
                    | TimingType::CombinationalFall
            ) =>
            {
                derived_sense(function, &related_pins)
            }
            None => TimingSense::NonUnate,
        };
        let time = self.units.time_ns;
        let table = |kind: &str| -> Result<_> {
            t.groups_of(kind)
                .next()
                .map(|g| self.table(g, Family::Timing, time))
                .transpose()
        };
        Ok(TimingArc {
            timing_sense,
            timing_type,
            when: t.attribute("when").map(|a| self.expr(a)).transpose()?,
            sdf_cond: t.value("sdf_cond").map(|v| v.as_str().to_string()),
            cell_rise: table("cell_rise")?,
            cell_fall: table("cell_fall")?,
            rise_transition: table("rise_transition")?,
            fall_transition: table("fall_transition")?,
            rise_constraint: table("rise_constraint")?,
            fall_constraint: table("fall_constraint")?,
            related_pins,
        })
    }

    fn internal_power(&self, p: &Group) -> Result<InternalPower> {
        let energy = self.units.energy_fj;
        let table = |kind: &str| -> Result<_> {
            p.groups_of(kind)
                .next()
                .map(|g| self.table(g, Family::Power, energy))
                .transpose()
        };
        Ok(InternalPower {
            related_pins: pin_list(p.attribute("related_pin")),
            when: p.attribute("when").map(|a| self.expr(a)).transpose()?,
            related_pg_pin: p.value("related_pg_pin").map(|v| v.as_str().to_string()),
            rise_power: table("rise_power")?,
            fall_power: table("fall_power")?,
            power: table("power")?,
        })
    }

    /// An `ff`, `ff_bank` or `latch` group.
    fn sequential(&self, s: &Group) -> Result<Sequential> {
        let (kind, clock, data) = match s.kind.as_str() {
            "latch" => (SequentialKind::Latch, "enable", "data_in"),
            _ => (SequentialKind::FlipFlop, "clocked_on", "next_state"),
        };
        let expr = |name: &str| s.attribute(name).map(|a| self.expr(a)).transpose();
        // ff_bank's third name is the bit count, not a variable.
        let state_vars = s
            .names
            .iter()
            .take(2)
            .map(|v| v.as_str().to_string())
            .collect();
        Ok(Sequential {
            kind,
            state_vars,
            clock: expr(clock)?,
            data: expr(data)?,
            clear: expr("clear")?,
            preset: expr("preset")?,
        })
    }
}

/// Whether a bus member name (`D[3]` or `D[0:3]`) covers bit `bit` of `base`.
fn names_bit(member: &str, base: &str, bit: i64) -> bool {
    let Some(index) = member
        .strip_prefix(base)
        .and_then(|r| r.strip_prefix('['))
        .and_then(|r| r.strip_suffix(']'))
    else {
        return false;
    };
    let parse = |s: &str| s.trim().parse::<i64>().ok();
    match index.split_once(':') {
        Some((a, b)) => match (parse(a), parse(b)) {
            (Some(a), Some(b)) => a.min(b) <= bit && bit <= a.max(b),
            _ => false,
        },
        None => parse(index) == Some(bit),
    }
}
