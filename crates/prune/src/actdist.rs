//! Activation weighting: how much each activation transition counts when
//! energies are averaged.
//!
//! Uniform weighting treats every transition among the allowed activations
//! alike. A real network's activations are far from uniform (ReLU outputs
//! are mostly small), so an activation histogram (transitions then assumed
//! independent, `P(a → a') = p(a)·p(a')`) or a measured transition matrix
//! gives the power the accelerator will actually draw.
//!
//! When activations are removed, a histogram or matrix is *projected*: the
//! mass of a removed value moves to the nearest allowed value (ties go to the
//! smaller magnitude, then the smaller value), which is what quantizing the
//! retrained network onto the allowed set does. Uniform weighting stays
//! uniform over whatever is allowed.

use std::path::Path;

use crate::error::{PruneError, Result};

/// How activation transitions are weighted.
#[derive(Debug, Clone, PartialEq)]
pub enum ActWeights {
    /// Every transition among allowed activations counts equally.
    Uniform,
    /// Relative frequency of each activation value, in `meta.acts` order.
    Histogram(Vec<f64>),
    /// Relative frequency of each transition `acts[i] → acts[j]`,
    /// `acts × acts` row-major.
    Transitions(Vec<f64>),
}

impl ActWeights {
    /// Short name for reports: `uniform`, `histogram` or `transitions`.
    pub fn kind(&self) -> &'static str {
        match self {
            ActWeights::Uniform => "uniform",
            ActWeights::Histogram(_) => "histogram",
            ActWeights::Transitions(_) => "transitions",
        }
    }

    /// Reads a `.npy` (any numeric dtype) or `.csv` file holding either a
    /// histogram (`[A]`, or one row or one column of `A` numbers) or a
    /// transition matrix (`[A, A]`), `A = num_acts`. CSV: comma-separated
    /// numbers; blank lines and lines starting with `#` are skipped, and a
    /// first line with no numeric field is taken as a header (one that mixes
    /// numbers and text is an error). Values must be finite, ≥ 0 and not all
    /// zero.
    pub fn load(path: &Path, num_acts: usize) -> Result<ActWeights> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let (shape, data) = match ext.as_str() {
            "npy" => {
                let a = tables::read_npy_f64(path)?;
                (a.shape, a.data)
            }
            "csv" => read_csv(path)?,
            _ => {
                return Err(input(
                    path,
                    "expected a .npy or .csv file of activation weights".into(),
                ))
            }
        };
        Self::from_shape(&shape, data, num_acts).map_err(|reason| input(path, reason))
    }

    /// Builds weights from an array of `shape`; on failure returns what was
    /// expected.
    pub fn from_shape(
        shape: &[usize],
        data: Vec<f64>,
        num_acts: usize,
    ) -> std::result::Result<ActWeights, String> {
        let a = num_acts;
        let weights = match shape {
            [n] if *n == a => ActWeights::Histogram(data),
            [1, n] | [n, 1] if *n == a => ActWeights::Histogram(data),
            [r, c] if *r == a && *c == a => ActWeights::Transitions(data),
            _ => {
                return Err(format!(
                    "expected a histogram of {a} values (shape [{a}]) or a transition matrix \
                     of shape [{a}, {a}] (one entry per activation value in meta.json), \
                     found shape {shape:?}"
                ))
            }
        };
        let values = match &weights {
            ActWeights::Histogram(v) | ActWeights::Transitions(v) => v,
            ActWeights::Uniform => unreachable!("built above"),
        };
        if let Some(i) = values.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
            return Err(format!(
                "entry {i} is {}, expected a finite number >= 0",
                values[i]
            ));
        }
        if values.iter().sum::<f64>() <= 0.0 {
            return Err("all entries are zero; expected some positive weight".into());
        }
        Ok(weights)
    }

    /// Probability of each transition `acts[i] → acts[j]` (`A × A`,
    /// row-major) once only the activations with `allowed[i]` remain: zero
    /// outside allowed × allowed, summing to 1. `allowed` must have at least
    /// one `true` (a selection never empties the set).
    pub fn transition_probs(&self, acts: &[i64], allowed: &[bool]) -> Vec<f64> {
        let a = acts.len();
        let mut p = vec![0.0; a * a];
        match self {
            ActWeights::Uniform => {
                for i in (0..a).filter(|&i| allowed[i]) {
                    for j in (0..a).filter(|&j| allowed[j]) {
                        p[i * a + j] = 1.0;
                    }
                }
            }
            ActWeights::Histogram(h) => {
                let to = projection(acts, allowed);
                let mut moved = vec![0.0; a];
                for i in 0..a {
                    moved[to[i]] += h[i];
                }
                for i in 0..a {
                    for j in 0..a {
                        p[i * a + j] = moved[i] * moved[j];
                    }
                }
            }
            ActWeights::Transitions(m) => {
                let to = projection(acts, allowed);
                for i in 0..a {
                    for j in 0..a {
                        p[to[i] * a + to[j]] += m[i * a + j];
                    }
                }
            }
        }
        let total: f64 = p.iter().sum();
        if total > 0.0 {
            p.iter_mut().for_each(|x| *x /= total);
        }
        p
    }
}

