//! The typeface every plot uses, compiled into the binary.
//!
//! plotters' `ttf` feature looks fonts up through fontconfig, which batch
//! machines and CI images often lack. Its `ab_glyph` feature instead
//! rasterizes a font registered from bytes, so the figures embed Liberation
//! Sans (SIL OFL 1.1, see `fonts/README.md`) under the family name
//! `sans-serif` that every chart asks for. SVG output keeps `<text>`
//! elements in that family; the layout is measured with the same font.

use std::sync::OnceLock;

use plotters::style::FontStyle;

/// Liberation Sans Regular, as shipped in `fonts/`.
static SANS: &[u8] = include_bytes!("../fonts/LiberationSans-Regular.ttf");

/// Register the embedded font as `sans-serif` (once per process). Call
/// before drawing any text; the error says the embedded bytes are not a
/// font, which only a broken build can cause.
pub fn register() -> Result<(), String> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        plotters::style::register_font("sans-serif", FontStyle::Normal, SANS).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err("the embedded plot font (Liberation Sans) could not be parsed".into())
    }
}
