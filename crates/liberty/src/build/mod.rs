//! Syntax tree → [`Library`]: the meaning of the attributes the pipeline uses,
//! converted into canonical units.
//!
//! Split by level: library-wide settings here, unit strings in [`units`],
//! lookup tables and their templates in [`tables`], cells and pins in
//! [`cell`].

mod cell;
mod tables;
mod units;

use std::collections::HashMap;

use crate::ast::{Attribute, Group, Value};
use crate::error::offset_of;
use crate::expr::Expr;
use crate::{Error, Library, OperatingConditions, Result, Thresholds, Units};

/// How far past an attribute's start an error may look for the offending
/// token before settling for the attribute itself.
const LOCATE_WINDOW: usize = 64 * 1024;

/// What the cells need from the library level while they are built.
pub(crate) struct Ctx<'a> {
    file: &'a str,
    /// The source text, when at hand, for errors that quote the line.
    text: Option<&'a str>,
    units: Units,
    templates: tables::Templates,
    /// `type` groups: bus type name → (bit_from, bit_to).
    bus_types: HashMap<String, (i64, i64)>,
    /// `default_input_pin_cap`, `default_output_pin_cap`, `default_inout_pin_cap` in pF.
    default_cap_pf: [f64; 3],
}

/// Build the model; `text` (the source the tree came from) sharpens error positions.
pub(crate) fn build(ast: Group, file: &str, text: Option<&str>) -> Result<Library> {
    let mut ctx = Ctx {
        file,
        text,
        units: Units {
            time_ns: 1.0,
            capacitance_pf: 1.0,
            voltage_v: 1.0,
            current_ma: 1.0,
            leakage_power_nw: 1.0,
            energy_fj: 1000.0,
        },
        templates: Default::default(),
        bus_types: HashMap::new(),
        default_cap_pf: [0.0; 3],
    };
    if ast.kind != "library" {
        return Err(ctx.group_error(
            &ast,
            None,
            format!("expected a `library` group, found `{}`", ast.kind),
        ));
    }
    ctx.no_conflicting_repeats(&ast)?;
    ctx.units = ctx.units(&ast)?;
    let u = ctx.units;
    let cap =
        |name| -> Result<Option<f64>> { Ok(ctx.number(&ast, name)?.map(|c| c * u.capacitance_pf)) };
    let default_input_pin_cap_pf = cap("default_input_pin_cap")?.unwrap_or(0.0);
    ctx.default_cap_pf = [
        default_input_pin_cap_pf,
        cap("default_output_pin_cap")?.unwrap_or(0.0),
        cap("default_inout_pin_cap")?.unwrap_or(0.0),
    ];

    let mut operating_conditions = Vec::new();
    for g in ast.groups_of("operating_conditions") {
        operating_conditions.push(OperatingConditions {
            name: g.name().to_string(),
            process: ctx.number(g, "process")?.unwrap_or(1.0),
            temperature_c: ctx.number(g, "temperature")?.unwrap_or(25.0),
            voltage_v: ctx.positive(g, "voltage", ctx.required_number(g, "voltage")?)?
                * u.voltage_v,
        });
    }
    let default_operating_conditions = ast
        .value("default_operating_conditions")
        .map(|v| v.as_str().to_string());
    let default_oc = default_operating_conditions
        .as_deref()
        .and_then(|n| operating_conditions.iter().find(|oc| oc.name == n))
        .or(operating_conditions.first());

    // Nominal conditions fall back to the default operating conditions.
    let nom_voltage_v = match (ctx.number(&ast, "nom_voltage")?, default_oc) {
        (Some(v), _) => ctx.positive(&ast, "nom_voltage", v)? * u.voltage_v,
        (None, Some(oc)) => oc.voltage_v,
        (None, None) => {
            return Err(ctx.group_error(
                &ast,
                None,
                "expected `nom_voltage` or `operating_conditions` in the library",
            ))
        }
    };
    let nom_temperature_c = ctx
        .number(&ast, "nom_temperature")?
        .or(default_oc.map(|oc| oc.temperature_c))
        .unwrap_or(25.0);
    let nom_process = ctx
        .number(&ast, "nom_process")?
        .or(default_oc.map(|oc| oc.process))
        .unwrap_or(1.0);

    let mut voltage_map = Vec::new();
    for a in ast.attributes.iter().filter(|a| a.name == "voltage_map") {
        match (
            a.values.first(),
            a.values.get(1).and_then(Value::as_f64),
            a.values.len(),
        ) {
            (Some(name), Some(v), 2) => {
                voltage_map.push((name.as_str().to_string(), v * u.voltage_v))
            }
            _ => return Err(ctx.attr_error(a, None, "expected `voltage_map (RAIL, VOLTS)`")),
        }
    }

    let pct = |name, default| -> Result<f64> { Ok(ctx.number(&ast, name)?.unwrap_or(default)) };
    let thresholds = Thresholds {
        input_pct_rise: pct("input_threshold_pct_rise", 50.0)?,
        input_pct_fall: pct("input_threshold_pct_fall", 50.0)?,
        output_pct_rise: pct("output_threshold_pct_rise", 50.0)?,
        output_pct_fall: pct("output_threshold_pct_fall", 50.0)?,
        slew_lower_pct_rise: pct("slew_lower_threshold_pct_rise", 20.0)?,
        slew_lower_pct_fall: pct("slew_lower_threshold_pct_fall", 20.0)?,
        slew_upper_pct_rise: pct("slew_upper_threshold_pct_rise", 80.0)?,
        slew_upper_pct_fall: pct("slew_upper_threshold_pct_fall", 80.0)?,
        slew_derate: pct("slew_derate_from_library", 1.0)?,
    };
    let default_max_transition_ns = ctx
        .number(&ast, "default_max_transition")?
        .map(|t| t * u.time_ns);

    ctx.templates = ctx.templates(&ast)?;
    ctx.bus_types = ctx.bus_types(&ast)?;

    let mut cells = Vec::new();
    let mut cell_index = HashMap::new();
    for g in ast.groups_of("cell") {
        let cell = ctx.cell(g)?;
        if cell_index.insert(cell.name.clone(), cells.len()).is_some() {
            return Err(ctx.group_error(
                g,
                Some(&cell.name),
                format!("cell `{}` is defined twice", cell.name),
            ));
        }
        cells.push(cell);
    }

    // Only blanks and comments can precede the group (the syntax pass checked).
    let preamble = text
        .map(|t| t[..offset_of(t, ast.line, ast.column)].trim().to_string())
        .unwrap_or_default();
    Ok(Library {
        preamble,
        name: ast.name().to_string(),
        source: file.to_string(),
        units: u,
        nom_voltage_v,
        nom_temperature_c,
        nom_process,
        operating_conditions,
        default_operating_conditions,
        voltage_map,
        thresholds,
        default_input_pin_cap_pf,
        default_max_transition_ns,
        cells,
        ast,
        cell_index,
    })
}

