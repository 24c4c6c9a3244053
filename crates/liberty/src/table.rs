//! NLDM lookup tables and their interpolation.
//!
//! Lookups interpolate linearly (bilinearly in 2-D) and extrapolate linearly
//! outside the index range from the two outermost points, as OpenSTA and
//! commercial timers do.

/// What a table axis is indexed by (`variable_1`/`variable_2` of its template).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Variable {
    /// `input_net_transition` (and power tables' `input_transition_time`), ns.
    InputNetTransition,
    /// `total_output_net_capacitance`, pF.
    TotalOutputNetCapacitance,
    /// `related_pin_transition`, ns.
    RelatedPinTransition,
    /// `constrained_pin_transition`, ns.
    ConstrainedPinTransition,
    /// Any other template variable, kept by name.
    Other(String),
}

/// A resolved table: axes in template order (with in-table `index_N`
/// overrides applied), values row-major in canonical units.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Name of the template it came from (`scalar` for scalar tables).
    pub template: String,
    /// Up to two axes: (variable, index points in canonical units).
    pub axes: Vec<(Variable, Vec<f64>)>,
    /// `values`, row-major: index_1 is the row, index_2 the column.
    pub values: Vec<f64>,
}

impl Table {
    /// A scalar table holding one value.
    pub fn scalar(value: f64) -> Table {
        Table {
            template: "scalar".into(),
            axes: Vec::new(),
            values: vec![value],
        }
    }

    /// Look up a delay, slew or energy table with an input (related-pin) slew
    /// in ns and an output load in pF; each axis takes whichever its variable
    /// names. Constraint tables need [`Table::lookup_with`].
    pub fn lookup(&self, slew_ns: f64, load_pf: f64) -> f64 {
        self.lookup_with(|v| match v {
            Variable::TotalOutputNetCapacitance => load_pf,
            _ => slew_ns,
        })
    }

    /// Look up with a value for each axis chosen by its variable.
    pub fn lookup_with(&self, value_of: impl Fn(&Variable) -> f64) -> f64 {
        match self.axes.len() {
            0 => self.values.first().copied().unwrap_or(0.0),
            1 => {
                let (var, xs) = &self.axes[0];
                interp_1d(xs, &self.values, value_of(var))
            }
            _ => {
                let (v1, xs) = &self.axes[0];
                let (v2, ys) = &self.axes[1];
                let (x, y) = (value_of(v1), value_of(v2));
                let (i, tx) = segment(xs, x);
                let (j, ty) = segment(ys, y);
                let n = ys.len();
                let at = |r: usize, c: usize| self.values[r * n + c];
                if xs.len() == 1 && ys.len() == 1 {
                    return at(0, 0);
                }
                if xs.len() == 1 {
                    return lerp(at(0, j), at(0, j + 1), ty);
                }
                if ys.len() == 1 {
                    return lerp(at(i, 0), at(i + 1, 0), tx);
                }
                let low = lerp(at(i, j), at(i, j + 1), ty);
                let high = lerp(at(i + 1, j), at(i + 1, j + 1), ty);
                lerp(low, high, tx)
            }
        }
    }
}

fn lerp(a: f64, b: f64, t: f64) -> f64 {
    a + (b - a) * t
}

/// Segment index `i` (0..len-2) bracketing `x`, and the fraction along it;
/// outside the range the outermost segment is used (linear extrapolation).
fn segment(xs: &[f64], x: f64) -> (usize, f64) {
    if xs.len() < 2 {
        return (0, 0.0);
    }
    let last = xs.len() - 2;
    let i = xs
        .windows(2)
        .position(|w| x < w[1])
        .unwrap_or(last)
        .min(last);
    let (x0, x1) = (xs[i], xs[i + 1]);
    let t = if x1 == x0 { 0.0 } else { (x - x0) / (x1 - x0) };
    (i, t)
}

fn interp_1d(xs: &[f64], ys: &[f64], x: f64) -> f64 {
    if xs.len() < 2 {
        return ys.first().copied().unwrap_or(0.0);
    }
    let (i, t) = segment(xs, x);
    lerp(ys[i], ys[i + 1], t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t2() -> Table {
        Table {
            template: "t".into(),
            axes: vec![
                (Variable::InputNetTransition, vec![0.0, 1.0]),
                (Variable::TotalOutputNetCapacitance, vec![0.0, 2.0]),
            ],
            // rows: slew 0 → [1, 3]; slew 1 → [2, 6]
            values: vec![1.0, 3.0, 2.0, 6.0],
        }
    }

    #[test]
    fn bilinear_inside() {
        // slew 0.5 → row [1.5, 4.5]; load 1.0 is half-way → 3.0
        assert!((t2().lookup(0.5, 1.0) - 3.0).abs() < 1e-12);
    }

    #[test]
    fn extrapolates_linearly() {
        // slew 2 → row [1+2*1, 3+2*3] = [3, 9]; load 4 → 3 + 2*(9-3) = 15
        assert!((t2().lookup(2.0, 4.0) - 15.0).abs() < 1e-12);
        // below the range: slew -1 → [0, 0]
        assert!((t2().lookup(-1.0, 2.0) - 0.0).abs() < 1e-12);
    }
}
