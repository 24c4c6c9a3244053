//! Lookup-table templates and tables: axes resolved against their template,
//! in-table `index_N` overrides applied, everything in canonical units.

use std::collections::HashMap;

use super::Ctx;
use crate::ast::{Attribute, Group, Value};
use crate::table::{Table, Variable};
use crate::Result;

/// Which template namespace a table resolves in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Family {
    /// `lu_table_template`: delay, slew and constraint tables.
    Timing,
    /// `power_lut_template`: internal-power tables.
    Power,
}

/// One template: its variables and default index points (canonical units).
#[derive(Debug)]
pub(super) struct Template {
    variables: Vec<(Variable, f64)>,
    index: Vec<Option<Vec<f64>>>,
}

/// Templates by family and name.
#[derive(Debug, Default)]
pub(super) struct Templates(HashMap<(Family, String), Template>);

/// Canonical variable and the scale of its index points, from the template's
/// variable name. `input_transition_time` (power templates) is the same
/// quantity as `input_net_transition`, so both map to one variable.
fn variable(name: &str, time_ns: f64, capacitance_pf: f64) -> (Variable, f64) {
    match name {
        "input_net_transition" | "input_transition_time" => (Variable::InputNetTransition, time_ns),
        "total_output_net_capacitance" => (Variable::TotalOutputNetCapacitance, capacitance_pf),
        "related_pin_transition" => (Variable::RelatedPinTransition, time_ns),
        "constrained_pin_transition" => (Variable::ConstrainedPinTransition, time_ns),
        other => {
            let scale = if other.contains("capacitance") {
                capacitance_pf
            } else if other.contains("transition") || other == "time" {
                time_ns
            } else {
                1.0
            };
            (Variable::Other(other.to_string()), scale)
        }
    }
}

impl Ctx<'_> {
    /// All `lu_table_template` and `power_lut_template` groups of the library.
    pub(super) fn templates(&self, lib: &Group) -> Result<Templates> {
        let mut out = HashMap::new();
        let mut first_line: HashMap<(Family, String), u32> = HashMap::new();
        for (kind, family) in [
            ("lu_table_template", Family::Timing),
            ("power_lut_template", Family::Power),
        ] {
            for g in lib.groups_of(kind) {
                let mut variables = Vec::new();
                let mut index = Vec::new();
                for k in 1..=3 {
                    let Some(a) = g.attribute(&format!("variable_{k}")) else {
                        break;
                    };
                    let name = a.values.first().map(Value::as_str).unwrap_or("");
                    let (var, scale) =
                        variable(name, self.units.time_ns, self.units.capacitance_pf);
                    let points = match g.attribute(&format!("index_{k}")) {
                        Some(ia) => Some(self.index(ia, scale)?),
                        None => None,
                    };
                    variables.push((var, scale));
                    index.push(points);
                }
                let key = (family, g.name().to_string());
                if let Some(line) = first_line.get(&key) {
                    return Err(self.group_error(
                        g,
                        Some(g.name()),
                        format!(
                            "duplicate {kind} `{}` (first defined at line {line})",
                            g.name()
                        ),
                    ));
                }
                first_line.insert(key.clone(), g.line);
                out.insert(key, Template { variables, index });
            }
        }
        Ok(Templates(out))
    }

    /// The table in group `g` (e.g. a `cell_rise`), values multiplied by `scale`.
    pub(super) fn table(&self, g: &Group, family: Family, scale: f64) -> Result<Table> {
        let name = g.name();
        let values_attr = g.attribute("values").ok_or_else(|| {
            self.group_error(
                g,
                None,
                format!("expected a `values` attribute in `{}`", g.kind),
            )
        })?;
        let values = self.numbers(values_attr, scale)?;
        if name == "scalar" {
            return match values.as_slice() {
                [v] => Ok(Table::scalar(*v)),
                _ => Err(self.attr_error(
                    values_attr,
                    None,
                    format!("expected 1 value in a scalar table, found {}", values.len()),
                )),
            };
        }
        let other = match family {
            Family::Timing => Family::Power,
            Family::Power => Family::Timing,
        };
        // A name missing from its own family is accepted from the other one,
        // as some libraries mix them up.
        let template = self
            .templates
            .0
            .get(&(family, name.to_string()))
            .or_else(|| self.templates.0.get(&(other, name.to_string())))
            .ok_or_else(|| {
                let what = if name.is_empty() { "expected a template name".to_string() } else {
                    format!("unknown table template `{name}` (no lu_table_template or power_lut_template of that name)")
                };
                self.group_error(g, Some(name), what)
            })?;
        if template.variables.len() > 2 {
            return Err(self.group_error(
                g,
                Some(name),
                format!(
                    "template `{name}` has {} variables; tables with more than 2 are not supported",
                    template.variables.len()
                ),
            ));
        }
        let mut axes = Vec::with_capacity(template.variables.len());
        for (k, (var, index_scale)) in template.variables.iter().enumerate() {
            let points = match g.attribute(&format!("index_{}", k + 1)) {
                Some(a) => self.index(a, *index_scale)?,
                None => template.index[k].clone().ok_or_else(|| {
                    self.group_error(g, None, format!("expected `index_{}`: neither the table nor template `{name}` gives one", k + 1))
                })?,
            };
            if points.is_empty() {
                return Err(self.group_error(
                    g,
                    None,
                    format!("index_{} of the table is empty", k + 1),
                ));
            }
            axes.push((var.clone(), points));
        }
        let expected: usize = axes.iter().map(|(_, p)| p.len()).product();
        if values.len() != expected {
            let shape: Vec<String> = axes.iter().map(|(_, p)| p.len().to_string()).collect();
            return Err(self.attr_error(
                values_attr,
                None,
                format!(
                    "expected {expected} values ({}), found {}",
                    shape.join(" × "),
                    values.len()
                ),
            ));
        }
        Ok(Table {
            template: name.to_string(),
            axes,
            values,
        })
    }

    /// An `index_N` attribute: its numbers times `scale`, which must be
    /// strictly increasing (interpolation between breakpoints needs them
    /// ordered; a repeated or descending one would divide by zero or pick
    /// the wrong interval).
    fn index(&self, a: &Attribute, scale: f64) -> Result<Vec<f64>> {
        let points = self.numbers(a, scale)?;
        if let Some(k) = points.windows(2).position(|p| p[0] >= p[1]) {
            return Err(self.attr_error(
                a,
                None,
                format!(
                    "`{}` must be strictly increasing, found {} after {} (entries {} and {})",
                    a.name,
                    points[k + 1] / scale,
                    points[k] / scale,
                    k + 1,
                    k + 2
                ),
            ));
        }
        Ok(points)
    }

    /// Every number in a list attribute (`"1, 2", "3, 4"` or bare numbers), times `scale`.
    pub(super) fn numbers(&self, a: &Attribute, scale: f64) -> Result<Vec<f64>> {
        let mut out = Vec::new();
        for v in &a.values {
            match v {
                Value::Number(x, _) => out.push(x * scale),
                Value::Quoted(s) | Value::Word(s) => {
                    for token in s.split(|c: char| c == ',' || c == '\\' || c.is_ascii_whitespace())
                    {
                        if token.is_empty() {
                            continue;
                        }
                        match token.parse::<f64>() {
                            Ok(x) if x.is_finite() => out.push(x * scale),
                            _ => {
                                return Err(self.attr_error(
                                    a,
                                    Some(token),
                                    format!("expected a number in `{}`, found `{token}`", a.name),
                                ))
                            }
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}
