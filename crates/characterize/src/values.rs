//! Integer values of a port: range, bit encoding and weight lists.
//!
//! Table axes are indexed by position, but every later stage reasons in
//! integer weight and activation values, so the mapping lives in one place.

use crate::{Error, Result};

/// How a port's bits are read as an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Encoding {
    /// Port width in bits (1..=63).
    pub width: u32,
    /// Two's complement when true.
    pub signed: bool,
}

impl Encoding {
    /// Smallest representable value.
    pub fn min(self) -> i64 {
        if self.signed {
            -(1i64 << (self.width - 1))
        } else {
            0
        }
    }

    /// Largest representable value.
    pub fn max(self) -> i64 {
        if self.signed {
            (1i64 << (self.width - 1)) - 1
        } else {
            (1i64 << self.width) - 1
        }
    }

    /// Number of values (2^width).
    pub fn count(self) -> u64 {
        1u64 << self.width
    }

    /// All values in ascending order.
    pub fn ascending(self) -> Vec<i64> {
        (self.min()..=self.max()).collect()
    }

    /// True when `value` fits.
    pub fn contains(self, value: i64) -> bool {
        (self.min()..=self.max()).contains(&value)
    }

    /// The port bits of `value` (LSB = bit 0, two's complement), as the
    /// simulator takes them. `value` must fit (see [`Encoding::contains`]).
    pub fn bits(self, value: i64) -> u64 {
        debug_assert!(self.contains(value));
        (value as u64) & self.mask()
    }

    /// The integer a bit pattern stands for.
    pub fn value(self, bits: u64) -> i64 {
        let bits = bits & self.mask();
        if self.signed && bits >> (self.width - 1) & 1 == 1 {
            bits as i64 - (1i64 << self.width)
        } else {
            bits as i64
        }
    }

    fn mask(self) -> u64 {
        if self.width >= 64 {
            u64::MAX
        } else {
            (1u64 << self.width) - 1
        }
    }
}

/// Parse a weight list such as `-3,0,5`, `-8:7` or `0..15,-1` (ranges are
/// inclusive at both ends; `..` and `:` mean the same). Every value must fit
/// `encoding`, and none may repeat (a repeated weight would make the table
/// axis ambiguous for the stages that look weights up by value).
pub fn parse_weight_list(text: &str, encoding: Encoding) -> Result<Vec<i64>> {
    let mut weights = Vec::new();
    for item in text.split(',') {
        let item = item.trim();
        if item.is_empty() {
            return Err(Error::Input(format!(
                "weight list `{text}`: empty item; expected integers or inclusive ranges like -3,0,5 or -8:7"
            )));
        }
        match split_range(item) {
            Some((lo, hi)) => {
                let lo = parse_int(lo, text)?;
                let hi = parse_int(hi, text)?;
                if lo > hi {
                    return Err(Error::Input(format!(
                        "weight list `{text}`: range {item} is empty (start above end)"
                    )));
                }
                for value in [lo, hi] {
                    check_fits(value, encoding, text)?;
                }
                weights.extend(lo..=hi);
            }
            None => {
                let value = parse_int(item, text)?;
                check_fits(value, encoding, text)?;
                weights.push(value);
            }
        }
    }
    let mut sorted = weights.clone();
    sorted.sort_unstable();
    if let Some(pair) = sorted.windows(2).find(|p| p[0] == p[1]) {
        return Err(Error::Input(format!(
            "weight list `{text}`: weight {} appears twice",
            pair[0]
        )));
    }
    Ok(weights)
}

/// `A..B`, `A..=B` or `A:B`, where A may itself be negative.
fn split_range(item: &str) -> Option<(&str, &str)> {
    if let Some(at) = item.find("..") {
        let hi = &item[at + 2..];
        return Some((&item[..at], hi.strip_prefix('=').unwrap_or(hi)));
    }
    item.find(':').map(|at| (&item[..at], &item[at + 1..]))
}

fn parse_int(s: &str, list: &str) -> Result<i64> {
    s.trim().parse::<i64>().map_err(|_| {
        Error::Input(format!(
            "weight list `{list}`: `{}` is not an integer; expected e.g. -3,0,5 or -8:7",
            s.trim()
        ))
    })
}

fn check_fits(value: i64, encoding: Encoding, list: &str) -> Result<()> {
    if encoding.contains(value) {
        Ok(())
    } else {
        Err(Error::Input(format!(
            "weight list `{list}`: {value} does not fit a {} {}-bit weight ({}..={})",
            if encoding.signed {
                "signed"
            } else {
                "unsigned"
            },
            encoding.width,
            encoding.min(),
            encoding.max()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S4: Encoding = Encoding {
        width: 4,
        signed: true,
    };
    const U3: Encoding = Encoding {
        width: 3,
        signed: false,
    };

    #[test]
    fn ranges_follow_twos_complement() {
        assert_eq!((S4.min(), S4.max(), S4.count()), (-8, 7, 16));
        assert_eq!((U3.min(), U3.max()), (0, 7));
        // -3 in 4-bit two's complement is 1101.
        assert_eq!(S4.bits(-3), 0b1101);
        assert_eq!(S4.value(0b1101), -3);
        assert_eq!(U3.bits(5), 0b101);
        for v in S4.ascending() {
            assert_eq!(S4.value(S4.bits(v)), v);
        }
    }

    #[test]
    fn weight_lists_parse_values_and_inclusive_ranges() {
        assert_eq!(parse_weight_list("-3,0,5", S4).unwrap(), vec![-3, 0, 5]);
        assert_eq!(
            parse_weight_list("-8:-6, 7", S4).unwrap(),
            vec![-8, -7, -6, 7]
        );
        assert_eq!(parse_weight_list("1..3", S4).unwrap(), vec![1, 2, 3]);
        assert_eq!(parse_weight_list("-2..=-1", S4).unwrap(), vec![-2, -1]);
    }

    #[test]
    fn bad_weight_lists_say_what_was_expected() {
        for (text, needle) in [
            ("8", "does not fit"),
            ("1,,2", "empty item"),
            ("x", "not an integer"),
            ("3:1", "start above end"),
            ("1,0:2", "appears twice"),
        ] {
            let err = parse_weight_list(text, S4).unwrap_err().to_string();
            assert!(err.contains(needle), "{text}: {err}");
        }
    }
}
