//! Text for plots without any font file.
//!
//! plotters draws bitmap text through a TrueType rasterizer that needs
//! system fonts (and fontconfig to build), which batch machines and CI
//! images often lack. This module carries its own 5×7 pixel font (drawn for
//! this project, printable ASCII plus a few symbols) and a backend wrapper
//! that measures and draws text with it, so PNG labels always render. SVG
//! keeps real `<text>` elements; only the measuring is ours there, so the
//! layout is the same in both formats.

use std::sync::OnceLock;

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// Glyph cell: 5 columns and 9 rows (7 above the baseline, 2 below).
const GLYPH_W: i32 = 5;
const GLYPH_H: i32 = 9;
/// Blank column between glyphs.
const ADVANCE: i32 = GLYPH_W + 1;

/// Each glyph: its character on one line, then 7 or 9 rows of 5 cells
/// (`#` on, `.` off). Rows 8 and 9 are descenders.
const GLYPHS: &str = r#"
 
.....
.....
.....
.....
.....
.....
.....
!
..#..
..#..
..#..
..#..
..#..
.....
..#..
"
.#.#.
.#.#.
.....
.....
.....
.....
.....
#
.#.#.
.#.#.
#####
.#.#.
#####
.#.#.
.#.#.
$
..#..
.####
#.#..
.###.
..#.#
####.
..#..
%
##...
##..#
...#.
..#..
.#...
#..##
...##
&
.##..
#..#.
#.#..
.#...
#.#.#
#..#.
.##.#
'
..#..
..#..
.....
.....
.....
.....
.....
(
...#.
..#..
.#...
.#...
.#...
..#..
...#.
)
.#...
..#..
...#.
...#.
...#.
..#..
.#...
*
.....
..#..
#.#.#
.###.
#.#.#
..#..
.....
+
.....
..#..
..#..
#####
..#..
..#..
.....
,
.....
.....
.....
.....
.....
.##..
.##..
..#..
.#...
-
.....
.....
.....
#####
.....
.....
.....
.
.....
.....
.....
.....
.....
.##..
.##..
/
.....
....#
...#.
..#..
.#...
#....
.....
0
.###.
#...#
#..##
#.#.#
##..#
#...#
.###.
1
..#..
.##..
..#..
..#..
..#..
..#..
.###.
2
.###.
#...#
....#
...#.
..#..
.#...
#####
3
####.
....#
....#
.###.
....#
....#
####.
4
...#.
..##.
.#.#.
#..#.
#####
...#.
...#.
5
#####
#....
####.
....#
....#
#...#
.###.
6
..##.
.#...
#....
####.
#...#
#...#
.###.
7
#####
....#
...#.
..#..
.#...
.#...
.#...
8
.###.
#...#
#...#
.###.
#...#
#...#
.###.
9
.###.
#...#
#...#
.####
....#
...#.
.##..
:
.....
.##..
.##..
.....
.##..
.##..
.....
;
.....
.##..
.##..
.....
.....
.##..
.##..
..#..
.#...
<
...#.
..#..
.#...
#....
.#...
..#..
...#.
=
.....
.....
#####
.....
#####
.....
.....
>
.#...
..#..
...#.
....#
...#.
..#..
.#...
?
.###.
#...#
....#
...#.
..#..
.....
..#..
@
.###.
#...#
....#
.##.#
#.#.#
#.#.#
.###.
A
.###.
#...#
#...#
#####
#...#
#...#
#...#
B
####.
#...#
#...#
####.
#...#
#...#
####.
C
.###.
#...#
#....
#....
#....
#...#
.###.
D
####.
#...#
#...#
#...#
#...#
#...#
####.
E
#####
#....
#....
####.
#....
#....
#####
F
#####
#....
#....
####.
#....
#....
#....
G
.###.
#...#
#....
#.###
#...#
#...#
.####
H
#...#
#...#
#...#
#####
#...#
#...#
#...#
I
.###.
..#..
..#..
..#..
..#..
..#..
.###.
J
..###
...#.
...#.
...#.
...#.
#..#.
.##..
K
#...#
#..#.
#.#..
##...
#.#..
#..#.
#...#
L
#....
#....
#....
#....
#....
#....
#####
M
#...#
##.##
#.#.#
#.#.#
#...#
#...#
#...#
N
#...#
#...#
##..#
#.#.#
#..##
#...#
#...#
O
.###.
#...#
#...#
#...#
#...#
#...#
.###.
P
####.
#...#
#...#
####.
#....
#....
#....
Q
.###.
#...#
#...#
#...#
#.#.#
#..#.
.##.#
R
####.
#...#
#...#
####.
#.#..
#..#.
#...#
S
.####
#....
#....
.###.
....#
....#
####.
T
#####
..#..
..#..
..#..
..#..
..#..
..#..
U
#...#
#...#
#...#
#...#
#...#
#...#
.###.
V
#...#
#...#
#...#
#...#
#...#
.#.#.
..#..
W
#...#
#...#
#...#
#.#.#
#.#.#
#.#.#
.#.#.
X
#...#
#...#
.#.#.
..#..
.#.#.
#...#
#...#
Y
#...#
#...#
.#.#.
..#..
..#..
..#..
..#..
Z
#####
....#
...#.
..#..
.#...
#....
#####
[
.###.
.#...
.#...
.#...
.#...
.#...
.###.
\
.....
#....
.#...
..#..
...#.
....#
.....
]
.###.
...#.
...#.
...#.
...#.
...#.
.###.
^
..#..
.#.#.
#...#
.....
.....
.....
.....
_
.....
.....
.....
.....
.....
.....
#####
`
.#...
..#..
.....
.....
.....
.....
.....
a
.....
.....
.###.
....#
.####
#...#
.####
b
#....
#....
####.
#...#
#...#
#...#
####.
c
.....
.....
.###.
#....
#....
#...#
.###.
d
....#
....#
.####
#...#
#...#
#...#
.####
e
.....
.....
.###.
#...#
#####
#....
.###.
f
..##.
.#..#
.#...
###..
.#...
.#...
.#...
g
.....
.....
.####
#...#
#...#
#...#
.####
....#
.###.
h
#....
#....
#.##.
##..#
#...#
#...#
#...#
i
..#..
.....
.##..
..#..
..#..
..#..
.###.
j
...#.
.....
..##.
...#.
...#.
...#.
...#.
#..#.
.##..
k
#....
#....
#..#.
#.#..
##...
#.#..
#..#.
l
.##..
..#..
..#..
..#..
..#..
..#..
.###.
m
.....
.....
##.#.
#.#.#
#.#.#
#.#.#
#.#.#
n
.....
.....
#.##.
##..#
#...#
#...#
#...#
o
.....
.....
.###.
#...#
#...#
#...#
.###.
p
.....
.....
####.
#...#
#...#
#...#
####.
#....
#....
q
.....
.....
.####
#...#
#...#
#...#
.####
....#
....#
r
.....
.....
#.##.
##..#
#....
#....
#....
s
.....
.....
.####
#....
.###.
....#
####.
t
.#...
.#...
###..
.#...
.#...
.#..#
..##.
u
.....
.....
#...#
#...#
#...#
#..##
.##.#
v
.....
.....
#...#
#...#
#...#
.#.#.
..#..
w
.....
.....
#...#
#...#
#.#.#
#.#.#
.#.#.
x
.....
.....
#...#
.#.#.
..#..
.#.#.
#...#
y
.....
.....
#...#
#...#
#...#
#...#
.####
....#
.###.
z
.....
.....
#####
...#.
..#..
.#...
#####
{
...#.
..#..
..#..
.#...
..#..
..#..
...#.
|
..#..
..#..
..#..
..#..
..#..
..#..
..#..
}
.#...
..#..
..#..
...#.
..#..
..#..
.#...
~
.....
.....
.#...
#.#.#
...#.
.....
.....
µ
.....
.....
#...#
#...#
#...#
##..#
#.##.
#....
#....
×
.....
.....
#...#
.#.#.
..#..
.#.#.
#...#
→
.....
..#..
...#.
#####
...#.
..#..
.....
²
.##..
...#.
..#..
.###.
.....
.....
.....
°
.##..
#..#.
.##..
.....
.....
.....
.....
"#;

/// Drawn for characters the font lacks: a hollow box.
const MISSING: [u8; 9] = [
    0b11111, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b11111, 0, 0,
];

/// Rows of a glyph, bit 4 = leftmost column.
fn glyph(c: char) -> [u8; 9] {
    static TABLE: OnceLock<Vec<(char, [u8; 9])>> = OnceLock::new();
    let table = TABLE.get_or_init(parse_glyphs);
    table
        .iter()
        .find(|(g, _)| *g == c)
        .map_or(MISSING, |(_, rows)| *rows)
}

fn parse_glyphs() -> Vec<(char, [u8; 9])> {
    let mut table = Vec::new();
    let mut lines = GLYPHS.lines().skip(1).peekable();
    while let Some(head) = lines.next() {
        let Some(c) = head.chars().next() else { break };
        let mut rows = [0u8; 9];
        for row in rows.iter_mut() {
            // A row is exactly five cells; anything else starts the next glyph.
            match lines.peek() {
                Some(l) if l.len() == 5 && l.chars().all(|ch| ch == '#' || ch == '.') => {
                    *row = l.chars().fold(0, |acc, ch| acc << 1 | u8::from(ch == '#'));
                    lines.next();
                }
                _ => break,
            }
        }
        table.push((c, rows));
    }
    table
}

/// Pixels per font cell for a plotters font size (the cap height is 7 cells,
/// about 0.7 of the size).
fn scale(size: f64) -> i32 {
    ((size / 10.0).round() as i32).max(1)
}

/// Width and height of `text` at `size`, unrotated, pixels.
pub fn text_size(text: &str, size: f64) -> (u32, u32) {
    let s = scale(size);
    let n = text.chars().count() as i32;
    let w = if n == 0 { 0 } else { (n * ADVANCE - 1) * s };
    (w as u32, (GLYPH_H * s) as u32)
}

/// A backend whose text is measured — and, with `draw_glyphs`, drawn — by
/// the built-in font; everything else goes to `inner`.
pub struct OwnFont<B> {
    inner: B,
    draw_glyphs: bool,
}

impl<B: DrawingBackend> OwnFont<B> {
    /// Draw text as pixels (bitmap backends).
    pub fn pixels(inner: B) -> OwnFont<B> {
        OwnFont {
            inner,
            draw_glyphs: true,
        }
    }

    /// Let `inner` draw text itself (vector backends), but measure it here.
    pub fn measured(inner: B) -> OwnFont<B> {
        OwnFont {
            inner,
            draw_glyphs: false,
        }
    }
}

impl<B: DrawingBackend> DrawingBackend for OwnFont<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<B::ErrorType>> {
        Ok(text_size(text, style.size()))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        if !self.draw_glyphs {
            return self.inner.draw_text(text, style, pos);
        }
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let s = scale(style.size());
        let (w, h) = text_size(text, style.size());
        let (w, h) = (w as i32, h as i32);
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0,
            HPos::Center => -w / 2,
            HPos::Right => -w,
        };
        let dy = match anchor.v_pos {
            VPos::Top => 0,
            VPos::Center => -h / 2,
            VPos::Bottom => -h,
        };
        let transform = style.transform();
        let (width, height) = self.inner.get_size();
        for (k, c) in text.chars().enumerate() {
            let rows = glyph(c);
            let x0 = k as i32 * ADVANCE * s;
            for (r, bits) in rows.iter().enumerate() {
                for col in 0..GLYPH_W {
                    if bits >> (GLYPH_W - 1 - col) & 1 == 0 {
                        continue;
                    }
                    for sy in 0..s {
                        for sx in 0..s {
                            let (x, y) =
                                transform.transform(dx + x0 + col * s + sx, dy + r as i32 * s + sy);
                            let (x, y) = (pos.0 + x, pos.1 + y);
                            if x >= 0 && y >= 0 && (x as u32) < width && (y as u32) < height {
                                self.inner.draw_pixel((x, y), color)?;
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_printable_ascii_character_has_a_glyph() {
        for c in ' '..='~' {
            let rows = glyph(c);
            if c == ' ' {
                assert_eq!(rows, [0; 9]);
            } else {
                assert_ne!(rows, MISSING, "{c:?} falls back to the box");
                assert!(rows.iter().any(|&r| r != 0), "{c:?} is blank");
            }
        }
        assert_eq!(glyph('€'), MISSING);
        // A descender row survives parsing: g has its tail below the baseline.
        assert_ne!(glyph('g')[8], 0);
        assert_eq!(glyph('T')[0], 0b11111);
    }

    #[test]
    fn measured_size_grows_with_text_and_font_size() {
        assert_eq!(text_size("", 10.0), (0, 9));
        assert_eq!(text_size("ab", 10.0), (11, 9));
        assert_eq!(text_size("ab", 20.0), (22, 18));
    }
}
