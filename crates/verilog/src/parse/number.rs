//! Integer literals: plain decimals, sized and unsized based constants with
//! x/z digits, and the unbased fills `'0 '1 'x 'z`.

use nom::bytes::complete::take_while;
use nom::Parser as _;

use super::lex::{expected, fail, ws, PResult};
use crate::{Bit, Expr};

/// Widest constant, declared range or replication accepted, bits: bounds
/// memory on absurd sizes in bad input (a `wire [4294967295:0]` would
/// otherwise be elaborated into four billion nets). Far above any real
/// MAC netlist.
pub const MAX_WIDTH: u64 = 1 << 20;

/// Width Verilog gives an unsized constant.
const UNSIZED_WIDTH: usize = 32;

/// A plain decimal integer (`[0-9_]+`, leading digit), as used in ranges and
/// selects. Does not skip leading whitespace.
pub(crate) fn decimal_u64(i: &str) -> PResult<'_, u64> {
    if !i.starts_with(|c: char| c.is_ascii_digit()) {
        return expected(i, "a decimal number");
    }
    let (rest, digits) = take_while(|c: char| c.is_ascii_digit() || c == '_').parse(i)?;
    let mut v: u64 = 0;
    for d in digits.bytes().filter(|b| *b != b'_') {
        v = match v
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(d - b'0')))
        {
            Some(v) => v,
            None => return fail(i, "number too large"),
        };
    }
    Ok((rest, v))
}

/// A signed decimal integer for a range bound or index, after whitespace.
pub(crate) fn index(i: &str) -> PResult<'_, i64> {
    let (i, ()) = ws(i)?;
    let (j, neg) = match i.strip_prefix('-') {
        Some(r) => (ws(r)?.0, true),
        None => (i, false),
    };
    if !j.starts_with(|c: char| c.is_ascii_digit()) {
        return expected(i, "an integer index");
    }
    let (rest, v) = decimal_u64(j)?;
    if ws(rest)?.0.starts_with('\'') {
        return fail(j, "expected a plain integer index, not a based constant");
    }
    let Ok(v) = i64::try_from(v) else {
        return fail(j, "index too large");
    };
    Ok((rest, if neg { -v } else { v }))
}

/// A numeric constant at the start of `i` (no leading whitespace): `12`,
/// `4'b10x1`, `8 'hFF`, `'d7`, `'0`.
pub(crate) fn constant(i: &str) -> PResult<'_, Expr> {
    let start = i;
    let (rest, size) = if i.starts_with(|c: char| c.is_ascii_digit()) {
        let (rest, v) = decimal_u64(i)?;
        (rest, Some(v))
    } else {
        (i, None)
    };
    // A size may be separated from its base by whitespace.
    let (after_ws, ()) = ws(rest)?;
    let Some(based) = after_ws.strip_prefix('\'') else {
        // A plain decimal: an unsized 32-bit constant.
        return match size {
            Some(v) => Ok((rest, Expr::Const(from_value(v, UNSIZED_WIDTH)))),
            None => expected(start, "a constant"),
        };
    };
    let width = match size {
        Some(0) => return fail(start, "constant width must be at least 1"),
        Some(w) if w > MAX_WIDTH => {
            return fail(start, format!("constant width {w} exceeds {MAX_WIDTH}"))
        }
        Some(w) => Some(w as usize),
        None => None,
    };
    // Unbased unsized fill: '0 '1 'x 'z.
    if width.is_none() {
        if let Some(c) = based.chars().next() {
            if let Some(bit) = fill_bit(c) {
                let after = &based[1..];
                if !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
                    return Ok((after, Expr::Fill(bit)));
                }
            }
        }
    }
    let based = based.strip_prefix(['s', 'S']).unwrap_or(based);
    let Some(base_char) = based.chars().next() else {
        return expected(based, "a base letter (b, o, d or h)");
    };
    let bits_per_digit = match base_char.to_ascii_lowercase() {
        'b' => 1,
        'o' => 3,
        'h' => 4,
        'd' => 0,
        _ => return expected(based, "a base letter (b, o, d or h)"),
    };
    let (digits_at, ()) = ws(&based[1..])?;
    let (rest, raw) =
        take_while(|c: char| c.is_ascii_hexdigit() || "xXzZ?_".contains(c)).parse(digits_at)?;
    // Digits most significant first, each with its text for error positions.
    let digits: Vec<(char, &str)> = raw
        .char_indices()
        .filter(|(_, c)| *c != '_')
        .map(|(n, c)| (c, &digits_at[n..]))
        .collect();
    if digits.is_empty() {
        return expected(digits_at, "digits of the constant");
    }
    let (_, mut bits) = if bits_per_digit == 0 {
        decimal_bits(&digits)?
    } else {
        based_bits(&digits, bits_per_digit, base_char)?
    };
    let width = width.unwrap_or(UNSIZED_WIDTH.max(bits.len()));
    fit(&mut bits, width).map_err(|msg| {
        nom::Err::Failure(super::lex::PErr {
            at: start,
            msg: msg.into(),
        })
    })?;
    Ok((rest, Expr::Const(bits)))
}

