//! Stimulus CSV: a header of input port names, then one row of values per step.
//!
//! ```text
//! w,a,p_in
//! 0,0,0
//! -3,0x1f,0b101
//! ```
//! Values are decimal (optionally signed) or `0x`/`0b` prefixed, optionally
//! after a sign. A value must fit the port as signed or unsigned:
//! `-2^(W-1) ..= 2^W - 1` for a W-bit port; negative values are stored in
//! two's complement. Every input port needs exactly one column; blank lines
//! are skipped. The text is read as CSV by the `csv` crate (so a field may be
//! quoted). Errors name the file and the 1-based line.

use netlist::Port;

use crate::{Error, Result};

/// A parsed stimulus: values per row in `Netlist::inputs` order.
#[derive(Debug, Clone, PartialEq)]
pub struct Stimulus {
    /// One vector per row: a value per input port (`Netlist::inputs` order),
    /// masked to the port width.
    pub rows: Vec<Vec<u64>>,
    /// The 1-based line of each row in the file.
    pub lines: Vec<usize>,
}

impl Stimulus {
    /// Read and parse a stimulus file for a design with input ports `ports`.
    pub fn read(path: impl AsRef<std::path::Path>, ports: &[Port]) -> Result<Stimulus> {
        Stimulus::read_signed(path, ports, &vec![false; ports.len()])
    }

    /// [`Stimulus::read`], with `signed[i]` true for the ports that are two's
    /// complement: their values must fit `-2^(W-1) ..= 2^(W-1) - 1` (200 on
    /// a signed 8-bit port is an error, not -56).
    pub fn read_signed(
        path: impl AsRef<std::path::Path>,
        ports: &[Port],
        signed: &[bool],
    ) -> Result<Stimulus> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            cause: source,
        })?;
        Stimulus::parse_signed(&text, &path.display().to_string(), ports, signed)
    }

    /// Parse stimulus text; `source` names it in errors.
    pub fn parse(text: &str, source: &str, ports: &[Port]) -> Result<Stimulus> {
        Stimulus::parse_signed(text, source, ports, &vec![false; ports.len()])
    }

    /// [`Stimulus::parse`] with the signedness of each port (see
    /// [`Stimulus::read_signed`]).
    pub fn parse_signed(
        text: &str,
        source: &str,
        ports: &[Port],
        signed: &[bool],
    ) -> Result<Stimulus> {
        let err = |line: usize, message: String| Error::Stimulus {
            file: source.to_string(),
            line,
            message,
        };
        // Fields are trimmed by hand rather than by the reader, so that a
        // line of only spaces reads as the blank line it is.
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let line = |p: Option<&csv::Position>| p.map_or(1, |p| record_line(text, p));
        let mut records = reader.records().filter_map(|r| match r {
            Ok(r) if r.iter().all(|f| f.trim().is_empty()) => None,
            Ok(r) => Some(Ok((line(r.position()), r))),
            Err(e) => Some(Err(err(line(e.position()), e.to_string()))),
        });
        let Some(first) = records.next() else {
            return Err(err(
                1,
                "empty stimulus: expected a header of input port names".into(),
            ));
        };
        let (header_line, header) = first?;
        let port_list = || {
            ports
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        // Column c feeds port column_port[c].
        let mut column_port = Vec::new();
        for name in header.iter().map(str::trim) {
            let Some(p) = ports.iter().position(|p| p.name == name) else {
                return Err(err(
                    header_line,
                    format!("unknown input port `{name}` (inputs: {})", port_list()),
                ));
            };
            if column_port.contains(&p) {
                return Err(err(header_line, format!("port `{name}` appears twice")));
            }
            column_port.push(p);
        }
        if let Some(missing) = (0..ports.len()).find(|p| !column_port.contains(p)) {
            return Err(err(
                header_line,
                format!("no column for input port `{}`", ports[missing].name),
            ));
        }

        let mut stimulus = Stimulus {
            rows: Vec::new(),
            lines: Vec::new(),
        };
        for record in records {
            let (line, fields) = record?;
            if fields.len() != column_port.len() {
                return Err(err(
                    line,
                    format!(
                        "expected {} values, found {}",
                        column_port.len(),
                        fields.len()
                    ),
                ));
            }
            let mut row = vec![0u64; ports.len()];
            for (field, &p) in fields.iter().map(str::trim).zip(&column_port) {
                let port = &ports[p];
                let signed = signed.get(p).copied().unwrap_or(false);
                row[p] = parse_port_value(field, port.width(), signed)
                    .map_err(|m| err(line, format!("port `{}`: {m}", port.name)))?;
            }
            stimulus.rows.push(row);
            stimulus.lines.push(line);
        }
        Ok(stimulus)
    }
}

/// The 1-based line of the record the CSV reader reports at `p`. The reader
/// positions a record where its search for it began, before the blank
/// lines it skipped, so the line ends from there to the record's first
/// byte are counted on. Each stretch is counted once: linear in the file.
fn record_line(text: &str, p: &csv::Position) -> usize {
    let start = (p.byte() as usize).min(text.len());
    let skipped = text[start..]
        .bytes()
        .take_while(|&b| b == b'\n' || b == b'\r')
        .filter(|&b| b == b'\n')
        .count();
    p.line() as usize + skipped
}

/// Parse one value for a `width`-bit port into its two's-complement bits,
/// taking it as signed or unsigned, whichever it fits.
pub fn parse_value(text: &str, width: usize) -> std::result::Result<u64, String> {
    parse_port_value(text, width, false)
}

