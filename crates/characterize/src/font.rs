//! Text for plots without any font file.
//!
//! plotters draws bitmap text through a TrueType rasterizer that needs
//! system fonts (and fontconfig to build), which batch machines and CI
//! images often lack. This module instead draws with the public-domain 8×8
//! bitmap glyphs of the [`font8x8`] crate, compiled into the binary, scaled
//! by whole pixels to the requested size. [`OwnFont`] wraps a backend to
//! measure and draw text with them, so PNG labels always render. SVG keeps
//! real `<text>` elements; only the measuring is ours there, so the layout
//! is the same in both formats.
//!
//! Covered: ASCII, Latin-1 (µ, °, ², ×, …) and basic Greek; any other
//! character is drawn as `?`.

use font8x8::legacy::{BASIC_LEGACY, GREEK_LEGACY, LATIN_LEGACY};
use plotters::style::{FontDesc, FontFamily, FontStyle};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontTransform,
};

/// Glyph height in font cells, the descender row included.
const HEIGHT: i32 = 8;
/// Advance of a blank character (space) in font cells.
const SPACE: i32 = 4;

/// Rows of the glyph for `c`, bit 0 = leftmost column; `?` when the font
/// has no glyph for it.
fn glyph(c: char) -> [u8; 8] {
    let code = c as usize;
    let found = match code {
        0x00..=0x7f => Some(BASIC_LEGACY[code]),
        0xa0..=0xff => Some(LATIN_LEGACY[code - 0xa0]),
        0x390..=0x3c9 => Some(GREEK_LEGACY[code - 0x390]),
        _ => None,
    };
    match found {
        // Gaps in the tables are all zero; only real blanks may stay empty.
        Some(rows) if c.is_whitespace() || rows != [0; 8] => rows,
        _ => BASIC_LEGACY[usize::from(b'?')],
    }
}

/// First inked column of `rows` and the advance in font cells: the inked
/// width plus one blank column. The font's glyphs sit in fixed 8-cell
/// boxes; spacing them by their ink keeps text about as wide as plotters
/// lays it out (`.` and `i` take less room than `m`).
fn columns(rows: [u8; 8]) -> (i32, i32) {
    let ink = rows.iter().fold(0u8, |acc, r| acc | r);
    if ink == 0 {
        return (0, SPACE);
    }
    let first = ink.trailing_zeros() as i32;
    let last = 7 - ink.leading_zeros() as i32;
    (first, last - first + 2)
}

/// Pixels per font cell for a plotters font size (the cap height is 7
/// cells, about 0.7 of the size).
fn scale(size: f64) -> i32 {
    ((size / 10.0).round() as i32).max(1)
}

/// Width of `text` in font cells, without the blank column after the last
/// character.
fn width_cells(text: &str) -> i32 {
    let cells: i32 = text.chars().map(|c| columns(glyph(c)).1).sum();
    (cells - 1).max(0)
}

/// Width and height of `text` drawn at font `size`, unrotated, in pixels.
/// [`OwnFont`] draws it smaller only where it would not fit the image.
pub fn text_size(text: &str, size: f64) -> (u32, u32) {
    sized(text, scale(size))
}

/// Width and height of `text` at `s` pixels per font cell.
fn sized(text: &str, s: i32) -> (u32, u32) {
    ((width_cells(text) * s) as u32, (HEIGHT * s) as u32)
}

/// `text` with trailing spaces, enough for a series label (legend entry)
/// drawn by [`OwnFont`] to fit its box.
///
/// plotters sizes the legend box with its own width estimate rather than
/// the backend's, and that estimate is narrower than these bitmap glyphs;
/// trailing spaces widen the estimate without drawing anything. Meant for
/// the default legend font, size 12.
pub fn legend_label(text: &str) -> String {
    const SIZE: f64 = 12.0;
    let estimate = FontDesc::new(FontFamily::SansSerif, SIZE, FontStyle::Normal);
    let drawn = text_size(text, SIZE).0;
    let mut label = text.to_owned();
    for _ in 0..text.chars().count() {
        match estimate.box_size(&label) {
            Ok((w, _)) if w < drawn => label.push(' '),
            _ => break,
        }
    }
    label
}

/// A backend whose text is measured — and, with `draw_glyphs`, drawn — with
/// the `font8x8` glyphs; everything else goes to `inner`.
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

