//! Names in messages: "did you mean" suggestions for names the design
//! does not define, and Verilog expressions written back as text.

use verilog::{Bit, Expr};

/// Up to `n` candidates closest to `name`, nearest first.
///
/// Case is ignored and a candidate is first ranked by how well `name`
/// matches some part of it, so `AND3_X1` suggests `sg13g2_and3_1` when the
/// netlist was made for another library; the whole-name distance breaks ties.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let name = name.to_lowercase();
    let mut scored: Vec<(usize, usize, &str)> = candidates
        .map(|c| {
            let lower = c.to_lowercase();
            (
                infix_distance(&name, &lower),
                edit_distance(&name, &lower),
                c,
            )
        })
        .collect();
    scored.sort_unstable();
    scored.dedup();
    scored.into_iter().take(n).map(|(_, _, c)| c).collect()
}

/// Edit distance from `a` to the closest substring of `b`.
fn infix_distance(a: &str, b: &str) -> usize {
    // Free start anywhere in b (a row of zeros) and free end anywhere in b.
    last_row(a, b, true).into_iter().min().unwrap_or(0)
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    last_row(a, b, false).pop().unwrap_or(0)
}

/// Last row of the edit-distance table of `a` against the chars of `b`:
/// entry `j` is the distance from `a` to `b[..j]`, or with `free_start` to
/// the best substring of `b` that ends at `j`.
fn last_row(a: &str, b: &str, free_start: bool) -> Vec<usize> {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = if free_start {
        vec![0; b.len() + 1]
    } else {
        (0..=b.len()).collect()
    };
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if ca == cb {
                diag
            } else {
                1 + diag.min(row[j]).min(up)
            };
            diag = up;
        }
    }
    row
}

/// Names quoted and comma-separated (`none` when empty).
pub(crate) fn list(names: &[&str]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A declared range as written, or `(scalar)`.
pub(crate) fn show_range(r: Option<(i64, i64)>) -> String {
    match r {
        None => "(scalar)".to_string(),
        Some((m, l)) => format!("[{m}:{l}]"),
    }
}

/// An expression as Verilog text, for messages.
pub(crate) fn show(e: &Expr) -> String {
    match e {
        Expr::Name(n) => n.clone(),
        Expr::BitSelect(n, i) => format!("{n}[{i}]"),
        Expr::PartSelect(n, m, l) => format!("{n}[{m}:{l}]"),
        Expr::Concat(parts) => {
            format!(
                "{{{}}}",
                parts.iter().map(show).collect::<Vec<_>>().join(", ")
            )
        }
        Expr::Const(bits) => {
            let digits: String = bits
                .iter()
                .rev()
                .map(|b| match b {
                    Bit::Zero => '0',
                    Bit::One => '1',
                    Bit::X => 'x',
                    Bit::Z => 'z',
                })
                .collect();
            format!("{}'b{digits}", bits.len())
        }
        Expr::Fill(b) => match b {
            Bit::Zero => "'0",
            Bit::One => "'1",
            Bit::X => "'x",
            Bit::Z => "'z",
        }
        .to_string(),
        Expr::Unconnected => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_by_hand() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("NAND2_X1", "NAND2_X1"), 0);
    }

    #[test]
    fn infix_by_hand() {
        assert_eq!(infix_distance("and3_x1", "sg13g2_and3_1"), 1);
        assert_eq!(infix_distance("inv", "sky130_fd_sc_hd__inv_1"), 0);
        assert_eq!(infix_distance("abc", ""), 3);
    }

    #[test]
    fn other_library_suggests_same_function() {
        let c = [
            "sg13g2_buf_1",
            "sg13g2_and3_1",
            "sg13g2_and3_2",
            "sg13g2_or2_1",
        ];
        assert_eq!(
            closest("AND3_X1", c.iter().copied(), 1),
            vec!["sg13g2_and3_1"]
        );
    }

    #[test]
    fn nearest_first() {
        let c = ["NAND2_X1", "NOR2_X1", "NAND3_X1", "INV_X1"];
        assert_eq!(
            closest("NAND2_X2", c.iter().copied(), 2),
            vec!["NAND2_X1", "NAND3_X1"]
        );
    }
}