/// [`parse_value`]; with `signed`, only the two's-complement range.
pub fn parse_port_value(
    text: &str,
    width: usize,
    signed: bool,
) -> std::result::Result<u64, String> {
    if text.is_empty() {
        return Err("empty value".into());
    }
    let (negative, body) = match text.as_bytes()[0] {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits, what) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d, "hexadecimal")
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d, "binary")
    } else {
        (10, lower.as_str(), "decimal")
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(format!("`{text}` is not a {what} number"));
    }
    let width = width.min(64) as u32;
    let max_unsigned: i128 = (1i128 << width) - 1;
    let min_signed: i128 = if width == 0 {
        0
    } else {
        -(1i128 << (width - 1))
    };
    let max = if signed {
        (max_unsigned >> 1).max(0)
    } else {
        max_unsigned
    };
    let kind = if signed { "signed " } else { "" };
    let range = || format!("{kind}{width}-bit port takes {min_signed}..={max}");
    let magnitude = u128::from_str_radix(digits, radix)
        .map_err(|_| format!("`{text}` is out of range ({})", range()))?;
    let value = i128::try_from(magnitude)
        .map(|m| if negative { -m } else { m })
        .map_err(|_| format!("`{text}` is out of range ({})", range()))?;
    if value < min_signed || value > max {
        return Err(format!("`{text}` is out of range ({})", range()));
    }
    Ok((value & max_unsigned) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use netlist::NetId;

    fn port(name: &str, width: usize) -> Port {
        Port {
            name: name.into(),
            range: Some((width as i64 - 1, 0)),
            bits: (0..width as u32).map(NetId).collect(),
        }
    }

    fn ports() -> Vec<Port> {
        vec![port("w", 8), port("a", 4)]
    }

    #[test]
    fn signed_ports_take_only_the_twos_complement_range() {
        // w is a signed 8-bit port: -128..=127; a stays lenient.
        let signed = [true, false];
        let ok =
            Stimulus::parse_signed("w,a\n-128,15\n127,0\n", "s.csv", &ports(), &signed).unwrap();
        assert_eq!(ok.rows, vec![vec![0x80, 15], vec![0x7f, 0]]);
        let err = Stimulus::parse_signed("w,a\n200,1\n", "s.csv", &ports(), &signed)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "s.csv:2: port `w`: `200` is out of range (signed 8-bit port takes -128..=127)"
        );
        // Without the signedness 200 is the unsigned reading of those bits.
        let lenient = Stimulus::parse("w,a\n200,1\n", "s.csv", &ports()).unwrap();
        assert_eq!(lenient.rows, vec![vec![200, 1]]);
    }

    fn message(text: &str) -> String {
        Stimulus::parse(text, "s.csv", &ports())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn parses_every_radix_and_sign() {
        let s = Stimulus::parse("a, w\n\n1,-1\n0xF,0b1010\n+3, -128\n", "s.csv", &ports()).unwrap();
        // Columns are reordered to port order (w, a).
        assert_eq!(s.rows, vec![vec![0xFF, 1], vec![10, 15], vec![0x80, 3]]);
        assert_eq!(s.lines, vec![3, 4, 5]);
    }

    #[test]
    fn blank_space_only_crlf_and_quoted_lines() {
        // A line of spaces is blank; CRLF line ends; a quoted field is one
        // value (CSV), and the line numbers stay those of the file.
        let s = Stimulus::parse("w,a\r\n   \r\n1,2\r\n\"3\", 4\r\n", "s.csv", &ports()).unwrap();
        assert_eq!(s.rows, vec![vec![1, 2], vec![3, 4]]);
        assert_eq!(s.lines, vec![3, 4]);
        // Only blank lines: no header.
        assert_eq!(
            message("\n  \n"),
            "s.csv:1: empty stimulus: expected a header of input port names"
        );
        // A missing field is counted, not taken as an empty value.
        assert_eq!(message("w,a\n\n5\n"), "s.csv:3: expected 2 values, found 1");
    }

    #[test]
    fn accepts_full_signed_and_unsigned_range() {
        assert_eq!(parse_value("255", 8), Ok(255));
        assert_eq!(parse_value("-128", 8), Ok(0x80));
        assert_eq!(parse_value("18446744073709551615", 64), Ok(u64::MAX));
        assert_eq!(parse_value("-9223372036854775808", 64), Ok(1 << 63));
    }

    #[test]
    fn errors_name_file_line_and_problem() {
        assert_eq!(
            message("w,a\n1,2\n1,2,3\n"),
            "s.csv:3: expected 2 values, found 3"
        );
        assert_eq!(
            message("w,x\n"),
            "s.csv:1: unknown input port `x` (inputs: w, a)"
        );
        assert_eq!(message("w\n1\n"), "s.csv:1: no column for input port `a`");
        assert_eq!(message("w,a,w\n"), "s.csv:1: port `w` appears twice");
        assert_eq!(
            message("w,a\n1,16\n"),
            "s.csv:2: port `a`: `16` is out of range (4-bit port takes -8..=15)"
        );
        assert_eq!(
            message("w,a\n1,-9\n"),
            "s.csv:2: port `a`: `-9` is out of range (4-bit port takes -8..=15)"
        );
        assert_eq!(
            message("w,a\n0x1g,1\n"),
            "s.csv:2: port `w`: `0x1g` is not a hexadecimal number"
        );
        assert_eq!(
            message("w,a\n1,0b102\n"),
            "s.csv:2: port `a`: `0b102` is not a binary number"
        );
        assert_eq!(
            message("w,a\n1.5,1\n"),
            "s.csv:2: port `w`: `1.5` is not a decimal number"
        );
        assert_eq!(message("w,a\n,1\n"), "s.csv:2: port `w`: empty value");
        assert_eq!(
            message(""),
            "s.csv:1: empty stimulus: expected a header of input port names"
        );
    }
}