impl<B: DrawingBackend> OwnFont<B> {
    /// Pixels per font cell for `text` in `style`: the size's scale, stepped
    /// down while the text would be longer than the image (a long title
    /// stays whole rather than running off both edges).
    fn fit_scale<S: BackendTextStyle>(&self, text: &str, style: &S) -> i32 {
        let (w, h) = self.inner.get_size();
        let room = match style.transform() {
            FontTransform::Rotate90 | FontTransform::Rotate270 => h,
            _ => w,
        };
        let cells = width_cells(text);
        let mut s = scale(style.size());
        while s > 1 && (cells * s) as u32 > room {
            s -= 1;
        }
        s
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
        Ok(sized(text, self.fit_scale(text, style)))
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
        let s = self.fit_scale(text, style);
        let (w, h) = sized(text, s);
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
        let mut x0 = dx;
        for c in text.chars() {
            let rows = glyph(c);
            let (first, advance) = columns(rows);
            for (r, bits) in (0..).zip(rows) {
                for col in (0..8).filter(|&col| bits >> col & 1 == 1) {
                    // One font cell is an s × s block of pixels.
                    let x = x0 + (col - first) * s;
                    for sy in 0..s {
                        for sx in 0..s {
                            let (x, y) = transform.transform(x + sx, dy + r * s + sy);
                            let (x, y) = (pos.0 + x, pos.1 + y);
                            if x >= 0 && y >= 0 && (x as u32) < width && (y as u32) < height {
                                self.inner.draw_pixel((x, y), color)?;
                            }
                        }
                    }
                }
            }
            x0 += advance * s;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;
    use plotters::style::FontTransform;

    #[test]
    fn every_character_the_plots_use_has_a_glyph() {
        let question = glyph('?');
        assert_eq!(glyph(' '), [0; 8]);
        for c in ('!'..='~').chain("µ°²×±·αΔΩ".chars()) {
            assert_ne!(glyph(c), [0; 8], "{c:?} is blank");
            if c != '?' {
                assert_ne!(glyph(c), question, "{c:?} falls back to '?'");
            }
        }
        // Distinct characters look distinct.
        assert_ne!(glyph('0'), glyph('O'));
        assert_ne!(glyph('1'), glyph('l'));
        // Outside the tables, or in one of their gaps: '?'.
        for c in ['€', '→', '\u{7}'] {
            assert_eq!(glyph(c), question, "{c:?}");
        }
    }

    #[test]
    fn measured_size_grows_with_text_and_font_size() {
        assert_eq!(text_size("", 10.0), (0, 8));
        // a and b are 7 cells wide, with one blank column between them.
        assert_eq!(text_size("ab", 10.0), (15, 8));
        assert_eq!(text_size("ab", 20.0), (30, 16));
        assert_eq!(text_size("a b", 10.0), (15 + SPACE as u32, 8));
        // Spaced by ink: narrow glyphs take less room.
        assert!(text_size("1.0", 10.0).0 < text_size("mmm", 10.0).0);
    }

    /// Bounding box `(x0, y0, x1, y1)`, inclusive, of the dark pixels of
    /// `text` drawn at `pos` on a white `w` × `h` bitmap.
    fn ink(text: &str, style: &TextStyle, pos: (i32, i32), (w, h): (u32, u32)) -> [u32; 4] {
        let mut buf = vec![255u8; (w * h * 3) as usize];
        {
            let root =
                OwnFont::pixels(BitMapBackend::with_buffer(&mut buf, (w, h))).into_drawing_area();
            root.draw_text(text, style, pos).unwrap();
            root.present().unwrap();
        }
        let mut bbox = [u32::MAX, u32::MAX, 0, 0];
        for y in 0..h {
            for x in (0..w).filter(|&x| buf[((y * w + x) * 3) as usize] < 128) {
                bbox = [
                    bbox[0].min(x),
                    bbox[1].min(y),
                    bbox[2].max(x),
                    bbox[3].max(y),
                ];
            }
        }
        assert!(bbox[0] <= bbox[2], "{text:?} drew nothing");
        bbox
    }

    #[test]
    fn text_is_drawn_inside_its_measured_box_and_scaled() {
        let style = |size: f64| TextStyle::from(("sans-serif", size).into_font()).color(&BLACK);
        let frame = (200, 60);
        let [x0, y0, x1, y1] = ink("Hy(9)", &style(10.0), (3, 5), frame);
        let (w, h) = text_size("Hy(9)", 10.0);
        // The ink fills the measured box: from the H's left edge to the
        // parenthesis, from the cap height down to the y's descender.
        assert_eq!([x0, y0, x1 + 1, y1 + 1], [3, 5, 3 + w, 5 + h]);

        let [a0, b0, a1, b1] = ink("Hy(9)", &style(20.0), (3, 5), frame);
        assert_eq!((a0 - 3, b0 - 5), (2 * (x0 - 3), 2 * (y0 - 5)));
        assert_eq!(
            (a1 - a0 + 1, b1 - b0 + 1),
            (2 * (x1 - x0 + 1), 2 * (y1 - y0 + 1))
        );

        // Centred anchors centre the box on the position.
        let centred = style(10.0).pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Center,
        ));
        let [c0, _, c1, _] = ink("HH", &centred, (100, 30), frame);
        assert!((c0 + c1).abs_diff(200) <= 2, "{c0}..{c1}");
    }

    #[test]
    fn legend_labels_are_padded_to_fit_plotters_estimate() {
        let estimate = FontDesc::new(FontFamily::SansSerif, 12.0, FontStyle::Normal);
        for text in ["predicted (--vdd)", "25th to 75th percentile", "1.2 V", ""] {
            let label = legend_label(text);
            assert_eq!(label.trim_end(), text);
            assert!(estimate.box_size(&label).unwrap().0 >= text_size(text, 12.0).0);
        }
    }

    #[test]
    fn text_too_long_for_the_image_is_drawn_smaller() {
        let text = "a title of 24 characters";
        let big = TextStyle::from(("sans-serif", 20).into_font()).color(&BLACK);
        assert!(text_size(text, 20.0).0 > 200 && text_size(text, 10.0).0 <= 200);
        let [x0, y0, x1, y1] = ink(text, &big, (0, 0), (200, 40));
        assert_eq!(x1 - x0 + 1, text_size(text, 10.0).0);
        assert!(y1 - y0 < 8);
        // It fits at its own size: drawn at its own size.
        let [x0, _, x1, _] = ink("a title", &big, (0, 0), (200, 40));
        assert_eq!(x1 - x0 + 1, text_size("a title", 20.0).0);
    }

    #[test]
    fn rotated_text_runs_vertically() {
        let style = TextStyle::from(
            ("sans-serif", 10)
                .into_font()
                .transform(FontTransform::Rotate270),
        )
        .color(&BLACK);
        let [x0, y0, x1, y1] = ink("energy", &style, (20, 100), (40, 120));
        assert!(y1 - y0 > 3 * (x1 - x0), "{x0},{y0} to {x1},{y1}");
        assert!(y1 <= 100 && x0 >= 20);
    }
}