impl<'a> Ctx<'a> {
    /// A located error at `line`/`column`, moved onto `needle` when it is
    /// found shortly after (so the caret sits under the offending token).
    fn error(
        &self,
        line: u32,
        column: u32,
        needle: Option<&str>,
        message: impl Into<String>,
    ) -> Error {
        let Some(text) = self.text else {
            return Error::at_line_col(self.file, line, column, message);
        };
        let mut offset = offset_of(text, line, column);
        if let Some(needle) = needle.filter(|n| !n.is_empty()) {
            let mut end = (offset + LOCATE_WINDOW).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            if let Some(p) = text[offset..end].find(needle) {
                offset += p;
            }
        }
        Error::at_offset(self.file, text, offset, message)
    }

    fn attr_error(&self, a: &Attribute, needle: Option<&str>, message: impl Into<String>) -> Error {
        self.error(a.line, a.column, needle, message)
    }

    fn group_error(&self, g: &Group, needle: Option<&str>, message: impl Into<String>) -> Error {
        self.error(g.line, g.column, needle, message)
    }

    /// The number in attribute `name` of `g`, if present.
    fn number(&self, g: &Group, name: &str) -> Result<Option<f64>> {
        g.attribute(name).map(|a| self.attr_number(a)).transpose()
    }

    /// `value` (of attribute `name` of `g`) when it is a finite number > 0;
    /// otherwise an error at the attribute.
    fn positive(&self, g: &Group, name: &str, value: f64) -> Result<f64> {
        if value.is_finite() && value > 0.0 {
            return Ok(value);
        }
        let a = g
            .attribute(name)
            .expect("the value came from this attribute");
        Err(self.attr_error(
            a,
            None,
            format!("`{name}` must be a number > 0, found {value}"),
        ))
    }

