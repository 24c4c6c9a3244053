//! Unit attributes (`time_unit : "1ps"`, `capacitive_load_unit (1, ff)`) →
//! factors into the canonical units.

use super::Ctx;
use crate::ast::Group;
use crate::{Result, Units};

/// SI prefix letters Liberty uses, as powers of ten.
fn prefix_exponent(prefix: &str) -> Option<i32> {
    Some(match prefix {
        "" => 0,
        "k" => 3,
        "m" => -3,
        "u" => -6,
        "n" => -9,
        "p" => -12,
        "f" => -15,
        _ => return None,
    })
}

/// `number × 10^exponent`, rounded once: dividing by an exact power of ten
/// gives 100ps → 0.1 ns exactly, where multiplying by 1e-3 would not.
fn scaled(number: f64, exponent: i32) -> f64 {
    if exponent >= 0 {
        number * 10f64.powi(exponent)
    } else {
        number / 10f64.powi(-exponent)
    }
}

/// Parse `"<number><prefix><base>"` (e.g. `1ps`, `100mV`) into the number and
/// the power of ten of its prefix, or `None` when the text does not have that shape.
fn parse_unit(text: &str, base: &str) -> Option<(f64, i32)> {
    let lower = text.trim().to_ascii_lowercase();
    let stem = lower.strip_suffix(base)?;
    let split = stem
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(stem.len());
    let (number, prefix) = stem.split_at(split);
    let number: f64 = if number.trim().is_empty() {
        1.0
    } else {
        number.trim().parse().ok()?
    };
    Some((number, prefix_exponent(prefix.trim())?))
}

impl Ctx<'_> {
    /// Read the library's unit attributes. Absent ones take the values most
    /// Liberty readers assume: 1ns, 1pF, 1V, 1mA, 1nW.
    pub(super) fn units(&self, lib: &Group) -> Result<Units> {
        // `canonical` is the power of ten of the canonical unit (ns: -9).
        let simple = |name: &str, base: &str, canonical: i32, default: f64| -> Result<f64> {
            let Some(attr) = lib.attribute(name) else {
                return Ok(default);
            };
            let text = attr.values.first().map(|v| v.as_str()).unwrap_or("");
            match parse_unit(text, base) {
                Some((n, e)) if n > 0.0 && n.is_finite() => Ok(scaled(n, e - canonical)),
                _ => Err(self.attr_error(
                    attr,
                    Some(text),
                    format!("expected a unit like \"1{base}\" or \"10m{base}\" for `{name}`, found \"{text}\""),
                )),
            }
        };
        let time_ns = simple("time_unit", "s", -9, 1.0)?;
        let voltage_v = simple("voltage_unit", "v", 0, 1.0)?;
        let current_ma = simple("current_unit", "a", -3, 1.0)?;
        let leakage_power_nw = simple("leakage_power_unit", "w", -9, 1.0)?;
        let capacitance_pf = match lib.attribute("capacitive_load_unit") {
            None => 1.0,
            Some(attr) => {
                let scale = attr.values.first().and_then(|v| v.as_f64());
                let unit = attr.values.get(1).map(|v| v.as_str().to_ascii_lowercase());
                let prefix = unit
                    .as_deref()
                    .and_then(|u| u.strip_suffix('f'))
                    .and_then(prefix_exponent);
                match (scale, prefix, attr.values.len()) {
                    (Some(s), Some(p), 2) if s > 0.0 => scaled(s, p + 12),
                    _ => {
                        return Err(self.attr_error(
                            attr,
                            None,
                            "expected `capacitive_load_unit (NUMBER, ff|pf|nf)`",
                        ))
                    }
                }
            }
        };
        Ok(Units {
            time_ns,
            capacitance_pf,
            voltage_v,
            current_ma,
            leakage_power_nw,
            // C × V² in pF·V² is pJ; ×1000 gives fJ.
            energy_fj: capacitance_pf * voltage_v * voltage_v * 1000.0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_unit, scaled};

    #[test]
    fn unit_strings() {
        assert_eq!(parse_unit("1ns", "s"), Some((1.0, -9)));
        assert_eq!(parse_unit("100ps", "s"), Some((100.0, -12)));
        assert_eq!(parse_unit("1V", "v"), Some((1.0, 0)));
        assert_eq!(parse_unit("10mV", "v"), Some((10.0, -3)));
        assert_eq!(parse_unit("1pW", "w"), Some((1.0, -12)));
        assert_eq!(parse_unit("1uA", "a"), Some((1.0, -6)));
        assert_eq!(parse_unit("1xs", "s"), None);
        assert_eq!(parse_unit("ns", "s"), Some((1.0, -9)));
        assert_eq!(parse_unit("1nW", "s"), None);
        // 100 ps in ns: 100 / 10³ = 0.1 exactly as f64 rounds it.
        assert_eq!(scaled(100.0, -12 + 9), 0.1);
    }
}