/// For every activation index, the index of the nearest allowed activation
/// (itself when allowed; ties to the smaller magnitude, then smaller value).
pub fn projection(acts: &[i64], allowed: &[bool]) -> Vec<usize> {
    (0..acts.len())
        .map(|i| {
            if allowed[i] {
                return i;
            }
            (0..acts.len())
                .filter(|&j| allowed[j])
                .min_by_key(|&j| ((acts[j] - acts[i]).abs(), acts[j].abs(), acts[j]))
                .unwrap_or(i)
        })
        .collect()
}

fn input(path: &Path, reason: String) -> PruneError {
    PruneError::Input {
        path: path.to_path_buf(),
        reason,
    }
}

/// Reads a numeric CSV grid: its `[rows, columns]` shape and values.
///
/// Lines starting with `#` and blank lines are skipped. The first row left
/// may be a header, but only if none of its fields is a number: a row that
/// mixes numbers and text is a damaged data row, and dropping it as a
/// header would silently lose a histogram entry. Errors give the line and
/// the column of the field at fault.
fn read_csv(path: &Path) -> Result<(Vec<usize>, Vec<f64>)> {
    let text = std::fs::read_to_string(path).map_err(|source| PruneError::Io {
        path: path.to_path_buf(),
        cause: source,
    })?;
    // No quoting: a numeric grid needs none, and without it every field is
    // the exact text between two commas, so its column is known.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .quoting(false)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<f64>> = Vec::new();
    let mut first = true;
    for record in reader.records() {
        let record = record.map_err(|e| input(path, e.to_string()))?;
        let line = record.position().map_or(0, |p| record_line(&text, p));
        // A line of only spaces is blank too, and an indented `#` starts a
        // comment as well (the reader only knows `#` in the first column).
        if record.iter().all(|f| f.trim().is_empty())
            || record
                .get(0)
                .is_some_and(|f| f.trim_start().starts_with('#'))
        {
            continue;
        }
        let parsed: Vec<std::result::Result<f64, _>> =
            record.iter().map(|f| f.trim().parse::<f64>()).collect();
        let is_header = first && parsed.iter().all(|v| v.is_err());
        first = false;
        if is_header {
            continue;
        }
        let mut row = Vec::with_capacity(parsed.len());
        let mut column = 1;
        for (field, value) in record.iter().zip(parsed) {
            match value {
                Ok(v) => row.push(v),
                Err(e) => {
                    let lead = field.chars().take_while(|c| c.is_whitespace()).count();
                    return Err(input(
                        path,
                        format!(
                            "line {line}, column {}: expected a number, found `{}` ({e})",
                            column + lead,
                            field.trim()
                        ),
                    ));
                }
            }
            column += field.chars().count() + 1;
        }
        rows.push(row);
    }
    let cols = rows.first().map_or(0, Vec::len);
    if rows.is_empty() {
        return Err(input(path, "no numeric rows found".into()));
    }
    if let Some(bad) = rows.iter().position(|r| r.len() != cols) {
        return Err(input(
            path,
            format!(
                "data row {}: expected {cols} values like the first row, found {}",
                bad + 1,
                rows[bad].len()
            ),
        ));
    }
    Ok((vec![rows.len(), cols], rows.into_iter().flatten().collect()))
}