    /// Library-level attributes that hold one setting (units, nominal
    /// conditions): a second one with another value is an error at it,
    /// since readers differ in which one they take. Repeating the same
    /// value is harmless.
    fn no_conflicting_repeats(&self, lib: &Group) -> Result<()> {
        const SINGLE: [&str; 9] = [
            "time_unit",
            "voltage_unit",
            "current_unit",
            "leakage_power_unit",
            "capacitive_load_unit",
            "pulling_resistance_unit",
            "nom_voltage",
            "nom_temperature",
            "nom_process",
        ];
        let mut first: HashMap<&str, &Attribute> = HashMap::new();
        for a in lib
            .attributes
            .iter()
            .filter(|a| SINGLE.contains(&a.name.as_str()))
        {
            let text = |a: &Attribute| {
                a.values
                    .iter()
                    .map(|v| v.as_str().to_ascii_lowercase())
                    .collect::<Vec<_>>()
            };
            match first.get(a.name.as_str()) {
                Some(prev) if text(prev) != text(a) => {
                    let show = |a: &Attribute| {
                        a.values
                            .iter()
                            .map(|v| v.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    return Err(self.attr_error(
                        a,
                        None,
                        format!(
                            "conflicting second `{}` ({}; line {} gives {})",
                            a.name,
                            show(a),
                            prev.line,
                            show(prev)
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    first.insert(&a.name, a);
                }
            }
        }
        Ok(())
    }

    fn required_number(&self, g: &Group, name: &str) -> Result<f64> {
        self.number(g, name)?.ok_or_else(|| {
            self.group_error(
                g,
                None,
                format!("expected a `{name}` attribute in `{}`", g.kind),
            )
        })
    }

    fn attr_number(&self, a: &Attribute) -> Result<f64> {
        let value = a.values.first();
        match (value.and_then(Value::as_f64), a.values.len()) {
            (Some(v), 1) if v.is_finite() => Ok(v),
            _ => {
                let found = value.map(Value::as_str).unwrap_or("");
                Err(self.attr_error(
                    a,
                    Some(found),
                    format!("expected a number for `{}`, found `{found}`", a.name),
                ))
            }
        }
    }

    /// `true`/`false` in attribute `name`.
    fn boolean(&self, g: &Group, name: &str) -> Result<Option<bool>> {
        let Some(a) = g.attribute(name) else {
            return Ok(None);
        };
        match a.values.first().map(Value::as_str) {
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            other => Err(self.attr_error(
                a,
                other,
                format!(
                    "expected true or false for `{name}`, found `{}`",
                    other.unwrap_or("")
                ),
            )),
        }
    }

    /// The Boolean expression in attribute `a`.
    fn expr(&self, a: &Attribute) -> Result<Expr> {
        let text = a.values.first().map(Value::as_str).unwrap_or("");
        crate::expr::parse_at(text).map_err(|(pos, message)| {
            let message = format!("in `{}`: {message}", a.name);
            match self.text {
                Some(src) => {
                    // Find the expression text after the attribute name, then step to the fault.
                    let start = offset_of(src, a.line, a.column);
                    let end = (start + LOCATE_WINDOW).min(src.len());
                    let window = src.get(start..end).unwrap_or("");
                    let found = if text.is_empty() {
                        None
                    } else {
                        window.find(text)
                    };
                    match found {
                        Some(p) => Error::at_offset(self.file, src, start + p + pos, message),
                        None => Error::at_offset(self.file, src, start, message),
                    }
                }
                None => Error::at_line_col(self.file, a.line, a.column, message),
            }
        })
    }

    /// `bus_types` from the library's `type` groups.
    fn bus_types(&self, g: &Group) -> Result<HashMap<String, (i64, i64)>> {
        let mut out = HashMap::new();
        for t in g.groups_of("type") {
            out.insert(t.name().to_string(), self.bus_range(t)?);
        }
        Ok(out)
    }

    /// (bit_from, bit_to) of one `type` group.
    fn bus_range(&self, t: &Group) -> Result<(i64, i64)> {
        let int = |name| -> Result<Option<i64>> {
            match self.number(t, name)? {
                Some(v) if v.fract() == 0.0 && v.abs() < 1e6 => Ok(Some(v as i64)),
                Some(_) => Err(self.attr_error(
                    t.attribute(name).expect("present"),
                    None,
                    format!("expected an integer for `{name}`"),
                )),
                None => Ok(None),
            }
        };
        let width = int("bit_width")?;
        let from = int("bit_from")?;
        let to = int("bit_to")?;
        let downto = self.boolean(t, "downto")?.unwrap_or(false);
        match (from, to, width) {
            (Some(f), Some(t), _) => Ok((f, t)),
            (None, None, Some(w)) if w > 0 => Ok(if downto { (w - 1, 0) } else { (0, w - 1) }),
            _ => Err(self.group_error(
                t,
                None,
                "expected `bit_from` and `bit_to` (or `bit_width`) in the bus type",
            )),
        }
    }
}