/// The bit an unbased fill literal stands for.
fn fill_bit(c: char) -> Option<Bit> {
    match c {
        '0' => Some(Bit::Zero),
        '1' => Some(Bit::One),
        'x' | 'X' => Some(Bit::X),
        'z' | 'Z' | '?' => Some(Bit::Z),
        _ => None,
    }
}

/// `v` as `width` bits, least significant first.
fn from_value(v: u64, width: usize) -> Vec<Bit> {
    let width = width.max(64 - v.leading_zeros() as usize);
    (0..width)
        .map(|k| {
            if k < 64 && (v >> k) & 1 == 1 {
                Bit::One
            } else {
                Bit::Zero
            }
        })
        .collect()
}

/// Bits of binary/octal/hex digits, least significant first.
fn based_bits<'a>(digits: &[(char, &'a str)], per: usize, base: char) -> PResult<'a, Vec<Bit>> {
    let mut bits = Vec::with_capacity(digits.len() * per);
    for &(d, at) in digits.iter().rev() {
        if let Some(b) = fill_bit(d).filter(|b| matches!(b, Bit::X | Bit::Z)) {
            bits.extend(std::iter::repeat_n(b, per));
            continue;
        }
        let v = d.to_digit(16).expect("filtered to hex digits");
        if v >= 1 << per {
            return fail(
                at,
                format!("digit `{d}` is not valid in a `'{base}` constant"),
            );
        }
        bits.extend((0..per).map(|k| {
            if (v >> k) & 1 == 1 {
                Bit::One
            } else {
                Bit::Zero
            }
        }));
    }
    Ok(("", bits))
}

/// Bits of decimal digits (arbitrary length), least significant first; a
/// decimal constant may also be a single x or z digit.
fn decimal_bits<'a>(digits: &[(char, &'a str)]) -> PResult<'a, Vec<Bit>> {
    if let [(d, _)] = digits {
        if let Some(b) = fill_bit(*d).filter(|b| matches!(b, Bit::X | Bit::Z)) {
            return Ok(("", vec![b]));
        }
    }
    // Little-endian base-2^32 limbs: multiply by ten and add, digit by digit.
    let mut limbs: Vec<u32> = vec![0];
    for &(d, at) in digits {
        let Some(v) = d.to_digit(10) else {
            return fail(
                at,
                format!("digit `{d}` is not valid in a decimal constant"),
            );
        };
        let mut carry = u64::from(v);
        for limb in &mut limbs {
            let x = u64::from(*limb) * 10 + carry;
            *limb = x as u32;
            carry = x >> 32;
        }
        if carry > 0 {
            limbs.push(carry as u32);
        }
    }
    let mut bits: Vec<Bit> = limbs
        .iter()
        .flat_map(|l| {
            (0..32).map(move |k| {
                if (l >> k) & 1 == 1 {
                    Bit::One
                } else {
                    Bit::Zero
                }
            })
        })
        .collect();
    while bits.len() > 1 && bits.last() == Some(&Bit::Zero) {
        bits.pop();
    }
    Ok(("", bits))
}

/// Extend or truncate `bits` to `width` the way Verilog does, refusing to
/// drop bits that carry information (a too-wide value).
fn fit(bits: &mut Vec<Bit>, width: usize) -> Result<(), String> {
    let top = *bits.last().expect("at least one digit");
    if bits.len() < width {
        // An x or z in the top digit extends; anything else zero-extends.
        let pad = if matches!(top, Bit::X | Bit::Z) {
            top
        } else {
            Bit::Zero
        };
        bits.resize(width, pad);
        return Ok(());
    }
    let kept_top = bits[width - 1];
    let dropped = &bits[width..];
    let harmless = dropped.iter().all(|b| *b == Bit::Zero)
        || (matches!(kept_top, Bit::X | Bit::Z) && dropped.iter().all(|b| *b == kept_top));
    if !harmless {
        return Err(format!("constant does not fit in {width} bits"));
    }
    bits.truncate(width);
    Ok(())
}