/// The 1-based line of the record the CSV reader reports at `p`. The reader
/// positions a record where its search for it began, before the blank and
/// `#` lines it skipped, so those lines are counted on from there.
fn record_line(text: &str, p: &csv::Position) -> u64 {
    let start = (p.byte() as usize).min(text.len());
    let mut line = p.line();
    for l in text[start..].split_inclusive('\n') {
        let content = l.trim_end_matches(['\n', '\r']);
        if !(content.is_empty() || content.starts_with('#')) {
            break;
        }
        line += 1;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_is_uniform_over_allowed() {
        // acts {0,1,2}, 1 removed: 2×2 = 4 allowed transitions, 1/4 each.
        let p = ActWeights::Uniform.transition_probs(&[0, 1, 2], &[true, false, true]);
        assert_eq!(p, vec![0.25, 0.0, 0.25, 0.0, 0.0, 0.0, 0.25, 0.0, 0.25]);
    }

    #[test]
    fn projection_moves_to_nearest_with_ties_to_smaller_magnitude() {
        // acts -2..2, allowed {-2, 0, 2}: -1 is 1 from both -2 and 0 → 0
        // (smaller magnitude); 1 is 1 from 0 and 2 → 0.
        let acts = [-2, -1, 0, 1, 2];
        let allowed = [true, false, true, false, true];
        assert_eq!(projection(&acts, &allowed), vec![0, 2, 2, 2, 4]);
        // Only {2} allowed: everything goes to index 4.
        let only = [false, false, false, false, true];
        assert_eq!(projection(&acts, &only), vec![4; 5]);
    }

    #[test]
    fn histogram_mass_is_projected() {
        // acts {0,1,2}, histogram [2, 1, 1], 1 removed → its mass goes to 0
        // (distance 1 to both 0 and 2, smaller magnitude wins): [3, 0, 1],
        // total 4. P(i→j) = p_i·p_j: P(0→0) = 9/16, P(0→2) = P(2→0) = 3/16,
        // P(2→2) = 1/16.
        let h = ActWeights::Histogram(vec![2.0, 1.0, 1.0]);
        let p = h.transition_probs(&[0, 1, 2], &[true, false, true]);
        let want = [9.0, 0.0, 3.0, 0.0, 0.0, 0.0, 3.0, 0.0, 1.0].map(|x| x / 16.0);
        for (got, want) in p.iter().zip(want) {
            assert!((got - want).abs() < 1e-15, "{p:?}");
        }
    }

    #[test]
    fn transition_matrix_mass_is_projected() {
        // acts {0, 1}, matrix [[1, 2], [3, 4]] (total 10), 1 removed → all
        // mass lands on 0→0.
        let m = ActWeights::Transitions(vec![1.0, 2.0, 3.0, 4.0]);
        assert_eq!(
            m.transition_probs(&[0, 1], &[true, false]),
            vec![1.0, 0.0, 0.0, 0.0]
        );
        // Nothing removed: just normalized.
        assert_eq!(
            m.transition_probs(&[0, 1], &[true, true]),
            vec![0.1, 0.2, 0.3, 0.4]
        );
    }

    #[test]
    fn csv_shapes_and_errors() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        let h = write("h.csv", "# histogram\np0,p1,p2\n1,2,3\n");
        assert_eq!(
            ActWeights::load(&h, 3).unwrap(),
            ActWeights::Histogram(vec![1.0, 2.0, 3.0])
        );
        let col = write("c.csv", "1\n2\n3\n");
        assert_eq!(
            ActWeights::load(&col, 3).unwrap(),
            ActWeights::Histogram(vec![1.0, 2.0, 3.0])
        );
        let m = write("m.csv", "1,0\n0,1\n");
        assert_eq!(
            ActWeights::load(&m, 2).unwrap(),
            ActWeights::Transitions(vec![1.0, 0.0, 0.0, 1.0])
        );
        let wrong = ActWeights::load(&h, 4).unwrap_err().to_string();
        assert!(
            wrong.contains("h.csv") && wrong.contains("expected a histogram of 4"),
            "{wrong}"
        );
        let ragged = write("r.csv", "1,2\n3\n");
        let e = ActWeights::load(&ragged, 2).unwrap_err().to_string();
        assert!(e.contains("r.csv") && e.contains("data row 2"), "{e}");
        let text = write("t.csv", "1,2\nx,y\n");
        let e = ActWeights::load(&text, 2).unwrap_err().to_string();
        assert!(
            e.contains("t.csv: line 2, column 1: expected a number, found `x`"),
            "{e}"
        );
        // A damaged first row is not a header: it holds numbers, so dropping
        // it would lose an entry without a word.
        let damaged = write("d.csv", "# histogram\n1, 2x,3\n4,5,6\n");
        let e = ActWeights::load(&damaged, 3).unwrap_err().to_string();
        assert!(
            e.contains("d.csv: line 2, column 4: expected a number, found `2x`"),
            "{e}"
        );
        // A header after comments and blank lines is still the first row.
        let spaced = write("s.csv", "\n# c\n  \nw0,w1\n1,2\n");
        assert_eq!(
            ActWeights::load(&spaced, 2).unwrap(),
            ActWeights::Histogram(vec![1.0, 2.0])
        );
        let neg = write("n.csv", "1,-2\n");
        let e = ActWeights::load(&neg, 2).unwrap_err().to_string();
        assert!(e.contains("entry 1 is -2"), "{e}");
        let zero = write("z.csv", "0,0\n");
        assert!(ActWeights::load(&zero, 2).is_err());
        let other = write("x.txt", "1,2\n");
        assert!(ActWeights::load(&other, 2)
            .unwrap_err()
            .to_string()
            .contains(".npy or .csv"));
        assert!(ActWeights::load(&dir.path().join("missing.csv"), 2).is_err());
    }

    #[test]
    fn npy_histogram_loads() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("h.npy");
        let bytes = tables::npy_f32_bytes(&[3], &[1.0, 0.0, 1.0]).unwrap();
        std::fs::write(&p, bytes).unwrap();
        assert_eq!(
            ActWeights::load(&p, 3).unwrap(),
            ActWeights::Histogram(vec![1.0, 0.0, 1.0])
        );
        let e = ActWeights::load(&p, 2).unwrap_err().to_string();
        assert!(e.contains("h.npy"), "{e}");
    }
}
