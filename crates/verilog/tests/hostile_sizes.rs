//! Widths read from a file are bounded before anything is allocated: a
//! declared range wider than `MAX_WIDTH` bits is a located error, not
//! gigabytes of nets.

use std::time::Instant;

use verilog::parse::{parse_source, MAX_WIDTH};

#[test]
fn absurd_declared_ranges_are_located_errors() {
    for (decl, width) in [
        ("wire [4294967295:0] w;", "4294967296"),
        ("wire [200000000:0] w;", "200000001"),
        ("input [0:1048576] a;", "1048577"),
        ("output [-9223372036854775807:0] y;", ""),
    ] {
        let text = format!("module m(a, y);\n  {decl}\nendmodule\n");
        let start = Instant::now();
        let err = parse_source(&text, "wide.v").unwrap_err().to_string();
        assert!(start.elapsed().as_secs() < 5, "{decl}: slow");
        // Line 2, column of the `[`.
        let col = decl.find('[').unwrap() + 3;
        assert!(
            err.starts_with(&format!("wide.v:2:{col}:")),
            "{decl}: {err}"
        );
        assert!(
            err.contains("bits wide") || err.contains("number too large"),
            "{decl}: {err}"
        );
        assert!(err.contains(width), "{decl}: {err}");
    }
}

#[test]
fn the_widest_allowed_range_parses() {
    let msb = MAX_WIDTH - 1;
    let text = format!("module m;\n  wire [{msb}:0] w;\nendmodule\n");
    let src = parse_source(&text, "ok.v").unwrap();
    assert_eq!(src.modules[0].decls[0].range, Some((msb as i64, 0)));
}
