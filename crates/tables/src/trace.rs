//! The PE-trace format: cycle-by-cycle inputs of sampled processing elements.
//!
//! A weight-stationary array feeds each MAC a stream of `(w, a, p_in)`
//! triples, one per cycle: `w` is fixed while a tile is loaded, `a` arrives
//! along the row and `p_in` comes down the column. The psum models of the
//! characterization (`traced`, see `characterize::psum`) and the
//! gate-level validation (`characterize::replay`, whose results are
//! [`crate::validation`]) both read such streams; `nn trace` writes them
//! from real inference. The format lives here, next to the table format,
//! so that both ends read what the other wrote without depending on each
//! other.
//!
//! File: CSV, `\n` line ends, header exactly
//! `layer,pe,row,col,cycle,w,a,p_in`, then one line per PE and cycle:
//! - `layer`: layer name (no comma);
//! - `pe`: id of the sampled PE within its layer (0, 1, ...);
//! - `row`, `col`: its position in the array;
//! - `cycle`: 0, 1, 2, ... within the PE's stream;
//! - `w`, `a`, `p_in`: the integer weight (the same on every line of a
//!   stream), activation and incoming partial sum of that cycle.
//!
//! The lines of one stream are consecutive and in cycle order. Before cycle 0
//! the PE's input registers hold `a = 0` and `p_in = 0` (they are reset when
//! a tile is loaded), so the first transition is `(0, 0) → (a₀, p₀)`.

use std::fmt::Write as _;
use std::path::Path;

use crate::{sha256_hex, write_atomic, Result, TablesError};

/// Header line of a trace file.
pub const TRACE_HEADER: &str = "layer,pe,row,col,cycle,w,a,p_in";

/// The inputs one processing element sees, cycle by cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeStream {
    /// Layer name.
    pub layer: String,
    /// Id of the PE within the layer's sample.
    pub pe: u32,
    /// Array row.
    pub row: u32,
    /// Array column.
    pub col: u32,
    /// The weight it holds.
    pub weight: i64,
    /// Activation of each cycle.
    pub acts: Vec<i64>,
    /// Incoming partial sum of each cycle (same length as `acts`).
    pub psums: Vec<i64>,
}

impl PeStream {
    /// Number of cycles.
    pub fn cycles(&self) -> usize {
        self.acts.len()
    }
}

/// A set of PE streams, as read from or written to a trace file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PeTrace {
    /// The streams, in file order.
    pub streams: Vec<PeStream>,
}

impl PeTrace {
    /// Layer names in order of first appearance.
    pub fn layers(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for s in &self.streams {
            if !names.contains(&s.layer) {
                names.push(s.layer.clone());
            }
        }
        names
    }

    /// Total cycles over all streams.
    pub fn cycles(&self) -> u64 {
        self.streams.iter().map(|s| s.cycles() as u64).sum()
    }

    /// The file text (header included).
    pub fn to_csv(&self) -> String {
        let mut s = String::from(TRACE_HEADER);
        s.push('\n');
        for st in &self.streams {
            for (c, (&a, &p)) in st.acts.iter().zip(&st.psums).enumerate() {
                let _ = writeln!(
                    s,
                    "{},{},{},{},{c},{},{a},{p}",
                    st.layer, st.pe, st.row, st.col, st.weight
                );
            }
        }
        s
    }

    /// Write the file atomically (temporary file + rename).
    pub fn save(&self, path: &Path) -> Result<()> {
        if let Some(bad) = self.streams.iter().find(|s| s.layer.contains([',', '\n'])) {
            return Err(TablesError::Invalid(format!(
                "layer name `{}` contains a comma or newline; the trace format cannot hold it",
                bad.layer
            )));
        }
        write_atomic(path, self.to_csv().as_bytes())?;
        Ok(())
    }

    /// Read a trace file; returns it with the hex SHA-256 of its bytes.
    /// Errors name the file, line and column and what was expected.
    pub fn load(path: &Path) -> Result<(PeTrace, String)> {
        let bytes = std::fs::read(path).map_err(|cause| TablesError::Io {
            path: path.to_path_buf(),
            cause,
        })?;
        let sha = sha256_hex(&bytes);
        let text = std::str::from_utf8(&bytes)
            .map_err(|e| format_error(path, format!("not UTF-8 text: {e}")))?;
        Ok((PeTrace::parse(text, path)?, sha))
    }

