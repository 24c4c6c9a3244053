//! Plots render without system fonts and produce well-formed files.

use super::*;
use crate::{testutil, DelayMode, Options};

fn report() -> Report {
    let mk = |v: f64, scale: f32| {
        testutil::tables(&[-1, 0, 1], &[0, 1, 2], 1.0, 1e-6, v, move |w, a, b| {
            let d = if a == b {
                0.0
            } else {
                0.2 + 0.1 * (w + 1) as f32 + 0.05 * b as f32
            };
            (scale * (1.0 + (w.abs() + a + b) as f32), d / scale)
        })
    };
    let sets = vec![
        testutil::set(1.0, mk(1.0, 1.0)),
        testutil::set(0.7, mk(0.7, 0.6)),
    ];
    let mut opts = Options::new(2);
    opts.delay = DelayMode::LowestTarget { max_act_removed: 1 };
    crate::select(&sets, &opts).unwrap()
}

#[test]
fn all_plots_written_as_png_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_plots(&report(), dir.path()).unwrap();
    assert_eq!(files.len(), 6);
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        match f.extension().and_then(|e| e.to_str()) {
            Some("png") => {
                // PNG signature, then a non-trivial image.
                assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", f.display());
                assert!(
                    bytes.len() > 2000,
                    "{} is {} bytes",
                    f.display(),
                    bytes.len()
                );
            }
            Some("svg") => {
                let text = String::from_utf8(bytes).unwrap();
                assert!(text.contains("<svg"), "{}", f.display());
                assert!(text.contains("<text"), "{} has no text", f.display());
            }
            other => panic!("unexpected file {other:?}"),
        }
    }
    let svg = std::fs::read_to_string(dir.path().join("delay_vs_vdd.svg")).unwrap();
    assert!(svg.contains("VDD (V)") && svg.contains("delay (ns)"));
    // Every plot with more than one series has a legend naming them.
    for entry in ["alpha-power model", "clock period", "chosen VDD", "tables"] {
        assert!(svg.contains(entry), "delay_vs_vdd legend lacks {entry}");
    }
    let svg = std::fs::read_to_string(dir.path().join("energy_per_weight.svg")).unwrap();
    for entry in ["kept", "removed", "1 V"] {
        assert!(svg.contains(entry), "energy_per_weight lacks {entry}");
    }
    // No temporary files left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty());
}
