//! Rendering a figure into a PNG file or SVG text.
//!
//! Every figure of the tool is written both ways: PNG to look at, SVG to
//! put into papers. The PNG encoder of plotters chooses the format from
//! the file name, so the figure is drawn into a temporary file that keeps
//! the `.png` ending and is renamed into place ([`outfile::AtomicFile`]);
//! a failed drawing leaves nothing behind. The SVG comes back as text for
//! the caller to write with its own atomic writer.
//!
//! Registering the font ([`crate::font`]) is the caller's, once, before
//! the first figure.

use std::fmt;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::{BitMapBackend, DrawingArea, IntoDrawingArea, SVGBackend};

/// Why a figure could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The temporary file could not be created, written or renamed.
    Io(std::io::Error),
    /// plotters could not draw or encode the figure; its message.
    Draw(String),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Io(e) => e.fmt(f),
            WriteError::Draw(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for WriteError {}

/// Draws a `size` (width, height in pixels) PNG with `draw` and puts it at
/// `path` atomically.
pub fn write_png<E: fmt::Display>(
    path: &Path,
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> Result<(), E>,
) -> Result<(), WriteError> {
    let tmp = outfile::AtomicFile::with_suffix(path, ".png").map_err(WriteError::Io)?;
    {
        let area = BitMapBackend::new(tmp.temp_path(), size).into_drawing_area();
        draw(&area).map_err(|e| WriteError::Draw(e.to_string()))?;
        area.present()
            .map_err(|e| WriteError::Draw(e.to_string()))?;
    }
    tmp.commit().map_err(WriteError::Io)
}

/// The SVG text of a `size` figure drawn by `draw` (only
/// [`WriteError::Draw`] can come back).
pub fn svg_text<E: fmt::Display>(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), E>,
) -> Result<String, WriteError> {
    let mut text = String::new();
    {
        let area = SVGBackend::with_string(&mut text, size).into_drawing_area();
        draw(&area).map_err(|e| WriteError::Draw(e.to_string()))?;
        area.present()
            .map_err(|e| WriteError::Draw(e.to_string()))?;
    }
    Ok(text)
}

#[cfg(test)]
// `|a| square(a)` is not redundant: the closure is generic over the
// backend's lifetime, which the function item (one `DB`) is not.
#[allow(clippy::redundant_closure)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    fn square<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        area.fill(&WHITE).map_err(|e| e.to_string())?;
        area.draw(&Rectangle::new([(2, 2), (6, 6)], RED.filled()))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_png_is_written_whole_and_a_failed_one_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.png");
        write_png(&path, (10, 8), |a| square(a)).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        // Width and height in the IHDR chunk, big-endian.
        assert_eq!(&bytes[16..24], &[0, 0, 0, 10, 0, 0, 0, 8]);

        let bad = dir.path().join("g.png");
        let e = write_png(&bad, (10, 8), |_| Err("no data")).unwrap_err();
        assert!(matches!(&e, WriteError::Draw(m) if m == "no data"), "{e}");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["f.png"], "nothing but the good figure is left");

        let e = write_png(&dir.path().join("no/such/dir/h.png"), (10, 8), |a| {
            square(a)
        })
        .unwrap_err();
        assert!(matches!(e, WriteError::Io(_)), "{e}");
    }

    #[test]
    fn svg_text_is_one_document_of_the_given_size() {
        let text = svg_text((10, 8), |a| square(a)).unwrap();
        assert!(text.starts_with("<svg") && text.trim_end().ends_with("</svg>"));
        assert!(text.contains("width=\"10\"") && text.contains("height=\"8\""));
        assert!(text.contains("<rect"));
    }
}