    /// Parse trace text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<PeTrace> {
        let mut lines = text.lines().enumerate();
        let at = |line: usize, col: usize, msg: String| {
            format_error(path, format!("line {}, column {col}: {msg}", line + 1))
        };
        match lines.next() {
            Some((_, h)) if h.trim_end_matches('\r') == TRACE_HEADER => {}
            Some((i, h)) => {
                return Err(at(
                    i,
                    1,
                    format!("expected the header `{TRACE_HEADER}`, found `{h}`"),
                ))
            }
            None => return Err(at(0, 1, format!("empty file; expected `{TRACE_HEADER}`"))),
        }
        let mut trace = PeTrace::default();
        for (i, line) in lines {
            let line = line.trim_end_matches('\r');
            if line.is_empty() {
                continue;
            }
            let mut fields = [""; 8];
            let mut cols = [0usize; 8];
            let mut n = 0;
            let mut col = 1;
            for f in line.split(',') {
                if n < 8 {
                    fields[n] = f;
                    cols[n] = col;
                }
                n += 1;
                col += f.len() + 1;
            }
            if n != 8 {
                return Err(at(
                    i,
                    1,
                    format!("expected 8 fields ({TRACE_HEADER}), found {n}"),
                ));
            }
            let int = |k: usize| -> Result<i64> {
                fields[k].trim().parse::<i64>().map_err(|_| {
                    at(
                        i,
                        cols[k],
                        format!(
                            "field `{}`: expected an integer, found `{}`",
                            TRACE_HEADER.split(',').nth(k).unwrap_or(""),
                            fields[k]
                        ),
                    )
                })
            };
            let small = |k: usize| -> Result<u32> {
                let v = int(k)?;
                u32::try_from(v).map_err(|_| {
                    at(
                        i,
                        cols[k],
                        format!("expected a number from 0 to {}, found {v}", u32::MAX),
                    )
                })
            };
            let (layer, pe, row, col) = (fields[0], small(1)?, small(2)?, small(3)?);
            let (cycle, w, a, p) = (int(4)?, int(5)?, int(6)?, int(7)?);
            let same = trace
                .streams
                .last()
                .is_some_and(|s: &PeStream| s.layer == layer && s.pe == pe);
            if !same {
                if let Some(dup) = trace
                    .streams
                    .iter()
                    .find(|s| s.layer == layer && s.pe == pe)
                {
                    return Err(at(
                        i,
                        1,
                        format!(
                            "PE {} of layer {} appears again after other streams; a stream's lines must be consecutive",
                            dup.pe, dup.layer
                        ),
                    ));
                }
                trace.streams.push(PeStream {
                    layer: layer.to_string(),
                    pe,
                    row,
                    col,
                    weight: w,
                    acts: Vec::new(),
                    psums: Vec::new(),
                });
            }
            let s = trace.streams.last_mut().expect("pushed above");
            if (s.row, s.col) != (row, col) {
                return Err(at(
                    i,
                    cols[2],
                    format!(
                        "PE {pe} of layer {layer} was at row {}, column {} before; a PE does not move",
                        s.row, s.col
                    ),
                ));
            }
            if cycle != s.acts.len() as i64 {
                return Err(at(
                    i,
                    cols[4],
                    format!("expected cycle {}, found {cycle}", s.acts.len()),
                ));
            }
            if w != s.weight {
                return Err(at(
                    i,
                    cols[5],
                    format!(
                        "weight {w}, but this PE held {} before; in a weight-stationary stream the weight is fixed",
                        s.weight
                    ),
                ));
            }
            s.acts.push(a);
            s.psums.push(p);
        }
        if trace.streams.is_empty() {
            return Err(format_error(path, "the trace holds no cycles".into()));
        }
        Ok(trace)
    }
}

/// A trace file that does not hold what the format requires.
fn format_error(path: &Path, reason: String) -> TablesError {
    TablesError::Data {
        path: path.to_path_buf(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> PeTrace {
        PeTrace {
            streams: vec![
                PeStream {
                    layer: "conv1".into(),
                    pe: 0,
                    row: 3,
                    col: 1,
                    weight: -5,
                    acts: vec![1, 0, 255],
                    psums: vec![0, -40, 1000],
                },
                PeStream {
                    layer: "fc1".into(),
                    pe: 0,
                    row: 0,
                    col: 9,
                    weight: 7,
                    acts: vec![2],
                    psums: vec![0],
                },
            ],
        }
    }

    #[test]
    fn text_round_trips() {
        let t = sample();
        let text = t.to_csv();
        assert!(text.starts_with("layer,pe,row,col,cycle,w,a,p_in\nconv1,0,3,1,0,-5,1,0\n"));
        assert_eq!(PeTrace::parse(&text, Path::new("t.csv")).unwrap(), t);
        assert_eq!(t.layers(), vec!["conv1", "fc1"]);
        assert_eq!(t.cycles(), 4);
    }

    #[test]
    fn bad_lines_name_line_and_column() {
        let p = Path::new("t.csv");
        let head = format!("{TRACE_HEADER}\n");
        let e = PeTrace::parse(&format!("{head}conv1,0,3,1,0,-5,x,0\n"), p).unwrap_err();
        assert!(e.to_string().contains("line 2, column 18"), "{e}");
        assert!(e.to_string().contains("field `a`"), "{e}");
        let e = PeTrace::parse(&format!("{head}conv1,0,3,1,1,-5,1,0\n"), p).unwrap_err();
        assert!(e.to_string().contains("expected cycle 0"), "{e}");
        let e = PeTrace::parse(
            &format!("{head}conv1,0,3,1,0,-5,1,0\nconv1,0,3,1,1,4,1,0\n"),
            p,
        )
        .unwrap_err();
        assert!(e.to_string().contains("weight is fixed"), "{e}");
        let e = PeTrace::parse("layer,w\n", p).unwrap_err();
        assert!(e.to_string().contains("expected the header"), "{e}");
        let e = PeTrace::parse(&format!("{head}conv1,0,3\n"), p).unwrap_err();
        assert!(e.to_string().contains("expected 8 fields"), "{e}");
    }
}
